"""One setting switches the site to Spanish or French; translated credentials are published as
alternates."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser

import pytest
from babel.messages.pofile import read_po

from badgepress.i18n import LOCALE_DIR
from tests.support import build_site, copy_example


def _example_in(language: str, tmp_path_factory):
    """The example site built with `language:` set: (its sources, the site, the build report)."""
    source = copy_example(tmp_path_factory.mktemp(language) / "repo")
    site_yaml = source / "content" / "site.yaml"
    site_yaml.write_text(site_yaml.read_text().replace("language: en", f"language: {language}"))
    output = source.parent / "site"
    return source, output, build_site(source, output)


@pytest.fixture(scope="module")
def spanish_site(tmp_path_factory):
    return _example_in("es", tmp_path_factory)[1]


def test_language_es_switches_every_interface_string(spanish_site):
    home = (spanish_site / "index.html").read_text()
    assert '<html lang="es">' in home
    assert ">Catálogo</a>" in home and "Saltar al contenido" in home
    assert "Paso 1 de 5" in home and "Skip to content" not in home
    page = (spanish_site / "credentials" / "restorative-circles" / "index.html").read_text()
    for spanish in (
        "Qué debe entregar",
        "Aprobado",
        "Todavía no",
        "Cómo solicitarla",
        "Semipresencial",
    ):
        assert spanish in page
    assert "What you submit" not in page and "Passing" not in page


def test_dates_and_money_follow_the_language(spanish_site):
    page = (spanish_site / "credentials" / "restorative-circles" / "index.html").read_text()
    assert "23 de julio de 2020" in page
    assert "Gratis para miembros, 125\xa0US$ para no miembros" in page


def test_a_translation_in_the_site_language_supplies_the_site_text(spanish_site):
    badge_class = json.loads(
        (spanish_site / "credentials" / "empathy-centered-classroom-design.json").read_text()
    )
    assert badge_class["name"] == "Diseño del aula centrado en la empatía"
    assert not (spanish_site / "credentials" / "empathy-centered-classroom-design" / "es").exists()


def test_english_site_publishes_the_spanish_translation_with_a_spanish_interface(example_site):
    folder = example_site / "credentials" / "empathy-centered-classroom-design"
    spanish = (folder / "es" / "index.html").read_text()
    assert '<html lang="es">' in spanish
    assert "<h1>Diseño del aula centrado en la empatía</h1>" in spanish
    assert "Qué debe entregar" in spanish and "Mapa de empatía" in spanish
    assert (
        'hreflang="en" href="https://badges.example.org/credentials/empathy-centered-classroom-design/"'
        in spanish
    )
    english = (folder / "index.html").read_text()
    assert (
        'hreflang="es" href="https://badges.example.org/credentials/empathy-centered-classroom-design/es/"'
        in english
    )
    # The Open Badges document stays in the site's language.
    badge_class = json.loads(
        (example_site / "credentials" / "empathy-centered-classroom-design.json").read_text()
    )
    assert badge_class["name"] == "Empathy-Centered Classroom Design"


def test_english_dates_are_long_and_unambiguous(example_site):
    page = (example_site / "credentials" / "restorative-circles" / "index.html").read_text()
    assert "July 23, 2020" in page


@pytest.fixture(scope="module")
def french_site(tmp_path_factory):
    return _example_in("fr", tmp_path_factory)


def test_language_fr_works_out_of_the_box(french_site):
    _source, site, report = french_site
    home = (site / "index.html").read_text()
    assert '<html lang="fr">' in home
    assert ">Catalogue</a>" in home and "Aller au contenu" in home
    assert "Étape 1 sur 5" in home and "6\xa0certifications" in home
    page = (site / "credentials" / "restorative-circles" / "index.html").read_text()
    for french in (
        "Ce que vous remettez",
        "Vous remettez 4\xa0preuves\xa0:",
        "Réussi",
        "Pas encore",
        "Comment l’obtenir",
        "Hybride",
        "Environ 15\xa0h",
    ):
        assert french in page
    # A site language the theme ships has every string: nothing to report.
    assert not [w for w in report.warnings if "interface strings" in str(w)]


def test_french_dates_and_money_come_from_cldr(french_site):
    _source, site, _report = french_site
    page = (site / "credentials" / "restorative-circles" / "index.html").read_text()
    assert "23 juillet 2020" in page
    assert "Gratuit pour les membres, 125\xa0$US pour les non-membres" in page
    # The requirements listed "at a glance": a narrow no-break space before each semicolon.
    assert "</a>\u202f; <a" in page


def _visible_texts(html: str) -> set[str]:
    """Text nodes and spoken attribute values of a page, whitespace-normalised."""

    class Texts(HTMLParser):
        skip = 0

        def handle_starttag(self, tag, attrs):
            self.skip += tag in ("script", "style")
            for name, value in attrs:
                if name in ("alt", "title", "aria-label", "placeholder", "data-copied") and value:
                    self.found.add(" ".join(value.split()))

        def handle_endtag(self, tag):
            self.skip -= tag in ("script", "style")

        def handle_data(self, data):
            if not self.skip and data.strip():
                self.found.add(" ".join(data.split()))

    parser = Texts()
    parser.found = set()
    parser.feed(html)
    return parser.found


def test_no_english_interface_string_is_left_on_a_french_site(french_site):
    source, site, _report = french_site
    # The site's own content stays as written (English here): its words do not count.
    content = " ".join(
        " ".join(p.read_text(encoding="utf-8").split()) for p in source.rglob("*.md")
    )
    english = set()
    with (LOCALE_DIR / "messages.pot").open("rb") as handle:
        for message in read_po(handle):
            for msgid in message.id if isinstance(message.id, tuple) else (message.id,):
                # Each piece of text between placeholders and tags, as a page shows it.
                for piece in re.split(r"%\(\w+\)[sd]|<[^>]+>", msgid):
                    piece = " ".join(piece.split()).strip(" .,:;()")
                    if len(re.findall(r"[A-Za-z]{2,}", piece)) and piece not in content:
                        english.add(piece)
    # Words French spells the same way.
    same = {
        "LinkedIn",
        "HTML",
        "Site",
        "Open Badges",
        "badgepress verify",
        "JSON",
        "assertion",
        "sha256(email + salt",
        "Menu",
    }
    english -= same
    leftovers = {}
    for page in site.rglob("*.html"):
        texts = _visible_texts(page.read_text(encoding="utf-8"))
        found = sorted(
            piece for piece in english if any(piece == t.strip(" .,:;()") for t in texts)
        )
        if found:
            leftovers[page.relative_to(site).as_posix()] = found
    assert leftovers == {}
    assert len(list(site.rglob("*.html"))) > 20  # every page kind was looked at
