"""Journeys (issue 12): a school user selects many students, or all, and answers for them
in one request; types grades in the roster and saves them with one press; and on a phone
reads the roster as one card per student with its buttons in reach."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, Request, expect

from devstack import seed
from tests.browser.conftest import api_student
from tests.browser.journeys import sign_in
from tests.browser.test_accessibility import problems

pytestmark = pytest.mark.browser

PHONE_390 = {"width": 390, "height": 844}
ROSTER = re.compile(r"registrations? in 2026-27")


def _requests_to(page: Page, path: str) -> list[Request]:
    """The PUT requests the page sends to `path` from now on."""
    seen: list[Request] = []
    page.on("request", lambda r: seen.append(r) if r.method == "PUT" and path in r.url else None)
    return seen


def _row(page: Page, sers_id: str):
    return page.get_by_role("table", name=ROSTER).get_by_role("row").filter(has_text=sers_id)


def test_a_school_user_selects_all_then_some_and_answers_for_them_at_once(page: Page, stack):
    # Given two more students registered at the school user's school
    gil, hal = (api_student(stack, first_name=name) for name in ("Gil", "Hal"))
    sign_in(page, seed.SCHOOL_USER_EMAIL, seed.SCHOOL_USER_PASSWORD, lands_on="/school/")
    table = page.get_by_role("table", name=ROSTER)
    expect(_row(page, hal.sers_id)).to_be_visible()
    boxes = table.get_by_role("checkbox")
    count = boxes.count()
    answers = _requests_to(page, "/enrollments")
    # (with nothing selected, the selection's buttons wait)
    expect(page.get_by_role("button", name="Confirm selected")).to_be_disabled()
    # When they select all
    select_all = page.get_by_label(f"Select all {count}")
    select_all.check()
    # Then every student is selected, and unselecting one leaves the choice mixed
    for index in range(count):
        expect(boxes.nth(index)).to_be_checked()
    expect(page.locator("#selection-count")).to_have_text(f"{count} of {count} selected")
    _row(page, gil.sers_id).get_by_role("checkbox").uncheck()
    expect(select_all).to_have_js_property("indeterminate", True)
    select_all.check()
    # When they confirm the selection
    page.get_by_role("button", name="Confirm selected").click()
    # Then one request answered for all of them, and every row is in the class
    status = page.locator("#roster-form").get_by_role("status")
    expect(status).to_have_text(re.compile(r"^\d+ students? marked in the class, \d+ unchanged\.$"))
    assert len(answers) == 1 and len(answers[0].post_data_json["entries"]) == count
    for index in range(count):
        expect(table.get_by_role("row").nth(index + 1)).to_contain_text("In the class")
    # When they select Gil and Hal and mark them not in the class
    for student in (gil, hal):
        _row(page, student.sers_id).get_by_role("checkbox").check()
    expect(page.locator("#selection-count")).to_have_text(f"2 of {count} selected")
    page.get_by_role("button", name="Mark selected not in class").click()
    # Then both are out of the class, with one more request, and the others stay in
    expect(status).to_have_text("2 students marked not in the class, 0 unchanged.")
    assert len(answers) == 2
    for student in (gil, hal):
        expect(_row(page, student.sers_id)).to_contain_text("Not in the class")
    expect(_row(page, stack.seeded.student["sers_id"])).to_contain_text("In the class")


def test_grades_typed_in_the_roster_are_saved_with_one_press_or_not_at_all(page: Page, stack):
    # Given two students registered at the school user's school
    ida, jo = (api_student(stack, first_name=name) for name in ("Ida", "Jo"))
    sign_in(page, seed.SCHOOL_USER_EMAIL, seed.SCHOOL_USER_PASSWORD, lands_on="/school/")
    ida_grade = _row(page, ida.sers_id).get_by_label(re.compile(r"^Grade for"))
    jo_grade = _row(page, jo.sers_id).get_by_label(re.compile(r"^Grade for"))
    posts = _requests_to(page, "/grades")
    # When they type an A for Ida and a Z (not a grade) for Jo, and save
    ida_grade.fill("A")
    jo_grade.fill("z")
    page.get_by_role("button", name="Save grades").click()
    # Then Jo's row says what is wrong, in the server's words, and Ida's is not marked
    expect(jo_grade).to_have_attribute("aria-invalid", "true")
    expect(jo_grade).to_have_accessible_description(re.compile(r'"z" is not a grade we know'))
    expect(jo_grade).to_be_focused()
    expect(ida_grade).not_to_have_attribute("aria-invalid", "true")
    expect(page.locator("#roster-form").get_by_role("alert")).to_be_visible()
    assert len(posts) == 1 and len(posts[0].post_data_json["grades"]) == 2
    # And nothing was saved: the roster read again has neither grade
    page.reload()
    expect(ida_grade).to_have_value("")
    expect(jo_grade).to_have_value("")
    # When they type both again, Jo's corrected, and press Enter in Jo's box
    ida_grade.fill("A")
    jo_grade.fill("b-")
    jo_grade.press("Enter")
    # Then both are posted in one request, with the credit each earns
    status = page.locator("#roster-form").get_by_role("status")
    expect(status).to_have_text("2 grades posted, 0 unchanged, for 2026-27.")
    assert len(posts) == 2 and len(posts[1].post_data_json["grades"]) == 2
    expect(ida_grade).to_have_value("A")
    expect(jo_grade).to_have_value("B-")
    expect(_row(page, ida.sers_id)).to_contain_text("earns credit")
    expect(_row(page, jo.sers_id)).to_contain_text("no credit")
    # When they empty Ida's box and save, Then her row says a grade is required
    ida_grade.fill("")
    page.get_by_role("button", name="Save grades").click()
    expect(ida_grade).to_have_accessible_description(re.compile("Grade is required"))


def test_on_a_phone_the_roster_is_one_card_per_student_with_its_buttons_in_reach(contexts, stack):
    # Given a student nobody has answered for yet, and a school user on a 390 px phone
    kim = api_student(stack, first_name="Kim")
    page = contexts(PHONE_390).new_page()
    sign_in(page, seed.SCHOOL_USER_EMAIL, seed.SCHOOL_USER_PASSWORD, lands_on="/school/")
    card = _row(page, kim.sers_id)
    expect(card.get_by_role("button", name="Confirm")).to_be_visible()
    # Then each student is a card as wide as the screen allows, one under the other
    rows = page.get_by_role("table", name=ROSTER).locator("tbody").get_by_role("row")
    boxes = [rows.nth(i).bounding_box() for i in range(rows.count())]
    assert boxes and all(b is not None for b in boxes)
    for box in boxes:
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE_390["width"]
    tops = [b["y"] for b in boxes if b is not None]
    bottoms = [b["y"] + b["height"] for b in boxes if b is not None]
    assert all(top >= bottom for top, bottom in zip(tops[1:], bottoms, strict=False)), boxes
    # And every button and box of the roster lies within the screen's width
    controls = page.locator("#roster-form").locator("button, input")
    for index in range(controls.count()):
        control = controls.nth(index)
        control.scroll_into_view_if_needed()
        box = control.bounding_box()
        assert box is not None, index
        assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE_390["width"], (
            control.evaluate("e => e.outerHTML"),
            box,
        )
    # And a card's buttons work where they are: confirming Kim from her card
    card.get_by_role("button", name="Confirm").click()
    expect(card).to_contain_text("In the class")
    # And axe finds nothing serious, with a selection and with a row error shown
    found = problems(page, "/school/ on a 390 px phone")
    card.get_by_role("checkbox").check()
    found += problems(page, "/school/ on a phone, one selected")
    card.get_by_label(re.compile(r"^Grade for")).fill("Q")
    page.get_by_role("button", name="Save grades").click()
    expect(card.get_by_label(re.compile(r"^Grade for"))).to_have_attribute("aria-invalid", "true")
    found += problems(page, "/school/ on a phone, with a row error")
    assert not found, "\n".join(found)
