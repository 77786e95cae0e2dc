"""What the fuzzer (tests/integration/test_fuzz.py) found, each reproduced as an ordinary
test, and the document's statuses it checks against."""

from __future__ import annotations

import json

import pytest

from devstack.template import public_operations
from dualcredit.http.app import openapi_json
from tests.support.world import STAFF

SPEC = json.loads(openapi_json(public_operations()))
OPERATIONS = [
    (method.upper(), path, operation)
    for path, operations in SPEC["paths"].items()
    for method, operation in operations.items()
]


@pytest.mark.parametrize(
    "path", ["/schools/a\x0eb/offerings", "/students/\x13\x17", '/windows/2026"27']
)
def test_a_path_no_routes_pattern_takes_is_a_404_in_the_error_shape(api, path):
    # Given a path parameter with a control character, which API Gateway hands on but
    # Powertools' route patterns do not take (it answered {"statusCode": 404, ...})
    # When it is requested
    status, body = api("GET", path, as_=STAFF)
    # Then the answer is a 404 in the project's error shape
    assert status == 404
    assert body["code"] == "no_such_path"
    assert isinstance(body["message"], str)
    assert body["errors"] == []


def test_every_operation_but_the_public_ones_needs_the_id_token_and_declares_401():
    # Given the document and the template's public routes
    # When each operation is read, Then it needs the ID token and declares API Gateway's
    # 401 exactly when the template puts it behind the authorizer
    for method, path, operation in OPERATIONS:
        public = (method, path) in public_operations()
        assert ("security" in operation) is not public, (method, path)
        assert ("401" in operation["responses"]) is not public, (method, path)
    assert {"GET /schools", "POST /sers-id/recovery", "POST /pay/lookup"} <= {
        f"{method} {path}" for method, path, op in OPERATIONS if "security" not in op
    }


def test_every_operation_declares_the_domain_errors_statuses_with_the_error_body():
    # Given the statuses a domain error answers (dualcredit.http.errors.STATUS)
    error_body = {"$ref": "#/components/schemas/ErrorBody"}
    # Then every operation declares each, with the error body
    gateway_error = {"$ref": "#/components/schemas/GatewayError"}
    for method, path, operation in OPERATIONS:
        for status in ("400", "404", "409", "429", "503"):
            answer = operation["responses"][status]
            assert answer["content"]["application/json"]["schema"] == error_body, (method, path)
        # And a 403 is the app's refusal or the firewall's block (API Gateway's body)
        forbidden = operation["responses"]["403"]["content"]["application/json"]["schema"]
        assert forbidden == {"anyOf": [error_body, gateway_error]}, (method, path)


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [
        ("POST", "/schools", "201"),
        ("POST", "/students/me", "201"),
        ("POST", "/students/me/registrations", "201"),
        ("POST", "/sers-id/recovery", "202"),
    ],
)
def test_a_route_that_creates_declares_its_201_and_not_a_200(method, path, status):
    # Given a route that answers 201 (or 202), Then the document says so and no 200
    responses = SPEC["paths"][path][method.lower()]["responses"]
    assert status in responses
    assert "200" not in responses


@pytest.mark.parametrize("path", ["/payments/report/csv", "/grades/transcript"])
def test_the_csv_routes_declare_text_csv(path):
    # Given a CSV download, Then its 200 is documented as text/csv only
    content = SPEC["paths"][path]["get"]["responses"]["200"]["content"]
    assert list(content) == ["text/csv"]


def test_the_csv_upload_declares_its_text_csv_body_and_no_415():
    # Given the grade import's CSV upload, which reads its body raw
    operation = SPEC["paths"]["/schools/{school_id}/grades/csv"]["post"]
    # Then the document says it takes text/csv, and not that it refuses it as not JSON
    assert list(operation["requestBody"]["content"]) == ["text/csv"]
    assert "415" not in operation["responses"]
