"""The DynamoDB typed-JSON codec round-trips every value the table stores."""

from hypothesis import given
from hypothesis import strategies as st

from dualcredit.dal.codec import deserialize, serialize, to_attribute

scalars = st.one_of(
    st.text(max_size=20),
    st.booleans(),
    st.integers(min_value=-(10**15), max_value=10**15),
    st.floats(allow_nan=False, allow_infinity=False, min_value=-1e9, max_value=1e9).filter(
        lambda f: not f.is_integer()
    ),
)
values = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(st.text(min_size=1, max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)


@given(st.dictionaries(st.text(min_size=1, max_size=10), values, max_size=6))
def test_items_round_trip(item):
    assert deserialize(serialize(item)) == item


def test_none_is_not_stored_and_types_are_dynamodb_types():
    assert serialize({"a": None, "b": 1, "c": "x", "d": True, "e": 2.5, "f": {"g": None}}) == {
        "b": {"N": "1"},
        "c": {"S": "x"},
        "d": {"BOOL": True},
        "e": {"N": "2.5"},
        "f": {"M": {}},
    }


def test_string_sets_are_stored_as_sets():
    assert to_attribute({"b", "a"}) == {"SS": ["a", "b"]}
    assert deserialize({"s": {"SS": ["a", "b"]}}) == {"s": {"a", "b"}}


def test_integral_numbers_come_back_as_int():
    assert deserialize({"n": {"N": "5"}, "m": {"N": "5.0"}, "x": {"N": "1.25"}}) == {
        "n": 5,
        "m": 5,
        "x": 1.25,
    }


def test_an_update_expression_sets_each_field_and_removes_the_rest():
    from dualcredit.dal.dynamo import set_expression

    expression, names, values = set_expression(
        {"grade": "B", "status": "sent"},
        remove=["lease_until"],
        also=["attempts = attempts + :one"],
    )
    assert expression == "SET #f0 = :v0, #f1 = :v1, attempts = attempts + :one REMOVE #r0"
    assert names == {"#f0": "grade", "#f1": "status", "#r0": "lease_until"}
    assert values == {":v0": "B", ":v1": "sent"}
    merged, _, _ = set_expression({"a": 1}, if_not_exists=True)
    assert merged == "SET #f0 = if_not_exists(#f0, :v0)"
