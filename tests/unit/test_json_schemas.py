"""The editor schemas (badgepress/schemas/): generated from the field tables, in step with them,
and in agreement with `badgepress check` on real and broken files."""

from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema
import pytest
import yaml

from badgepress.content import json_schemas
from badgepress.content.json_schemas import SCHEMAS, json_schema, schema_texts
from badgepress.content.schema import Context, check_fields
from badgepress.content.site_schemas import PACKAGE_SCHEMAS, SITE_FOLDER, stale_site_schemas
from badgepress.content.sources import parse_yaml, read_markdown_file, read_yaml_file
from badgepress.issuing.new_site import create_site
from tests.support import REPO


class _EditorLoader(yaml.SafeLoader):
    """YAML as a YAML language server reads it (YAML 1.2 core schema): dates stay strings."""


_EditorLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _data(path: Path):
    """A YAML file's data, or a Markdown file's front matter."""
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".md":
        text = text.split("---\n", 2)[1] if text.startswith("---\n") else ""
    return yaml.load(text, Loader=_EditorLoader) or {}


def _schema_for(rel: str) -> str:
    if rel.endswith("site.yaml"):
        return "site.schema.json"
    if rel.startswith("assertions/"):
        return "assertion.schema.json"
    if rel.startswith("content/pages/"):
        return "page.schema.json"
    if rel.endswith("/index.md"):
        return "stack.schema.json"
    if re.search(r"\.[a-z]{2}(-[A-Za-z]+)?\.md$", rel):
        return "translation.schema.json"
    return "credential.schema.json"


def _problems(schema_name: str, data) -> list[str]:
    validator = jsonschema.Draft7Validator(json_schema(schema_name))
    return [f"{'/'.join(map(str, e.path))}: {e.message}" for e in validator.iter_errors(data)]


def _content_files(root: Path) -> list[Path]:
    found = [root / "content" / "site.yaml"]
    found += sorted((root / "content").rglob("*.md"))
    found += sorted((root / "assertions").rglob("*.yaml"))
    return found


STARTER = REPO / "badgepress" / "starter"
FILES = [(REPO, p) for p in _content_files(REPO)] + [(STARTER, p) for p in _content_files(STARTER)]


def test_package_schemas_are_generated_from_the_current_fields():
    for name, text in schema_texts().items():
        assert (PACKAGE_SCHEMAS / name).read_text(encoding="utf-8") == text, (
            f"badgepress/schemas/{name} is stale: run python3 -m badgepress.content.json_schemas"
        )
    assert sorted(p.name for p in PACKAGE_SCHEMAS.glob("*")) == sorted(schema_texts())


@pytest.mark.parametrize("name", [entry[0] for entry in SCHEMAS])
def test_every_schema_is_a_valid_draft_07_schema(name):
    jsonschema.Draft7Validator.check_schema(json_schema(name))


@pytest.mark.parametrize(
    ("root", "path"), FILES, ids=[f"{r.name}:{p.relative_to(r).as_posix()}" for r, p in FILES]
)
def test_the_example_and_starter_files_match_their_schemas(root, path):
    rel = path.relative_to(root).as_posix()
    assert _problems(_schema_for(rel), _data(path)) == []


def test_every_kind_of_file_is_covered_by_the_example_and_starter():
    assert {_schema_for(p.relative_to(r).as_posix()) for r, p in FILES} == {s[0] for s in SCHEMAS}


# Mistakes the schemas flag where they are typed; `badgepress check` refuses each one too.
BROKEN = [
    ("site.schema.json", "titel: x", "Additional properties are not allowed ('titel'"),
    ("site.schema.json", "issuer: {emial: a@b.org}", "('emial' was unexpected)"),
    ("site.schema.json", "base_url: badges.example.org", "does not match"),
    ("site.schema.json", "badges: {style: star}", "is not valid under any of the given schemas"),
    ("site.schema.json", "badges: {color: teal}", "does not match"),
    ("credential.schema.json", "hours: ten", "is not of type 'number', 'null'"),
    ("credential.schema.json", "hours: -1", "is less than the minimum of 0"),
    ("credential.schema.json", "format: Hybrid", "is not valid under any of the given schemas"),
    ("credential.schema.json", "expires_after: 3 years", "does not match"),
    ("credential.schema.json", "requirements: [{titel: x}]", "('titel' was unexpected)"),
    ("credential.schema.json", "requirements: x", "is not of type 'array', 'null'"),
    ("assertion.schema.json", "issued_on: 15/01/2026", "does not match"),
    ("assertion.schema.json", "issued_on: 2026-01-15T10:00:00", "does not match"),
    ("assertion.schema.json", "revoked: 'yes'", "is not of type 'boolean', 'null'"),
    ("assertion.schema.json", "credential: Restorative Circles", "does not match"),
    ("assertion.schema.json", "recipient: {email: not an address}", "does not match"),
    ("page.schema.json", "order: 1.5", "is not of type 'integer', 'null'"),
    ("stack.schema.json", "summary: '   '", "does not match"),
]
VALID = {
    "site.schema.json": REPO / "content" / "site.yaml",
    "credential.schema.json": REPO
    / "content/credentials/restorative-practices/restorative-circles.md",
    "assertion.schema.json": STARTER / "assertions" / "ssywkqbuv9se.yaml",
    "page.schema.json": STARTER / "content" / "pages" / "about.md",
    "stack.schema.json": STARTER / "content/credentials/getting-started/index.md",
}


