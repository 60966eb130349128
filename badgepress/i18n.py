"""Interface languages of the default theme: message catalogs (gettext via Babel) and locale formats.

The theme's strings live in `themes/default/locale/messages.pot`; each language is a `.po` file
compiled in memory at build time, so no binary `.mo` file is committed. A site may add a
language, or reword one, with its own `locales/<lang>/LC_MESSAGES/messages.po` (see
`site_locales` and docs/translating.md); strings no catalog translates stay in English.
"""

from __future__ import annotations

import datetime
import functools
import gettext
import io
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import babel

LOCALE_DIR = Path(__file__).parent / "themes" / "default" / "locale"
SOURCE_LANGUAGE = "en"  # the language the templates are written in (msgids)
SITE_LOCALES = "locales"  # a site's own catalogs: locales/<lang>/LC_MESSAGES/messages.po
CATALOG = Path("LC_MESSAGES") / "messages.po"


def _normal(tag: str) -> str:
    """'pt_BR', 'pt-br' → 'pt-br': how tags and catalog folders are compared."""
    return tag.replace("_", "-").lower()


def in_source_language(tag: str) -> bool:
    """Whether a language tag names the templates' own language ('en', 'en-GB')."""
    return _normal(tag).split("-")[0] == SOURCE_LANGUAGE


def _catalogs(folder: Path | None) -> dict[str, Path]:
    """The `<lang>/LC_MESSAGES/messages.po` files under `folder`, by normalised language."""
    if folder is None:
        return {}
    try:
        return {
            _normal(po.parent.parent.name): po
            for po in sorted(folder.glob(f"*/{CATALOG.as_posix()}"))
            if po.is_file()
        }
    except OSError:
        return {}


def shipped_languages() -> tuple[str, ...]:
    """Languages the default theme ships: English plus every `<lang>/LC_MESSAGES/messages.po`."""
    return tuple(sorted({SOURCE_LANGUAGE, *_catalogs(LOCALE_DIR)}))


def available_languages(site_locales: Path | None = None) -> tuple[str, ...]:
    """Interface languages: the theme's, and those of the site's own catalogs (`locales/`)."""
    return tuple(sorted({*shipped_languages(), *_catalogs(site_locales)}))


def catalog_language(tag: str, site_locales: Path | None = None) -> str | None:
    """The catalog for a BCP 47 tag ('es-MX' → 'es'), or None when there is none."""
    available = available_languages(site_locales)
    lowered = _normal(tag)
    if lowered in available:
        return lowered
    primary = lowered.split("-")[0]
    return primary if primary in available else None


def catalog_files(tag: str, site_locales: Path | None = None) -> list[Path]:
    """The .po files that make a language's interface, later ones overriding earlier ones: the
    theme's, then the site's, for the primary language and then for the regional one
    ('fr-ca': theme fr, site fr, site fr_CA)."""
    language = catalog_language(tag, site_locales)
    if language is None:
        return []  # (English, the msgids, has a catalog only where a site rewords it)
    theme, site = _catalogs(LOCALE_DIR), _catalogs(site_locales)
    chain = [language.split("-")[0], language] if "-" in language else [language]
    return [found[lang] for lang in chain for found in (theme, site) if lang in found]


def translations(tag: str, site_locales: Path | None = None) -> gettext.NullTranslations:
    """gettext translations for a site language; English (the msgids) needs none, and a string
    no catalog translates is shown in English."""
    files = catalog_files(tag, site_locales)
    stamps = []
    for po in files:
        try:
            stat = po.stat()
        except OSError:
            continue
        stamps.append((po, stat.st_mtime_ns, stat.st_size))  # `serve` rebuilds in one process
    return _compiled(catalog_language(tag, site_locales) or SOURCE_LANGUAGE, tuple(stamps))


@functools.cache
def _compiled(language: str, stamps: tuple) -> gettext.NullTranslations:
    if not stamps:
        return gettext.NullTranslations()
    # Imported here: an English site never reads a catalog (8 ms of every build's start).
    from babel.messages.mofile import write_mo

    merged = None
    for po, _mtime, _size in stamps:
        catalog = read_catalog(po, language)
        if merged is None:
            merged = catalog
            continue
        for message in catalog:
            if message.id and translated(message):
                merged.delete(message.id)  # (setting an existing id would keep its string)
                merged[message.id] = message  # the site's wording over the theme's
    buffer = io.BytesIO()
    write_mo(buffer, merged)
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)


