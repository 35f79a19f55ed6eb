"""Matching published tenders to firms: the service (publication hook, idempotence, e-mails in the
user's language), the firm's and the buyer's pages (object-level access), bad input, the CLI."""
from __future__ import annotations

from datetime import date
from html import unescape

import pytest
from sqlmodel import select

from accounts.models import OutboxMessage
from audit.models import AuditEntry
from procurement import matching_services as ms
from procurement import publication
from procurement import tender_queries as q
from procurement.bid_models import Bid
from procurement.matching_models import MatchNotificationPreference, TenderMatch
from procurement.models import Lot, Tender
from registry.models import Accreditation, Activity, ActivityArea, Enterprise, EnterpriseMember
from tests.conftest import csrf_token, login
from tests.tender_builders import PASSWORD, XSS, build_tender, make_authority, make_user

EN = {"Accept-Language": "en"}


def add_enterprise(session, name, *, cpv="77310000", nuts3="BE352", service="services", members=(),
                   eligible=False, status="validated"):
    firm = Enterprise(legal_name=name, status=status, municipality="Namur", nuts3="BE352",
                      staff_total=10, staff_disadvantaged=8 if eligible else 1)
    session.add(firm)
    session.flush()
    activity = Activity(enterprise_id=firm.id, service_type=service, cpv_codes=[cpv],
                        coverage_kind="nuts3", coverage_areas=[nuts3])
    session.add(activity)
    session.flush()
    session.add(ActivityArea(activity_id=activity.id, enterprise_id=firm.id, nuts3=nuts3))
    session.add(Accreditation(enterprise_id=firm.id, type_code="sheltered_workshop", number="ETA-1",
                              valid_from=date(2020, 1, 1), valid_until=date(2099, 1, 1)))
    for user in members:
        session.add(EnterpriseMember(enterprise_id=firm.id, user_id=user.id))
    session.commit()
    return firm


@pytest.fixture
def world(app, session):
    mine = make_authority(session)
    other = make_authority(session, "Commune d'Ailleurs", nuts3="BE100", municipality="Ailleurs")
    people = {
        "buyer": make_user(session, "buyer@t.example", "buyer", mine),
        "other_buyer": make_user(session, "other@t.example", "buyer", other),
        "auditor": make_user(session, "auditor@t.example", "auditor", audits=mine),
        "stranger_auditor": make_user(session, "auditor2@t.example", "auditor", audits=other),
        "admin": make_user(session, "admin@t.example", "admin"),
        "firm_a": make_user(session, "a@t.example", "firm"),
        "firm_b": make_user(session, "b@t.example", "firm"),
    }
    people["firm_b"].language = "nl"
    session.add(people["firm_b"])
    session.commit()
    firms = {
        "a": add_enterprise(session, f"Jardins A {XSS}", members=[people["firm_a"]]),
        "b": add_enterprise(session, "Groen B", members=[people["firm_b"]]),
        "far": add_enterprise(session, "Loin asbl", nuts3="BE211"),
        "cleaning": add_enterprise(session, "Nettoyage asbl", cpv="90910000"),
        "pending": add_enterprise(session, "Pas encore", status="pending"),
    }
    return people, firms


def publish(app, session, buyer, reference="T-2026-001"):
    tender = build_tender(session, buyer, app.config, reference)
    with app.app_context():
        advised = q.procedure_advice_for(session, tender, app.config).procedure
        publication.publish(session, buyer, tender, procedure=advised, settings=app.config)
    session.expire_all()
    return session.exec(select(Tender).where(Tender.reference == reference)).one()


def as_user(client, user):
    assert login(client, user.email, PASSWORD).status_code == 302
    return client


def matched_names(session, tender):
    return sorted(session.get(Enterprise, m.enterprise_id).legal_name for m in ms.tender_matches(session, tender))


# --- service --------------------------------------------------------------------------------------

