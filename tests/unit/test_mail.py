"""Email templates: every one in English and Spanish with the same values; a templated
bulk send renders exactly what a single send renders, in each language and for a
parent's or guardian's copy."""

from __future__ import annotations

import json
from importlib import resources
from string import Template

import pytest
from hypothesis import given
from hypothesis import strategies as st
from moto.ses.template import parse_template  # SES's Handlebars subset, as the local stack runs it

from dualcredit import mail
from dualcredit.i18n import LANGUAGES
from dualcredit.logic.reminders.notices import (
    REMINDER,
    TEMPLATES,
    WINDOW_OPEN,
    stored_templates,
)
from dualcredit.mail.phrases import PHRASES

ROOT = resources.files("dualcredit.mail").joinpath("templates")
NAMES = sorted(json.loads(ROOT.joinpath("subjects.json").read_text("utf-8")))

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
STOP = "https://app.test/guardian-stop/#token=abcdefghijklmnopqrstuvwxyz"


def _identifiers(name: str, language: str) -> dict[str, set[str]]:
    folder = ROOT if language == "en" else ROOT.joinpath(language)
    parts = {
        part: Template(folder.joinpath(f"{name}.{part}").read_text("utf-8"))
        for part in ("html", "txt")
    }
    parts["subject"] = mail.subjects(language)[name]
    return {part: set(template.get_identifiers()) for part, template in parts.items()}


def test_every_email_has_a_spanish_subject_and_bodies():
    # Given the English emails (their subjects)
    # When the Spanish folder is read
    spanish = json.loads(ROOT.joinpath("es", "subjects.json").read_text("utf-8"))
    # Then it has the same emails, each with both bodies
    assert sorted(spanish) == NAMES
    for name in [*NAMES, mail.GUARDIAN_NOTE]:
        for part in ("html", "txt"):
            assert ROOT.joinpath("es", f"{name}.{part}").is_file(), (name, part)


@pytest.mark.parametrize("name", NAMES)
def test_each_email_takes_the_same_values_in_both_languages(name):
    # Given an email in English and in Spanish
    # When their values are listed, part by part
    # Then they are the same, so one set of values fills either
    assert _identifiers(name, "es") == _identifiers(name, "en")


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("language", LANGUAGES)
def test_each_email_renders_with_the_language_on_its_html(name, language):
    # Given an email's values (any word: every value here is its own name)
    values = {k: f"<{k}>" for part in _identifiers(name, "en").values() for k in part}
    # When it is rendered in a language
    message = mail.render(name, language, **values)
    # Then the HTML says its language, and every value is in it
    assert f'<html lang="{language}">' in message.html
    for key in _identifiers(name, language)["txt"]:
        assert f"<{key}>" in message.text


def test_a_guardian_copy_ends_with_its_stop_link_in_its_language():
    values = dict(VALUES[REMINDER])
    # Given a reminder rendered as a guardian's copy, in Spanish and in English
    es = mail.render("reminder", "es", stop_url=STOP, **values)
    en = mail.render("reminder", "en", stop_url=STOP, **values)
    # Then each ends with the note in its language and the link
    assert "Dejar de recibir estas copias" in es.html and STOP in es.text
    assert "Stop these copies" in en.html and STOP in en.text
    # And the student's own message carries no stop link
    assert STOP not in mail.render("reminder", "en", **values).text


@pytest.mark.parametrize("key", sorted(PHRASES))
def test_every_phrase_has_both_languages_with_the_same_values(key):
    # Given a phrase
    texts = PHRASES[key]
    # Then it has every language, each taking the same values
    assert set(texts) == set(LANGUAGES)
    assert {lang: set(Template(t).get_identifiers()) for lang, t in texts.items()} == {
        lang: set(Template(texts["en"]).get_identifiers()) for lang in LANGUAGES
    }


@pytest.mark.parametrize("kind", [REMINDER, WINDOW_OPEN])
def test_a_bulk_template_filled_by_ses_reads_as_the_rendered_message(kind):
    for stored, language, guardian in stored_templates(kind):
        # Given a notice's stored template (a language, maybe a guardian's copy) and values
        template = mail.bulk_template(TEMPLATES[kind], language, guardian=guardian)
        values = mail.bulk_values(**VALUES[kind], **({"stop_url": STOP} if guardian else {}))
        # When SES fills the template
        filled = [
            parse_template(part, values)
            for part in (template.subject, template.html, template.text)
        ]
        # Then it is the message a single send would carry
        plain = {k: v for k, v in values.items() if k != "stop_url"}
        expected = mail.render(
            TEMPLATES[kind], language, stop_url=STOP if guardian else None, **plain
        )
        assert filled == [expected.subject, expected.html, expected.text], stored
        assert "{{" not in "".join(filled) and "$" + "sers_id" not in "".join(filled)


def test_reminders_are_stored_per_language_and_for_guardians_open_notices_per_language():
    # Given the two kinds of notice
    # Then reminders have a student's and a guardian's template per language
    assert [s for s, _, _ in stored_templates(REMINDER)] == [
        "reminder",
        "reminder-es",
        "reminder-guardian",
        "reminder-guardian-es",
    ]
    # And open notices (never copied) one per language
    assert [s for s, _, _ in stored_templates(WINDOW_OPEN)] == ["window_open", "window_open-es"]


@pytest.mark.parametrize("value", ["<b>x</b>", "Tom & Jerry", 'say "hi"', "{{other}}"])
def test_a_value_that_would_need_escaping_is_refused_for_bulk_sends(value):
    with pytest.raises(ValueError, match="sers_id"):
        mail.bulk_values(sers_id=value)


def test_markup_values_cannot_be_templated_for_bulk_sends():
    with pytest.raises(ValueError, match="markup"):
        mail.bulk_template("close_summary")


@given(st.text(min_size=0, max_size=4))
def test_a_stored_language_we_do_not_speak_reads_as_english(value):
    # Given any stored value
    # When it is read as a language
    # Then it is one we speak: itself if so, else English
    assert mail.language(value) == (value if value in LANGUAGES else "en")
