"""Matches between published tenders and enterprises, and the firms' notification preference.

A ``TenderMatch`` row says that an enterprise's activities fit a published tender
(``procurement.matching``), why (``reasons``: per lot, codes with parameters), and what the firm
did with it: viewed, interested or not (with a reason), notified by e-mail. Bids are not stored
here: the funnel counts ``Bid`` rows (never their sealed content).
"""
from __future__ import annotations

from datetime import datetime
from enum import Enum
from typing import Optional

from sqlalchemy import JSON, Text, UniqueConstraint
from sqlmodel import Column, Field, SQLModel

from common.timeutil import utcnow


class Interest(str, Enum):
    INTERESTED = "interested"
    NOT_INTERESTED = "not_interested"


class TenderMatch(SQLModel, table=True):
    __tablename__ = "tender_match"
    __table_args__ = (UniqueConstraint("tender_id", "enterprise_id"),)

    id: Optional[int] = Field(default=None, primary_key=True)
    tender_id: int = Field(foreign_key="tender.id", index=True)
    enterprise_id: int = Field(foreign_key="enterprise.id", index=True)
    # [{"lot": 1, "reservation": "none", "reasons": [{"code": ..., "params": {...}}]}]
    reasons: list = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    reserved_for_you: bool = Field(default=False)
    matched_at: datetime = Field(default_factory=utcnow)
    viewed_at: Optional[datetime] = Field(default=None)
    interest: Optional[str] = Field(default=None, max_length=20)  # Interest
    interest_reason: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    interest_at: Optional[datetime] = Field(default=None)
    interest_by: Optional[int] = Field(default=None, foreign_key="user.id")
    notified_at: Optional[datetime] = Field(default=None)


class MatchNotificationPreference(SQLModel, table=True):
    """Per firm user: send an e-mail when a newly published tender matches one of their
    enterprises (default: no)."""

    __tablename__ = "match_notification_preference"

    user_id: int = Field(foreign_key="user.id", primary_key=True)
    email: bool = Field(default=False)
    updated_at: datetime = Field(default_factory=utcnow)
