"""Reserved-contract eligibility and accreditation expiry (pure: plain values in, reasons out).

Directive 2014/24/EU art. 20 and the Belgian law of 17 June 2016 art. 15 reserve contracts to
sheltered workshops and operators whose main aim is the social and professional integration of
disabled or disadvantaged persons, provided at least 30 % of their employees are such persons
(the percentage is ``RESERVED_MIN_DISADVANTAGED_PCT`` in config.toml). A regional accreditation may
be required on top (CJEU C-598/19 Conacee); here a profile counts as eligible only when it is
validated, reaches the share, and holds at least one accreditation valid on the day considered.
An accreditation without an end date counts as open-ended.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Iterable, Protocol


class AccreditationLike(Protocol):
    type_code: str
    number: str
    valid_from: date | None
    valid_until: date | None


def disadvantaged_share(staff_total: int | None, staff_disadvantaged: int | None) -> float | None:
    """Share 0..1 of disabled or disadvantaged workers; None when the total is unknown or zero."""
    if not staff_total or staff_disadvantaged is None:
        return None
    return staff_disadvantaged / staff_total


def accreditation_valid(acc: AccreditationLike, today: date) -> bool:
    """An accreditation number, started (or no start date), not past its end date."""
    if not (acc.number or "").strip():
        return False
    if acc.valid_from is not None and acc.valid_from > today:
        return False
    return acc.valid_until is None or acc.valid_until >= today


@dataclass(frozen=True)
class Eligibility:
    eligible: bool
    share: float | None
    valid_accreditations: tuple[str, ...]  # type codes
    reasons: tuple[str, ...]  # machine codes: "not_validated", "share_unknown", "share_low", "no_accreditation"


def reserved_eligibility(status: str, staff_total: int | None, staff_disadvantaged: int | None,
                         accreditations: Iterable[AccreditationLike], today: date,
                         min_share_pct: float) -> Eligibility:
    share = disadvantaged_share(staff_total, staff_disadvantaged)
    valid = tuple(a.type_code for a in accreditations if accreditation_valid(a, today))
    reasons = []
    if status != "validated":
        reasons.append("not_validated")
    if share is None:
        reasons.append("share_unknown")
    elif share * 100 < min_share_pct - 1e-9:
        reasons.append("share_low")
    if not valid:
        reasons.append("no_accreditation")
    return Eligibility(not reasons, share, valid, tuple(reasons))


@dataclass(frozen=True)
class ExpiryWarning:
    type_code: str
    valid_until: date
    days_left: int  # negative: expired that many days ago

    @property
    def expired(self) -> bool:
        return self.days_left < 0


def expiry_warnings(accreditations: Iterable[AccreditationLike], today: date,
                    warning_days: int) -> list[ExpiryWarning]:
    """Accreditations expired, or expiring within ``warning_days`` (ACCREDITATION_WARNING_DAYS)."""
    limit = today + timedelta(days=warning_days)
    out = [ExpiryWarning(a.type_code, a.valid_until, (a.valid_until - today).days)
           for a in accreditations
           if a.valid_until is not None and (a.number or "").strip() and a.valid_until <= limit]
    return sorted(out, key=lambda w: w.valid_until)
