"""Users, roles and contracting authorities."""
from __future__ import annotations

from datetime import datetime
from enum import Enum
from typing import Optional

from sqlmodel import Field, SQLModel

from common.timeutil import utcnow


class Role(str, Enum):
    """The four kinds of users. Codes in English; labels are translated in the UI."""

    BUYER = "buyer"  # belongs to one contracting authority
    FIRM = "firm"  # manages one or more enterprise profiles
    AUDITOR = "auditor"  # read-only on the authorities it is assigned to
    ADMIN = "admin"  # validates enterprises, manages users


class AuthorityKind(str, Enum):
    COMMUNE = "commune"
    CPAS = "cpas"  # CPAS / OCMW
    INTERCOMMUNALE = "intercommunale"
    OTHER = "other"


class Authority(SQLModel, table=True):
    """A contracting authority (pouvoir adjudicateur / aanbestedende overheid)."""

    id: Optional[int] = Field(default=None, primary_key=True)
    name: str = Field(max_length=200, unique=True)
    kind: str = Field(default=AuthorityKind.COMMUNE.value, max_length=20)
    enterprise_number: Optional[str] = Field(default=None, max_length=10)
    nuts3: Optional[str] = Field(default=None, max_length=5)
    municipality: Optional[str] = Field(default=None, max_length=120)
    # "subcentral" (communes, CPAS) or "central" decides the EU supplies/services threshold.
    authority_type: str = Field(default="subcentral", max_length=20)
    created_at: datetime = Field(default_factory=utcnow)


class User(SQLModel, table=True):
    id: Optional[int] = Field(default=None, primary_key=True)
    email: str = Field(max_length=254, unique=True, index=True)
    name: str = Field(default="", max_length=200)
    password_hash: str = Field(max_length=255)
    role: str = Field(max_length=20, index=True)
    authority_id: Optional[int] = Field(default=None, foreign_key="authority.id")
    language: Optional[str] = Field(default=None, max_length=5)
    is_active: bool = Field(default=True)
    is_demo: bool = Field(default=False)
    created_at: datetime = Field(default_factory=utcnow)
    password_changed_at: Optional[datetime] = Field(default=None)


class AuditorAssignment(SQLModel, table=True):
    """Which authorities an auditor may read."""

    __tablename__ = "auditor_assignment"

    user_id: int = Field(foreign_key="user.id", primary_key=True)
    authority_id: int = Field(foreign_key="authority.id", primary_key=True)


class LoginAttempt(SQLModel, table=True):
    """Failed logins, for rate limiting by account and by client address."""

    __tablename__ = "login_attempt"

    id: Optional[int] = Field(default=None, primary_key=True)
    email: str = Field(max_length=254, index=True)
    remote_addr: str = Field(default="", max_length=64, index=True)
    at: datetime = Field(default_factory=utcnow, index=True)


class PasswordResetToken(SQLModel, table=True):
    """A single-use, time-limited password-reset token. Only its SHA-256 is stored, so a copy of
    the database does not let anyone reset a password."""

    __tablename__ = "password_reset_token"

    id: Optional[int] = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id", index=True)
    token_hash: str = Field(max_length=64, unique=True)
    created_at: datetime = Field(default_factory=utcnow)
    expires_at: datetime
    used_at: Optional[datetime] = Field(default=None)


class OutboxMessage(SQLModel, table=True):
    """E-mails to send. In development and tests nothing is sent: the outbox *is* the mail sender
    (read it in the database); a production relay sends the rows with ``sent_at`` empty."""

    __tablename__ = "outbox_message"

    id: Optional[int] = Field(default=None, primary_key=True)
    to_address: str = Field(max_length=254, index=True)
    subject: str = Field(max_length=300)
    body: str
    kind: str = Field(default="", max_length=40)
    created_at: datetime = Field(default_factory=utcnow)
    sent_at: Optional[datetime] = Field(default=None)
