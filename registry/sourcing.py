"""Sourcing interface for the tender feature: which validated social-economy enterprises could bid.

An activity matches a requested CPV code when one code lies above or below the other in the CPV
hierarchy (registry.cpv: ``45000000`` ⊃ ``45200000`` ⊃ ``45210000``), either way: a firm doing
"construction work" is a candidate for "painting work", and a firm doing "painting work" for a
"construction work" tender. The place is a NUTS-3 code: the matching activity's coverage must
include it (whole country, the region containing it, the NUTS-3 area itself, municipalities in it,
or a radius around the seat reaching it — radius approximated by arrondissement centres, see
registry.geo). Eligibility for reserved contracts: registry.eligibility.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from sqlmodel import Session, or_, select

from registry.codes import SocialType
from registry.cpv import cpv_root, normalised_codes  # noqa: F401 (normalised_codes: used by registry.finder)
from registry.eligibility import reserved_eligibility
from registry.models import Accreditation, ActivityArea, ActivityCpv, Enterprise, EnterpriseStatus


@dataclass
class SourcingCandidate:
    enterprise_id: int
    name: str
    types: list[str]
    municipality: str | None
    disadvantaged_share: float | None  # 0..1, None when staff_total unknown
    eligible_reserved: bool  # validated, share >= min_share_pct/100, accreditation valid on `today`
    matched_cpv: list[str] = field(default_factory=list)  # the enterprise's codes that matched
    served_municipalities: list[str] = field(default_factory=list)  # employment-purpose enterprises

    @property
    def employment_purpose(self) -> bool:
        """An employment-purpose enterprise (EBE or comparable scheme, registry.codes): a candidate
        subcontractor under the clause ``subcontracting-employment-purpose``."""
        return SocialType.EMPLOYMENT_PURPOSE.value in self.types


def cpv_condition(codes: list[str]):
    """SQL condition on ActivityCpv.code: descendants (prefix) or ancestors of any requested code."""
    clauses, ancestors = [], set()
    for code in codes:
        root = cpv_root(code)
        clauses.append(ActivityCpv.code.like(root + "%"))
        ancestors.update(code[:k].ljust(8, "0") for k in range(2, len(root)))
    if ancestors:
        clauses.append(ActivityCpv.code.in_(sorted(ancestors)))
    return or_(*clauses)


def area_condition(nuts3: str):
    """Activities whose coverage includes the NUTS-3 area (a shorter NUTS code: any area within it)."""
    area = ActivityArea.nuts3 == nuts3 if len(nuts3) == 5 else ActivityArea.nuts3.like(nuts3 + "%")
    return ActivityCpv.activity_id.in_(select(ActivityArea.activity_id).where(area))


def sourcing_candidates(session: Session, cpv_codes: list[str], *, nuts3: str | None = None,
                        min_share_pct: float = 30, today: date | None = None) -> list[SourcingCandidate]:
    """Validated enterprises with an activity matching the CPV codes (and covering ``nuts3``).

    Ordered: eligible for a reserved contract first, then by share of disadvantaged workers, then name.
    """
    today = today or date.today()
    codes = normalised_codes(cpv_codes)
    if not codes:
        return []
    query = (select(ActivityCpv.enterprise_id, ActivityCpv.code)
             .join(Enterprise, Enterprise.id == ActivityCpv.enterprise_id)
             .where(Enterprise.status == EnterpriseStatus.VALIDATED.value, cpv_condition(codes)))
    if nuts3:
        query = query.where(area_condition(nuts3.strip().upper()))
    matched: dict[int, set[str]] = defaultdict(set)
    for enterprise_id, code in session.exec(query):
        matched[enterprise_id].add(code)
    if not matched:
        return []
    enterprises = session.exec(select(Enterprise).where(Enterprise.id.in_(matched))).all()
    accreditations: dict[int, list[Accreditation]] = defaultdict(list)
    for acc in session.exec(select(Accreditation).where(Accreditation.enterprise_id.in_(matched))
                            .order_by(Accreditation.type_code)):
        accreditations[acc.enterprise_id].append(acc)
    out = []
    for enterprise in enterprises:
        result = reserved_eligibility(enterprise.status, enterprise.staff_total, enterprise.staff_disadvantaged,
                                      accreditations[enterprise.id], today, min_share_pct)
        out.append(SourcingCandidate(
            enterprise_id=enterprise.id, name=enterprise.legal_name,
            types=[a.type_code for a in accreditations[enterprise.id]],
            municipality=enterprise.municipality or None, disadvantaged_share=result.share,
            eligible_reserved=result.eligible, matched_cpv=sorted(matched[enterprise.id]),
            served_municipalities=list(enterprise.served_municipalities or [])))
    out.sort(key=lambda c: (not c.eligible_reserved, -(c.disadvantaged_share or 0), c.name.casefold(), c.enterprise_id))
    return out