def read_catalog(po: Path, language: str, *, strict: bool = False):
    """A .po file as a Babel catalog; `strict` raises babel's PoFileError on a malformed one."""
    from babel.messages.pofile import read_po

    with po.open("rb") as handle:
        return read_po(handle, locale=_babel_tag(language), abort_invalid=strict)


def _babel_tag(language: str) -> str | None:
    """A tag Babel's catalogs accept for plural rules; None when Babel does not know it."""
    try:
        return str(babel_locale(language))
    except ValueError:
        return None


def translated(message) -> bool:
    """A catalog message with a translation that gettext uses (all plural forms, not fuzzy)."""
    strings = message.string if isinstance(message.string, tuple) else (message.string,)
    return bool(strings) and all(strings) and not message.fuzzy


# English long dates ('November 1, 2026': CLDR's "MMMM d, y" for `en`) without Babel: an
# English site's incremental build then neither imports Babel nor loads its locale data (25 ms
# of a 0.4 s build). tests/i18n/test_formats.py checks that the two agree on every day.
ENGLISH_MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip


@functools.cache
def babel_locale(tag: str) -> babel.Locale:
    """Babel's locale data (CLDR) for a BCP 47 tag, falling back to its primary language;
    ValueError when Babel knows neither."""
    import babel  # imported when first needed: see ENGLISH_MONTHS

    try:
        return babel.Locale.parse(tag.replace("-", "_"))
    except (ValueError, TypeError, babel.UnknownLocaleError):
        pass
    try:
        return babel.Locale.parse(tag.replace("_", "-").split("-")[0])
    except (ValueError, TypeError, babel.UnknownLocaleError) as unknown:
        raise ValueError(f"no locale data for {tag!r}") from unknown


def language_name(tag: str) -> str:
    """A language's name in that language ('español'), for language switchers."""
    return babel_locale(tag).get_display_name(babel_locale(tag)) or tag


class Formats:
    """Dates, numbers and money in one site language (CLDR data via Babel)."""

    def __init__(self, tag: str, site_locales: Path | None = None):
        self.tag = tag
        self.gettext = translations(tag, site_locales).gettext
        self._dates: dict[datetime.date, str] = {}

    @functools.cached_property
    def locale(self) -> babel.Locale:
        return babel_locale(self.tag)

    def date(self, value: datetime.date | datetime.datetime | None) -> str:
        """'November 1, 2026' / '1 de noviembre de 2026': the locale's long date."""
        if value is None:
            return ""
        if isinstance(value, datetime.datetime):
            value = value.date()
        # Two dates on each of thousands of earner pages, from a few thousand days: Babel's
        # formatting (pattern parsing per call) costs more than the rest of the line.
        text = self._dates.get(value)
        if text is None:
            if self.tag == SOURCE_LANGUAGE:
                text = f"{ENGLISH_MONTHS[value.month - 1]} {value.day}, {value.year}"
            else:
                from babel.dates import format_date

                text = format_date(value, format="long", locale=self.locale)
            self._dates[value] = text
        return text

    def number(self, value: int | Decimal | None) -> str:
        from babel.numbers import format_decimal

        return "" if value is None else format_decimal(value, locale=self.locale)

    def money(self, amount: int | Decimal | None, currency: str = "USD") -> str:
        """'Free', or the amount in the locale's currency format, without '.00' for whole amounts."""
        if amount is None:
            return ""
        if amount == 0:
            return self.gettext("Free") % {}  # every interface string is a %-format
        from babel.numbers import format_currency

        pattern = None
        if amount == int(amount):
            pattern = self.locale.currency_formats["standard"].pattern.split(";")[0]
            pattern = pattern.replace(".00", "")
        return format_currency(
            amount, currency, format=pattern, locale=self.locale, currency_digits=pattern is None
        )
