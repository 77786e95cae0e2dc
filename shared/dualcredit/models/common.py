from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, StringConstraints

from dualcredit.rules import SchoolYear

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=120)]
OptionalText = Annotated[str, StringConstraints(strip_whitespace=True, max_length=120)]
Id = Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^[A-Za-z0-9_-]{1,64}$")]
#: "2026-27"; checked by the rules module.
SchoolYearName = Annotated[str, AfterValidator(lambda text: SchoolYear.parse(text).name)]


class Model(BaseModel):
    """Base of every API model. Validators are built on first use, not at import: a
    Lambda's cold start then pays only for the models its first request touches
    (about 80 ms less for the API function, see docs/decisions.md)."""

    model_config = ConfigDict(defer_build=True)


class ApiModel(Model):
    """Inputs reject unknown fields so a typo is a 4xx, not silently ignored."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, defer_build=True)


class Message(Model):
    message: str


class FieldError(Model):
    field: str
    message: str


class ErrorBody(Model):
    code: str
    message: str
    errors: list[FieldError] = []