def test_publication_creates_the_matches_with_reasons(app, session, world):
    people, firms = world
    tender = publish(app, session, people["buyer"])
    assert tender.status == "published"
    assert matched_names(session, tender) == ["Groen B", f"Jardins A {XSS}"]
    match = session.exec(select(TenderMatch).where(TenderMatch.enterprise_id == firms["a"].id)).one()
    assert [r["code"] for r in match.reasons[0]["reasons"]] == ["cpv_same", "service_type", "covers_nuts3"]
    assert match.viewed_at is None and match.interest is None and match.notified_at is None
    assert session.exec(select(AuditEntry).where(AuditEntry.action == "tender.matched")).one()


def test_publication_without_any_match_still_publishes(app, session, world):
    people, _ = world
    for enterprise in session.exec(select(Enterprise)).all():
        enterprise.status = "suspended"
        session.add(enterprise)
    session.commit()
    tender = publish(app, session, people["buyer"])
    assert tender.status == "published" and ms.tender_matches(session, tender) == []


def test_matching_failure_does_not_undo_the_publication(app, session, world, monkeypatch):
    people, _ = world

    def broken(*args, **kwargs):
        raise RuntimeError("matching is down")

    monkeypatch.setattr(ms, "compute_matches", broken)
    tender = publish(app, session, people["buyer"])
    assert tender.status == "published" and session.exec(select(TenderMatch)).all() == []


def test_recomputing_is_idempotent_and_opted_in_users_get_one_mail_in_their_language(app, session, world):
    people, firms = world
    session.add(MatchNotificationPreference(user_id=people["firm_b"].id, email=True))
    session.commit()
    tender = publish(app, session, people["buyer"])
    mails = session.exec(select(OutboxMessage).where(OutboxMessage.kind == "tender_match")).all()
    assert [m.to_address for m in mails] == ["b@t.example"]  # firm A did not opt in
    assert "Onderhoud van groene ruimten" in mails[0].subject  # firm B reads Dutch
    assert "Groen B" in mails[0].body and "77310000" in mails[0].body
    rows_before = [(m.id, m.matched_at) for m in ms.tender_matches(session, tender)]
    audits = len(session.exec(select(AuditEntry)).all())
    with app.app_context():
        ms.compute_matches(session, tender, settings=app.config)
        ms.compute_matches(session, tender, settings=app.config)
    assert [(m.id, m.matched_at) for m in ms.tender_matches(session, tender)] == rows_before
    assert len(session.exec(select(OutboxMessage)).all()) == 1
    assert len(session.exec(select(AuditEntry)).all()) == audits  # nothing changed, nothing logged


def test_english_user_mail_and_new_match_on_recompute(app, session, world):
    people, firms = world
    tender = publish(app, session, people["buyer"])
    people["firm_a"].language = "en"
    session.add(people["firm_a"])
    session.add(MatchNotificationPreference(user_id=people["firm_a"].id, email=True))
    late = add_enterprise(session, "Nouveau venu", members=[people["firm_a"]])
    with app.app_context():
        ms.compute_matches(session, tender, settings=app.config)
    mails = session.exec(select(OutboxMessage)).all()
    assert len(mails) == 1 and mails[0].to_address == "a@t.example"
    assert "Green-space maintenance" in mails[0].subject
    # Both of A's enterprises were not yet notified: one mail names both.
    assert "Nouveau venu" in mails[0].body and "Jardins A" in mails[0].body
    assert session.exec(select(TenderMatch).where(TenderMatch.enterprise_id == late.id)).one().notified_at


def test_reserved_lot_matches_only_eligible_firms(app, session, world):
    people, firms = world
    eligible = add_enterprise(session, "ETA Eligible", eligible=True)
    tender = build_tender(session, people["buyer"], app.config)
    lot = session.exec(select(Lot).where(Lot.tender_id == tender.id)).one()
    lot.reservation = "art20"
    tender.status = "published"
    session.add_all([lot, tender])
    session.commit()
    with app.app_context():
        ms.compute_matches(session, tender, settings=app.config)
    assert matched_names(session, tender) == ["ETA Eligible"]
    match = ms.tender_matches(session, tender)[0]
    assert match.reserved_for_you and match.reasons[0]["reasons"][-1]["code"] == "reserved_art20"
    # Firm A (1 disadvantaged worker in 10) never sees the reserved tender in its list.
    assert ms.for_you(session, people["firm_a"]) == []


