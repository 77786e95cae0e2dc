"""IAM, locally: each function may make only the AWS calls its role in the template
grants, as in AWS. moto allows everything, so without this a missing grant (or one
named for another API version) passes every test and fails in production.

While a function runs (`guarded`), every botocore call it makes is turned into the IAM
requests AWS would authorize (action, resource ARN, condition keys; a DynamoDB
transaction is one request per item) and checked against the function's policy
statements, resolved with the values the function's environment carries. A call no
statement allows raises botocore's `ClientError` with code AccessDeniedException, as AWS
answers. Calls made outside a function (seeding, test set-up) are not checked.

Evaluated: Allow statements, `*`/`?` wildcards in actions and resources, and the
condition operators the template uses (StringEquals, StringLike, and their
ForAllValues forms). An intrinsic it cannot resolve raises: a gap shows up at once.
"""

from __future__ import annotations

import contextvars
import fnmatch
import functools
import os
import re
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from email.utils import parseaddr
from pathlib import Path
from typing import Any

from devstack.names import STACK_NAME
from devstack.template import TEMPLATE_PATH, function_code, load_template

ACCOUNT_ID = "123456789012"  # moto's
_current: contextvars.ContextVar[str | None] = contextvars.ContextVar("iam_role", default=None)
_installed = False
#: The actions each role was allowed, as it made them (`unused` compares with the grants).
used: dict[str, set[str]] = {}


class UnresolvedIntrinsic(ValueError):
    """The template names something this module cannot resolve locally."""


@dataclass(frozen=True)
class Request:
    """One IAM authorization: what AWS checks for (part of) one API call."""

    action: str
    resource: str
    context: dict[str, list[str]] = field(default_factory=dict)


# ------------------------------------------------------------------ the template's side


def _region() -> str:
    return os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION") or "us-west-2"


def _environment_refs(logical_id: str) -> dict[str, str]:
    """What each `!Ref X` is worth, read back from the function's environment: Globals'
    and the function's own variables map names to Refs (TABLE_NAME: !Ref Table)."""
    template = load_template()
    variables = dict(
        (((template.get("Globals") or {}).get("Function") or {}).get("Environment") or {}).get(
            "Variables"
        )
        or {}
    )
    own = template["Resources"][logical_id]["Properties"].get("Environment") or {}
    variables |= own.get("Variables") or {}
    from dualcredit.settings import default_of

    refs = {}
    for name, value in variables.items():
        if isinstance(value, dict) and set(value) == {"Ref"}:
            # What the app reads: the variable, else the app's own default for it.
            found = os.environ.get(name) or default_of(name)
            if found is not None:
                refs[value["Ref"]] = found
    return refs


def _arn_of(logical_id: str, ref: str) -> str:
    kind = load_template()["Resources"][logical_id]["Type"]
    region = _region()
    if kind == "AWS::DynamoDB::Table":
        return f"arn:aws:dynamodb:{region}:{ACCOUNT_ID}:table/{ref}"
    if kind == "AWS::Cognito::UserPool":
        return f"arn:aws:cognito-idp:{region}:{ACCOUNT_ID}:userpool/{ref}"
    if kind == "AWS::SQS::Queue":
        return f"arn:aws:sqs:{region}:{ACCOUNT_ID}:{ref.rstrip('/').rsplit('/', 1)[-1]}"
    raise UnresolvedIntrinsic(f"the ARN of {logical_id} ({kind})")


