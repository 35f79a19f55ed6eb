"""Builders for the bid, opening, evaluation and report tests: a small world of an authority, its
buyer, an auditor, an admin, five firms with their enterprises and a published tender, and helpers
that drive the real forms (with CSRF) and move the clock past the deadline."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal
from io import BytesIO

import pytest
from sqlmodel import select

from accounts.models import Authority, AuditorAssignment, User
from common.timeutil import utcnow
from procurement.models import AwardCriterion, Lot, Tender
from registry.models import Enterprise, EnterpriseMember

REF = "T-2026-BIDS"
# (price, insertion hours, plan rating): B2 wins; B3 is about 32 % below the mean price.
BIDS = [("100000", "800", "7"), ("92000", "950", "8"), ("70000", "300", "4"), ("150000", "1100", "9"),
        ("105000", "850", "6")]
SECRET_PRICES = ["100000", "92000", "70000", "150000", "105000", "100,000", "92,000", "150,000"]
CSRF_RE = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def tiny_pdf(text: str = "plan") -> bytes:
    return b"%PDF-1.4\n% " + text.encode() + b"\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@dataclass
class World:
    tender_id: int
    lot_id: int
    users: dict[str, User]
    enterprises: list[Enterprise] = field(default_factory=list)
    ref: str = REF


def _user(session, email, role, **fields) -> User:
    user = User(email=email, name=email.split("@")[0], role=role, password_hash=f"test-hash-{email}", **fields)
    session.add(user)
    session.flush()
    return user


def build_world(session, lots: int = 1) -> World:
    authority = Authority(name="Commune de Test", kind="commune")
    other = Authority(name="Autre commune", kind="commune")
    session.add_all([authority, other])
    session.flush()
    users = {
        "buyer": _user(session, "buyer@t.example", "buyer", authority_id=authority.id, language="en"),
        "other_buyer": _user(session, "other@t.example", "buyer", authority_id=other.id),
        "auditor": _user(session, "auditor@t.example", "auditor"),
        "admin": _user(session, "admin@t.example", "admin"),
    }
    session.add(AuditorAssignment(user_id=users["auditor"].id, authority_id=authority.id))
    enterprises = []
    for i in range(1, 6):
        users[f"firm{i}"] = _user(session, f"firm{i}@t.example", "firm")
        enterprise = Enterprise(legal_name=f"Insertion {i} <b>asbl</b>", status="validated")
        session.add(enterprise)
        session.flush()
        session.add(EnterpriseMember(enterprise_id=enterprise.id, user_id=users[f"firm{i}"].id))
        enterprises.append(enterprise)
    now = utcnow()
    tender = Tender(reference=REF, authority_id=authority.id, status="published", title_en="Park maintenance",
                    title_fr="Entretien des parcs", bid_deadline=now + timedelta(days=1),
                    opening_at=now + timedelta(days=1, hours=1), published_at=now)
    session.add(tender)
    session.flush()
    lot_ids = []
    for number in range(1, lots + 1):
        lot = Lot(tender_id=tender.id, number=number, title_en=f"Lot {number}")
        session.add(lot)
        session.flush()
        lot_ids.append(lot.id)
        session.add_all([
            AwardCriterion(lot_id=lot.id, code="price", kind="price", position=1, label_en="price",
                           weight=Decimal(40), formula="proportional"),
            AwardCriterion(lot_id=lot.id, code="hours", kind="quantity", position=2, label_en="insertion hours",
                           weight=Decimal(35), better="higher", unit="hours"),
            AwardCriterion(lot_id=lot.id, code="plan", kind="rating", position=3, label_en="insertion plan",
                           weight=Decimal(25), scale=10),
        ])
    session.commit()
    return World(tender.id, lot_ids[0], users, enterprises)


@pytest.fixture
def world(app, session):
    return build_world(session)


def login_user(client, user: User):
    with client.session_transaction() as s:
        s.clear()
        s["user_id"] = user.id
        s["pw"] = user.password_hash[-16:]
        s["lang"] = "en"
    return client


def token(client, url: str = "/") -> str:
    match = CSRF_RE.search(client.get(url).get_data(as_text=True))
    assert match, f"no CSRF token on {url}"
    return match.group(1)


def submit(client, world: World, firm: int, price: str, hours: str, *, lot: int = 1, plan: bytes | None = None,
           declaration: bool = True):
    """Post the bid form as firm number ``firm``."""
    login_user(client, world.users[f"firm{firm}"])
    data = {"csrf_token": token(client), "enterprise": str(world.enterprises[firm - 1].id), "price": price,
            "value_hours": hours}
    if declaration:
        data["declaration"] = "y"
    if plan is not None:
        data["insertion_plan"] = (BytesIO(plan), "plan.pdf")
    return client.post(f"/tenders/{world.ref}/lots/{lot}/bid", data=data, content_type="multipart/form-data")


def submit_all(client, world: World):
    for i, (price, hours, _plan) in enumerate(BIDS, start=1):
        response = submit(client, world, i, price, hours, plan=tiny_pdf(f"plan {i}"))
        assert response.status_code == 302, response.get_data(as_text=True)[:2000]


def pass_deadline(session, world: World):
    """Move the tender's deadline and opening time into the past (the clock moves on)."""
    tender = session.get(Tender, world.tender_id)
    tender.bid_deadline = utcnow() - timedelta(hours=2)
    tender.opening_at = utcnow() - timedelta(hours=1)
    session.add(tender)
    session.commit()


