"""Sealed bids, every path (issue 9): for a tender whose bids are submitted but not opened, every GET
route of the app (enumerated from ``app.url_map``, so later routes such as the API and the OCDS
export are tried too), searches, exports, documents, reports, the audit log export and the error
messages of POST actions are requested by every role, and the bid's distinctive content (its price,
its quantity value, its document's name and bytes) must appear in no response body - looked for in
the raw bytes, in the text of PDFs and in every member of DOCX/XLSX/ZIP files.

Bids stay sealed until the opening: royal decree of 18 April 2017, art. 14 §6 (UNVERIFIED for the
exact paragraph; see procurement/bids.py).
"""
from __future__ import annotations

import io
import zipfile
from io import BytesIO

import pytest
from sqlmodel import select
from werkzeug.routing import AnyConverter

from procurement.bid_models import Bid, BidDocument
from tests.bid_helpers import REF, login_user, pass_deadline, submit, token, world  # noqa: F401

PRICE, HOURS = "987613.47", "8642"
DOC_MARKER = "QX7-SEALED-CONTENT-MARKER"
DOC_NAME = "zz-sealed-plan-name"
SECRETS = ["987613", "987,613", "987.613", "987 613", "987\u00a0613", "8642", "8,642", "8\u00a0642",
           DOC_MARKER, DOC_NAME]
PLAN = b"%PDF-1.4\n% " + DOC_MARKER.encode() + b"\n%%EOF\n"
VIEWERS = ["anonymous", "firm2", "buyer", "other_buyer", "auditor", "admin"]

# How each URL argument is filled: a list of values to try (str: literal; callables get the ids).
STATIC_ARGS = {
    "ref": [REF], "reference": [REF], "number": ["1"], "lang": ["fr", "en"], "code": ["en"],
    "fmt": ["csv", "xlsx", "json", "pdf", "docx", "html"], "filename": ["css/app.css"], "token": ["x"],
    "job_id": ["x"], "user_id": ["1"], "contract_id": ["1"], "report_id": ["1"], "evidence_id": ["1"],
    "match_id": ["1"], "participation_id": ["1"], "accreditation_id": ["1"], "activity_id": ["1"],
    "reference_id": ["1"],
}
# Extra query strings on listing/search routes (the marker as a search term must find nothing).
# Prefixes of the markers, so that a page echoing the search term does not count as a leak.
QUERIES = ["", f"?q={DOC_MARKER[:10]}", "?q=98761", f"?q={DOC_NAME[:8]}", "?q=Insertion",
           "?cpv=45000000&q=Insertion"]


def _secret_bid(client, world):
    login_user(client, world.users["firm1"])
    response = client.post(f"/tenders/{REF}/lots/1/bid", content_type="multipart/form-data", data={
        "csrf_token": token(client), "enterprise": str(world.enterprises[0].id), "price": PRICE,
        "value_hours": HOURS, "declaration": "y", "insertion_plan": (BytesIO(PLAN), f"{DOC_NAME}.pdf")})
    assert response.status_code == 302, response.get_data(as_text=True)[:1000]
    submit(client, world, 2, "90000", "700")
    submit(client, world, 3, "95000", "750")


def _texts(body: bytes) -> list[str]:
    """The body as text, plus the text of every zip member and of a PDF's pages."""
    texts = [body.decode("utf-8", "replace")]
    if body[:2] == b"PK":
        with zipfile.ZipFile(io.BytesIO(body)) as archive:
            texts += [archive.read(name).decode("utf-8", "replace") for name in archive.namelist()]
    if body[:5] == b"%PDF-":
        from pypdf import PdfReader

        try:
            texts += [page.extract_text() or "" for page in PdfReader(io.BytesIO(body)).pages]
        except Exception:  # a stored upload that is not a full PDF: its raw bytes are checked above
            pass
    return texts


def _check(response, who, url, leaks):
    body = response.get_data()
    response.close()
    for text in _texts(body):
        for secret in SECRETS:
            if secret in text:
                leaks.append(f"{who} sees {secret!r} on {url} ({response.status_code})")


