"""Issue 11, slow connections and keyboards: a signed-in page says it is loading while
its data is on the way, and shows none of its forms until it arrives (an existing
student never sees the blank first-time profile form); after an action, focus moves to
its result. The data is held back by a route handler until the loading state was seen,
then let through: no sleeps."""

from __future__ import annotations

import re
from collections.abc import Callable
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, Route, expect

from devstack import seed
from tests.browser.conftest import api_student, call_api
from tests.browser.journeys import sign_in

pytestmark = pytest.mark.browser

DASHBOARD = re.compile(r"/dashboard/?$")


class Held:
    """Every GET of one API path (e.g. "/students/me"), held until the test lets it go."""

    def __init__(self, page: Page, api_path: str) -> None:
        self.page = page
        self.routes: list[Route] = []
        self.matcher: Callable[[str], bool] = lambda url: urlsplit(url).path.endswith(api_path)
        page.route(self.matcher, self._handle)

    def _handle(self, route: Route) -> None:
        if route.request.method == "GET":
            self.routes.append(route)
        else:
            route.fallback()

    def open(self, path: str) -> None:
        """Open the page, returning once it asked for the held path."""
        with self.page.expect_request(
            lambda request: request.method == "GET" and self.matcher(request.url)
        ):
            self.page.goto(path, wait_until="commit")

    def release(self) -> None:
        """Let the held requests (and any later one) through."""
        assert self.routes, "the page never asked for its data"
        self.page.unroute(self.matcher, self._handle)
        for route in self.routes:
            route.fallback()


def _in_spanish(page: Page) -> None:
    page.get_by_role("button", name="Español").click()
    expect(page.locator("html")).to_have_attribute("lang", "es")


@pytest.mark.parametrize(
    "language,loading,heading",
    [("en", "Loading…", "Your profile"), ("es", "Cargando…", "Su perfil")],
)
def test_an_existing_student_never_sees_the_blank_profile_form(
    page: Page, stack, language, loading, heading
):
    # Given a student with a profile, signed in, in the language
    student = api_student(stack)
    sign_in(page, student.email, student.password, lands_on=DASHBOARD)
    if language == "es":
        _in_spanish(page)
    # When they open their profile on a connection that has not brought it yet
    held = Held(page, "/students/me")
    held.open("/profile/")
    # Then the page says it is loading, and shows no form and no first-time heading
    expect(page.get_by_role("status").filter(has_text=loading)).to_be_visible()
    expect(page.locator("#profile-form")).to_be_hidden()
    expect(page.locator("#profile-heading")).to_be_hidden()
    # When the profile arrives
    held.release()
    # Then their own profile is shown, their name in it, and the loading message is gone
    expect(page.get_by_role("heading", level=1)).to_have_text(heading)
    expect(page.locator("#legal_last_name")).to_have_value(student.last_name)
    expect(page.locator("#legal_last_name")).to_be_disabled()
    expect(page.locator("#page-loading")).to_have_count(0)


@pytest.mark.parametrize(
    "path,api_path,form",
    [
        ("/classes/", "/students/me/dashboard", "#register-form"),
        ("/waiver/", "/students/me/dashboard", "#waiver-form"),
        ("/prior-year/", "/students/me", "#prior-form"),
    ],
)
def test_a_students_form_pages_say_they_are_loading(page: Page, stack, path, api_path, form):
    # Given a signed-in student whose page's data is slow to come
    student = api_student(stack)
    sign_in(page, student.email, student.password, lands_on=DASHBOARD)
    held = Held(page, api_path)
    # When they open the page
    held.open(path)
    # Then it says it is loading and shows no form yet; once the data comes, the form
    expect(page.get_by_role("status").filter(has_text="Loading…")).to_be_visible()
    expect(page.locator(form).first).to_be_hidden()
    held.release()
    expect(page.locator(form).first).to_be_visible()
    expect(page.locator("#page-loading")).to_have_count(0)


def test_the_pay_page_says_it_is_loading_until_it_can_take_a_lookup(page: Page, stack):
    # Given a parent whose connection has not brought the program's facts yet
    held = Held(page, "/program")
    # When they open the pay page
    held.open("/pay/")
    # Then it says it is loading, and shows no lookup form yet
    expect(page.get_by_role("status").filter(has_text="Loading…")).to_be_visible()
    expect(page.locator("#lookup-form")).to_be_hidden()
    held.release()
    # And once the facts come, the lookup form, ready to send
    expect(page.get_by_role("button", name="Look up the fee")).to_be_enabled()
    expect(page.locator("#page-loading")).to_have_count(0)


def test_the_home_page_says_the_window_is_loading_and_its_links_work_meanwhile(page: Page, stack):
    # Given a visitor whose connection has not brought the window's dates yet
    held = Held(page, "/window")
    # When they open the home page
    held.open("/")
    # Then the window line says it is loading, and the sign-up link is already there
    expect(page.locator("#window-status")).to_have_text("Loading…")
    expect(page.locator("#window-status")).to_have_attribute("role", "status")
    expect(page.locator("main a[href='/signup/']").first).to_be_visible()
    # When the dates come, Then the line gives them
    held.release()
    expect(page.locator("#window-status")).to_contain_text("2026-27")
    expect(page.locator("#window-status")).not_to_have_text("Loading…")


