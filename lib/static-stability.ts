/**
 * Static stability of a group spread over AZs: what is left when one AZ fails, before any
 * replacement launches. Auto Scaling keeps a group balanced over its AZs, so one AZ holds at
 * most ceil(capacity / AZs) of its instances. The group is statically stable when the others
 * keep at least one instance in every remaining AZ, so the load balancer has a target in each
 * without launching anything (launches are control-plane work that an AZ event can slow).
 * @see https://docs.aws.amazon.com/whitepapers/latest/aws-fault-isolation-boundaries/static-stability.html
 */
export interface AzLoss {
  /** Instances in the largest AZ share, lost with it. */
  readonly lost: number;
  /** Instances left in the other AZs. */
  readonly remaining: number;
  readonly remainingAzs: number;
  /** At least one instance in every remaining AZ. */
  readonly stable: boolean;
}

export function afterLosingOneAz(capacity: number, azCount: number): AzLoss {
  const lost = Math.ceil(capacity / Math.max(1, azCount));
  const remaining = capacity - lost;
  const remainingAzs = azCount - 1;
  return { lost, remaining, remainingAzs, stable: remaining >= 1 && remaining >= remainingAzs };
}
