from pathlib import Path

from badgepress.content import fields
from tools.reference import reference_markdown

DOCS = Path(__file__).parents[2] / "docs" / "reference.md"


def test_reference_docs_are_generated_from_the_current_fields():
    assert DOCS.read_text(encoding="utf-8") == reference_markdown(), (
        "docs/reference.md is stale: run python3 -m tools.reference > docs/reference.md"
    )


def test_every_field_is_documented():
    for table in (
        fields.SITE_FIELDS,
        fields.STACK_FIELDS,
        fields.CREDENTIAL_FIELDS,
        fields.ASSERTION_FIELDS,
    ):
        for field in table:
            assert field.doc, field.name
