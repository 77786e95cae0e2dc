"""The API's errors in the request's language (issue 11): a page in Spanish sends
Accept-Language es and shows the server's message as it comes, so every answer a family
can get (a form's fields, a rule, a conflict, a missing record, a lockout, a CSV file's
rows, a route's own message) is in Spanish for it, in English for an English page, and
names each field as the page in that language labels it."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from devstack.template import api_routes, public_operations
from dualcredit.http.app import openapi_json
from tests.support.events import LambdaContext, api_event, claims
from tests.support.students import a_student
from tests.support.world import STAFF, World

SPANISH = "es-MX,es;q=0.9,en;q=0.8"
ENGLISH = "en-US,en;q=0.9"
SPEC = json.loads(openapi_json(public_operations()))
#: Words that show English came through where Spanish was asked for.
ENGLISH_WORDS = re.compile(r"\b(is|must|should|the|and|not|field|required|Input)\b")
#: Library words that must never reach a family, in either language.
RAW = re.compile(r"Input should|Value error|Field required|validation error|pydantic|\[type=")


def _ask(
    api: Any,
    method: str,
    url: str,
    language: str | None,
    *,
    as_: Any = None,
    body: Any = None,
    raw_body: str | None = None,
) -> tuple[int, dict[str, str], Any]:
    """(status, headers, body) of a request sent with Accept-Language `language`."""
    event = api_event(
        method,
        url,
        body=body,
        claims=as_,
        raw_body=raw_body,
        headers={"Accept-Language": language},
    )
    response = api.handler(event, LambdaContext())
    headers = {k.lower(): v for k, v in (response.get("headers") or {}).items()}
    for name, values in (response.get("multiValueHeaders") or {}).items():
        headers.setdefault(name.lower(), ", ".join(values))
    return response["statusCode"], headers, json.loads(response["body"] or "null")


def _both(api: Any, method: str, url: str, **request: Any) -> tuple[Any, Any]:
    """The same request's answer in English and in Spanish (status and language checked)."""
    status_en, headers_en, english = _ask(api, method, url, ENGLISH, **request)
    status_es, headers_es, spanish = _ask(api, method, url, SPANISH, **request)
    assert status_en == status_es and status_en >= 400, (status_en, english, spanish)
    assert headers_en["content-language"] == "en"
    assert headers_es["content-language"] == "es"
    assert english["code"] == spanish["code"]
    assert [e["field"] for e in english["errors"]] == [e["field"] for e in spanish["errors"]]
    return english, spanish


def _messages(answer: Any) -> list[str]:
    return [answer["message"], *(e["message"] for e in answer["errors"])]


def _assert_spanish(english: Any, spanish: Any) -> None:
    """Each message of `spanish` is Spanish words, none English's or a library's."""
    for en, es in zip(_messages(english), _messages(spanish), strict=True):
        assert not RAW.search(en) and not RAW.search(es), (en, es)
        assert es != en, f"not said in Spanish: {en!r}"
        assert not ENGLISH_WORDS.search(es), f"English in the Spanish: {es!r}"


@pytest.fixture
def world(api, clock) -> World:
    clock("2027-01-15T10:00:00-08:00")
    return World(api).build("2026-27")


def test_a_first_submit_names_every_missing_field_in_the_pages_language(api, world):
    # Given a signed-in student who sends the profile form empty
    student = a_student("ana", sub="s-ana", school_id=world.school_x)
    # When the API answers in each language
    english, spanish = _both(api, "POST", "/students/me", as_=student, body={})
    # Then every required field is named at once, as each page labels it
    missing = {
        "legal_first_name": ("Legal first name", "Nombre legal"),
        "legal_last_name": ("Legal last name", "Apellido legal"),
        "birth_date": ("Date of birth", "Fecha de nacimiento"),
        "mailing_address": ("Mailing address", "Dirección postal"),
        "school_id": ("High school or skill center", "Preparatoria o centro de formación técnica"),
        "expected_graduation_year": ("Year you expect to graduate", "Año en que espera graduarse"),
    }
    en = {e["field"]: e["message"] for e in english["errors"]}
    es = {e["field"]: e["message"] for e in spanish["errors"]}
    assert set(missing) <= set(en)
    for field, (label_en, label_es) in missing.items():
        assert en[field] == f"{label_en} is required"
        assert es[field] == f"El campo «{label_es}» es obligatorio"
    assert english["message"].startswith("Check the form: Legal first name is required")
    assert spanish["message"].startswith(
        "Revise el formulario: El campo «Nombre legal» es obligatorio"
    )
    _assert_spanish(english, spanish)


