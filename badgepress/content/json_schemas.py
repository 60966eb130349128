"""JSON Schemas of the content files, generated from the field tables, for editors.

Editors with a YAML language server (VS Code's YAML extension, Neovim, Helix, Zed, JetBrains)
complete keys, show each field's meaning and flag unknown keys and wrong values as you type.
The schemas are generated from `fields`, like docs/reference.md, so they cannot drift from
what `badgepress check` accepts; `badgepress check` stays the authority (it also knows what a
schema cannot: which slugs exist, which files are present, git's history).

`python -m badgepress.content.json_schemas` rewrites badgepress/schemas/; a test fails when they are
stale. A site carries a copy in its own `schemas/` folder (`badgepress new`, `badgepress
schemas`: see `site_schemas`), referenced by relative paths, so editors work offline and
with the badgepress that builds the site.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import yaml

from . import fields
from .schema import Field, Kind
from .site_schemas import PACKAGE_SCHEMAS

DRAFT = "http://json-schema.org/draft-07/schema#"  # the draft every YAML language server reads

# (file name, title, the files it describes, their fields)
SCHEMAS = (
    ("site.schema.json", "badgepress site settings", "content/site.yaml", fields.SITE_FIELDS),
    (
        "stack.schema.json",
        "badgepress stack front matter",
        "content/credentials/<stack>/index.md",
        fields.STACK_FIELDS,
    ),
    (
        "credential.schema.json",
        "badgepress credential front matter",
        "content/credentials/[<stack>/]<slug>.md",
        fields.CREDENTIAL_FIELDS,
    ),
    (
        "translation.schema.json",
        "badgepress credential translation front matter",
        "content/credentials/[<stack>/]<slug>.<lang>.md",
        fields.TRANSLATION_FIELDS,
    ),
    (
        "assertion.schema.json",
        "badgepress assertion",
        "assertions/**/<id>.yaml",
        fields.ASSERTION_FIELDS,
    ),
    (
        "page.schema.json",
        "badgepress page front matter",
        "content/pages/<name>.md",
        fields.PAGE_FIELDS,
    ),
)


def _kind(kind: Kind) -> dict:
    """What a field of this kind accepts."""
    if kind.fields:
        return _object(kind.fields)
    if kind.item is not None:
        items = {"type": "array", "items": _kind(kind.item)}
        if kind.single_item and not kind.item.fields:
            return {"anyOf": [items, _kind(kind.item)]}
        return items
    return json.loads(json.dumps(kind.json))  # a copy: callers add to it


def _nullable(schema: dict) -> dict:
    """An optional field may be left empty (`key:`): YAML reads null, the default applies."""
    if not schema:
        return schema  # anything goes already
    if "anyOf" in schema:
        schema["anyOf"].append({"type": "null"})
    elif isinstance(schema.get("type"), list):
        schema["type"].append("null")
    else:
        schema["type"] = [schema["type"], "null"]
    return schema


def _property(field: Field) -> dict:
    schema = _kind(field.kind)
    if not field.required:
        schema = _nullable(schema)
    doc = field.doc + (f" Example: `{field.example}`." if field.example else "")
    described = {"description": doc.replace("`", ""), "markdownDescription": doc}
    if field.default not in (None, ()):
        described["default"] = field.default
    if field.example:
        described["examples"] = [yaml.safe_load(field.example)]
    return {**described, **schema}


def _object(table: tuple[Field, ...]) -> dict:
    schema: dict = {
        "type": "object",
        "properties": {f.name: _property(f) for f in table},
        # Unknown keys are errors in badgepress too: a typo is flagged where it is typed.
        "additionalProperties": False,
    }
    required = [f.name for f in table if f.required]
    if required:
        schema["required"] = required
    return schema


def json_schema(name: str) -> dict:
    """The schema document named `name` (e.g. 'site.schema.json')."""
    for file_name, title, files, table in SCHEMAS:
        if file_name == name:
            return {
                "$schema": DRAFT,
                "title": title,
                "description": f"{files} (badgepress's docs/reference.md). Written by "
                "`badgepress schemas`; `badgepress check` has the last word.",
                **_object(table),
            }
    raise KeyError(name)


def schema_texts() -> dict[str, str]:
    """Every schema file's text, by file name."""
    return {
        name: json.dumps(json_schema(name), indent=2, ensure_ascii=False) + "\n"
        for name, *_ in SCHEMAS
    }


def write_package_schemas(folder: Path = PACKAGE_SCHEMAS) -> None:
    folder.mkdir(exist_ok=True)
    for name, text in schema_texts().items():
        (folder / name).write_text(text, encoding="utf-8")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m badgepress.content.json_schemas",
        description="Write the content files' JSON Schemas, generated from the field tables.",
    )
    parser.add_argument(
        "folder",
        nargs="?",
        type=Path,
        default=PACKAGE_SCHEMAS,
        help="where to write them (default: badgepress/schemas/, which a test compares)",
    )
    write_package_schemas(parser.parse_args(argv).folder)


if __name__ == "__main__":
    main()
