"""Matching a published tender to social-economy enterprises ("Tenders for you"): the pure rule.

Plain values in, a decision that explains itself out: for each lot, whether one of the enterprise's
activities fits it, and the reasons (machine codes with parameters, worded for the interface by
``procurement.matching_text``). No Flask, no database.

An activity fits a lot when, on that same activity:

- **CPV** (Regulation (EC) No 213/2008; ``registry.cpv``): one of the lot's codes equals or lies
  below one of the activity's codes (``90911000`` is under ``90910000``), or, as in the buyer's
  sourcing list (``registry.sourcing``), one of the activity's codes lies below the lot's code (a
  "cleaning services" tender reaches a firm that does "window cleaning"). A lot without CPV codes
  uses the tender's main and additional codes.
- **Service type**: the activity's service type is the tender's nature (works, supplies, services);
  "staff provision" counts as services (UNVERIFIED: our reading, not a legal rule).
- **Place of performance**: the activity's coverage includes it, with the coverage the registry
  derives for the buyer's search (``registry.services_parts.area_rows``: whole country, regions,
  NUTS-3 areas, listed municipalities, radius around the seat approximated by arrondissement
  centres, see ``registry.geo``). When the tender names a municipality and the activity lists
  municipalities, the municipality itself must be listed; otherwise the NUTS-3 area must be
  covered. A tender without a place of performance matches any coverage.
- **Reservation**: a lot reserved under Dir. 2014/24/EU art. 20 / law of 17 June 2016 art. 15
  (sheltered workshops and insertion operators, at least 30 % disabled or disadvantaged workers)
  matches only an enterprise eligible under ``registry.eligibility.reserved_eligibility``
  (validated, share reached, an accreditation valid on the day). A lot reserved under Dir. art. 77
  (certain health, social and cultural services) matches only services tenders and only validated
  enterprises holding a valid social-economy accreditation: the registry does not record the
  art. 77 conditions (public-service mission, reinvested profits, participatory governance), so
  this proxy is UNVERIFIED and the buyer still checks them.

No local preference is created: matching only tells firms a notice exists; it never ranks or
scores (DOMAIN.md "No local preference").
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable, Sequence

from registry.cpv import cpv_matches, normalised_codes
from registry.geo import NUTS3, REGIONS, region_of_nuts3

STAFF_PROVISION = "staff_provision"
RESERVED = ("art20", "art77")


@dataclass(frozen=True)
class LotInput:
    number: int
    cpv_codes: tuple[str, ...] = ()
    reservation: str = "none"  # "none" | "art20" | "art77"


@dataclass(frozen=True)
class TenderInput:
    reference: str
    nature: str  # works | supplies | services
    lots: tuple[LotInput, ...]
    cpv_main: str = ""
    cpv_additional: tuple[str, ...] = ()
    nuts3: str | None = None
    municipality_key: str | None = None  # folded name (registry.normalise.fold)
    municipality: str | None = None  # as typed, for the reasons


@dataclass(frozen=True)
class ActivityInput:
    service_type: str
    cpv_codes: tuple[str, ...]
    coverage_kind: str  # country | regions | nuts3 | municipalities | radius
    coverage_areas: tuple[str, ...] = ()
    radius_km: int | None = None
    covered_nuts3: frozenset[str] = frozenset()  # derived rows (registry ActivityArea)
    municipality_keys: frozenset[str] = frozenset()


@dataclass(frozen=True)
class EnterpriseInput:
    enterprise_id: int
    name: str
    status: str
    activities: tuple[ActivityInput, ...]
    # registry.eligibility.reserved_eligibility on the day of publication
    eligible_art20: bool = False
    accreditation_types: tuple[str, ...] = ()  # types with an accreditation valid on that day
    disadvantaged_share: float | None = None


@dataclass(frozen=True)
class Reason:
    """One reason, as a code and parameters (JSON-friendly)."""

    code: str
    params: dict = field(default_factory=dict)

    def as_dict(self) -> dict:
        return {"code": self.code, "params": dict(self.params)}


@dataclass(frozen=True)
class LotMatch:
    number: int
    reservation: str
    reasons: tuple[Reason, ...]

    @property
    def reserved(self) -> bool:
        return self.reservation in RESERVED

    def as_dict(self) -> dict:
        return {"lot": self.number, "reservation": self.reservation,
                "reasons": [r.as_dict() for r in self.reasons]}


@dataclass(frozen=True)
class MatchResult:
    enterprise_id: int
    lots: tuple[LotMatch, ...]

    @property
    def matched(self) -> bool:
        return bool(self.lots)

    @property
    def reserved_for_you(self) -> bool:
        """At least one matched lot is reserved (so the enterprise was found eligible for it)."""
        return any(lot.reserved for lot in self.lots)

    def reasons_json(self) -> list[dict]:
        return [lot.as_dict() for lot in self.lots]


def lot_cpv_codes(tender: TenderInput, lot: LotInput) -> list[str]:
    """The lot's own codes, else the tender's main and additional codes."""
    return normalised_codes(lot.cpv_codes) or normalised_codes([tender.cpv_main, *tender.cpv_additional])


def cpv_reason(lot_codes: Sequence[str], activity_codes: Sequence[str]) -> Reason | None:
    """First CPV relation found: the lot's code under the activity's (or equal), else the
    activity's code under the lot's."""
    acts = normalised_codes(activity_codes)
    for lot_code in lot_codes:
        for act in acts:
            if lot_code == act:
                return Reason("cpv_same", {"cpv": lot_code})
            if cpv_matches(act, lot_code):
                return Reason("cpv_under_activity", {"tender_cpv": lot_code, "activity_cpv": act})
    for lot_code in lot_codes:
        for act in acts:
            if cpv_matches(lot_code, act):
                return Reason("cpv_activity_under", {"tender_cpv": lot_code, "activity_cpv": act})
    return None


def service_reason(nature: str, service_type: str) -> Reason | None:
    if service_type == nature or (nature == "services" and service_type == STAFF_PROVISION):
        return Reason("service_type", {"service_type": service_type, "nature": nature})
    return None


def coverage_reason(tender: TenderInput, activity: ActivityInput) -> Reason | None:
    """Does the activity's coverage include the place of performance? (see module docstring)"""
    nuts3 = (tender.nuts3 or "").strip().upper()
    kind = activity.coverage_kind
    if not nuts3 and not tender.municipality_key:
        return Reason("place_unspecified")
    if kind == "municipalities" and tender.municipality_key:
        if tender.municipality_key in activity.municipality_keys:
            return Reason("covers_municipality", {"municipality": tender.municipality or tender.municipality_key})
        return None
    if not nuts3:
        # Only a municipality is known and the coverage is not a list of municipalities: the
        # derived rows cannot tell, except for a country-wide coverage.
        return Reason("covers_country") if kind == "country" else None
    if nuts3 not in activity.covered_nuts3:
        return None
    name = NUTS3.get(nuts3, ("",))[0]
    if kind == "country":
        return Reason("covers_country")
    if kind == "regions":
        region = region_of_nuts3(nuts3)
        return Reason("covers_region", {"region": region, "name": REGIONS.get(region, region)})
    if kind == "radius":
        return Reason("covers_radius", {"radius_km": activity.radius_km, "nuts3": nuts3, "name": name})
    return Reason("covers_nuts3", {"nuts3": nuts3, "name": name})


