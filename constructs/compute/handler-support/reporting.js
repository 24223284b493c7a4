"use strict";
/**
 * How the project's Lambda handlers report: a JSON log line per decision (CloudWatch Logs),
 * a message on the stack's SNS topic for what an operator must know, and CloudWatch metrics
 * that the stack's alarms watch.
 */

/** One JSON line in the function's log. */
function log(fields) {
  console.log(JSON.stringify(fields));
}

/** SNS subjects are at most 100 characters. */
const SUBJECT_MAX = 100;

/**
 * Publishes `message` to the topic with `subject`, through `call` (see aws-calls.js).
 * @param {(action: string, send: () => Promise<any>) => Promise<any>} call
 * @param {{ publish(input: object): Promise<any> }} sns
 */
async function notify(call, sns, topicArn, subject, message) {
  const Subject = subject.length > SUBJECT_MAX ? `${subject.slice(0, SUBJECT_MAX - 3)}...` : subject;
  log({ notified: topicArn, subject: Subject });
  return call(`sns:Publish to ${topicArn}`, () => sns.publish({ TopicArn: topicArn, Subject, Message: message }));
}

/**
 * Puts one datapoint of `metricName` in `namespace`, now.
 * @param {{ putMetricData(input: object): Promise<any> }} cloudwatch
 * @param {Record<string, string>} dimensions
 */
async function putMetric(call, cloudwatch, namespace, metricName, dimensions, value, unit, now = new Date()) {
  log({ metric: `${namespace}/${metricName}`, dimensions, value, unit });
  return call(`cloudwatch:PutMetricData in ${namespace}`, () =>
    cloudwatch.putMetricData({
      Namespace: namespace,
      MetricData: [
        {
          MetricName: metricName,
          Dimensions: Object.entries(dimensions).map(([Name, Value]) => ({ Name, Value })),
          Timestamp: now,
          Value: value,
          Unit: unit,
        },
      ],
    }),
  );
}

/** The value of `name` in `env`, or a clear error. */
function required(env, name) {
  const value = env[name];
  if (!value) throw new Error(`environment variable ${name} is not set`);
  return value;
}

module.exports = { log, notify, putMetric, required };