def get_urls(app, ids) -> tuple[list[str], list[str]]:
    """Every GET URL of the app with its arguments filled; and the rules that could not be filled."""
    values = dict(STATIC_ARGS) | {"bid_id": [str(ids["bid"])], "doc_id": [str(ids["doc"])],
                                  "enterprise_id": [str(ids["enterprise"])]}
    urls, unfilled = [], []
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint.startswith("test_"):
            continue
        missing = [a for a in rule.arguments if a not in values]
        if missing:
            unfilled.append(f"{rule.endpoint} {rule.rule}: no value for {missing}")
            continue
        combos = [{}]
        for arg in sorted(rule.arguments):
            converter = rule._converters[arg]
            options = list(converter.items) if isinstance(converter, AnyConverter) else values[arg]
            combos = [c | {arg: o} for c in combos for o in options]
        with app.test_request_context():
            from flask import url_for

            for combo in combos:
                try:
                    urls.append(url_for(rule.endpoint, **combo))
                except Exception:  # value refused by the converter (e.g. an int for a fmt)
                    continue
    extra = [u + q for u in ("/registry/", "/registry/search", "/registry/search/export.csv",
                             "/registry/directory.json", "/tenders") for q in QUERIES]
    return sorted(set(urls + extra)), unfilled


def _ids(session, world):
    bid = session.exec(select(Bid).where(Bid.enterprise_id == world.enterprises[0].id)).one()
    doc = session.exec(select(BidDocument).where(BidDocument.bid_id == bid.id)).one()
    return {"bid": bid.id, "doc": doc.id, "enterprise": world.enterprises[0].id}


def _as(client, world, who):
    if who == "anonymous":
        with client.session_transaction() as s:
            s.clear()
            s["lang"] = "en"
    else:
        login_user(client, world.users[who])


def test_every_get_route_is_filled(app, world, session, client):
    _secret_bid(client, world)
    _urls, unfilled = get_urls(app, _ids(session, world))
    assert not unfilled, ("routes whose URL arguments tests/test_sealed_everywhere.py cannot fill "
                          "(add the argument to STATIC_ARGS): " + "; ".join(unfilled))


@pytest.mark.parametrize("after_opening_time", [False, True], ids=["before-deadline", "opening-not-recorded"])
def test_no_get_route_shows_a_sealed_bid(app, world, session, client, after_opening_time):
    _secret_bid(client, world)
    ids = _ids(session, world)
    urls, _unfilled = get_urls(app, ids)
    assert f"/bids/{ids['bid']}/documents/{ids['doc']}" in urls and f"/tenders/{REF}/audit.csv" in urls
    if after_opening_time:
        pass_deadline(session, world)
    # The owner sees the content (so the markers are real and the check can fail).
    login_user(client, world.users["firm1"])
    own = client.get(f"/bids/{ids['bid']}/documents/{ids['doc']}")
    assert DOC_MARKER.encode() in own.get_data()
    own.close()
    assert "987" in client.get(f"/my-bids/{ids['bid']}").get_data(as_text=True)
    app.config["PROPAGATE_EXCEPTIONS"] = False  # a crash shows the 500 page, as in production
    leaks, crashes = [], []
    for who in VIEWERS:
        _as(client, world, who)
        for url in urls:
            response = client.get(url, follow_redirects=True)
            if response.status_code >= 500:
                crashes.append(f"{who} GET {url}: {response.status_code}")
            _check(response, who, url, leaks)
    assert not leaks, "\n".join(leaks)
    assert not crashes, "routes that crash (not a leak, but a defect):\n" + "\n".join(crashes)


def test_post_actions_and_their_error_messages_show_nothing(app, world, session, client):
    """Every POST route on the tender, by every role, naming the sealed bid: no answer (page,
    redirect target, flashed error) contains the bid's content."""
    _secret_bid(client, world)
    ids = _ids(session, world)
    urls = []
    for rule in app.url_map.iter_rules():
        if "POST" in rule.methods and set(rule.arguments) <= {"ref", "reference", "number"} and rule.arguments:
            urls.append(rule.rule.replace("<ref>", REF).replace("<reference>", REF)
                        .replace("<int:number>", "1"))
    assert f"/tenders/{REF}/lots/1/ratings" in urls
    app.config["PROPAGATE_EXCEPTIONS"] = False
    leaks = []
    for who in VIEWERS:
        _as(client, world, who)
        csrf = token(client, "/password/forgot")  # a form every role (even anonymous) gets
        for url in urls:
            data = {"csrf_token": csrf, "bid_id": str(ids["bid"]), "criterion": "plan", "value": "7",
                    "justification": "x", "confirm": "yes", "confirmed": "yes", "reasons": "x",
                    "request_text": "x", "decision": "accepted", "decision_reason": "x"}
            _check(client.post(url, data=data, follow_redirects=True), who, f"POST {url}", leaks)
    assert not leaks, "\n".join(leaks)
    # And the bid is still sealed: nothing was opened by these attempts.
    from procurement.bid_models import Opening

    session.expire_all()
    assert session.exec(select(Opening)).all() == []
