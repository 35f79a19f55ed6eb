"""Tender services: all-or-nothing saves, publication freezes criteria and clause versions."""
from datetime import timedelta
from decimal import Decimal

import pytest
from sqlmodel import select

from audit.models import AuditEntry
from clauses.library import default_library
from procurement import publication
from procurement import tender_queries as q
from procurement import tender_services as services
from procurement.models import AwardCriterion, Lot, Tender
from tests.tender_builders import CRITERIA, build_tender, draft_data, make_authority, make_user


@pytest.fixture
def buyer(session):
    authority = make_authority(session)
    return make_user(session, "buyer@test.example", "buyer", authority)


def actions(session, reference):
    return [e.action for e in session.exec(
        select(AuditEntry).where(AuditEntry.tender_ref == reference).order_by(AuditEntry.id))]


def test_create_computes_advice_hours_and_lot_1(app, session, buyer):
    tender = build_tender(session, buyer, app.config, with_criteria=False, with_clauses=False)
    assert tender.procedure_advised == "open_eu"  # 1,000,000 EUR services, sub-central
    assert tender.insertion["hours"] == 833  # 1,000,000 × 0.5 × 0.05 ÷ 30
    lots = q.lots_of(session, tender)
    assert [(lot.number, lot.cpv_codes, lot.estimated_value) for lot in lots] == \
        [(1, ["77310000"], Decimal("1000000.00"))]
    assert actions(session, tender.reference) == ["tender.created"]


def test_a_bad_field_saves_nothing(app, session, buyer):
    tender = build_tender(session, buyer, app.config)
    before = (tender.title_fr, tender.revision, tender.estimated_value)
    bad = draft_data(title_fr="Nouveau titre", estimated_value="0",
                     bid_deadline=tender.publication_date - timedelta(days=1))
    with pytest.raises(services.TenderValidationError) as caught:
        services.update_tender(session, buyer, tender, bad, settings=app.config)
    assert {"estimated_value", "bid_deadline"} <= set(caught.value.errors)
    session.rollback()
    session.expire_all()
    again = session.get(Tender, tender.id)
    assert (again.title_fr, again.revision, again.estimated_value) == before
    assert "tender.updated" not in actions(session, tender.reference)


def test_bad_criteria_keep_the_saved_ones(app, session, buyer):
    tender = build_tender(session, buyer, app.config)
    lot = q.lots_of(session, tender)[0]
    wrong = [dict(CRITERIA[0], weight="90"), dict(CRITERIA[1], weight="35")]
    with pytest.raises(services.TenderValidationError) as caught:
        services.save_criteria(session, buyer, tender, lot, mode="weighted", justification="",
                               criteria=wrong, settings=app.config)
    assert "weights" in caught.value.errors
    session.rollback()
    saved = session.exec(select(AwardCriterion).where(AwardCriterion.lot_id == lot.id)).all()
    assert sorted((c.code, c.weight) for c in saved) == [
        ("hours", Decimal("35.00")), ("plan", Decimal("25.00")), ("price", Decimal("40.00"))]


def test_clause_parameter_out_of_bounds_saves_nothing(app, session, buyer):
    tender = build_tender(session, buyer, app.config)
    with pytest.raises(services.TenderValidationError) as caught:
        services.save_clauses(session, buyer, tender, [
            {"clause_id": "social-clause-penalties", "parameters": {"partial_rate": "45"}}])
    assert "clause-social-clause-penalties-partial_rate" in caught.value.errors
    session.rollback()
    assert {tc.clause_id for tc in q.tender_clauses(session, tender)} == {
        "brussels-insertion-actiris", "award-insertion-hours", "social-clause-penalties"}


def test_removing_a_lot_removes_its_criteria_and_clauses(app, session, buyer):
    tender = build_tender(session, buyer, app.config)
    services.save_lots(session, buyer, tender, [
        {"number": 2, "title_fr": "Nettoyage", "cpv_codes": "90910000", "estimated_value": "1000",
         "reservation": "art20"}])
    assert [lot.number for lot in q.lots_of(session, tender)] == [2]
    assert session.exec(select(AwardCriterion)).all() == []
    assert "award-insertion-hours" not in {tc.clause_id for tc in q.tender_clauses(session, tender)}


def test_reference_must_be_unique(app, session, buyer):
    build_tender(session, buyer, app.config, with_criteria=False, with_clauses=False)
    with pytest.raises(services.TenderValidationError) as caught:
        services.create_tender(session, buyer, draft_data(), authority_id=buyer.authority_id,
                               settings=app.config)
    assert caught.value.errors["reference"][0].code == "reference_taken"


