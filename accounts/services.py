"""Account operations: passwords, authentication with rate limiting, user creation."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import func
from sqlmodel import Session, select
from werkzeug.security import check_password_hash, generate_password_hash

from flask_babel import lazy_gettext as _l

from accounts.models import LoginAttempt, Role, User
from common.timeutil import utcnow

MIN_PASSWORD_LENGTH = 8
# A hash computed once so that unknown e-mails cost the same time as wrong passwords
# (no user enumeration through timing).
_DUMMY_HASH = generate_password_hash("not-a-real-password")


class AccountError(ValueError):
    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field
        self.message = message


def hash_password(password: str) -> str:
    """scrypt (Werkzeug's default KDF), salted per password."""
    return generate_password_hash(password)


def check_password_strength(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError("password", _l("The password must have at least %(n)s characters.", n=MIN_PASSWORD_LENGTH))


def create_user(session: Session, email: str, password: str, role: Role | str, **fields) -> User:
    email = normalise_email(email)
    if not email or "@" not in email:
        raise AccountError("email", _l("This e-mail address is not valid."))
    if session.exec(select(User).where(User.email == email)).first():
        raise AccountError("email", _l("An account with this e-mail address already exists."))
    user = User(email=email, password_hash=hash_password(password), role=Role(role).value, **fields)
    session.add(user)
    session.flush()
    return user


def normalise_email(email: str) -> str:
    return (email or "").strip().lower()


@dataclass
class LoginResult:
    user: User | None
    locked: bool = False


def authenticate(
    session: Session, email: str, password: str, remote_addr: str, *,
    max_failures: int, window_seconds: int, allow_demo: bool,
) -> LoginResult:
    """Check the credentials; lock out after ``max_failures`` failures in the window.

    The same generic outcome is returned for an unknown e-mail and a wrong password, and both cost
    a password-hash check, so neither messages nor timing reveal which accounts exist.
    """
    email = normalise_email(email)
    since = utcnow() - timedelta(seconds=window_seconds)
    failures = session.exec(
        select(func.count()).select_from(LoginAttempt).where(
            LoginAttempt.at >= since,
            (LoginAttempt.email == email) | (LoginAttempt.remote_addr == remote_addr),
        )
    ).one()
    if failures >= max_failures:
        check_password_hash(_DUMMY_HASH, password)
        return LoginResult(None, locked=True)
    user = session.exec(select(User).where(User.email == email)).first()
    ok = check_password_hash(user.password_hash if user else _DUMMY_HASH, password)
    if user and ok and user.is_active and (allow_demo or not user.is_demo):
        return LoginResult(user)
    session.add(LoginAttempt(email=email, remote_addr=remote_addr))
    session.commit()
    return LoginResult(None)


def change_password(session: Session, user: User, current: str, new: str, confirm: str) -> None:
    if not check_password_hash(user.password_hash, current):
        raise AccountError("current_password", _l("The current password is wrong."))
    check_password_strength(new)
    if new != confirm:
        raise AccountError("confirm_password", _l("The two new passwords differ."))
    user.password_hash = hash_password(new)
    user.password_changed_at = utcnow()
    session.add(user)
    session.commit()