def test_drafts_are_not_matched(app, session, world):
    from registry.validation import ValidationError

    people, _ = world
    tender = build_tender(session, people["buyer"], app.config)
    with app.app_context(), pytest.raises(ValidationError) as caught:
        ms.compute_matches(session, tender, settings=app.config)
    assert caught.value.field == "status" and session.exec(select(TenderMatch)).all() == []


# --- firm's pages ---------------------------------------------------------------------------------

def test_tenders_for_you_lists_reasons_and_records_views(app, client, session, world):
    people, firms = world
    tender = publish(app, session, people["buyer"])
    as_user(client, people["firm_a"])
    raw = client.get("/tenders/for-you", headers=EN).get_data(as_text=True)
    assert "Jardins A &lt;script&gt;" in raw and XSS not in raw
    html = unescape(raw)
    assert "Tenders for you" in html and tender.reference in html
    assert "CPV 77310000 is one of your activities" in html and "Arr. Namur" in html
    assert "Groen B" not in html  # firm B's match is not A's business
    response = client.get(f"/tenders/for-you/{tender.reference}/view")
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/tenders/{tender.reference}")
    session.expire_all()
    assert session.exec(select(TenderMatch).where(TenderMatch.enterprise_id == firms["a"].id)).one().viewed_at
    assert session.exec(select(TenderMatch).where(TenderMatch.enterprise_id == firms["b"].id)).one().viewed_at is None
    assert client.get("/tenders/for-you/NOPE/view").status_code == 404


def test_interest_marks_need_a_reason_for_not_interested_and_stay_private(app, client, session, world):
    people, firms = world
    publish(app, session, people["buyer"])
    match_a = session.exec(select(TenderMatch).where(TenderMatch.enterprise_id == firms["a"].id)).one()
    match_b = session.exec(select(TenderMatch).where(TenderMatch.enterprise_id == firms["b"].id)).one()
    as_user(client, people["firm_a"])
    url = f"/tenders/for-you/matches/{match_a.id}/interest"
    token = csrf_token(client, "/tenders/for-you")
    bad = client.post(url, headers=EN, data={"csrf_token": token, "interest": "not_interested", "reason": "  "})
    assert bad.status_code == 400
    assert "Say why you are not interested" in unescape(bad.get_data(as_text=True))
    session.expire_all()
    assert session.get(TenderMatch, match_a.id).interest is None
    assert client.post(url, data={"interest": "interested"}).status_code == 400  # no CSRF token
    assert client.post(url, data={"csrf_token": token, "interest": "maybe"}).status_code == 400
    ok = client.post(url, data={"csrf_token": token, "interest": "not_interested",
                                "reason": f"Trop loin {XSS}"})
    assert ok.status_code == 302
    session.expire_all()
    row = session.get(TenderMatch, match_a.id)
    assert (row.interest, row.interest_reason) == ("not_interested", f"Trop loin {XSS}")
    assert row.viewed_at is not None and row.interest_by == people["firm_a"].id
    # Firm A cannot answer for firm B's match (404, nothing changes).
    other = client.post(f"/tenders/for-you/matches/{match_b.id}/interest",
                        data={"csrf_token": token, "interest": "interested"})
    assert other.status_code == 404
    session.expire_all()
    assert session.get(TenderMatch, match_b.id).interest is None
    client.post("/logout", data={"csrf_token": csrf_token(client, "/tenders/for-you")})
    as_user(client, people["firm_b"])
    client.get("/language/en?next=/")  # firm B's account prefers Dutch; read the page in English
    html = unescape(client.get("/tenders/for-you", headers=EN).get_data(as_text=True))
    assert "Trop loin" not in html and "You have not answered yet." in html


def test_notification_preference_toggle(app, client, session, world):
    people, _ = world
    as_user(client, people["firm_a"])
    token = csrf_token(client, "/tenders/for-you")
    assert client.post("/tenders/for-you/notifications", data={"email": "on"}).status_code == 400
    assert client.post("/tenders/for-you/notifications", data={"csrf_token": token, "email": "on"}).status_code == 302
    assert session.get(MatchNotificationPreference, people["firm_a"].id).email is True
    assert client.post("/tenders/for-you/notifications", data={"csrf_token": token}).status_code == 302
    session.expire_all()
    assert session.get(MatchNotificationPreference, people["firm_a"].id).email is False


