"""Issue 11: the site in English and Spanish.

A first visit follows the browser's language (navigator.languages), the switch in the
header changes it and the choice is remembered across pages and reloads; <html lang>
follows it; every page walked in each language shows only that language's catalog
strings (web/i18n/*.json), data the page marks translate="no" (names, SERS IDs,
emails) and numbers, amounts and dates; axe is clean in Spanish.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from devstack import seed, totp
from tests.browser.conftest import DESKTOP, PHONE, api_student
from tests.browser.journeys import TOTP_SECRETS
from tests.browser.test_accessibility import problems

pytestmark = pytest.mark.browser

WEB = Path(__file__).resolve().parents[2] / "web"
#: The public pages that are words only (no data), walked as a visitor sees them.
PUBLIC_PAGES = (
    "/",
    "/signin/",
    "/signup/",
    "/signup/?confirm=sam%40example.org",
    "/forgot-password/",
    "/recover/",
    "/pay/",
    "/guardian-stop/",
)


#: A signed-in student's pages (the dashboard and the printable confirmation mark their
#: data translate="no": classes, teachers, courses, the college, grades and dates).
STUDENT_PAGES = (
    "/dashboard/",
    "/confirmation/",
    "/profile/",
    "/classes/",
    "/waiver/",
    "/prior-year/",
)
#: Each signed-in role's pages, with who signs in to see them.
ROLE_PAGES = {
    "school": ((seed.SCHOOL_USER_EMAIL, seed.SCHOOL_USER_PASSWORD), ("/school/",)),
    "college": ((seed.REGISTRAR_EMAIL, seed.REGISTRAR_PASSWORD), ("/college/",)),
    "staff": (
        (seed.STAFF_EMAIL, seed.STAFF_PASSWORD),
        (
            "/staff/",
            "/staff/requests/",
            "/staff/catalog/",
            "/staff/review/",
            "/staff/window/",
            "/staff/grading/",
            "/staff/batches/",
            "/staff/report/",
        ),
    ),
}


MONTHS = {
    "en": "January|February|March|April|May|June|July|August|September|October|November|December"
    "|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Oct|Nov|Dec",
    "es": "enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|octubre|noviembre"
    "|diciembre|ene|feb|mar|abr|may|jun|jul|ago|sept|sep|oct|nov|dic",
}
#: What is no word of either language: numbers, amounts, school years, punctuation.
NO_WORDS = re.compile(r"^[\s\d$.,:;·•|/()%+\-–—*#]*$")


def _catalog_patterns(language: str) -> list[re.Pattern[str]]:
    """Each catalog string of `language` as a whole-text pattern, a placeholder
    standing for any text; and each piece between its placeholders as is (tNodes()
    puts each placeholder's value in its own element). A string that is placeholders
    and punctuation only ("{action}: {who}") must start with one of the language's
    plain strings, or it would let any text through."""
    values = [
        entry[language].strip()
        for path in sorted((WEB / "i18n").glob("*.json"))
        for entry in json.loads(path.read_text(encoding="utf-8")).values()
    ]
    plain = "|".join(re.escape(v) for v in sorted(values, key=len, reverse=True) if "{" not in v)
    patterns = []
    for value in values:
        parts = re.split(r"\{\w+\}", value)
        if len(parts) == 1:
            patterns.append(re.compile(f"^{re.escape(value)}$"))
            continue
        if all(NO_WORDS.match(part) for part in parts):
            rest = ".+?".join(map(re.escape, parts[1:]))
            patterns.append(re.compile(f"^{re.escape(parts[0])}({plain}){rest}$", re.S))
            continue
        patterns.append(re.compile("^" + ".+?".join(map(re.escape, parts)) + "$", re.S))
        pieces = {part.strip() for part in parts} - {""}
        patterns += [
            re.compile(f"^{re.escape(piece)}$") for piece in pieces if not NO_WORDS.match(piece)
        ]
    return patterns


PATTERNS = {language: _catalog_patterns(language) for language in ("en", "es")}


def _a_date(language: str) -> re.Pattern[str]:
    months = MONTHS[language]
    if language == "en":
        return re.compile(rf"^({months})\.? \d{{1,2}}, \d{{4}}(,? \d{{1,2}}:\d\d\s?[AP]M)?$")
    return re.compile(
        rf"^\d{{1,2}} (de )?({months})\.?( de)? \d{{4}}(,? \d{{1,2}}:\d\d(\s?[ap]\.?\s?m\.?)?)?$"
    )


_VISIBLE_TEXT = """() => {
  const found = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const element = node.parentElement;
    const text = node.textContent.trim();
    if (!text || !element || element.closest("script, style, [translate=no]")) continue;
    if (!element.checkVisibility({visibilityProperty: true})) continue;
    found.push(text);
  }
  for (const element of document.querySelectorAll("[aria-label], [placeholder], [title]")) {
    if (element.closest("[translate=no]")) continue;
    for (const name of ["aria-label", "placeholder", "title"]) {
      const value = (element.getAttribute(name) || "").trim();
      if (value) found.push(value);
    }
  }
  found.push(document.title);
  return found;
}"""


def foreign_strings(page: Page, language: str) -> list[str]:
    """The strings the page shows now that are not a catalog string of `language`,
    a date in that language, or no word at all."""
    page.locator("body[data-ready]").wait_for(state="attached")
    date = _a_date(language)
    return [
        text
        for text in page.evaluate(_VISIBLE_TEXT)
        if not NO_WORDS.match(text)
        and not date.match(text)
        and not any(p.match(text) for p in PATTERNS[language])
    ]


def sign_in(page: Page, email: str, password: str) -> None:
    """Sign in through the page in whatever language it shows (fields found by id)."""
    page.goto("/signin/")
    page.locator("#email").fill(email)
    page.locator("#password").fill(password)
    page.locator("#signin-form button[type=submit]").click()
    secret = TOTP_SECRETS.get(email.lower())
    if secret is not None:
        page.locator("#totp-code").fill(totp.code(secret))
        page.locator("#totp-form button[type=submit]").click()
    expect(page).not_to_have_url(re.compile(r"/signin/"))


def walk(page: Page, paths: tuple[str, ...], language: str) -> list[str]:
    """Open each page; the strings it shows that are not `language`'s catalog strings."""
    found = []
    for path in paths:
        page.goto(path)
        expect(page.locator("html")).to_have_attribute("lang", language)
        found += [f"{path}: {text!r}" for text in foreign_strings(page, language)]
    return found


