"""docs/reference.md, generated from the field tables so the docs cannot drift from the code.

Run `python -m tools.reference > docs/reference.md`; a test fails when the file is stale.
"""

from __future__ import annotations

from collections.abc import Sequence

from badgepress.content import fields
from badgepress.content.schema import Field

_FILES = (
    ("content/site.yaml", "Site and issuer settings.", fields.SITE_FIELDS),
    (
        "content/credentials/&lt;stack&gt;/index.md",
        "A stack: front matter below; the Markdown body is shown on the stack page.",
        fields.STACK_FIELDS,
    ),
    (
        "content/credentials/[&lt;stack&gt;/]&lt;slug&gt;.md",
        "A credential: front matter below; the Markdown body is the criteria narrative (BadgeClass `criteria.narrative` and the criteria page).",
        fields.CREDENTIAL_FIELDS,
    ),
    (
        "content/credentials/[&lt;stack&gt;/]&lt;slug&gt;.&lt;lang&gt;.md",
        "A translation of a credential, published at `/credentials/<slug>/<lang>/` as a language alternate of the criteria page. `<lang>` is an interface language other than the site's: one the theme ships (`en`, `es`, `fr`) or one with a catalog in the site's `locales/`. Only text is translated; the Markdown body is the criteria narrative in that language (default: the original's).",
        fields.TRANSLATION_FIELDS,
    ),
    (
        "assertions/**/&lt;id&gt;.yaml",
        "One issued badge. `<id>` (the file name) is its permanent public id: lowercase letters, digits and hyphens, unique across the repository, never reused.",
        fields.ASSERTION_FIELDS,
    ),
    (
        "content/pages/&lt;name&gt;.md",
        "A free page at `/<name>/`; front matter optional.",
        fields.PAGE_FIELDS,
    ),
)


def _rows(table: Sequence[Field], prefix: str = "") -> list[str]:
    rows = []
    for field in table:
        name = f"{prefix}{field.name}"
        required = "yes" if field.required else ""
        shown = str(field.default).lower() if isinstance(field.default, bool) else field.default
        default = "" if field.default in (None, ()) else f"`{shown}`"
        doc = field.doc + (f" Example: `{field.example}`." if field.example else "")
        kind = field.kind.expected + (
            " of mappings" if field.kind.item and field.kind.item.fields else ""
        )
        rows.append(f"| `{name}` | {kind} | {required} | {default} | {doc} |")
        nested = field.kind.fields or (field.kind.item.fields if field.kind.item else ())
        if nested:
            rows += _rows(nested, prefix=f"{name}[]." if field.kind.item else f"{name}.")
    return rows


def reference_markdown() -> str:
    """The whole reference page."""
    lines = [
        "# Content reference",
        "",
        "Generated from `badgepress/content/fields.py` by `python -m tools.reference`; do not edit by hand.",
        "Unknown fields are errors (with a 'did you mean' hint); free-form data for custom templates goes under `extra:`.",
        "Dates are `YYYY-MM-DD` (midnight UTC) or a date and time with a time zone.",
    ]
    for title, intro, table in _FILES:
        lines += [
            "",
            f"## {title}",
            "",
            intro,
            "",
            "| field | expects | required | default | meaning |",
            "|---|---|---|---|---|",
        ]
        lines += _rows(table)
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    print(reference_markdown(), end="")
