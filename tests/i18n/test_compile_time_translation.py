"""Interface strings translated when templates compile render exactly as gettext at render time."""

from __future__ import annotations

import gettext

import jinja2
import pytest

from badgepress.i18n import translations
from badgepress.render.pages import make_environment
from badgepress.render.template_i18n import TranslatingEnvironment, translations_key

MESSAGES = {  # translations that test escaping and format strings
    "Valid": "Válido",
    "Terms & <conditions>": "Términos & <condiciones>",
    "100%% free": "100%% gratis",
    "Copy: %(what)s": "Copiar: %(what)s",
    "Earned by <strong>%(earner)s</strong>": "Obtenido por <strong>%(earner)s</strong>",
}


class _Catalog(gettext.NullTranslations):
    def gettext(self, message):
        return MESSAGES.get(message, message)


TEMPLATE = """\
{{ _("Valid") }}|{{ gettext("Terms & <conditions>") }}|{{ _("100%% free") }}|\
{{ _("Copy: %(what)s", what=what) }}|\
{% trans earner=earner %}Earned by <strong>{{ earner }}</strong>{% endtrans %}|\
{{ _("Untranslated") | upper }}|{{ _(dynamic) }}|{{ shout(_("Valid")) }}|\
{{ _("%(count)d left, 100%% %(what)s", count=2, what=what) }}|{{ _("Only %(what)s", what=what, other=1) }}"""
VARIABLES = {"what": "<Name> & co", "earner": "Ana <b>", "dynamic": "Valid", "shout": str.upper}


def _environment(cls, autoescape: bool) -> jinja2.Environment:
    env = cls(autoescape=autoescape, extensions=["jinja2.ext.i18n"])
    env.policies["ext.i18n.trimmed"] = True
    catalog = _Catalog()
    env.install_gettext_translations(catalog, newstyle=True)
    if isinstance(env, TranslatingEnvironment):
        env.interface_translations = catalog
    return env


@pytest.mark.parametrize("autoescape", [True, False])
def test_compile_time_translation_renders_like_newstyle_gettext(autoescape):
    runtime = _environment(jinja2.Environment, autoescape).from_string(TEMPLATE)
    compiled = _environment(TranslatingEnvironment, autoescape).from_string(TEMPLATE)
    expected = runtime.render(VARIABLES)
    assert compiled.render(VARIABLES) == expected
    # The translations, their escaping and their format strings really were exercised.
    assert "Válido|Términos & <condiciones>|100% gratis|" in expected
    escaped = "&lt;Name&gt; &amp; co" if autoescape else "<Name> & co"
    assert f"Copiar: {escaped}" in expected


def test_literal_interface_strings_become_template_text():
    env = _environment(TranslatingEnvironment, True)
    source = env.compile('{{ _("Valid") }} {% trans %}Terms & <conditions>{% endtrans %}', raw=True)
    assert "Válido" in source and "Términos" in source
    assert "gettext" not in source  # no call left for the page render to make


def test_printed_translations_with_variables_are_spliced_into_template_text():
    env = _environment(TranslatingEnvironment, True)
    source = env.compile(
        "{% trans earner=earner %}Earned by <strong>{{ earner }}</strong>{% endtrans %}", raw=True
    )
    assert "Obtenido por <strong>" in source and "%(earner)s" not in source
    rendered = env.from_string(
        "{% trans earner=earner %}Earned by <strong>{{ earner }}</strong>{% endtrans %}"
    ).render(earner="<i>Ana</i>")
    assert rendered == "Obtenido por <strong>&lt;i&gt;Ana&lt;/i&gt;</strong>"


def test_a_missing_variable_still_fails_as_gettext_does():
    env = _environment(TranslatingEnvironment, True)
    with pytest.raises(KeyError):
        env.from_string('{{ _("Copy: %(what)s") }}').render()


def test_a_template_defining_its_own_underscore_keeps_its_calls():
    env = _environment(TranslatingEnvironment, True)
    template = env.from_string(
        '{% macro row(_) %}{{ _("Valid") }}{% endmacro %}{{ row(str.lower) }}|{{ _("Valid") }}'
    )
    assert template.render(str=str) == "valid|Válido"


def test_compiled_templates_are_cached_per_language(tmp_path):
    """Compiled code holds translated text: a Spanish build must not load English bytecode."""
    templates, cache = tmp_path / "templates", tmp_path / "cache"
    templates.mkdir()
    (templates / "status.html").write_text('{{ _("Valid") }}')

    def render(language: str) -> str:
        return make_environment(templates, language, cache).get_template("status.html").render()

    assert render("en") == "Valid"
    spanish = render("es")
    assert spanish != "Valid" and spanish == translations("es").gettext("Valid")
    assert render("en") == "Valid" and render("es") == spanish  # now from the cache
    assert len(list(cache.iterdir())) == 2
    assert translations_key("en", translations("en")) != translations_key("es", translations("es"))
