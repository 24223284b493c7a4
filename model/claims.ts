/**
 * A claim a game day can falsify, for every (stack, mode): the injection (`modes.ts`), the
 * observable, and the band the result must fall in. For a healed mode the band is the hull's
 * upper bound: one run beyond it refutes the model, and the percentiles say what to expect. An
 * alarmed mode claims the alarm's time; a mode not survived claims that nothing recovers.
 */
import { MODE_INFO, OBSERVABLE } from "./modes";
import { Claim, ModeAssessment } from "./types";
import { formatDuration } from "./format";

export function claimFor(m: Omit<ModeAssessment, "claim">, alarm?: { address: string; withinSeconds: number }): Claim {
  const { injection } = MODE_INFO[m.mode];
  switch (m.outcome) {
    case "healed": {
      const rto = m.rto!;
      const within = Math.ceil(rto.hull.max);
      return {
        injection,
        observable: OBSERVABLE,
        band: `last failed probe within ${formatDuration(within)} of the injection (expected: P50 ${formatDuration(rto.p50)}, P90 ${formatDuration(rto.p90)}); healed by ${m.mechanism}`,
        withinSeconds: within,
      };
    }
    case "alarmed":
      return {
        injection,
        observable: `${OBSERVABLE}; the stack's topic`,
        band: alarm
          ? `${alarm.address} tells the topic within ${formatDuration(alarm.withinSeconds)}; no automatic recovery of the endpoint`
          : `the topic is told (${m.mechanism}); no automatic recovery`,
        withinSeconds: alarm?.withinSeconds,
      };
    case "not-survived":
      return { injection, observable: OBSERVABLE, band: "the endpoint stays down until an operator acts: no recovery within an hour" };
    case "not-applicable":
      return { injection: "none: the mode cannot happen to this stack", observable: "-", band: "-" };
  }
}
