/**
 * What a plan will do, counted for a reviewer: the actions by resource type (from the plan's
 * `resource_changes`), and the resources after apply by availability zone.
 */
import { ResourceGraph } from "../lib/resource-graph";
import { azsOf } from "./locate";

/** The actions a reviewer distinguishes; a replacement is one action, not a delete and a create. */
export const ACTIONS = ["create", "update", "replace", "delete", "no-op"] as const;
export type Action = (typeof ACTIONS)[number];

export interface TypeCount {
  readonly type: string;
  readonly actions: Readonly<Record<Action, number>>;
}

export interface AzCount {
  readonly az: string;
  readonly total: number;
  /** Resources bound to this AZ, by type. */
  readonly types: Readonly<Record<string, number>>;
}

export interface PlanInventory {
  readonly byType: readonly TypeCount[];
  /** Resources bound to exactly one AZ, per AZ. */
  readonly byAz: readonly AzCount[];
  /** Resources that span several AZs (a group, a load balancer), with their AZs. */
  readonly multiAz: readonly { readonly address: string; readonly azs: readonly string[] }[];
  /** Resources bound to no AZ (IAM, DNS, alarms, the VPC itself). */
  readonly regional: number;
}

/** A plan, as far as the inventory reads it. */
export interface PlanChanges {
  readonly resource_changes?: readonly { readonly type: string; readonly mode?: string; readonly change: { readonly actions: readonly string[] } }[];
}

function actionOf(actions: readonly string[]): Action | undefined {
  if (actions.includes("create") && actions.includes("delete")) return "replace";
  return (["create", "update", "delete", "no-op"] as const).find((a) => actions.includes(a));
}

export function inventory(plan: PlanChanges, graph: ResourceGraph): PlanInventory {
  const byType = new Map<string, Record<Action, number>>();
  for (const rc of plan.resource_changes ?? []) {
    if (rc.mode !== undefined && rc.mode !== "managed") continue;
    const action = actionOf(rc.change.actions);
    if (!action) continue;
    const counts = byType.get(rc.type) ?? { create: 0, update: 0, replace: 0, delete: 0, "no-op": 0 };
    counts[action]++;
    byType.set(rc.type, counts);
  }

  const perAz = new Map<string, Record<string, number>>();
  const multiAz: { address: string; azs: string[] }[] = [];
  let regional = 0;
  // The graph is read by type; the plan names every type it holds.
  for (const node of [...byType.keys()].flatMap((t) => graph.ofType(t))) {
    const azs = azsOf(node, graph);
    if (azs.length === 0) regional++;
    else if (azs.length > 1) multiAz.push({ address: node.address, azs });
    else {
      const types = perAz.get(azs[0]) ?? {};
      types[node.type] = (types[node.type] ?? 0) + 1;
      perAz.set(azs[0], types);
    }
  }

  return {
    byType: [...byType].sort(([a], [b]) => a.localeCompare(b)).map(([type, actions]) => ({ type, actions })),
    byAz: [...perAz].sort(([a], [b]) => a.localeCompare(b)).map(([az, types]) => ({ az, types, total: Object.values(types).reduce((s, n) => s + n, 0) })),
    multiAz,
    regional,
  };
}
