"""The field tables (content/fields.py) are the one declaration of every content field: the
model's dataclasses (model.py) hold exactly the fields a table declares, plus what the loader
derives from the file itself (listed here), with the same defaults."""

import dataclasses

import pytest

from badgepress.content import fields
from badgepress.content.schema import Field, to_model
from badgepress.model import Assertion, Credential, Page, SiteConfig, Stack

# model class → attributes the loader supplies that no field of its table fills.
TABLES = [
    (
        SiteConfig,
        fields.SITE_FIELDS,
        {"plaintext_recipients", "noindex_earner_pages", "locales"},
    ),
    (Stack, fields.STACK_FIELDS, {"slug", "body", "source", "drawing_order"}),
    (Credential, fields.CREDENTIAL_FIELDS, {"criteria", "source", "stack", "image_source"}),
    (Assertion, fields.ASSERTION_FIELDS, {"id", "source"}),
    (Page, fields.PAGE_FIELDS, {"name", "body", "source"}),
]


def _nested(table):
    """(model class, its table) for every nested mapping that becomes a model object."""
    for field in table:
        kind = field.kind.item or field.kind
        if kind.model is not None:
            yield kind.model, kind.fields
            yield from _nested(kind.fields)


def _every_table():
    seen = {}
    for model, table, derived in TABLES:
        seen[model] = (table, derived)
        for nested, nested_table in _nested(table):
            seen.setdefault(nested, (nested_table, set()))
    return [(model, *pair) for model, pair in seen.items()]


EVERY_TABLE = _every_table()


def _ids(params):
    return [model.__name__ for model, *_ in params]


@pytest.mark.parametrize("model,table,derived", EVERY_TABLE, ids=_ids(EVERY_TABLE))
def test_each_model_dataclass_holds_its_tables_fields_and_only_those(model, table, derived):
    declared = {f.attr for f in table if f.attr is not None}
    attributes = {f.name for f in dataclasses.fields(model) if f.init}
    assert declared - attributes == set(), (
        "a field declared in content/fields.py has no model attribute"
    )
    assert attributes - declared - derived == set(), (
        "a model attribute no field declares: add the field to its table in content/fields.py"
    )


@pytest.mark.parametrize("model,table,derived", EVERY_TABLE, ids=_ids(EVERY_TABLE))
def test_each_fields_default_is_its_model_attributes_default(model, table, derived):
    attributes = {f.name: f for f in dataclasses.fields(model)}
    for field in table:
        if field.attr is None or field.default is None:
            continue
        attribute = attributes[field.attr]
        if attribute.default is not dataclasses.MISSING:
            assert attribute.default == field.default, f"{model.__name__}.{field.attr}"


def test_translations_replace_only_credential_attributes():
    attributes = {f.name for f in dataclasses.fields(Credential)}
    assert {f.attr for f in fields.TRANSLATION_FIELDS} <= attributes


def test_to_model_fills_renamed_nested_and_left_out_fields():
    values = {
        "title": "A stack",
        "summary": "Summary",
        "developer": None,
        "topics": ("a",),
        "outcomes": (),
        "order": ("one", "two"),
        "capstone": None,
        "required": None,
        "badge": {"style": "shield", "palette": None, "color": None, "accent": None, "logo": None},
        "extra": None,
    }
    stack = to_model(Stack, values, fields.STACK_FIELDS, slug="s", body="", source="s/index.md")
    assert stack.credentials == ("one", "two")  # `order` fills `credentials`
    assert stack.badge.style == "shield"
    assert stack.extra == {} and stack.extra is not None


def test_a_field_without_attr_fills_the_attribute_of_its_name():
    assert Field("title", fields.TEXT).attr == "title"
    assert Field("order", fields.TEXT, attr="credentials").attr == "credentials"
    assert Field("email", fields.TEXT, attr=None).attr is None
