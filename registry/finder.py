"""Buyer search: fuzzy free text (the application's SearchIndex) within database filters, paginated,
sortable, each result with the reasons it matched.

Filters run in SQL (CPV prefixes and coverage through the derived ActivityCpv/ActivityArea rows);
the free text then ranks only the ids that pass them (``SearchIndex.search(candidates=...)``), so no
query scans the registry in Python. When only the status restricts the search (the public directory,
a search without filters), the candidate set comes from the statuses the index keeps in memory
(``RegistryIndex.ids_with_status``) instead of reading every id from the database, and the matches'
status is then checked in SQL (on a disagreement the ids are read from the database after all). Only
the page's rows are loaded, with their accreditations, CPV codes and CPV labels in one query each.
A CPV filter finds the code and its descendants (45000000 finds 45210000). "Within N km" compares
arrondissement centres (registry.geo: about ±25 km).
"""
from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import String, and_, case, cast, func, or_
from sqlmodel import Session, select

from registry import refdata
from registry.codes import LANGUAGE_LABELS, SERVICE_LABELS, TYPE_LABELS, label
from registry.cpv import cpv_root
from registry.eligibility import Eligibility, reserved_eligibility
from registry.geo import REGIONS, distance_km, nuts3_within
from registry.index import get_registry_index
from registry.models import Accreditation, Activity, ActivityArea, ActivityCpv, Enterprise
from registry.normalise import fold
from registry.sourcing import normalised_codes

PAGE_SIZE = 20
MIN_SCORE = 60  # fuzzy score (0-100) below which a text match is not shown
MAX_TEXT_MATCHES = 500
SORTS = ("relevance", "name", "municipality", "share", "updated")
FIELD_LABELS = {"name": _l("name"), "trade name": _l("trade name"), "enterprise number": _l("enterprise number")}


@dataclass
class Filters:
    q: str = ""
    types: list[str] = field(default_factory=list)
    cpv: str = ""
    service_type: str = ""
    region: str = ""
    place: str = ""
    radius_km: int | None = None
    eligible: bool = False
    validated_only: bool = True
    language: str = ""
    sort: str = "relevance"
    page: int = 1


@dataclass
class Hit:
    enterprise: Enterprise
    score: float | None
    reasons: list
    eligibility: Eligibility
    types: list[str]
    cpv: list[str]


@dataclass
class ResultPage:
    hits: list[Hit]
    total: int
    page: int
    pages: int
    place: refdata.Place | None = None
    notes: list = field(default_factory=list)


def _share_expr():
    return case((Enterprise.staff_total > 0, Enterprise.staff_disadvantaged * 1.0 / Enterprise.staff_total), else_=None)


def _statuses(f: Filters, viewer_role: str) -> tuple[str, ...] | None:
    """The statuses the viewer may find (None: any)."""
    if f.validated_only:
        return ("validated",)
    if viewer_role != "admin":
        return ("validated", "pending")
    return None


