"""What a site's templates may show, read from Jinja's syntax tree: which templates an earner page
is rendered with and whether they read the catalog, and whether any site template shows other
badges or the build's commit and time. An incremental build compares these to decide what an
edit can change (build.incremental); a wrong "no" would keep a stale page, so every doubt is
a "yes"."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import jinja2
import jinja2.meta
from jinja2 import nodes

from ..model import Catalog
from .pages import THEME

THEME_TEMPLATES = THEME / "templates"
EARNER_PAGE = "assertion.html"  # render.Renderer.assertion
CATALOG = "catalog"  # the global every page is rendered with (render.Renderer)
# The global list of the navigation's pages, and base.html's loop variable over it, which a
# template included in that loop sees.
NAV_NAMES = frozenset({"nav_pages", "nav_page"})

# What of the catalog depends on its assertions, or on the build's commit and reference time.
# Every public name of model.Catalog is in exactly one of the three (a unit test checks): a new
# one must be placed before the build can trust a template that reads it.
OTHER_BADGES = frozenset({"assertions", "revoked", "published_order"})
THE_BUILD = frozenset({"now", "commit"})
NEITHER = frozenset(
    {
        "config", "stacks", "credentials", "pages", "translations", "retired", "by_slug",
        "stack_by_slug", "published_credentials", "credential_of", "stack_of", "credentials_of",
        "unstacked_credentials", "translations_of",
    }
)  # fmt: skip

# Built-in filters that read an attribute named by an argument (`x|map(attribute="name")`,
# `x|attr("y")`): a private one reaches anything. jinja2.filters, 3.1.
_ATTRIBUTE_FILTERS = frozenset(
    {"attr", "map", "selectattr", "rejectattr", "groupby", "sort", "sum", "unique", "min", "max"}
)


@dataclass(frozen=True)
class Reads:
    """What one template reads, from its syntax tree."""

    names: frozenset[str]  # variables it loads
    # Attributes it reads of the catalog itself (`catalog.now`, `catalog["assertions"]`).
    catalog_attributes: frozenset[str]
    # The catalog used whole (printed, passed on, bound to another name, given to a filter,
    # an attribute by a computed name), or a private attribute of anything
    # (`url_for.__globals__`): it may show any of the catalog.
    anything: bool
    templates: tuple[str | None, ...]  # those it extends, includes or imports; None: computed

    @property
    def shows_other_badges(self) -> bool:
        return self.anything or not self.catalog_attributes.isdisjoint(OTHER_BADGES)

    @property
    def shows_the_build(self) -> bool:
        return self.anything or not self.catalog_attributes.isdisjoint(THE_BUILD)


UNREADABLE = Reads(frozenset(), frozenset(), True, (None,))  # does not parse: assume the worst
# Not UTF-8 (an image, a .DS_Store): Jinja's loader cannot decode it, so no page renders it.
UNDECODABLE = Reads(frozenset(), frozenset(), False, ())


def reads(source: str, parser: jinja2.Environment) -> Reads:
    """What `source` reads; a template that does not parse may read anything (its page's
    build reports the error). Only `catalog.name` and `catalog["name"]` read a known part of
    the catalog: any other use of the name hands all of it on."""
    try:
        tree = parser.parse(source)
    except jinja2.TemplateSyntaxError:
        return UNREADABLE
    read_by_name: set[int] = set()  # the Name nodes whose attribute is read by a constant name
    catalog_attributes: set[str] = set()
    anything = False
    for node in tree.find_all((nodes.Getattr, nodes.Getitem)):
        key = _constant_key(node)
        anything = anything or _private(key)
        if isinstance(node.node, nodes.Name) and key is not None:
            read_by_name.add(id(node.node))
            if node.node.name == CATALOG:
                catalog_attributes.add(key)
    names = set()
    for name in tree.find_all(nodes.Name):
        if name.ctx == "load":
            names.add(name.name)
            anything = anything or (name.name == CATALOG and id(name) not in read_by_name)
    for call in tree.find_all(nodes.Filter):
        if call.name in _ATTRIBUTE_FILTERS:
            for argument in (*call.args, *(keyword.value for keyword in call.kwargs)):
                if isinstance(argument, nodes.Const) and isinstance(argument.value, str):
                    anything = anything or any(_private(p) for p in argument.value.split("."))
    referenced = tuple(jinja2.meta.find_referenced_templates(tree))
    return Reads(frozenset(names), frozenset(catalog_attributes), anything, referenced)


def _constant_key(node: nodes.Getattr | nodes.Getitem) -> str | None:
    """The attribute `x.name` or `x["name"]` reads; None when computed (`x[key]`, a slice)
    or not a name (`x[0]`: Jinja falls back to an attribute for string keys only)."""
    if isinstance(node, nodes.Getattr):
        return node.attr
    if isinstance(node.arg, nodes.Const) and isinstance(node.arg.value, str):
        return node.arg.value
    return None


def _private(key: str | None) -> bool:
    return key is not None and key.startswith("_")


@dataclass(frozen=True)
class TemplateUse:
    """What the site's templates may show. The earner page's templates are followed through
    extends, include and import from its own, looked up as `render.make_environment`'s
    loaders do; the last two fields are of every site template, whichever page uses it."""

    site: tuple[str, ...]  # site template files the earner page uses (templates/<name>), sorted
    missing: tuple[str, ...]  # names looked up in templates/ and not there: the theme's were used
    dynamic: bool  # a name computed at render time: any template may be used
    # One of them reads `catalog`, or may read anything: the earner page may show any of it.
    reads_catalog: bool
    # A site template among them names the navigation's pages: it may show more of them than
    # the theme's base.html, which shows each one's title and link.
    site_shows_nav: bool
    # A site template (any page's) reads the catalog's assertions: a page may show other badges
    # than its own, which per-assertion rendering could not keep current.
    shows_other_badges: bool
    # A site template shows the commit or the reference time (`catalog.commit`, `catalog.now`):
    # another commit may change every page. The default theme shows neither (build.json names it).
    shows_the_build: bool


def template_use(templates_dir: Path, page: str = EARNER_PAGE) -> TemplateUse:
    """What the site's templates may show (see TemplateUse)."""
    parser = jinja2.Environment(extensions=["jinja2.ext.i18n"])
    read: dict[Path, Reads] = {}

    def reads_of(path: Path) -> Reads:
        if path not in read:
            try:
                read[path] = reads(path.read_text(encoding="utf-8"), parser)
            except UnicodeError:
                read[path] = UNDECODABLE
            except OSError:
                read[path] = UNREADABLE
        return read[path]

    site: set[str] = set()
    missing: set[str] = set()
    dynamic = reads_catalog = site_shows_nav = False
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
        this = reads_of(path)
        reads_catalog = reads_catalog or this.anything or CATALOG in this.names
        site_shows_nav = site_shows_nav or (name in site and not NAV_NAMES.isdisjoint(this.names))
        for reference in this.templates:
            if reference is None:
                dynamic = True
            else:
                todo.append(reference)
    every_site_template = [reads_of(path) for path in _site_templates(templates_dir)]
    return TemplateUse(
        site=tuple(sorted(site)),
        missing=tuple(sorted(missing)),
        dynamic=dynamic,
        reads_catalog=reads_catalog,
        site_shows_nav=site_shows_nav,
        shows_other_badges=any(r.shows_other_badges for r in every_site_template),
        shows_the_build=any(r.shows_the_build for r in every_site_template),
    )


def _site_templates(templates_dir: Path) -> list[Path]:
    """Every file under templates/: any of them may be rendered, by name or by a computed one."""
    if not templates_dir.is_dir():
        return []
    return sorted(path for path in templates_dir.rglob("*") if path.is_file())


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


def catalog_names() -> frozenset[str]:
    """model.Catalog's public names, which OTHER_BADGES, THE_BUILD and NEITHER divide."""
    return frozenset(name for name in dir(Catalog) if not name.startswith("_")) | frozenset(
        Catalog.__dataclass_fields__
    )
