"""No 5xx from input (issue 10): what an attacker's request used to crash the function
with (API Gateway's 502) is now a 4xx in the project's error shape, for every route.

Each finding is reproduced on every route it applies to, taken from the OpenAPI
document, so a new route is covered without a new test."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from devstack import iam
from devstack.template import api_routes, public_operations
from dualcredit.http.app import openapi_json
from tests.support.events import LambdaContext, api_event
from tests.support.world import STAFF, World

IN_WINDOW = "2027-01-15T10:00:00-08:00"
SPEC = json.loads(openapi_json(public_operations()))
#: A value for each path parameter that the route accepts.
PATH_VALUES = {"school_year": "2026-27"}


def _url(path: str, **values: str) -> str:
    return re.sub(r"\{(\w+)\}", lambda m: values.get(m[1], PATH_VALUES.get(m[1], "x1")), path)


def _operations(where: Any) -> list[tuple[str, str]]:
    return [
        (method.upper(), path)
        for path, operations in SPEC["paths"].items()
        for method, operation in operations.items()
        if where(path, operation)
    ]


JSON_BODY_ROUTES = _operations(
    lambda _, op: "application/json" in op.get("requestBody", {}).get("content", {})
)
PATH_PARAMETER_ROUTES = _operations(lambda path, _: "{" in path)
#: The routes the template gives the grade-import function (the rest are the API's).
GRADE_ROUTES = {
    (route.method, route.path) for route in api_routes() if route.function == "GradeImportFunction"
}


@pytest.fixture
def call(aws, api_module, grade_module, clock):
    """Call the function that serves `path` with a raw body and headers, as staff (the
    body is read before the caller's role is checked); returns (status, parsed body)."""
    clock(IN_WINDOW)

    def send(
        method: str,
        path: str,
        *,
        url: str | None = None,
        raw_body: str | None = None,
        headers: dict[str, str | None] | None = None,
        base64: bool = False,
    ) -> tuple[int, Any]:
        event = api_event(
            method, url or _url(path), raw_body=raw_body, claims=STAFF, headers=headers
        )
        event["isBase64Encoded"] = base64
        module = grade_module if (method, path) in GRADE_ROUTES else api_module
        response = iam.guarded_handler(module)(event, LambdaContext())
        return response["statusCode"], json.loads(response["body"] or "null")

    return send


def _is_error_shape(body: Any, code: str) -> bool:
    return isinstance(body, dict) and body.get("code") == code and isinstance(body["message"], str)


# -- JSON bodies only ---------------------------------------------------------------------


#: Bodies not declared JSON: each crashed a route or reached it.
NOT_JSON = [
    "multipart/form-data",  # no boundary: Powertools' multipart parser raised ValueError
    "multipart/form-data; boundary=x",
    "application/x-www-form-urlencoded",  # a cross-site form post
    "text/plain",  # a cross-site fetch without a preflight
    None,
]


@pytest.mark.parametrize(("method", "path"), JSON_BODY_ROUTES)
def test_a_json_route_refuses_any_other_body_with_415(call, method, path):
    for content_type in NOT_JSON:
        # When a body that is not declared JSON is sent to a route that takes JSON
        status, body = call(
            method,
            path,
            raw_body='{"email": "a@example.org"}',
            headers={"Content-Type": content_type},
        )
        # Then it is refused as unsupported, in the project's error shape
        assert status == 415, (content_type, body)
        assert _is_error_shape(body, "unsupported_media_type"), content_type


@pytest.mark.parametrize(
    "content_type", ["application/json", "Application/JSON", "application/json; charset=UTF-8"]
)
def test_json_is_accepted_in_any_case_and_with_a_charset(call, content_type):
    status, body = call(
        "POST",
        "/sers-id/recovery",
        raw_body='{"email": "nobody@example.org"}',
        headers={"Content-Type": content_type},
    )
    assert status == 202, body


def test_an_empty_body_is_no_body_whatever_its_type(call):
    status, body = call(
        "POST", "/sers-id/recovery", raw_body="", headers={"Content-Type": "text/plain"}
    )
    assert status == 422, body
    assert body["errors"][0]["field"] == "body"


#: Bodies that cannot be read as JSON, and whether API Gateway sent them base64-encoded.
UNREADABLE = {
    "deep-list": ("[" * 100_000 + "]" * 100_000, False),  # the parser raised RecursionError
    "deep-object": ('{"a": ' * 100_000 + "1" + "}" * 100_000, False),
    "malformed": ("{not json", False),
    "not-utf8": ("/w==", True),  # base64 of a byte that is not UTF-8
    "bad-base64": ("not base64!", True),
}


@pytest.mark.parametrize(("method", "path"), JSON_BODY_ROUTES)
def test_a_body_that_cannot_be_read_is_a_400(call, method, path):
    for case, (raw_body, base64) in UNREADABLE.items():
        status, body = call(method, path, raw_body=raw_body, base64=base64)
        assert status == 400, (case, body)
        assert _is_error_shape(body, "invalid_json"), case
        assert body["errors"] == [
            {"field": "body", "message": "The request body is not valid JSON."}
        ], case


def test_nesting_the_parser_takes_is_a_field_error_naming_the_field(call):
    status, body = call(
        "POST", "/sers-id/recovery", raw_body='{"email": ' + "[" * 500 + "]" * 500 + "}"
    )
    assert status == 422, body
    assert body["errors"] == [{"field": "email", "message": "Email address must be text"}]


# -- path parameters ----------------------------------------------------------------------


def test_a_malformed_school_year_in_the_path_is_a_422_naming_it(call):
    status, body = call("GET", "/windows/{school_year}", url="/windows/20x6-27")
    assert status == 422, body
    assert body["errors"] == [
        {"field": "path.school_year", "message": "A school year looks like 2026-27."}
    ]


@pytest.mark.parametrize(("method", "path"), PATH_PARAMETER_ROUTES)
def test_every_path_parameter_is_typed_and_bounded(call, method, path):
    (name, *_) = re.findall(r"\{(\w+)\}", path)
    for bad in ["x" * 65, "a%00b", "a.b", "a b", "2026-27" * 3 + "."]:
        status, body = call(method, path, url=_url(path, **{name: bad}), raw_body="{}")
        assert status == 422, (bad, body)
        assert _is_error_shape(body, "validation_error"), bad
        assert f"path.{name}" in [e["field"] for e in body["errors"]], bad


def test_a_bad_id_is_named_as_the_page_names_it(call):
    status, body = call("GET", "/schools/{school_id}/users", url="/schools/a.b/users")
    assert status == 422, body
    assert body["errors"] == [
        {
            "field": "path.school_id",
            "message": "School is not a valid id (letters, digits, - and _ only)",
        }
    ]


# -- refusals from below the routes -------------------------------------------------------


def test_a_rules_refusal_is_a_400_wherever_it_comes_from(api, clock, monkeypatch):
    from dualcredit import rules
    from dualcredit.logic import windows

    clock(IN_WINDOW)

    def refuses(*_: object) -> None:
        raise rules.RuleError("That is not a school year we can handle.")

    # Given a logic function that meets a rule the request breaks
    monkeypatch.setattr(windows, "current_window", refuses)
    # When the route is called
    status, body = api("GET", "/window")
    # Then the rule's words come back as a 400
    assert status == 400, body
    assert body == {
        "code": "rule_refused",
        "message": "That is not a school year we can handle.",
        "errors": [],
    }


class _Refused:
    """What botocore makes of an AWS error answer (a `before-call` handler's response)."""

    def __init__(self, code: str, status: int = 400):
        self.status_code = status
        self.parsed = {
            "Error": {"Code": code, "Message": "refused"},
            "ResponseMetadata": {"HTTPStatusCode": status},
        }

    def __call__(self, **_: object) -> tuple[Any, dict[str, Any]]:
        return self, self.parsed


def _refuse(service: str, operation: str, code: str, status: int = 400) -> None:
    """Make the app's `service` client answer `operation` with AWS's error `code`."""
    from dualcredit.dal.aws import client

    client(service).meta.events.register_first(
        f"before-call.{client(service).meta.service_model.service_id.hyphenize()}.{operation}",
        _Refused(code, status),
    )


@pytest.fixture
def world(api, clock) -> World:
    clock(IN_WINDOW)
    return World(api).build("2026-27")


def test_a_dynamodb_validation_exception_is_a_400_and_nothing_is_written(api, world):
    # Given DynamoDB refuses the write as invalid
    _refuse("dynamodb", "TransactWriteItems", "ValidationException")
    # When staff add a school
    status, body = api("POST", "/schools", as_=STAFF, body={"name": "North High"})
    # Then it is a 400, and there is no such school
    assert status == 400, body
    assert _is_error_shape(body, "unstorable_value")
    assert "North High" not in [s["name"] for s in api("GET", "/schools")[1]]


def test_a_number_outside_dynamodbs_range_is_refused_by_the_data_layer(aws):
    from dualcredit.dal import dynamo

    # When a transaction writes a number DynamoDB cannot store (moto cancels it)
    tx = dynamo.Transaction()
    tx.put({"PK": "TEST#1", "SK": "META", "credits": 1e-200})
    # Then the data layer says it is unstorable, a 400
    with pytest.raises(dynamo.Unstorable):
        dynamo.transact(tx)
    with pytest.raises(dynamo.Unstorable):
        dynamo.put_item({"PK": "TEST#1", "SK": "META", "credits": 1e-200})
    assert dynamo.get_item("TEST#1", "META") is None


@pytest.mark.parametrize(
    ("credits", "status", "message"),
    [
        (1e-200, 422, "Credits must be at least 0.5"),  # was a 502 (DynamoDB's range)
        (0.49, 422, "Credits must be at least 0.5"),
        (30.01, 422, "Credits must be at most 30"),
        (2.125, 422, "Credits must have at most 2 decimals, like 2.5"),
        (0.5, 201, None),
        (2.25, 201, None),
        (30, 201, None),
    ],
)
def test_course_credits_are_half_a_credit_to_30_in_hundredths(api, world, credits, status, message):
    course = {"college": "Bellevue College", "course_code": "CS 1", "title": "Intro"}
    answer, body = api("POST", "/college-courses", as_=STAFF, body={**course, "credits": credits})
    assert answer == status, body
    if message:
        assert body["errors"] == [{"field": "credits", "message": message}]
    else:
        assert body["credits"] == credits


INVITE = {"email": "counselor@lake.example.org"}


@pytest.mark.parametrize(
    ("code", "status"),
    [
        ("UsernameExistsException", 409),
        ("AliasExistsException", 409),
        ("InvalidParameterException", 400),
        ("CodeDeliveryFailureException", 400),
        ("UserLambdaValidationException", 400),
        ("InvalidPasswordException", 400),
        ("NotAuthorizedException", 400),
        ("TooManyRequestsException", 503),
        ("LimitExceededException", 503),
        ("InternalErrorException", 503),
    ],
)
def test_cognitos_refusals_of_an_invitation_are_4xx_and_its_throttling_503(
    api, world, code, status
):
    # Given Cognito refuses to create the user
    _refuse("cognito-idp", "AdminCreateUser", code)
    # When staff invite a school user
    answer, body = api(
        "POST", "/school-users", as_=STAFF, body={**INVITE, "school_id": world.school_x}
    )
    # Then it is a 4xx (or a 503 to retry), and no school user is recorded
    assert answer == status, body
    assert isinstance(body["code"], str) and body["message"]
    assert api("GET", f"/schools/{world.school_x}/users", as_=STAFF)[1] == []


@pytest.mark.parametrize(
    ("service", "operation", "code", "status"),
    [
        # Cognito creates the user but then will not put it in the school group: retry
        ("cognito-idp", "AdminAddUserToGroup", "TooManyRequestsException", 503),
        # the school user's record cannot be written
        ("dynamodb", "TransactWriteItems", "ValidationException", 400),
    ],
)
def test_an_invitation_that_fails_halfway_leaves_no_account(
    api, world, service, operation, code, status
):
    from dualcredit.dal.aws import client
    from dualcredit.settings import get_settings

    # Given a step after the Cognito user is created refuses
    _refuse(service, operation, code)
    # When staff invite a school user
    answer, body = api(
        "POST", "/school-users", as_=STAFF, body={**INVITE, "school_id": world.school_x}
    )
    # Then the answer says so, and no account (one that would sign in as a student) is
    # left behind
    assert answer == status, body
    users = client("cognito-idp").list_users(UserPoolId=get_settings().user_pool_id)["Users"]
    assert users == []