def _resolver(logical_id: str) -> Callable[[Any], str]:
    refs = _environment_refs(logical_id) | {
        "AWS::StackName": STACK_NAME,
        "AWS::Partition": "aws",
        "AWS::Region": _region(),
        "AWS::AccountId": ACCOUNT_ID,
        "AWS::URLSuffix": "amazonaws.com",
    }

    def name(token: str) -> str:
        if "." in token:
            resource, attribute = token.split(".", 1)
            if attribute == "Arn" and resource in refs:
                return _arn_of(resource, refs[resource])
        elif token in refs:
            return refs[token]
        raise UnresolvedIntrinsic(f"{logical_id}'s policy names {token!r}")

    def resolve(value: Any) -> str:
        if isinstance(value, str):
            return value
        if isinstance(value, dict) and "Ref" in value:
            return name(value["Ref"])
        if isinstance(value, dict) and "Fn::GetAtt" in value:
            return name(".".join(value["Fn::GetAtt"]))
        if isinstance(value, dict) and "Fn::Sub" in value:
            text = value["Fn::Sub"]
            return re.sub(r"\$\{([^}]+)\}", lambda m: name(m.group(1)), text)
        raise UnresolvedIntrinsic(f"{logical_id}'s policy has {value!r}")

    return resolve


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


@functools.cache
def _statements(logical_id: str, environment: tuple[tuple[str, str], ...]) -> list[dict]:
    """The function's Allow statements, resolved (cached per environment)."""
    del environment  # the cache key: the values the resolution read
    resolve = _resolver(logical_id)
    props = load_template()["Resources"][logical_id]["Properties"]
    found = []
    for policy in props.get("Policies") or []:
        if not isinstance(policy, dict) or "Statement" not in policy:
            raise UnresolvedIntrinsic(f"{logical_id}: only inline Statement policies are read")
        for statement in policy["Statement"]:
            if statement.get("Effect") != "Allow":
                continue
            conditions = {
                operator: {key: [resolve(v) for v in _as_list(values)] for key, values in c.items()}
                for operator, c in (statement.get("Condition") or {}).items()
            }
            found.append(
                {
                    "Action": [a.lower() for a in _as_list(statement["Action"])],
                    "Resource": [resolve(r) for r in _as_list(statement["Resource"])],
                    "Condition": conditions,
                }
            )
    return found


def _condition_holds(operator: str, wanted: list[str], present: list[str] | None) -> bool:
    match = fnmatch.fnmatchcase if operator.endswith("StringLike") else str.__eq__
    if operator.startswith("ForAllValues:"):
        return all(any(match(v, w) for w in wanted) for v in present or [])
    if operator in ("StringEquals", "StringLike"):
        return present is not None and all(any(match(v, w) for w in wanted) for v in present)
    raise UnresolvedIntrinsic(f"condition operator {operator}")


def allows(statements: list[dict], request: Request) -> bool:
    for statement in statements:
        if not any(fnmatch.fnmatchcase(request.action.lower(), a) for a in statement["Action"]):
            continue
        if not any(fnmatch.fnmatchcase(request.resource, r) for r in statement["Resource"]):
            continue
        if all(
            _condition_holds(operator, wanted, request.context.get(key))
            for operator, keys in statement["Condition"].items()
            for key, wanted in keys.items()
        ):
            return True
    return False


# ------------------------------------------------------------------ the call's side


def _key_value(key: dict[str, Any]) -> list[str]:
    value = key.get("PK") or {}
    return [value["S"]] if "S" in value else []


def _query_leading_key(params: dict[str, Any]) -> list[str]:
    expression = params.get("KeyConditionExpression", "")
    first = re.match(r"\s*#?\w+\s*=\s*(:\w+)", expression)
    value = (params.get("ExpressionAttributeValues") or {}).get(first.group(1)) if first else None
    return [value["S"]] if value and "S" in value else []


