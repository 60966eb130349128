"""What a site's templates may show, from Jinja's syntax tree: which templates an earner page uses
(followed through extends, include and import, the site's first, as the build's loaders look them
up), and whether any template reads the catalog's badges or its build."""

from __future__ import annotations

import shutil
from pathlib import Path

import jinja2
import pytest

from badgepress.render.template_deps import (
    NEITHER,
    OTHER_BADGES,
    THE_BUILD,
    THEME_TEMPLATES,
    catalog_names,
    reads,
    template_use,
)


def write(folder: Path, name: str, text: str) -> None:
    (folder / name).parent.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(text)


def test_without_site_templates_an_earner_page_uses_the_themes_assertion_and_base(tmp_path):
    use = template_use(tmp_path / "templates")
    assert use.site == ()
    # The theme's earner page imports the verify page's strings (_verify.html) too.
    assert use.missing == ("_verify.html", "assertion.html", "base.html")
    assert not (use.dynamic or use.reads_catalog or use.site_shows_nav)


def test_a_site_override_is_followed_to_the_theme_it_extends(tmp_path):
    templates = tmp_path / "templates"
    write(templates, "assertion.html", '{% extends "default/assertion.html" %}')
    write(templates, "home.html", "{{ catalog.credentials }}")  # not an earner page's
    use = template_use(templates)
    assert use.site == ("assertion.html",)
    assert use.missing == ("_verify.html", "base.html", "default/assertion.html")
    assert not use.reads_catalog


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
    assert template_use(templates).reads_catalog
    write(templates, "assertion.html", '{% include credential.slug ~ ".html" %}')
    assert template_use(templates).dynamic


def test_a_template_that_does_not_parse_counts_as_using_anything(tmp_path):
    templates = tmp_path / "templates"
    write(templates, "assertion.html", "{% extends %}")
    assert template_use(templates).dynamic


def test_a_site_base_is_read_for_what_every_page_may_show(tmp_path):
    templates = tmp_path / "templates"
    write(templates, "home.html", "{{ catalog.assertions|length }} badges")
    use = template_use(templates)
    assert use.shows_other_badges and not use.shows_the_build
    assert not use.reads_catalog  # home.html is not an earner page's
    write(templates, "home.html", "Built {{ catalog.now }}")
    use = template_use(templates)
    assert use.shows_the_build and not use.shows_other_badges


@pytest.mark.parametrize(
    ("source", "other_badges", "the_build"),
    [
        ("{{ catalog.assertions|length }}", True, False),
        ('{{ catalog["revoked"]|length }}', True, False),
        ("{{ catalog.published_order|length }}", True, False),
        ("{% trans n=catalog.assertions|length %}{{ n }} badges{% endtrans %}", True, False),
        ("{{ catalog.commit.sha }}", False, True),
        ("{% macro m() %}{{ catalog.now.year }}{% endmacro %}", False, True),
        # The catalog handed on whole: under another name, to a filter or a macro, printed.
        ("{% set c = catalog %}{{ c.stacks|length }}", True, True),
        ('{{ catalog|attr("assert" ~ "ions") }}', True, True),
        ("{{ catalog[name] }}", True, True),
        ("{{ m(catalog) }}", True, True),
        ("{{ catalog }}", True, True),
        ("{% with c = catalog %}{{ c }}{% endwith %}", True, True),
        # A private attribute reaches any object: the renderer behind a function, its catalog.
        ("{{ url_for.__globals__ }}", True, True),
        ('{{ catalog.credentials|map(attribute="__class__")|list }}', True, True),
        # What the catalog's own pages read, and words in text or strings, read neither.
        ("{% for s in catalog.stacks %}{{ catalog.credentials_of(s)|length }}{% endfor %}", False, False),
        ('{{ catalog.credentials|selectattr("stack", "equalto", stack.slug)|list }}', False, False),
        ('{{ _("Revoked") }} now, commit, assertions {{ "now" }}', False, False),
        ("{# catalog.assertions #}{{ assertion.revoked }}", False, False),
        ("{% extends %}", True, True),  # does not parse: may read anything
    ],
)  # fmt: skip
def test_what_a_template_reads_of_the_catalog_is_read_from_its_syntax_tree(
    source, other_badges, the_build
):
    this = reads(source, jinja2.Environment(extensions=["jinja2.ext.i18n"]))
    assert (this.shows_other_badges, this.shows_the_build) == (other_badges, the_build)


def test_an_earner_page_reading_the_catalog_through_a_macro_of_another_template_counts(tmp_path):
    templates = tmp_path / "templates"
    write(templates, "base.html", '{% extends "default/base.html" %}{% import "m.html" as m %}'
          "{% block nav %}{{ m.stacks() }}{% endblock %}")  # fmt: skip
    write(templates, "m.html", "{% macro stacks() %}{{ catalog.stacks|length }}{% endmacro %}")
    assert template_use(templates).reads_catalog
    write(templates, "m.html", "{% macro stacks() %}{{ site.title }}{% endmacro %}")
    assert not template_use(templates).reads_catalog


def test_the_themes_templates_copied_into_a_site_read_no_other_badges_nor_the_build(tmp_path):
    """Copying the theme to start a site's own keeps its builds incremental: no text search
    for the names of attributes, which finds "revoked" in the earner page's strings."""
    shutil.copytree(THEME_TEMPLATES, tmp_path / "templates")
    use = template_use(tmp_path / "templates")
    assert not (use.shows_other_badges or use.shows_the_build or use.reads_catalog or use.dynamic)
    assert use.site == ("_verify.html", "assertion.html", "base.html")


def test_every_public_name_of_the_catalog_says_whether_it_shows_badges_or_the_build():
    """A new attribute of model.Catalog must be placed before a template that reads it is
    trusted to show none of the catalog's badges or its build."""
    assert catalog_names() == OTHER_BADGES | THE_BUILD | NEITHER
    assert not (OTHER_BADGES & THE_BUILD or OTHER_BADGES & NEITHER or THE_BUILD & NEITHER)


def test_a_file_in_templates_that_is_not_utf8_reads_nothing_and_one_that_does_not_parse_anything(
    tmp_path,
):
    """No page can render a file Jinja cannot decode (a .DS_Store, an image kept beside the
    templates): it leaves builds incremental. One that does not parse may be a template."""
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / ".DS_Store").write_bytes(b"\x00\x00\x00\x01Bud1\xff\xfe\x80")
    use = template_use(templates)
    assert not (use.shows_other_badges or use.shows_the_build or use.reads_catalog)
    write(templates, "old/home.html", "{% for %}")
    use = template_use(templates)
    assert use.shows_other_badges and use.shows_the_build