def test_a_field_a_rule_refuses_is_named_in_spanish_with_the_rules_words(api, world):
    # Given a profile with a bad ZIP code, a date of birth in the future and a bad year
    student = a_student("ana", sub="s-ana", school_id=world.school_x)
    body = student.profile(birth_date="2030-01-01", expected_graduation_year=1999)
    body["mailing_address"] = {**body["mailing_address"], "postal_code": "98O52"}
    # When it is sent from a Spanish page
    english, spanish = _both(api, "POST", "/students/me", as_=student, body=body)
    # Then each field says what is wrong in Spanish
    es = {e["field"]: e["message"] for e in spanish["errors"]}
    assert es["mailing_address.postal_code"] == "Escriba un código postal de 5 dígitos, como 98052."
    assert es["birth_date"] == (
        "El campo «Fecha de nacimiento» debe ser una fecha de nacimiento real, en el pasado"
    )
    assert es["expected_graduation_year"] == (
        "El campo «Año en que espera graduarse» debe ser al menos 2000"
    )
    _assert_spanish(english, spanish)


def test_conflicts_and_missing_records_are_in_spanish(api, world):
    # Given a student without a profile, and one with a profile
    newcomer = a_student("ana", sub="s-ana", school_id=world.school_x)
    bob = world.student("bob")
    # When they do what they cannot yet, in Spanish
    cases = [
        ("POST", "/students/me/registrations", newcomer, {"offering_ids": [world.offering_x]}),
        ("GET", "/students/me", newcomer, None),
        ("POST", "/students/me/registrations", bob, {"offering_ids": ["nosuchclass"]}),
        ("POST", "/students/me", bob, bob.profile()),
        ("GET", "/nowhere/at/all", bob, None),
    ]
    answers = [_both(api, method, url, as_=who, body=body) for method, url, who, body in cases]
    # Then each says it in Spanish
    spanish = [es["message"] for _, es in answers]
    assert spanish == [
        "Complete su perfil antes de registrar una clase.",
        "Complete su perfil para obtener su SERS ID.",
        "No hay ninguna clase de 2026-27 con este identificador.",
        "Su perfil ya está completo.",
        "No hay nada en esta dirección.",
    ]
    for english, es in answers:
        _assert_spanish(english, es)


def test_a_lockout_is_in_spanish(api, world):
    # Given a parent who mistypes the date of birth on the pay page until locked out
    bob = world.student("bob")
    lookup = {"sers_id": bob.sers_id, "birth_date": "2001-01-01"}
    for _ in range(5):
        status, _, answer = _ask(api, "POST", "/pay/lookup", SPANISH, body=lookup)
        assert status == 404
    assert answer["message"] == (
        "No encontramos ningún estudiante con ese SERS ID y esa fecha de nacimiento."
    )
    # When they try again
    status, headers, answer = _ask(api, "POST", "/pay/lookup", SPANISH, body=lookup)
    # Then the lockout, and how to pay by check instead, are in Spanish
    assert status == 429 and headers["content-language"] == "es"
    assert answer["message"].startswith("Demasiados intentos. Por favor, espere una hora")
    assert "pagar con cheque o giro postal: a nombre de PNW College Credit" in answer["message"]


def test_a_csv_files_rows_are_refused_in_spanish(grades_api, world):
    # Given a school's file (its own column names) with a bad grade and an unknown SERS ID
    bob = world.student("bob")
    world.ok(
        "POST", "/students/me/registrations", as_=bob, body={"offering_ids": [world.offering_x]}
    )
    teacher = claims("teacher-x", groups=["school"], school_id=world.school_x)
    text = (
        f"SERS ID,College course code,GRADE\n{bob.sers_id},WELD 101,B++\nTP3-27-ZZZZ,WELD 101,A\n"
    )
    # When it is posted from the Spanish roster page
    english, spanish = _both(
        grades_api,
        "POST",
        f"/schools/{world.school_x}/grades/csv?school_year=2026-27",
        as_=teacher,
        raw_body=text,
    )
    # Then each row is named in Spanish, the file's own column names kept
    rows = [e["message"] for e in spanish["errors"]]
    assert rows[0].startswith(
        "Línea 2, columna «GRADE»: «B++» no es una calificación que conozcamos."
    )
    assert rows[1] == (
        "Línea 3, columna «College course code»: TP3-27-ZZZZ no está registrado en esta "
        "clase en esta escuela en 2026-27."
    )
    assert spanish["message"].startswith("2 de las filas no se pueden guardar; no se guardó nada.")
    _assert_spanish(english, spanish)


