"""Stand-ins for the APIs the stacks need that moto 5.2.5 lacks (sandbox/gaps.ts lists them, and
the sandbox report names every resource that rests on one). Each stores what it is given and
answers as the API documents; none has the API's effect.

- EC2 MonitorInstances / UnmonitorInstances (moto raises NotImplementedError): record the
  instance's monitoring state, which DescribeInstances then reports. No metrics at 1-minute
  resolution follow (moto produces no instance metrics at all).
- Data Lifecycle Manager (no moto service at all): CreateLifecyclePolicy, GetLifecyclePolicy,
  GetLifecyclePolicies, UpdateLifecyclePolicy, DeleteLifecyclePolicy, TagResource,
  UntagResource, ListTagsForResource keep the policies in memory. No policy ever runs: no image
  or snapshot is created, so nothing emits `EC2 AMI State Change` by itself.

One behaviour moto gets wrong:

- Auto Scaling ExecutePolicy of a step scaling policy: moto 5.2.5 adds the policy's simple
  ScalingAdjustment, which a step policy lacks, and fails (TypeError, a 500). install_step_execution
  answers it as the ExecutePolicy API reference documents: MetricValue and BreachThreshold are
  required, the step adjustment whose bounds (relative to the breach threshold) hold their
  difference applies, and the result stays within the group's min and max. Every other policy
  type is left to moto. https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_ExecutePolicy.html
  https://docs.aws.amazon.com/autoscaling/ec2/userguide/as-scaling-simple-step.html

One protocol, not an API: CloudWatch's API takes AWS JSON 1.0 as well as the query protocol
(the AWS SDKs for JavaScript from 3.9xx and the other current SDKs send JSON 1.0, with
`x-amzn-query-mode`), and moto parses and answers JSON 1.0 with the same models, but refuses it
for CloudWatch because the botocore that checkov pins (1.35.99) lists only `query` for it
(moto/core/request.py determine_request_protocol: "Unsupported protocol [json] for service
cloudwatch"). install_cloudwatch_json lets moto's own JSON parser and serializer take those
requests; the operations and their behaviour are moto's.
"""
import json
import re
import threading
import time
import uuid
from typing import Any, Callable
from urllib.parse import parse_qs, unquote

ACCOUNT_ID = "123456789012"
_SCOPE = re.compile(r"Credential=[^/]+/\d+/([^/]+)/([^/]+)/aws4_request")


def install_monitoring() -> None:
    from moto.ec2.responses.monitoring import Monitoring

    def answer(self: Any, state: str, action: str) -> str:
        self.error_on_dryrun()
        ids = self._get_param("InstanceIds", [])
        items = ""
        for instance in self.ec2_backend.get_multi_instances_by_id(ids):
            instance.monitoring_state = state
            items += f"<item><instanceId>{instance.id}</instanceId><monitoring><state>{state}</state></monitoring></item>"
        ns = "http://ec2.amazonaws.com/doc/2016-11-15/"
        return f'<{action}Response xmlns="{ns}"><requestId>{uuid.uuid4()}</requestId><instancesSet>{items}</instancesSet></{action}Response>'

    Monitoring.monitor_instances = lambda self: answer(self, "enabled", "MonitorInstances")  # type: ignore[method-assign]
    Monitoring.unmonitor_instances = lambda self: answer(self, "disabled", "UnmonitorInstances")  # type: ignore[method-assign]


def _step_for(steps: list[dict[str, Any]], difference: float) -> dict[str, Any] | None:
    """The step adjustment holding `difference` (metric value - breach threshold): above the
    threshold, lower bound inclusive and upper exclusive; below it, lower exclusive and upper
    inclusive (AWS's StepAdjustment semantics); at the threshold, either (a scale-out step from 0
    first, else a scale-in step up to 0); a missing bound is infinite."""
    inf = float("inf")

    def bounds(step: dict[str, Any]) -> tuple[float, float]:
        lower, upper = step.get("MetricIntervalLowerBound"), step.get("MetricIntervalUpperBound")
        return (-inf if lower is None else float(lower), inf if upper is None else float(upper))

    above = [s for s in steps if bounds(s)[0] <= difference < bounds(s)[1]]
    below = [s for s in steps if bounds(s)[0] < difference <= bounds(s)[1]]
    if difference > 0:
        return above[0] if above else None
    if difference < 0:
        return below[0] if below else None
    return (above or below or [None])[0]


def install_step_execution() -> None:
    from moto.autoscaling.exceptions import ValidationError
    from moto.autoscaling.responses import AutoScalingResponse
    from moto.core.responses import EmptyResult

    moto_execute = AutoScalingResponse.execute_policy

    def execute_policy(self: Any) -> Any:
        name = self._get_param("PolicyName")
        backend = self.autoscaling_backend
        policy = backend.policies.get(name) or next((p for p in backend.policies.values() if p.arn == name), None)
        if policy is None or policy.policy_type != "StepScaling":
            return moto_execute(self)
        metric, breach = self._get_param("MetricValue"), self._get_param("BreachThreshold")
        if metric is None or breach is None:
            raise ValidationError("MetricValue and BreachThreshold are required for a step scaling policy")
        step = _step_for(policy.step_adjustments or [], float(metric) - float(breach))
        if step is None:
            raise ValidationError(f"no step adjustment of {policy.name} holds MetricValue - BreachThreshold = {float(metric) - float(breach)}")
        group = backend.autoscaling_groups[policy.auto_scaling_group_name]
        adjustment = int(step["ScalingAdjustment"])
        current = group.desired_capacity or 0
        if policy.adjustment_type == "ExactCapacity":
            wanted = adjustment
        elif policy.adjustment_type == "PercentChangeInCapacity":
            wanted = current + int(current * adjustment / 100)
        else:
            wanted = current + adjustment
        backend.set_desired_capacity(group.name, max(group.min_size, min(group.max_size, wanted)))
        return EmptyResult()

    AutoScalingResponse.execute_policy = execute_policy  # type: ignore[method-assign]


