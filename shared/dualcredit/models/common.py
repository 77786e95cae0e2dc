"""What every API model shares: its base classes, the text and id types, and how a
model names its fields in the errors it raises (see ApiModel)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any, ClassVar, Self

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    EmailStr,
    ModelWrapValidatorHandler,
    StringConstraints,
    ValidationError,
    ValidatorFunctionWrapHandler,
    WrapValidator,
    model_validator,
)
from pydantic_core import ErrorDetails, InitErrorDetails, PydanticCustomError

from dualcredit.rules import SchoolYear

#: The key, in a validation error's context, of the name its field has on the page.
FIELD_LABEL = "field_label"


def _school_year_name(text: str) -> str:
    return SchoolYear.parse(text).name


def worded(message: str, *, error: str) -> WrapValidator:
    """Annotation: when the annotated type refuses a value with an `error` (a pydantic
    error type), the refusal says `message` instead of pydantic's words."""

    def validate(value: Any, handler: ValidatorFunctionWrapHandler) -> Any:
        try:
            return handler(value)
        except ValidationError as refused:
            if any(detail["type"] == error for detail in refused.errors()):
                raise PydanticCustomError(error, message) from None
            raise

    return WrapValidator(validate)


Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=120)]
OptionalText = Annotated[str, StringConstraints(strip_whitespace=True, max_length=120)]
#: The records' ids (a school's, an offering's, a student's Cognito `sub`).
ID_MAX_LENGTH = 64
ID_PATTERN = rf"^[A-Za-z0-9_-]{{1,{ID_MAX_LENGTH}}}$"
Id = Annotated[
    str,
    StringConstraints(strip_whitespace=True, pattern=ID_PATTERN),
    worded("is not a valid id (letters, digits, - and _ only)", error="string_pattern_mismatch"),
]
#: "2026-27"; checked by the rules module.
SchoolYearName = Annotated[str, AfterValidator(_school_year_name)]
Email = Annotated[EmailStr, worded("must be a valid email address", error="value_error")]


class Model(BaseModel):
    """Base of every API model. Validators are built on first use, not at import: a
    Lambda's cold start then pays only for the models its first request touches
    (about 80 ms less for the API function, see docs/decisions.md)."""

    model_config = ConfigDict(defer_build=True)


class ApiModel(Model):
    """Inputs reject unknown fields so a typo is a 4xx, not silently ignored.

    `labels` names the fields as the page's form does ("Legal first name"). Each error
    the model raises carries its field's label in its context (FIELD_LABEL; None for a
    field without one), so the API's message can name the field in the page's words
    (dualcredit.http.errors). A nested model labels its own fields."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, defer_build=True)
    labels: ClassVar[dict[str, str]] = {}

    @classmethod
    def __pydantic_init_subclass__(cls, **kwargs: Any) -> None:
        super().__pydantic_init_subclass__(**kwargs)
        unknown = set(cls.labels) - set(cls.model_fields)
        if unknown:
            raise TypeError(f"{cls.__name__}.labels names no field: {sorted(unknown)}")

    @model_validator(mode="wrap")
    @classmethod
    def _label_errors(cls, data: Any, handler: ModelWrapValidatorHandler[Self]) -> Self:
        try:
            return handler(data)
        except ValidationError as error:
            raise ValidationError.from_exception_data(
                error.title, [_labelled(detail, cls.labels.get) for detail in error.errors()]
            ) from None


def _labelled(detail: ErrorDetails, label_of: Callable[[str], str | None]) -> InitErrorDetails:
    """The error `detail`, with its field's label in its context."""
    context = dict(detail.get("ctx") or {})
    location = tuple(detail["loc"])
    if FIELD_LABEL not in context:
        first = location[0] if location else None
        context[FIELD_LABEL] = label_of(first) if isinstance(first, str) else None
    return InitErrorDetails(
        type=PydanticCustomError(detail["type"], detail["msg"], context),
        loc=location,
        input=detail["input"],
    )


class Message(Model):
    message: str


class FieldError(Model):
    field: str
    message: str


class ErrorBody(Model):
    code: str
    message: str
    errors: list[FieldError] = []