def test_a_routes_own_message_is_in_the_requests_language(api, world):
    # Given a family asking for a forgotten SERS ID from the Spanish and the English page
    body = {"email": "nobody@example.org"}
    # When the API accepts the request
    status_es, _, spanish = _ask(api, "POST", "/sers-id/recovery", SPANISH, body=body)
    status_en, _, english = _ask(api, "POST", "/sers-id/recovery", ENGLISH, body=body)
    # Then its answer is in the page's language
    assert status_es == status_en == 202
    assert spanish["message"] == (
        "Si una cuenta usa ese correo electrónico, le enviamos allí su SERS ID. "
        "Revise su bandeja de entrada y la carpeta de correo no deseado."
    )
    assert english["message"].startswith("If an account uses that email address")


def test_an_english_or_unknown_language_gets_english(api, world):
    # Given a request in English, one in French, and one without the header
    student = a_student("ana", sub="s-ana", school_id=world.school_x)
    for language in (ENGLISH, "fr-FR,fr;q=0.9", None):
        # When it is refused
        status, headers, answer = _ask(api, "GET", "/students/me", language, as_=student)
        # Then it is in English, as it was written
        assert status == 404 and headers["content-language"] == "en"
        assert answer["message"] == "Complete your profile to get your SERS ID."


# -- every form of the API ---------------------------------------------------------------


def _json_routes() -> list[tuple[str, str, dict[str, Any]]]:
    routes = []
    for path, operations in SPEC["paths"].items():
        for method, operation in operations.items():
            content = operation.get("requestBody", {}).get("content", {})
            if "application/json" in content:
                routes.append((method.upper(), path, content["application/json"]["schema"]))
    return routes


def _schema(schema: dict[str, Any]) -> dict[str, Any]:
    if "$ref" in schema:
        return dict(SPEC["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]])
    return schema


def _properties(schema: dict[str, Any]) -> list[str]:
    return list(_schema(schema).get("properties", {}))


#: The grade import function's routes, as the template gives them to it (the others
#: are the API function's).
GRADE_ROUTES = {
    (route.method, route.path) for route in api_routes() if route.function == "GradeImportFunction"
}
#: Bodies no form would send: empty, and every field of a wrong kind.
BAD_VALUES: list[Any] = [{"x": []}, "x" * 5000, -1, [None], True]


@pytest.mark.parametrize(("method", "path", "schema"), _json_routes(), ids=lambda v: str(v)[:40])
def test_every_forms_refusals_are_in_spanish(api, grades_api, world, method, path, schema):
    # Given a route that takes a form (as staff: the body is read before the caller's role)
    url = re.sub(r"\{(\w+)\}", lambda m: "2026-27" if m[1] == "school_year" else "x1", path)
    target = grades_api if (method, path) in GRADE_ROUTES else api
    bodies = [{}, *({name: value for name in _properties(schema)} for value in BAD_VALUES)]
    for body in bodies:
        # When a bad form is sent in English and in Spanish
        status, _, answer = _ask(target, method, url, SPANISH, as_=STAFF, body=body)
        if status < 400:
            continue  # not refused
        english, spanish = _both(target, method, url, as_=STAFF, body=body)
        # Then every message is Spanish words, with no library or English text
        _assert_spanish(english, spanish)
        if body == {} and status == 422:
            # And an empty form names every required field at once
            required = set(_schema(schema).get("required", []))
            assert required <= {e["field"] for e in spanish["errors"]}, spanish


def _parameter_routes() -> list[tuple[str, str, list[dict[str, Any]]]]:
    return [
        (method.upper(), path, operation["parameters"])
        for path, operations in SPEC["paths"].items()
        for method, operation in operations.items()
        if operation.get("parameters")
    ]


#: Values no page would put in a path or query parameter.
BAD_PARAMETERS = ["x" * 300, "2026-28", "-5", "abc"]


@pytest.mark.parametrize(
    ("method", "path", "parameters"), _parameter_routes(), ids=lambda v: str(v)[:40]
)
def test_every_parameters_refusals_are_in_spanish(api, grades_api, world, method, path, parameters):
    # Given a route that takes path or query parameters
    target = grades_api if (method, path) in GRADE_ROUTES else api
    body = {} if any(p in path for p in ("/csv",)) else None
    for value in BAD_PARAMETERS:
        # When each parameter is given a value no page sends, in English and in Spanish
        url = re.sub(r"\{(\w+)\}", value, path)
        query = "&".join(f"{p['name']}={value}" for p in parameters if p["in"] == "query")
        url = f"{url}?{query}" if query else url
        status, _, _ = _ask(target, method, url, SPANISH, as_=STAFF, body=body)
        if status < 400:
            continue
        english, spanish = _both(target, method, url, as_=STAFF, body=body)
        # Then every message is Spanish words, with no library or English text
        _assert_spanish(english, spanish)