def _dynamodb(operation: str, params: dict[str, Any]) -> Iterator[Request]:
    region = _region()

    def table(name: str, index: str | None = None) -> str:
        arn = f"arn:aws:dynamodb:{region}:{ACCOUNT_ID}:table/{name}"
        return f"{arn}/index/{index}" if index else arn

    if operation == "TransactWriteItems":
        kinds = {"Put": "PutItem", "Update": "UpdateItem", "Delete": "DeleteItem"}
        kinds["ConditionCheck"] = "ConditionCheckItem"
        for item in params["TransactItems"]:
            ((kind, body),) = item.items()
            keys = _key_value(body.get("Key") or body.get("Item") or {})
            context = {"dynamodb:LeadingKeys": keys}
            yield Request(f"dynamodb:{kinds[kind]}", table(body["TableName"]), context)
    elif operation == "BatchGetItem":
        for name, wanted in params["RequestItems"].items():
            keys = [k for key in wanted["Keys"] for k in _key_value(key)]
            yield Request("dynamodb:BatchGetItem", table(name), {"dynamodb:LeadingKeys": keys})
    elif operation == "Query":
        context = {"dynamodb:LeadingKeys": _query_leading_key(params)}
        yield Request(
            "dynamodb:Query", table(params["TableName"], params.get("IndexName")), context
        )
    else:
        keys = _key_value(params.get("Key") or params.get("Item") or {})
        context = {"dynamodb:LeadingKeys": keys} if keys else {}
        yield Request(f"dynamodb:{operation}", table(params.get("TableName", "")), context)


def requests_of(service: str, operation: str, params: dict[str, Any]) -> list[Request]:
    """The IAM requests AWS authorizes for one call."""
    region = _region()
    if service == "dynamodb":
        return list(_dynamodb(operation, params))
    if service in ("ses", "sesv2"):
        sender = params.get("FromEmailAddress") or params.get("Source") or ""
        address = parseaddr(sender)[1]
        context = {"ses:FromAddress": [address]} if address else {}
        identity = f"arn:aws:ses:{region}:{ACCOUNT_ID}:identity/{address or '*'}"
        found = [Request(f"ses:{operation}", identity, context)]
        template = params.get("Template")
        name = template.get("TemplateName") if isinstance(template, dict) else template
        if isinstance(name, str):
            found.append(
                Request(
                    f"ses:{operation}",
                    f"arn:aws:ses:{region}:{ACCOUNT_ID}:template/{name}",
                    context,
                )
            )
        return found
    if service == "ssm":
        name = params.get("Name", "")
        return [Request(f"ssm:{operation}", f"arn:aws:ssm:{region}:{ACCOUNT_ID}:parameter{name}")]
    if service == "sqs":
        queue = params.get("QueueUrl", "").rstrip("/").rsplit("/", 1)[-1]
        action = {"SendMessageBatch": "SendMessage", "DeleteMessageBatch": "DeleteMessage"}.get(
            operation, operation
        )
        return [Request(f"sqs:{action}", f"arn:aws:sqs:{region}:{ACCOUNT_ID}:{queue}")]
    if service == "s3":
        bucket = params.get("Bucket", "")
        if "Key" in params:
            action = {"HeadObject": "GetObject"}.get(operation, operation)
            return [Request(f"s3:{action}", f"arn:aws:s3:::{bucket}/{params['Key']}")]
        return [Request(f"s3:{operation}", f"arn:aws:s3:::{bucket}")]
    if service == "cognito-idp":
        pool = params.get("UserPoolId", "")
        arn = f"arn:aws:cognito-idp:{region}:{ACCOUNT_ID}:userpool/{pool}"
        return [Request(f"cognito-idp:{operation}", arn)]
    return [Request(f"{service}:{operation}", "*")]


# ------------------------------------------------------------------ enforcement


def _check(role: str, service: str, operation: str, params: dict[str, Any]) -> None:
    from botocore.exceptions import ClientError

    refs = tuple(sorted(_environment_refs(role).items()))
    statements = _statements(role, refs)
    for request in requests_of(service, operation, params):
        if allows(statements, request):
            used.setdefault(role, set()).add(request.action.lower())
        else:
            message = (
                f"User: arn:aws:sts::{ACCOUNT_ID}:assumed-role/{role}Role/{role} is not "
                f"authorized to perform: {request.action} on resource: {request.resource} "
                "because no identity-based policy allows the action"
            )
            raise ClientError(
                {"Error": {"Code": "AccessDeniedException", "Message": message}}, operation
            )


def install() -> None:
    """Check every botocore call made while a function runs (idempotent)."""
    global _installed
    if _installed:
        return
    from botocore.client import BaseClient

    original = BaseClient._make_api_call

    def checked(self: Any, operation_name: str, api_params: dict[str, Any]) -> Any:
        role = _current.get()
        if role is not None:
            _check(role, self.meta.service_model.service_name, operation_name, api_params)
        return original(self, operation_name, api_params)

    BaseClient._make_api_call = checked
    _check_presigned_posts()
    _installed = True