@pytest.fixture
def browser_in(browser: Browser, stack) -> Iterator[Callable[..., BrowserContext]]:
    """browser_in("es-ES") -> a fresh profile whose browser prefers that language;
    like conftest's contexts, a CSP refusal fails the test."""
    made: list[BrowserContext] = []
    refused: list[str] = []

    def watch(message: Any) -> None:
        if message.type == "error" and "Content Security Policy" in message.text:
            refused.append(message.text)

    def new(locale: str, viewport: dict[str, int] = DESKTOP) -> BrowserContext:
        context = browser.new_context(
            base_url=stack.site_url,
            viewport=viewport,
            locale=locale,
            timezone_id="America/Los_Angeles",
        )
        context.set_default_timeout(10_000)
        context.on("console", watch)
        made.append(context)
        return context

    yield new
    for context in made:
        context.close()
    assert not refused, f"the site's Content-Security-Policy refused: {refused}"


def test_a_spanish_browser_sees_spanish_on_its_first_visit(browser_in):
    # Given a browser that prefers Spanish, on its first visit
    page = browser_in("es-ES").new_page()
    # When it opens the home page
    page.goto("/")
    # Then the page is in Spanish, and says so
    expect(page.locator("html")).to_have_attribute("lang", "es")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Crédito universitario por su clase de CTE"
    )
    expect(page).to_have_title("Inicio · Crédito Doble CTE")
    expect(page.get_by_role("link", name="Iniciar sesión").first).to_be_visible()
    # and the switch shows Español chosen, each name in its own language
    switch = page.get_by_role("group", name="Idioma")
    expect(switch.get_by_role("button", name="Español")).to_have_attribute("aria-pressed", "true")
    expect(switch.get_by_role("button", name="English")).to_have_attribute("lang", "en")


def test_an_english_browser_sees_english(browser_in):
    # Given a browser that prefers English (then French, which the site does not have)
    page = browser_in("en-US").new_page()
    # When it opens the home page / Then it is in English
    page.goto("/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_have_text("College credit for your CTE class")


def test_the_switch_changes_the_language_and_it_is_remembered(browser_in):
    # Given an English browser on the home page
    page = browser_in("en-US").new_page()
    page.goto("/")
    # When the visitor chooses Español
    page.get_by_role("group", name="Language").get_by_role("button", name="Español").click()
    # Then the page is in Spanish
    expect(page.locator("html")).to_have_attribute("lang", "es")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Crédito universitario por su clase de CTE"
    )
    # and stays so on a reload and on the next page
    page.reload()
    expect(page.locator("html")).to_have_attribute("lang", "es")
    page.get_by_role("navigation", name="Principal").get_by_role(
        "link", name="Iniciar sesión"
    ).click()
    expect(page).to_have_url("/signin/")
    expect(page.locator("html")).to_have_attribute("lang", "es")
    # When the visitor chooses English again / Then the page is in English
    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.goto("/")
    expect(page.get_by_role("heading", level=1)).to_have_text("College credit for your CTE class")


@pytest.mark.parametrize("locale,language", [("en-US", "en"), ("es-ES", "es")])
def test_the_public_pages_show_only_their_languages_catalog_strings(browser_in, locale, language):
    # Given a browser in the language
    page = browser_in(locale).new_page()
    # When it walks the public pages
    found = walk(page, PUBLIC_PAGES, language)
    # Then every string shown is one of that language's catalog strings
    assert not found, "\n".join(found)


