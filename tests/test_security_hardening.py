"""Issue 9 hardening: forgot-password limits per client address, equal work for known and unknown
e-mails (no enumeration by timing), and a 500 page that leaks nothing but shows the request id."""
from __future__ import annotations

import re

import pytest
from sqlmodel import select

from accounts import reset
from accounts.models import OutboxMessage, PasswordResetToken
from tests.conftest import csrf_token

SAME_MESSAGE = "If an account exists for this address"


@pytest.fixture
def english(client):
    client.get("/language/en?next=/")
    return client


def ask(client, email, addr="203.0.113.7"):
    token = csrf_token(client, "/password/forgot")
    return client.post("/password/forgot", data={"email": email, "csrf_token": token},
                       environ_base={"REMOTE_ADDR": addr}, follow_redirects=True)


def outbox(session):
    session.expire_all()
    return [m.to_address for m in session.exec(select(OutboxMessage).where(OutboxMessage.kind == "password_reset")
                                               .order_by(OutboxMessage.id))]


def test_requests_per_client_address_are_limited_with_the_same_answer(app, demo, english, session):
    app.config["PASSWORD_RESET_MAX_PER_ADDRESS"] = 3
    emails = ["nobody1@x.example", "nobody2@x.example", "nobody3@x.example", "buyer@demo.example"]
    answers = [ask(english, e) for e in emails]
    # The fourth request from the same address is over the limit: same neutral answer, no mail,
    # although the e-mail is a real account.
    assert all(a.status_code == 200 and SAME_MESSAGE in a.get_data(as_text=True) for a in answers)
    assert outbox(session) == []
    assert session.exec(select(PasswordResetToken)).all() == []
    # Another address is not affected.
    ask(english, "buyer@demo.example", addr="198.51.100.9")
    assert outbox(session) == ["buyer@demo.example"]


def test_the_address_limit_comes_from_config(app):
    assert app.config["PASSWORD_RESET_MAX_PER_ADDRESS"] == 10


@pytest.mark.parametrize("email", ["buyer@demo.example", "nobody@demo.example"])
def test_known_and_unknown_emails_do_the_same_work(app, demo, session, monkeypatch, email):
    """Same code path for both: one random token, one SHA-256, one link built, one commit."""
    calls = {"token": 0, "digest": 0, "link": 0, "commit": 0}
    real_token, real_digest, real_commit = reset.secrets.token_urlsafe, reset.token_digest, session.commit

    def count(name, fn):
        def wrapper(*args, **kwargs):
            calls[name] += 1
            return fn(*args, **kwargs)
        return wrapper

    monkeypatch.setattr(reset.secrets, "token_urlsafe", count("token", real_token))
    monkeypatch.setattr(reset, "token_digest", count("digest", real_digest))
    monkeypatch.setattr(session, "commit", count("commit", real_commit))
    result = reset.request_reset(session, email, max_age=3600, make_link=count("link", lambda t: f"/r/{t}"),
                                 subject="s", body_template="%(link)s %(minutes)s", remote_addr="192.0.2.1")
    assert calls == {"token": 1, "digest": 1, "link": 1, "commit": 1}
    assert (result is not None) == (email == "buyer@demo.example")


def test_over_the_account_limit_still_does_the_same_work(app, demo, session, monkeypatch):
    for _ in range(3):
        assert reset.request_reset(session, "firm@demo.example", max_age=60, make_link=str, subject="s",
                                   body_template="%(link)s%(minutes)s") is not None
    digests = []
    real = reset.token_digest
    monkeypatch.setattr(reset, "token_digest", lambda t: digests.append(t) or real(t))
    assert reset.request_reset(session, "firm@demo.example", max_age=60, make_link=str, subject="s",
                               body_template="%(link)s%(minutes)s") is None
    assert len(digests) == 1


# --- The 500 page -------------------------------------------------------------------------------

SECRET = "boom-secret-db-password-XYZ"


@pytest.fixture
def crashing_app(app):
    """A route that exists only in this test (registered before the first request)."""

    def explode():
        raise RuntimeError(f"{SECRET} at /srv/app/private.py line 42")

    app.add_url_rule("/__test__/explode", "test_explode", explode)
    app.add_url_rule("/api/v1/__test__/explode", "test_api_explode", explode)
    app.config["PROPAGATE_EXCEPTIONS"] = False  # behave as in production
    return app


def test_500_page_leaks_nothing_and_shows_the_request_id(crashing_app, caplog):
    client = crashing_app.test_client()
    client.get("/language/en?next=/")
    response = client.get("/__test__/explode", headers={"X-Request-ID": "req-500-test"})
    html = response.get_data(as_text=True)
    assert response.status_code == 500
    assert response.headers["X-Request-ID"] == "req-500-test"
    assert "Internal error" in html and "req-500-test" in html
    for leak in (SECRET, "Traceback", "RuntimeError", "private.py", 'File "', "line 42"):
        assert leak not in html, leak
    # The details go to the log instead, traceable by the request id.
    assert any(SECRET in (r.exc_text or "") + str(r.exc_info and r.exc_info[1]) for r in caplog.records)


def test_500_page_gets_a_fresh_request_id_when_none_is_sent(crashing_app):
    response = crashing_app.test_client().get("/__test__/explode")
    rid = response.headers["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{32}", rid) and rid in response.get_data(as_text=True)


def test_500_of_the_api_leaks_nothing_either(crashing_app):
    """Under /api/v1 the error is a problem document (JSON), with the same rule: no exception text."""
    response = crashing_app.test_client().get("/api/v1/__test__/explode", headers={"X-Request-ID": "req-api-500"})
    body = response.get_data(as_text=True)
    assert response.status_code == 500 and response.headers["X-Request-ID"] == "req-api-500"
    for leak in (SECRET, "Traceback", "RuntimeError", "private.py", "line 42"):
        assert leak not in body, leak