def _check_presigned_posts() -> None:
    """A presigned POST is authorized as its signer when the browser posts it: S3 lets
    the upload in only if the signer may PutObject on the key. The signature is made
    here, without a request, so it is checked (and counted as used) when it is made."""
    from botocore import signers

    original = signers.generate_presigned_post

    @functools.wraps(original)
    def checked(self: Any, Bucket: str, Key: str, *args: Any, **kwargs: Any) -> Any:  # noqa: N803
        role = _current.get()
        if role is not None:
            _check(role, "s3", "PutObject", {"Bucket": Bucket, "Key": Key})
        return original(self, Bucket, Key, *args, **kwargs)

    signers.generate_presigned_post = checked


def guarded(logical_id: str, handler: Callable[..., Any]) -> Callable[..., Any]:
    """`handler`, run with the AWS permissions of `logical_id`'s role."""
    install()

    @functools.wraps(handler)
    def run(*args: Any, **kwargs: Any) -> Any:
        token = _current.set(logical_id)
        try:
            return handler(*args, **kwargs)
        finally:
            _current.reset(token)

    return run


def function_of(handler_file: str | Path, path: Path = TEMPLATE_PATH) -> str:
    """The template's function whose CodeUri holds `handler_file`."""
    folder = Path(handler_file).resolve().parent
    for logical_id, resource in load_template(path)["Resources"].items():
        if resource["Type"] == "AWS::Serverless::Function":
            if function_code(logical_id, path).code_dir == folder:
                return logical_id
    raise ValueError(f"no function of the template has its code in {folder}")


def functions(path: Path = TEMPLATE_PATH) -> list[str]:
    """Every function of the template (each has a role of its own)."""
    return [
        logical_id
        for logical_id, resource in load_template(path)["Resources"].items()
        if resource["Type"] == "AWS::Serverless::Function"
    ]


def granted(path: Path = TEMPLATE_PATH) -> dict[str, set[str]]:
    """Every action each function's policy names (lowercase), without resolving ARNs."""
    found: dict[str, set[str]] = {}
    for role in functions(path):
        props = load_template(path)["Resources"][role]["Properties"]
        for policy in props.get("Policies") or []:
            for statement in policy.get("Statement", []) if isinstance(policy, dict) else []:
                if statement.get("Effect") == "Allow":
                    actions = {a.lower() for a in _as_list(statement["Action"])}
                    found.setdefault(role, set()).update(actions)
    return found


def unused(made: dict[str, set[str]], path: Path = TEMPLATE_PATH) -> dict[str, list[str]]:
    """The granted actions no call matched: `made` is what the roles were allowed to do
    over a run of the whole suite (`used`, saved by tests/conftest.py)."""
    found = {}
    for role, actions in granted(path).items():
        idle = sorted(
            a for a in actions if not any(fnmatch.fnmatchcase(m, a) for m in made.get(role, ()))
        )
        if idle:
            found[role] = idle
    return found


def main(argv: list[str]) -> int:
    """`python -m devstack.iam unused USAGE.json`: fail if a grant went unused."""
    import json

    if len(argv) != 2 or argv[0] != "unused":
        print("usage: python -m devstack.iam unused USAGE.json", file=sys.stderr)
        return 2
    made = {role: set(actions) for role, actions in json.loads(Path(argv[1]).read_text()).items()}
    idle = unused(made)
    for role, actions in idle.items():
        print(f"{role} is granted, and no test made: {', '.join(actions)}", file=sys.stderr)
    if not idle:
        print(f"every IAM grant of the template was used ({argv[1]})")
    return 1 if idle else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))


def guarded_handler(module: Any) -> Callable[..., Any]:
    """A function module's `lambda_handler`, run with its template role's permissions."""
    return guarded(function_of(module.__file__), module.lambda_handler)
