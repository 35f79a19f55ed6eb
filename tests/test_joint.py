"""Joint procurement (issue 10): pure rules, invitations and shares with their bad input, the group's
estimated value in the procedure advice, who reads a joint tender, the documents, and the
participants' contracts after the award."""
from __future__ import annotations

import importlib
import re
import random
import zipfile
from decimal import Decimal
from io import BytesIO

import pytest
from docx import Document
from pypdf import PdfReader
from sqlmodel import func, select

from accounts.models import OutboxMessage
from audit.models import AuditEntry
from procurement import joint_rules as rules
from procurement import joint_services as joint
from procurement import tender_queries as q
from procurement.joint_models import JointParticipation, JointShare
from registry.validation import ValidationError
from tests.conftest import csrf_token, login
from tests.tender_builders import PASSWORD, XSS, build_tender, make_authority, make_user

EN = {"Accept-Language": "en"}


# --- pure rules -------------------------------------------------------------------------------

def test_parse_pct_accepts_0_to_100_and_refuses_the_rest():
    assert rules.parse_pct("25") == Decimal(25) and rules.parse_pct("12,5 %") == Decimal("12.5")
    assert rules.parse_pct("") == 0
    for bad, code in (("abc", "not_a_number"), ("-1", "range"), ("100.01", "range"), ("1.005", "range"),
                      ("NaN", "range")):
        with pytest.raises(rules.ShareError) as exc:
            rules.parse_pct(bad)
        assert exc.value.code == code, bad


def test_lots_over_100_names_the_lot_and_its_total():
    shares = [(1, Decimal(60)), (1, Decimal("40.01")), (2, Decimal(50)), (2, Decimal(50))]
    assert rules.lots_over_100(shares) == {1: Decimal("100.01")}
    assert rules.lot_totals(shares)[2] == Decimal(100)


def test_group_estimate_counts_the_whole_group():
    group = rules.group_estimate("Commune", "200000", [("CPAS", Decimal("50000")), ("Other", None)])
    assert group.total == Decimal(250000) and group.joint
    assert [(r.name, r.lead) for r in group.rows] == [("Commune", True), ("CPAS", False), ("Other", False)]
    assert not rules.group_estimate("Commune", 10, []).joint


def test_split_award_adds_up_to_the_award_and_the_lead_keeps_the_rest():
    parts = rules.split_award("92000.00", "950", [(7, "25"), (8, "33.33")])
    assert [(p.key, p.amount, p.hours) for p in parts] == [
        (None, Decimal("38336.40"), Decimal(397)), (7, Decimal("23000.00"), Decimal(237)),
        (8, Decimal("30663.60"), Decimal(316))]
    assert parts[0].share_pct == Decimal("41.67")
    rng = random.Random(10)
    for _ in range(200):
        amount = Decimal(rng.randint(1, 10**8)) / 100
        hours = Decimal(rng.randint(0, 5000))
        shares = [(i, Decimal(rng.randint(0, 3000)) / 100) for i in range(rng.randint(1, 3))]
        parts = rules.split_award(amount, hours, shares)
        assert sum(p.amount for p in parts) == amount and sum(p.hours for p in parts) == hours
        assert all(p.amount >= 0 and p.hours >= 0 for p in parts)
    with pytest.raises(rules.ShareError):
        rules.split_award(100, 10, [(1, 60), (2, 41)])


# --- services ---------------------------------------------------------------------------------

@pytest.fixture
def w(app, session):
    """A lead commune with a draft, a CPAS (participant), a third authority, and their people."""
    lead_auth = make_authority(session, "Commune de Testville")
    cpas_auth = make_authority(session, f"CPAS de Testville {XSS}", kind="cpas")
    third_auth = make_authority(session, "Commune d'Ailleurs")
    world = {
        "lead_auth": lead_auth, "cpas_auth": cpas_auth, "third_auth": third_auth,
        "lead": make_user(session, "lead@test.example", "buyer", lead_auth),
        "cpas": make_user(session, "cpas@test.example", "buyer", cpas_auth),
        "third": make_user(session, "third@test.example", "buyer", third_auth),
        "lead_auditor": make_user(session, "audit-lead@test.example", "auditor", audits=lead_auth),
        "cpas_auditor": make_user(session, "audit-cpas@test.example", "auditor", audits=cpas_auth),
        "firm": make_user(session, "firm@test.example", "firm"),
    }
    with app.app_context():
        world["tender"] = build_tender(session, world["lead"], app.config, estimated_value="200000")
    return world