def _merge(data: dict, change: dict) -> dict:
    merged = type(data)(data)
    for attribute in ("line", "lines"):  # badgepress's YamlMap keeps lines for messages
        if hasattr(data, attribute):
            setattr(merged, attribute, getattr(data, attribute))
    for key, value in change.items():
        if isinstance(value, dict) and isinstance(data.get(key), dict):
            value = _merge(data[key], value)
        merged[key] = value
    return merged


def _badgepress_problems(name: str, change: str) -> list[str]:
    """What `badgepress check` says of the valid file with `change` made to it."""
    path = VALID[name]
    if path.suffix == ".md":
        doc = read_markdown_file(path, path.name)
    else:
        doc = read_yaml_file(path, path.name)
    errors: list = []
    table = next(entry[3] for entry in SCHEMAS if entry[0] == name)
    check_fields(Context(doc, errors), _merge(doc.data, parse_yaml(change, "change")), table)
    return [str(e) for e in errors]


@pytest.mark.parametrize(("name", "change", "message"), BROKEN, ids=[b[1] for b in BROKEN])
def test_a_typo_a_wrong_type_or_a_bad_value_is_rejected_as_badgepress_rejects_it(
    name, change, message
):
    data = _data(VALID[name])
    assert _problems(name, data) == []
    assert _badgepress_problems(name, "{}") == []
    problems = _problems(name, _merge(data, yaml.load(change, Loader=_EditorLoader)))
    assert any(message in p for p in problems), problems
    assert _badgepress_problems(name, change)


ACCEPTED = [
    ("credential.schema.json", "format: blended"),
    ("credential.schema.json", "format: IN PERSON"),
    ("credential.schema.json", "format: ' Self-paced '"),
    ("credential.schema.json", "topics: Feedback"),  # one topic for a one-item list
    ("credential.schema.json", "hours:"),  # left empty: the default
    ("credential.schema.json", "hours: 12.5"),
    ("credential.schema.json", "expires_after: 18m"),
    ("site.schema.json", "badges: {color: '#ABC'}"),
    ("site.schema.json", "issuer: {linkedin_organization_id: 1234567}"),
    ("assertion.schema.json", "issued_on: 2026-01-15 10:30:00+02:00"),
    ("assertion.schema.json", "issued_on: 2026-01-15T08:30:00Z"),
    ("page.schema.json", "nav: false"),
]


@pytest.mark.parametrize(("name", "change"), ACCEPTED, ids=[a[1] for a in ACCEPTED])
def test_what_badgepress_accepts_the_schema_accepts_too(name, change):
    assert _badgepress_problems(name, change) == []
    data = _merge(_data(VALID[name]), yaml.load(change, Loader=_EditorLoader))
    assert _problems(name, data) == []


def test_required_fields_are_required():
    problems = _problems("credential.schema.json", {"summary": "x"})
    assert problems == [": 'name' is a required property"]
    assert _problems("credential.schema.json", {"name": None, "summary": "x"})  # `name:` empty


def test_a_new_site_carries_the_schemas_its_files_name(tmp_path):
    site = tmp_path / "site"
    create_site(site)
    assert stale_site_schemas(site) == []
    named = 0
    for path in [site / "content" / "site.yaml", *sorted((site / "assertions").rglob("*.yaml"))]:
        first = path.read_text(encoding="utf-8").splitlines()[0]
        match = re.fullmatch(r"# yaml-language-server: \$schema=(\S+)", first)
        assert match, path
        schema = (path.parent / match[1]).resolve()
        assert schema.parent == (site / SITE_FOLDER).resolve()
        assert schema.read_bytes() == (PACKAGE_SCHEMAS / schema.name).read_bytes()
        assert _problems(schema.name, _data(path)) == []
        named += 1
    assert named == 2
    # VS Code's YAML extension maps the same files by glob, for files without the first line.
    settings = json.loads((site / ".vscode" / "settings.json").read_text())
    for schema, glob in settings["yaml.schemas"].items():
        assert (site / schema).is_file(), schema
        assert list(site.glob(glob)), glob


def test_a_site_with_another_versions_schemas_is_told_to_update_them(tmp_path):
    site = tmp_path / "site"
    create_site(site)
    (site / SITE_FOLDER / "site.schema.json").write_text("{}")
    assert stale_site_schemas(site) == ["site.schema.json"]
    (site / SITE_FOLDER / "page.schema.json").unlink()
    assert stale_site_schemas(site) == ["page.schema.json", "site.schema.json"]
    assert stale_site_schemas(tmp_path) == []  # a site without the folder chose not to keep one


def test_the_generators_help_writes_nothing(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(SystemExit) as stopped:
        json_schemas.main(["--help"])
    assert stopped.value.code == 0
    assert "usage: python -m badgepress.content.json_schemas" in capsys.readouterr().out
    assert list(tmp_path.iterdir()) == []


def test_the_generator_writes_every_schema_into_the_folder_given(tmp_path):
    json_schemas.main([str(tmp_path / "out")])
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == sorted(
        name for name, *_ in json_schemas.SCHEMAS
    )
