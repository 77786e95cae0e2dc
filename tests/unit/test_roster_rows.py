"""How a batch row's errors are named: a JSON row by its field only; a CSV row by its
line and the column as the file's header spells it."""

from dualcredit.logic.roster import Row, course_code


def _never(_registration) -> bool:
    return False


def test_a_json_rows_error_is_its_field_and_the_problem_alone():
    # Given a row of the API's JSON, When its grade is wrong, Then the field places it
    row = Row("grades[2]", "TP3-27-AB12", _never, "Q")
    assert row.error("grade", "bad") == ("grades[2].grade", "bad")


def test_a_csv_rows_error_names_its_line_and_the_headers_column():
    # Given a CSV line whose header spells the grade column its own way
    row = Row("line 4", "x", _never, "Q", label="Line 4", columns={"grade": "Final Grade"})
    # Then the message starts with the line and that column; a row-wide problem, the line
    assert row.error("grade", "bad") == ("line 4.grade", 'Line 4, column "Final Grade": bad')
    assert row.error(None, "twice") == ("line 4", "Line 4: twice")


def test_course_codes_compare_without_case_or_extra_spaces():
    assert course_code(" weld  101 ") == course_code("WELD 101") == "WELD 101"