# --- buyer's page ---------------------------------------------------------------------------------

def test_buyer_sees_matched_firms_and_funnel_others_do_not(app, client, session, world):
    people, firms = world
    tender = publish(app, session, people["buyer"])
    match_a = session.exec(select(TenderMatch).where(TenderMatch.enterprise_id == firms["a"].id)).one()
    ms.set_interest(session, people["firm_a"], match_a, "not_interested", "Pas de personnel disponible")
    lot = session.exec(select(Lot).where(Lot.tender_id == tender.id)).one()
    session.add(Bid(tender_id=tender.id, lot_id=lot.id, enterprise_id=firms["b"].id))
    session.commit()
    funnel = ms.funnel(session, tender)
    assert (funnel.matched, funnel.viewed, funnel.interested, funnel.not_interested, funnel.bid) == (2, 1, 0, 1, 1)
    url = f"/tenders/{tender.reference}/matches"
    for who in ("buyer", "auditor", "admin"):
        client = as_user(app.test_client(), people[who])
        raw = client.get(url, headers=EN).get_data(as_text=True)
        assert "Jardins A &lt;script&gt;" in raw and XSS not in raw, who
        html = unescape(raw)
        assert "Pas de personnel disponible" in html and "Groen B" in html
    for who in ("other_buyer", "stranger_auditor", "firm_a"):
        client = as_user(app.test_client(), people[who])
        response = client.get(url, headers=EN)
        assert response.status_code in (403, 404), who
        assert "Pas de personnel" not in response.get_data(as_text=True)


# --- CLI ------------------------------------------------------------------------------------------

def test_tender_match_cli(app, runner, session, world):
    people, _ = world
    tender = publish(app, session, people["buyer"])
    result = runner.invoke(args=["tender", "match", tender.reference, "--no-notify"])
    assert result.exit_code == 0, result.output
    assert "2 enterprise(s) matched" in result.output and "CPV 77310000 is one of your activities" in result.output
    draft = build_tender(session, people["buyer"], app.config, "T-DRAFT")
    refused = runner.invoke(args=["tender", "match", draft.reference])
    assert refused.exit_code != 0 and "Only published tenders" in refused.output
    assert runner.invoke(args=["tender", "match", "NOPE"]).exit_code != 0


# --- demo -----------------------------------------------------------------------------------------

def test_demo_firm_sees_the_demo_tender_and_buyer_sees_the_funnel(demo, client, session):
    assert login(client, "firm@demo.example").status_code == 302
    html = unescape(client.get("/tenders/for-you", headers=EN).get_data(as_text=True))
    assert "DEMO-2026-001" in html and "Les Jardins de Valmeuse" in html
    assert "CPV 77310000 is one of your activities" in html and "you cover the municipality Valmeuse" in html
    assert "You said: interested" in html
    client.post("/logout", data={"csrf_token": csrf_token(client, "/tenders/for-you")})
    assert login(client, "buyer@demo.example").status_code == 302
    tender = session.exec(select(Tender).where(Tender.reference == "DEMO-2026-001")).one()
    funnel = ms.funnel(session, tender)
    assert funnel.matched >= 3 and funnel.viewed >= 2 and funnel.interested >= 1 and funnel.not_interested >= 1
    assert funnel.bid >= 1  # matched enterprises that bid on the demo tender
    html = unescape(client.get("/tenders/DEMO-2026-001/matches", headers=EN).get_data(as_text=True))
    assert "Funnel" in html and "Eligible for the reserved lot" in html and "Pas de capacité disponible" in html
    detail = unescape(client.get("/tenders/DEMO-2026-001", headers=EN).get_data(as_text=True))
    assert "Matched enterprises and interest funnel" in detail
    # Loading the demo again adds nothing.
    from demo import matching as demo_matching

    with demo.app_context():
        from common.db import get_session

        assert "0 answers added" in demo_matching.load(get_session())
