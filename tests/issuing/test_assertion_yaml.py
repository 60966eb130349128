"""The assertion file writer: whatever the text, it reads back as the same value."""

from __future__ import annotations

import datetime

import yaml
from hypothesis import example, given, settings
from hypothesis import strategies as st

from badgepress.content.sources import parse_yaml
from badgepress.issuing.awards import dump_fields

TRICKY = [
    "yes",
    "No",
    "null",
    "~",
    "12",
    "0x1f",
    "1e5",
    "2026-01-01",
    "- item",
    "a: b",
    "a #b",
    "#x",
    "'quoted'",
    '"double"',
    "ends:",
    " lead",
    "trail ",
    "tab\there",
    "€ and ü",
    "*alias",
    "&anchor",
    "!tag",
    "%directive",
    "@at",
    "`tick",
    "two\nlines",
    "trailing\n",
    "\nleading",
    "x\n\n  indented",
    "back\\slash",
    "{flow}",
    "[list]",
    "|pipe",
    ">fold",
    "?q",
    ",comma",
    "a\u2028b",
    "a\x85b",
    "\ufeffbom",
    "a\rb",
    "a\tb",
    "end\u2029",
    "a\n\tb",
]


def round_trip(data):
    text = "".join(dump_fields(data))
    return parse_yaml(text, "test.yaml"), text


def test_tricky_texts_read_back_unchanged():
    for value in TRICKY:
        parsed, text = round_trip({"narrative": value, "recipient": {"name": value}})
        assert parsed == {"narrative": value, "recipient": {"name": value}}, text


@settings(max_examples=300, deadline=None)
@given(
    st.text(
        alphabet=st.characters(blacklist_categories=("Cs", "Cc"))
        | st.sampled_from("\n\r\t\x85\u2028 :#-'\"")
    )
)
@example("0\n0\n\n")  # more than one final newline: a '|' block would clip it
def test_any_text_reads_back_unchanged(value):
    parsed, text = round_trip(
        {"narrative": value, "evidence": [{"url": "https://e.example/x", "name": value}]}
    )
    assert parsed["narrative"] == value, text
    assert parsed["evidence"][0]["name"] == value, text


def test_dates_bools_and_lists_in_the_examples_style():
    text = "".join(
        dump_fields(
            {
                "credential": "restorative-circles",
                "recipient": {"identity": "sha256$ab", "salt": "0123", "public_name": True},
                "issued_on": datetime.date(2026, 5, 4),
                "evidence": [
                    {"url": "https://e.example/a", "name": "Plan"},
                    {"url": "https://e.example/b"},
                ],
            }
        )
    )
    assert text == (
        "credential: restorative-circles\n"
        "recipient:\n"
        "  identity: sha256$ab\n"
        '  salt: "0123"\n'
        "  public_name: true\n"
        "issued_on: 2026-05-04\n"
        "evidence:\n"
        "  - url: https://e.example/a\n"
        "    name: Plan\n"
        "  - url: https://e.example/b\n"
    )
    assert yaml.safe_load(text)["recipient"]["salt"] == "0123"
