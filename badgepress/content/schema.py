"""A small declarative schema: field kinds that convert YAML values or say what they expected.

Every content file (site.yaml, stacks, credentials, assertions) is described by a tuple of
`Field`s; `check_fields` reports every problem at once with its line, and the reference docs
are generated from the same tables (docs/reference.md), so the two cannot drift.
"""

from __future__ import annotations

import dataclasses
import datetime
import functools
import re
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from types import MappingProxyType
from urllib.parse import urlsplit

from ..errors import SourceError, did_you_mean, quote
from ..model import FrozenMap
from .sources import Document, YamlList, YamlMap, describe


class Invalid(Exception):
    """A value of the wrong kind; `expected` completes 'expected ...'."""

    def __init__(self, expected: str):
        super().__init__(expected)
        self.expected = expected


@dataclass
class Context:
    """Where values come from while checking: the document and the collected errors."""

    doc: Document
    errors: list[SourceError]

    def report(self, message: str, line: int) -> None:
        self.errors.append(self.doc.error(message, line))


@dataclass(frozen=True)
class Kind:
    """A field kind: `convert(value, ctx, where, line)` returns the value or raises Invalid."""

    expected: str
    convert: Callable
    fields: tuple = ()  # for nested mappings: their fields (used by the reference docs)
    model: type | None = None  # for nested mappings: the model class they become (to_model)
    item: Kind | None = None  # for lists: the kind of each item
    single_item: bool = False  # for lists: a single value stands for a one-item list
    # What `convert` accepts, as JSON Schema (draft-07) for editors (json_schemas); YAML dates
    # are strings there, as editors read YAML 1.2. Mappings and lists: from `fields`, `item`.
    json: dict = dataclasses.field(default_factory=dict, compare=False)


@dataclass(frozen=True)
class Field:
    """One documented field of a content file: the one declaration that checks it, documents
    it (docs/reference.md, the JSON Schemas) and carries it into the model (`to_model`)."""

    name: str
    kind: Kind
    required: bool = False
    default: object = None
    doc: str = ""
    example: str = ""
    # The model attribute it fills: "" its own name; None none (the loader reads it itself).
    attr: str | None = ""

    def __post_init__(self) -> None:
        if self.attr == "":
            object.__setattr__(self, "attr", self.name)


class _Failed(Exception):
    """A nested value already reported its own errors."""


def check_fields(
    ctx: Context, mapping: YamlMap, fields: Sequence[Field], where: str = ""
) -> dict | None:
    """Convert `mapping` by `fields`; report every problem; None if any were found."""
    before = len(ctx.errors)
    known = {f.name for f in fields}
    for key in mapping:
        if key not in known:
            hint = did_you_mean(str(key), known)
            tail = hint or "; free-form data goes under 'extra:'" if "extra" in known else hint
            ctx.report(f"unknown field {quote(f'{where}{key}', 80)}{tail}", _line(mapping, key))
    values = {}
    for field in fields:
        value = mapping.get(field.name)
        if value is None or (isinstance(value, str) and not value.strip() and field.required):
            if field.required:
                found = "" if field.name not in mapping else f", found {describe(value)}"
                ctx.report(
                    f"missing required field '{where}{field.name}' (expected {field.kind.expected}{found})",
                    _line(mapping, field.name),
                )
            values[field.name] = field.default
            continue
        try:
            values[field.name] = field.kind.convert(
                value, ctx, f"{where}{field.name}", _line(mapping, field.name)
            )
        except Invalid as exc:
            ctx.report(
                f"'{where}{field.name}': expected {exc.expected}, found {describe(value)}",
                _line(mapping, field.name),
            )
        except _Failed:
            pass
    return None if len(ctx.errors) > before else values


def _line(container: object, key: object) -> int:
    lines = getattr(container, "lines", None)
    if isinstance(lines, dict) and key in lines:
        return lines[key]
    if isinstance(lines, list) and isinstance(key, int) and key < len(lines):
        return lines[key]
    return getattr(container, "line", 0)


def _simple(expected: str, convert: Callable[[object], object], json: dict) -> Kind:
    def run(value, ctx, where, line):
        return convert(value)

    return Kind(expected, run, json=json)


def _string(pattern: str, expected: str, types: tuple = ("string",)) -> dict:
    """A JSON Schema for strings matching `pattern` (ECMA-262 and Python `re` alike)."""
    return {
        "type": list(types) if len(types) > 1 else types[0],
        "pattern": pattern,
        "patternErrorMessage": f"expected {expected}",
    }


def _text(value):
    if isinstance(value, bool) or not isinstance(value, (str, int, float, Decimal)):
        raise Invalid("text")
    text = str(value).strip()
    if not text:
        raise Invalid("non-empty text")
    if _CONTROL.search(text):
        raise Invalid("text without control characters")
    return text


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# Some non-space character, and no control character: what `_text` accepts of a string.
_TEXT_PATTERN = r"^(?=[\s\S]*\S)[^\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]*$"