def test_publish_records_the_procedure_and_freezes(app, session, buyer):
    tender = build_tender(session, buyer, app.config)
    with pytest.raises(services.TenderValidationError) as caught:
        publication.publish(session, buyer, tender, procedure="open_national", settings=app.config)
    assert "procedure_justification" in caught.value.errors
    session.rollback()
    publication.publish(session, buyer, tender, procedure="open_national",
                     justification="Framework agreement of the province.", settings=app.config)
    session.expire_all()
    tender = session.get(Tender, tender.id)
    assert (tender.status, tender.procedure_advised, tender.procedure) == \
        ("published", "open_eu", "open_national")
    library = default_library()
    for tc in q.tender_clauses(session, tender):
        clause = library.get(tc.clause_id)
        assert (tc.clause_version, tc.content_hash) == (clause.version, clause.content_hash)
    entry = session.exec(select(AuditEntry).where(AuditEntry.action == "tender.published")).one()
    assert '"procedure_advised": "open_eu"' in entry.details
    assert '"hours": "35.00"' in entry.details  # the frozen weights are in the audit trail

    lot = session.exec(select(Lot).where(Lot.tender_id == tender.id)).one()
    revision = tender.revision
    refused = [
        lambda: services.update_tender(session, buyer, tender, draft_data(), settings=app.config),
        lambda: services.save_criteria(session, buyer, tender, lot, mode="weighted",
                                       justification="", criteria=CRITERIA, settings=app.config),
        lambda: services.save_clauses(session, buyer, tender, []),
        lambda: services.save_lots(session, buyer, tender, []),
        lambda: publication.publish(session, buyer, tender, procedure="open_eu", settings=app.config),
    ]
    for attempt in refused:
        with pytest.raises(services.TenderFrozen) as frozen:
            attempt()
        assert "frozen" in str(frozen.value)
    session.expire_all()
    assert session.get(Tender, tender.id).revision == revision
    assert len(q.tender_clauses(session, tender)) == 3


def test_publish_refuses_an_incomplete_tender(app, session, buyer):
    tender = build_tender(session, buyer, app.config, with_criteria=False, with_clauses=False,
                          bid_deadline=None, opening_at=None, question_deadline=None)
    with pytest.raises(services.TenderValidationError) as caught:
        publication.publish(session, buyer, tender, procedure="open_eu", settings=app.config)
    errors = caught.value.errors
    assert {"bid_deadline", "opening_at", "lot-1-criteria", "social_clause_justification"} <= set(errors)
    session.rollback()
    assert session.get(Tender, tender.id).status == "draft"


def test_a_published_clause_keeps_its_version_when_the_library_moves_on(app, session, buyer):
    tender = build_tender(session, buyer, app.config)
    publication.publish(session, buyer, tender, procedure="open_eu", settings=app.config)
    tc = q.tender_clauses(session, tender)[0]
    tc.content_hash = "0" * 64  # as if the archived text had been altered
    session.add(tc)
    session.commit()
    with pytest.raises(q.ClauseIntegrityError):
        q.clauses_with_library(session, tender)


def test_demo_tenders_load_once_with_what_the_bids_demo_needs(app):
    from common.db import get_session
    from common.timeutil import utcnow
    from demo import accounts, tenders

    with app.app_context():
        session = get_session()
        accounts.load(session)
        assert tenders.load(session) == "tenders: 2 created (DEMO-2026-001, DEMO-2026-002)"
        assert tenders.load(session) == "tenders: 0 created (all present)"
        published = q.find_tender(session, "DEMO-2026-001")
        assert published.status == "published"
        assert q.as_utc(published.opening_at) >= q.as_utc(published.bid_deadline)
        assert q.as_utc(published.opening_at) < utcnow()
        lots = {lot.number: lot for lot in q.lots_of(session, published)}
        assert sorted(lots) == [1, 2] and lots[2].reservation == "art20"
        assert [(c.code, c.weight) for c in q.criteria_of(session, lots[1])] == [
            ("price", Decimal("40.00")), ("hours", Decimal("35.00")), ("plan", Decimal("25.00"))]
        assert q.find_tender(session, "DEMO-2026-002").status == "draft"
        assert q.find_tender(session, "DEMO-2026-002").insertion["hours"] == 291
