"""/api/v1/tenders/<ref>/results and the sealed bids: nothing of a bid before the opening, the
ranking and points of a lot once its evaluation is finalised (read from the frozen result)."""
from __future__ import annotations

import json

from sqlmodel import select

from procurement.bid_models import Evaluation
from tests.bid_helpers import (  # noqa: F401 - fixtures
    REF, SECRET_PRICES, finalise, open_bids, pass_deadline, rate_all, accept_justification, submit_all, world,
)


def _text(client, url: str) -> tuple[int, str]:
    response = client.get(url)
    return response.status_code, response.get_data(as_text=True)


def test_no_bid_content_before_the_opening_and_results_after_finalisation(client, session, world):
    submit_all(client, world)
    api = client.application.test_client()  # no session cookie: what anyone gets
    for url in (f"/api/v1/tenders/{REF}", f"/api/v1/tenders/{REF}/results", f"/api/v1/tenders/{REF}/ocds",
                "/api/v1/tenders"):
        status, body = _text(api, url)
        assert status in (200, 409), (url, status, body[:300])
        for price in SECRET_PRICES:
            assert price not in body, (url, price)
    assert api.get(f"/api/v1/tenders/{REF}/results").status_code == 409
    pass_deadline(session, world)
    assert open_bids(client, world).status_code == 302
    assert api.get(f"/api/v1/tenders/{REF}/results").status_code == 409  # opened, not finalised
    rate_all(client, world, session)
    accept_justification(client, world, session)
    assert finalise(client, world).status_code == 302
    response = api.get(f"/api/v1/tenders/{REF}/results")
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    body = response.get_json()
    evaluation = session.exec(select(Evaluation).where(Evaluation.lot_id == world.lot_id)).one()
    stored = json.loads(evaluation.result_json)
    [lot] = body["lots"]
    assert lot["number"] == 1 and lot["winner"] == stored["winner"] and body["pending_lots"] == []
    assert [(r["bid"], r["rank"], r["total"]) for r in lot["ranking"]] == sorted(
        [(str(b["id"]), b["rank"], b["total"]) for b in stored["bids"]], key=lambda r: r[1])
    assert lot["ranking"][0]["rank"] == 1 and set(lot["ranking"][0]["points"]) == {"price", "hours", "plan"}
    assert "price" not in lot["ranking"][0] and "scores" not in lot["ranking"][0]
