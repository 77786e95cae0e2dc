"""Browser journeys: Debian's Chromium, driven by Playwright, against the local stack.

One DualCreditStack (moto, the API behind the gateway stand-in, the Stripe stand-in, the
pages from web/) serves every test in this folder, with the app's clock inside the
2026-27 registration window. `clock_at` moves that clock for a journey.
"""

from __future__ import annotations

import inspect
import json
import os
import re
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.request import ProxyHandler, build_opener

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect, sync_playwright

from devstack.stack import DualCreditStack
from tests.browser import journeys
from tests.support.students import Student, a_student, sign_up_with_cognito

REPO = Path(__file__).resolve().parents[2]
RESULTS = REPO / "test-results"
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
#: Inside the 2026-27 window (December 1 to June 15, Pacific time).
IN_WINDOW = "2027-01-15T10:00:00-08:00"
#: After the 2026-27 window closed, still in the 2026-27 school year.
AFTER_WINDOW = "2027-06-20T10:00:00-07:00"
PHONE = {"width": 375, "height": 812}
DESKTOP = {"width": 1280, "height": 900}
SERS_ID = re.compile(r"TP3-\d{2}-[0-9A-HJKMNP-TV-Z]{4}")
_LOCAL = build_opener(ProxyHandler({}))  # the local stack, never through a proxy

expect.set_options(timeout=10_000)


@pytest.fixture(scope="package")
def stack() -> Iterator[DualCreditStack]:
    options: dict[str, Any] = {
        "port": 0,
        "moto_port": 0,
        "quiet": True,
        "clock_override": IN_WINDOW,
    }
    if "stripe_port" in inspect.signature(DualCreditStack).parameters:
        options["stripe_port"] = 0
    local = DualCreditStack(**options).start()
    journeys.TOTP_SECRETS.update(local.totp_secrets)  # the demo staff and school accounts
    yield local
    local.stop()


@contextmanager
def clock_at(iso: str) -> Iterator[None]:
    """Move the app's clock (CLOCK_OVERRIDE, which the stack set) for a block."""
    from dualcredit.settings import get_settings

    saved = os.environ.get("CLOCK_OVERRIDE")
    os.environ["CLOCK_OVERRIDE"] = iso
    get_settings.cache_clear()
    try:
        yield
    finally:
        if saved is None:
            os.environ.pop("CLOCK_OVERRIDE", None)
        else:
            os.environ["CLOCK_OVERRIDE"] = saved
        get_settings.cache_clear()


