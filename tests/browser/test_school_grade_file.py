"""Journey: a school user posts a district's export too large for the API route (over
512 KB): the page uploads it straight to the bucket with the presigned POST, shows the
rows checked and written as the import goes, and offers the per-row report as a CSV."""

from __future__ import annotations

import csv
import io
import re

import pytest
from playwright.sync_api import Page, expect

from devstack import seed
from tests.browser.conftest import api_student
from tests.browser.journeys import sign_in

pytestmark = pytest.mark.browser

#: A district export carries many columns the import ignores (names, notes); these make
#: the file larger than the API route takes, as a real export with all its rows would be.
NOTES = 6
NOTE = "Reviewed by the district office. " * 3000


#: Keeps every text the progress line shows (the import may be quick: lines come and go).
WATCH_PROGRESS = """() => {
  const line = document.getElementById("grade-file-progress");
  window.progressShown = [];
  new MutationObserver(() => window.progressShown.push(line.textContent))
    .observe(line, { childList: true, characterData: true, subtree: true });
}"""


def _district_export(rows: list[tuple[str, str]]) -> bytes:
    header = ["Student Number", "SERS ID", "College Course Code", "Grade"]
    header += [f"Note {i}" for i in range(1, NOTES + 1)]
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    for number, (sers_id, grade) in enumerate(rows, start=1):
        writer.writerow([f"D{number:05d}", sers_id, "WELD 101", grade, *[NOTE] * NOTES])
    data = out.getvalue().encode()
    assert len(data) > 512 * 1024  # over the API route's limit: it goes through S3
    return data


def _choose(csv_form, data: bytes) -> None:
    csv_form.get_by_label("CSV file of grades").set_input_files(
        files=[{"name": "district.csv", "mimeType": "text/csv", "buffer": data}]
    )
    csv_form.get_by_role("button", name="Post the file's grades").click()


def test_a_school_user_posts_a_district_file_through_s3_and_downloads_its_report(page: Page, stack):
    # Given two students registered in Welding 1, and the school user of their school
    ana = api_student(stack, first_name="Ana").sers_id
    ben = api_student(stack, first_name="Ben").sers_id
    sign_in(page, seed.SCHOOL_USER_EMAIL, seed.SCHOOL_USER_PASSWORD, lands_on="/school/")
    roster = page.get_by_role("table", name=re.compile(r"registrations? in 2026-27"))
    expect(roster).to_contain_text(ben)
    csv_form = page.locator("#grades-csv-form")
    # When they post the district's export, one row of which is not a grade
    _choose(csv_form, _district_export([(ana, "A"), (ben, "Q")]))
    # Then the file is refused whole, and the page offers the report naming the row
    expect(csv_form.get_by_role("alert")).to_contain_text(
        "1 row of the file cannot be saved; nothing was saved."
    )
    report = csv_form.get_by_role("button", name="Download the report of every row (CSV)")
    with page.expect_download() as refused:
        report.click()
    (row,) = csv.DictReader(io.StringIO(_text(refused.value)))
    assert (row["line"], row["sers_id"], row["status"]) == ("Line 3", ben, "refused")
    assert 'column "Grade"' in row["problem"]
    # When they post the corrected export (each progress line the page shows is kept)
    page.evaluate(WATCH_PROGRESS)
    _choose(csv_form, _district_export([(ana, "A"), (ben, "B+")]))
    # Then the page shows the grades posted, and the roster the new grade
    expect(csv_form.get_by_role("status")).to_have_text(
        "2 grades posted, 0 unchanged, for 2026-27."
    )
    grade = roster.get_by_role("row").filter(has_text=ben).get_by_label(re.compile("^Grade for"))
    expect(grade).to_have_value("B+")
    # And it showed the import's progress as it went: the rows checked and written
    shown = page.evaluate("window.progressShown")
    assert shown[0] == "Uploading the file…" and "2 rows checked, 2 grades written…" in shown
    expect(page.locator("#grade-file-progress")).to_be_hidden()
    # And the report of every row downloads as a CSV
    with page.expect_download() as done:
        csv_form.get_by_role("button", name="Download the report of every row (CSV)").click()
    assert done.value.suggested_filename.startswith("grade-file-")
    statuses = {r["sers_id"]: r["status"] for r in csv.DictReader(io.StringIO(_text(done.value)))}
    assert statuses == {ana: "posted", ben: "posted"}


def _text(download) -> str:
    with open(download.path(), encoding="utf-8-sig") as file:
        return file.read()
