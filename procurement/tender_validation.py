"""Validation of a tender draft: plain dicts in, errors keyed by form field out.

Pure module (no Flask, no database). Field names follow the forms: ``title_fr``, ``bid_deadline``,
``lots-0-estimated_value``, ``criteria-1-weight``, ``clause-<id>-<parameter>``. Each error has a
stable ``code`` (translated by the web layer) and an English ``message``. CPV codes are looked up
through the ``cpv_exists`` callable (8 digits in, bool out): DOMAIN.md, no checksum reproduces the
CPV check digit, so codes are validated by looking them up.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any, Callable, Iterable, Mapping, Sequence

from procurement.advice import PROCEDURES
from procurement.insertion import insertion_hours

LANGS = ("fr", "nl", "en")
NATURES = ("works", "supplies", "services")
RESERVATIONS = ("none", "art20", "art77")
KINDS = ("price", "quantity", "rating")
PRICE_FORMULAS = ("proportional", "linear")
BETTER = ("higher", "lower")
MODES = ("weighted", "order")
MAX_VALUE = Decimal("1000000000000")
# No "/" (the reference is a URL segment); "new" is the URL of the creation form.
REFERENCE_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,59}")
RESERVED_REFERENCES = frozenset({"new", "calculator"})
CODE_RE = re.compile(r"[a-z0-9][a-z0-9_-]{0,39}")
NUTS3_RE = re.compile(r"BE[1-3][0-9]{2}")
CPV_RE = re.compile(r"([0-9]{8})(?:-[0-9])?")


@dataclass(frozen=True)
class FieldError:
    field: str
    code: str
    message: str
    params: Mapping[str, Any] = field(default_factory=dict)


class Errors(dict):
    """field name -> list of FieldError."""

    def add(self, field_name: str, error_code: str, message: str, /, **params: Any) -> None:
        self.setdefault(field_name, []).append(FieldError(field_name, error_code, message, params))

    def merge(self, other: Mapping[str, list[FieldError]]) -> "Errors":
        for name, errors in other.items():
            self.setdefault(name, []).extend(errors)
        return self


def parse_decimal(value: Any) -> Decimal | None:
    """Decimal from a number or text (comma or point, spaces ignored); None when blank/invalid."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, Decimal):
        return value if value.is_finite() else None
    text = str(value).strip().replace("\u00a0", "").replace(" ", "").replace(",", ".")
    if not text:
        return None
    try:
        number = Decimal(text)
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def normalise_cpv_list(value: Any) -> list[str]:
    """``"77310000-6, 90910000"`` or a list → ``["77310000", "90910000"]`` (unchecked)."""
    items = value if isinstance(value, (list, tuple)) else re.split(r"[\s,;]+", str(value or ""))
    return [str(item).strip() for item in items if str(item).strip()]


def check_cpv(errors: Errors, field_name: str, codes: Iterable[str],
              cpv_exists: Callable[[str], bool]) -> list[str]:
    """Validate CPV codes; return their 8 digits. Unknown or malformed codes are errors."""
    digits = []
    for code in codes:
        match = CPV_RE.fullmatch(code.replace(" ", ""))
        if not match:
            errors.add(field_name, "cpv_format", f"{code!r} is not a CPV code (8 digits).", code=code)
        elif not cpv_exists(match.group(1)):
            errors.add(field_name, "cpv_unknown", f"CPV code {code} does not exist.", code=code)
        else:
            digits.append(match.group(1))
    return digits


def _check_amount(errors: Errors, name: str, value: Any, required: bool = True) -> None:
    if _blank(value):
        if required:
            errors.add(name, "required", "This field is required.")
        return
    number = parse_decimal(value)
    if number is None:
        errors.add(name, "not_a_number", f"{value!r} is not a number.")
    elif number <= 0:
        errors.add(name, "not_positive", "The estimated value must be greater than 0 EUR.")
    elif number >= MAX_VALUE:
        errors.add(name, "too_large", "The amount is too large.")


def _check_titles(errors: Errors, data: Mapping[str, Any], stem: str, prefix: str = "") -> None:
    titles = [(data.get(f"{stem}_{lang}") or "") for lang in LANGS]
    if not any(t.strip() for t in titles):
        errors.add(f"{prefix}{stem}_fr", "title_required", "Give a title in at least one language.")
    for lang, text in zip(LANGS, titles):
        if len(text) > 300:
            errors.add(f"{prefix}{stem}_{lang}", "too_long", "At most 300 characters.", max=300)


def validate_tender(data: Mapping[str, Any], *, cpv_exists: Callable[[str], bool],
                    require_reference: bool = False) -> Errors:
    """The tender's own fields (law of 17 June 2016; Dir. 2014/24/EU art. 5 for the value)."""
    errors = Errors()
    if require_reference:
        ref = (data.get("reference") or "").strip()
        if not REFERENCE_RE.fullmatch(ref) or ref.lower() in RESERVED_REFERENCES:
            errors.add("reference", "reference_format", "Letters, digits and . _ - only "
                       "(at most 60 characters).")
    _check_titles(errors, data, "title")
    for lang in LANGS:
        if len(data.get(f"description_{lang}") or "") > 20000:
            errors.add(f"description_{lang}", "too_long", "At most 20,000 characters.", max=20000)
    nature = data.get("nature")
    if nature not in NATURES:
        errors.add("nature", "choice", "Choose works, supplies or services.")
    if data.get("social_services") and nature != "services":
        errors.add("social_services", "social_services_nature",
                   "Only services can be social and other specific services (Annex XIV).")
    if _blank(data.get("cpv_main")):
        errors.add("cpv_main", "required", "This field is required.")
    else:
        check_cpv(errors, "cpv_main", [str(data["cpv_main"]).strip()], cpv_exists)
    check_cpv(errors, "cpv_additional", normalise_cpv_list(data.get("cpv_additional")), cpv_exists)
    nuts3 = (data.get("nuts3") or "").strip()
    if nuts3 and not NUTS3_RE.fullmatch(nuts3):
        errors.add("nuts3", "nuts3_format", "A Belgian NUTS-3 code, BE100 to BE353.")
    _check_amount(errors, "estimated_value", data.get("estimated_value"))
    duration = data.get("duration_months")
    if not _blank(duration):
        number = parse_decimal(duration)
        if number is None or number != number.to_integral_value() or not 1 <= number <= 600:
            errors.add("duration_months", "duration", "A whole number of months from 1 to 600.")
    procedure = data.get("procedure")
    if procedure and procedure not in PROCEDURES:
        errors.add("procedure", "choice", "Choose one of the procedures offered.")
    check_timeline(errors, data)
    check_insertion(errors, data.get("insertion") or {}, data.get("estimated_value"))
    return errors