def reservation_reason(reservation: str, nature: str, enterprise: EnterpriseInput) -> tuple[bool, Reason | None]:
    """(allowed, reason): open lots are allowed without a reason; reserved lots only when eligible."""
    if reservation == "art20":
        if enterprise.eligible_art20:
            share = enterprise.disadvantaged_share
            return True, Reason("reserved_art20", {
                "types": list(enterprise.accreditation_types),
                "share_pct": None if share is None else round(share * 100)})
        return False, None
    if reservation == "art77":
        if nature == "services" and enterprise.status == "validated" and enterprise.accreditation_types:
            return True, Reason("reserved_art77", {"types": list(enterprise.accreditation_types)})
        return False, None
    return True, None


def match_lot(tender: TenderInput, lot: LotInput, enterprise: EnterpriseInput) -> LotMatch | None:
    allowed, reserved = reservation_reason(lot.reservation, tender.nature, enterprise)
    if not allowed:
        return None
    codes = lot_cpv_codes(tender, lot)
    if not codes:
        return None
    for activity in enterprise.activities:
        service = service_reason(tender.nature, activity.service_type)
        if service is None:
            continue
        cpv = cpv_reason(codes, activity.cpv_codes)
        if cpv is None:
            continue
        place = coverage_reason(tender, activity)
        if place is None:
            continue
        reasons = [cpv, service, place] + ([reserved] if reserved else [])
        return LotMatch(lot.number, lot.reservation, tuple(reasons))
    return None


def match_enterprise(tender: TenderInput, enterprise: EnterpriseInput) -> MatchResult:
    """The lots of ``tender`` that ``enterprise`` matches, each with its reasons. Only validated
    enterprises match (the registry's admin validation)."""
    if enterprise.status != "validated":
        return MatchResult(enterprise.enterprise_id, ())
    lots = tuple(m for m in (match_lot(tender, lot, enterprise) for lot in tender.lots) if m is not None)
    return MatchResult(enterprise.enterprise_id, lots)


def match_all(tender: TenderInput, enterprises: Iterable[EnterpriseInput]) -> list[MatchResult]:
    """Matching enterprises only, in the order given."""
    return [r for r in (match_enterprise(tender, e) for e in enterprises) if r.matched]


@dataclass(frozen=True)
class Funnel:
    """What the matched firms did with a published tender: matched → viewed → interested → bid."""

    matched: int
    viewed: int
    interested: int
    not_interested: int
    bid: int

    def steps(self) -> list[tuple[str, int, int | None]]:
        """(step, count, share of the matched firms in whole percent, half up; None when nothing matched)."""
        counts = [("matched", self.matched), ("viewed", self.viewed), ("interested", self.interested),
                  ("bid", self.bid)]
        return [(step, count, (200 * count + self.matched) // (2 * self.matched) if self.matched else None)
                for step, count in counts]
