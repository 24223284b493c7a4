/**
 * The stacks' own CloudWatch metrics: put by our functions, alarmed on by the constructs, and
 * read by the recovery model (which imports no construct), so their names live here once.
 */

/** CloudWatch namespace of the AMI publisher's metric (`PublishedImageAgeSeconds`, dimension `Pipeline`). */
export const METRIC_NAMESPACE = "ReferenceStacks/AmiPipeline";
/** The AMI publisher's metric of the published image's age. */
export const AGE_METRIC = "PublishedImageAgeSeconds";

/** CloudWatch namespace of the endpoint takeover function's metric (`EndpointAttached`, dimension `Group`). */
export const ENDPOINT_METRIC_NAMESPACE = "ReferenceStacks/Endpoint";
/** 1 when the Elastic IP is on the group's instance, else 0. */
export const ATTACHED_METRIC = "EndpointAttached";
