"""Belgian enterprise and establishment-unit numbers (BCE / KBO).

Rule (DOMAIN.md, "Identifiers and code lists"; royal decree of 24 June 2003 on
the enterprise and establishment-unit numbers, as explained by FPS Economy's
KBO pages): an enterprise number has 10 digits. Write-ups carry
a ``BE`` prefix, spaces, dots or dashes (``BE 0403.019.261``); an old number
has 9 digits and is padded with a leading ``0``. The first digit of an
enterprise number is ``0`` or ``1`` (establishment-unit numbers start with
``2`` to ``8``). The last two digits are check digits::

    check = 97 - (first 8 digits mod 97)

which is the same as "(first 8 digits + last 2 digits) mod 97 = 0" for every
check in 01..97. ``python-stdnum`` (``stdnum.be.vat``) implements the sum
form, which in addition accepts ``00`` when the first 8 digits are a multiple
of 97; the rule above gives 97 there, never 00, so we reject it.

Pure module: no Flask, no database.
"""

from __future__ import annotations

import re

__all__ = [
    "InvalidEnterpriseNumber",
    "normalise_enterprise_number",
    "is_valid_enterprise_number",
    "format_enterprise_number",
    "normalise_establishment_number",
    "looks_like_enterprise_number",
    "check_digits",
]

_SEPARATORS = re.compile(r"[\s.\-/]+")
# A query "looks like" a number when, once separators are dropped, it is an
# optional BE prefix followed by 9 or 10 digits.
_LOOKS_LIKE = re.compile(r"^(?:BE)?\d{9,10}$")


class InvalidEnterpriseNumber(ValueError):
    """Raised with a message that says what is wrong with the number."""


def check_digits(first8: str) -> int:
    """Return the check value (1..97) of the first 8 digits (mod-97 rule)."""
    return 97 - int(first8) % 97


def _compact(text: str) -> str:
    if not isinstance(text, str):
        raise InvalidEnterpriseNumber(f"expected text, got {type(text).__name__}")
    compact = _SEPARATORS.sub("", text).upper()
    if compact.startswith("BE"):
        compact = compact[2:]
    return compact


def _check(number: str, original: str, first_digits: str, what: str) -> str:
    if not number:
        raise InvalidEnterpriseNumber(f"{what} is empty")
    if not number.isdigit() or not number.isascii():
        raise InvalidEnterpriseNumber(
            f"{what} {original!r} may only contain digits, an optional 'BE' "
            "prefix, spaces, dots and dashes"
        )
    if len(number) == 9:  # old 9-digit number: pad with a leading 0
        number = "0" + number
    if len(number) != 10:
        raise InvalidEnterpriseNumber(
            f"{what} {original!r} has {len(number)} digits; expected 10 "
            "(or 9 for an old number)"
        )
    if number[0] not in first_digits:
        allowed = " or ".join(first_digits) if len(first_digits) <= 2 else (
            f"{first_digits[0]} to {first_digits[-1]}")
        hint = ""
        if what == "enterprise number" and number[0] in "2345678":
            hint = " (a number starting with 2-8 is an establishment-unit number)"
        raise InvalidEnterpriseNumber(
            f"{what} {original!r} starts with {number[0]}; the first digit "
            f"must be {allowed}{hint}"
        )
    expected = check_digits(number[:8])
    if int(number[8:]) != expected:
        raise InvalidEnterpriseNumber(
            f"{what} {original!r} fails the mod-97 check: check digits are "
            f"{number[8:]}, expected {expected:02d}"
        )
    return number


def normalise_enterprise_number(text: str) -> str:
    """Return the 10-digit enterprise number, or raise InvalidEnterpriseNumber.

    >>> normalise_enterprise_number("BE 0403.019.261")
    '0403019261'
    >>> normalise_enterprise_number("428759497")  # old 9-digit form
    '0428759497'
    """
    return _check(_compact(text), text, "01", "enterprise number")


def normalise_establishment_number(text: str) -> str:
    """Return a 10-digit establishment-unit number (first digit 2..8, mod 97)."""
    return _check(_compact(text), text, "2345678", "establishment-unit number")


def is_valid_enterprise_number(text: str) -> bool:
    """True when ``text`` is a valid enterprise number in any usual writing."""
    try:
        normalise_enterprise_number(text)
    except InvalidEnterpriseNumber:
        return False
    return True


def looks_like_enterprise_number(text: str) -> bool:
    """True when ``text`` is shaped like a BCE/KBO number (valid or not).

    Search uses this to decide that a query is a number and not a name.
    """
    if not isinstance(text, str):
        return False
    return bool(_LOOKS_LIKE.match(_SEPARATORS.sub("", text).upper()))


def format_enterprise_number(text: str) -> str:
    """Format as ``0403.019.261`` (the KBO public-search writing)."""
    n = normalise_enterprise_number(text)
    return f"{n[:4]}.{n[4:7]}.{n[7:]}"
