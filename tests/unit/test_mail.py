"""Email templates: a templated bulk send renders exactly what a single send renders."""

from __future__ import annotations

import pytest
from moto.ses.template import parse_template  # SES's Handlebars subset, as the local stack runs it

from dualcredit import mail
from dualcredit.logic.reminders.notices import REMINDER, TEMPLATES, WINDOW_OPEN

VALUES = {
    REMINDER: {
        "sers_id": "TP3-27-AB12",
        "school_year": "2026-27",
        "amount": "$50.00",
        "closes_on": "June 15, 2027",
        "deadline": "June 15, 2027, 11:59 pm Pacific time",
        "days_left": "in 7 days",
        "pay_url": "https://app.test/pay",
    },
    WINDOW_OPEN: {
        "sers_id": "TP3-27-AB12",
        "school_year": "2027-28",
        "opens_on": "December 1, 2027",
        "closes_on": "June 15, 2028",
        "fee": "$50.00",
        "dashboard_url": "https://app.test/dashboard",
    },
}


@pytest.mark.parametrize("kind", [REMINDER, WINDOW_OPEN])
def test_a_bulk_template_filled_by_ses_reads_as_the_rendered_message(kind):
    # Given a notice's stored template and one destination's values
    name, subject = TEMPLATES[kind]
    template = mail.bulk_template(name, subject)
    values = mail.bulk_values(**VALUES[kind])
    # When SES fills the template
    filled = [
        parse_template(part, values) for part in (template.subject, template.html, template.text)
    ]
    # Then it is the message a single send would carry
    expected = mail.render(name, mail.Template(subject).substitute(values), **values)
    assert filled == [expected.subject, expected.html, expected.text]
    assert "{{" not in "".join(filled) and "$" + "sers_id" not in "".join(filled)


@pytest.mark.parametrize("value", ["<b>x</b>", "Tom & Jerry", 'say "hi"', "{{other}}"])
def test_a_value_that_would_need_escaping_is_refused_for_bulk_sends(value):
    with pytest.raises(ValueError, match="sers_id"):
        mail.bulk_values(sers_id=value)


def test_markup_values_cannot_be_templated_for_bulk_sends():
    with pytest.raises(ValueError, match="markup"):
        mail.bulk_template("close_summary", "Summary")
