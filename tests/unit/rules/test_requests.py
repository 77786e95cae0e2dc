"""One prior-year credit request per class and year may wait for staff:
rules.same_class_key says which requests ask about the same class."""

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dualcredit.rules import same_class_key


@pytest.mark.parametrize(
    "typed,again",
    [
        ("Welding 1", "welding 1"),
        ("Welding  1", " WELDING 1 "),
        ("Auto\tShop", "auto shop"),
        ("Cocina B\u00e1sica", "cocina ba\u0301sica"),  # the accent composed, or not
        ("\uff37elding 1", "Welding 1"),  # a full-width letter from a phone keyboard
    ],
)
def test_names_a_person_reads_as_the_same_class_are_the_same(typed, again):
    # Given two class names a person reads as one class
    # When each is keyed / Then the keys are equal
    assert same_class_key(typed) == same_class_key(again)


@pytest.mark.parametrize("one,other", [("Welding 1", "Welding 2"), ("Auto Shop", "AutoShop")])
def test_other_classes_are_other_classes(one, other):
    # Given two different classes / When keyed / Then the keys differ
    assert same_class_key(one) != same_class_key(other)


def test_a_class_name_must_be_text():
    # Given something that is not a class name / When keyed / Then it is refused
    with pytest.raises(TypeError):
        same_class_key(None)  # type: ignore[arg-type]


@given(st.text())
def test_the_key_is_its_own_key(name):
    # Given any text / When its key is keyed again / Then nothing changes
    key = same_class_key(name)
    assert same_class_key(key) == key


@given(st.text(), st.sampled_from([str.upper, str.lower, str.title]))
def test_case_and_surrounding_space_never_make_another_class(name, recase):
    # Given any name, and the same name re-cased with spaces around it
    # When both are keyed / Then the keys are equal
    assert same_class_key(f"  {recase(name)}\n") == same_class_key(name)


@given(st.text())
def test_the_key_has_no_space_at_its_ends_or_doubled(name):
    # Given any name / When keyed / Then its spaces are single, inside only, and NFKC
    key = same_class_key(name)
    assert key == key.strip() and "  " not in key
    assert unicodedata.normalize("NFKC", key) == key
