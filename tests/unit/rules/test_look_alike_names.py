"""Names that render alike match (issue 10): invisible characters, Cyrillic and Greek
look-alike letters and compatibility forms do not make a second identity."""

from __future__ import annotations

import string
import sys
import unicodedata
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dualcredit.rules import RuleError, identity_fingerprint, normalize_person_name, visible_name
from dualcredit.rules._confusables import LATIN_LOOK_ALIKES, is_invisible

BORN = date(2009, 4, 2)
#: Every format character (Cf) and the other invisible code points the rules drop.
INVISIBLE = [chr(c) for c in range(sys.maxunicode + 1) if is_invisible(chr(c))]
#: Latin letter -> the Cyrillic and Greek letters that render like it (from confusables.txt;
#: stated here, apart from the rules' table, as what a reader sees).
LOOK_ALIKES = {
    **{"a": "аα", "c": "с", "d": "ԁ", "e": "е", "h": "һ", "i": "іι", "j": "ј", "l": "ӏ"},
    **{"o": "оο", "p": "рρ", "q": "ԛ", "s": "ѕ", "w": "ԝ", "x": "х", "y": "уүγ"},
    **{"A": "АΑ", "B": "ВΒ", "C": "С", "E": "ЕΕ", "H": "НΗ", "I": "ІΙ", "J": "Ј", "K": "КΚ"},
    **{"M": "МΜ", "N": "Ν", "O": "ОΟ", "P": "РΡ", "Q": "Ԛ", "S": "Ѕ", "T": "ТΤ", "W": "Ԝ"},
    **{"X": "ХΧ", "Y": "УҮΥ", "Z": "Ζ"},
}


@pytest.mark.parametrize(
    "typed",
    [
        "\u0410lice",  # Cyrillic capital A
        "Al\u0456ce",  # Cyrillic small Byelorussian-Ukrainian i
        "\u0391lic\u0435",  # Greek capital Alpha, Cyrillic small ie
        "Al\u200bice",  # zero-width space
        "A\u200dli\u200cce",  # zero-width joiner and non-joiner
        "Ali\u00adce",  # soft hyphen
        "\u202eAlice\u202c",  # right-to-left override, pop directional formatting
        "\ufeffAlice",  # byte order mark
        "Alic\ufe0fe",  # variation selector
        "\uff21\uff4c\uff49\uff43\uff45",  # fullwidth
        "\U0001d400lice",  # mathematical bold capital A
    ],
)
def test_a_name_that_renders_as_alice_matches_alice(typed):
    # Given a name that renders as "Alice" but is typed with other code points
    # When it is normalized and fingerprinted with Alice's birth date
    # Then it matches the plain "Alice"
    assert normalize_person_name(typed) == "alice"
    assert identity_fingerprint(typed, "Smith", BORN) == identity_fingerprint(
        "Alice", "Smith", BORN
    )


def test_every_invisible_character_is_dropped_from_a_name():
    # Given every format character (Cf) and other invisible code point
    assert "\u200b" in INVISIBLE and "\U000e0041" in INVISIBLE  # zero-width space, tag A
    assert all(unicodedata.category(c) == "Cf" for c in INVISIBLE if c in "\u200b\u2060\ufeff")
    for ch in INVISIBLE:
        # When one is hidden inside a name, Then the name still matches
        assert normalize_person_name(f"Al{ch}ice") == "alice", hex(ord(ch))


def test_the_look_alike_table_maps_small_cyrillic_and_greek_letters_to_small_latin_ones():
    # Given each entry of the rules' table, Then it folds a small Cyrillic or Greek letter
    # to a small Latin one
    for other, latin in LATIN_LOOK_ALIKES.items():
        assert unicodedata.name(other).startswith(("CYRILLIC SMALL", "GREEK SMALL")), other
        assert latin in string.ascii_lowercase, other
        # Its capital folds the same way, so the match stays blind to case
        assert other.upper().casefold() == other, other


