"""Small helpers shared by the registry views: query-string filters, configuration, page data."""
from __future__ import annotations

from datetime import date

from flask import current_app
from sqlmodel import Session, select

from registry.codes import LANGUAGE_LABELS, SERVICE_LABELS, TYPE_LABELS
from registry.eligibility import expiry_warnings, reserved_eligibility
from registry.finder import SORTS, Filters
from registry.geo import REGIONS
from registry.models import Accreditation, Activity, Enterprise, Reference


def today() -> date:
    return date.today()


def min_share_pct() -> float:
    return float(current_app.config.get("RESERVED_MIN_DISADVANTAGED_PCT", 30))


def warning_days() -> int:
    return int(current_app.config.get("ACCREDITATION_WARNING_DAYS", 60))


def _int(value, default=None, low=1, high=10_000):
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        return default
    return min(max(number, low), high)


def filters_from(args, *, public: bool = False) -> Filters:
    """Search filters from a query string; unknown values are dropped, texts are bounded."""
    f = Filters(
        q=(args.get("q") or "")[:200],
        types=[t for t in args.getlist("type") if t in TYPE_LABELS],
        region=args.get("region") if args.get("region") in REGIONS else "",
        sort=args.get("sort") if args.get("sort") in SORTS else ("relevance" if args.get("q") else "name"),
        page=_int(args.get("page"), 1),
    )
    if public:
        return f
    f.cpv = (args.get("cpv") or "")[:200]
    f.service_type = args.get("service_type") if args.get("service_type") in SERVICE_LABELS else ""
    f.place = (args.get("place") or "")[:120]
    f.radius_km = _int(args.get("radius_km"), None, 1, 500)
    f.eligible = args.get("eligible") == "1"
    f.validated_only = args.get("all") != "1"
    f.language = args.get("language") if args.get("language") in LANGUAGE_LABELS else ""
    return f


def accreditations(session: Session, enterprise_id: int) -> list[Accreditation]:
    return list(session.exec(select(Accreditation).where(Accreditation.enterprise_id == enterprise_id)
                             .order_by(Accreditation.type_code)))


def profile_data(session: Session, enterprise: Enterprise) -> dict:
    """What the profile page and the editor pages show."""
    accs = accreditations(session, enterprise.id)
    return {
        "enterprise": enterprise,
        "accreditations": accs,
        "activities": list(session.exec(select(Activity).where(Activity.enterprise_id == enterprise.id).order_by(Activity.id))),
        "references": list(session.exec(select(Reference).where(Reference.enterprise_id == enterprise.id)
                                        .order_by(Reference.year.desc(), Reference.id))),
        "eligibility": reserved_eligibility(enterprise.status, enterprise.staff_total, enterprise.staff_disadvantaged,
                                            accs, today(), min_share_pct()),
        "warnings": expiry_warnings(accs, today(), warning_days()),
        "min_share_pct": min_share_pct(),
    }