TEXT = _simple("text", _text, _string(_TEXT_PATTERN, "text", ("string", "number")))
MARKDOWN = _simple(
    "Markdown text", _text, _string(_TEXT_PATTERN, "Markdown text", ("string", "number"))
)


def _integer(minimum: int = 0):
    def convert(value):
        if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
            raise Invalid(f"a whole number ≥ {minimum}")
        return value

    return _simple(f"a whole number ≥ {minimum}", convert, {"type": "integer", "minimum": minimum})


def _number(value):
    if (
        isinstance(value, bool)
        or not isinstance(value, (int, float))
        or value < 0
        or value != value
        or value == float("inf")
    ):
        raise Invalid("a number ≥ 0")
    # Decimal keeps money and hours exact in JSON: 12.5, never 12.499999.
    return int(value) if float(value).is_integer() else Decimal(str(value))


NUMBER = _simple("a number ≥ 0", _number, {"type": "number", "minimum": 0})
WHOLE = _integer(0)


def _bool(value):
    if not isinstance(value, bool):
        raise Invalid("true or false")
    return value


BOOL = _simple("true or false", _bool, {"type": "boolean"})


def _date(value):
    if isinstance(value, datetime.datetime):
        if value.tzinfo is None:
            raise Invalid("a date (YYYY-MM-DD) or a date and time with a time zone")
        return value.astimezone(datetime.timezone.utc)
    if isinstance(value, datetime.date):
        return value
    raise Invalid("a date (YYYY-MM-DD)")


# YAML's timestamps as editors see them (strings): a date, or a date and time with a zone.
_DATE_PATTERN = (
    r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$|^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:[Tt]|[ \t]+)"
    r"[0-9]{1,2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]*)?[ \t]*(?:Z|[-+][0-9]{1,2}(?::[0-9]{2})?)$"
)
DATE = _simple(
    "a date (YYYY-MM-DD)",
    _date,
    _string(_DATE_PATTERN, "a date (YYYY-MM-DD) or a date and time with a time zone"),
)

_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def _slug(value):
    if not isinstance(value, str) or not _SLUG.match(value):
        raise Invalid(
            "a slug of lowercase letters, digits and single hyphens (e.g. 'restorative-circles')"
        )
    return value


SLUG = _simple(
    "a slug (lowercase letters, digits, hyphens)",
    _slug,
    _string(_SLUG.pattern, "a slug of lowercase letters, digits and single hyphens"),
)


