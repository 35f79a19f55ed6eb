"""Forgot-password requests per client address (issue 9: no mail-bombing, no enumeration).

One row per request to ``/password/forgot``, whether or not the address belongs to an account, so
that the number of requests from one client address in the last hour can be limited
(``PASSWORD_RESET_MAX_PER_ADDRESS``). Only the client address and the time are kept (no e-mail).
"""
from __future__ import annotations

from datetime import datetime
from typing import Optional

from sqlmodel import Field, SQLModel

from common.timeutil import utcnow


class PasswordResetRequest(SQLModel, table=True):
    __tablename__ = "password_reset_request"

    id: Optional[int] = Field(default=None, primary_key=True)
    remote_addr: str = Field(default="", max_length=64, index=True)
    at: datetime = Field(default_factory=utcnow, index=True)
