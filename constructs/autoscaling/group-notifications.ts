/**
 * The Auto Scaling events a group tells its topic about, as the course subscribed them:
 * launches, terminations and their failures.
 * @see https://docs.aws.amazon.com/autoscaling/ec2/userguide/ec2-auto-scaling-sns-notifications.html
 */
import { Construct } from "constructs";
import { AutoscalingGroup } from "@cdktf/provider-aws/lib/autoscaling-group";
import { AutoscalingNotification } from "@cdktf/provider-aws/lib/autoscaling-notification";
import { NotificationTopic } from "../notifications/notification-topic";

export const GROUP_NOTIFICATIONS = [
  "autoscaling:EC2_INSTANCE_LAUNCH",
  "autoscaling:EC2_INSTANCE_TERMINATE",
  "autoscaling:EC2_INSTANCE_LAUNCH_ERROR",
  "autoscaling:EC2_INSTANCE_TERMINATE_ERROR",
];

/** Subscribes `topic` to {@link GROUP_NOTIFICATIONS} of `group` (a construct `notifications` in `scope`). */
export function notifyGroupEvents(scope: Construct, group: AutoscalingGroup, topic: NotificationTopic): AutoscalingNotification {
  return new AutoscalingNotification(scope, "notifications", { groupNames: [group.name], notifications: GROUP_NOTIFICATIONS, topicArn: topic.arn });
}
