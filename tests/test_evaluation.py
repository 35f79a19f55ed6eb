"""Opening, evaluation workflow, results page and finalisation."""
import json
from io import BytesIO

import pytest
from pypdf import PdfReader
from sqlmodel import select

from audit.models import AuditEntry
from procurement.bid_models import ConformityDecision, Evaluation, Opening, Rating
from procurement.models import Tender
from procurement.scoring import score_json
from tests.bid_helpers import (  # noqa: F401 - fixtures
    REF, accept_justification, bid_ids, finalise, finalised_world, login_user, lot_url, open_bids, pass_deadline,
    rate_all, submit_all, token, world,
)


@pytest.fixture
def opened(client, world, session):
    submit_all(client, world)
    pass_deadline(session, world)
    assert open_bids(client, world).status_code == 302
    return world


def test_opening_is_recorded_with_hashes_and_gives_a_pdf_record(client, opened, session):
    opening = session.exec(select(Opening)).one()
    assert [e["code"] for e in opening.bids] == ["B1", "B2", "B3", "B4", "B5"]
    assert all(len(e["sha256"]) == 64 for e in opening.bids)
    assert session.get(Tender, opened.tender_id).status == "opened"
    assert session.exec(select(AuditEntry).where(AuditEntry.action == "bids.opened")).one()
    login_user(client, opened.users["buyer"])
    with client.session_transaction() as s:
        s["lang"] = "fr"
    response = client.get(f"/tenders/{REF}/opening-record.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    reader = PdfReader(BytesIO(response.data))
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert opening.bids[0]["sha256"] in text.replace("\n", "")
    assert "Insertion1<b>asbl</b>" in "".join(text.split())  # typed text shown as text
    assert "150\u202f000,00" in text  # French, as Babel writes it: narrow no-break space (issue 8)
    assert reader.trailer["/Root"]["/Lang"] == "fr"
    # A second opening is refused.
    assert open_bids(client, opened).status_code == 409
    assert len(session.exec(select(Opening)).all()) == 1


def test_ratings_require_a_justification_and_keep_their_history(client, opened, session):
    login_user(client, opened.users["buyer"])
    bid_id = bid_ids(session, opened)[0]
    url = lot_url(opened, "ratings")
    response = client.post(url, data={"csrf_token": token(client), "bid_id": bid_id, "criterion": "plan",
                                      "value": "7", "justification": "   "})
    assert response.status_code == 400
    assert "A written justification is required" in response.get_data(as_text=True)
    assert session.exec(select(Rating)).first() is None
    response = client.post(url, data={"csrf_token": token(client), "bid_id": bid_id, "criterion": "plan",
                                      "value": "11", "justification": "Too high"})
    assert response.status_code == 400 and session.exec(select(Rating)).first() is None
    for value in ("6", "7.5"):
        assert client.post(url, data={"csrf_token": token(client), "bid_id": bid_id, "criterion": "plan",
                                      "value": value, "justification": f"Reason {value}"}).status_code == 302
    rows = session.exec(select(Rating).order_by(Rating.id)).all()
    assert [str(r.value) for r in rows] == ["6.00", "7.50"]
    actions = [e.action for e in session.exec(select(AuditEntry).order_by(AuditEntry.id))]
    assert actions[-2:] == ["rating.entered", "rating.changed"]


def test_exclusion_needs_a_reason_and_removes_the_bid_from_the_ranking(client, opened, session):
    login_user(client, opened.users["buyer"])
    bid_id = bid_ids(session, opened)[3]  # B4
    url = lot_url(opened, "conformity")
    assert client.post(url, data={"csrf_token": token(client), "bid_id": bid_id, "conforming": "no",
                                  "reason": ""}).status_code == 400
    assert client.post(url, data={"csrf_token": token(client), "bid_id": bid_id, "conforming": "no",
                                  "reason": "No signed declaration of subcontractors."}).status_code == 302
    assert session.exec(select(ConformityDecision)).one().conforming is False
    result = client.get(lot_url(opened, "results.json")).get_json()["result"]
    assert "B4" not in [b["id"] for b in result["bids"]]
    assert "No signed declaration" in client.get(lot_url(opened, "results")).get_data(as_text=True)


def test_flagged_price_blocks_finalisation_until_a_reasoned_decision(client, opened, session):
    rate_all(client, opened, session)
    login_user(client, opened.users["buyer"])
    data = client.get(lot_url(opened, "results.json")).get_json()
    assert [b["id"] for b in data["result"]["bids"] if b["abnormally_low"]] == ["B3"]
    response = finalise(client, opened)
    assert response.status_code == 400 and "abnormal price" in response.get_data(as_text=True)
    assert session.exec(select(Evaluation)).one().status == "open"
    # The flagged bid is still ranked: flagging is never a rejection.
    assert "B3" in [b["id"] for b in data["result"]["bids"]]
    accept_justification(client, opened, session)
    assert finalise(client, opened).status_code == 302


def test_web_evaluation_uses_the_same_engine(client, opened, session):
    rate_all(client, opened, session)
    login_user(client, opened.users["auditor"])
    data = client.get(lot_url(opened, "results.json")).get_json()
    assert data["input"]["format"] == "procure-scoring/1"
    assert score_json(data["input"]) == data["result"]
    assert data["result"]["winner"] == "B2"


def test_results_page_shows_ranking_chart_and_stability_sentence(client, opened, session):
    rate_all(client, opened, session)
    login_user(client, opened.users["auditor"])
    html = client.get(lot_url(opened, "results")).get_data(as_text=True)
    assert "B2 stays first as long as the price weight stays between 29.18\u00a0% and 68.14\u00a0%" in html
    assert "On price alone, B3 would have won" in html
    assert "<svg" in html and 'role="img"' in html and "<title" in html
    assert html.index(">B2<") < html.index(">B4<") < html.index(">B1<")


def test_finalise_needs_confirmation_then_locks(client, opened, session):
    rate_all(client, opened, session)
    accept_justification(client, opened, session)
    login_user(client, opened.users["buyer"])
    response = client.post(lot_url(opened, "finalise"), data={"csrf_token": token(client), "reasons": "Best."})
    assert response.status_code == 400 and session.exec(select(Evaluation)).one().status == "open"
    assert finalise(client, opened).status_code == 302
    evaluation = session.exec(select(Evaluation)).one()
    assert evaluation.status == "finalised" and len(evaluation.input_hash) == 64
    assert json.loads(evaluation.result_json)["winner"] == "B2"
    assert session.get(Tender, opened.tender_id).status == "awarded"
    bid_id = bid_ids(session, opened)[0]
    csrf = token(client)
    for tail, data in [("ratings", {"bid_id": bid_id, "criterion": "plan", "value": "1", "justification": "x"}),
                       ("conformity", {"bid_id": bid_id, "conforming": "no", "reason": "x"}),
                       ("price-justification/request", {"bid_id": bid_id, "request_text": "x"}),
                       ("finalise", {"reasons": "again", "confirm": "y"})]:
        response = client.post(lot_url(opened, tail), data={"csrf_token": csrf, **data})
        assert response.status_code == 409, tail
        assert "finalised" in response.get_data(as_text=True)
    assert session.exec(select(Rating).where(Rating.value == 1)).first() is None


def test_correction_is_a_new_recorded_version(client, world, session):
    finalised_world(client, world, session)
    login_user(client, world.users["buyer"])
    url = lot_url(world, "new-version")
    assert client.post(url, data={"csrf_token": token(client), "reason": ""}).status_code == 400
    assert client.post(url, data={"csrf_token": token(client),
                                  "reason": "Rating of B1 mistyped."}).status_code == 302
    versions = session.exec(select(Evaluation).order_by(Evaluation.version)).all()
    assert [(v.version, v.status) for v in versions] == [(1, "finalised"), (2, "open")]
    assert versions[1].supersedes_id == versions[0].id
    assert len(session.exec(select(Rating).where(Rating.evaluation_id == versions[1].id)).all()) == 5
    assert session.exec(select(AuditEntry).where(AuditEntry.action == "evaluation.reopened")).one()
    # The report still comes from the finalised version 1.
    login_user(client, world.users["auditor"])
    assert client.get(lot_url(world, "report.pdf")).status_code == 200


def test_auditor_and_admin_cannot_change_anything(client, world, session):
    submit_all(client, world)
    pass_deadline(session, world)
    bid_id = bid_ids(session, world)[0]
    posts = [(f"/tenders/{REF}/open", {"confirmed": "yes"}),
             (lot_url(world, "ratings"), {"bid_id": bid_id, "criterion": "plan", "value": "5", "justification": "x"}),
             (lot_url(world, "conformity"), {"bid_id": bid_id, "conforming": "no", "reason": "x"}),
             (lot_url(world, "price-justification/request"), {"bid_id": bid_id, "request_text": "x"}),
             (lot_url(world, "price-justification/decision"), {"bid_id": bid_id, "answer_text": "x",
                                                              "decision": "accepted", "decision_reason": "x"}),
             (lot_url(world, "finalise"), {"reasons": "x", "confirm": "y"}),
             (lot_url(world, "new-version"), {"reason": "x"})]
    for role in ("auditor", "admin", "other_buyer"):
        login_user(client, world.users[role])
        csrf = token(client)
        for url, data in posts:
            assert client.post(url, data={"csrf_token": csrf, **data}).status_code == 403, (role, url)
    assert session.exec(select(Opening)).first() is None


def test_justification_with_a_script_is_escaped_in_page_and_pdf(client, world, session):
    payload = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    submit_all(client, world)
    pass_deadline(session, world)
    open_bids(client, world)
    rate_all(client, world, session, justification=payload)
    accept_justification(client, world, session)
    assert finalise(client, world, reasons=payload).status_code == 302
    login_user(client, world.users["auditor"])
    for tail in ("evaluation", "results"):
        html = client.get(lot_url(world, tail)).get_data(as_text=True)
        assert "<script>alert" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in client.get(lot_url(world, "evaluation")).get_data(
        as_text=True)
    pdf = client.get(lot_url(world, "report.pdf")).data
    text = "\n".join(p.extract_text() for p in PdfReader(BytesIO(pdf)).pages)
    assert '<script>alert("x")</script>' in text  # printed as text, never interpreted


def test_buyer_reads_documents_after_the_opening(client, opened, session):
    from procurement.bid_models import BidDocument

    doc = session.exec(select(BidDocument).order_by(BidDocument.id)).first()
    login_user(client, opened.users["auditor"])
    response = client.get(f"/bids/{doc.bid_id}/documents/{doc.id}")
    assert response.status_code == 200 and response.data.startswith(b"%PDF-")
    response.close()
    login_user(client, opened.users["firm2"])
    assert client.get(f"/bids/{doc.bid_id}/documents/{doc.id}").status_code == 403
