"""A site's own interface language (locales/<lang>/LC_MESSAGES/messages.po): compiled at build
time, its missing strings reported and shown in English, its mistakes refused, and
`badgepress translate` making and updating the file."""

from __future__ import annotations

import os

import pytest
from babel.messages.pofile import read_po

from badgepress.cli import main
from badgepress.content.site_locales import theme_messages
from badgepress.errors import BuildFailed
from badgepress.i18n import translated
from tests.support import build_site, copy_example

GERMAN = """\
msgid ""
msgstr ""
"Language: de\\n"
"Plural-Forms: nplurals=2; plural=(n != 1);\\n"
"Content-Type: text/plain; charset=utf-8\\n"

msgid "Catalog"
msgstr "Katalog"

msgid "Skip to content"
msgstr "Zum Inhalt springen"

#, python-format
msgid "Step %(step)s of %(steps)s"
msgstr "Schritt %(step)s von %(steps)s"

#, python-format
msgid "%(num)d credential"
msgid_plural "%(num)d credentials"
msgstr[0] "%(num)d Nachweis"
msgstr[1] "%(num)d Nachweise"

msgid "Verify a badge"
msgstr ""
"""


def _site(tmp_path, language="de", catalog=GERMAN, folder="de"):
    source = copy_example(tmp_path / "repo")
    site_yaml = source / "content" / "site.yaml"
    site_yaml.write_text(site_yaml.read_text().replace("language: en", f"language: {language}"))
    if catalog is not None:
        po = source / "locales" / folder / "LC_MESSAGES" / "messages.po"
        po.parent.mkdir(parents=True)
        po.write_text(catalog, encoding="utf-8")
    return source


@pytest.fixture(scope="module")
def german(tmp_path_factory):
    source = _site(tmp_path_factory.mktemp("de"))
    output = source.parent / "site"
    return build_site(source, output), output


def test_a_site_catalog_adds_an_interface_language(german):
    _report, site = german
    home = (site / "index.html").read_text()
    assert '<html lang="de">' in home
    assert ">Katalog</a>" in home and "Zum Inhalt springen" in home
    assert "Schritt 1 von 5" in home and "6 Nachweise" in home
    assert "Skip to content" not in home and ">Catalog<" not in home
    # Dates and money from Babel's CLDR data for German.
    page = (site / "credentials" / "restorative-circles" / "index.html").read_text()
    assert "23. Juli 2020" in page
    assert "125\xa0$" in page


def test_strings_the_catalog_leaves_out_appear_in_english(german):
    _report, site = german
    home = (site / "index.html").read_text()
    assert "Verify a badge" in home  # listed, but with an empty translation
    assert "Find a credential" in home  # not listed at all


def test_the_build_names_the_missing_strings_and_how_to_add_them(german):
    report, _site_folder = german
    (warning,) = [w for w in report.warnings if "interface strings" in str(w)]
    total = len(theme_messages())
    text = str(warning)
    assert text.startswith(
        f"locales/de/LC_MESSAGES/messages.po: {total - 4} of {total} interface strings are not "
        "translated into de and appear in English: "
    )
    assert f"and {total - 4 - 5} more" in text
    assert f"run 'badgepress translate de' to add the {total - 5} this file lacks" in text


def test_check_prints_the_missing_strings_warning(tmp_path, capsys):
    source = _site(tmp_path)
    assert main(["check", "--source", str(source)]) == 0
    err = capsys.readouterr().err
    assert "warning: locales/de/LC_MESSAGES/messages.po: " in err
    assert "interface strings are not translated into de" in err


def test_a_complete_site_catalog_builds_without_a_warning(tmp_path):
    source = _site(tmp_path, catalog=None)
    assert main(["translate", "de", "--source", str(source)]) == 0
    po = source / "locales" / "de" / "LC_MESSAGES" / "messages.po"
    with po.open("rb") as handle:
        catalog = read_po(handle, locale="de")
    for message in catalog:
        if message.id:
            message.string = (
                tuple(f"DE {i}" + " %(num)d" * ("%(num)d" in message.id[0]) for i in range(2))
                if isinstance(message.id, tuple)
                else "DE"
            )
    from babel.messages.pofile import write_po

    with po.open("wb") as handle:
        write_po(handle, catalog)
    report = build_site(source, tmp_path / "site")
    assert not [w for w in report.warnings if "interface strings" in str(w)]


def test_a_site_catalog_rewords_a_shipped_language(tmp_path):
    spanish = 'msgid ""\nmsgstr ""\n"Language: es\\n"\n\nmsgid "Catalog"\nmsgstr "Insignias"\n'
    source = _site(tmp_path, language="es", catalog=spanish, folder="es")
    report = build_site(source, tmp_path / "site")
    home = (tmp_path / "site" / "index.html").read_text()
    assert ">Insignias</a>" in home  # the site's wording
    assert "Saltar al contenido" in home  # the theme's Spanish for the rest
    assert not [w for w in report.warnings if "interface strings" in str(w)]


