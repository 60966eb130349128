"""content/site.yaml → a frozen SiteConfig, every problem reported at once."""

from __future__ import annotations

from pathlib import Path

from ..errors import SourceError, quote
from ..i18n import available_languages, babel_locale, catalog_language, shipped_languages
from ..images.supplied import BadImage, CheckedImages
from ..model import Issuer, SiteConfig
from ..urls import normalise_base_url
from .fields import ISSUER_FIELDS, SITE_FIELDS
from .links import OUTSIDE_FILE, escapes
from .project import Project
from .schema import Context, check_fields, to_model
from .sources import InvalidSource, read_binary, read_yaml_file


def load_config(
    project: Project,
    errors: list[SourceError],
    base_url: str | None = None,
    images: CheckedImages | None = None,
) -> SiteConfig | None:
    """Read and check site.yaml; append problems to `errors` and return None when there are any.

    `images` remembers image checks between builds."""
    rel = project.rel(project.site_yaml)
    if not project.site_yaml.is_file():
        errors.append(
            SourceError(
                rel,
                0,
                "missing site settings file; expected content/site.yaml (run 'badgepress new DIR' for a starter site)",
            )
        )
        return None
    try:
        doc = read_yaml_file(project.site_yaml, rel)
    except InvalidSource as exc:
        errors.append(exc.error)
        return None
    ctx = Context(doc, errors)
    values = check_fields(ctx, doc.data, SITE_FIELDS)
    if values is None:
        return None
    if project.locales_dir.is_dir():
        from .site_locales import check_site_catalogs  # Babel's catalog reader: only then

        catalog_errors = check_site_catalogs(project)
        if catalog_errors:
            errors.extend(catalog_errors)
            return None
    language_error = _language_problem(values["language"], project)
    if language_error:
        errors.append(SourceError(rel, doc.line_of("language"), language_error))
        return None
    issuer_values = values["issuer"]
    image = None
    if issuer_values.get("image"):
        image = _issuer_image(
            project,
            issuer_values["image"],
            doc.line_of("issuer"),
            rel,
            errors,
            images or CheckedImages(),
        )
        if image is None:
            return None
    privacy = values["privacy"] or {}
    return to_model(
        SiteConfig,
        values,
        SITE_FIELDS,
        base_url=normalise_base_url(base_url or values["base_url"]),
        issuer=to_model(Issuer, values["issuer"], ISSUER_FIELDS, image=image),
        plaintext_recipients=bool(privacy.get("plaintext_recipients")),
        noindex_earner_pages=(values["sharing"] or {}).get("noindex", True),
        locales=project.locales_dir if project.locales_dir.is_dir() else None,
    )


def _language_problem(tag: str, project: Project) -> str | None:
    """Why `language:` cannot be the site's interface language, or None: its strings must come
    from a catalog (the theme's or the site's locales/), its dates and numbers from CLDR."""
    locales = project.locales_dir
    if catalog_language(tag, locales) is None:
        shipped = ", ".join(shipped_languages())
        own = [lang for lang in available_languages(locales) if lang not in shipped_languages()]
        also = f"; the site's own: {', '.join(own)}" if own else ""
        return (
            f"'language': expected a language with interface strings: one the theme ships "
            f"({shipped}){also}, or one the site translates in locales/<lang>/LC_MESSAGES/messages.po "
            f"(run 'badgepress translate {tag}' to start it), found {quote(tag)}"
        )
    if catalog_language(tag) is None:  # a site's catalog: Babel must know its dates and numbers
        try:
            babel_locale(tag)
        except ValueError:
            return f"'language': expected a BCP 47 tag that Babel's locale data knows (such as de, pt-BR or fr-CA), found {quote(tag)}"
    return None


def _issuer_image(
    project: Project,
    name: str,
    line: int,
    rel: str,
    errors: list[SourceError],
    images: CheckedImages,
):
    path = project.content / name
    fmt = Path(name).suffix.lower().lstrip(".")
    if escapes(project, path):
        errors.append(SourceError(rel, line, f"'issuer.image': {OUTSIDE_FILE}"))
        return None
    if fmt not in ("png", "svg") or not path.is_file():
        expected = "a .png or .svg file under content/"
        found = "a missing file" if fmt in ("png", "svg") else quote(name)
        errors.append(SourceError(rel, line, f"'issuer.image': expected {expected}, found {found}"))
        return None
    try:
        return images.check(read_binary(path, project.rel(path)), fmt)
    except InvalidSource as exc:
        errors.append(exc.error)
    except BadImage as exc:
        errors.append(SourceError(project.rel(path), 0, str(exc)))
    return None
