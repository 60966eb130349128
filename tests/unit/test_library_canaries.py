"""Canaries for the speed tricks that lean on a library's private parts (docs/design/performance.md
lists each with what it saves). Each test fails loudly, naming the trick, when an upgrade moves
the private part it uses or when the trick no longer gives what the public path gives; then fix
the trick or remove it (and cap the dependency's range until one or the other is done)."""

from __future__ import annotations

import gettext
import inspect

import jinja2

from badgepress.i18n import translations
from badgepress.render.template_i18n import TranslatingEnvironment, translations_key
from tests.support import fresh_python

TRICK_I18N = "render/template_i18n.py overrides jinja2.Environment._parse"


class _Spanish(gettext.NullTranslations):
    def gettext(self, message):
        return {"Valid": "Válido", "Earned by %(who)s": "Obtenido por %(who)s"}.get(
            message, message
        )


def _parameters(function) -> list[str]:
    return list(inspect.signature(function).parameters)


def test_jinja_compiles_every_template_through_the_private_parse_we_override():
    assert _parameters(jinja2.Environment._parse) == ["self", "source", "name", "filename"], (
        TRICK_I18N
    )
    parsed = []

    class Spy(jinja2.Environment):
        def _parse(self, source, name, filename):
            parsed.append(name)
            return super()._parse(source, name, filename)

    Spy(loader=jinja2.DictLoader({"page.html": "x"})).get_template("page.html")
    Spy().from_string("y")
    assert parsed == ["page.html", None], f"{TRICK_I18N}: Jinja no longer calls it to compile"


def test_interface_strings_compiled_in_print_what_gettext_prints_at_render_time():
    source = '{{ _("Valid") }} {% trans who=who %}Earned by {{ who }}{% endtrans %}'
    rendered = []
    for cls in (TranslatingEnvironment, jinja2.Environment):
        env = cls(autoescape=True, extensions=["jinja2.ext.i18n"])
        env.interface_translations = _Spanish()
        env.install_gettext_translations(_Spanish(), newstyle=True)
        rendered.append(env.from_string(source).render(who="<Ana>"))
        if cls is TranslatingEnvironment:
            code = env.compile(source, raw=True)
            assert "Válido" in code and "gettext" not in code, f"{TRICK_I18N}: not in effect"
    assert rendered[0] == rendered[1] == "Válido Obtenido por &lt;Ana&gt;", TRICK_I18N


def test_compiled_template_caches_are_keyed_by_the_catalogs_private_messages():
    # translations_key reads gettext's private `_catalog`: without it every language would
    # share one cache of compiled templates, each holding its own language's strings.
    catalog = translations("es")
    assert isinstance(getattr(catalog, "_catalog", None), dict) and catalog._catalog
    assert translations_key("es", catalog) != translations_key("fr", translations("fr"))


def test_pyld_imports_an_http_library_unless_signing_hides_it():
    # openbadges/signing.py hides requests and aiohttp while pyld imports (~70 ms of CPU a
    # signed rebuild), and pyld falls back to its offline dummy loader (that the libraries
    # stay importable: tests/unit/test_signing.py). If pyld stops asking for them on import,
    # the trick saves nothing: remove it.
    watched = (
        "import sys\n"
        "asked = set()\n"
        "class Watch:\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        asked.add(name)\n"
        "sys.meta_path.insert(0, Watch())\n"
        "{import_pyld}\n"
        "print(bool({{'requests', 'aiohttp'}} & asked))\n"
        "loader = jsonld.get_document_loader()\n"
        "print(getattr(loader, '__qualname__', type(loader).__name__).split('.')[0])\n"
    )
    plain = fresh_python(watched.format(import_pyld="from pyld import jsonld")).split("\n")
    assert plain[0] == "True", (
        "pyld no longer imports an HTTP library on import: remove signing._import_pyld's hiding"
    )
    hidden = fresh_python(
        watched.format(
            import_pyld="from badgepress.openbadges.signing import _import_pyld\n"
            "jsonld = _import_pyld()"
        )
    ).split("\n")
    assert hidden[1] == "dummy_document_loader", "pyld without requests has another loader"
