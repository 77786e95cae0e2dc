"""The API words its errors for the pages: each form's field is named as the page labels
it, and a 422 answer carries the very text the page shows next to the field. (No
browser: these read the pages' HTML and call the error mapping directly.)"""

from __future__ import annotations

import json
import re
import types
import typing
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from aws_lambda_powertools.event_handler.openapi.exceptions import RequestValidationError
from pydantic import ValidationError

from dualcredit import messages
from dualcredit.http.errors import _invalid_request
from dualcredit.i18n import Language
from dualcredit.models import catalog, grading, payments, student
from dualcredit.models.common import ApiModel

WEB = Path(__file__).resolve().parents[2] / "web"


def _english(key: str, language: Language = "en") -> str:
    """A catalog key's English, or other `language` (issue 11: the pages name web/i18n/
    keys, not words)."""
    namespace, _, name = key.partition(".")
    catalog = json.loads((WEB / "i18n" / f"{namespace}.json").read_text(encoding="utf-8"))
    return str(catalog[name][language])


#: Each form of the pages, and the API models its data is sent as.
FORMS: dict[tuple[str, str], list[type[ApiModel]]] = {
    ("profile", "profile-form"): [student.ProfileIn, student.ProfileUpdate],
    ("recover", "recover-form"): [student.RecoveryRequest],
    ("pay", "lookup-form"): [payments.PayLookup],
    ("waiver", "waiver-form"): [payments.WaiverRequest],
    ("prior-year", "prior-form"): [payments.PriorYearRequestIn],
    # (The roster's grade boxes are drawn by roster.js, labelled "Grade for <student>",
    # GradeIn's "Grade"; test_school_roster shows the API's words next to them.)
    ("staff/catalog", "school-form"): [catalog.SchoolIn, catalog.SchoolUpdate],
    ("staff/catalog", "course-form"): [catalog.CollegeCourseIn],
    ("staff/catalog", "offering-form"): [catalog.OfferingIn],
    ("staff/catalog", "offering-edit-form"): [catalog.OfferingUpdate],
    ("staff/catalog", "invite-form"): [catalog.SchoolUserInvite],
    ("staff/student", "check-form"): [payments.CheckIn],
    ("staff/student", "void-form"): [payments.VoidRequest],
    ("staff/student", "identity-form"): [student.IdentityCorrection],
    ("staff/student", "grade-form"): [grading.GradeCorrection],
    ("staff/grading", "deadline-form"): [grading.GradingDeadlineIn],
    ("staff/window", "extend-form"): [catalog.WindowExtension],
}


class _Form(HTMLParser):
    """The label of each named input of one form, as its page shows it in English: the
    <label>'s text, or the <legend>'s for a group of radio buttons (a data-i18n key's
    words in `language`); "(optional)" and "*" left out."""

    def __init__(self, form_id: str, language: Language = "en") -> None:
        super().__init__()
        self.form_id = form_id
        self.language = language
        self.inside = False
        self.texts: dict[str, str] = {}  # label text by the input id it is for
        self.label_for: str | None = None
        self.legends: list[str] = []
        self.legend: str | None = None
        self.inputs: list[tuple[str, str | None, str]] = []  # name, id, the group's legend

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "form":
            self.inside = a.get("id") == self.form_id
        if not self.inside:
            return
        if tag == "fieldset":
            self.legends.append("")
        elif tag == "legend":
            self.legend = ""
        elif tag == "label":
            self.label_for = a.get("for")
            self.texts[self.label_for or ""] = ""
        elif tag in ("input", "select", "textarea") and a.get("name"):
            if a.get("type") not in ("hidden", "submit", "button"):
                group = self.legends[-1] if a.get("type") == "radio" and self.legends else ""
                self.inputs.append((str(a["name"]), a.get("id"), group))
        if a.get("data-i18n"):
            self.handle_data(_english(str(a["data-i18n"]), self.language))

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.inside = False
        elif tag == "label":
            self.label_for = None
        elif tag == "legend" and self.legend is not None:
            self.legends[-1] = self.legend
            self.legend = None
        elif tag == "fieldset" and self.legends:
            self.legends.pop()

    def handle_data(self, data: str) -> None:
        if self.label_for is not None:
            self.texts[self.label_for] += data
        if self.legend is not None:
            self.legend += data

    def labels(self) -> dict[str, str]:
        found: dict[str, str] = {}
        for name, id_, group in self.inputs:
            text = group or self.texts.get(id_ or "", "")
            found.setdefault(
                name, re.sub(r"\(.*?\)|\*|optional|opcional", "", text, flags=re.I).strip()
            )
        return found


def _page_labels(page: str, form_id: str, language: Language = "en") -> dict[str, str]:
    parser = _Form(form_id, language)
    parser.feed((WEB / page / "index.html").read_text(encoding="utf-8"))
    assert parser.inputs, f"no form #{form_id} on /{page}/"
    return parser.labels()


def _model_label(model: type[ApiModel], dotted: str) -> tuple[bool, str | None]:
    """(whether the model takes the field, its label) for "mailing_address.city"."""
    head, _, rest = dotted.partition(".")
    field = model.model_fields.get(head)
    if field is None:
        return False, None
    if not rest:
        return True, model.labels.get(head)
    hints = typing.get_type_hints(model)
    args = typing.get_args(hints[head]) if isinstance(hints[head], types.UnionType) else ()
    for kind in (hints[head], *args):
        if isinstance(kind, type) and issubclass(kind, ApiModel):
            return _model_label(kind, rest)
    return False, None


