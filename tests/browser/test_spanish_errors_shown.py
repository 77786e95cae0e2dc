"""A Spanish page shows the server's refusal as it comes, and it comes in Spanish
(issue 11: the server is the one place that turns errors into words)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import PHONE, api_student

pytestmark = pytest.mark.browser


@pytest.fixture
def spanish_page(browser: Browser, stack) -> Iterator[Page]:
    """A page of a phone whose browser prefers Spanish."""
    context = browser.new_context(
        base_url=stack.site_url,
        viewport=PHONE,
        locale="es-MX",
        timezone_id="America/Los_Angeles",
    )
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()


def test_a_parent_on_the_spanish_pay_page_is_told_in_spanish(spanish_page: Page, stack):
    # Given a student's SERS ID with the wrong birth date, typed on the Spanish pay page
    student = api_student(stack, register=None)
    page = spanish_page
    page.goto("/pay/")
    page.get_by_label("SERS ID").fill(student.sers_id)
    page.get_by_label("Fecha de nacimiento del estudiante").fill("2001-01-01")
    # When the parent looks the fee up
    with page.expect_response("**/pay/lookup") as answered:
        page.get_by_role("button", name="Buscar la cuota").click()
    # Then the API answered in Spanish, and the page shows its words as they came
    response = answered.value
    assert response.status == 404
    assert response.headers["content-language"] == "es"
    expect(page.get_by_role("alert")).to_contain_text(
        "No encontramos ningún estudiante con ese SERS ID y esa fecha de nacimiento."
    )
