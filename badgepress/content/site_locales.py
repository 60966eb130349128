"""A site's own interface catalogs (`locales/<lang>/LC_MESSAGES/messages.po`): checked, their
missing strings reported, and made or updated by `badgepress translate LANG`.

A site adds a language the theme does not ship (German, say), or rewords one it does, with a
gettext catalog in its repository; it is compiled with the theme's at build time (`i18n`).
A string the catalog leaves out appears in English: the build says which, as a warning rather
than an error, so a badgepress upgrade that adds interface strings never stops a site's deploy.
`badgepress translate LANG` then adds them to the file, untranslated, keeping every translation.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable
from pathlib import Path

from ..errors import SourceError
from ..i18n import (
    CATALOG,
    LOCALE_DIR,
    SITE_LOCALES,
    SOURCE_LANGUAGE,
    babel_locale,
    catalog_files,
    catalog_language,
    read_catalog,
    shipped_languages,
    translated,
)
from .project import Project

SHOWN = 5  # missing strings named in a warning; the file lists them all once updated
_PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")
_FORMAT = re.compile(r"%\(\w+\)[sd]|%%")
MAX_CATALOG_BYTES = 4 << 20  # a catalog of the theme's size is ~20 kB


class CatalogUnreadable(Exception):
    """A site catalog gettext cannot read; `error` says where and why."""

    def __init__(self, error: SourceError):
        super().__init__(str(error))
        self.error = error


def _read_site_catalog(po: Path, rel: str, language: str):
    """The site's catalog, read strictly; CatalogUnreadable when gettext could not use it."""
    from babel.messages.pofile import PoFileError

    try:
        return read_catalog(po, language, strict=True)
    except PoFileError as problem:
        line = getattr(problem, "lineno", -1) + 1  # Babel counts from 0
        what = str(problem).rsplit(" on ", 1)[0].lower()
        error = SourceError(rel, line, f"not a valid gettext catalog: {what}")
    except UnicodeDecodeError:
        error = SourceError(rel, 0, "expected UTF-8 text (a gettext catalog)")
    raise CatalogUnreadable(error)


def site_catalogs(project: Project) -> list[Path]:
    """The site's .po files, sorted."""
    folder = project.root / SITE_LOCALES
    return sorted(folder.glob(f"*/{CATALOG.as_posix()}")) if folder.is_dir() else []


def check_site_catalogs(project: Project) -> list[SourceError]:
    """Every problem in the site's catalogs that would break or garble a page: a file gettext
    cannot read, a language Babel has no data for, a translation whose placeholders differ."""
    errors = []
    for po in site_catalogs(project):
        rel = project.rel(po)
        folder = po.parent.parent.name
        try:
            babel_locale(folder)
        except ValueError:
            errors.append(
                SourceError(
                    rel,
                    0,
                    f"unknown language '{folder}' in the folder name: expected a BCP 47 tag that "
                    "Babel's locale data knows (such as de, pt_BR or fr_CA)",
                )
            )
            continue
        try:
            if po.stat().st_size > MAX_CATALOG_BYTES:
                errors.append(
                    SourceError(rel, 0, f"expected a catalog under {MAX_CATALOG_BYTES >> 20} MB")
                )
                continue
            catalog = _read_site_catalog(po, rel, folder)
        except CatalogUnreadable as problem:
            errors.append(problem.error)
            continue
        except (OSError, ValueError) as problem:
            errors.append(SourceError(rel, 0, f"cannot read the catalog: {problem}"))
            continue
        errors += [SourceError(rel, line, message) for line, message in _format_problems(catalog)]
    return errors


def _format_problems(catalog) -> Iterable[tuple[int, str]]:
    """Every interface string is a %-format string: a translation may use only the msgid's
    `%(name)s` placeholders (a plural also `%(num)d`/`%(count)s`) and writes a literal % as %%."""
    for message in catalog:
        if not message.id or not translated(message):
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        names = {name for text in ids for name in _PLACEHOLDER.findall(text)}
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        for string in strings:
            unknown = sorted(set(_PLACEHOLDER.findall(string)) - names)
            if unknown:
                yield (
                    message.lineno,
                    f"translation of {_quoted(ids[0])} uses %({unknown[0]})s, which it does not "
                    "have: expected "
                    + (", ".join(f"%({n})s" for n in sorted(names)) or "no placeholder"),
                )
            elif "%" in _FORMAT.sub("", string):
                yield (
                    message.lineno,
                    f"translation of {_quoted(ids[0])}: write a literal percent sign as %%, "
                    "and placeholders as %(name)s",
                )