@pytest.mark.parametrize(("page", "form_id"), list(FORMS), ids=[f for _, f in FORMS])
def test_the_api_names_each_field_as_its_form_does(page: str, form_id: str) -> None:
    for name, shown in _page_labels(page, form_id).items():
        for model in FORMS[(page, form_id)]:
            takes, label = _model_label(model, name)
            if takes:
                assert label == shown, f"{model.__name__}: {name} is labelled {shown!r} on /{page}/"


@pytest.mark.parametrize(("page", "form_id"), list(FORMS), ids=[f for _, f in FORMS])
def test_the_api_names_each_field_as_its_spanish_form_does(page: str, form_id: str) -> None:
    # Given each field of the form as the page labels it in Spanish
    for name, shown in _page_labels(page, form_id, "es").items():
        for model in FORMS[(page, form_id)]:
            takes, label = _model_label(model, name)
            if takes:
                # Then the API's Spanish for the field's label is the page's
                assert label is not None and messages.say(label, "es") == shown, (
                    f"{model.__name__}: {name} is labelled {shown!r} on the Spanish /{page}/"
                )


def _answer(
    model: type[ApiModel], body: dict[str, Any], language: Language = "en"
) -> dict[str, str]:
    """The API's 422 answer for `body`, as {field: message}."""
    with pytest.raises(ValidationError) as refused:
        model.model_validate(body)
    errors = [{**e, "loc": ("body", *e["loc"])} for e in refused.value.errors()]
    answer = json.loads(_invalid_request(RequestValidationError(errors), language).body)
    assert answer["code"] == "validation_error"
    return {e["field"]: e["message"] for e in answer["errors"]}


def test_a_422_answer_says_what_the_profile_page_shows() -> None:
    answer = _answer(
        student.ProfileIn,
        {
            "legal_first_name": "",
            "birth_date": "2009-02-30",
            "phone": "12",
            "mailing_address": {"line1": "1 Pine St", "state": "W1", "postal_code": "98O52"},
            "school_id": "s-1",
            "expected_graduation_year": 1999,
        },
    )
    assert answer == {
        "legal_first_name": "Legal first name is required",
        "legal_last_name": "Legal last name is required",
        "birth_date": "Date of birth must be a date",
        "phone": "Enter a phone number of 7 to 20 digits, like 425-555-0142.",
        "mailing_address.city": "City is required",
        "mailing_address.state": "Enter the state as two letters, like WA.",
        "mailing_address.postal_code": "Enter a ZIP code of 5 digits, like 98052.",
        "expected_graduation_year": "Year you expect to graduate must be at least 2000",
    }


def test_a_422_answer_names_fields_on_other_forms_too() -> None:
    assert _answer(student.ProfileIn, {"birth_date": "1900-01-01"})["birth_date"] == (
        "Date of birth must be a real date of birth in the past"
    )
    assert _answer(student.ProfileUpdate, {"school_id": None}) == {
        "school_id": "High school or skill center cannot be emptied"
    }
    assert _answer(student.RecoveryRequest, {"email": "nobody"}) == {
        "email": "Email address must be a valid email address"
    }
    check = _answer(payments.CheckIn, {"kind": "check", "amount_cents": "ten"})
    assert check["amount_cents"] == "Amount in dollars must be a whole number"
    assert check["received_on"] == "Date received is required"
    course = _answer(catalog.CollegeCourseIn, {"credits": 31})
    assert course["credits"] == "Credits must be at most 30"
    assert _answer(catalog.OfferingUpdate, {"teacher": " "}) == {"teacher": "Teacher is required"}
    # A school year, checked by the rules, says what it should look like (no field name).
    assert _answer(payments.WaiverRequest, {"school_year": "2026-28", "reason": "hardship"}) == {
        "school_year": "2026-28 is not a school year: the year after 2026 ends in 27. "
        "A school year looks like 2026-27."
    }
    # A field no form has keeps plain words, without a name.
    assert _answer(student.ProfileUpdate, {"legal_last_name": "Jones"}) == {
        "legal_last_name": "is not a field this form accepts"
    }


def test_a_422_answer_says_what_the_spanish_profile_page_shows() -> None:
    # Given the profile form sent from the Spanish page with blanks and bad values
    body = {
        "legal_first_name": "",
        "birth_date": "2009-02-30",
        "phone": "12",
        "mailing_address": {"line1": "1 Pine St", "state": "W1", "postal_code": "98O52"},
        "school_id": "s-1",
        "expected_graduation_year": 1999,
    }
    # When the API answers in Spanish
    answer = _answer(student.ProfileIn, body, "es")
    # Then each field is named as the Spanish page labels it, in Spanish words
    assert answer == {
        "legal_first_name": "El campo «Nombre legal» es obligatorio",
        "legal_last_name": "El campo «Apellido legal» es obligatorio",
        "birth_date": "El campo «Fecha de nacimiento» debe ser una fecha",
        "phone": "Escriba un número de teléfono de 7 a 20 dígitos, como 425-555-0142.",
        "mailing_address.city": "El campo «Ciudad» es obligatorio",
        "mailing_address.state": "Escriba el estado con dos letras, como WA.",
        "mailing_address.postal_code": "Escriba un código postal de 5 dígitos, como 98052.",
        "expected_graduation_year": "El campo «Año en que espera graduarse» debe ser al menos 2000",
    }
    # And a school year the rules refuse says what it should look like, in Spanish
    assert _answer(
        payments.WaiverRequest, {"school_year": "2026-28", "reason": "hardship"}, "es"
    ) == {
        "school_year": "2026-28 no es un año escolar: el año después de 2026 termina en 27. "
        "Un año escolar se escribe así: 2026-27."
    }