def _conditions(session: Session, f: Filters, viewer_role: str, today: date, min_pct: float, out: ResultPage):
    """SQL conditions; the status condition (if any) comes first and alone in ``conds[:1]``."""
    statuses = _statuses(f, viewer_role)
    conds = [] if statuses is None else [
        Enterprise.status == statuses[0] if len(statuses) == 1 else Enterprise.status.in_(statuses)]
    if f.types:
        conds.append(Enterprise.id.in_(select(Accreditation.enterprise_id).where(Accreditation.type_code.in_(f.types))))
    activity = []
    if f.service_type:
        activity.append(Activity.service_type == f.service_type)
    codes = normalised_codes(f.cpv.replace(",", " ").split())
    if f.cpv.strip() and not codes:
        out.notes.append(_l("The CPV filter was ignored: give 8-digit codes such as 45000000."))
    if codes:
        activity.append(Activity.id.in_(select(ActivityCpv.activity_id).where(
            or_(*[ActivityCpv.code.like(cpv_root(c) + "%") for c in codes]))))
    areas = []
    if f.region in REGIONS:
        areas.append(ActivityArea.nuts3.like(f.region + "%"))
    place = refdata.resolve_place(session, f.place) if f.place.strip() else None
    out.place = place
    if f.place.strip() and place is None:
        out.notes.append(_l("Unknown place “%(place)s”: use a postal code, a municipality, an arrondissement "
                            "or a NUTS code.", place=f.place.strip()[:60]))
    if place is not None and f.radius_km:
        if place.nuts3:
            conds.append(Enterprise.nuts3.in_(nuts3_within(place.nuts3, f.radius_km)))
        else:
            out.notes.append(_l("A distance needs a municipality, a postal code or an arrondissement."))
    elif place is not None:
        if place.kind == "region":
            areas.append(ActivityArea.nuts3.like(place.region + "%"))
        elif place.kind == "nuts3":
            areas.append(ActivityArea.nuts3 == place.nuts3)
        else:
            by_nuts3 = and_(ActivityArea.municipality_key.is_(None), ActivityArea.nuts3 == place.nuts3) \
                if place.nuts3 else False
            areas.append(or_(ActivityArea.municipality_key == place.code, by_nuts3))
    for area in areas:
        activity.append(Activity.id.in_(select(ActivityArea.activity_id).where(area)))
    if activity:
        conds.append(Enterprise.id.in_(select(Activity.enterprise_id).where(*activity)))
    if f.eligible:
        conds += [Enterprise.status == "validated", Enterprise.staff_total > 0,
                  Enterprise.staff_disadvantaged * 100 >= min_pct * Enterprise.staff_total,
                  Enterprise.id.in_(select(Accreditation.enterprise_id).where(
                      Accreditation.number != "",
                      or_(Accreditation.valid_from.is_(None), Accreditation.valid_from <= today),
                      or_(Accreditation.valid_until.is_(None), Accreditation.valid_until >= today)))]
    if f.language in LANGUAGE_LABELS:
        # Languages are a JSON list; its text form contains "nl" with the quotes on both databases.
        conds.append(cast(Enterprise.languages, String).like(f'%"{f.language}"%'))
    return conds, codes, place


_ORDER = {
    "name": lambda: [func.lower(Enterprise.legal_name), Enterprise.id],
    "municipality": lambda: [func.lower(Enterprise.municipality), func.lower(Enterprise.legal_name), Enterprise.id],
    "share": lambda: [_share_expr().desc().nulls_last(), Enterprise.id],
    "updated": lambda: [Enterprise.updated_at.desc(), Enterprise.id],
}


def _ids(session: Session, conds) -> set[int]:
    """Ids passing ``conds`` (plain values, no ORM rows)."""
    return set(session.execute(select(Enterprise.id).where(*conds)).scalars())


def _text_matches(session: Session, q: str, conds, statuses) -> list:
    """Index matches of ``q`` (score >= MIN_SCORE, best first) among the profiles passing ``conds``."""
    state = get_registry_index(session)
    status_only = len(conds) == (0 if statuses is None else 1)
    if not status_only:
        allowed = _ids(session, conds)
    else:  # from memory: no read of every id (100,000 in the benchmark) per request. Every id rather
        # than None when any status will do: on a small registry (<= 4 x POOL_SIZE candidates) the index
        # rescores every candidate given, which can find more than its token candidates.
        allowed = state.ids_with_status(statuses)
    matches = [m for m in state.index.search(q, limit=MAX_TEXT_MATCHES, candidates=allowed) if m.score >= MIN_SCORE]
    if status_only and statuses is not None and matches:
        # The database has the last word on who may be shown: if a status changed without moving
        # updated_at (so the index did not see it), search among the ids the database gives.
        ids = [m.id for m in matches]
        passing = set(session.execute(select(Enterprise.id).where(Enterprise.id.in_(ids), *conds)).scalars())
        if len(passing) != len(ids):
            allowed = _ids(session, conds)
            matches = [m for m in state.index.search(q, limit=MAX_TEXT_MATCHES, candidates=allowed)
                       if m.score >= MIN_SCORE]
    return matches


