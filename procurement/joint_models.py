"""Joint procurement (groupement de commandes / gezamenlijke opdracht): authorities that take part
in a tender led by another authority, and what each one takes of every lot.

The lead authority is the tender's own ``authority_id``: it drafts, publishes, opens and
evaluates. Another authority is invited (``JointParticipation``), accepts or declines; once it has
accepted, its buyers and the auditors assigned to it read the tender and its results
(``procurement.joint_access``). ``JointShare`` states a participant's part of one lot: an estimated
quantity (free text), an estimated value (EUR excl. VAT) and the share of the awarded lot it takes
(percent). Legal frame: joint procurement between authorities and central purchasing bodies
(Directive 2014/24/EU art. 37-38; law of 17 June 2016 art. 47 for the opdrachtencentrale /
centrale d'achat) — article numbers UNVERIFIED: shared/DOMAIN.md does not list them.
"""
from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from enum import Enum
from typing import Optional

from sqlalchemy import Numeric, UniqueConstraint
from sqlmodel import Column, Field, SQLModel

from common.timeutil import utcnow


class ParticipationStatus(str, Enum):
    INVITED = "invited"
    ACCEPTED = "accepted"
    DECLINED = "declined"


class JointParticipation(SQLModel, table=True):
    """One authority taking part in a tender led by another (one row per tender and authority:
    an authority is never invited twice)."""

    __tablename__ = "joint_participation"
    __table_args__ = (UniqueConstraint("tender_id", "authority_id"),)

    id: Optional[int] = Field(default=None, primary_key=True)
    tender_id: int = Field(foreign_key="tender.id", index=True)
    authority_id: int = Field(foreign_key="authority.id", index=True)
    status: str = Field(default=ParticipationStatus.INVITED.value, max_length=20, index=True)
    invited_email: str = Field(default="", max_length=254)
    invited_by: Optional[int] = Field(default=None, foreign_key="user.id")
    invited_at: datetime = Field(default_factory=utcnow)
    decided_at: Optional[datetime] = Field(default=None)
    decided_by: Optional[int] = Field(default=None, foreign_key="user.id")


class JointShare(SQLModel, table=True):
    """A participant's part of one lot."""

    __tablename__ = "joint_share"
    __table_args__ = (UniqueConstraint("participation_id", "lot_id"),)

    id: Optional[int] = Field(default=None, primary_key=True)
    participation_id: int = Field(foreign_key="joint_participation.id", index=True)
    lot_id: int = Field(foreign_key="lot.id", index=True)
    quantity: str = Field(default="", max_length=300)
    estimated_value: Optional[Decimal] = Field(default=None, sa_column=Column(Numeric(14, 2)))
    share_pct: Decimal = Field(default=Decimal("0"), sa_column=Column(Numeric(5, 2), nullable=False))
    updated_at: datetime = Field(default_factory=utcnow)
    updated_by: Optional[int] = Field(default=None, foreign_key="user.id")