def _quoted(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return f'"{text if len(text) <= limit else text[: limit - 1] + "…"}"'


def theme_messages() -> list[str]:
    """The default theme's interface strings (msgids, singular), in the template's order."""
    from babel.messages.pofile import read_po

    with (LOCALE_DIR / "messages.pot").open("rb") as handle:
        return [m.id[0] if isinstance(m.id, tuple) else m.id for m in read_po(handle) if m.id]


def missing_strings(project: Project, language: str) -> tuple[Path, list[str], set[str]] | None:
    """(the site's catalog, the theme strings no catalog translates, the strings the site's
    catalog lacks altogether) for a language the site supplies a catalog for; None when the
    theme's own catalogs cover it (or it is English)."""
    locales = project.root / SITE_LOCALES
    files = catalog_files(language, locales)
    site = [po for po in files if not po.is_relative_to(LOCALE_DIR)]
    if not site or catalog_language(language, locales) == SOURCE_LANGUAGE:
        return None
    done: set[str] = set()
    for po in files:
        done |= {_key(m) for m in read_catalog(po, language) if m.id and translated(m)}
    listed = {_key(m) for m in read_catalog(site[-1], language) if m.id}
    missing = [msgid for msgid in theme_messages() if msgid not in done]
    return site[-1], missing, set(missing) - listed


def _key(message) -> str:
    return message.id[0] if isinstance(message.id, tuple) else message.id


def missing_string_warnings(project: Project, languages: Iterable[str]) -> list[SourceError]:
    """One warning per interface language whose site catalog leaves theme strings out."""
    warnings = []
    seen = set()
    for language in languages:
        key = catalog_language(language, project.root / SITE_LOCALES)
        if key in seen:
            continue
        seen.add(key)
        found = missing_strings(project, language)
        if not found or not found[1]:
            continue
        po, missing, absent = found
        total = len(theme_messages())
        named = ", ".join(_quoted(m, 40) for m in missing[:SHOWN])
        more = f" and {len(missing) - SHOWN} more" if len(missing) > SHOWN else ""
        todo = (
            f"run 'badgepress translate {key}' to add the {len(absent)} this file lacks, then "
            "translate them there"
            if absent
            else "translate their empty entries in this file"
        )
        warnings.append(
            SourceError(
                project.rel(po),
                0,
                f"{len(missing)} of {total} interface strings are not translated into {key} "
                f"and appear in English: {named}{more}; {todo}",
            )
        )
    return warnings


def update_site_catalog(project: Project, tag: str) -> tuple[Path, str]:
    """`badgepress translate TAG`: make or update the site's catalog for TAG with every
    interface string (the theme's and those of the site's own templates), keeping its
    translations; strings no longer used are kept as obsolete entries (#~). Returns the file
    and a summary. ValueError for a tag Babel has no data for, CatalogUnreadable for a file
    gettext cannot read."""
    from babel.messages.catalog import Catalog
    from babel.messages.pofile import write_po

    locale = babel_locale(tag)  # ValueError: unknown
    if locale.language != tag.replace("-", "_").split("_")[0].lower():
        raise ValueError(f"no locale data for {tag!r}")
    folder_name = tag.replace("-", "_")
    existing = {
        po.parent.parent.name.replace("_", "-").lower(): po for po in site_catalogs(project)
    }
    po = existing.get(folder_name.replace("_", "-").lower()) or (
        project.root / SITE_LOCALES / folder_name / CATALOG
    )
    template = Catalog(locale=None, project="badgepress", fuzzy=False)
    for message in _template_messages(project):
        template[message.id] = message
    shipped = catalog_language(tag) in shipped_languages()
    if po.is_file():
        catalog = _read_site_catalog(po, project.rel(po), tag)
        before = {m.id if isinstance(m.id, str) else m.id[0] for m in catalog if m.id}
        created = catalog.creation_date
        catalog.update(template, no_fuzzy_matching=True, update_header_comment=False)
        # update() stamps the template's date, now: the file would change on every run.
        catalog.creation_date = created
        after = {m.id if isinstance(m.id, str) else m.id[0] for m in catalog if m.id}
        added, removed = len(after - before), len(catalog.obsolete)
        state = f"{added} added, {removed} no longer used (kept as obsolete entries)"
    else:
        from .. import __version__

        catalog = Catalog(
            locale=str(locale),
            project="badgepress site",
            version=__version__,
            msgid_bugs_address="",
            last_translator="",
            language_team="",
            fuzzy=False,
        )
        catalog.header_comment = (
            f"# {locale.english_name} interface strings of this site (badgepress).\n"
            "# Translate each msgstr; an empty one appears in English"
            + (", or in badgepress's own translation" if shipped else "")
            + ".\n# `badgepress translate` adds strings that new versions bring; see "
            "badgepress's docs/translating.md."
        )
        catalog.update(template, no_fuzzy_matching=True, update_header_comment=False)
        catalog.msgid_bugs_address = catalog.last_translator = catalog.language_team = ""
        state = "a new file"
    po.parent.mkdir(parents=True, exist_ok=True)
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=100, no_location=True, include_previous=False)
    po.write_bytes(buffer.getvalue())
    strings = [m for m in catalog if m.id]
    untranslated = sum(1 for m in strings if not translated(m))
    return po, f"{len(strings)} strings, {untranslated} without a translation ({state})"


def _template_messages(project: Project):
    """The theme's messages and those marked in the site's own templates (templates/*.html)."""
    from babel.messages.catalog import Message
    from babel.messages.pofile import read_po

    with (LOCALE_DIR / "messages.pot").open("rb") as handle:
        messages = [m for m in read_po(handle) if m.id]
    known = {m.id if isinstance(m.id, str) else m.id[0] for m in messages}
    templates = project.templates_dir
    if templates.is_dir():
        from babel.messages.extract import extract_from_file
        from jinja2.ext import babel_extract

        options = {"extensions": "jinja2.ext.i18n", "trimmed": "true"}
        options.update(trim_blocks="true", lstrip_blocks="true")
        for path in sorted(templates.rglob("*.html")):
            for _line, text, comments, _context in extract_from_file(
                babel_extract, path, options=options
            ):
                key = text if isinstance(text, str) else text[0]
                if key and key not in known:
                    known.add(key)
                    messages.append(Message(text, auto_comments=comments))
    return messages