def search(session: Session, f: Filters, *, viewer_role: str, today: date, min_share_pct: float,
           page_size: int = PAGE_SIZE, everything: bool = False, lang: str = "en") -> ResultPage:
    out = ResultPage([], 0, 1, 1)
    conds, codes, place = _conditions(session, f, viewer_role, today, min_share_pct, out)
    sort = f.sort if f.sort in SORTS else "relevance"
    scores: dict[int, object] = {}
    if f.q.strip():
        matches = _text_matches(session, f.q, conds, _statuses(f, viewer_role))
        scores = {m.id: m for m in matches}
        ids = [m.id for m in matches]
        if sort != "relevance" and ids:
            ordered = session.exec(select(Enterprise.id).where(Enterprise.id.in_(ids)).order_by(*_ORDER[sort]())).all()
            ids = list(ordered)
        out.total = len(ids)
    else:
        out.total = session.exec(select(func.count()).select_from(Enterprise).where(*conds)).one()
        ids = None
    out.pages = max(1, math.ceil(out.total / page_size))
    out.page = min(max(1, f.page), out.pages)
    start, stop = (0, None) if everything else ((out.page - 1) * page_size, out.page * page_size)
    if ids is None:
        query = select(Enterprise).where(*conds).order_by(*_ORDER.get(sort, _ORDER["name"])())
        rows = session.exec(query.offset(start).limit(stop - start) if stop else query).all()
    else:
        page_ids = ids[start:stop]
        by_id = {e.id: e for e in session.exec(select(Enterprise).where(Enterprise.id.in_(page_ids)))} if page_ids else {}
        rows = [by_id[i] for i in page_ids if i in by_id]
    out.hits = _hits(session, rows, f, codes, place, scores, today, min_share_pct, lang)
    return out


def _hits(session, rows, f: Filters, codes, place, scores, today, min_pct, lang) -> list[Hit]:
    ids = [e.id for e in rows]
    accs, cpvs = defaultdict(list), defaultdict(list)
    if ids:
        for acc in session.exec(select(Accreditation).where(Accreditation.enterprise_id.in_(ids)).order_by(Accreditation.type_code)):
            accs[acc.enterprise_id].append(acc)
        for row in session.exec(select(ActivityCpv).where(ActivityCpv.enterprise_id.in_(ids)).order_by(ActivityCpv.code)):
            if row.code not in cpvs[row.enterprise_id]:
                cpvs[row.enterprise_id].append(row.code)
    matched = {e.id: [c for c in cpvs[e.id] if any(c.startswith(cpv_root(q)) for q in codes)] if codes
               else cpvs[e.id] for e in rows}
    # The labels of the CPV codes named in the reasons (the first three matched per hit), in one query.
    labels = refdata.cpv_labels(session, [c for e in rows for c in matched[e.id][:3]], lang) if codes else {}
    hits = []
    for e in rows:
        result = reserved_eligibility(e.status, e.staff_total, e.staff_disadvantaged, accs[e.id], today, min_pct)
        hits.append(Hit(e, getattr(scores.get(e.id), "score", None),
                        _reasons(e, f, codes, matched[e.id], labels, place, scores.get(e.id), result, accs[e.id]),
                        result, [a.type_code for a in accs[e.id]], matched[e.id]))
    return hits


def _reasons(e, f: Filters, codes, matched, labels, place, match, result, accs) -> list:
    reasons = []
    if match is not None:
        what = _l("name and municipality") if "+" in match.field else FIELD_LABELS.get(match.field, match.field)
        reasons.append(_l("%(field)s matches “%(query)s” (score %(score)s/100)", field=what,
                          query=f.q.strip()[:60], score=round(match.score)))
    if codes and matched:
        for code in matched[:3]:
            reasons.append(_l("CPV %(code)s %(label)s", code=code, label=labels[code]))
    for code in f.types:
        if code in [a.type_code for a in accs]:
            reasons.append(_l("type: %(type)s", type=label(TYPE_LABELS, code)))
    if f.service_type:
        reasons.append(_l("offers %(service)s", service=label(SERVICE_LABELS, f.service_type)))
    if f.region in REGIONS:
        reasons.append(_l("covers %(place)s", place=REGIONS[f.region]))
    if place is not None and f.radius_km and place.nuts3 and e.nuts3:
        reasons.append(_l("seat about %(km)s km from %(place)s", km=round(distance_km(e.nuts3, place.nuts3)),
                          place=place.label))
    elif place is not None and not f.radius_km:
        reasons.append(_l("covers %(place)s", place=place.label))
    served = {fold(m) for m in e.served_municipalities or []}
    if place is not None and place.kind == "municipality" and place.code in served:
        # Employment-purpose enterprises (issue 10): the territory whose long-term unemployed they employ.
        reasons.append(_l("employment-purpose enterprise serving %(place)s", place=place.label))
    if f.eligible and result.eligible:
        reasons.append(_l("eligible for reserved contracts: %(pct)s %% disadvantaged workers and a valid accreditation",
                          pct=round(result.share * 100)))
    if f.language in LANGUAGE_LABELS:
        reasons.append(_l("works in %(language)s", language=label(LANGUAGE_LABELS, f.language)))
    return reasons
