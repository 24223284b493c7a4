/**
 * Retention periods CloudWatch Logs accepts (days).
 * @see https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutRetentionPolicy.html
 */
export const LOG_RETENTION_DAYS: readonly number[] = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653];

/** A year: logs for an investigation (checkov CKV_AWS_338 asks for at least one); a few lines a day cost nothing to keep. */
export const DEFAULT_LOG_RETENTION_DAYS = 365;