def _count(session, model):
    return session.exec(select(func.count()).select_from(model)).one()


def _accept(app, session, w, share="40", value="50000"):
    with app.app_context():
        p = joint.invite(session, w["lead"], w["tender"], "cpas@test.example")
        joint.decide(session, w["cpas"], p, accept=True)
        joint.save_shares(session, w["cpas"], w["tender"], p,
                          {1: {"share_pct": share, "estimated_value": value, "quantity": f"meals {XSS}"}})
    return p


def test_invitation_is_mailed_audited_and_accepted(app, session, w):
    with app.app_context():
        p = joint.invite(session, w["lead"], w["tender"], " CPAS@test.example ")
    assert p.status == "invited" and p.authority_id == w["cpas_auth"].id
    mail = session.exec(select(OutboxMessage).where(OutboxMessage.kind == "joint_invitation")).one()
    assert mail.to_address == "cpas@test.example" and w["cpas_auth"].name in mail.subject
    assert w["tender"].reference in mail.body
    with app.app_context():
        joint.decide(session, w["cpas"], p, accept=True)
        with pytest.raises(ValidationError) as exc:
            joint.decide(session, w["cpas"], p, accept=False)
    assert exc.value.field == "decision"
    actions = [e.action for e in session.exec(select(AuditEntry).where(AuditEntry.action.like("joint.%"))
                                               .order_by(AuditEntry.id))]
    assert actions == ["joint.invited", "joint.accepted"]


@pytest.mark.parametrize("email,why", [
    ("lead@test.example", "lead authority itself"),
    ("nobody@test.example", "No active buyer"),
    ("firm@test.example", "No active buyer"),
    ("", "e-mail address"),
])
def test_bad_invitations_store_nothing(app, session, w, email, why):
    with app.app_context(), app.test_request_context(headers=EN):
        with pytest.raises(ValidationError) as exc:
            joint.invite(session, w["lead"], w["tender"], email)
        assert exc.value.field == "email" and why in str(exc.value.errors["email"])
    session.rollback()
    assert _count(session, JointParticipation) == 0 and _count(session, OutboxMessage) == 0


def test_inviting_the_same_authority_twice_is_refused(app, session, w):
    make_user(session, "cpas-other@test.example", "buyer", w["cpas_auth"])
    with app.app_context():
        joint.invite(session, w["lead"], w["tender"], "cpas@test.example")
        with app.test_request_context(headers=EN):
            with pytest.raises(ValidationError) as exc:
                joint.invite(session, w["lead"], w["tender"], "cpas-other@test.example")  # same authority
            assert "already been invited" in str(exc.value.errors["email"])
    session.rollback()
    assert _count(session, JointParticipation) == 1 and _count(session, OutboxMessage) == 1
    with pytest.raises(PermissionError):  # only the lead's buyers invite
        joint.invite(session, w["cpas"], w["tender"], "third@test.example")


def test_shares_over_100_in_total_are_refused_and_nothing_changes(app, session, w):
    p = _accept(app, session, w, share="70")
    make_user(session, "third2@test.example", "buyer", w["third_auth"])
    with app.app_context():
        other = joint.invite(session, w["lead"], w["tender"], "third@test.example")
        joint.decide(session, w["third"], other, accept=True)
        with app.test_request_context(headers=EN):
            with pytest.raises(ValidationError) as exc:
                joint.save_shares(session, w["lead"], w["tender"], other, {1: {"share_pct": "30.5"}})
            assert "100.5" in str(exc.value.errors["lot-1-share_pct"])
            with pytest.raises(ValidationError) as exc:
                joint.save_shares(session, w["third"], w["tender"], other,
                                  {1: {"share_pct": "abc", "estimated_value": "-3"}})
            assert set(exc.value.errors) == {"lot-1-share_pct", "lot-1-estimated_value"}
    session.rollback()
    assert [s.share_pct for s in session.exec(select(JointShare))] == [Decimal("70.00")]
    with app.app_context():
        joint.save_shares(session, w["lead"], w["tender"], other, {1: {"share_pct": "30"}})  # exactly 100
        with pytest.raises(PermissionError):  # a participant never states another's shares
            joint.save_shares(session, w["third"], w["tender"], p, {1: {"share_pct": "10"}})
    assert sorted(s.share_pct for s in session.exec(select(JointShare))) == [Decimal(30), Decimal(70)]


