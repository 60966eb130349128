"""content/site.yaml → a frozen SiteConfig, every problem reported at once."""

from __future__ import annotations

from pathlib import Path

from .badges import badge_style
from .errors import SourceError
from .fields import SITE_FIELDS
from .i18n import available_languages, catalog_language
from .images import BadImage, CheckedImages
from .model import BadgeStyle, Issuer, Signing, SiteConfig
from .project import Project
from .schema import Context, check_fields
from .sources import InvalidSource, read_binary, read_yaml_file
from .urls import normalise_base_url


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
    if catalog_language(values["language"]) is None:
        # The theme's interface strings must exist in the chosen language (themes/default/locale).
        available = ", ".join(available_languages())
        errors.append(
            SourceError(
                rel,
                doc.line_of("language"),
                f"'language': expected one of the languages the theme ships ({available}), found '{values['language']}'",
            )
        )
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
    issuer = Issuer(
        name=issuer_values["name"],
        url=issuer_values["url"],
        email=issuer_values["email"],
        description=issuer_values.get("description"),
        image=image,
        linkedin_organization_id=issuer_values.get("linkedin_organization_id"),
    )
    privacy = values["privacy"] or {}
    signing = values["signing"]
    return SiteConfig(
        title=values["title"],
        base_url=normalise_base_url(base_url or values["base_url"]),
        language=values["language"],
        issuer=issuer,
        description=values["description"],
        plaintext_recipients=bool(privacy.get("plaintext_recipients")),
        signing=Signing(
            signing["did"],
            signing["key_env"],
            tuple(signing.get("previous_keys") or ()),
            signing.get("key_file"),
        )
        if signing
        else None,
        how_to_apply=values["how_to_apply"],
        extra=values["extra"] or {},
        badges=badge_style(values["badges"]) or BadgeStyle(),
        noindex_earner_pages=(values["sharing"] or {}).get("noindex", True),
        hours_are_credits=values["hours_are_credits"],
    )


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
    if fmt not in ("png", "svg") or not path.is_file():
        expected = "a .png or .svg file under content/"
        found = "a missing file" if fmt in ("png", "svg") else f"'{name}'"
        errors.append(SourceError(rel, line, f"'issuer.image': expected {expected}, found {found}"))
        return None
    try:
        return images.check(read_binary(path, project.rel(path)), fmt)
    except InvalidSource as exc:
        errors.append(exc.error)
    except BadImage as exc:
        errors.append(SourceError(project.rel(path), 0, str(exc)))
    return None
