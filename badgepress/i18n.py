"""Interface languages of the default theme: message catalogs (gettext via Babel) and locale formats.

The theme's strings live in `themes/default/locale/messages.pot`; each language is a `.po` file
compiled in memory at build time, so no binary `.mo` file is committed.
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


def available_languages() -> tuple[str, ...]:
    """Languages the default theme ships: English plus every `<lang>/LC_MESSAGES/messages.po`."""
    shipped = {p.parent.parent.name for p in LOCALE_DIR.glob("*/LC_MESSAGES/messages.po")}
    return tuple(sorted({SOURCE_LANGUAGE, *shipped}))


def catalog_language(tag: str) -> str | None:
    """The shipped catalog for a BCP 47 tag ('es-MX' → 'es'), or None when there is none."""
    available = available_languages()
    lowered = tag.replace("_", "-").lower()
    if lowered in available:
        return lowered
    primary = lowered.split("-")[0]
    return primary if primary in available else None


@functools.cache
def translations(tag: str) -> gettext.NullTranslations:
    """gettext translations for a site language; English (the msgids) needs none."""
    language = catalog_language(tag)
    if language is None or language == SOURCE_LANGUAGE:
        return gettext.NullTranslations()
    # Imported here: an English site never reads a catalog (8 ms of every build's start).
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    po = LOCALE_DIR / language / "LC_MESSAGES" / "messages.po"
    with po.open("rb") as handle:
        catalog = read_po(handle, locale=language)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)


# English long dates ('November 1, 2026': CLDR's "MMMM d, y" for `en`) without Babel: an
# English site's incremental build then neither imports Babel nor loads its locale data (25 ms
# of a 0.4 s build). tests/i18n/test_formats.py checks that the two agree on every day.
ENGLISH_MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip


@functools.cache
def babel_locale(tag: str) -> babel.Locale:
    """Babel's locale data for a BCP 47 tag, falling back to its primary language."""
    import babel  # imported when first needed: see ENGLISH_MONTHS

    try:
        return babel.Locale.parse(tag.replace("-", "_"))
    except (ValueError, babel.UnknownLocaleError):
        return babel.Locale.parse(tag.replace("_", "-").split("-")[0])


def language_name(tag: str) -> str:
    """A language's name in that language ('español'), for language switchers."""
    return babel_locale(tag).get_display_name(babel_locale(tag)) or tag


class Formats:
    """Dates, numbers and money in one site language (CLDR data via Babel)."""

    def __init__(self, tag: str):
        self.tag = tag
        self.gettext = translations(tag).gettext
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
            return self.gettext("Free")
        from babel.numbers import format_currency

        pattern = None
        if amount == int(amount):
            pattern = self.locale.currency_formats["standard"].pattern.split(";")[0]
            pattern = pattern.replace(".00", "")
        return format_currency(
            amount, currency, format=pattern, locale=self.locale, currency_digits=pattern is None
        )
