"""Checking what a user or an import file gives for a profile: one place, every field named.

``ValidationError.errors`` maps each bad field to a translated message; services raise it before
writing anything, so a bad field never leaves a half-saved profile. Look-ups that need the database
(known CPV and NACE codes, enterprise-number uniqueness) are done by the callers in
``registry.services`` and ``registry.refdata``; this module only parses values.
"""
from __future__ import annotations

import re
from datetime import date
from decimal import Decimal, InvalidOperation
from urllib.parse import urlsplit

from flask_babel import lazy_gettext as _l

from registry.codes import LANGUAGE_LABELS, LEGAL_FORM_LABELS, TURNOVER_LABELS
from registry.geo import NUTS3
from registry.identifiers import InvalidEnterpriseNumber, normalise_enterprise_number

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_EMAIL = re.compile(r"^[^@\s<>\"']+@[^@\s<>\"']+\.[^@\s<>\"']+$")
_HOST = re.compile(r"[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)+")
MAX_STAFF = 1_000_000
MAX_EUR = Decimal("1000000000000")

# Spellings seen in import files -> legal-form code (Code of companies and associations 2019).
LEGAL_FORM_ALIASES = {
    "asbl": "asbl", "vzw": "asbl", "aisbl": "asbl", "ivzw": "asbl",
    "sc": "sc", "cv": "sc", "scrl": "sc", "cvba": "sc", "scrlfs": "sc", "sce": "sc",
    "srl": "srl", "bv": "srl", "sprl": "srl", "bvba": "srl",
    "sa": "sa", "nv": "sa", "public": "public", "cpas": "public", "ocmw": "public",
    "de_facto": "de_facto", "association de fait": "de_facto", "feitelijke vereniging": "de_facto",
    "other": "other",
}


class ValidationError(ValueError):
    """Bad input: ``errors`` maps each field name to its message (lazy, translated on display)."""

    def __init__(self, errors: dict):
        super().__init__(", ".join(errors))
        self.errors = dict(errors)

    @property
    def field(self) -> str:
        return next(iter(self.errors))

    @property
    def message(self):
        return self.errors[self.field]


class Checker:
    """Collects one message per field; ``done()`` raises them all at once."""

    def __init__(self):
        self.errors: dict = {}

    def fail(self, field: str, message) -> None:
        self.errors.setdefault(field, message)

    def done(self) -> None:
        if self.errors:
            raise ValidationError(self.errors)

    def text(self, data: dict, field: str, max_len: int, *, required=False, multiline=False) -> str:
        value = data.get(field)
        value = "" if value is None else str(value)
        value = value.replace("\r\n", "\n").strip()
        if not multiline:
            value = " ".join(value.split()) if "\n" in value or "\t" in value else value
        if _CONTROL.search(value):
            self.fail(field, _l("This field contains control characters."))
        elif required and not value:
            self.fail(field, _l("This field is required."))
        elif len(value) > max_len:
            self.fail(field, _l("At most %(n)s characters.", n=max_len))
        return value

    def integer(self, data: dict, field: str, *, low=0, high=MAX_STAFF) -> int | None:
        raw = str(data.get(field) if data.get(field) is not None else "").strip()
        if raw == "":
            return None
        try:
            value = int(raw)
        except ValueError:
            self.fail(field, _l("Enter a whole number."))
            return None
        if value < low:
            self.fail(field, _l("The number cannot be below %(n)s.", n=low))
        elif value > high:
            self.fail(field, _l("The number cannot be above %(n)s.", n=high))
        return value

    def amount(self, data: dict, field: str) -> Decimal | None:
        raw = str(data.get(field) if data.get(field) is not None else "").strip()
        raw = raw.replace(" ", "").replace("\u00a0", "").replace("€", "").replace("EUR", "")
        if raw == "":
            return None
        if "," in raw and "." not in raw:
            raw = raw.replace(",", ".")
        try:
            value = Decimal(raw)
        except InvalidOperation:
            self.fail(field, _l("Enter an amount in euros, e.g. 125000.50."))
            return None
        if not value.is_finite() or value < 0:
            self.fail(field, _l("The amount cannot be negative."))
        elif value > MAX_EUR:
            self.fail(field, _l("The amount is too large."))
        return value.quantize(Decimal("0.01")) if value.is_finite() else None

    def day(self, data: dict, field: str) -> date | None:
        raw = data.get(field)
        if isinstance(raw, date) or raw is None:
            return raw
        raw = str(raw).strip()
        if not raw:
            return None
        try:
            return date.fromisoformat(raw)
        except ValueError:
            self.fail(field, _l("Enter a date as YYYY-MM-DD."))
            return None

    def choice(self, data: dict, field: str, allowed, *, required=False) -> str:
        value = str(data.get(field) or "").strip()
        if not value and required:
            self.fail(field, _l("This field is required."))
        elif value and value not in allowed:
            self.fail(field, _l("“%(value)s” is not one of the allowed values.", value=value[:60]))
        return value

    def choices(self, data: dict, field: str, allowed) -> list[str]:
        values = as_list(data.get(field))
        bad = [v for v in values if v not in allowed]
        if bad:
            self.fail(field, _l("“%(value)s” is not one of the allowed values.", value=bad[0][:60]))
        return sorted(set(values), key=values.index)