def test_procedure_advice_uses_the_group_total(app, session, w):
    tender = w["tender"]
    alone = q.procedure_advice_for(session, tender, app.config)
    assert alone.value == Decimal(200000) and alone.procedure != "open_eu"
    _accept(app, session, w, value="50000")  # 250,000 EUR for the group: above the 216,000 EU threshold
    advice = q.procedure_advice_for(session, tender, app.config)
    assert advice.value == Decimal(250000) and advice.publication == "eu"
    group = joint.group_estimate(session, tender)
    assert [(r.name, r.value) for r in group.rows] == [("Commune de Testville", Decimal(200000)),
                                                        (w["cpas_auth"].name, Decimal(50000))]


def test_documents_name_the_participants_and_their_shares(app, session, w, tmp_path):
    from procurement.documents import get_document

    _accept(app, session, w, share="40", value="50000")
    with app.app_context():
        docs = {fmt: get_document(session, w["tender"], "en", fmt, settings=app.config, cache=None).content
                for fmt in ("html", "pdf", "docx")}
    html = docs["html"].decode()
    assert "Joint procurement" in html and "CPAS de Testville &lt;script&gt;" in html and "<script>alert" not in html
    pdf = " ".join(page.extract_text() for page in PdfReader(BytesIO(docs["pdf"])).pages)
    pdf = re.sub(r"\s+", " ", pdf)
    assert f"CPAS de Testville {XSS}" in pdf and "40" in pdf and "250,000.00" in pdf
    document = Document(BytesIO(docs["docx"]))
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    assert f"CPAS de Testville {XSS}" in cells and f"meals {XSS}" in cells
    xml = zipfile.ZipFile(BytesIO(docs["docx"])).read("word/document.xml").decode()
    assert "<script>" not in xml


# --- pages per role ---------------------------------------------------------------------------

def _as(app, email):
    client = app.test_client()
    response = login(client, email, PASSWORD)
    assert response.status_code == 302
    return client


def test_who_reads_a_joint_draft(app, session, w):
    ref = w["tender"].reference
    make_user(session, "declined@test.example", "buyer", w["third_auth"])
    with app.app_context():
        joint.decide(session, w["third"], joint.invite(session, w["lead"], w["tender"], "third@test.example"),
                     accept=False)
        pending_auth = make_authority(session, "CPAS en attente")
        make_user(session, "pending@test.example", "buyer", pending_auth)
        joint.invite(session, w["lead"], w["tender"], "pending@test.example")
    _accept(app, session, w)
    other = make_authority(session, "Commune tierce")
    make_user(session, "stranger@test.example", "buyer", other)
    expected = {
        "lead@test.example": (200, 200, 200), "audit-lead@test.example": (200, 200, 403),
        "cpas@test.example": (200, 200, 403), "audit-cpas@test.example": (200, 200, 403),
        "pending@test.example": (404, 404, 403), "declined@test.example": (404, 404, 403),
        "stranger@test.example": (404, 404, 403), "firm@test.example": (404, 404, 403),
    }
    for email, (detail, document, edit) in expected.items():
        client = _as(app, email)
        got = (client.get(f"/tenders/{ref}", headers=EN).status_code,
               client.get(f"/tenders/{ref}/document/en").status_code,
               client.get(f"/tenders/{ref}/edit").status_code)
        assert got[:2] == (detail, document), email
        assert got[2] in ((edit,) if edit != 403 else (403, 404)), email
        listed = ref in client.get("/tenders").get_data(as_text=True)
        assert listed == (detail == 200), email
        assert client.get(f"/tenders/{ref}/joint").status_code == (detail if detail != 200 else 200), email


