import datetime

import babel
from babel.dates import format_date

from badgepress.i18n import Formats
from tests.support import fresh_python


def test_english_long_dates_are_babels_for_every_day():
    english, locale = Formats("en"), babel.Locale.parse("en")
    day = datetime.date(1999, 1, 1)
    while day.year < 2041:
        assert english.date(day) == format_date(day, format="long", locale=locale), day
        day += datetime.timedelta(days=1)
    for far in (datetime.date(1, 1, 1), datetime.date(999, 12, 31), datetime.date(9999, 12, 31)):
        assert english.date(far) == format_date(far, format="long", locale=locale)


def test_other_languages_and_english_variants_take_babels_dates():
    day = datetime.date(2026, 11, 1)
    assert Formats("es").date(day) == "1 de noviembre de 2026"
    assert Formats("en-GB").date(day) == "1 November 2026"
    assert Formats("en").date(datetime.datetime(2026, 11, 1, 23, 59)) == "November 1, 2026"


def test_an_english_date_does_not_import_babel():
    code = (
        "import sys, datetime\n"
        "from badgepress.i18n import Formats\n"
        "print(Formats('en').date(datetime.date(2026, 11, 1)))\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'babel'))\n"
    )
    assert fresh_python(code) == "November 1, 2026\n[]\n"
