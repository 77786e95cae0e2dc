"""Journey (e): axe-core finds no serious or critical violation on any page, at phone
width, in the states people see (empty forms, errors shown, data loaded); and no
page scrolls sideways at 375 px.

axe-core comes from the pinned PyPI package axe-playwright-python, which bundles
axe.min.js: nothing is downloaded at test time."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import axe_playwright_python
import pytest
from playwright.sync_api import Page, expect

from devstack import seed
from tests.browser.conftest import PHONE, api_student, call_api
from tests.browser.journeys import sign_in, sign_up
from tests.support.students import a_student

pytestmark = pytest.mark.browser

AXE_JS = Path(axe_playwright_python.__file__).with_name("axe.min.js")
BLOCKING = {"serious", "critical"}


def problems(page: Page, label: str) -> list[str]:
    """axe's serious and critical violations on the page as it is now, and sideways
    scrolling, as readable lines."""
    page.locator("body[data-ready]").wait_for(state="attached")
    if not page.evaluate("() => typeof window.axe === 'object'"):
        # Evaluated by the test (as DevTools does), not added as a page script: the
        # site's Content-Security-Policy refuses inline scripts, as it should.
        page.evaluate(AXE_JS.read_text(encoding="utf-8"))
    violations: list[dict[str, Any]] = page.evaluate(
        """async () => (await axe.run(document, {resultTypes: ["violations"]})).violations
             .map(v => ({id: v.id, impact: v.impact, help: v.help,
                         nodes: v.nodes.slice(0, 3).map(n => n.target.join(" "))}))"""
    )
    lines = [
        f"{label}: {v['impact']} {v['id']} ({v['help']}) at {v['nodes']}"
        for v in violations
        if v["impact"] in BLOCKING
    ]
    width = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    if width[0] > width[1]:
        lines.append(f"{label}: scrolls sideways ({width[0]} px wide in a {width[1]} px window)")
    return lines


def check(page: Page, path: str, found: list[str], label: str | None = None) -> None:
    page.goto(path)
    found += problems(page, label or path)


def test_pages_anyone_can_open(contexts, stack):
    page = contexts(PHONE).new_page()
    found: list[str] = []
    for path in ("/", "/signin/", "/forgot-password/", "/recover/", "/signup/", "/pay/"):
        check(page, path, found)
    # The pay page with an error, then with a fee found
    student = api_student(stack)
    page.get_by_role("button", name="Look up the fee").click()
    expect(page.get_by_role("alert")).to_be_visible()
    found += problems(page, "/pay/ with errors")
    page.get_by_label("SERS ID").fill(student.sers_id)
    page.get_by_label("Student's date of birth").fill(student.birth_date)
    page.get_by_role("button", name="Look up the fee").click()
    expect(page.get_by_role("region", name="Fee for 2026-27")).to_be_visible()
    found += problems(page, "/pay/ with a fee")
    # The sign-up code step
    page.goto("/signup/?confirm=someone%40example.org")
    expect(page.get_by_role("heading", name="Step 2 of 3: check your email")).to_be_visible()
    found += problems(page, "/signup/ code step")
    assert not found, "\n".join(found)


def test_student_pages(contexts, stack):
    student = api_student(stack, register=None)
    page = contexts(PHONE).new_page()
    found: list[str] = []
    sign_in(page, student.email, student.password, lands_on="/dashboard/")
    # The classes page before registering, then register and see the other pages with data
    check(page, "/classes/", found)
    page.get_by_label("Culinary Arts 1").check()
    page.get_by_role("button", name="Register").click()
    expect(page.get_by_role("heading", name="You are registered")).to_be_visible()
    found += problems(page, "/classes/ registered")
    for path in ("/dashboard/", "/confirmation/", "/waiver/", "/prior-year/", "/profile/"):
        check(page, path, found)
    # The profile form with errors next to its fields
    page.get_by_label("ZIP code").fill("ABC")
    page.get_by_role("button", name="Save changes").click()
    expect(page.get_by_label("ZIP code")).to_have_attribute("aria-invalid", "true")
    found += problems(page, "/profile/ with errors")
    assert not found, "\n".join(found)


def test_a_new_students_profile_form(contexts, stack):
    page = contexts(PHONE).new_page()
    sign_up(page, a_student("ana", unique=True))
    found = problems(page, "/profile/ new")
    page.get_by_role("button", name="Save and get my SERS ID").click()
    expect(page.get_by_label("Legal first name")).to_have_attribute("aria-invalid", "true")
    found += problems(page, "/profile/ new, with errors")
    assert not found, "\n".join(found)


def test_staff_pages(contexts, stack):
    student = api_student(stack, first_name="Eli")
    call_api(
        stack,
        "POST",
        "/students/me/waivers",
        token=student.token,
        body={"reason": "hardship", "explanation": "Family move"},
    )
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
            "reason": "Did not know",
        },
    )
    page = contexts(PHONE).new_page()
    found: list[str] = []
    sign_in(page, seed.STAFF_EMAIL, seed.STAFF_PASSWORD, lands_on="/staff/")
    found += problems(page, "/staff/")
    page.get_by_label("SERS ID").fill(student.sers_id)
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_role("link", name=student.sers_id)).to_be_visible()
    found += problems(page, "/staff/ results")
    for path in (
        f"/staff/student/?id={student.student_id}",
        "/staff/requests/",
        "/staff/review/",
        "/staff/catalog/",
        "/staff/window/",
        "/staff/report/",
        "/staff/grading/",
        "/staff/batches/",
    ):
        check(page, path, found)
    # The catalog's form that changes a class: open, then with an error next to a field
    page.goto("/staff/catalog/")
    page.locator("#offerings-body").get_by_role("button", name="Edit Welding 1").click()
    edit = page.locator("#offering-edit-form")
    expect(edit.get_by_label("Teacher")).to_be_visible()
    found += problems(page, "/staff/catalog/ changing a class")
    edit.get_by_label("Teacher").fill("")
    edit.get_by_role("button", name="Save changes").click()
    expect(edit.get_by_label("Teacher")).to_have_attribute("aria-invalid", "true")
    found += problems(page, "/staff/catalog/ changing a class, with errors")
    edit.get_by_role("button", name="Cancel editing").click()
    # The requests page: bulk decision with nothing selected, then a waiver selected and denied
    page.goto("/staff/requests/")
    waivers = page.locator("#waivers-form")
    waivers.get_by_role("button", name="Deny selected").click()
    expect(waivers.locator(".bulk-actions + .field-error")).to_be_visible()
    found += problems(page, "/staff/requests/ bulk, nothing selected")
    waivers.locator("li.request").filter(has_text=student.sers_id).get_by_label("Select").check()
    found += problems(page, "/staff/requests/ bulk, one selected")
    waivers.get_by_role("button", name="Deny selected").click()
    expect(waivers.get_by_role("status")).to_contain_text(
        f"Waiver for {student.sers_id}, 2026-27: denied."
    )
    found += problems(page, "/staff/requests/ bulk results")
    assert not found, "\n".join(found)


def test_school_user_pages(contexts, stack):
    student = api_student(stack, first_name="Fay")
    page = contexts(PHONE).new_page()
    sign_in(page, seed.SCHOOL_USER_EMAIL, seed.SCHOOL_USER_PASSWORD, lands_on="/school/")
    expect(page.get_by_role("table")).to_contain_text(f"{student.last_name}, Fay")
    found = problems(page, "/school/")
    # The roster with one student selected, then a grade error next to its row's box
    row = page.get_by_role("row").filter(has_text=student.sers_id)
    row.get_by_role("checkbox").check()
    found += problems(page, "/school/ one selected")
    row.get_by_label(re.compile(r"^Grade for")).fill("Q")
    page.get_by_role("button", name="Save grades").click()
    expect(row.get_by_label(re.compile(r"^Grade for"))).to_have_attribute("aria-invalid", "true")
    found += problems(page, "/school/ roster, with a row error")
    assert not found, "\n".join(found)


def test_the_site_s_pages_come_with_the_security_headers_that_ship(page, stack):
    # Given the home page, served as CloudFront serves it
    response = page.goto("/")
    assert response is not None
    headers = response.headers
    # Then it carries the template's policy, with this stack's API and Cognito
    policy = headers["content-security-policy"]
    assert "script-src 'self'" in policy and "frame-ancestors 'none'" in policy
    assert stack.moto_url in policy
    assert headers["x-frame-options"] == "DENY"
    assert "camera=()" in headers["permissions-policy"]


def test_the_site_s_policy_refuses_a_script_from_elsewhere(browser, stack):
    # Given a page of the site (a context of its own: the violation is the point here)
    context = browser.new_context(base_url=stack.site_url)
    try:
        page = context.new_page()
        page.goto("/")
        # When something adds a script from another origin
        blocked = page.evaluate(
            """() => new Promise((resolve) => {
                document.addEventListener(
                    "securitypolicyviolation", (e) => resolve(e.blockedURI), { once: true });
                const s = document.createElement("script");
                s.src = "https://example.com/x.js";
                document.head.appendChild(s);
            })"""
        )
        # Then the browser refuses it
        assert blocked == "https://example.com/x.js"
    finally:
        context.close()


def test_the_authenticator_steps_of_signing_in(contexts, stack):
    # A new school user's first sign-in: the set-up step, with an error, then (another
    # sign-in) the code step, with an error
    email = "axe.teacher@example.org"
    cognito = stack.client("cognito-idp")
    cognito.admin_create_user(
        UserPoolId=stack.invited_user_pool_id,
        Username=email,
        TemporaryPassword="Temporary-Pass-1",
        MessageAction="SUPPRESS",
        UserAttributes=[{"Name": "email", "Value": email}],
    )
    page = contexts(PHONE).new_page()
    page.goto("/signin/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password", exact=True).fill("Temporary-Pass-1")
    page.get_by_role("button", name="Sign in").click()
    page.get_by_label("New password").fill("Teacher-Pass-2026")
    page.get_by_role("button", name="Save password and sign in").click()
    expect(page.get_by_role("heading", name="Set up your authenticator app")).to_be_focused()
    found = problems(page, "/signin/ authenticator set-up")
    page.get_by_role("button", name="Verify and sign in").click()
    expect(page.get_by_label("Code from the app")).to_have_attribute("aria-invalid", "true")
    found += problems(page, "/signin/ authenticator set-up, with an error")
    page = contexts(PHONE).new_page()
    page.goto("/signin/")
    page.get_by_label("Email address").fill(seed.STAFF_EMAIL)
    page.get_by_label("Password", exact=True).fill(seed.STAFF_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Enter your authenticator code")).to_be_focused()
    found += problems(page, "/signin/ code")
    page.locator("#totp-form").get_by_role("button", name="Sign in").click()
    expect(page.get_by_label("Code from your authenticator app")).to_have_attribute(
        "aria-invalid", "true"
    )
    found += problems(page, "/signin/ code, with an error")
    assert not found, "\n".join(found)
