"""What the local stack calls its resources and the settings it hands the handlers: the
region, stage, table, user pool and client, the stack name the template's names use,
and the addresses the app sends from and to."""

REGION = "us-west-2"
TABLE_NAME = "dual-credit-local"
STAGE = "local"
EMAIL_SENDER = "no-reply@pnwcollegecredit.org"
STAFF_EMAIL = "info@pnwcollegecredit.org"
POOL_NAME = "dual-credit-local-users"
CLIENT_NAME = "dual-credit-local-web"
STACK_NAME = "dual-credit-local"
ACCOUNT_ID = "123456789012"  # moto's
#: The template's `${AWS::StackName}-grade-files-${AWS::AccountId}`, as built locally.
GRADE_FILES_BUCKET = f"{STACK_NAME}-grade-files-{ACCOUNT_ID}"
INVITED_POOL_NAME = "dual-credit-local-invited"
INVITED_CLIENT_NAME = "dual-credit-local-web-invited"
