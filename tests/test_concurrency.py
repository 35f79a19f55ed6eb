"""Concurrency (issue 9): 50 firms bidding in the last second before the deadline from parallel
clients, and two evaluators saving the same rating at once. The parallel tests need PostgreSQL
(real concurrent transactions); on SQLite they are skipped. The stale-form conflict is also
checked sequentially on both databases."""
from __future__ import annotations

import re
import threading
from datetime import timedelta

import pytest
from sqlmodel import func, select

from accounts.models import User
from audit.log import verify_chain
from audit.models import AuditEntry
from procurement import bids as bid_service
from procurement.bid_models import Bid, BidVersion, Evaluation, Rating
from procurement.models import Tender
from registry.models import Enterprise, EnterpriseMember
from tests.bid_helpers import (  # noqa: F401 - fixtures
    BIDS, REF, bid_ids, login_user, lot_url, open_bids, pass_deadline, submit_all, token, world,
)

ON_TIME, LATE = 50, 10
BASED_ON_RE = re.compile(r'name="based_on" value="(\d+)"')


def _needs_postgres(db_url):
    if not db_url.startswith("postgresql"):
        pytest.skip("parallel transactions are tested on PostgreSQL only")


def _add_firms(session, count: int) -> list[tuple[User, Enterprise]]:
    firms = []
    for i in range(count):
        user = User(email=f"rush{i}@t.example", name=f"rush{i}", role="firm", password_hash=f"test-hash-rush{i}")
        enterprise = Enterprise(legal_name=f"Rush {i} asbl", status="validated")
        session.add_all([user, enterprise])
        session.flush()
        session.add(EnterpriseMember(enterprise_id=enterprise.id, user_id=user.id))
        firms.append((user, enterprise))
    session.commit()
    return firms


