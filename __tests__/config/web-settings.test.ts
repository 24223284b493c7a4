import { resolveConfig } from "../../config/load";

const CERTIFICATE = "arn:aws:acm:ap-northeast-2:123456789012:certificate/0a1b2c3d-4e5f-6789-abcd-ef0123456789";

/** The web section's checks: the schema's ranges of AWS and its rules across keys, each naming the key, the value and the fix. */
describe("web settings", () => {
  test.each([
    // The target group's health check and attributes (AWS's ranges).
    [
      "the interval is below AWS's 5 s",
      { healthCheck: { intervalSeconds: 4 } },
      /: web\.healthCheck\.intervalSeconds \(4\): must be a whole number from 5 to 300$/,
    ],
    [
      "the interval is above AWS's 300 s",
      { healthCheck: { intervalSeconds: 301 } },
      /web\.healthCheck\.intervalSeconds \(301\): must be a whole number from 5 to 300/,
    ],
    ["the timeout is below AWS's 2 s", { healthCheck: { timeoutSeconds: 1 } }, /web\.healthCheck\.timeoutSeconds \(1\): must be a whole number from 2 to 120/],
    [
      "the timeout is not less than the interval",
      { healthCheck: { timeoutSeconds: 5, intervalSeconds: 5 } },
      /web\.healthCheck\.timeoutSeconds \(5\): must be less than web\.healthCheck\.intervalSeconds \(5\): a check must time out before the next one starts/,
    ],
    [
      "the healthy threshold is below 2",
      { healthCheck: { healthyThreshold: 1 } },
      /web\.healthCheck\.healthyThreshold \(1\): must be a whole number from 2 to 10/,
    ],
    [
      "the unhealthy threshold is above 10",
      { healthCheck: { unhealthyThreshold: 11 } },
      /web\.healthCheck\.unhealthyThreshold \(11\): must be a whole number from 2 to 10/,
    ],
    ["the path does not start with /", { healthCheck: { path: "health" } }, /web\.healthCheck\.path \("health"\): must start with "\/"/],
    ["the path holds a space", { healthCheck: { path: "/he alth" } }, /web\.healthCheck\.path \("\/he alth"\): must start with "\/".*without spaces/],
    [
      "a success code is outside 200-499",
      { healthCheck: { matcher: "200,503" } },
      /web\.healthCheck\.matcher \("200,503"\): must be HTTP codes from 200 to 499/,
    ],
    ["a success code range is reversed", { healthCheck: { matcher: "299-200" } }, /web\.healthCheck\.matcher \("299-200"\): must be HTTP codes/],
    [
      "the draining time is above 3600 s",
      { deregistrationDelaySeconds: 3601 },
      /web\.deregistrationDelaySeconds \(3601\): must be a whole number from 0 to 3600/,
    ],
    ["the cookie lasts longer than 7 days", { stickinessSeconds: 604801 }, /web\.stickinessSeconds \(604801\): must be a whole number from 1 to 604800/],
    ["the cookie lasts 0 s", { stickinessSeconds: 0 }, /web\.stickinessSeconds \(0\)/],
    // The load balancer.
    [
      "the certificate ARN is malformed",
      { certificateArn: "my-certificate" },
      /web\.certificateArn \("my-certificate"\): must be an ACM certificate ARN such as arn:aws:acm:ap-northeast-2:/,
    ],
    ["the certificate ARN is empty", { certificateArn: "" }, /web\.certificateArn \(""\): must be an ACM certificate ARN/],
    [
      "the certificate is in another region",
      { certificateArn: CERTIFICATE.replace("ap-northeast-2", "us-east-1") },
      /web\.certificateArn \("arn:aws:acm:us-east-1:.*is a certificate in us-east-1 .*needs a certificate issued or imported in ap-northeast-2/,
    ],
    ["no CIDR is admitted", { ingressCidrs: [] }, /web\.ingressCidrs \(\[\]\): list at least one IPv4 CIDR/],
    ["a CIDR is malformed", { ingressCidrs: ["0.0.0.0/0", "10.0.0.1"] }, /web\.ingressCidrs\[1\] \("10\.0\.0\.1"\): must be an IPv4 CIDR block/],
    ["a CIDR is listed twice", { ingressCidrs: ["10.0.0.0/8", "10.0.0.0/8"] }, /web\.ingressCidrs\[1\] \("10\.0\.0\.0\/8"\): is listed twice/],
    ["the access log bucket is not a bucket name", { accessLogsBucket: "My_Bucket" }, /web\.accessLogsBucket \("My_Bucket"\): must be an S3 bucket name/],
    [
      "a bucket is both created and named",
      { accessLogsBucket: "my-logs", accessLogs: { createBucket: true } },
      /web\.accessLogs\.createBucket \(true\): cannot be combined with web\.accessLogsBucket \(my-logs\)/,
    ],
    [
      "the maximum instance lifetime is under a day",
      { maxInstanceLifetimeSeconds: 3600 },
      /web\.maxInstanceLifetimeSeconds \(3600\): must be 0 \(never\) or a whole number of seconds from 86400/,
    ],
    ["the maximum instance lifetime is over a year", { maxInstanceLifetimeSeconds: 31536001 }, /web\.maxInstanceLifetimeSeconds \(31536001\): must be 0/],
    ["the access logs never expire", { accessLogs: { expirationDays: 0 } }, /web\.accessLogs\.expirationDays \(0\): must be a whole number from 1 to 36500/],
    // The load balancer's alarms.
    [
      "the 5xx threshold is negative",
      { alarms: { elb5xxPerMinute: -1 } },
      /web\.alarms\.elb5xxPerMinute \(-1\): must be a whole number of responses, 0 or more/,
    ],
    ["the 5xx threshold is not whole", { alarms: { elb5xxPerMinute: 2.5 } }, /web\.alarms\.elb5xxPerMinute \(2\.5\)/],
    [
      "the response time threshold is 0",
      { alarms: { targetResponseTimeSeconds: 0 } },
      /web\.alarms\.targetResponseTimeSeconds \(0\): must be a number of seconds above 0/,
    ],
    // The group.
    ["minSize is above maxSize", { minSize: 4, maxSize: 3 }, /web\.minSize \(4\): must be at most maxSize \(3\)/],
    ["maxSize is below the default minSize of one per AZ", { maxSize: 2 }, /web\.maxSize \(2\): must be at least web\.minSize \(3: one per AZ by default\)/],
    ["minSize is 0", { minSize: 0 }, /web\.minSize \(0\): must be a whole number from 1 to 1000 \(the load balancer needs a target\)/],
    ["maxSize is not whole", { maxSize: 2.5 }, /web\.maxSize \(2\.5\): must be a whole number/],
    ["the grace period is negative", { healthCheckGracePeriodSeconds: -1 }, /web\.healthCheckGracePeriodSeconds \(-1\): must be a whole number from 0 to 7200/],
    // Scaling.
    ["the scaling mode is unknown", { scaling: { mode: "predictive" } }, /web\.scaling\.mode \("predictive"\): must be one of "target_tracking", "step"/],
    ["the CPU target is 0", { scaling: { targetCpuPercent: 0 } }, /web\.scaling\.targetCpuPercent \(0\): must be a percentage above 0 and at most 100/],
    ["the CPU target is above 100", { scaling: { targetCpuPercent: 120 } }, /web\.scaling\.targetCpuPercent \(120\)/],
    ["the warm-up is negative", { scaling: { warmupSeconds: -5 } }, /web\.scaling\.warmupSeconds \(-5\): must be a whole number of seconds/],
    [
      "the high threshold is above 100",
      { scaling: { mode: "step", highCpuPercent: 101 } },
      /web\.scaling\.highCpuPercent \(101\): must be a whole number from 1 to 100/,
    ],
    [
      "the low threshold is not below the high one",
      { scaling: { mode: "step", lowCpuPercent: 80 } },
      /web\.scaling\.lowCpuPercent \(80\): must be less than web\.scaling\.highCpuPercent \(80\)/,
    ],
    [
      "the period is not whole minutes",
      { scaling: { mode: "step", periodSeconds: 90 } },
      /web\.scaling\.periodSeconds \(90\): must be a multiple of 60 seconds/,
    ],
    ["the period is below EC2's one-minute metrics", { scaling: { mode: "step", periodSeconds: 30 } }, /web\.scaling\.periodSeconds \(30\)/],
    ["there are no evaluation periods", { scaling: { mode: "step", evaluationPeriods: 0 } }, /web\.scaling\.evaluationPeriods \(0\)/],
    [
      "the alarm window exceeds CloudWatch's day",
      { scaling: { mode: "step", periodSeconds: 300, evaluationPeriods: 300 } },
      /web\.scaling\.evaluationPeriods \(300\): with web\.scaling\.periodSeconds 300 the alarm window would be 90000 s; CloudWatch allows at most 86400 s/,
    ],
  ])("fails when %s", (_case, web, message) => {
    // GIVEN a web setting outside what AWS or the stack allows WHEN the configuration is read THEN one line names the key, value and fix
    expect(() => resolveConfig({ web } as never)).toThrow(message);
  });

  test("an hour-long period allows a week-long window", () => {
    expect(resolveConfig({ web: { scaling: { mode: "step", periodSeconds: 3600, evaluationPeriods: 168 } } }).web.scaling).toMatchObject({
      evaluationPeriods: 168,
    });
  });

  test("reports every problem at once", () => {
    let message = "";
    try {
      resolveConfig({ web: { healthCheck: { intervalSeconds: 400, healthyThreshold: 0 }, deregistrationDelaySeconds: -1 } });
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/^Invalid configuration \(3 problems\)/);
    for (const key of [/intervalSeconds \(400\)/, /healthyThreshold \(0\)/, /deregistrationDelaySeconds \(-1\)/]) expect(message).toMatch(key);
  });
});
