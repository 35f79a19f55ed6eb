"""Amounts, numbers and dates written the way of each language, dates in Europe/Brussels time.

Pure functions (no Flask): the Jinja filters in ``common/i18n.py`` call them with the interface
language, PDF and DOCX builders with the document's language. Babel's CLDR data decides the
separators; for the app's three languages that gives (1 234 567,89 EUR):

* fr -> ``1 234 567,89 €`` where the group separator is U+202F (narrow no-break space) and the space
  before ``€`` is U+00A0 (no-break space): CLDR's French style, which keeps the amount on one line;
* nl -> ``€ 1.234.567,89`` (U+00A0 after the sign);
* en -> ``€1,234,567.89``.

The same result comes from fr_BE / nl_BE (Belgian CLDR data do not change these); ``en`` is used
for English, not en_BE (which would write ``1.234.567,89 €``).
"""
from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from babel.dates import format_date, format_datetime
from babel.numbers import format_currency, format_decimal

from common.timeutil import BRUSSELS, to_brussels

LOCALES = {"fr": "fr_BE", "nl": "nl_BE", "en": "en"}


def babel_locale(lang: str | None) -> str:
    code = (lang or "fr").split("_")[0].split("-")[0].lower()
    return LOCALES.get(code, "fr_BE")


def _decimal(value) -> Decimal:
    return value if isinstance(value, Decimal) else Decimal(str(value))


def money(value, lang: str | None, currency: str = "EUR") -> str:
    """An amount with two decimals and the currency sign placed as the language does; "" for None."""
    if value is None or value == "":
        return ""
    return format_currency(_decimal(value), currency, locale=babel_locale(lang))


def number(value, lang: str | None, places: int | None = None) -> str:
    """A number with the language's group and decimal separators; ``places`` fixes the decimals
    (None: as many as needed, at most three)."""
    if value is None or value == "":
        return ""
    pattern = "#,##0." + "0" * places if places else ("#,##0" if places == 0 else None)
    return format_decimal(_decimal(value), format=pattern, locale=babel_locale(lang))


def local_date(value, lang: str | None, fmt: str = "medium") -> str:
    """A date (or the date part of a stored UTC datetime, taken in Brussels) in the language."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = to_brussels(value).date()
    return format_date(value, fmt, locale=babel_locale(lang))


def local_datetime(value, lang: str | None, fmt: str = "medium") -> str:
    """A stored UTC datetime (naive = UTC) shown in Europe/Brussels time, in the language."""
    if value is None:
        return ""
    if not isinstance(value, datetime):
        return local_date(value, lang, fmt)
    return format_datetime(to_brussels(value), fmt, tzinfo=BRUSSELS, locale=babel_locale(lang))
