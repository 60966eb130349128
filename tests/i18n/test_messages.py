"""The default theme's interface strings: all in the message catalog, all translated."""

from __future__ import annotations

import html.parser
import io
import re

import pytest
from babel.messages.pofile import read_po

from badgepress.i18n import LOCALE_DIR, available_languages
from badgepress.render.pages import THEME, make_environment
from tests.support import REPO
from tools.messages import extract_template

TEMPLATES = sorted((THEME / "templates").glob("*.html"))
POT = LOCALE_DIR / "messages.pot"
PLACEHOLDER = "\x00"
# Attributes whose values people read or hear.
SPOKEN_ATTRIBUTES = {"alt", "title", "aria-label", "placeholder", "label", "content"}


def _ids(catalog) -> set:
    return {m.id for m in catalog if m.id}


def _visible_text_outside_translation(source: str) -> list[str]:
    """Words a template shows that are not inside {% trans %} or a gettext call.

    Every Jinja tag becomes a placeholder and {% trans %} blocks vanish; what remains is HTML
    whose text and spoken attributes must hold no letters. String literals in expressions that
    look like prose (a capital letter or a space) must be gettext arguments.
    """
    env = make_environment(None)
    template_text: list[str] = []
    problems: list[str] = []
    depth = 0  # inside {% trans %}
    tokens = [t for t in env.lex(source) if t[1] != "whitespace"]
    for index, (line, kind, value) in enumerate(tokens):
        if kind == "name" and value == "trans" and tokens[index - 1][1] == "block_begin":
            depth += 1
        elif kind == "name" and value == "endtrans" and tokens[index - 1][1] == "block_begin":
            depth -= 1
        if depth:
            continue
        if kind == "data":
            template_text.append(value)
        elif kind in ("variable_begin", "block_begin"):
            template_text.append(PLACEHOLDER)
        elif (
            kind == "string"
            and re.search(r"[A-Z]|[a-z]+ [a-z]+", value)
            and "%" not in value  # strftime patterns
            and tokens[index - 1][2] not in ("==", "!=")  # comparisons with content values
        ):
            before = [t[2] for t in tokens[max(0, index - 2) : index]]
            if not ({"_", "gettext", "ngettext"} & set(before)) and "ngettext" not in {
                t[2] for t in tokens[max(0, index - 6) : index]
            }:
                problems.append(f"line {line}: string literal {value!r} outside _()")

    class Checker(html.parser.HTMLParser):
        skip = 0

        def handle_starttag(self, tag, attrs):
            if tag in ("script", "style"):
                self.skip += 1
            for name, value in attrs:
                technical = re.fullmatch(r"\S*[/.]\S*", value or "")  # a URL or file pattern
                if name in SPOKEN_ATTRIBUTES and value and _has_words(value) and not technical:
                    if (
                        tag == "meta"
                        and name == "content"
                        and dict(attrs).get("name") != "description"
                    ):
                        continue
                    problems.append(f"<{tag} {name}={value.replace(PLACEHOLDER, ' ')!r}>")

        def handle_endtag(self, tag):
            if tag in ("script", "style"):
                self.skip -= 1

        def handle_data(self, data):
            if not self.skip and _has_words(data):
                problems.append(f"text {data.replace(PLACEHOLDER, ' ').strip()!r}")

    # A tag whose name is an expression (<{{ heading }}>) is still a tag.
    markup = (
        "".join(template_text)
        .replace("</" + PLACEHOLDER, "</tpl")
        .replace("<" + PLACEHOLDER, "<tpl")
    )
    Checker().feed(markup)
    return problems


def _has_words(text: str) -> bool:
    return bool(re.search(r"[^\W\d_]{2,}", text.replace(PLACEHOLDER, " ")))


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda p: p.name)
def test_default_theme_template_has_no_text_outside_the_message_catalog(template):
    problems = _visible_text_outside_translation(template.read_text(encoding="utf-8"))
    assert problems == [], f"{template.name}: wrap these in {{% trans %}} or _(): {problems}"


def test_checker_catches_bare_text_attributes_and_literals():
    source = (
        '<p>Hello {{ name }}</p><img alt="A badge"><nav aria-label="{{ _(\'Site\') }}"></nav>'
        "{% trans %}Fine{% endtrans %}{{ \"Expired\" if x }}<script>var a = 'ok';</script>"
    )
    problems = _visible_text_outside_translation(source)
    assert problems == [
        "line 1: string literal '\"Expired\"' outside _()",
        "text 'Hello'",
        "<img alt='A badge'>",
    ]


def test_message_template_matches_the_strings_in_the_templates():
    # `pybabel extract` as babel.cfg says, byte for byte (tools.messages writes the file so).
    fresh = extract_template(REPO)
    assert _ids(read_po(io.BytesIO(fresh))) == _ids(read_po(io.BytesIO(POT.read_bytes()))), (
        "messages.pot is stale: run python -m tools.messages, then translate the new entries"
    )
    assert fresh == POT.read_bytes(), "messages.pot: run python -m tools.messages"


@pytest.mark.parametrize("language", [lang for lang in available_languages() if lang != "en"])
def test_every_message_is_translated(language):
    with POT.open("rb") as handle:
        wanted = _ids(read_po(handle))
    po = LOCALE_DIR / language / "LC_MESSAGES" / "messages.po"
    with po.open("rb") as handle:
        catalog = read_po(handle, locale=language)
    untranslated = sorted(
        str(m.id)
        for m in catalog
        if m.id and (not m.string or (isinstance(m.string, tuple) and not all(m.string)))
    )
    assert untranslated == []
    assert wanted <= _ids(catalog), (
        f"missing from {po.name}: {sorted(map(str, wanted - _ids(catalog)))}"
    )
    # Placeholders must survive translation, or rendering fails for that language.
    for message in catalog:
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        names = set(re.findall(r"%\((\w+)\)", ids[-1]))
        for string in strings:
            assert set(re.findall(r"%\((\w+)\)", string)) <= names | {"num", "count"}, message.id


def test_spanish_catalog_compiles_in_memory():
    from badgepress.i18n import translations

    assert translations("es").gettext("Catalog") == "Catálogo"
    assert translations("es-MX").gettext("Catalog") == "Catálogo"
    assert io.BytesIO  # the .mo is built in memory; nothing binary is committed
    assert not list(LOCALE_DIR.rglob("*.mo"))


def test_french_catalog_follows_french_typography():
    """A no-break space before ':' and inside « », a narrow one before ; ! ?, typographic
    apostrophes and quotation marks (the rules of the Imprimerie nationale's lexique)."""
    po = LOCALE_DIR / "fr" / "LC_MESSAGES" / "messages.po"
    with po.open("rb") as handle:
        catalog = read_po(handle, locale="fr")
    problems = []
    for message in catalog:
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        for string in strings:
            text = re.sub(r"<[^>]+>", "", string)  # tags and their attributes are not prose
            for rule, pattern in (
                ("no-break space before ':'", r"(?<!\u00a0):(?=\s|$)"),
                ("narrow no-break space before ; ! ?", r"(?<!\u202f)[;!?](?=\s|$)"),
                ("no-break space after «", r"«(?!\u00a0)"),
                ("no-break space before »", r"(?<!\u00a0)»"),
                ("typographic apostrophe", r"'"),
                ("« » quotation marks", r"[\"“”]"),
            ):
                if re.search(pattern, text):
                    problems.append(f"{rule}: {string!r}")
    assert problems == []