@pytest.fixture(scope="package")
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists() and not shutil.which(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is missing: apt-get install -y --no-install-recommends chromium")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo) -> Any:
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


def _new_context(
    browser: Browser, stack: DualCreditStack, viewport: dict[str, int]
) -> BrowserContext:
    context = browser.new_context(
        base_url=stack.site_url,
        viewport=viewport,
        locale="en-US",
        timezone_id="America/Los_Angeles",
    )
    context.set_default_timeout(10_000)
    return context


@pytest.fixture
def contexts(browser: Browser, stack: DualCreditStack, request: pytest.FixtureRequest):
    """new_context(viewport) -> a fresh browser profile; a failing test leaves a
    screenshot of every open page in test-results/."""
    made: list[BrowserContext] = []
    # The pages run under the Content-Security-Policy CloudFront sends (the dev stack
    # serves the template's): anything it blocks fails the test.
    refused: list[str] = []

    def watch(message: Any) -> None:
        if message.type == "error" and "Content Security Policy" in message.text:
            refused.append(message.text)

    def new_context(viewport: dict[str, int] = DESKTOP) -> BrowserContext:
        context = _new_context(browser, stack, viewport)
        context.on("console", watch)
        made.append(context)
        return context

    yield new_context
    failed = any(
        getattr(getattr(request.node, f"report_{when}", None), "failed", False)
        for when in ("setup", "call")
    )
    for index, context in enumerate(made):
        if failed:
            RESULTS.mkdir(exist_ok=True)
            name = re.sub(r"[^A-Za-z0-9_.-]+", "_", request.node.nodeid)
            for number, page in enumerate(context.pages):
                page.screenshot(path=RESULTS / f"{name}-{index}-{number}.png", full_page=True)
        context.close()
    assert not refused, f"the site's Content-Security-Policy refused: {refused}"


@pytest.fixture
def page(contexts) -> Page:
    return contexts().new_page()


@pytest.fixture
def phone_page(contexts) -> Page:
    return contexts(PHONE).new_page()


def emails(stack: DualCreditStack) -> list[dict[str, Any]]:
    """What the local SES sent, newest first."""
    with _LOCAL.open(f"{stack.base_url}/_dev/emails.json", timeout=10) as response:
        return json.load(response)


def emails_to(stack: DualCreditStack, address: str) -> list[dict[str, Any]]:
    return [m for m in emails(stack) if address in m["to"]]


def call_api(
    stack: DualCreditStack, method: str, path: str, *, token: str | None = None, body: Any = None
) -> Any:
    """The API as the pages call it; fails the test on any error answer."""
    from urllib.error import HTTPError
    from urllib.request import Request

    request = Request(  # noqa: S310 - the local stack's URL
        f"{stack.api_url}{path}",
        method=method,
        data=None if body is None else json.dumps(body).encode(),
    )
    request.add_header("Content-Type", "application/json")
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    try:
        with _LOCAL.open(request, timeout=30) as response:
            return json.loads(response.read() or b"null")
    except HTTPError as error:
        raise AssertionError(f"{method} {path} -> {error.code}: {error.read().decode()}") from None


def api_student(
    stack: DualCreditStack,
    *,
    register: str | None = "Welding 1",
    school_index: int = 0,
    **details: Any,
) -> Student:
    """A student of the factory (`a_student("sam", unique=True, **details)`) made through
    Cognito and the API, for journeys about someone else: signed up, profile complete at
    a seeded school, and registered for a class there unless `register` is None. The
    student comes back with their token, SERS ID and student ID."""
    school = stack.seeded.schools[school_index]
    student = sign_up_with_cognito(
        stack, a_student("sam", unique=True, **{"school_id": school["school_id"], **details})
    )
    profile = call_api(stack, "POST", "/students/me", token=student.token, body=student.profile())
    if register:
        offering = next(
            o
            for o in stack.seeded.offerings
            if o["school_id"] == school["school_id"]
            and o["high_school_course"] == register
            and o["school_year"] == "2026-27"
        )
        call_api(
            stack,
            "POST",
            "/students/me/registrations",
            token=student.token,
            body={"offering_ids": [offering["offering_id"]]},
        )
    return student.but(sers_id=profile["sers_id"], student_id=profile["student_id"])


def dashboard_of(stack: DualCreditStack, student: Student) -> dict[str, Any]:
    return call_api(stack, "GET", "/students/me/dashboard", token=student.token)


def year_of(dashboard: dict[str, Any], school_year: str = "2026-27") -> dict[str, Any]:
    return next(y for y in dashboard["years"] if y["school_year"] == school_year)


def wait_for_card_payment(stack: DualCreditStack, student_id: str, timeout: float = 10.0) -> None:
    """Block until the Stripe stand-in has delivered (and the app answered) the
    checkout.session.completed event of this student's payment. The stand-in delivers
    on its own thread after redirecting the browser, so a page can arrive first."""
    import time

    standin = stack.stripe
    assert standin is not None, "the stack runs without the Stripe stand-in"
    deadline = time.monotonic() + timeout
    while True:
        seen = list(standin.deliveries)
        if any(
            d.event_type == "checkout.session.completed"
            and student_id.encode() in d.body
            and d.status is not None
            and d.status < 300
            for d in seen
        ):
            return
        left = deadline - time.monotonic()
        assert left > 0, f"no delivered checkout.session.completed for {student_id}: {seen}"
        standin.wait_for_deliveries(len(seen) + 1, timeout=left)
