"""Login, logout, CSRF, password change, lock-out, demo accounts."""
from sqlmodel import select

from accounts.models import User
from tests.conftest import csrf_token, login


def test_login_and_logout(client, demo):
    response = login(client, "buyer@demo.example")
    assert response.status_code == 302
    page = client.get("/").get_data(as_text=True)
    assert "buyer@demo.example" in page
    response = client.post("/logout", data={"csrf_token": csrf_token(client, "/")})
    assert response.status_code == 302
    assert "buyer@demo.example" not in client.get("/").get_data(as_text=True)


def test_wrong_password_and_unknown_user_get_the_same_message(client, demo):
    a = login(client, "buyer@demo.example", "wrong-password").get_data(as_text=True)
    b = login(client, "nobody@demo.example", "wrong-password").get_data(as_text=True)
    assert "Wrong e-mail address or password" in a or "Adresse e-mail ou mot de passe incorrect" in a
    strip = lambda html: html.split('name="csrf_token"')[0]  # noqa: E731
    assert strip(a) == strip(b)


def test_login_without_csrf_token_is_rejected(client, demo):
    response = client.post("/login", data={"email": "buyer@demo.example", "password": "demo-2026"})
    assert response.status_code == 400
    assert "buyer@demo.example" not in client.get("/").get_data(as_text=True)


def test_logout_without_csrf_token_is_rejected(client, demo, login_as):
    login_as("firm@demo.example")
    assert client.post("/logout").status_code == 400
    assert "firm@demo.example" in client.get("/").get_data(as_text=True)


def test_lockout_after_repeated_failures(client, demo, app):
    limit = app.config["LOGIN_MAX_FAILURES"]
    for _ in range(limit):
        login(client, "admin@demo.example", "bad-guess")
    response = login(client, "admin@demo.example", "demo-2026")
    assert response.status_code == 429
    assert "admin@demo.example" not in client.get("/").get_data(as_text=True)


def test_password_change_ends_old_password(client, demo, login_as, session):
    login_as("auditor@demo.example")
    token = csrf_token(client, "/account/password")
    response = client.post("/account/password", data={
        "csrf_token": token, "current_password": "demo-2026",
        "new_password": "a-better-pass-2026", "confirm_password": "a-better-pass-2026"})
    assert response.status_code == 302
    client.post("/logout", data={"csrf_token": csrf_token(client, "/")})
    assert login(client, "auditor@demo.example", "demo-2026").status_code == 200
    assert login(client, "auditor@demo.example", "a-better-pass-2026").status_code == 302


def test_password_change_errors_name_the_field(client, demo, login_as):
    login_as("auditor@demo.example")
    token = csrf_token(client, "/account/password")
    html = client.post("/account/password", data={
        "csrf_token": token, "current_password": "not-it",
        "new_password": "a-better-pass-2026", "confirm_password": "a-better-pass-2026"},
        headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "The current password is wrong." in html


def test_passwords_are_hashed_with_a_kdf(demo, session):
    user = session.exec(select(User).where(User.email == "firm@demo.example")).one()
    assert user.password_hash.startswith("scrypt:")
    assert "demo-2026" not in user.password_hash


def test_open_redirect_after_login_is_refused(client, demo):
    token = csrf_token(client, "/login")
    response = client.post("/login", data={"email": "buyer@demo.example", "password": "demo-2026",
                                           "csrf_token": token, "next": "https://evil.example/"})
    assert response.headers["Location"] == "/"


def test_demo_accounts_refused_in_production(monkeypatch, db_url, tmp_path):
    from app import create_app
    from common.db import get_session
    from demo import load_all

    monkeypatch.setenv("PROCURE_ENV", "production")
    monkeypatch.setenv("PROCURE_SECRET_KEY", "another-long-random-production-secret")
    app = create_app({"DATABASE_URL": db_url, "SESSION_COOKIE_SECURE": False})
    with app.app_context():
        load_all(get_session())  # as if someone had copied a dev database
    client = app.test_client()
    assert login(client, "buyer@demo.example").status_code == 200
    result = app.test_cli_runner().invoke(args=["demo", "load"])
    assert result.exit_code != 0 and "production" in result.output
    app.extensions["procure.engine"].dispose()


def test_security_headers_and_cookie_flags(client, demo):
    response = login(client, "buyer@demo.example")
    cookie = response.headers.get("Set-Cookie", "")
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    page = client.get("/")
    csp = page.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert page.headers["X-Content-Type-Options"] == "nosniff"
    assert page.headers["X-Frame-Options"] == "DENY"