def as_list(value) -> list[str]:
    """A list field: a list, or text separated by | (import files), commas or new lines."""
    if value is None:
        return []
    if isinstance(value, (list, tuple, set)):
        items = [str(v) for v in value]
    else:
        items = re.split(r"[|\n,;]", str(value))
    return [item.strip() for item in items if item and item.strip()]


def enterprise_number(check: Checker, data: dict, *, required: bool) -> str | None:
    raw = str(data.get("enterprise_number") or "").strip()
    if not raw:
        if required:
            check.fail("enterprise_number", _l("This field is required."))
        return None
    try:
        return normalise_enterprise_number(raw)
    except InvalidEnterpriseNumber:
        check.fail("enterprise_number", _l(
            "“%(value)s” is not a valid Belgian enterprise number: 10 digits starting with 0 or 1 "
            "(BE and dots allowed) whose last two digits pass the mod-97 check.", value=raw[:30]))
        return None


def website(check: Checker, data: dict) -> str:
    value = check.text(data, "website", 300)
    if not value:
        return ""
    if "://" not in value:
        value = "https://" + value
    parts = urlsplit(value)
    try:
        host = parts.hostname or ""
        parts.port  # noqa: B018  (raises ValueError on a bad port)
    except ValueError:
        host = ""
    if parts.scheme not in ("http", "https") or not _HOST.fullmatch(host) or " " in value or "<" in value:
        check.fail("website", _l("Enter a web address starting with http:// or https://."))
    return value


def email(check: Checker, data: dict) -> str:
    value = check.text(data, "email", 254).lower()
    if value and not _EMAIL.match(value):
        check.fail("email", _l("This e-mail address is not valid."))
    return value


def legal_form(check: Checker, data: dict) -> str:
    raw = str(data.get("legal_form") or "").strip()
    if not raw:
        return ""
    key = " ".join(re.sub(r"[./]", " ", raw.lower()).split())
    code = raw if raw in LEGAL_FORM_LABELS else LEGAL_FORM_ALIASES.get(key)
    if code is None:
        check.fail("legal_form", _l("Unknown legal form “%(value)s” (e.g. ASBL, VZW, SRL, BV, SC, CV, SA, "
                                    "NV, public).", value=raw[:40]))
        return ""
    return code


def profile(data: dict, *, number_required: bool = False) -> tuple[dict, Checker]:
    """Parse the profile fields; returns (values, checker) so callers can add their own checks
    (known codes, uniqueness) before ``checker.done()``."""
    check = Checker()
    values = {
        "legal_name": check.text(data, "legal_name", 200, required=True),
        "trade_names": [t[:200] for t in as_list(data.get("trade_names")) if not _CONTROL.search(t)][:10],
        "enterprise_number": enterprise_number(check, data, required=number_required),
        "legal_form": legal_form(check, data),
        "street": check.text(data, "street", 200),
        "postal_code": check.text(data, "postal_code", 4),
        "municipality": check.text(data, "municipality", 120),
        "nuts3": check.choice(data, "nuts3", NUTS3),
        "website": website(check, data),
        "email": email(check, data),
        "languages": check.choices(data, "languages", LANGUAGE_LABELS),
        "description": check.text(data, "description", 2000, multiline=True),
        "staff_total": check.integer(data, "staff_total"),
        "staff_disadvantaged": check.integer(data, "staff_disadvantaged"),
        "turnover_band": check.choice(data, "turnover_band", TURNOVER_LABELS),
        "max_contract_eur": check.amount(data, "max_contract_eur"),
    }
    postal = values["postal_code"]
    if postal and (not postal.isdigit() or len(postal) != 4 or postal < "1000"):
        check.fail("postal_code", _l("A Belgian postal code has 4 digits (1000 to 9999)."))
    total, disadvantaged = values["staff_total"], values["staff_disadvantaged"]
    if disadvantaged is not None and total is None and "staff_total" not in check.errors:
        check.fail("staff_total", _l("Give the total staff when you give the number of disadvantaged workers."))
    elif total is not None and disadvantaged is not None and disadvantaged > total:
        check.fail("staff_disadvantaged", _l(
            "The number of disabled or disadvantaged workers (%(d)s) cannot exceed the total staff (%(t)s).",
            d=disadvantaged, t=total))
    return values, check
