#!/usr/bin/env bash
# Publish the web front end (web/) to a deployed stack's static site.
#
# Run from the repository root, with AWS credentials for the stack's account:
#
#   bash scripts/deploy-site.sh <stack-name>
#
# It reads the stack's outputs (`aws cloudformation describe-stacks`), writes
# config.json (apiUrl, cognitoEndpoint, userPoolId, clientId, invitedUserPoolId,
# invitedClientId, region; see
# web/README.md) into a temporary copy of web/, syncs that copy to the site bucket
# (`aws s3 sync --delete`) and invalidates the CloudFront distribution. web/ itself
# is never changed. The CLI's configured region (AWS_REGION, AWS_DEFAULT_REGION or
# the profile's) only has to find the stack; its region is then read from its id.
#
# First deploy of a stack: the API's CORS origin (AllowedOrigin) and the links in
# emails and Stripe's return URLs (AppBaseUrl) default to https://pnwcollegecredit.org.
# After the first `sam deploy`, take the SiteUrl output (or the custom domain you put
# in front of the distribution) and deploy the stack again with
#
#   sam deploy --parameter-overrides AppBaseUrl=<SiteUrl> AllowedOrigin=<SiteUrl> ...
#
# This script warns when AllowedOrigin or AppBaseUrl is not the SiteUrl.
#
# Nothing here runs in the tests (there is no AWS there); they only `bash -n` it.
set -euo pipefail

usage() {
    echo "usage: bash scripts/deploy-site.sh <stack-name>" >&2
    exit 2
}

[[ $# -eq 1 && -n "$1" ]] || usage
STACK="$1"
WEB_DIR="web"

if [[ ! -f "$WEB_DIR/js/config.js" ]]; then
    echo "error: $WEB_DIR/ not found; run this from the repository root" >&2
    exit 2
fi
command -v aws >/dev/null || { echo "error: the AWS CLI (aws) is not installed" >&2; exit 2; }

say() { printf '\n==> %s\n' "$*"; }

# 1. The stack's region, outputs and parameters.
say "reading the outputs of stack $STACK"
STACK_ID="$(aws cloudformation describe-stacks --stack-name "$STACK" \
    --query 'Stacks[0].StackId' --output text)"
# arn:<partition>:cloudformation:<region>:<account>:stack/<name>/<id>
REGION="$(cut -d: -f4 <<<"$STACK_ID")"

# "key<TAB>value" lines; looked up with awk (no associative arrays: macOS's bash 3.2).
OUTPUTS="$(aws cloudformation describe-stacks --stack-name "$STACK_ID" --region "$REGION" \
    --query 'Stacks[0].Outputs[].[OutputKey,OutputValue]' --output text)"
PARAMETERS="$(aws cloudformation describe-stacks --stack-name "$STACK_ID" --region "$REGION" \
    --query 'Stacks[0].Parameters[].[ParameterKey,ParameterValue]' --output text)"
lookup() { awk -F'\t' -v key="$1" '$1 == key { print $2; exit }' <<<"$2"; }
output() { lookup "$1" "$OUTPUTS"; }
parameter() { lookup "$1" "$PARAMETERS"; }

for key in ApiUrl UserPoolId UserPoolClientId InvitedUserPoolId InvitedUserPoolClientId SiteBucketName SiteDistributionId SiteUrl; do
    if [[ -z "$(output "$key")" ]]; then
        echo "error: stack $STACK has no output $key (deploy infra/template.yaml first)" >&2
        exit 1
    fi
done

API_URL="$(output ApiUrl)"
API_URL="${API_URL%/}"
COGNITO_ENDPOINT="https://cognito-idp.${REGION}.amazonaws.com/"
USER_POOL_ID="$(output UserPoolId)"
CLIENT_ID="$(output UserPoolClientId)"
INVITED_USER_POOL_ID="$(output InvitedUserPoolId)"
INVITED_CLIENT_ID="$(output InvitedUserPoolClientId)"
BUCKET="$(output SiteBucketName)"
DISTRIBUTION="$(output SiteDistributionId)"
SITE_URL="$(output SiteUrl)"

# The values go into JSON as they are: ids, a region and URLs, nothing to escape.
for value in "$API_URL" "$COGNITO_ENDPOINT" "$USER_POOL_ID" "$CLIENT_ID" "$INVITED_USER_POOL_ID" "$INVITED_CLIENT_ID" "$REGION"; do
    if [[ ! "$value" =~ ^[A-Za-z0-9_.:/-]+$ ]]; then
        echo "error: unexpected characters in stack output value: $value" >&2
        exit 1
    fi
done

for name in AllowedOrigin AppBaseUrl; do
    value="$(parameter "$name")"
    if [[ "$value" != "$SITE_URL" ]]; then
        echo "warning: $name is '$value', not the site $SITE_URL;" \
            "unless a custom domain fronts the site, redeploy the stack with" \
            "--parameter-overrides AppBaseUrl=$SITE_URL AllowedOrigin=$SITE_URL" >&2
    fi
done

# 2. A temporary copy of web/ with config.json beside the pages. Not `cp -p`: every
#    file gets a new modification time, so `aws s3 sync` uploads all of them rather
#    than skipping a changed file whose size happens to be the same.
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT
SITE="$TMP/site"
mkdir -p "$SITE"
cp -R "$WEB_DIR/." "$SITE/"
rm -rf "$SITE/_dev" "$SITE/README.md"

printf '{"apiUrl": "%s", "cognitoEndpoint": "%s", "userPoolId": "%s", "clientId": "%s", "invitedUserPoolId": "%s", "invitedClientId": "%s", "region": "%s"}\n' \
    "$API_URL" "$COGNITO_ENDPOINT" "$USER_POOL_ID" "$CLIENT_ID" "$INVITED_USER_POOL_ID" "$INVITED_CLIENT_ID" "$REGION" >"$SITE/config.json"
say "config.json: $(cat "$SITE/config.json")"

# 3. Upload. Browsers revalidate every file (max-age=0, answered 304 by CloudFront
#    while it is unchanged); CloudFront keeps files for a day, and the invalidation
#    below drops them on every deploy, so pages and modules never mix two versions.
say "syncing to s3://$BUCKET (with --delete)"
aws s3 sync "$SITE/" "s3://$BUCKET/" --delete --region "$REGION" \
    --cache-control "public, max-age=0, s-maxage=86400"

# 4. Invalidate the distribution.
say "invalidating CloudFront distribution $DISTRIBUTION"
INVALIDATION="$(aws cloudfront create-invalidation --distribution-id "$DISTRIBUTION" \
    --paths '/*' --query 'Invalidation.Id' --output text)"
echo "invalidation $INVALIDATION started; to wait for it:"
echo "  aws cloudfront wait invalidation-completed --distribution-id $DISTRIBUTION --id $INVALIDATION"

say "site deployed: $SITE_URL"