def test_participant_page_shares_and_limits(app, session, w):
    ref = w["tender"].reference
    p = _accept(app, session, w)
    cpas = _as(app, "cpas@test.example")
    page = cpas.get(f"/tenders/{ref}/joint", headers=EN).get_data(as_text=True)
    assert "Shares of CPAS de Testville &lt;script&gt;" in page and "Invite another authority" not in page
    assert "250,000.00" in page  # the group's value with its breakdown
    token = csrf_token(cpas, f"/tenders/{ref}/joint")
    # the participant cannot invite, edit the tender or open its bids
    assert cpas.post(f"/tenders/{ref}/joint/invite", data={"csrf_token": token,
                                                           "email": "third@test.example"}).status_code == 403
    assert cpas.post(f"/tenders/{ref}/lots", data={"csrf_token": token}).status_code == 403
    assert cpas.post(f"/tenders/{ref}/open", data={"csrf_token": token}).status_code == 403
    # over 100 %: 400 with the message, nothing stored
    bad = cpas.post(f"/tenders/{ref}/joint/{p.id}/shares", headers=EN,
                    data={"csrf_token": token, "lot-1-share_pct": "101", "lot-1-estimated_value": "1"})
    assert bad.status_code == 400 and "between 0 and 100" in bad.get_data(as_text=True)
    session.expire_all()
    assert [s.share_pct for s in session.exec(select(JointShare))] == [Decimal(40)]
    ok = cpas.post(f"/tenders/{ref}/joint/{p.id}/shares",
                   data={"csrf_token": token, "lot-1-share_pct": "35", "lot-1-estimated_value": "40000",
                         "lot-1-quantity": "25 %"})
    assert ok.status_code == 302
    session.expire_all()
    assert [s.share_pct for s in session.exec(select(JointShare))] == [Decimal(35)]
    # a third authority's buyer cannot post shares
    third = _as(app, "third@test.example")
    t_token = csrf_token(third, "/joint-invitations")
    assert third.post(f"/tenders/{ref}/joint/{p.id}/shares",
                      data={"csrf_token": t_token, "lot-1-share_pct": "1"}).status_code == 404


def test_lead_invites_from_the_page_and_the_invitee_answers(app, session, w):
    ref = w["tender"].reference
    lead = _as(app, "lead@test.example")
    token = csrf_token(lead, f"/tenders/{ref}/joint")
    assert lead.post(f"/tenders/{ref}/joint/invite", data={"csrf_token": token, "email": "cpas@test.example"}
                     ).status_code == 302
    twice = lead.post(f"/tenders/{ref}/joint/invite", headers=EN,
                      data={"csrf_token": token, "email": "cpas@test.example"})
    assert twice.status_code == 400 and "already been invited" in twice.get_data(as_text=True)
    assert _count(session, JointParticipation) == 1
    cpas = _as(app, "cpas@test.example")
    page = cpas.get("/joint-invitations", headers=EN).get_data(as_text=True)
    assert ref in page and "Accept" in page
    assert cpas.get(f"/tenders/{ref}").status_code == 404  # not before accepting
    participation = session.exec(select(JointParticipation)).one()
    token = csrf_token(cpas, "/joint-invitations")
    third = _as(app, "third@test.example")
    assert third.post(f"/joint-invitations/{participation.id}/decision",
                      data={"csrf_token": csrf_token(third, "/joint-invitations"), "decision": "accept"}
                      ).status_code == 404
    assert cpas.post(f"/joint-invitations/{participation.id}/decision",
                     data={"csrf_token": token, "decision": "accept"}).status_code == 302
    assert cpas.get(f"/tenders/{ref}").status_code == 200
    assert _as(app, "firm@test.example").get("/joint-invitations").status_code == 403


# --- contracts after the award ----------------------------------------------------------------

