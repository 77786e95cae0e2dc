"""Non-negotiables of infra/template.yaml, checked by reading the template.

No AWS and no SAM CLI needed; `make test` also runs scripts/sam-check.sh
(`sam validate --lint` and `sam build`).
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from devstack.template import load_template

REPO = Path(__file__).resolve().parents[2]
TEMPLATE_PATH = REPO / "infra" / "template.yaml"

PUBLIC_ROUTES = {
    ("POST", "/pay/lookup"),
    ("POST", "/pay/checkout"),
    ("POST", "/pay/checkout/{session_id}/fulfil"),  # the session's id is the proof
    ("POST", "/stripe/webhook"),  # Stripe's webhook authenticates by signature
    ("GET", "/schools"),
    ("GET", "/schools/{school_id}/offerings"),
    ("GET", "/window"),
    ("GET", "/program"),  # the fee, what it covers, the grade rule, the payee
    ("POST", "/sers-id/recovery"),
    ("POST", "/guardian-copies/stop"),  # the emailed link's unguessable token is the proof
}

AUTHORIZED_ROUTES = {
    ("POST", "/students/me"),
    ("GET", "/students/me"),
    ("PATCH", "/students/me"),
    ("GET", "/students/me/dashboard"),
    ("POST", "/students/me/registrations"),
    ("GET", "/schools/{school_id}/roster"),
    ("POST", "/schools"),
    ("PATCH", "/schools/{school_id}"),
    ("GET", "/college-courses"),
    ("POST", "/college-courses"),
    ("POST", "/offerings"),
    ("PATCH", "/offerings/{offering_id}"),
    ("POST", "/school-users"),
    ("GET", "/schools/{school_id}/users"),
    ("GET", "/windows/{school_year}"),
    ("PUT", "/windows/{school_year}"),
    ("GET", "/students"),
    ("GET", "/students/{student_id}"),
    ("GET", "/reminders/preview"),
    ("GET", "/reminders/history"),
    ("POST", "/schools/{school_id}/grade-files"),
    ("GET", "/schools/{school_id}/grade-files/{import_id}"),
    ("GET", "/schools/{school_id}/grade-files/{import_id}/report"),
}


@pytest.fixture(scope="module")
def raw() -> str:
    return TEMPLATE_PATH.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def template(raw: str) -> dict[str, Any]:
    doc = load_template()
    assert isinstance(doc, dict)
    return doc


@pytest.fixture(scope="module")
def resources(template: dict[str, Any]) -> dict[str, Any]:
    return template["Resources"]


def _of_type(resources: dict[str, Any], cfn_type: str) -> dict[str, dict[str, Any]]:
    return {name: r for name, r in resources.items() if r["Type"] == cfn_type}


def _api_routes(resources: dict[str, Any]) -> list[tuple[str, str, str, dict[str, Any]]]:
    """(method, path, function logical id, event properties) of every Api event."""
    routes = []
    for fname, fn in _of_type(resources, "AWS::Serverless::Function").items():
        for event in (fn["Properties"].get("Events") or {}).values():
            if event["Type"] == "Api":
                props = event["Properties"]
                routes.append((props["Method"].upper(), props["Path"], fname, props))
    return routes


def _is_ref(value: Any, target: str) -> bool:
    return value == {"Ref": target}


# ------------------------------------------------------------------ basics


def test_sam_transform(template: dict[str, Any]) -> None:
    assert template["Transform"] == "AWS::Serverless-2016-10-31"


def test_parameters_and_defaults(template: dict[str, Any]) -> None:
    params = template["Parameters"]
    assert params["Stage"]["Default"] == "prod"
    assert params["EmailSender"]["Default"] == "no-reply@pnwcollegecredit.org"
    assert params["AppBaseUrl"]["Default"] == "https://pnwcollegecredit.org"
    assert params["SersPrefix"]["Default"] == "TP3"
    assert params["LogRetentionDays"]["Default"] == 90


def test_globals_runtime_and_environment(template: dict[str, Any]) -> None:
    fn = template["Globals"]["Function"]
    assert fn["Runtime"] == "python3.13"
    assert fn["Architectures"] == ["arm64"]
    assert fn["Tracing"] == "Active"
    assert _is_ref(fn["Layers"][0], "SharedLayer")
    env = fn["Environment"]["Variables"]
    assert _is_ref(env["TABLE_NAME"], "Table")
    assert _is_ref(env["USER_POOL_ID"], "UserPool")
    assert _is_ref(env["INVITED_USER_POOL_ID"], "InvitedUserPool")
    for key in (
        "POWERTOOLS_SERVICE_NAME",
        "POWERTOOLS_METRICS_NAMESPACE",
        "POWERTOOLS_LOG_LEVEL",
        "STAGE",
        "EMAIL_SENDER",
        "APP_BASE_URL",
        "SERS_PREFIX",
    ):
        assert key in env


def test_no_function_overrides_runtime(resources: dict[str, Any]) -> None:
    for name, fn in _of_type(resources, "AWS::Serverless::Function").items():
        assert fn["Properties"].get("Runtime", "python3.13") == "python3.13", name
    layer = resources["SharedLayer"]
    assert layer["Properties"]["CompatibleRuntimes"] == ["python3.13"]
    # Built by infra/build/Makefile for the runtime's Python (wheels and bytecode).
    assert layer["Metadata"]["BuildMethod"] == "makefile"
    assert layer["Metadata"]["BuildArchitecture"] == "arm64"
    makefile = (Path(__file__).parents[2] / "infra" / "build" / "Makefile").read_text()
    assert "PYTHON_VERSION := 3.13\n" in makefile
    assert "LAYER_ARCH ?= aarch64\n" in makefile


def test_the_api_and_the_webhook_publish_snapstart_versions_behind_an_alias(
    resources: dict[str, Any],
) -> None:
    # Given the SnapStart parameter, on by default
    for name in ("ApiFunction", "StripeWebhookFunction"):
        props = resources[name]["Properties"]
        # Then each publishes versions behind the alias API Gateway invokes
        assert props["AutoPublishAlias"] == "live"
        assert props["SnapStart"] == {
            "ApplyOn": {"Fn::If": ["SnapStartOn", "PublishedVersions", "None"]}
        }


def test_no_literal_secrets(raw: str) -> None:
    for pattern in (r"sk_live", r"sk_test", r"rk_live", r"rk_test", r"whsec_"):
        assert not re.search(pattern, raw), f"{pattern} found in template"


# ------------------------------------------------------------------ table


def test_table_non_negotiables(resources: dict[str, Any]) -> None:
    table = resources["Table"]
    assert table["Type"] == "AWS::DynamoDB::Table"
    assert table["DeletionPolicy"] == "Retain"
    assert table["UpdateReplacePolicy"] == "Retain"
    props = table["Properties"]
    assert props["BillingMode"] == "PAY_PER_REQUEST"
    assert props["PointInTimeRecoverySpecification"]["PointInTimeRecoveryEnabled"] is True
    assert props["SSESpecification"]["SSEEnabled"] is True
    assert props["DeletionProtectionEnabled"] is True
    assert props["TimeToLiveSpecification"] == {"AttributeName": "expires_at", "Enabled": True}


def test_table_keys_are_plain_literals(resources: dict[str, Any]) -> None:
    props = resources["Table"]["Properties"]
    assert props["KeySchema"] == [
        {"AttributeName": "PK", "KeyType": "HASH"},
        {"AttributeName": "SK", "KeyType": "RANGE"},
    ]
    assert {a["AttributeName"]: a["AttributeType"] for a in props["AttributeDefinitions"]} == {
        k: "S" for k in ("PK", "SK", "GSI1PK", "GSI1SK", "GSI2PK", "GSI2SK")
    }
    gsis = {g["IndexName"]: g for g in props["GlobalSecondaryIndexes"]}
    assert set(gsis) == {"GSI1", "GSI2"}
    for name, gsi in gsis.items():
        assert gsi["KeySchema"] == [
            {"AttributeName": f"{name}PK", "KeyType": "HASH"},
            {"AttributeName": f"{name}SK", "KeyType": "RANGE"},
        ]
        assert gsi["Projection"] == {"ProjectionType": "ALL"}
    # moto's create_table must accept these as they are: no intrinsics inside.
    assert "Ref" not in repr(props["KeySchema"]) + repr(props["GlobalSecondaryIndexes"])


# ------------------------------------------------------------------ logs


def test_every_function_has_a_log_group_with_retention(resources: dict[str, Any]) -> None:
    functions = _of_type(resources, "AWS::Serverless::Function")
    assert functions
    for name, fn in functions.items():
        ref = fn["Properties"]["LoggingConfig"]["LogGroup"]
        assert isinstance(ref, dict) and "Ref" in ref, name
        group = resources[ref["Ref"]]
        assert group["Type"] == "AWS::Logs::LogGroup", name
        assert _is_ref(group["Properties"]["RetentionInDays"], "LogRetentionDays"), name


def test_every_log_group_has_retention(resources: dict[str, Any]) -> None:
    for name, group in _of_type(resources, "AWS::Logs::LogGroup").items():
        assert group["Properties"].get("RetentionInDays"), name


def test_api_access_logs_go_to_a_retained_group(resources: dict[str, Any]) -> None:
    setting = resources["Api"]["Properties"]["AccessLogSetting"]
    target = setting["DestinationArn"]["Fn::GetAtt"][0]
    assert resources[target]["Type"] == "AWS::Logs::LogGroup"
    assert resources[target]["Properties"]["RetentionInDays"]


# ------------------------------------------------------------------ API


def test_api_uses_cognito_by_default(resources: dict[str, Any]) -> None:
    props = resources["Api"]["Properties"]
    auth = props["Auth"]
    assert auth["DefaultAuthorizer"] == "CognitoAuthorizer"
    assert auth["AddDefaultAuthorizerToCorsPreflight"] is False
    # Students' tokens and invited accounts' (staff, school users) both pass.
    assert auth["Authorizers"]["CognitoAuthorizer"]["UserPoolArn"] == [
        {"Fn::GetAtt": ["UserPool", "Arn"]},
        {"Fn::GetAtt": ["InvitedUserPool", "Arn"]},
    ]
    assert _is_ref(props["StageName"], "Stage")
    assert props["TracingEnabled"] is True
    for response in ("DEFAULT_4XX", "DEFAULT_5XX"):
        headers = props["GatewayResponses"][response]["ResponseParameters"]["Headers"]
        assert "Access-Control-Allow-Origin" in headers
    throttle = props["MethodSettings"][0]
    assert throttle["ThrottlingRateLimit"] > 0 and throttle["ThrottlingBurstLimit"] > 0


def test_api_events_target_the_api(resources: dict[str, Any]) -> None:
    routes = _api_routes(resources)
    assert routes
    seen = set()
    for method, path, fname, props in routes:
        assert _is_ref(props["RestApiId"], "Api"), (method, path, fname)
        assert (method, path) not in seen, f"duplicate route {method} {path}"
        seen.add((method, path))


def test_public_routes_are_exactly_the_public_list(resources: dict[str, Any]) -> None:
    public = {
        (method, path)
        for method, path, _, props in _api_routes(resources)
        if (props.get("Auth") or {}).get("Authorizer") == "NONE"
    }
    assert public == PUBLIC_ROUTES


def test_authorized_routes_exist_and_use_the_default_authorizer(
    resources: dict[str, Any],
) -> None:
    by_route = {(m, p): props for m, p, _, props in _api_routes(resources)}
    missing = AUTHORIZED_ROUTES - set(by_route)
    assert not missing, f"routes missing from the template: {sorted(missing)}"
    for route in AUTHORIZED_ROUTES:
        authorizer = (by_route[route].get("Auth") or {}).get("Authorizer", "CognitoAuthorizer")
        assert authorizer == "CognitoAuthorizer", route


# ------------------------------------------------------------------ Cognito


def test_user_pool(resources: dict[str, Any]) -> None:
    pool = resources["UserPool"]["Properties"]
    assert pool["UsernameAttributes"] == ["email"]
    assert pool["AutoVerifiedAttributes"] == ["email"]
    assert pool["Policies"]["PasswordPolicy"]["MinimumLength"] >= 10
    assert pool["DeletionProtection"] == "ACTIVE"
    assert pool["AdminCreateUserConfig"]["AllowAdminCreateUserOnly"] is False
    custom = {a["Name"]: a for a in pool["Schema"]}
    assert custom["school_id"]["AttributeDataType"] == "String"
    assert custom["school_id"]["Mutable"] is True
    # Nobody in the students' pool is staff, a school user or a college registrar: the
    # groups are the invited pool's (TOTP required at every sign-in).
    groups = {
        r["Properties"]["GroupName"]: r["Properties"]["UserPoolId"]
        for r in _of_type(resources, "AWS::Cognito::UserPoolGroup").values()
    }
    assert groups == {
        "staff": {"Ref": "InvitedUserPool"},
        "school": {"Ref": "InvitedUserPool"},
        "college": {"Ref": "InvitedUserPool"},
    }


def test_invited_accounts_have_their_own_pool_with_totp_required(
    resources: dict[str, Any],
) -> None:
    pool = resources["InvitedUserPool"]["Properties"]
    assert pool["AdminCreateUserConfig"]["AllowAdminCreateUserOnly"] is True  # no sign-up
    assert pool["MfaConfiguration"] == "ON"
    assert pool["EnabledMfas"] == ["SOFTWARE_TOKEN_MFA"]
    assert pool["UserPoolAddOns"]["AdvancedSecurityMode"] == "ENFORCED"
    assert pool["UserPoolTier"] == "PLUS"  # threat protection needs it
    assert pool["DeletionProtection"] == "ACTIVE"
    assert pool["Policies"]["PasswordPolicy"]["MinimumLength"] >= 12
    client = resources["InvitedUserPoolClient"]["Properties"]
    students = resources["UserPoolClient"]["Properties"]
    assert client["UserPoolId"] == {"Ref": "InvitedUserPool"}
    assert client["TokenValidityUnits"]["RefreshToken"] == "hours"
    assert client["RefreshTokenValidity"] <= 12  # students keep Cognito's 30 days
    assert "RefreshTokenValidity" not in students
    assert "custom:school_id" not in client["WriteAttributes"]
    assert client["PreventUserExistenceErrors"] == "ENABLED"
    grants = resources["ApiFunction"]["Properties"]["Policies"][0]["Statement"]
    (users,) = [g for g in grants if g.get("Sid") == "ManageSchoolUsers"]
    assert users["Resource"] == {"Fn::GetAtt": ["InvitedUserPool", "Arn"]}


def test_client_cannot_write_school_id(resources: dict[str, Any]) -> None:
    client = resources["UserPoolClient"]["Properties"]
    assert client["GenerateSecret"] is False
    assert client["PreventUserExistenceErrors"] == "ENABLED"
    assert "custom:school_id" in client["ReadAttributes"]
    assert "custom:school_id" not in client["WriteAttributes"]
    assert set(client["WriteAttributes"]) <= {"email", "given_name", "family_name"}


# ------------------------------------------------------------------ IAM


def _statements(fn: dict[str, Any]) -> list[dict[str, Any]]:
    out = []
    for policy in fn["Properties"].get("Policies") or []:
        assert isinstance(policy, dict) and "Statement" in policy, (
            "policies must be explicit statements"
        )
        out.extend(policy["Statement"])
    return out


#: Functions that may delete only items whose partition key matches these patterns.
_DELETES_ONLY = {
    "ApiFunction": ["IDENTITY#*", "IDEMPOTENCY#*"],
    "ScheduledFunction": ["IDEMPOTENCY#*"],
}


def test_function_policies_are_least_privilege(resources: dict[str, Any]) -> None:
    for name, fn in _of_type(resources, "AWS::Serverless::Function").items():
        for stmt in _statements(fn):
            actions = stmt["Action"] if isinstance(stmt["Action"], list) else [stmt["Action"]]
            for action in actions:
                assert "*" not in action, (name, action)
                assert action != "dynamodb:Scan", (name, action)
                # DeleteItem only under key prefixes: Powertools idempotency releases a
                # failed event's in-progress record; the API also moves identity claims.
                if action == "dynamodb:DeleteItem":
                    assert actions == ["dynamodb:DeleteItem"], stmt
                    prefixes = stmt["Condition"]["ForAllValues:StringLike"]["dynamodb:LeadingKeys"]
                    assert prefixes and all(
                        p.endswith("#*") and p[:-2].isupper() for p in prefixes
                    ), stmt
            # SES's template actions take no resource ARN (SAM's own
            # SESEmailTemplateCrudPolicy grants them on "*"); nothing else may.
            if set(actions) <= {"ses:CreateTemplate", "ses:UpdateTemplate"}:
                assert name == "ScheduledFunction", name
            else:
                assert stmt.get("Resource") not in ("*", ["*"]), (name, stmt)
            if "ses:SendEmail" in actions or "ses:SendBulkTemplatedEmail" in actions:
                assert _is_ref(
                    stmt["Condition"]["StringEquals"]["ses:FromAddress"], "EmailSender"
                ), name


# ------------------------------------------------------------------ schedules and reminders


def _schedules(resources: dict[str, Any]) -> dict[str, dict[str, Any]]:
    events = resources["ScheduledFunction"]["Properties"]["Events"]
    return {name: e["Properties"] for name, e in events.items() if e["Type"] == "ScheduleV2"}


def test_schedules_run_in_pacific_time(resources: dict[str, Any]) -> None:
    schedules = _schedules(resources)
    assert {(s["ScheduleExpression"], s["Input"].replace(" ", "")) for s in schedules.values()} == {
        ("cron(0 0 1 12 ? *)", '{"action":"open"}'),
        ("cron(5 0 16-30 6 ? *)", '{"action":"close"}'),
        ("cron(5 0 1 7 ? *)", '{"action":"close"}'),
        ("cron(0 9 * 5,6 ? *)", '{"action":"remind"}'),
        ("cron(30 3 * * ? *)", '{"action":"reconcile"}'),
        ("cron(0 8 * 5,6 ? *)", '{"action":"grading_remind"}'),
    }
    for name, schedule in schedules.items():
        assert schedule["ScheduleExpressionTimezone"] == "America/Los_Angeles", name
        assert schedule["RetryPolicy"]["MaximumRetryAttempts"] >= 1, name
        assert schedule["DeadLetterConfig"]["Arn"] == {
            "Fn::GetAtt": ["ScheduleDeadLetterQueue", "Arn"]
        }


def test_the_reconciliation_window_parameter_accepts_what_the_rules_accept(
    template: dict[str, Any],
) -> None:
    from dualcredit import rules

    days = template["Parameters"]["ReconciliationDays"]
    assert (days["MinValue"], days["MaxValue"]) == (1, rules.MAX_RECONCILIATION_DAYS)
    assert days["Default"] == rules.DEFAULT_RECONCILIATION_DAYS
    env = template["Resources"]["ScheduledFunction"]["Properties"]["Environment"]["Variables"]
    assert _is_ref(env["RECONCILIATION_DAYS"], "ReconciliationDays")


def test_scheduled_function_fans_out_to_the_reminder_queue(resources: dict[str, Any]) -> None:
    fn = resources["ScheduledFunction"]["Properties"]
    assert _is_ref(fn["Environment"]["Variables"]["REMINDER_QUEUE_URL"], "ReminderQueue")
    assert fn["DeadLetterQueue"]["TargetArn"] == {"Fn::GetAtt": ["ScheduleDeadLetterQueue", "Arn"]}
    sends = [
        s for s in _statements(resources["ScheduledFunction"]) if "sqs:SendMessage" in s["Action"]
    ]
    assert sends and sends[0]["Resource"] == {"Fn::GetAtt": ["ReminderQueue", "Arn"]}


def test_reminder_queue_retries_then_dead_letters(resources: dict[str, Any]) -> None:
    queue = resources["ReminderQueue"]["Properties"]
    sender = resources["ReminderSenderFunction"]["Properties"]
    assert queue["VisibilityTimeout"] >= 6 * sender["Timeout"]
    assert queue["RedrivePolicy"] == {
        "deadLetterTargetArn": {"Fn::GetAtt": ["ReminderDeadLetterQueue", "Arn"]},
        "maxReceiveCount": 5,
    }
    event = sender["Events"]["Reminders"]
    assert event["Type"] == "SQS"
    assert event["Properties"]["Queue"] == {"Fn::GetAtt": ["ReminderQueue", "Arn"]}
    # One SES bulk send per batch (dal/mailer.py), gathered over a batching window
    from dualcredit.dal import mailer

    assert event["Properties"]["BatchSize"] == mailer.BULK_LIMIT
    assert event["Properties"]["MaximumBatchingWindowInSeconds"] >= 1
    assert event["Properties"]["FunctionResponseTypes"] == ["ReportBatchItemFailures"]


def test_the_claim_lease_fits_between_the_sender_timeout_and_the_visibility_timeout(
    resources: dict[str, Any],
) -> None:
    # A live sender never loses its claim; a redelivered message finds the lease run out.
    from dualcredit.logic.reminders.sending import LEASE

    timeout = resources["ReminderSenderFunction"]["Properties"]["Timeout"]
    visibility = resources["ReminderQueue"]["Properties"]["VisibilityTimeout"]
    assert timeout < LEASE.total_seconds() < visibility


def test_reminder_days_parameter_accepts_what_the_rules_accept(template: dict[str, Any]) -> None:
    from dualcredit import rules

    param = template["Parameters"]["ReminderDays"]
    assert rules.parse_reminder_days(param["Default"]) == rules.DEFAULT_REMINDER_DAYS
    for text in ("30,14,7,3,1", "45", "1"):
        assert re.fullmatch(param["AllowedPattern"], text), text
        rules.parse_reminder_days(text)
    for text in ("46", "0", "7,,1", "7, 1", ""):
        assert not re.fullmatch(param["AllowedPattern"], text), text
    assert _is_ref(
        template["Globals"]["Function"]["Environment"]["Variables"]["REMINDER_DAYS"], "ReminderDays"
    )


def test_grading_reminder_days_parameter_accepts_what_the_rules_accept(
    template: dict[str, Any],
) -> None:
    from dualcredit import rules

    param = template["Parameters"]["GradingReminderDays"]
    assert rules.parse_reminder_days(param["Default"]) == rules.DEFAULT_GRADING_REMINDER_DAYS
    assert param["AllowedPattern"] == template["Parameters"]["ReminderDays"]["AllowedPattern"]
    variables = template["Globals"]["Function"]["Environment"]["Variables"]
    assert _is_ref(variables["GRADING_REMINDER_DAYS"], "GradingReminderDays")


def test_every_queue_is_encrypted(resources: dict[str, Any]) -> None:
    queues = _of_type(resources, "AWS::SQS::Queue")
    assert {"ReminderQueue", "ReminderDeadLetterQueue", "ScheduleDeadLetterQueue"} <= set(queues)
    for name, queue in queues.items():
        assert queue["Properties"].get("SqsManagedSseEnabled") is True, name


# ------------------------------------------------------------------ static site

CACHING_OPTIMIZED = "658327ea-f89d-4fab-a63d-7e88639e58f6"
DEPLOY_SITE = REPO / "scripts" / "deploy-site.sh"


def test_site_bucket_is_private_encrypted_and_retained(resources: dict[str, Any]) -> None:
    bucket = resources["SiteBucket"]
    assert bucket["Type"] == "AWS::S3::Bucket"
    assert bucket["DeletionPolicy"] == "Retain"
    assert bucket["UpdateReplacePolicy"] == "Retain"
    props = bucket["Properties"]
    assert props["PublicAccessBlockConfiguration"] == {
        "BlockPublicAcls": True,
        "BlockPublicPolicy": True,
        "IgnorePublicAcls": True,
        "RestrictPublicBuckets": True,
    }
    assert props["OwnershipControls"] == {"Rules": [{"ObjectOwnership": "BucketOwnerEnforced"}]}
    assert props["BucketEncryption"]["ServerSideEncryptionConfiguration"] == [
        {"ServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}}
    ]
    assert props["VersioningConfiguration"] == {"Status": "Enabled"}
    # No website hosting and no ACLs: CloudFront is the only way in.
    assert "WebsiteConfiguration" not in props
    assert "AccessControl" not in props


GRADE_FILES_NAME = {"Fn::Sub": "${AWS::StackName}-grade-files-${AWS::AccountId}"}


def test_grade_files_bucket_is_private_encrypted_tls_only_and_expires_its_files(
    resources: dict[str, Any],
) -> None:
    bucket = resources["GradeFilesBucket"]
    props = bucket["Properties"]
    assert props["BucketName"] == GRADE_FILES_NAME
    assert all(props["PublicAccessBlockConfiguration"].values())
    assert len(props["PublicAccessBlockConfiguration"]) == 4
    assert props["OwnershipControls"] == {"Rules": [{"ObjectOwnership": "BucketOwnerEnforced"}]}
    assert props["BucketEncryption"]["ServerSideEncryptionConfiguration"] == [
        {"ServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}}
    ]
    # Uploads and reports are working copies: each prefix expires
    expiring = {
        r["Prefix"]: r["ExpirationInDays"] for r in props["LifecycleConfiguration"]["Rules"]
    }
    assert set(expiring) == {"imports/", "reports/"} and max(expiring.values()) <= 30
    # The school's page posts from the site's origin, and nothing else is allowed
    (cors,) = props["CorsConfiguration"]["CorsRules"]
    assert cors["AllowedMethods"] == ["POST"] and cors["AllowedOrigins"] == [
        {"Ref": "AllowedOrigin"}
    ]
    policy = resources["GradeFilesBucketPolicy"]["Properties"]
    assert _is_ref(policy["Bucket"], "GradeFilesBucket")
    (deny,) = policy["PolicyDocument"]["Statement"]
    assert deny["Effect"] == "Deny" and deny["Principal"] == "*" and deny["Action"] == "s3:*"
    assert deny["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}


def test_grade_files_bucket_events_run_the_grade_import_function(
    resources: dict[str, Any],
) -> None:
    function = resources["GradeImportFunction"]["Properties"]
    events = [e["Properties"] for e in function["Events"].values() if e["Type"] == "S3"]
    assert events == [
        {
            "Bucket": {"Ref": "GradeFilesBucket"},
            "Events": "s3:ObjectCreated:*",
            "Filter": {
                "S3Key": {
                    "Rules": [
                        {"Name": "prefix", "Value": "imports/"},
                        {"Name": "suffix", "Value": ".csv"},
                    ]
                }
            },
        }
    ]
    # The function is told the bucket by the name the bucket is given (a !Ref would be a
    # circular dependency: the bucket's notification names the function)
    assert function["Environment"]["Variables"]["GRADE_FILES_BUCKET"] == GRADE_FILES_NAME
    # A retry would find the import claimed: none
    assert function["EventInvokeConfig"]["MaximumRetryAttempts"] == 0
    # It reads uploads and writes reports, each under its own prefix only
    s3 = {
        statement["Sid"]: statement
        for policy in function["Policies"]
        for statement in policy["Statement"]
        if any(a.startswith("s3:") for a in statement["Action"])
    }
    resources_granted = {s["Resource"]["Fn::Sub"] for s in s3.values()}
    bucket_arn = "arn:${AWS::Partition}:s3:::${AWS::StackName}-grade-files-${AWS::AccountId}"
    assert resources_granted == {f"{bucket_arn}/imports/*", f"{bucket_arn}/reports/*"}
    for statement in s3.values():
        assert sorted(statement["Action"]) == ["s3:GetObject", "s3:PutObject"]


def test_site_distribution_uses_oac_and_redirects_to_https(resources: dict[str, Any]) -> None:
    oac = resources["SiteOriginAccessControl"]
    assert oac["Type"] == "AWS::CloudFront::OriginAccessControl"
    oac_config = oac["Properties"]["OriginAccessControlConfig"]
    assert oac_config["OriginAccessControlOriginType"] == "s3"
    assert oac_config["SigningBehavior"] == "always"
    assert oac_config["SigningProtocol"] == "sigv4"

    dist = resources["SiteDistribution"]
    assert dist["Type"] == "AWS::CloudFront::Distribution"
    config = dist["Properties"]["DistributionConfig"]
    assert config["Enabled"] is True
    assert config["DefaultRootObject"] == "index.html"
    assert config["HttpVersion"] == "http2and3"
    assert config["PriceClass"] == "PriceClass_100"
    [origin] = config["Origins"]
    assert origin["DomainName"] == {"Fn::GetAtt": ["SiteBucket", "RegionalDomainName"]}
    assert origin["OriginAccessControlId"] == {"Fn::GetAtt": ["SiteOriginAccessControl", "Id"]}
    # OAC, not the legacy origin access identity.
    assert origin["S3OriginConfig"] == {"OriginAccessIdentity": ""}

    behavior = config["DefaultCacheBehavior"]
    assert behavior["TargetOriginId"] == origin["Id"]
    assert behavior["ViewerProtocolPolicy"] == "redirect-to-https"
    assert behavior["CachePolicyId"] == CACHING_OPTIMIZED
    # The site's own security headers (tests/integration/test_template_operations.py).
    assert behavior["ResponseHeadersPolicyId"] == {"Ref": "SiteResponseHeadersPolicy"}
    assert set(behavior.get("AllowedMethods", ["GET", "HEAD"])) == {"GET", "HEAD"}
    assert "CacheBehaviors" not in config
    # Separate pages, not a single-page app: errors are never answered with /index.html.
    for error in config.get("CustomErrorResponses", []):
        assert "ResponsePagePath" not in error, error


def test_site_bucket_policy_grants_only_this_distribution(resources: dict[str, Any]) -> None:
    policy = resources["SiteBucketPolicy"]
    assert policy["Type"] == "AWS::S3::BucketPolicy"
    assert _is_ref(policy["Properties"]["Bucket"], "SiteBucket")
    statements = policy["Properties"]["PolicyDocument"]["Statement"]
    allows = [s for s in statements if s["Effect"] == "Allow"]
    assert len(allows) == 1
    [allow] = allows
    assert allow["Principal"] == {"Service": "cloudfront.amazonaws.com"}
    assert allow["Action"] in ("s3:GetObject", ["s3:GetObject"])
    assert allow["Resource"] == {"Fn::Sub": "${SiteBucket.Arn}/*"}
    assert allow["Condition"] == {
        "StringEquals": {
            "AWS:SourceArn": {
                "Fn::Sub": (
                    "arn:${AWS::Partition}:cloudfront::${AWS::AccountId}"
                    ":distribution/${SiteDistribution}"
                )
            }
        }
    }
    # Anything else may only deny.
    for statement in statements:
        assert statement is allow or statement["Effect"] == "Deny", statement


def test_site_rewrite_function_serves_directory_pages(resources: dict[str, Any]) -> None:
    fn = resources["SiteRewriteFunction"]
    assert fn["Type"] == "AWS::CloudFront::Function"
    assert fn["Properties"]["AutoPublish"] is True
    assert fn["Properties"]["FunctionConfig"]["Runtime"] == "cloudfront-js-2.0"
    assert "function handler(event)" in fn["Properties"]["FunctionCode"]
    behavior = resources["SiteDistribution"]["Properties"]["DistributionConfig"][
        "DefaultCacheBehavior"
    ]
    assert behavior["FunctionAssociations"] == [
        {
            "EventType": "viewer-request",
            "FunctionARN": {"Fn::GetAtt": ["SiteRewriteFunction", "FunctionARN"]},
        }
    ]


REWRITES = {
    "/": "/index.html",
    "/dashboard": "/dashboard/index.html",  # Stripe's return: /dashboard?paid=1
    "/pay": "/pay/index.html",  # Stripe's return: /pay?paid=1
    "/staff/": "/staff/index.html",
    "/staff/student/": "/staff/student/index.html",
    "/staff/report": "/staff/report/index.html",
    "/index.html": "/index.html",
    "/js/page.js": "/js/page.js",
    "/css/site.css": "/css/site.css",
    "/config.json": "/config.json",
}


@pytest.mark.skipif(shutil.which("node") is None, reason="needs node to run the function")
def test_site_rewrite_function_rewrites(resources: dict[str, Any], tmp_path: Path) -> None:
    code = resources["SiteRewriteFunction"]["Properties"]["FunctionCode"]
    script = tmp_path / "rewrite.js"
    script.write_text(
        code
        + "\nconst uris = "
        + json.dumps(list(REWRITES))
        + ";\nconsole.log(JSON.stringify(uris.map((uri) => handler("
        + '{request: {method: "GET", uri, querystring: {paid: {value: "1"}}, headers: {}}}'
        + ").uri)));\n",
        encoding="utf-8",
    )
    node = shutil.which("node")
    assert node
    result = subprocess.run(  # noqa: S603 - our own script, no shell
        [node, str(script)], capture_output=True, text=True, check=True, timeout=30
    )
    assert dict(zip(REWRITES, json.loads(result.stdout), strict=True)) == REWRITES


def test_site_outputs(template: dict[str, Any]) -> None:
    outputs = template["Outputs"]
    assert outputs["SiteUrl"]["Value"] == {"Fn::Sub": "https://${SiteDistribution.DomainName}"}
    assert _is_ref(outputs["SiteBucketName"]["Value"], "SiteBucket")
    assert _is_ref(outputs["SiteDistributionId"]["Value"], "SiteDistribution")
    # Set to the site URL by the deployer after the first deploy.
    assert {"AppBaseUrl", "AllowedOrigin"} <= set(template["Parameters"])


def test_deploy_site_script_parses_and_reads_existing_outputs(template: dict[str, Any]) -> None:
    bash = shutil.which("bash")
    assert bash
    result = subprocess.run(  # noqa: S603 - our own script, no shell
        [bash, "-n", str(DEPLOY_SITE)], capture_output=True, text=True, timeout=30
    )
    assert result.returncode == 0, result.stderr
    text = DEPLOY_SITE.read_text(encoding="utf-8")
    assert text.startswith("#!/usr/bin/env bash\n")
    assert "set -euo pipefail" in text
    assert "aws s3 sync" in text and "--delete" in text
    assert "create-invalidation" in text
    for key in (
        "apiUrl",
        "cognitoEndpoint",
        "userPoolId",
        "clientId",
        "invitedUserPoolId",
        "invitedClientId",
        "region",
    ):
        assert f'"{key}"' in text, key
    used = set(re.findall(r"\$\(output \"?(\w+)", text))
    assert used >= {
        "ApiUrl",
        "UserPoolId",
        "UserPoolClientId",
        "InvitedUserPoolId",
        "InvitedUserPoolClientId",
        "SiteBucketName",
    }
    assert used <= set(template["Outputs"]), used - set(template["Outputs"])


# ------------------------------------------------------------------ SAM CLI
