"""Builds the REST resolver the API functions serve: validation, CORS, error mapping,
and their routers (the registration API's, or the grade import function's)."""

from __future__ import annotations

import json
import os
from collections.abc import Collection

from aws_lambda_powertools.event_handler import APIGatewayRestResolver, CORSConfig
from aws_lambda_powertools.event_handler.api_gateway import Router

from dualcredit.http.body import read_json_bodies
from dualcredit.http.errors import document_errors, register_error_handlers

API_TITLE = "CTE Dual Credit registration and payment API"
API_VERSION = "1.0.0"


def api_routers() -> list[Router]:
    """The registration API's routes (ApiFunction). Imported here, not at the top, so a
    function imports only the routes (and models) it serves."""
    from dualcredit.http import (
        grading_routes,
        payment_routes,
        public_routes,
        reminder_routes,
        staff_routes,
        student_routes,
        transcript_routes,
    )

    return [
        public_routes.router,
        student_routes.router,
        staff_routes.router,
        payment_routes.router,
        reminder_routes.router,
        grading_routes.router,
        transcript_routes.router,
    ]


def grade_routers() -> list[Router]:
    """The grade import function's routes (GradeImportFunction)."""
    from dualcredit.http import grade_routes

    return [grade_routes.router]


def build_resolver(routers: list[Router] | None = None) -> APIGatewayRestResolver:
    """A resolver for `routers` (default: the registration API's)."""
    app = APIGatewayRestResolver(
        enable_validation=True,
        cors=CORSConfig(
            allow_origin=os.environ.get("ALLOWED_ORIGIN", "https://pnwcollegecredit.org"),
            allow_headers=["Authorization", "Content-Type"],
            # The CSV export's file name, read by the staff page from another origin.
            expose_headers=["Content-Disposition"],
            max_age=600,
        ),
    )
    read_json_bodies(app)
    register_error_handlers(app)
    for router in api_routers() if routers is None else routers:
        app.include_router(router)
    return app


def openapi_json(public: Collection[tuple[str, str]]) -> str:
    """The API's OpenAPI document (every function's routes), as committed in docs/openapi.json,
    with the error statuses each route answers and the ID token every operation but the
    `public` ones needs (("GET", "/schools"); the template's `Auth: NONE` routes; see
    dualcredit.http.errors.document_errors)."""
    text = build_resolver([*api_routers(), *grade_routers()]).get_openapi_json_schema(
        title=API_TITLE,
        version=API_VERSION,
        description=(
            "Routes other than the public catalog, window and SERS ID recovery need a Cognito "
            "ID token in the Authorization header (API Gateway's Cognito authorizer)."
        ),
    )
    return json.dumps(document_errors(json.loads(text), public), indent=2, ensure_ascii=False)
