"""The template's protections and alarms (issue 10), checked by reading it: who is told
when something fails, the per-IP limits, the site's security headers, Cognito's mail,
and the reason on every checkov skip. scripts/checkov.sh runs checkov itself in
`make test`."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from devstack.template import load_template

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def template() -> dict[str, Any]:
    return load_template()


@pytest.fixture(scope="module")
def resources(template: dict[str, Any]) -> dict[str, Any]:
    return template["Resources"]


def _of_type(resources: dict[str, Any], cfn_type: str) -> dict[str, dict[str, Any]]:
    return {name: r for name, r in resources.items() if r["Type"] == cfn_type}


def _alarms(resources: dict[str, Any]) -> list[dict[str, Any]]:
    return [a["Properties"] for a in _of_type(resources, "AWS::CloudWatch::Alarm").values()]


def _dimensions(alarm: dict[str, Any]) -> dict[str, Any]:
    return {d["Name"]: d["Value"] for d in alarm["Dimensions"]}


def _emitted_metrics() -> set[str]:
    """Every metric name the code adds (`add_metric(name="X", ...)`)."""
    names: set[str] = set()
    for path in [*(REPO / "shared").rglob("*.py"), *(REPO / "functions").rglob("*.py")]:
        if ".aws-sam" in path.parts:
            continue
        names |= set(re.findall(r'add_metric\(\s*name="(\w+)"', path.read_text(encoding="utf-8")))
    return names


# ------------------------------------------------------------------ alarms


def test_every_alarm_tells_the_alarm_topic_which_emails_the_alarm_address(
    resources: dict[str, Any],
) -> None:
    topic = resources["AlarmTopic"]["Properties"]
    assert topic["Subscription"] == [{"Protocol": "email", "Endpoint": {"Ref": "AlarmEmail"}}]
    alarms = _alarms(resources)
    assert alarms
    for alarm in alarms:
        assert alarm["AlarmActions"] == [{"Ref": "AlarmTopic"}], alarm["AlarmDescription"]
        assert alarm["TreatMissingData"] == "notBreaching"
        assert alarm["Threshold"] == 0 and alarm["ComparisonOperator"] == "GreaterThanThreshold"


def test_every_function_s_errors_are_alarmed(resources: dict[str, Any]) -> None:
    watched = {
        _dimensions(a)["FunctionName"]["Ref"]
        for a in _alarms(resources)
        if a["Namespace"] == "AWS/Lambda" and a["MetricName"] == "Errors"
    }
    assert watched == set(_of_type(resources, "AWS::Serverless::Function"))


def test_every_dead_letter_queue_s_depth_is_alarmed(resources: dict[str, Any]) -> None:
    # Given every queue something dead-letters into (a redrive policy or a function's or
    # a schedule's dead-letter config)
    text = repr(resources)
    queues = _of_type(resources, "AWS::SQS::Queue")
    dead_letter = {
        name for name in queues if f"'Fn::GetAtt': ['{name}', 'Arn']" in text and "Dead" in name
    }
    redriven = {
        q["Properties"]["RedrivePolicy"]["deadLetterTargetArn"]["Fn::GetAtt"][0]
        for q in queues.values()
        if "RedrivePolicy" in q["Properties"]
    }
    assert redriven <= dead_letter and len(dead_letter) == 2
    # Then each has an alarm on its visible messages
    watched = {
        _dimensions(a)["QueueName"]["Fn::GetAtt"][0]
        for a in _alarms(resources)
        if a["Namespace"] == "AWS/SQS"
    }
    assert watched == dead_letter
    for alarm in _alarms(resources):
        if alarm["Namespace"] == "AWS/SQS":
            assert alarm["MetricName"] == "ApproximateNumberOfMessagesVisible"
            assert alarm["Statistic"] == "Maximum"


def test_the_api_s_5xx_are_alarmed_under_the_api_s_own_name(resources: dict[str, Any]) -> None:
    (alarm,) = [a for a in _alarms(resources) if a["Namespace"] == "AWS/ApiGateway"]
    assert alarm["MetricName"] == "5XXError"
    dims = _dimensions(alarm)
    assert dims["ApiName"] == resources["Api"]["Properties"]["Name"]
    assert dims["Stage"] == {"Ref": "Stage"}


def test_the_app_s_failure_metrics_are_alarmed_as_the_code_emits_them(
    template: dict[str, Any], resources: dict[str, Any]
) -> None:
    env = template["Globals"]["Function"]["Environment"]["Variables"]
    custom = {
        a["MetricName"]: a for a in _alarms(resources) if a["Namespace"].startswith("DualCredit")
    }
    assert set(custom) == {"WebhookRefused", "EmailFailed", "ReminderUnmarked"}
    # A renamed metric, namespace or service would leave its alarm watching nothing.
    assert set(custom) <= _emitted_metrics()
    for alarm in custom.values():
        assert alarm["Namespace"] == env["POWERTOOLS_METRICS_NAMESPACE"]
        assert _dimensions(alarm) == {"service": env["POWERTOOLS_SERVICE_NAME"]}


def test_the_webhook_has_reserved_concurrency(resources: dict[str, Any]) -> None:
    props = resources["StripeWebhookFunction"]["Properties"]
    assert props["ReservedConcurrentExecutions"] == {"Ref": "WebhookConcurrency"}


# ------------------------------------------------------------------ WAF


def _rules(resources: dict[str, Any]) -> dict[str, dict[str, Any]]:
    acl = resources["WebAcl"]["Properties"]
    assert acl["Scope"] == "REGIONAL" and acl["DefaultAction"] == {"Allow": {}}
    return {rule["Name"]: rule for rule in acl["Rules"]}


def _searched(statement: Any) -> list[str]:
    found: list[str] = []
    if isinstance(statement, dict):
        for key, value in statement.items():
            if key == "SearchString":
                found.append(value)
            else:
                found += _searched(value)
    elif isinstance(statement, list):
        for item in statement:
            found += _searched(item)
    return found


def test_the_web_acl_guards_the_api_stage_and_the_user_pool(resources: dict[str, Any]) -> None:
    targets = [
        a["Properties"]["ResourceArn"]
        for a in _of_type(resources, "AWS::WAFv2::WebACLAssociation").values()
    ]
    assert {"Fn::GetAtt": ["UserPool", "Arn"]} in targets
    assert {"Fn::GetAtt": ["InvitedUserPool", "Arn"]} in targets
    (stage,) = [t for t in targets if "Fn::Sub" in t]
    assert stage["Fn::Sub"].endswith("::/restapis/${Api}/stages/${Api.Stage}")


def test_lookups_payments_by_sers_id_and_sign_ups_are_limited_tighter_per_ip(
    resources: dict[str, Any],
) -> None:
    rules = _rules(resources)
    tight = rules["LookupsAndSignUpsPerIp"]["Statement"]["RateBasedStatement"]
    every = rules["AllRequestsPerIp"]["Statement"]["RateBasedStatement"]
    assert tight["AggregateKeyType"] == every["AggregateKeyType"] == "IP"
    assert tight["Limit"] < every["Limit"]
    searched = set(_searched(tight["ScopeDownStatement"]))
    for route in ("/sers-id/recovery", "/pay/lookup", "/pay/checkout", "/students/me"):
        assert route in searched
    for call in ("SignUp", "InitiateAuth", "ForgotPassword"):
        assert f"AWSCognitoIdentityProviderService.{call}" in searched
    # Stripe's retries of a backlog come from a few addresses: never rate-limited.
    assert _searched(every["ScopeDownStatement"]["NotStatement"]) == ["/stripe/webhook"]
    for rule in rules.values():
        assert rule.get("Action") in ({"Block": {}}, None)


def test_the_tight_limit_s_paths_are_routes_of_the_api(resources: dict[str, Any]) -> None:
    paths = {
        event["Properties"]["Path"]
        for fn in _of_type(resources, "AWS::Serverless::Function").values()
        for event in (fn["Properties"].get("Events") or {}).values()
        if event["Type"] == "Api"
    }
    tight = _rules(resources)["LookupsAndSignUpsPerIp"]["Statement"]["RateBasedStatement"]
    for searched in _searched(tight["ScopeDownStatement"]):
        if searched.startswith("/"):
            assert searched in paths, searched


# ------------------------------------------------------------------ the site's headers


def test_the_site_sends_a_content_security_policy_that_allows_only_its_own_scripts(
    resources: dict[str, Any],
) -> None:
    behaviour = resources["SiteDistribution"]["Properties"]["DistributionConfig"][
        "DefaultCacheBehavior"
    ]
    assert behaviour["ResponseHeadersPolicyId"] == {"Ref": "SiteResponseHeadersPolicy"}
    config = resources["SiteResponseHeadersPolicy"]["Properties"]["ResponseHeadersPolicyConfig"]
    policy, origins = config["SecurityHeadersConfig"]["ContentSecurityPolicy"][
        "ContentSecurityPolicy"
    ]["Fn::Sub"]
    directives = dict(d.strip().split(" ", 1) for d in policy.split(";"))
    assert directives["default-src"] == "'none'"
    assert directives["script-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    assert "unsafe" not in policy
    # The API, Cognito, and the grade-files bucket the school's page posts large files to.
    assert set(origins) == {"ApiOrigin", "CognitoOrigin", "GradeFilesOrigin"}
    custom = {h["Header"]: h["Value"] for h in config["CustomHeadersConfig"]["Items"]}
    assert "camera=()" in custom["Permissions-Policy"]
    assert config["SecurityHeadersConfig"]["FrameOptions"]["FrameOption"] == "DENY"


# ------------------------------------------------------------------ Cognito


def test_cognito_mails_from_the_program_s_sender_and_verifies_an_email_change(
    resources: dict[str, Any],
) -> None:
    pool = resources["UserPool"]["Properties"]
    assert pool["UserAttributeUpdateSettings"] == {
        "AttributesRequireVerificationBeforeUpdate": ["email"]
    }
    mail = pool["EmailConfiguration"]
    assert mail["EmailSendingAccount"] == "DEVELOPER"
    assert mail["SourceArn"]["Fn::Sub"].endswith(":identity/${EmailSender}")
    assert "${EmailSender}" in mail["From"]["Fn::Sub"]
    assert "{####}" in pool["VerificationMessageTemplate"]["EmailMessage"]
    invite = pool["AdminCreateUserConfig"]["InviteMessageTemplate"]["EmailMessage"]
    assert "{username}" in invite and "{####}" in invite


# ------------------------------------------------------------------ checkov


def test_every_checkov_skip_carries_its_reason(resources: dict[str, Any]) -> None:
    skipped = 0
    for name, resource in resources.items():
        for skip in ((resource.get("Metadata") or {}).get("checkov") or {}).get("skip", []):
            assert re.fullmatch(r"CKV_AWS_\d+", skip["id"]), (name, skip)
            assert len(skip.get("comment", "")) > 20, (name, skip)
            skipped += 1
    assert skipped > 0
