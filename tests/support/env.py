"""The environment every in-process test runs with: fake AWS credentials, the test
stage (which allows a fixed clock), and no tracing."""

import os

TEST_ENV = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_SESSION_TOKEN": "testing",
    "AWS_REGION": "us-west-2",
    "AWS_DEFAULT_REGION": "us-west-2",
    "TABLE_NAME": "dual-credit-test",
    # The template's `${AWS::StackName}-grade-files-${AWS::AccountId}` as built locally
    # (devstack.names.GRADE_FILES_BUCKET), which the local IAM check resolves its grants to.
    "GRADE_FILES_BUCKET": "dual-credit-local-grade-files-123456789012",
    # The template's `EMAIL_TEMPLATE_PREFIX: !Ref AWS::StackName` as built locally
    # (devstack.names.STACK_NAME), so the SES template grants resolve as they do in make dev.
    "EMAIL_TEMPLATE_PREFIX": "dual-credit-local",
    "STAGE": "test",
    "EMAIL_SENDER": "no-reply@pnwcollegecredit.org",
    "APP_BASE_URL": "https://app.test",
    "POWERTOOLS_TRACE_DISABLED": "true",
    "POWERTOOLS_SERVICE_NAME": "dual-credit",
    "POWERTOOLS_METRICS_NAMESPACE": "DualCredit",
    "POWERTOOLS_DEV": "false",
}


def apply() -> None:
    for name, value in TEST_ENV.items():
        os.environ[name] = value
    os.environ.pop("AWS_ENDPOINT_URL", None)
    os.environ.pop("CLOCK_OVERRIDE", None)


STRIPE_SECRET_KEY_PARAMETER = "/dual-credit/test/stripe/secret-key"
STRIPE_WEBHOOK_SECRET_PARAMETER = "/dual-credit/test/stripe/webhook-secret"
TEST_ENV["STRIPE_SECRET_KEY_PARAMETER"] = STRIPE_SECRET_KEY_PARAMETER
TEST_ENV["STRIPE_WEBHOOK_SECRET_PARAMETER"] = STRIPE_WEBHOOK_SECRET_PARAMETER
