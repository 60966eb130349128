"""One setting switches the site to Spanish; translated credentials are published as alternates."""

from __future__ import annotations

import json

import pytest

from tests.support import build_site, copy_example


@pytest.fixture(scope="module")
def spanish_site(tmp_path_factory):
    source = copy_example(tmp_path_factory.mktemp("es") / "repo")
    site_yaml = source / "content" / "site.yaml"
    site_yaml.write_text(site_yaml.read_text().replace("language: en", "language: es"))
    output = source.parent / "site"
    build_site(source, output)
    return output


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