CLOUDWATCH_JSON = "application/x-amz-json-1.0"


def install_cloudwatch_json() -> None:
    import moto.core.responses as responses

    moto_protocol = responses.determine_request_protocol

    def protocol(service_model: Any, content_type: str | None = None) -> str:
        if service_model.service_name == "cloudwatch" and content_type == CLOUDWATCH_JSON:
            return "json"
        return moto_protocol(service_model, content_type)

    responses.determine_request_protocol = protocol  # type: ignore[assignment]


def _now() -> str:
    # DLM's timestamps are ISO 8601 strings on the wire.
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())


class DataLifecycleManager:
    """The DLM REST-JSON API over an in-memory store, per region."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.policies: dict[tuple[str, str], dict[str, Any]] = {}

    def arn(self, region: str, policy_id: str) -> str:
        return f"arn:aws:dlm:{region}:{ACCOUNT_ID}:policy/{policy_id}"

    def handle(self, method: str, path: str, query: str, body: bytes, region: str) -> tuple[int, dict[str, Any]]:
        data = json.loads(body or b"{}")
        parts = [unquote(p) for p in path.strip("/").split("/")]
        with self.lock:
            if parts == ["policies"] and method == "POST":
                policy_id = f"policy-{uuid.uuid4().hex[:17]}"
                now = _now()
                self.policies[(region, policy_id)] = {
                    "PolicyId": policy_id,
                    "PolicyArn": self.arn(region, policy_id),
                    "Description": data.get("Description", ""),
                    "State": data.get("State", "ENABLED"),
                    "StatusMessage": "ENABLED",
                    "ExecutionRoleArn": data.get("ExecutionRoleArn", ""),
                    "DateCreated": now,
                    "DateModified": now,
                    "PolicyDetails": data.get("PolicyDetails", {}),
                    "Tags": dict(data.get("Tags") or {}),
                    "DefaultPolicy": bool(data.get("DefaultPolicy", False)),
                }
                return 200, {"PolicyId": policy_id}
            if parts == ["policies"] and method == "GET":
                return 200, {"Policies": [{k: p[k] for k in ("PolicyId", "Description", "State", "Tags", "PolicyArn", "DefaultPolicy")} for (r, _), p in self.policies.items() if r == region]}
            if len(parts) == 2 and parts[0] == "policies":
                policy = self.policies.get((region, parts[1]))
                if policy is None:
                    return 404, {"__type": "ResourceNotFoundException", "Message": f"Policy {parts[1]} not found", "Code": "ResourceNotFoundException"}
                if method == "GET":
                    return 200, {"Policy": policy}
                if method == "PATCH":
                    for key in ("Description", "State", "ExecutionRoleArn", "PolicyDetails"):
                        if key in data:
                            policy[key] = data[key]
                    policy["DateModified"] = _now()
                    return 200, {}
                if method == "DELETE":
                    del self.policies[(region, parts[1])]
                    return 200, {}
            if len(parts) >= 2 and parts[0] == "tags":
                arn = "/".join(parts[1:])
                policy = next((p for p in self.policies.values() if p["PolicyArn"] == arn), None)
                if policy is None:
                    return 404, {"__type": "ResourceNotFoundException", "Message": f"Resource {arn} not found", "Code": "ResourceNotFoundException"}
                if method == "GET":
                    return 200, {"Tags": policy["Tags"]}
                if method == "POST":
                    policy["Tags"].update(data.get("Tags") or {})
                    return 200, {}
                if method == "DELETE":
                    for key in parse_qs(query).get("tagKeys", []):
                        policy["Tags"].pop(key, None)
                    return 200, {}
        return 400, {"__type": "ValidationException", "Message": f"{method} {path} is not part of the DLM stand-in"}


def with_stand_ins(app: Callable) -> Callable:
    """Wraps moto's WSGI application: DLM requests (by the signing scope) go to the stand-in."""
    install_monitoring()
    install_cloudwatch_json()
    install_step_execution()
    dlm = DataLifecycleManager()

    def wsgi(environ: dict, start_response: Callable) -> Any:
        scope = _SCOPE.search(environ.get("HTTP_AUTHORIZATION", ""))
        if scope and scope.group(2) == "dlm":
            length = int(environ.get("CONTENT_LENGTH") or 0)
            body = environ["wsgi.input"].read(length) if length else b""
            status, payload = dlm.handle(environ["REQUEST_METHOD"], environ.get("PATH_INFO", "/"), environ.get("QUERY_STRING", ""), body, scope.group(1))
            out = json.dumps(payload).encode()
            headers = [("Content-Type", "application/json"), ("Content-Length", str(len(out))), ("x-amzn-RequestId", str(uuid.uuid4()))]
            if status >= 400:
                headers.append(("x-amzn-ErrorType", payload["__type"]))
            start_response(f"{status} {'OK' if status < 400 else 'Error'}", headers)
            return [out]
        return app(environ, start_response)

    return wsgi
