"""Sealed until opening: no page, export, JSON, report, audit entry or error message shows a bid's
content (price, values, documents) before the opening, to the buyer, auditor, admin or another firm."""
import pytest
from sqlmodel import select

from audit.models import AuditEntry
from procurement.bid_models import Bid, BidDocument
from procurement.models import Tender
from tests.bid_helpers import (  # noqa: F401 - fixtures
    REF, login_user, lot_url, open_bids, pass_deadline, submit, token, world,
)

PRICE, HOURS = "123457.89", "4321"
SECRETS = ["123457", "123,457", "123 457", "123\u00a0457", "4321", "4,321", "SECRET-PLAN-MARKER", "secret-plan-name"]
PLAN = b"%PDF-1.4\n% SECRET-PLAN-MARKER\n%%EOF\n"


def _secret_bid(client, world):
    from io import BytesIO

    login_user(client, world.users["firm1"])
    response = client.post(f"/tenders/{REF}/lots/1/bid", content_type="multipart/form-data", data={
        "csrf_token": token(client), "enterprise": str(world.enterprises[0].id), "price": PRICE,
        "value_hours": HOURS, "declaration": "y", "insertion_plan": (BytesIO(PLAN), "secret-plan-name.pdf")})
    assert response.status_code == 302
    # Two more bids so that counts are visible.
    submit(client, world, 2, "90000", "700")
    submit(client, world, 3, "95000", "750")


def _urls(session, world):
    bid = session.exec(select(Bid).order_by(Bid.id)).first()
    doc = session.exec(select(BidDocument)).first()
    return [f"/tenders/{REF}/bids", f"/tenders/{REF}/bids.json", f"/tenders/{REF}/audit.csv",
            f"/tenders/{REF}/opening-record.pdf", lot_url(world, "evaluation"), lot_url(world, "results"),
            lot_url(world, "results.json"), lot_url(world, "report.pdf"), f"/bids/{bid.id}/documents/{doc.id}",
            f"/my-bids/{bid.id}", "/my-bids"]


def _assert_nothing_leaks(client, urls, who):
    for url in urls:
        response = client.get(url, follow_redirects=True)
        body = response.get_data(as_text=False).decode("utf-8", "replace")
        for secret in SECRETS:
            assert secret not in body, f"{who} sees {secret!r} on {url} ({response.status_code})"
        response.close()


@pytest.mark.parametrize("viewer", ["buyer", "auditor", "admin", "firm2", "other_buyer"])
def test_nobody_reads_a_bid_before_the_opening(client, world, session, viewer):
    _secret_bid(client, world)
    urls = _urls(session, world)
    login_user(client, world.users[viewer])
    _assert_nothing_leaks(client, urls, viewer)
    # Even after the opening time has passed, until the opening is recorded.
    pass_deadline(session, world)
    login_user(client, world.users[viewer])
    _assert_nothing_leaks(client, urls, viewer)


def test_the_buyer_sees_only_the_count_before_the_opening(client, world, session):
    _secret_bid(client, world)
    login_user(client, world.users["buyer"])
    page = client.get(f"/tenders/{REF}/bids").get_data(as_text=True)
    assert '<td class="num">3</td>' in page
    data = client.get(f"/tenders/{REF}/bids.json").get_json()
    assert data["lots"] == [{"number": 1, "bids": 3}] and data["opened"] is False
    assert client.get(lot_url(world, "results.json")).status_code == 409
    # The CSV masks who bid.
    csv_text = client.get(f"/tenders/{REF}/audit.csv").get_data(as_text=True)
    assert "firm1@t.example" not in csv_text and "(sealed until the opening)" in csv_text


def test_the_bidding_firm_reads_its_own_bid_and_document(client, world, session):
    _secret_bid(client, world)
    bid = session.exec(select(Bid).order_by(Bid.id)).first()
    doc = session.exec(select(BidDocument)).first()
    login_user(client, world.users["firm1"])
    assert "123,457.89" in client.get(f"/my-bids/{bid.id}").get_data(as_text=True)
    response = client.get(f"/bids/{bid.id}/documents/{doc.id}")
    assert response.data == PLAN
    response.close()


def test_service_layer_refuses_content_before_opening(app, client, world, session):
    from procurement.bids import BidSealed, bid_content

    _secret_bid(client, world)
    bid = session.exec(select(Bid).order_by(Bid.id)).first()
    with app.test_request_context():
        for viewer in ("buyer", "auditor", "admin", "firm2", "other_buyer"):
            with pytest.raises(BidSealed) as info:
                bid_content(session, bid, world.users[viewer])
            assert not any(s in str(info.value) for s in SECRETS)
        assert str(bid_content(session, bid, world.users["firm1"]).price) == PRICE
    pass_deadline(session, world)
    assert open_bids(client, world).status_code == 302
    session.expire_all()
    with app.test_request_context():
        for viewer in ("buyer", "auditor", "admin"):
            assert str(bid_content(session, bid, world.users[viewer]).price) == PRICE
        for viewer in ("firm2", "other_buyer"):
            with pytest.raises(BidSealed):
                bid_content(session, bid, world.users[viewer])


def test_audit_entries_of_bids_hold_no_content(client, world, session):
    _secret_bid(client, world)
    submit(client, world, 1, "123458.00", "4322")  # replacement
    pass_deadline(session, world)
    open_bids(client, world)
    for entry in session.exec(select(AuditEntry)).all():
        for secret in SECRETS + ["123458", "4322"]:
            assert secret not in entry.details, (entry.action, entry.details)


def test_opening_before_the_opening_time_is_refused(client, world, session):
    from procurement.bid_models import Opening

    _secret_bid(client, world)
    response = open_bids(client, world)
    assert response.status_code == 409
    assert session.exec(select(Opening)).first() is None
    assert session.get(Tender, world.tender_id).status == "published"


@pytest.mark.parametrize("who", ["auditor", "admin", "other_buyer", "firm1"])
def test_only_the_authoritys_buyer_opens(client, world, session, who):
    from procurement.bid_models import Opening

    _secret_bid(client, world)
    pass_deadline(session, world)
    login_user(client, world.users[who])
    response = client.post(f"/tenders/{REF}/open", data={"csrf_token": token(client), "confirmed": "yes"})
    assert response.status_code == 403
    assert session.exec(select(Opening)).first() is None
