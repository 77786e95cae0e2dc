"""The committed OpenAPI document, the routes and the SAM template agree."""

from __future__ import annotations

import json
import re
from pathlib import Path

from devstack.template import api_routes, public_operations
from dualcredit.http.app import api_routers, build_resolver, grade_routers, openapi_json

DOC = Path(__file__).resolve().parents[2] / "docs" / "openapi.json"
#: The template's API functions and the routes each one's resolver serves.
SERVED_BY = {"ApiFunction": api_routers, "GradeImportFunction": grade_routers}


def test_committed_openapi_matches_the_code():
    assert json.loads(DOC.read_text()) == json.loads(openapi_json(public_operations())), (
        "docs/openapi.json is stale: run `make openapi` and commit it"
    )


def test_every_documented_operation_is_deployed_and_the_reverse():
    spec = json.loads(openapi_json(public_operations()))
    documented = {(method.upper(), path) for path, ops in spec["paths"].items() for method in ops}
    deployed = {(r.method, r.path) for r in api_routes() if r.function in SERVED_BY}
    assert documented == deployed


def test_each_function_serves_exactly_its_routes_of_the_template():
    for function, routers in SERVED_BY.items():
        spec = json.loads(build_resolver(routers()).get_openapi_json_schema())
        served = {(method.upper(), path) for path, ops in spec["paths"].items() for method in ops}
        assert served == {(r.method, r.path) for r in api_routes() if r.function == function}, (
            function
        )


def test_every_operation_documents_its_validation_error():
    spec = json.loads(openapi_json(public_operations()))
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            takes_input = "requestBody" in operation or operation.get("parameters")
            if takes_input:
                assert "422" in operation["responses"], (method, path)


def test_every_path_parameter_has_the_words_errors_name_it_with():
    from dualcredit.http.params import PARAMETER_LABELS

    spec = json.loads(openapi_json(public_operations()))
    for path in spec["paths"]:
        for name in re.findall(r"\{(\w+)\}", path):
            assert name in PARAMETER_LABELS, (path, name)


def test_every_path_parameter_declares_its_bound():
    spec = json.loads(openapi_json(public_operations()))
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            for parameter in operation.get("parameters", []):
                if parameter["in"] == "path":
                    assert "maxLength" in parameter["schema"], (method, path, parameter["name"])


def test_every_error_status_from_input_is_declared_with_the_error_body():
    spec = json.loads(openapi_json(public_operations()))
    error_body = {"$ref": "#/components/schemas/ErrorBody"}
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            responses = operation["responses"]
            takes_input = "requestBody" in operation or "parameters" in operation
            expected = {"400", "422"} if takes_input else set()
            body_types = operation.get("requestBody", {}).get("content", {})
            expected |= {"415"} if "application/json" in body_types else set()
            for status in expected:
                assert status in responses, (method, path, status)
                assert responses[status]["content"]["application/json"]["schema"] == error_body
    assert "HTTPValidationError" not in json.dumps(spec)
