/**
 * One AWS FIS experiment template with a role of its own: the role may do what the template's
 * actions need and nothing else (`fault-action.ts`), only in the stack's region and partition
 * and, where the API evaluates tags, only on resources with the stack's tags; every target is
 * chosen by those tags (never by ARN); a CloudWatch alarm of the stack stops the experiment
 * when it hurts more than planned. Starting it is an operator's act; the template alone
 * changes nothing.
 */
import { Construct } from "constructs";
import { CloudwatchMetricAlarm } from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm";
import { FisExperimentTemplate } from "@cdktf/provider-aws/lib/fis-experiment-template";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { PolicyStatement, assumeRolePolicy, policyDocument, regionalIamName } from "../../lib/iam";
import { awsContext } from "../../lib/stack-context";
import { FaultAction, PermissionScope } from "./fault-action";
import { FaultTarget } from "./fault-target";

/** FIS's limit on a template's description. */
const DESCRIPTION_MAX = 512;

export interface FaultExperimentProps {
  /** Base of the role's name and the template's `Name` tag; the region is appended to the role's. */
  readonly name: string;
  /** What the experiment does (at most 512 characters). */
  readonly description: string;
  /** The tags every target is chosen by, and the tags the role's permissions require on what it acts on: the stack's. */
  readonly selectionTags: Readonly<Record<string, string>>;
  /** The actions, in the template's order; their targets go into the template once each. */
  readonly actions: readonly FaultAction[];
  /** The alarm that stops the experiment when it goes into ALARM. */
  readonly stopAlarm: CloudwatchMetricAlarm;
  /**
   * What FIS does when a target resolves to no resource: `fail` the experiment, or `skip` the
   * action (an AZ without the stack's instance, in a per-AZ experiment).
   * @default "fail"
   */
  readonly emptyTargetResolution?: "fail" | "skip";
}

export class FaultExperiment extends Construct {
  readonly template: FisExperimentTemplate;
  readonly role: IamRole;
  /** The role's statements, as granted. */
  readonly statements: readonly PolicyStatement[];

  constructor(scope: Construct, id: string, props: FaultExperimentProps) {
    super(scope, id);
    const context = awsContext(this);
    const { region, partition } = context;
    if (props.description.length > DESCRIPTION_MAX) {
      throw new Error(`${this.node.path}: the description has ${props.description.length} characters; FIS allows at most ${DESCRIPTION_MAX}`);
    }
    if (Object.keys(props.selectionTags).length === 0) {
      throw new Error(`${this.node.path}: selectionTags is empty; every target must be chosen by the stack's tags`);
    }
    const names = props.actions.map((a) => a.name);
    const twice = names.filter((n, i) => names.indexOf(n) !== i);
    if (twice.length > 0) throw new Error(`${this.node.path}: action names ${twice.join(", ")} are used twice; FIS needs them unique`);

    const permissionScope: PermissionScope = { ...context, tags: props.selectionTags };
    this.role = new IamRole(this, "role", {
      name: regionalIamName(props.name, region),
      description: `Assumed by AWS FIS to run the experiment ${props.name}`,
      // Confused-deputy guard: only FIS experiments of this region assume it.
      assumeRolePolicy: assumeRolePolicy("fis.amazonaws.com", { ArnLike: { "aws:SourceArn": `arn:${partition}:fis:${region}:*:experiment/*` } }),
    });
    this.statements = uniqueStatements(
      this.node.path,
      props.actions.flatMap((a) => a.permissions(permissionScope)),
    );
    const policy = new IamRolePolicy(this, "actions", { name: "fis-actions", role: this.role.id, policy: policyDocument(this.statements) });

    const targets = new Map<string, FaultTarget>();
    for (const action of props.actions) {
      const t = action.target?.target;
      if (!t) continue;
      const seen = targets.get(t.name);
      if (seen && JSON.stringify(seen) !== JSON.stringify(t)) throw new Error(`${this.node.path}: two different targets are named ${t.name}`);
      targets.set(t.name, t);
    }

    this.template = new FisExperimentTemplate(this, "template", {
      description: props.description,
      roleArn: this.role.arn,
      stopCondition: [{ source: "aws:cloudwatch:alarm", value: props.stopAlarm.arn }],
      experimentOptions: { accountTargeting: "single-account", emptyTargetResolutionMode: props.emptyTargetResolution ?? "fail" },
      target: [...targets.values()].map((t) => ({
        name: t.name,
        resourceType: t.resourceType,
        selectionMode: t.selectionMode,
        resourceTag: Object.entries(props.selectionTags).map(([key, value]) => ({ key, value })),
        filter: t.filters.map((f) => ({ path: f.path, values: [...f.values] })),
      })),
      action: props.actions.map((a) => ({
        name: a.name,
        actionId: a.actionId,
        description: a.description,
        startAfter: a.startAfter ? [...a.startAfter] : undefined,
        parameter: Object.entries(a.parameters?.(permissionScope) ?? {}).map(([key, value]) => ({ key, value })),
        target: a.target ? { key: a.target.key, value: a.target.target.name } : undefined,
      })),
      tags: { Name: props.name },
      // The role must be able to act before an experiment can start.
      dependsOn: [policy],
    });
  }
}

/** The statements without repeats (actions share the describe calls), in first-seen order. */
function uniqueStatements(path: string, statements: readonly PolicyStatement[]): PolicyStatement[] {
  const seen = new Map<string, PolicyStatement>();
  for (const s of statements) {
    const key = JSON.stringify(s);
    const sameSid = s.Sid === undefined ? undefined : [...seen.values()].find((o) => o.Sid === s.Sid);
    if (sameSid && JSON.stringify(sameSid) !== key) throw new Error(`${path}: two different IAM statements share the Sid ${s.Sid}`);
    seen.set(key, s);
  }
  return [...seen.values()];
}
