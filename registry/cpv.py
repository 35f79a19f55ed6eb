"""CPV 2008 code helpers (Common Procurement Vocabulary).

Rules (docs DOMAIN.md, "Identifiers and code lists"; Regulation (EC)
No 213/2008): a CPV code is 8 digits plus a check digit written after a dash
(``45210000-2``). No published checksum reproduces the check digit, so codes
are validated by looking them up in the code list, not here; eForms (BT-262)
uses the 8 digits without the check digit, and so do we.

The hierarchy is the prefix before the trailing zeros: ``45000000`` (division)
contains ``45200000`` (group) which contains ``45210000`` (class). The root
always keeps at least 2 digits (the division), so ``03000000`` -> ``03``.

Pure module: no Flask, no database.
"""

from __future__ import annotations

import re

__all__ = ["InvalidCPVCode", "normalise_cpv", "normalised_codes", "cpv_root", "cpv_matches"]

_CPV = re.compile(r"^(\d{8})(?:-(\d))?$")


class InvalidCPVCode(ValueError):
    """Raised when a text is not shaped like a CPV code."""


def normalise_cpv(code: str) -> str:
    """Return the 8 digits of a CPV code: ``"45210000-2"`` -> ``"45210000"``.

    Spaces and dots are ignored. The check digit, when present, is dropped
    without being verified (it cannot be recomputed; see module docstring).
    """
    if not isinstance(code, str):
        raise InvalidCPVCode(f"expected text, got {type(code).__name__}")
    compact = re.sub(r"[\s.]+", "", code)
    match = _CPV.match(compact)
    if not match:
        raise InvalidCPVCode(
            f"CPV code {code!r} must be 8 digits, optionally followed by "
            "'-' and a check digit (e.g. 45210000-2)"
        )
    return match.group(1)


def normalised_codes(cpv_codes) -> list[str]:
    """The 8-digit forms of the well-shaped codes among ``cpv_codes``, first occurrence order,
    without repeats; badly shaped entries are left out (a filter, not a validation)."""
    out: list[str] = []
    for raw in cpv_codes or ():
        try:
            code = normalise_cpv(str(raw))
        except InvalidCPVCode:
            continue
        if code not in out:
            out.append(code)
    return out


def cpv_root(code: str) -> str:
    """Hierarchy prefix: the code without trailing zeros, at least 2 digits.

    >>> cpv_root("45210000-2")
    '4521'
    >>> cpv_root("03000000")
    '03'
    """
    digits = normalise_cpv(code)
    root = digits.rstrip("0")
    return root if len(root) >= 2 else digits[:2]


def cpv_matches(query_code: str, candidate_code: str) -> bool:
    """True when ``candidate_code`` equals or lies below ``query_code``.

    ``cpv_matches("45000000", "45210000")`` is True (a division finds its
    classes); ``cpv_matches("45210000", "45000000")`` is False.
    """
    return normalise_cpv(candidate_code).startswith(cpv_root(query_code))