def test_award_gives_each_participant_its_own_contract(app, session):
    """The demo's DEMO-2026-001 lot 1 is awarded by the bids loader; before that the CPAS accepted
    25 % of lot 1: the award creates the lead's contract as before plus the CPAS's share."""
    from accounts.models import Authority
    from common.db import get_session
    from demo import LOADERS
    from demo.accounts import CPAS
    from procurement.impact_services import contract_facts
    from procurement.models import Lot
    from procurement.monitoring_models import Contract

    with app.app_context():
        db = get_session()
        for spec in LOADERS[:LOADERS.index("demo.bids:load")]:
            module, name = spec.split(":")
            getattr(importlib.import_module(module), name)(db)
            db.commit()
    cpas = session.exec(select(Authority).where(Authority.name == CPAS)).one()
    buyer2 = make_user(session, "cpas-buyer@test.example", "buyer", cpas)
    tender = q.find_tender(session, "DEMO-2026-001")
    lot = session.exec(select(Lot).where(Lot.tender_id == tender.id, Lot.number == 1)).one()
    p = JointParticipation(tender_id=tender.id, authority_id=cpas.id, status="accepted")
    session.add(p)
    session.commit()
    session.add(JointShare(participation_id=p.id, lot_id=lot.id, share_pct=Decimal(25)))
    session.commit()
    with app.app_context():
        db = get_session()
        importlib.import_module("demo.bids").load(db)
        db.commit()
    contracts = {c.authority_id: c for c in session.exec(select(Contract).where(Contract.lot_id == lot.id))}
    lead, share = contracts[tender.authority_id], contracts[cpas.id]
    assert lead.initial_amount == Decimal("92000.00") and lead.committed_hours == Decimal(950)  # as before
    assert (share.initial_amount, share.committed_hours, share.share_pct) == (Decimal("23000.00"), Decimal(237),
                                                                              Decimal(25))
    assert share.parent_contract_id == lead.id and share.enterprise_id == lead.enterprise_id
    facts = {f.authority: f for f in contract_facts(session)}
    assert facts[cpas.name].amount == Decimal(23000) and facts[cpas.name].committed_hours == Decimal(237)
    lead_name = session.get(Authority, tender.authority_id).name
    assert facts[lead_name].amount == Decimal(69000) and facts[lead_name].committed_hours == Decimal(713)
    # the CPAS reads the results and its own contract, not the lead's contract, and cannot evaluate
    client = _as(app, "cpas-buyer@test.example")
    assert client.get("/tenders/DEMO-2026-001/lots/1/results").status_code == 200
    assert client.get(f"/contracts/{share.id}").status_code == 200
    assert client.get(f"/contracts/{lead.id}").status_code in (403, 404)
    token = csrf_token(client, "/joint-invitations")
    assert client.post("/tenders/DEMO-2026-001/lots/1/finalise", data={"csrf_token": token}).status_code == 403
    stranger = make_user(session, "stranger@test.example", "buyer", make_authority(session, "Ailleurs"))
    assert stranger and _as(app, "stranger@test.example").get("/tenders/DEMO-2026-001/lots/1/results"
                                                               ).status_code == 403
    assert buyer2.id
    # idempotent: the award path run again creates nothing more
    from procurement.bid_models import Evaluation
    from procurement.monitoring import create_contracts_for_award

    with app.app_context():
        create_contracts_for_award(session, tender, lot, session.get(Evaluation, lead.evaluation_id), None)
    assert len(list(session.exec(select(Contract).where(Contract.lot_id == lot.id)))) == 2


def test_demo_joint_tender_is_loaded_once(demo, session):
    from demo import joint as demo_joint

    tender = q.find_tender(session, "DEMO-2026-003")
    p = session.exec(select(JointParticipation).where(JointParticipation.tender_id == tender.id)).one()
    assert p.status == "accepted" and p.invited_email == "buyer2@demo.example"
    assert [s.share_pct for s in session.exec(select(JointShare))] == [Decimal(40)]
    assert joint.group_estimate(session, tender).total == Decimal(430000)
    with demo.app_context():
        from common.db import get_session

        assert "already present" in demo_joint.load(get_session())
    assert _count(session, JointParticipation) == 1
    client = _as_demo(demo, "buyer2@demo.example")
    assert client.get("/tenders/DEMO-2026-003").status_code == 200
    assert "DEMO-2026-003" in client.get("/joint-invitations").get_data(as_text=True)


def _as_demo(app, email):
    client = app.test_client()
    assert login(client, email).status_code == 302
    return client