def open_bids(client, world: World):
    login_user(client, world.users["buyer"])
    return client.post(f"/tenders/{world.ref}/open", data={"csrf_token": token(client), "confirm": "yes",
                                                          "confirmed": "yes"})


def bid_ids(session, world: World) -> list[int]:
    from procurement.bid_models import Bid

    return [b.id for b in session.exec(select(Bid).where(Bid.lot_id == world.lot_id).order_by(Bid.id))]


def lot_url(world: World, tail: str, lot: int = 1) -> str:
    return f"/tenders/{world.ref}/lots/{lot}/{tail}"


def rate_all(client, world: World, session, justification: str = "Clear plan with weekly coaching."):
    login_user(client, world.users["buyer"])
    csrf = token(client)
    for bid_id, (_p, _h, plan) in zip(bid_ids(session, world), BIDS):
        response = client.post(lot_url(world, "ratings"), data={
            "csrf_token": csrf, "bid_id": bid_id, "criterion": "plan", "value": plan,
            "justification": justification})
        assert response.status_code == 302, response.get_data(as_text=True)[:3000]


def accept_justification(client, world: World, session, code_index: int = 2):
    login_user(client, world.users["buyer"])
    csrf = token(client)
    bid_id = bid_ids(session, world)[code_index]
    assert client.post(lot_url(world, "price-justification/request"), data={
        "csrf_token": csrf, "bid_id": bid_id, "request_text": "Explain the hourly wage used."}).status_code == 302
    assert client.post(lot_url(world, "price-justification/decision"), data={
        "csrf_token": csrf, "bid_id": bid_id, "answer_text": "Subsidised insertion jobs (art. 60 §7).",
        "decision": "accepted", "decision_reason": "Wages are lawful; the subsidy explains the price."}
    ).status_code == 302


def finalise(client, world: World, reasons: str = "Best price-quality ratio."):
    login_user(client, world.users["buyer"])
    return client.post(lot_url(world, "finalise"), data={"csrf_token": token(client), "reasons": reasons,
                                                         "confirm": "y"})


def finalised_world(client, world: World, session):
    submit_all(client, world)
    pass_deadline(session, world)
    assert open_bids(client, world).status_code == 302
    rate_all(client, world, session)
    accept_justification(client, world, session)
    response = finalise(client, world)
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]
    return world
