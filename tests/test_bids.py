"""Submitting, replacing and receipting sealed bids."""
import hashlib
import json
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

from sqlmodel import select

from audit.models import AuditEntry
from procurement.bid_models import Bid, BidDocument, BidVersion
from procurement.models import Tender
from tests.bid_helpers import (  # noqa: F401 - fixtures
    REF, login_user, pass_deadline, submit, tiny_pdf, token, world,
)


def test_submission_gives_a_receipt_whose_hash_can_be_recomputed(client, world, session, app):
    response = submit(client, world, 1, "98500.50", "800", plan=tiny_pdf("my plan"))
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    bid = session.exec(select(Bid)).one()
    version = session.exec(select(BidVersion)).one()
    assert f"Receipt of bid {bid.id}" in page
    assert "UTC" in page and ("CET" in page or "CEST" in page)  # server time in UTC and Brussels
    # Recompute the SHA-256 from the canonical form documented in docs/bids.md.
    canonical = {"format": "procure-bid/1", "tender": REF, "lot": 1, "enterprise": world.enterprises[0].id,
                 "price": "98500.50", "values": {"hours": "800"}, "declaration": True,
                 "documents": [{"kind": "insertion_plan", "sha256": hashlib.sha256(tiny_pdf("my plan")).hexdigest()}]}
    text = json.dumps(canonical, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    expected = hashlib.sha256(text.encode()).hexdigest()
    assert version.sha256 == expected == bid.current_sha256
    assert expected in page
    # The document is stored under UPLOAD_DIR with a random name, not the uploaded one.
    doc = session.exec(select(BidDocument)).one()
    assert doc.stored_name != "plan.pdf" and doc.stored_name.endswith(".pdf")
    assert (Path(app.config["UPLOAD_DIR"]) / "bids" / doc.stored_name).read_bytes() == tiny_pdf("my plan")
    # The audit entry names the bid, lot and hash, never the price or values.
    entry = session.exec(select(AuditEntry).where(AuditEntry.action == "bid.submitted")).one()
    assert entry.tender_ref == REF and expected in entry.details
    assert "98500" not in entry.details and "800" not in entry.details.replace(expected, "")


def test_replacement_keeps_earlier_versions_and_one_active_bid(client, world, session):
    assert submit(client, world, 1, "100000", "800", plan=tiny_pdf("v1")).status_code == 302
    assert submit(client, world, 1, "95000", "900").status_code == 302
    bids = session.exec(select(Bid)).all()
    assert len(bids) == 1 and bids[0].current_version == 2
    versions = session.exec(select(BidVersion).order_by(BidVersion.version)).all()
    assert [v.price for v in versions] == [Decimal("100000.00"), Decimal("95000.00")]
    # The plan of version 1 is carried over to version 2 (no new file sent).
    assert versions[1].documents == versions[0].documents
    assert session.exec(select(AuditEntry).where(AuditEntry.action == "bid.replaced")).one()
    page = client.get(f"/my-bids/{bids[0].id}").get_data(as_text=True)
    assert "version 1" in page and "version 2" in page


def test_bid_after_the_deadline_is_refused_with_a_clear_message(client, world, session):
    pass_deadline(session, world)
    response = submit(client, world, 1, "100000", "800")
    assert response.status_code == 409
    assert "The deadline for bids has passed" in response.get_data(as_text=True)
    assert session.exec(select(Bid)).first() is None


def test_service_refuses_a_bid_one_second_after_the_deadline(app, world, session):
    import pytest

    from procurement.bids import BidError, as_utc, submit_bid
    from procurement.models import Lot

    tender = session.get(Tender, world.tender_id)
    with app.test_request_context(headers={"Accept-Language": "en"}), pytest.raises(BidError, match="deadline"):
        submit_bid(session, tender=tender, lot=session.get(Lot, world.lot_id), enterprise_id=world.enterprises[0].id,
                   user=world.users["firm1"], price="1000", values={"hours": "1"}, declaration=True, uploads=[],
                   upload_dir="/tmp", max_bytes=1000, now=as_utc(tender.bid_deadline) + timedelta(seconds=1))


def test_bad_fields_are_named_and_nothing_is_written(client, world, session):
    html = submit(client, world, 1, "-5", "800").get_data(as_text=True)
    assert "Enter an amount greater than zero." in html
    html = submit(client, world, 1, "1000", "800", declaration=False).get_data(as_text=True)
    assert "Tick the declaration" in html
    html = submit(client, world, 1, "1000", "800", plan=b"MZ\x90\x00 not a pdf").get_data(as_text=True)
    assert "Only PDF files are accepted." in html
    assert session.exec(select(Bid)).first() is None
    assert session.exec(select(BidDocument)).first() is None


def test_a_firm_cannot_bid_for_an_enterprise_it_does_not_manage(client, world, session):
    login_user(client, world.users["firm1"])
    response = client.post(f"/tenders/{REF}/lots/1/bid", data={
        "csrf_token": token(client), "enterprise": str(world.enterprises[1].id), "price": "1000",
        "value_hours": "1", "declaration": "y"})
    assert response.status_code == 200 and session.exec(select(Bid)).first() is None


def test_oversized_document_is_refused(client, world, session, app):
    app.config["UPLOAD_MAX_FILE_BYTES"] = 100
    html = submit(client, world, 1, "1000", "800", plan=tiny_pdf("x" * 200)).get_data(as_text=True)
    assert "The file is larger than" in html
    assert session.exec(select(Bid)).first() is None


def test_my_bids_lists_own_bids_and_open_calls(client, world, session):
    submit(client, world, 1, "1000", "800")
    page = client.get("/my-bids").get_data(as_text=True)
    assert REF in page and "Bid on lot 1" in page
    login_user(client, world.users["firm2"])
    other = client.get("/my-bids").get_data(as_text=True)
    assert "Receipt" not in other
    bid = session.exec(select(Bid)).one()
    assert client.get(f"/my-bids/{bid.id}").status_code == 404


def test_a_draft_tender_is_not_shown_to_firms(client, world, session):
    tender = session.get(Tender, world.tender_id)
    tender.status = "draft"
    session.add(tender)
    session.commit()
    login_user(client, world.users["firm1"])
    assert client.get(f"/tenders/{REF}/lots/1/bid").status_code == 404