def check_timeline(errors: Errors, data: Mapping[str, Any]) -> None:
    """Publication < question deadline < bid deadline <= opening (aware datetimes, any zone)."""
    dates = {k: data.get(k) for k in ("publication_date", "question_deadline", "bid_deadline",
                                      "opening_at")}
    for name, value in dates.items():
        if value is not None and not (isinstance(value, datetime) and value.tzinfo):
            errors.add(name, "not_a_datetime", "Enter a date and time.")
            dates[name] = None
    pub, questions, bids, opening = dates.values()
    if pub and bids and bids <= pub:
        errors.add("bid_deadline", "bid_deadline_before_publication",
                   "The bid deadline must come after the publication date.")
    if questions and pub and questions <= pub:
        errors.add("question_deadline", "questions_before_publication",
                   "The question deadline must come after the publication date.")
    if questions and bids and questions >= bids:
        errors.add("question_deadline", "questions_after_bids",
                   "The question deadline must come before the bid deadline.")
    if opening and bids and opening < bids:
        errors.add("opening_at", "opening_before_deadline",
                   "Bids cannot be opened before the bid deadline.")


def check_insertion(errors: Errors, values: Mapping[str, Any], amount: Any) -> int | None:
    """Insertion-hour calculator inputs (fractions); all blank = calculator not used."""
    names = ("labour_share", "rate", "hourly_cost")
    if all(_blank(values.get(n)) for n in names):
        return None
    for name in names:
        if _blank(values.get(name)):
            errors.add(f"insertion-{name}", "required", "This field is required.")
        elif parse_decimal(values.get(name)) is None:
            errors.add(f"insertion-{name}", "not_a_number", "Enter a number.")
    if any(f"insertion-{n}" in errors for n in names) or parse_decimal(amount) is None \
            or parse_decimal(amount) <= 0:
        return None
    try:
        return insertion_hours(amount, *(parse_decimal(values[n]) for n in names)).hours
    except ValueError as exc:
        name = str(exc).split(" ", 1)[0]
        errors.add(f"insertion-{name}" if name in names else "insertion-labour_share",
                   f"insertion_{name}", str(exc))
        return None


def validate_lots(lots: Sequence[Mapping[str, Any]], *, cpv_exists: Callable[[str], bool]) -> Errors:
    """Lots (Dir. 2014/24/EU art. 46): unique numbers, a title, valid CPV, a positive value."""
    errors = Errors()
    if not lots:
        errors.add("lots", "no_lots", "A tender has at least one lot.")
    seen: set[int] = set()
    for index, lot in enumerate(lots):
        prefix = f"lots-{index}-"
        number = parse_decimal(lot.get("number"))
        if number is None or number != number.to_integral_value() or not 1 <= number <= 999:
            errors.add(prefix + "number", "lot_number", "A lot number from 1 to 999.")
        elif int(number) in seen:
            errors.add(prefix + "number", "lot_number_duplicate", "Two lots have this number.")
        else:
            seen.add(int(number))
        _check_titles(errors, lot, "title", prefix)
        check_cpv(errors, prefix + "cpv_codes", normalise_cpv_list(lot.get("cpv_codes")), cpv_exists)
        _check_amount(errors, prefix + "estimated_value", lot.get("estimated_value"))
        if (lot.get("reservation") or "none") not in RESERVATIONS:
            errors.add(prefix + "reservation", "choice", "Choose a reservation.")
    return errors


def validate_publication(tender: Mapping[str, Any], *, now: datetime, advised: str,
                         circular_applies: bool, social_clause: bool) -> Errors:
    """What must be true before publishing (criteria and clauses are then frozen)."""
    errors = Errors()
    for name in ("publication_date", "bid_deadline", "opening_at"):
        if tender.get(name) is None:
            errors.add(name, "required_to_publish", "Required before publication.")
    if tender.get("bid_deadline") is not None and tender["bid_deadline"] <= now:
        errors.add("bid_deadline", "bid_deadline_past", "The bid deadline has already passed.")
    chosen = tender.get("procedure") or advised
    if chosen not in PROCEDURES:
        errors.add("procedure", "choice", "Choose one of the procedures offered.")
    if chosen != advised and not (tender.get("procedure_justification") or "").strip():
        errors.add("procedure_justification", "procedure_justification",
                   "Say why you chose another procedure than the one advised.")
    if circular_applies and not social_clause and \
            not (tender.get("social_clause_justification") or "").strip():
        errors.add("social_clause_justification", "social_clause_justification",
                   "Federal circular of 16 May 2014: justify leaving social clauses out.")
    return errors