def test_a_site_catalog_rewords_english(tmp_path):
    english = 'msgid "How to apply"\nmsgstr "How to earn it"\n'
    source = _site(tmp_path, language="en-GB", catalog=english, folder="en")
    report = build_site(source, tmp_path / "site")
    page = (tmp_path / "site" / "credentials" / "restorative-circles" / "index.html").read_text()
    assert '<h2 id="how-to-earn">How to earn it</h2>' in page
    assert not [w for w in report.warnings if "interface strings" in str(w)]


def test_a_site_without_a_catalog_for_its_language_is_told_how_to_start_one(tmp_path):
    source = _site(tmp_path, catalog=None)
    with pytest.raises(BuildFailed) as failure:
        build_site(source, None)
    (error,) = failure.value.errors
    lines = (source / "content" / "site.yaml").read_text().splitlines()
    line = next(n for n, text in enumerate(lines, 1) if text.startswith("language:"))
    assert str(error) == (
        f"content/site.yaml:{line}: 'language': expected a language with interface strings: one the "
        "theme ships (en, es, fr), or one the site translates in "
        "locales/<lang>/LC_MESSAGES/messages.po (run 'badgepress translate de' to start it), "
        "found 'de'"
    )


BROKEN = [
    (
        'msgid "Catalog"\nmsgstr "Katalog %(count)s"\n',
        'locales/de/LC_MESSAGES/messages.po:1: translation of "Catalog" uses %(count)s, which it '
        "does not have: expected no placeholder",
    ),
    (
        '#, python-format\nmsgid "Step %(step)s of %(steps)s"\nmsgstr "Schritt %(schritt)s"\n',
        'locales/de/LC_MESSAGES/messages.po:2: translation of "Step %(step)s of %(steps)s" uses '
        "%(schritt)s, which it does not have: expected %(step)s, %(steps)s",
    ),
    (
        'msgid "Free"\nmsgstr "100 % gratis"\n',
        'locales/de/LC_MESSAGES/messages.po:1: translation of "Free": write a literal percent '
        "sign as %%, and placeholders as %(name)s",
    ),
    (
        'msgid "Catalog"\nmsgstr "Katalog"\nKatalog\n',
        "locales/de/LC_MESSAGES/messages.po:3: not a valid gettext catalog: unknown or "
        "misformatted keyword",
    ),
]


@pytest.mark.parametrize(("catalog", "message"), BROKEN, ids=["unknown", "renamed", "%", "stray"])
def test_a_catalog_that_would_garble_a_page_is_refused_at_its_line(tmp_path, catalog, message):
    source = _site(tmp_path, catalog=catalog)
    with pytest.raises(BuildFailed) as failure:
        build_site(source, None)
    assert [str(e)[: len(message)] for e in failure.value.errors] == [message]


def test_a_catalog_folder_babel_does_not_know_is_refused(tmp_path):
    source = _site(tmp_path, language="xx", catalog='msgid "Catalog"\nmsgstr "X"\n', folder="xx")
    with pytest.raises(BuildFailed) as failure:
        build_site(source, None)
    assert [str(e) for e in failure.value.errors] == [
        "locales/xx/LC_MESSAGES/messages.po: unknown language 'xx' in the folder name: expected "
        "a BCP 47 tag that Babel's locale data knows (such as de, pt_BR or fr_CA)"
    ]


def test_translate_adds_new_strings_and_keeps_the_translations(tmp_path, capsys):
    source = _site(tmp_path)
    templates = source / "templates"
    templates.mkdir(exist_ok=True)
    (templates / "page.html").write_text(
        '{% extends "default/page.html" %}{% block main %}{{ super() }}'
        "<p>{% trans %}Questions? Write to us.{% endtrans %}</p>{% endblock %}"
    )
    assert main(["translate", "de", "--source", str(source)]) == 0
    po = source / "locales" / "de" / "LC_MESSAGES" / "messages.po"
    total = len(theme_messages()) + 1
    assert capsys.readouterr().out == (
        f"locales/de/LC_MESSAGES/messages.po: {total} strings, {total - 4} without a "
        f"translation ({total - 5} added, 0 no longer used (kept as obsolete entries))\n"
    )
    with po.open("rb") as handle:
        catalog = read_po(handle, locale="de")
    assert catalog["Catalog"].string == "Katalog"
    assert catalog["%(num)d credential"].string == ("%(num)d Nachweis", "%(num)d Nachweise")
    assert catalog["Questions? Write to us."].string == ""  # the site's own template string
    assert {m.id if isinstance(m.id, str) else m.id[0] for m in catalog if m.id} == {
        *theme_messages(),
        "Questions? Write to us.",
    }
    # Translating the site's own string shows it on its pages.
    catalog["Questions? Write to us."].string = "Fragen? Schreiben Sie uns."
    from babel.messages.pofile import write_po

    with po.open("wb") as handle:
        write_po(handle, catalog)
    build_site(source, tmp_path / "site")
    assert "Fragen? Schreiben Sie uns." in (tmp_path / "site" / "about" / "index.html").read_text()
    assert sum(translated(m) for m in catalog if m.id) == 5


