"""The demo data gives a new user an opened tender and a finalised lot with a real report."""
from sqlmodel import select

from procurement.bid_models import Bid, Evaluation
from procurement.report_verify import verify_report


def test_demo_bids_are_opened_and_lot_1_is_finalised(demo, session, login_as, client):
    from procurement.models import Lot, Tender

    tender = session.exec(select(Tender).where(Tender.reference == "DEMO-2026-001")).one()
    lots = {lot.number: lot for lot in session.exec(select(Lot).where(Lot.tender_id == tender.id))}
    assert len(session.exec(select(Bid).where(Bid.lot_id == lots[1].id)).all()) == 5
    assert len(session.exec(select(Bid).where(Bid.lot_id == lots[2].id)).all()) == 2
    evaluation = session.exec(select(Evaluation).where(Evaluation.lot_id == lots[1].id)).one()
    assert evaluation.status == "finalised" and evaluation.award_reasons
    result = evaluation.result_json
    assert '"abnormally_low": true' in result
    login_as("auditor@demo.example")
    response = client.get("/tenders/DEMO-2026-001/lots/1/report.pdf")
    assert response.status_code == 200
    assert verify_report(response.data).ok
    assert "stays first" in client.get("/tenders/DEMO-2026-001/lots/1/results",
                                       headers={"Accept-Language": "en"}).get_data(as_text=True)


def test_demo_bids_loader_is_idempotent(demo, app):
    from common.db import get_session
    from demo.bids import load

    with app.app_context():
        assert load(get_session()) == "bids: already present"
