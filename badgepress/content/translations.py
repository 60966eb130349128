"""Credential translations (`<slug>.<lang>.md`) → Translation objects; problems are collected."""

from __future__ import annotations

from dataclasses import replace

from ..errors import SourceError
from ..i18n import available_languages, catalog_language
from ..model import Credential, Translation
from .fields import TRANSLATION_FIELDS
from .load import read_document
from .project import Project
from .schema import Context, check_fields, model_values


def load_translations(
    project: Project,
    by_source: dict[str, Credential],
    failed: set[str],
    site_language: str | None,
    errors: list[SourceError],
) -> tuple[tuple[Translation, ...], dict[str, Credential]]:
    """Translations to publish as alternates, and credentials whose text the site language replaces.

    Each file is checked against its original (found by file name) and the theme's languages.
    """
    found: list[Translation] = []
    locales = project.locales_dir
    for path in project.translation_files():
        rel = project.rel(path)
        stem, _, language = path.stem.rpartition(".")
        original_rel = project.rel(path.with_name(f"{stem}.md"))
        original = by_source.get(original_rel)
        if original is None:
            if stem not in failed:
                errors.append(
                    SourceError(
                        rel,
                        0,
                        f"translation of a credential that does not exist: expected {original_rel} next to it",
                    )
                )
            continue
        if catalog_language(language, locales) is None:
            available = ", ".join(available_languages(locales))
            errors.append(
                SourceError(
                    rel,
                    0,
                    f"unknown language '{language}' in the file name: expected an interface language ({available}; others with a catalog in locales/, see 'badgepress translate')",
                )
            )
            continue
        doc = read_document(path, project, errors, markdown=True)
        values = doc and check_fields(Context(doc, errors), doc.data, TRANSLATION_FIELDS)
        if not values:
            continue
        if values["requirements"] and len(values["requirements"]) != len(original.requirements):
            errors.append(
                doc.error(
                    f"'requirements': expected {len(original.requirements)} (as in {original_rel}, in the same order), found {len(values['requirements'])}",
                    doc.line_of("requirements"),
                )
            )
            continue
        # The fields the translation gives replace the original's; the others stay.
        given = model_values(Credential, values, TRANSLATION_FIELDS)
        translated = replace(
            original,
            **{attr: value for attr, value in given.items() if value},
            criteria=doc.body.strip() or original.criteria,
        )
        found.append(Translation(language.lower(), translated, rel))
    found.sort(key=lambda t: (t.credential.slug, t.language))
    # A translation into the site's own language supplies the site's own text, so switching
    # `language:` switches the credentials too wherever a translation exists.
    site = catalog_language(site_language, locales) if site_language else None
    native = {
        t.credential.slug: t.credential
        for t in found
        if catalog_language(t.language, locales) == site
    }
    alternates = tuple(t for t in found if catalog_language(t.language, locales) != site)
    return alternates, native