def _url(value):
    if not isinstance(value, str):
        raise Invalid("an http(s) URL")
    parts = urlsplit(value.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc or " " in value.strip():
        raise Invalid("an absolute http(s) URL")
    return value.strip()


URL = _simple(
    "an absolute http(s) URL",
    _url,
    _string(r"^\s*[Hh][Tt][Tt][Pp][Ss]?://[^\s/?#]\S*\s*$", "an absolute http(s) URL"),
)

_EMAIL = re.compile(r"^[^@\s<>\"',;]+@[^@\s<>\"',;]+\.[^@\s<>\"',;.]+$")


def _email(value):
    if not isinstance(value, str) or not _EMAIL.match(value.strip()):
        raise Invalid("an email address")
    return value.strip()


EMAIL = _simple(
    "an email address",
    _email,
    _string(r"^\s*" + _EMAIL.pattern[1:-1] + r"\s*$", "an email address"),
)

_COLOUR = re.compile(r"^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")


def _colour(value):
    text = value.strip() if isinstance(value, str) else ""
    if not _COLOUR.match(text):
        raise Invalid("a colour as '#rrggbb' (e.g. '#0f766e'; quote it in YAML)")
    if len(text) == 4:
        text = "#" + "".join(ch * 2 for ch in text[1:])
    return text.lower()


COLOUR = _simple(
    "a colour as '#rrggbb'",
    _colour,
    _string(r"^\s*" + _COLOUR.pattern[1:-1] + r"\s*$", "a colour as '#rrggbb' (quote it)"),
)

_DURATION = re.compile(r"^(\d+)\s*([ymwd])$")
DURATION_UNITS = MappingProxyType({"y": "years", "m": "months", "w": "weeks", "d": "days"})


_DAYS_PER_UNIT = {"y": 366, "m": 31, "w": 7, "d": 1}
_LONGEST_DURATION = 100 * 366  # days: badges dated to 2199 at most (load.LATEST_EXPIRY)


def _duration(value):
    match = _DURATION.match(str(value).strip()) if isinstance(value, str) else None
    if not match or int(match[1]) == 0:
        raise Invalid("a duration such as '3y', '18m', '6w' or '90d'")
    if int(match[1]) * _DAYS_PER_UNIT[match[2]] > _LONGEST_DURATION:
        raise Invalid("a duration of at most 100 years, such as '3y', '18m', '6w' or '90d'")
    return (int(match[1]), match[2])


DURATION = _simple(
    "a duration such as '3y', '18m', '6w' or '90d'",
    _duration,
    _string(r"^\s*0*[1-9][0-9]*\s*[ymwd]\s*$", "a duration such as '3y', '18m', '6w' or '90d'"),
)


def choice(*options: str) -> Kind:
    """One of `options`, compared without regard to case; returns the canonical spelling."""
    canonical = {o.lower(): o for o in options}
    expected = "one of " + ", ".join(f"'{o}'" for o in options)

    def run(value, ctx, where, line):
        if not isinstance(value, str) or value.strip().lower() not in canonical:
            hint = did_you_mean(str(value), options) if isinstance(value, str) else ""
            raise Invalid(expected + hint.replace(" (did you mean", "; did you mean").rstrip(")"))
        return canonical[value.strip().lower()]

    # Editors offer the canonical spellings; any case is accepted, as here.
    any_case = "|".join(
        "".join(f"[{c.upper()}{c.lower()}]" if c.upper() != c.lower() else re.escape(c) for c in o)
        for o in options
    )
    return Kind(
        expected,
        run,
        json={
            "anyOf": [
                {"enum": list(options)},
                _string(rf"^\s*(?:{any_case})\s*$", expected),
            ]
        },
    )


def list_of(item: Kind, *, allow_single: bool = True) -> Kind:
    """A list of `item`s; a single value is accepted as a one-item list when allowed."""

    def run(value, ctx, where, line):
        if not isinstance(value, list):
            if allow_single and not isinstance(value, dict):
                value = [value]
            else:
                raise Invalid(f"a list of {item.expected}")
        out, failed = [], False
        for index, element in enumerate(value):
            element_line = _line(value, index) or line
            try:
                out.append(item.convert(element, ctx, f"{where}[{index + 1}]", element_line))
            except Invalid as exc:
                ctx.report(
                    f"'{where}' item {index + 1}: expected {exc.expected}, found {describe(element)}",
                    element_line,
                )
                failed = True
            except _Failed:
                failed = True
        if failed:
            raise _Failed
        return tuple(out)

    return Kind(f"a list of {item.expected}", run, item=item, single_item=allow_single)


def mapping_of(
    fields: Sequence[Field], expected: str = "a mapping", model: type | None = None
) -> Kind:
    """A nested mapping checked by its own fields; `model`: the class it becomes (to_model)."""

    def run(value, ctx, where, line):
        if not isinstance(value, YamlMap):
            raise Invalid(f"{expected} with fields " + ", ".join(f.name for f in fields))
        result = check_fields(ctx, value, fields, where=f"{where}.")
        if result is None:
            raise _Failed
        return result

    return Kind(expected, run, fields=tuple(fields), model=model)


def to_model(cls: type, values: Mapping, fields: Sequence[Field], **given):
    """A model object from values `check_fields` returned: each field's value under its model
    attribute (`Field.attr`), nested mappings as their kind's model class; `given` supplies
    what the file does not say (or what the loader derives from it)."""
    return cls(**model_values(cls, values, fields, skip=given.keys()), **given)


def model_values(
    cls: type, values: Mapping, fields: Sequence[Field], skip: Collection[str] = ()
) -> dict:
    """The model attributes `values` fill. A value the file leaves out (None, or empty
    free-form data) takes the model attribute's own default."""
    defaults = _model_defaults(cls)
    out = {}
    for field in fields:
        if field.attr is None or field.attr in skip:
            continue
        value, kind = values[field.name], field.kind
        if (value is None or (kind is FREE and not value)) and field.attr in defaults:
            continue
        if kind.model is not None:
            value = to_model(kind.model, value, kind.fields) if value else None
        elif kind.item is not None and kind.item.model is not None:
            value = tuple(to_model(kind.item.model, v, kind.item.fields) for v in value)
        out[field.attr] = value
    return out


@functools.cache
def _model_defaults(cls: type) -> frozenset[str]:
    """The attributes of a model dataclass that have a default."""
    return frozenset(
        f.name
        for f in dataclasses.fields(cls)
        if f.default is not dataclasses.MISSING or f.default_factory is not dataclasses.MISSING
    )


def _free(value, ctx, where, line):
    return plain(value)


FREE = Kind("any YAML data", _free)


def plain(value):
    """YAML values with line bookkeeping → plain, read-only Python values for templates."""
    if isinstance(value, dict):
        return FrozenMap({str(k): plain(v) for k, v in value.items()})
    if isinstance(value, list):
        return tuple(plain(v) for v in value)
    return value


def is_list(value) -> bool:
    """True for YAML sequences."""
    return isinstance(value, (list, YamlList))
