import datetime
from pathlib import Path

import pytest
import yaml

from badgepress.content.sources import (
    InvalidSource,
    YamlList,
    YamlMap,
    _LineLoader,
    parse_yaml,
    read_limited,
    read_markdown_file,
    read_yaml_file,
)
from tests.support import REPO


def test_mappings_remember_the_line_of_each_key():
    data = parse_yaml("a: 1\nb:\n  c: [1, 2]\n", "f.yaml")
    assert data.lines == {"a": 1, "b": 2}
    assert data["b"].lines == {"c": 3}


def test_list_items_remember_their_lines():
    data = parse_yaml("order:\n  - one\n  - two\n", "f.yaml")
    assert data["order"].lines == [2, 3]


def test_dates_become_date_objects():
    assert parse_yaml("d: 2026-11-01\n", "f.yaml")["d"] == datetime.date(2026, 11, 1)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("a: 1\na: 2\n", "f.yaml:2: duplicate key 'a'"),
        ("d: 2026-02-30\n", "f.yaml:1: impossible date '2026-02-30'"),
        (
            "a: &x [1]\nb: *x\n",
            "f.yaml:2: YAML aliases ('*name') are not supported; write the value out",
        ),
        ("a: [\n", "f.yaml:2: invalid YAML: did not find expected node content"),
        (
            "base: &b {x: 1}\nother:\n  <<: *b\n",
            "f.yaml:3: YAML aliases ('*name') are not supported; write the value out",
        ),
    ],
)
def test_bad_yaml_is_reported_with_its_line(text, message):
    with pytest.raises(InvalidSource) as caught:
        parse_yaml(text, "f.yaml")
    assert str(caught.value.error) == message


def test_python_tags_are_refused_not_executed():
    with pytest.raises(InvalidSource) as caught:
        parse_yaml("x: !!python/object/apply:os.system ['true']\n", "f.yaml")
    assert "unsupported YAML tag '!!python/object/apply:os.system'" in str(caught.value)


def test_front_matter_lines_are_file_lines(tmp_path):
    path = tmp_path / "c.md"
    path.write_text("---\nname: X\nsummary: Y\n---\nBody line\n", encoding="utf-8")
    doc = read_markdown_file(path, "c.md")
    assert doc.data.lines == {"name": 2, "summary": 3}
    assert doc.body == "Body line\n"
    assert doc.body_line == 5


def test_byte_order_mark_is_ignored(tmp_path):
    path = tmp_path / "a.yaml"
    path.write_bytes("\ufeffcredential: x\n".encode())
    assert read_yaml_file(path, "a.yaml").data == {"credential": "x"}


def test_oversized_file_is_refused(tmp_path):
    path = tmp_path / "big.yaml"
    path.write_bytes(b"a: " + b"x" * (2 << 20))
    with pytest.raises(InvalidSource) as caught:
        read_yaml_file(path, "big.yaml")
    assert "expected at most 1,048,576" in str(caught.value)
    assert "file is 2,097,155 bytes" in str(caught.value)


def test_a_file_of_exactly_the_limit_is_read_whole(tmp_path):
    path = tmp_path / "limit.bin"
    path.write_bytes(bytes(range(256)) * 4)
    assert read_limited(path, "limit.bin", 1024) == bytes(range(256)) * 4
    with pytest.raises(InvalidSource, match="file is 1,024 bytes; expected at most 1,023"):
        read_limited(path, "limit.bin", 1023)


def test_a_file_without_end_is_refused_past_the_limit_without_a_made_up_size():
    with pytest.raises(
        InvalidSource, match="file is more than 1,000 bytes; expected at most 1,000"
    ):
        read_limited(Path("/dev/zero"), "zero.yaml", 1000)


def test_a_file_whose_size_stat_cannot_tell_is_read_to_its_end_or_refused():
    # /proc files report size 0 but hold bytes: the read goes on past what fstat said.
    assert read_limited(Path("/proc/self/status"), "status", 1 << 16).startswith(b"Name:")
    with pytest.raises(InvalidSource, match="expected at most 10"):
        read_limited(Path("/proc/self/status"), "status", 10)


def test_a_folder_in_place_of_a_file_is_an_error_not_a_crash(tmp_path):
    (tmp_path / "a.yaml").mkdir()
    with pytest.raises(InvalidSource) as caught:
        read_yaml_file(tmp_path / "a.yaml", "assertions/a.yaml")
    assert str(caught.value.error) == "assertions/a.yaml: cannot read file: Is a directory"


# The direct node builder (sources._build) against PyYAML's constructor with the same loader.
BUILD_CASES = [
    "credential: a\nrecipient:\n  identity: sha256$00\n  salt: x\nissued_on: 2026-11-01\n",
    "n: 12\nf: 1.5\nb: true\nnull_value: ~\nempty:\nlist: [1, two, 2026-01-02, {a: b}]\n",
    "nested:\n  - a: 1\n    b: [x, y]\n  - - deep\n    - 0x1f\n'quoted key': \"v\"\n1: int key\n",
    "text: |\n  two\n  lines\nfolded: >-\n  one\n  line\n",
    "when: 2026-11-01T10:00:00Z\nlater: 2026-02-30\n",  # impossible date
    "a: 1\na: 2\n",  # duplicate key
    "<<: {a: 1}\n",  # merge key
    "? [a, b]\n: complex key\n",
    "tagged: !custom value\n",
    "set: !!set {a, b}\nomap: !!omap [{a: 1}]\nbinary: !!binary aGk=\n",
    "- top\n- level\n- list\n",
    "just a string\n",
    "",
]


def _same_tree(a, b):
    assert type(a) is type(b)
    if isinstance(a, (YamlMap, YamlList)):
        assert (a.line, a.lines) == (b.line, b.lines)
    if isinstance(a, dict):
        assert list(a) == list(b)
        for key in a:
            _same_tree(a[key], b[key])
    elif isinstance(a, list):
        assert len(a) == len(b)
        for x, y in zip(a, b, strict=True):
            _same_tree(x, y)
    else:
        assert a == b


def _reference(text: str):
    """PyYAML's constructor with the same loader: the value, or the line of its error."""
    try:
        return yaml.load(text, Loader=_LineLoader)
    except yaml.MarkedYAMLError as exc:
        return ("error", exc.problem_mark.line + 1)


@pytest.mark.parametrize("text", BUILD_CASES)
def test_yaml_values_and_errors_are_those_of_pyyaml_constructors(text):
    try:
        ours = parse_yaml(text, "a.yaml")
    except InvalidSource as exc:
        ours = ("error", exc.error.line)
    _same_tree(ours, _reference(text))


def test_example_site_files_parse_as_pyyaml_constructs_them():
    files = [*REPO.glob("assertions/**/*.yaml"), REPO / "content" / "site.yaml"]
    assert len(files) > 5
    for path in files:
        text = path.read_text()
        _same_tree(parse_yaml(text, path.name), _reference(text))
