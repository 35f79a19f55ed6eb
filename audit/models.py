"""The audit log table. Rows are only ever inserted (see ``audit.log``)."""
from __future__ import annotations

from datetime import datetime
from typing import Optional

from sqlalchemy import Text
from sqlmodel import Column, Field, SQLModel

from common.timeutil import utcnow


class AuditEntry(SQLModel, table=True):
    __tablename__ = "audit_entry"

    id: Optional[int] = Field(default=None, primary_key=True)
    at: datetime = Field(default_factory=utcnow, index=True)
    actor_id: Optional[int] = Field(default=None, index=True)
    actor_email: str = Field(default="", max_length=254)
    action: str = Field(max_length=60, index=True)
    object_type: str = Field(default="", max_length=40)
    object_id: str = Field(default="", max_length=80)
    # Reference of the tender concerned, to extract a tender's trail for its auditors.
    tender_ref: Optional[str] = Field(default=None, max_length=60, index=True)
    details: str = Field(default="{}", sa_column=Column(Text, nullable=False))
    prev_hash: str = Field(max_length=64)
    hash: str = Field(max_length=64, unique=True)