@pytest.mark.postgres
def test_fifty_bids_in_the_last_second_none_after_the_deadline(app, world, session, db_url, monkeypatch):
    _needs_postgres(db_url)
    firms = _add_firms(session, ON_TIME + LATE)
    deadline = bid_service.as_utc(session.get(Tender, world.tender_id).bid_deadline)
    # The bids service's clock, per thread: firm i submits at its own instant.
    local = threading.local()
    monkeypatch.setattr(bid_service, "clock", lambda: getattr(local, "now", deadline - timedelta(seconds=5)))
    barrier = threading.Barrier(ON_TIME + LATE)
    results: dict[int, tuple[int, str]] = {}

    def bidder(i: int) -> None:
        user, enterprise = firms[i]
        client = app.test_client()
        login_user(client, user)
        csrf = token(client)
        barrier.wait()
        # 50 in the last second (deadline - 1 s ... deadline - 20 ms), then 10 just after it.
        local.now = (deadline - timedelta(milliseconds=1000 - 20 * i) if i < ON_TIME
                     else deadline + timedelta(milliseconds=1 + 50 * (i - ON_TIME)))
        response = client.post(f"/tenders/{REF}/lots/1/bid", data={
            "csrf_token": csrf, "enterprise": str(enterprise.id), "price": f"{90000 + i}", "value_hours": "800",
            "declaration": "y"})
        results[i] = (response.status_code, response.headers.get("Location", ""))

    threads = [threading.Thread(target=bidder, args=(i,)) for i in range(ON_TIME + LATE)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert len(results) == ON_TIME + LATE
    on_time = [results[i] for i in range(ON_TIME)]
    late = [results[i] for i in range(ON_TIME, ON_TIME + LATE)]
    assert all(status == 302 and "/my-bids/" in loc for status, loc in on_time), on_time
    assert all(status == 409 for status, _loc in late), late

    session.expire_all()
    for i, (user, enterprise) in enumerate(firms):
        bids = session.exec(select(Bid).where(Bid.enterprise_id == enterprise.id)).all()
        if i >= ON_TIME:
            assert bids == [], f"late firm {i} has a bid"
            continue
        [bid] = bids  # stored exactly once
        [version] = session.exec(select(BidVersion).where(BidVersion.bid_id == bid.id)).all()
        assert bid.current_version == 1 and version.sha256 == bid.current_sha256
        assert bid_service.as_utc(version.submitted_at) <= deadline
        assert results[i][1].endswith(f"/my-bids/{bid.id}")
        # The receipt page answers with the stored hash.
        client = app.test_client()
        login_user(client, user)
        assert bid.current_sha256 in client.get(f"/my-bids/{bid.id}").get_data(as_text=True)
    submitted = session.exec(select(func.count()).select_from(AuditEntry)
                             .where(AuditEntry.action == "bid.submitted")).one()
    assert submitted == ON_TIME
    assert verify_chain(session).ok


def _opened_world(client, world, session):
    submit_all(client, world)
    pass_deadline(session, world)
    assert open_bids(client, world).status_code == 302


def _second_evaluator(session, world) -> User:
    buyer = world.users["buyer"]
    other = User(email="evaluator2@t.example", name="evaluator2", role="buyer", authority_id=buyer.authority_id,
                 password_hash="test-hash-evaluator2", language="en")
    session.add(other)
    session.commit()
    return other


def _rating_form(client, world):
    html = client.get(lot_url(world, "evaluation")).get_data(as_text=True)
    return token(client, lot_url(world, "evaluation")), html


def _ratings(session, bid_id):
    session.expire_all()
    return session.exec(select(Rating).where(Rating.bid_id == bid_id, Rating.criterion_code == "plan")
                        .order_by(Rating.id)).all()


def test_a_stale_rating_form_is_a_conflict_not_a_lost_update(app, client, world, session):
    _opened_world(client, world, session)
    bid_id = bid_ids(session, world)[0]
    login_user(client, world.users["buyer"])
    csrf, html = _rating_form(client, world)
    seen = BASED_ON_RE.findall(html)[0]
    assert seen == "0"
    data = {"csrf_token": csrf, "bid_id": bid_id, "criterion": "plan", "justification": "Solid plan."}
    assert client.post(lot_url(world, "ratings"), data=data | {"value": "7", "based_on": seen}).status_code == 302
    # A second evaluator's page loaded before that save still says "0": refused, nothing written.
    response = client.post(lot_url(world, "ratings"), data=data | {"value": "3", "based_on": seen})
    assert response.status_code == 409
    assert "Another evaluator changed this rating" in response.get_data(as_text=True)
    assert [r.value for r in _ratings(session, bid_id)] == [7]
    # With the current version the change goes through.
    latest = _ratings(session, bid_id)[-1].id
    assert client.post(lot_url(world, "ratings"),
                       data=data | {"value": "3", "based_on": str(latest)}).status_code == 302
    assert [float(r.value) for r in _ratings(session, bid_id)] == [7, 3]


@pytest.mark.postgres
def test_two_evaluators_saving_at_once_get_one_conflict(app, client, world, session, db_url, monkeypatch):
    _needs_postgres(db_url)
    from procurement import evaluation as evaluation_service

    _opened_world(client, world, session)
    second = _second_evaluator(session, world)
    bid_id = bid_ids(session, world)[0]
    # Widen the race window: each save pauses after reading the current rating, before committing.
    real_log = evaluation_service._log
    import time

    monkeypatch.setattr(evaluation_service, "_log", lambda *a, **k: (time.sleep(0.4), real_log(*a, **k))[1])
    barrier = threading.Barrier(2)
    statuses = {}

    def evaluator(name, user, value):
        c = app.test_client()
        login_user(c, user)
        csrf, html = _rating_form(c, world)
        seen = BASED_ON_RE.findall(html)[0]
        barrier.wait()
        response = c.post(lot_url(world, "ratings"), data={
            "csrf_token": csrf, "bid_id": bid_id, "criterion": "plan", "value": value,
            "justification": f"{name}'s view", "based_on": seen})
        statuses[name] = (response.status_code, response.get_data(as_text=True))

    threads = [threading.Thread(target=evaluator, args=("one", world.users["buyer"], "8")),
               threading.Thread(target=evaluator, args=("two", second, "4"))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    codes = sorted(s for s, _ in statuses.values())
    assert codes == [302, 409], codes
    loser = next(body for s, body in statuses.values() if s == 409)
    assert "Another evaluator changed this rating" in loser
    assert len(_ratings(session, bid_id)) == 1
    assert session.get(Evaluation, _ratings(session, bid_id)[0].evaluation_id) is not None