@pytest.mark.parametrize("locale,language", [("en-US", "en"), ("es-ES", "es")])
def test_a_students_pages_show_only_their_languages_catalog_strings(
    browser_in, stack, locale, language
):
    # Given a registered student, signed in with a browser in the language
    student = api_student(stack)
    page = browser_in(locale).new_page()
    sign_in(page, student.email, student.password)
    # When they walk their pages
    found = walk(page, STUDENT_PAGES, language)
    # Then every string shown is one of that language's catalog strings
    assert not found, "\n".join(found)


def test_the_walk_finds_a_string_left_in_english(browser_in):
    # Given a Spanish page into which an English sentence slipped
    page = browser_in("es-ES").new_page()
    page.goto("/")
    page.locator("body[data-ready]").wait_for(state="attached")
    page.evaluate("() => document.querySelector('main p').append(' Left in English.')")
    # When the walk reads it / Then it names that string and only that one
    assert foreign_strings(page, "es") == ["Left in English."]


@pytest.mark.parametrize("role", sorted(ROLE_PAGES))
@pytest.mark.parametrize("locale,language", [("en-US", "en"), ("es-ES", "es")])
def test_the_school_and_staff_pages_show_only_their_languages_catalog_strings(
    browser_in, stack, role, locale, language
):
    # Given a registered student, and the role's account signed in with a browser in the language
    student = api_student(stack)
    (email, password), paths = ROLE_PAGES[role]
    if role == "staff":
        paths += (f"/staff/student/?id={student.student_id}",)
    page = browser_in(locale).new_page()
    sign_in(page, email, password)
    # When they walk their pages / Then every string shown is that language's
    found = walk(page, paths, language)
    assert not found, "\n".join(found)


@pytest.mark.parametrize("role", sorted(ROLE_PAGES))
def test_axe_is_clean_in_spanish_on_the_school_and_staff_pages(browser_in, stack, role):
    # Given the role's account signed in with a Spanish browser at phone width
    (email, password), paths = ROLE_PAGES[role]
    if role == "staff":
        paths += (f"/staff/student/?id={api_student(stack).student_id}",)
    page = browser_in("es-ES", PHONE).new_page()
    sign_in(page, email, password)
    # When axe runs on each of their pages / Then it finds no serious or critical problem
    found = _axe(page, paths)
    assert not found, "\n".join(found)


def _axe(page: Page, paths: tuple[str, ...]) -> list[str]:
    found: list[str] = []
    for path in paths:
        page.goto(path)
        expect(page.locator("html")).to_have_attribute("lang", "es")
        found += problems(page, f"{path} (es)")
    return found


def test_axe_is_clean_in_spanish_on_the_public_pages(browser_in):
    # Given a Spanish browser at phone width
    page = browser_in("es-ES", PHONE).new_page()
    # When axe runs on each public page / Then it finds no serious or critical problem
    found = _axe(page, PUBLIC_PAGES)
    assert not found, "\n".join(found)


def test_axe_is_clean_in_spanish_on_a_students_pages(browser_in, stack):
    # Given a registered student signed in with a Spanish browser at phone width
    student = api_student(stack)
    page = browser_in("es-ES", PHONE).new_page()
    sign_in(page, student.email, student.password)
    # When axe runs on each of their pages / Then it finds no serious or critical problem
    found = _axe(page, STUDENT_PAGES)
    assert not found, "\n".join(found)


def _window_request(request: Any) -> bool:
    return urlsplit(request.url).path.endswith("/window")


def test_the_api_is_asked_in_the_pages_language(browser_in):
    # Given a Spanish browser, and an English one that then chooses Español
    page = browser_in("es-ES").new_page()
    # When the home page asks the API for the registration window
    with page.expect_request(_window_request) as asked:
        page.goto("/")
    # Then it asks in Spanish
    assert asked.value.headers.get("accept-language") == "es"
    english = browser_in("en-US").new_page()
    with english.expect_request(_window_request) as asked:
        english.goto("/")
    assert asked.value.headers.get("accept-language") == "en"
    with english.expect_request(_window_request) as asked:
        english.get_by_role("button", name="Español").click()
    assert asked.value.headers.get("accept-language") == "es"


def test_a_page_not_for_the_account_says_so_in_spanish(browser_in, stack):
    # Given a student signed in with a Spanish browser
    student = api_student(stack)
    page = browser_in("es-ES").new_page()
    sign_in(page, student.email, student.password)
    # When they open a staff page
    page.goto("/staff/")
    # Then it says, in Spanish only, that the page is not for their account
    expect(page.get_by_role("heading", level=1)).to_have_text("Esta página no es para su cuenta")
    expect(page.get_by_role("link", name="Vaya a su página de inicio.")).to_have_attribute(
        "href", "/dashboard/"
    )
    assert foreign_strings(page, "es") == []
