"""/health, request ids and the structured request log (issue 9)."""
from __future__ import annotations

import json
import logging

from common.requestlog import RequestIdFilter, sane_request_id
from tests.conftest import login


def test_health_reports_database_and_leaks_nothing(app, client):
    response = client.get("/health")
    assert response.status_code == 200
    assert response.is_json
    assert response.get_json() == {"status": "ok", "database": "reachable"}
    body = response.get_data(as_text=True)
    for secret in ("test-secret", app.config["DATABASE_URL"], "sqlite", "postgres"):
        assert secret not in body
    assert response.headers["Cache-Control"] == "no-store"


def test_health_says_when_the_database_is_down(app, client, monkeypatch):
    import common.health

    class Broken:
        def connect(self):
            raise RuntimeError("connection refused to db.internal:5432 password=hunter2")

    monkeypatch.setattr(common.health, "get_engine", lambda: Broken())
    response = client.get("/health")
    assert response.status_code == 503
    assert response.get_json() == {"status": "error", "database": "unreachable"}
    assert "hunter2" not in response.get_data(as_text=True)


def test_every_response_has_a_request_id(client):
    ids = set()
    for url in ("/", "/health", "/login", "/does-not-exist"):
        response = client.get(url)
        rid = response.headers.get("X-Request-ID")
        assert rid and len(rid) == 32, url
        ids.add(rid)
    assert len(ids) == 4  # a fresh id per request


def test_a_sane_incoming_request_id_is_kept_an_insane_one_replaced(client):
    assert client.get("/health", headers={"X-Request-ID": "lb-1234.abc_Z"}).headers["X-Request-ID"] == "lb-1234.abc_Z"
    for bad in ("x" * 65, "a b", "abc\u00e9", "<script>", "id;drop"):
        rid = client.get("/health", headers={"X-Request-ID": bad}).headers["X-Request-ID"]
        assert rid != bad and len(rid) == 32
    assert sane_request_id(None) != sane_request_id(None)


def _request_lines(caplog):
    return [json.loads(r.getMessage()) for r in caplog.records if r.name == "procure.request"]


def test_one_structured_line_per_request_with_id_and_user(client, demo, caplog):
    caplog.set_level(logging.INFO, logger="procure.request")
    logging.getLogger("procure.request").addHandler(caplog.handler)
    try:
        response = client.get("/health?email=secret@example.org", headers={"X-Request-ID": "trace-42"})
        login(client, "buyer@demo.example")
        client.get("/tenders")
    finally:
        logging.getLogger("procure.request").removeHandler(caplog.handler)
    lines = _request_lines(caplog)
    first = next(line for line in lines if line["request_id"] == "trace-42")
    assert first["method"] == "GET" and first["path"] == "/health" and first["status"] == 200
    assert first["user_id"] is None and isinstance(first["duration_ms"], float)
    assert "secret@example.org" not in json.dumps(lines)  # no query strings in the log
    tenders = [line for line in lines if line["path"] == "/tenders"][-1]
    assert tenders["status"] == 200 and isinstance(tenders["user_id"], int)
    assert response.headers["X-Request-ID"] == "trace-42"


def test_log_lines_of_the_app_carry_the_request_id(app):
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "hello", None, None)
    with app.test_request_context("/", headers={"X-Request-ID": "abc"}):
        from flask import g

        g.request_id = "abc"
        assert RequestIdFilter().filter(record)
    assert record.request_id == "abc" and record.user_id == "-"
    outside = logging.LogRecord("x", logging.INFO, __file__, 1, "hello", None, None)
    RequestIdFilter().filter(outside)
    assert outside.request_id == "-"
    assert any(isinstance(f, RequestIdFilter) for f in app.logger.filters)
