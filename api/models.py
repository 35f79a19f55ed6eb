"""Per-user API tokens for ``/api/v1``.

A token is shown once when it is created; the database keeps only its SHA-256 (like the password
reset tokens), so a copy of the database does not give access to the API. The short ``prefix``
is stored in clear to let users recognise their tokens in the list.
"""
from __future__ import annotations

from datetime import datetime
from typing import Optional

from sqlmodel import Field, SQLModel

from common.timeutil import utcnow


class ApiToken(SQLModel, table=True):
    __tablename__ = "api_token"

    id: Optional[int] = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id", index=True)
    name: str = Field(max_length=100)
    prefix: str = Field(max_length=16)
    token_hash: str = Field(max_length=64, unique=True)
    created_at: datetime = Field(default_factory=utcnow)
    last_used_at: Optional[datetime] = Field(default=None)
    revoked_at: Optional[datetime] = Field(default=None)

    @property
    def active(self) -> bool:
        return self.revoked_at is None
