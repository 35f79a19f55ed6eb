"""API tokens: create (the secret is returned once), revoke, authenticate.

Services take the session first, validate before writing and append to the audit log. The token
text is ``pa_<prefix>_<secret>``; only ``sha256(token)`` is stored. A token acts with its user's
role and object rights (accounts.access, registry.access): it never gives more than the user has.
"""
from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlmodel import Session, select

from accounts.models import User
from api.models import ApiToken
from audit import log as audit_log
from common.timeutil import utcnow

TOKEN_START = "pa_"
MAX_ACTIVE_TOKENS = 20
MAX_TOKEN_LENGTH = 200


class TokenError(ValueError):
    def __init__(self, field: str, message):
        super().__init__(str(message))
        self.field, self.message = field, message


@dataclass(frozen=True)
class NewToken:
    token: ApiToken
    secret: str  # the whole token text, shown once


def hash_token(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def tokens_of(session: Session, user: User) -> list[ApiToken]:
    return list(session.exec(select(ApiToken).where(ApiToken.user_id == user.id)
                             .order_by(ApiToken.revoked_at.is_not(None), ApiToken.id.desc())))


def create_token(session: Session, user: User, name: str) -> NewToken:
    """A new token for ``user``; the caller shows ``secret`` once and never stores it."""
    name = " ".join(str(name or "").split())
    if not name:
        raise TokenError("name", _l("This field is required."))
    if len(name) > 100:
        raise TokenError("name", _l("At most %(n)s characters.", n=100))
    if any(ord(c) < 32 or ord(c) == 127 for c in name):
        raise TokenError("name", _l("This field contains control characters."))
    active = [t for t in tokens_of(session, user) if t.active]
    if len(active) >= MAX_ACTIVE_TOKENS:
        raise TokenError("name", _l("You already have %(n)s active tokens: revoke one first.", n=MAX_ACTIVE_TOKENS))
    prefix = secrets.token_hex(4)
    secret = f"{TOKEN_START}{prefix}_{secrets.token_urlsafe(32)}"
    token = ApiToken(user_id=user.id, name=name, prefix=prefix, token_hash=hash_token(secret))
    session.add(token)
    session.flush()
    audit_log.append(session, "api_token.created", actor=user, object_type="api_token", object_id=token.id,
                     details={"name": name, "prefix": prefix})
    session.commit()
    return NewToken(token, secret)


def token_of_user(session: Session, user: User, token_id: int) -> ApiToken | None:
    """The user's own token, or None (another user's token is not found)."""
    if not 0 < token_id < 2**31:
        return None
    token = session.get(ApiToken, token_id)
    return token if token is not None and token.user_id == user.id else None


def revoke_token(session: Session, user: User, token: ApiToken) -> None:
    if token.user_id != user.id:
        raise TokenError("token", _l("This token is not yours."))
    if token.revoked_at is not None:
        raise TokenError("token", _l("This token is already revoked."))
    token.revoked_at = utcnow()
    session.add(token)
    audit_log.append(session, "api_token.revoked", actor=user, object_type="api_token", object_id=token.id,
                     details={"name": token.name, "prefix": token.prefix})
    session.commit()


def authenticate(session: Session, text: str) -> User | None:
    """The active user of an active token, or None. Records when the token was last used."""
    if not text.startswith(TOKEN_START) or len(text) > MAX_TOKEN_LENGTH or not text.isascii():
        return None
    digest = hash_token(text)
    token = session.exec(select(ApiToken).where(ApiToken.token_hash == digest)).first()
    if token is None or token.revoked_at is not None or not hmac.compare_digest(token.token_hash, digest):
        return None
    user = session.get(User, token.user_id)
    if user is None or not user.is_active:
        return None
    token.last_used_at = utcnow()
    session.add(token)
    session.commit()
    return user
