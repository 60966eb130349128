"""Which templates an earner page uses: followed through extends, include and import, the site's
templates first, as the build's loaders look them up."""

from __future__ import annotations

from pathlib import Path

from badgepress.render.template_deps import template_use


def write(folder: Path, name: str, text: str) -> None:
    (folder / name).parent.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(text)


def test_without_site_templates_an_earner_page_uses_the_themes_assertion_and_base(tmp_path):
    use = template_use(tmp_path / "templates")
    assert use.site == ()
    # The theme's earner page imports the verify page's strings (_verify.html) too.
    assert use.missing == ("_verify.html", "assertion.html", "base.html")
    assert not (use.dynamic or use.mentions_catalog or use.site_shows_nav)


def test_a_site_override_is_followed_to_the_theme_it_extends(tmp_path):
    templates = tmp_path / "templates"
    write(templates, "assertion.html", '{% extends "default/assertion.html" %}')
    write(templates, "home.html", "{{ catalog.credentials }}")  # not an earner page's
    use = template_use(templates)
    assert use.site == ("assertion.html",)
    assert use.missing == ("_verify.html", "base.html", "default/assertion.html")
    assert not use.mentions_catalog


def test_a_site_base_used_by_the_themes_earner_page_counts(tmp_path):
    templates = tmp_path / "templates"
    write(templates, "base.html", '{% import "parts/nav.html" as nav %}{% include "foot.html" %}')
    write(templates, "parts/nav.html", "{% for p in nav_pages %}{{ p.body }}{% endfor %}")
    use = template_use(templates)
    assert use.site == ("base.html", "parts/nav.html")
    assert "foot.html" in use.missing
    assert use.site_shows_nav


def test_a_template_naming_the_catalog_or_included_by_a_computed_name_is_flagged(tmp_path):
    templates = tmp_path / "templates"
    write(templates, "assertion.html", '{% extends "default/assertion.html" %}{% block main %}'
          "{{ catalog.stacks|length }}{% endblock %}")  # fmt: skip
    assert template_use(templates).mentions_catalog
    write(templates, "assertion.html", '{% include credential.slug ~ ".html" %}')
    assert template_use(templates).dynamic


def test_a_template_that_does_not_parse_counts_as_using_anything(tmp_path):
    templates = tmp_path / "templates"
    write(templates, "assertion.html", "{% extends %}")
    assert template_use(templates).dynamic