def test_the_school_roster_says_it_is_loading(page: Page, stack):
    # Given the school user, signed in, whose roster is slow to come
    sign_in(page, seed.SCHOOL_USER_EMAIL, seed.SCHOOL_USER_PASSWORD, lands_on="/school/")
    held = Held(page, "/roster")
    # When they open the roster page
    held.open("/school/")
    # Then it says it is loading, and shows no roster yet
    expect(page.get_by_role("status").filter(has_text="Loading…")).to_be_visible()
    expect(page.locator("#roster-form")).to_be_hidden()
    held.release()
    # And once the roster comes, the roster
    expect(page.locator("#roster-form")).to_be_visible()
    expect(page.locator("#page-loading")).to_have_count(0)


def test_on_the_roster_focus_stays_on_the_row_answered(page: Page, stack):
    # Given a student registered at the school user's school, on the roster
    student = api_student(stack, first_name="Row")
    sign_in(page, seed.SCHOOL_USER_EMAIL, seed.SCHOOL_USER_PASSWORD, lands_on="/school/")
    row = page.get_by_role("row").filter(has_text=student.sers_id)
    # When they confirm the student with the row's own button
    row.get_by_role("button", name=re.compile("^Confirm")).click()
    # Then the result is said, and after the roster redraws, focus is on that row's button
    expect(page.locator("#roster-form .form-status")).to_contain_text("is marked in Welding 1")
    expect(row).to_contain_text("In the class")
    expect(row.get_by_role("button", name=re.compile("^Not in class"))).to_be_focused()


def _ask_prior_year(page: Page, course: str) -> None:
    form = page.locator("#prior-form")
    form.locator("#school_year").select_option("2025-26")
    form.locator("#school_id").select_option(index=1)
    form.locator("#high_school_course").fill(course)
    form.locator("#teacher").fill("Ms. Rivera")
    form.locator("#reason").fill("I did not know about the program.")
    form.locator("button[type=submit]").click()


def test_a_sent_request_clears_the_form_and_a_second_one_for_the_class_is_refused(
    page: Page, stack
):
    # Given a signed-in student on the prior-year credit page
    student = api_student(stack)
    sign_in(page, student.email, student.password, lands_on=DASHBOARD)
    page.goto("/prior-year/")
    # When they ask for 2025-26 credit for Welding 1
    _ask_prior_year(page, "Welding 1")
    # Then the result is said, focus moves to it, and the form is empty again
    result = page.locator("#prior-form .form-status")
    expect(result).to_contain_text("Your request for 2025-26 is sent")
    expect(result).to_be_focused()
    expect(page.locator("#high_school_course")).to_have_value("")
    # When they ask again for the same class and year while the first one waits
    _ask_prior_year(page, "welding 1")
    # Then it is refused next to the class name, which has the focus, and nothing is sent
    course = page.get_by_label("High-school class name")
    expect(course).to_have_attribute("aria-invalid", "true")
    expect(course).to_have_accessible_description(re.compile("our office has not decided yet"))
    expect(course).to_be_focused()
    # And the dashboard lists the one request, waiting
    page.goto("/dashboard/")
    requests = page.get_by_role("region", name="Your requests")
    expect(requests.get_by_role("listitem")).to_have_count(1)
    expect(requests).to_contain_text(
        "Prior-year credit for 2025-26 (Welding 1): waiting for our office's decision"
    )


def test_a_sent_waiver_request_moves_focus_to_its_result_in_spanish(page: Page, stack):
    # Given a signed-in student whose fee is due, in Spanish, on the waiver page
    student = api_student(stack)
    sign_in(page, student.email, student.password, lands_on=DASHBOARD)
    _in_spanish(page)
    page.goto("/waiver/")
    form = page.locator("#waiver-form")
    # When they ask for a waiver
    form.locator("input[type=radio]").first.check()
    form.locator("button[type=submit]").click()
    # Then the result is said in Spanish, and the focus is on it
    result = form.locator(".form-status")
    expect(result).to_contain_text("está enviada")
    expect(result).to_be_focused()


def test_a_second_request_for_the_class_is_refused_in_spanish(page: Page, stack):
    # Given a student whose 2025-26 Welding 1 request waits, on the page in Spanish
    student = api_student(stack)
    call_api(
        stack,
        "POST",
        "/students/me/prior-year-requests",
        token=student.token,
        body={
            "school_year": "2025-26",
            "school_id": stack.seeded.schools[0]["school_id"],
            "high_school_course": "Welding 1",
            "teacher": "Ms. Rivera",
            "reason": "I did not know about the program.",
        },
    )
    sign_in(page, student.email, student.password, lands_on=DASHBOARD)
    _in_spanish(page)
    page.goto("/prior-year/")
    # When they ask for it again
    _ask_prior_year(page, "Welding 1")
    # Then the refusal is in Spanish, next to the class name, which has the focus
    course = page.locator("#high_school_course")
    expect(course).to_have_accessible_description(re.compile("todavía no ha decidido"))
    expect(course).to_be_focused()
