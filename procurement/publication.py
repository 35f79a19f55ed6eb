"""Publishing a tender: what blocks it, and the publication itself (freezing criteria and clauses).

The procedure chosen is recorded beside the one advised from the thresholds, with the buyer's
justification when they differ; each selected clause is pinned to its library version and content
hash; the weights are copied into the audit trail (Dir. 2014/24/EU art. 67(5); law of 17 June
2016 art. 81: weights are fixed before bids are opened and never change).
"""
from __future__ import annotations

from datetime import datetime
from typing import Any, Mapping

from sqlmodel import Session

from audit import log as audit_log
from clauses.library import Library, default_library
from common.timeutil import utcnow
from procurement import tender_queries as q
from procurement.criteria_validation import validate_clauses, validate_criteria
from procurement.models import Tender, TenderStatus
from procurement.tender_services import raise_if_errors, refuse_if_frozen, touch
from procurement.tender_validation import Errors, validate_publication, validate_tender


def publication_errors(session: Session, tender: Tender, *, settings: Mapping[str, Any],
                       library: Library, now: datetime, procedure: str | None = None,
                       justification: str | None = None,
                       social_clause_justification: str | None = None) -> Errors:
    """Everything that blocks publication (also shown on the confirmation page)."""
    data = q.tender_dict(tender)
    if procedure is not None:
        data.update(procedure=procedure, procedure_justification=justification or "",
                    social_clause_justification=social_clause_justification or "")
    advice = q.procedure_advice_for(session, tender, settings)
    claimed = q.tender_social_claimed(session, tender, library)
    errors = validate_tender(data, cpv_exists=lambda code: True)
    errors.merge(validate_publication(
        data, now=now, advised=advice.procedure, social_clause=claimed,
        circular_applies=any(n.code.startswith("circular") for n in advice.notes)))
    selections = [q.selection_dict(tc, session) for tc in q.tender_clauses(session, tender)]
    lots = q.lots_of(session, tender)
    errors.merge(validate_clauses(selections, library=library, lot_numbers=[lot.number for lot in lots],
                                  nature=tender.nature))
    for lot in lots:
        criteria = [q.criterion_dict(c) for c in q.criteria_of(session, lot)]
        lot_errors, _ = validate_criteria(lot.criteria_mode, lot.criteria_justification, criteria,
                                          above_eu=advice.above_eu, social_claimed=claimed)
        for name, problems in lot_errors.items():
            errors.setdefault(f"lot-{lot.number}-{name}", []).extend(problems)
    return errors


def publish(session: Session, actor, tender: Tender, *, procedure: str, justification: str = "",
            social_clause_justification: str = "", settings: Mapping[str, Any],
            library: Library | None = None, now: datetime | None = None) -> Tender:
    """Publish: record the procedure (advised vs chosen, with the justification when they
    differ), pin each clause's version and content hash, freeze criteria, audit."""
    refuse_if_frozen(tender)
    library = library or default_library()
    now = now or utcnow()
    raise_if_errors(publication_errors(
        session, tender, settings=settings, library=library, now=now, procedure=procedure,
        justification=justification, social_clause_justification=social_clause_justification))
    tender.procedure_advised = q.procedure_advice_for(session, tender, settings).procedure
    tender.procedure = procedure
    tender.procedure_justification = (justification or "").strip()
    tender.social_clause_justification = (social_clause_justification or "").strip()
    pinned = []
    for tc in q.tender_clauses(session, tender):
        clause = library.get(tc.clause_id)
        tc.clause_version, tc.content_hash = clause.version, clause.content_hash
        session.add(tc)
        pinned.append({"clause": tc.clause_id, "version": tc.clause_version,
                       "hash": tc.content_hash, "parameters": tc.parameters})
    tender.status = TenderStatus.PUBLISHED.value
    tender.published_at = now
    touch(tender)
    session.add(tender)
    criteria = {lot.number: {c.code: str(c.weight) for c in q.criteria_of(session, lot)}
                for lot in q.lots_of(session, tender)}
    audit_log.append(session, "tender.published", actor=actor, object_type="tender",
                     object_id=tender.id, tender_ref=tender.reference,
                     details={"procedure_advised": tender.procedure_advised,
                              "procedure": procedure, "justification": tender.procedure_justification,
                              "criteria": criteria, "clauses": pinned,
                              "revision": tender.revision})
    session.commit()
    # Tell the matching firms (issue 6); never undoes the publication (see after_publication).
    from procurement.matching_services import after_publication

    after_publication(session, tender, settings=settings, actor=actor, now=now)
    return tender
