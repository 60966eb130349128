"""The fast JSON writer gives the standard library's indented, sorted bytes for any value."""

from __future__ import annotations

import json

from hypothesis import given
from hypothesis import strategies as st

from badgepress.openbadges.pretty_json import pretty_json

TEXT = st.text(st.characters(blacklist_categories=("Cs",)))  # JSON text is valid Unicode
SCALARS = st.none() | st.booleans() | st.integers() | st.floats() | TEXT
VALUES = st.recursive(
    SCALARS,
    lambda children: st.lists(children) | st.dictionaries(TEXT, children),
    max_leaves=40,
)


def _standard(value) -> bytes:
    return (json.dumps(value, sort_keys=True, indent=2, ensure_ascii=False) + "\n").encode()


@given(VALUES)
def test_pretty_json_writes_exactly_what_json_dumps_writes(value):
    assert pretty_json(value) == _standard(value)


def test_pretty_json_handles_escapes_nesting_and_what_it_leaves_to_json_dumps():
    value = {
        "b": [1, True, None, {}, [], 'quote " backslash \\ tab \t nul \x00 é ✓'],
        "a": {"z": False, "y": [{"x": -0}]},
        "float": 1.5,
        "tuple": (1, 2),
    }
    assert pretty_json(value) == _standard(value)
    assert pretty_json({2: "int keys", 1: "become strings"}) == _standard(
        {2: "int keys", 1: "become strings"}
    )


@given(VALUES)
def test_pretty_json_unsorted_keeps_each_objects_own_key_order(value):
    expected = (json.dumps(value, indent=2, ensure_ascii=False) + "\n").encode()
    assert pretty_json(value, sort_keys=False) == expected