def test_translate_leaves_an_up_to_date_catalog_byte_for_byte(tmp_path, capsys):
    source = _site(tmp_path, catalog=None)
    assert main(["translate", "de", "--source", str(source)]) == 0
    po = source / "locales" / "de" / "LC_MESSAGES" / "messages.po"
    # As if made a while ago: running it again must not restamp the file (a diff to commit).
    made = po.read_text(encoding="utf-8")
    stamp = next(line for line in made.splitlines() if line.startswith('"POT-Creation-Date:'))
    po.write_text(made.replace(stamp, '"POT-Creation-Date: 2020-01-02 03:04+0000\\n"'))
    before = po.read_bytes()
    assert main(["translate", "de", "--source", str(source)]) == 0
    assert po.read_bytes() == before


def test_translate_names_a_catalog_that_is_not_utf8(tmp_path, capsys):
    source = _site(tmp_path, catalog=None)
    po = source / "locales" / "de" / "LC_MESSAGES" / "messages.po"
    po.parent.mkdir(parents=True)
    po.write_bytes(b'msgid "Catalog"\nmsgstr "Katalog \xff"\n')
    assert main(["translate", "de", "--source", str(source)]) == 1
    assert capsys.readouterr().err == (
        "badgepress: error: locales/de/LC_MESSAGES/messages.po: expected UTF-8 text "
        "(a gettext catalog)\n"
    )


def test_translate_refuses_a_language_babel_does_not_know(tmp_path, capsys):
    source = _site(tmp_path, catalog=None)
    assert main(["translate", "xx", "--source", str(source)]) == 2
    assert "expected a BCP 47 tag that Babel's locale data knows" in capsys.readouterr().err
    assert not (source / "locales").exists()


def test_a_credential_translation_into_a_site_language_gets_that_interface(tmp_path):
    source = _site(tmp_path, language="en")
    credentials = source / "content" / "credentials" / "restorative-practices"
    (credentials / "restorative-circles.de.md").write_text(
        "---\nname: Restorative Kreise\n---\n\nKriterien auf Deutsch.\n"
    )
    report = build_site(source, tmp_path / "site")
    page = tmp_path / "site" / "credentials" / "restorative-circles" / "de" / "index.html"
    text = page.read_text()
    assert '<html lang="de">' in text and ">Katalog</a>" in text
    assert "<h1>Restorative Kreise</h1>" in text
    assert [w for w in report.warnings if "not translated into de" in str(w)]


def test_editing_the_catalog_renders_the_pages_again(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1790000000")
    source = _site(tmp_path)
    for path in (source / "locales").rglob("*"):  # written long enough ago: not "racy"
        os.utime(path, (1_700_000_000, 1_700_000_000))
    os.utime(source / "content" / "site.yaml", (1_700_000_000, 1_700_000_000))
    output = tmp_path / "out"
    assert main(["build", "--source", str(source), "--output", str(output)]) == 0
    assert main(["build", "--source", str(source), "--output", str(output)]) == 0
    assert "is up to date" in capsys.readouterr().out
    po = source / "locales" / "de" / "LC_MESSAGES" / "messages.po"
    po.write_text(po.read_text().replace('msgstr "Katalog"', 'msgstr "Übersicht"'))
    assert main(["build", "--source", str(source), "--output", str(output)]) == 0
    out = capsys.readouterr().out
    assert "(locales/de/LC_MESSAGES/messages.po " in out  # why everything was rendered
    assert ">Übersicht</a>" in (output / "index.html").read_text()
    earner_page = next((output / "assertions").glob("*/index.html"))
    assert ">Übersicht</a>" in earner_page.read_text()


def test_serve_rebuilds_when_a_catalog_changes(tmp_path):
    from badgepress.serve.watch import source_change

    po = tmp_path / "locales" / "de" / "LC_MESSAGES" / "messages.po"
    assert source_change(tmp_path, str(po)) == "locales/de/LC_MESSAGES/messages.po"
