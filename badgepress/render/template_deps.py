"""Which templates an earner page is rendered with: what an incremental build compares to decide
whether a template's edit can change every badge's page, or only the catalog's."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import jinja2
import jinja2.meta

from .pages import THEME

THEME_TEMPLATES = THEME / "templates"
EARNER_PAGE = "assertion.html"  # render.Renderer.assertion
_CATALOG = re.compile(r"\bcatalog\b")
_NAV_PAGES = re.compile(r"\bnav_page")  # the global `nav_pages`, base.html's `nav_page`


@dataclass(frozen=True)
class TemplateUse:
    """The templates a page kind is rendered with, followed through extends, include and
    import from its own template, looked up as `render.make_environment`'s loaders do."""

    site: tuple[str, ...]  # site template files used (templates/<name>), sorted
    missing: tuple[str, ...]  # names looked up in templates/ and not there: the theme's were used
    dynamic: bool  # a name computed at render time: any template may be used
    mentions_catalog: bool  # one of them names `catalog`: the page may show any of it
    # A site template among them names the navigation's pages: it may show more of them than
    # the theme's base.html, which shows each one's title and link.
    site_shows_nav: bool


def template_use(templates_dir: Path, page: str = EARNER_PAGE) -> TemplateUse:
    """The templates `page` uses, site and theme; a template that does not parse counts as
    dynamic (the build reports its error)."""
    parser = jinja2.Environment(extensions=["jinja2.ext.i18n"])
    site: set[str] = set()
    missing: set[str] = set()
    dynamic = mentions_catalog = site_shows_nav = False
    seen: set[str] = set()
    todo = [page]
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        path = _lookup(templates_dir, name, site, missing)
        if path is None:
            continue  # not found: rendering fails with its own error
        try:
            source = path.read_text(encoding="utf-8")
            referenced = list(jinja2.meta.find_referenced_templates(parser.parse(source)))
        except (OSError, UnicodeError, jinja2.TemplateSyntaxError):
            dynamic = True
            continue
        mentions_catalog = mentions_catalog or _CATALOG.search(source) is not None
        if name in site and _NAV_PAGES.search(source):
            site_shows_nav = True
        for reference in referenced:
            if reference is None:
                dynamic = True
            else:
                todo.append(reference)
    return TemplateUse(
        tuple(sorted(site)), tuple(sorted(missing)), dynamic, mentions_catalog, site_shows_nav
    )


def _lookup(templates_dir: Path, name: str, site: set[str], missing: set[str]) -> Path | None:
    """The file `name` loads: the site's templates/<name> first, then 'default/<name>' and
    <name> from the theme (render.make_environment's ChoiceLoader)."""
    candidate = templates_dir / name
    if templates_dir.is_dir() and candidate.is_file():
        site.add(name)
        return candidate
    missing.add(name)
    theme_name = name.removeprefix("default/")
    theme_file = THEME_TEMPLATES / theme_name
    return theme_file if theme_file.is_file() else None
