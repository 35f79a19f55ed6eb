"""Password reset by e-mailed token, written to the outbox (issue 9)."""
from __future__ import annotations

import re
from datetime import timedelta

import pytest

from sqlmodel import select

from accounts.models import OutboxMessage, PasswordResetToken, User
from accounts.reset import token_digest
from tests.conftest import csrf_token, login

LINK_RE = re.compile(r"http://localhost/password/reset/([A-Za-z0-9_-]+)")
SAME_MESSAGE = "If an account exists for this address"


@pytest.fixture(autouse=True)
def english(client):
    """The messages below are asserted in English: choose it as a user would."""
    client.get("/language/en?next=/")


def ask_reset(client, email):
    token = csrf_token(client, "/password/forgot")
    return client.post("/password/forgot", data={"email": email, "csrf_token": token},
                       follow_redirects=True)


def outbox(session):
    """The password-reset messages of the outbox (the demo data writes other kinds, e.g. invitations)."""
    session.expire_all()
    return session.exec(select(OutboxMessage).where(OutboxMessage.kind == "password_reset")
                        .order_by(OutboxMessage.id)).all()


def link_token(message) -> str:
    match = LINK_RE.search(message.body)
    assert match, message.body
    return match.group(1)


def set_password(client, token, new="a-new-secret-1", confirm=None):
    url = f"/password/reset/{token}"
    form_token = csrf_token(client, url)
    return client.post(url, data={"new_password": new, "confirm_password": confirm or new,
                                  "csrf_token": form_token})


def test_login_page_links_to_forgot_password(client):
    assert 'href="/password/forgot"' in client.get("/login").get_data(as_text=True)


def test_happy_path_resets_the_password_and_ends_other_sessions(app, demo, client, session):
    other = app.test_client()
    assert login(other, "buyer@demo.example").status_code == 302
    assert other.get("/account/password").status_code == 200

    response = ask_reset(client, "  Buyer@Demo.Example ")
    assert SAME_MESSAGE in response.get_data(as_text=True)
    [message] = outbox(session)
    assert message.to_address == "buyer@demo.example" and message.sent_at is None
    token = link_token(message)
    stored = session.exec(select(PasswordResetToken)).one()
    assert stored.token_hash == token_digest(token) and token not in stored.token_hash

    page = client.get(f"/password/reset/{token}")
    assert page.status_code == 200 and 'name="new_password"' in page.get_data(as_text=True)
    response = set_password(client, token)
    assert response.status_code == 302 and response.headers["Location"].endswith("/login")

    assert login(client, "buyer@demo.example", "demo-2026").status_code == 200  # old refused
    assert login(client, "buyer@demo.example", "a-new-secret-1").status_code == 302
    # The session opened before the reset has ended.
    assert other.get("/account/password").status_code == 302
    session.expire_all()
    assert session.exec(select(PasswordResetToken)).one().used_at is not None


def test_reused_token_is_refused(demo, client, session):
    ask_reset(client, "firm@demo.example")
    token = link_token(outbox(session)[0])
    assert set_password(client, token).status_code == 302
    assert client.get(f"/password/reset/{token}").status_code == 400
    url = f"/password/reset/{token}"
    response = client.post(url, data={"new_password": "another-secret-2",
                                      "confirm_password": "another-secret-2",
                                      "csrf_token": csrf_token(client, "/password/forgot")})
    assert response.status_code == 400
    assert "invalid, has expired or has already been used" in response.get_data(as_text=True)
    assert login(client, "firm@demo.example", "another-secret-2").status_code == 200
    assert login(client, "firm@demo.example", "a-new-secret-1").status_code == 302


def test_a_new_reset_invalidates_the_older_links(demo, client, session):
    ask_reset(client, "firm@demo.example")
    ask_reset(client, "firm@demo.example")
    first, second = (link_token(m) for m in outbox(session))
    assert set_password(client, second).status_code == 302
    assert client.get(f"/password/reset/{first}").status_code == 400


def test_expired_token_is_refused(demo, client, session):
    ask_reset(client, "auditor@demo.example")
    token = link_token(outbox(session)[0])
    row = session.exec(select(PasswordResetToken)).one()
    row.expires_at = row.created_at - timedelta(seconds=1)
    session.add(row)
    session.commit()
    assert client.get(f"/password/reset/{token}").status_code == 400
    response = client.post(f"/password/reset/{token}", data={
        "new_password": "a-new-secret-1", "confirm_password": "a-new-secret-1",
        "csrf_token": csrf_token(client, "/password/forgot")})
    assert response.status_code == 400
    assert login(client, "auditor@demo.example", "demo-2026").status_code == 302


def test_expiry_comes_from_config(app, demo, client, session):
    app.config["PASSWORD_RESET_MAX_AGE"] = 120
    ask_reset(client, "admin@demo.example")
    row = session.exec(select(PasswordResetToken)).one()
    assert abs((row.expires_at - row.created_at).total_seconds() - 120) < 1
    assert "2 minutes" in outbox(session)[0].body


def test_unknown_email_gets_the_same_response_and_no_mail(demo, client, session):
    known = ask_reset(client, "buyer@demo.example")
    unknown = ask_reset(client, "nobody@demo.example")
    assert known.status_code == unknown.status_code == 200
    strip = lambda html: re.sub(r'name="csrf_token"[^>]*>|X-Request-ID', "", html)  # noqa: E731
    assert strip(known.get_data(as_text=True)) == strip(unknown.get_data(as_text=True))
    assert [m.to_address for m in outbox(session)] == ["buyer@demo.example"]


def test_at_most_three_links_per_account_and_hour(app, demo, client, session):
    assert app.config["PASSWORD_RESET_MAX_PER_HOUR"] == 3
    answers = [ask_reset(client, "buyer@demo.example") for _ in range(5)]
    assert all(SAME_MESSAGE in a.get_data(as_text=True) for a in answers)
    assert [m.to_address for m in outbox(session)] == ["buyer@demo.example"] * 3


def test_inactive_account_gets_no_mail(demo, client, session):
    user = session.exec(select(User).where(User.email == "firm@demo.example")).one()
    user.is_active = False
    session.add(user)
    session.commit()
    assert SAME_MESSAGE in ask_reset(client, "firm@demo.example").get_data(as_text=True)
    assert outbox(session) == []


def test_weak_or_mismatched_password_keeps_the_token(demo, client, session):
    ask_reset(client, "buyer@demo.example")
    token = link_token(outbox(session)[0])
    assert set_password(client, token, "short").status_code == 200
    assert set_password(client, token, "long-enough-1", "long-enough-2").status_code == 200
    assert set_password(client, token, "long-enough-1").status_code == 302


def test_csrf_is_required_on_both_forms(demo, client, session):
    response = client.post("/password/forgot", data={"email": "buyer@demo.example"})
    assert response.status_code == 400
    assert outbox(session) == []
    ask_reset(client, "buyer@demo.example")
    token = link_token(outbox(session)[0])
    response = client.post(f"/password/reset/{token}", data={
        "new_password": "a-new-secret-1", "confirm_password": "a-new-secret-1"})
    assert response.status_code == 400
    assert login(client, "buyer@demo.example", "demo-2026").status_code == 302