@pytest.mark.parametrize(
    ("one", "other"),
    [("ИВАН", "Иван"), ("ΝΙΚΟΣ", "Νίκος"), ("СЕРГЕЙ", "сергей"), ("JANE", "jane")],
)
def test_case_still_does_not_matter_in_any_script(one, other):
    # Given one name typed in capitals and in lower case, Then it is one identity
    assert identity_fingerprint(one, "Smith", BORN) == identity_fingerprint(other, "Smith", BORN)


@pytest.mark.parametrize(
    ("one", "other"),
    [("Иван", "Ivan"), ("Alice", "Alina"), ("Ian", "Lan"), ("Сергей", "Sergei")],
)
def test_names_that_do_not_render_alike_stay_apart(one, other):
    # Given two names that look different (Latin I and l are not folded), Then they are
    # two identities
    assert identity_fingerprint(one, "Smith", BORN) != identity_fingerprint(other, "Smith", BORN)


latin_names = st.text(alphabet=string.ascii_letters, min_size=1, max_size=12)


@st.composite
def rendered_alike(draw: st.DrawFn, name: str) -> str:
    """`name` as someone could type it so that it renders the same: any letter swapped
    for a look-alike, invisible characters anywhere, fullwidth forms."""
    out = []
    for ch in name:
        choice = draw(st.sampled_from(("same", "look-alike", "fullwidth")))
        if choice == "look-alike" and ch in LOOK_ALIKES:
            out.append(draw(st.sampled_from(list(LOOK_ALIKES[ch]))))
        elif choice == "fullwidth":
            out.append(chr(ord(ch) + 0xFEE0))
        else:
            out.append(ch)
        if draw(st.booleans()):
            out.append(draw(st.sampled_from(INVISIBLE)))
    return "".join(out)


@given(st.data(), latin_names, latin_names)
def test_no_two_names_that_render_alike_get_two_identities_for_one_birth_date(data, first, last):
    # Given a Latin name, and the same name typed another way that renders alike
    alike_first = data.draw(rendered_alike(first))
    alike_last = data.draw(rendered_alike(last))
    # When both are fingerprinted with one birth date
    # Then they are the same identity
    assert identity_fingerprint(alike_first, alike_last, BORN) == identity_fingerprint(
        first, last, BORN
    )


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        ("\uff21\uff4c\uff49\uff43\uff45", "Alice"),  # fullwidth
        (" Alice  ", "Alice"),
        ("José", "José"),  # composed, as typed
        ("Jose\u0301", "José"),  # decomposed, composed by NFKC
        ("O'Brien-Smith", "O'Brien-Smith"),
    ],
)
def test_a_legal_name_is_kept_as_it_renders(typed, kept):
    # Given a legal name as typed, When it is kept, Then compatibility forms are gone,
    # the ends trimmed and the rest is as typed
    assert visible_name(typed) == kept


@pytest.mark.parametrize(
    "typed",
    [
        "Al\u200bice",  # zero-width space
        "\ufeffAlice",  # byte order mark
        "Alice\u2060",  # word joiner
        "Ali\u00adce",  # soft hyphen
        "\u202eecilA",  # right-to-left override
        "Al\u034fice",  # combining grapheme joiner (default-ignorable, not Cf)
        "\u200b\u200d",
    ],
)
def test_a_legal_name_with_a_character_that_does_not_show_is_refused(typed):
    # Given a legal name holding an invisible character
    # When it is kept, Then it is refused in words about the field
    with pytest.raises(RuleError, match="character that does not show"):
        visible_name(typed)


@given(st.text(max_size=30))
def test_a_kept_legal_name_never_holds_a_format_character(typed):
    # Given any text typed as a legal name
    # When it is kept
    try:
        kept = visible_name(typed)
    except RuleError:
        return
    # Then nothing in it is a format character (Unicode Cf)
    assert not any(unicodedata.category(c) == "Cf" for c in kept)
