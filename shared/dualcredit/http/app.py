"""Builds the REST resolver every API function serves: validation, CORS, error
mapping, and the routers."""

from __future__ import annotations

import os

from aws_lambda_powertools.event_handler import APIGatewayRestResolver, CORSConfig

from dualcredit.http import (
    payment_routes,
    public_routes,
    reminder_routes,
    staff_routes,
    student_routes,
)
from dualcredit.http.errors import register_error_handlers

API_TITLE = "CTE Dual Credit registration and payment API"
API_VERSION = "1.0.0"


def build_resolver() -> APIGatewayRestResolver:
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
    register_error_handlers(app)
    app.include_router(public_routes.router)
    app.include_router(student_routes.router)
    app.include_router(staff_routes.router)
    app.include_router(payment_routes.router)
    app.include_router(reminder_routes.router)
    return app


def openapi_json() -> str:
    """The API's OpenAPI document, as committed in docs/openapi.json."""
    return build_resolver().get_openapi_json_schema(
        title=API_TITLE,
        version=API_VERSION,
        description=(
            "Routes other than the public catalog, window and SERS ID recovery need a Cognito "
            "ID token in the Authorization header (API Gateway's Cognito authorizer)."
        ),
    )
