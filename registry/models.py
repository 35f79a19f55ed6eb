"""Social-economy enterprise profiles and who manages them.

(Core tables; the registry feature extends this module with accreditations, activities, references
and history.)
"""
from __future__ import annotations

from datetime import datetime
from enum import Enum
from typing import Optional

from sqlmodel import Field, SQLModel

from common.timeutil import utcnow


class EnterpriseStatus(str, Enum):
    """Admin validation workflow: pending -> validated -> suspended (and back)."""

    PENDING = "pending"
    VALIDATED = "validated"
    SUSPENDED = "suspended"


class Enterprise(SQLModel, table=True):
    id: Optional[int] = Field(default=None, primary_key=True)
    legal_name: str = Field(max_length=200, index=True)
    # Belgian enterprise number (BCE/KBO), 10 digits, mod-97 checked (registry.identifiers).
    enterprise_number: Optional[str] = Field(default=None, max_length=10, unique=True, index=True)
    status: str = Field(default=EnterpriseStatus.PENDING.value, max_length=20, index=True)
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


class EnterpriseMember(SQLModel, table=True):
    """A firm user who may edit an enterprise's profile and bid in its name."""

    __tablename__ = "enterprise_member"

    enterprise_id: int = Field(foreign_key="enterprise.id", primary_key=True)
    user_id: int = Field(foreign_key="user.id", primary_key=True)
    created_at: datetime = Field(default_factory=utcnow)
