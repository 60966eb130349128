import datetime

import pytest

from badgepress.content.fields import CREDENTIAL_FIELDS
from badgepress.content.load import add_duration
from badgepress.content.schema import Context, check_fields
from badgepress.content.sources import Document, parse_yaml

UTC = datetime.timezone.utc


def _check(text, fields=CREDENTIAL_FIELDS):
    doc = Document(None, "c.md", parse_yaml(text, "c.md"))
    errors = []
    values = check_fields(Context(doc, errors), doc.data, fields)
    return values, [str(e) for e in errors]


def test_valid_fields_are_converted():
    values, errors = _check("name: N\nsummary: S\nformat: blended\nhours: 12.5\ntopics: Circles\n")
    assert errors == []
    assert values["format"] == "Blended"  # canonical spelling
    assert str(values["hours"]) == "12.5"
    assert values["topics"] == ("Circles",)  # a single value is a one-item list


def test_every_problem_is_reported_at_once():
    _, errors = _check("name: N\nhours: -1\nformat: Hybrd\nexpires_after: forever\n")
    assert errors == [
        "c.md:1: missing required field 'summary' (expected text)",
        "c.md:2: 'hours': expected a number ≥ 0, found a number -1",
        "c.md:3: 'format': expected one of 'Online', 'In person', 'Blended', 'Self-paced', found text 'Hybrd'",
        "c.md:4: 'expires_after': expected a duration such as '3y', '18m', '6w' or '90d', found text 'forever'",
    ]


def test_nested_list_items_report_their_own_line():
    text = "name: N\nsummary: S\nrequirements:\n  - title: A\n  - description: no title\n    rubric: {passing: [x]}\n"
    _, errors = _check(text)
    assert errors == [
        "c.md:5: missing required field 'requirements[2].title' (expected text)",
        "c.md:6: 'requirements[2].rubric.passing': expected text, found a list",
    ]


def test_unknown_keys_suggest_the_closest_field():
    _, errors = _check("name: N\nsummary: S\nprerequisite: [a]\n")
    assert errors == ["c.md:3: unknown field 'prerequisite' (did you mean 'prerequisites'?)"]


def test_extra_holds_free_form_data_read_only():
    values, errors = _check("name: N\nsummary: S\nextra: {credits: [1, 2], note: hi}\n")
    assert errors == []
    assert values["extra"]["credits"] == (1, 2)
    with pytest.raises(TypeError):
        values["extra"]["note"] = "changed"


def test_control_characters_are_refused():
    _, errors = _check('name: "N\\u0007"\nsummary: S\n')
    assert errors == [
        "c.md:1: 'name': expected text without control characters, found text 'N\\x07'"
    ]


@pytest.mark.parametrize(
    ("start", "duration", "end"),
    [
        ((2026, 1, 31), (1, "m"), (2026, 2, 28)),
        ((2024, 2, 29), (1, "y"), (2025, 2, 28)),
        ((2026, 11, 1), (3, "y"), (2029, 11, 1)),
        ((2026, 11, 1), (18, "m"), (2028, 5, 1)),
        ((2026, 11, 1), (2, "w"), (2026, 11, 15)),
        ((2026, 11, 1), (90, "d"), (2027, 1, 30)),
    ],
)
def test_expiry_durations_add_calendar_time(start, duration, end):
    begin = datetime.datetime(*start, tzinfo=UTC)
    assert add_duration(begin, duration) == datetime.datetime(*end, tzinfo=UTC)
