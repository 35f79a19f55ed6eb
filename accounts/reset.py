"""Password reset by e-mailed token (issue 9).

- ``request_reset``: for a known, active account, a random token (32 bytes, URL-safe) is created;
  only its SHA-256 is stored, with an expiry ``max_age`` seconds ahead (``PASSWORD_RESET_MAX_AGE``),
  and the link is written to the outbox. For an unknown e-mail nothing is written, and the caller
  shows the same message either way (no account enumeration).
- ``reset_password``: checks the token (exists, not used, not expired), sets the new password,
  marks this token and every other open token of the user as used. The password stamp kept in
  the session (``accounts.access``) changes with the hash, so every existing session ends.
"""
from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta, timezone

from flask_babel import lazy_gettext as _l
from sqlmodel import Session, func, select

from accounts.models import OutboxMessage, PasswordResetToken, User
from accounts.reset_models import PasswordResetRequest
from accounts.services import AccountError, check_password_strength, hash_password, normalise_email
from audit import log as audit_log
from common.timeutil import utcnow


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _as_utc(value: datetime) -> datetime:
    return value.replace(tzinfo=timezone.utc) if value.tzinfo is None else value.astimezone(timezone.utc)


def request_reset(session: Session, email: str, *, max_age: int, make_link, subject: str,
                  body_template: str, max_per_hour: int = 3, remote_addr: str = "",
                  max_per_address: int = 10) -> str | None:
    """Create a token and an outbox message for ``email`` if it is an active account.

    ``make_link(token)`` builds the absolute reset URL; ``body_template`` has ``%(link)s`` and
    ``%(minutes)s``. Returns the token (for tests and the CLI), or None when nothing is sent.
    Limits (beyond them nothing is sent and the caller still shows the same message):
    at most ``max_per_hour`` links to one account per hour (no mail-bombing), and at most
    ``max_per_address`` requests from one client address (``remote_addr``) per hour, counted
    whether or not the e-mail exists (no probing of many addresses).

    No enumeration by timing: every request does the same work whatever the outcome - one
    user lookup, one count of recent tokens, one random token and one SHA-256 (``token_digest``),
    the message body built, and one commit (the request row). A known account only adds the two
    rows written with that commit.
    """
    now = utcnow()
    since = now - timedelta(hours=1)
    address = (remote_addr or "")[:64]
    from_address = session.exec(select(func.count()).select_from(PasswordResetRequest).where(
        PasswordResetRequest.remote_addr == address, PasswordResetRequest.at >= since)).one()
    session.add(PasswordResetRequest(remote_addr=address, at=now))
    user = session.exec(select(User).where(User.email == normalise_email(email))).first()
    known = user is not None and user.is_active
    recent = session.exec(select(func.count()).select_from(PasswordResetToken).where(
        PasswordResetToken.user_id == (user.id if known else -1),
        PasswordResetToken.created_at >= since)).one()
    token = secrets.token_urlsafe(32)
    digest = token_digest(token)
    body = body_template % {"link": make_link(token), "minutes": max(1, max_age // 60)}
    send = known and recent < max_per_hour and from_address < max_per_address
    if send:
        session.add(PasswordResetToken(user_id=user.id, token_hash=digest, created_at=now,
                                       expires_at=now + timedelta(seconds=max_age)))
        session.add(OutboxMessage(to_address=user.email, subject=subject, kind="password_reset", body=body))
    session.commit()
    return token if send else None


def valid_token(session: Session, token: str) -> PasswordResetToken | None:
    """The token's row when it exists, is unused and has not expired; else None."""
    if not token or len(token) > 200:
        return None
    row = session.exec(select(PasswordResetToken).where(
        PasswordResetToken.token_hash == token_digest(token))).first()
    if row is None or row.used_at is not None or _as_utc(row.expires_at) <= utcnow():
        return None
    return row


class InvalidToken(AccountError):
    def __init__(self):
        super().__init__("token", _l("This password-reset link is invalid, has expired or has already been used."))


def reset_password(session: Session, token: str, new: str, confirm: str) -> User:
    row = valid_token(session, token)
    if row is None:
        raise InvalidToken()
    check_password_strength(new)
    if new != confirm:
        raise AccountError("confirm_password", _l("The two new passwords differ."))
    user = session.get(User, row.user_id)
    if user is None or not user.is_active:
        raise InvalidToken()
    now = utcnow()
    user.password_hash = hash_password(new)
    user.password_changed_at = now
    session.add(user)
    for other in session.exec(select(PasswordResetToken).where(
            PasswordResetToken.user_id == user.id, PasswordResetToken.used_at.is_(None))):
        other.used_at = now
        session.add(other)
    audit_log.append(session, "user.password_reset", actor=user, object_type="user", object_id=user.id)
    session.commit()
    return user
