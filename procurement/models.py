"""Tenders (marchés / opdrachten), their lots, award criteria and selected clauses.

Money is stored as ``Numeric(14, 2)`` (EUR excl. VAT). Texts a user types are stored as typed and
escaped wherever they are shown. Criteria, weights and clause versions are frozen when a tender is
published (Directive 2014/24/EU art. 67(5); law of 17 June 2016 art. 81: weights are fixed in the
procurement documents and never change after the bids are opened).
"""
from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from enum import Enum
from typing import Optional

from sqlalchemy import JSON, Numeric, Text, UniqueConstraint
from sqlmodel import Column, Field, SQLModel

from common.timeutil import utcnow


class Nature(str, Enum):
    WORKS = "works"
    SUPPLIES = "supplies"
    SERVICES = "services"


class TenderStatus(str, Enum):
    DRAFT = "draft"
    PUBLISHED = "published"  # criteria and clauses frozen; bids accepted until the deadline
    OPENED = "opened"  # bids opened (procès-verbal d'ouverture recorded)
    AWARDED = "awarded"  # evaluation finalised and award decision recorded
    CANCELLED = "cancelled"


class Reservation(str, Enum):
    NONE = "none"
    SHELTERED = "art20"  # Dir. art. 20 / law art. 15: sheltered workshops and insertion operators
    SERVICES_ART77 = "art77"  # Dir. art. 77: certain health, social and cultural services


class CriterionKind(str, Enum):
    PRICE = "price"
    QUANTITY = "quantity"  # a figure the bidder states (insertion hours, trainees, share subcontracted)
    RATING = "rating"  # scored by evaluators on a scale with a written grid


class Tender(SQLModel, table=True):
    id: Optional[int] = Field(default=None, primary_key=True)
    reference: str = Field(max_length=60, unique=True, index=True)
    authority_id: int = Field(foreign_key="authority.id", index=True)
    status: str = Field(default=TenderStatus.DRAFT.value, max_length=20, index=True)
    title_fr: str = Field(default="", max_length=300)
    title_nl: str = Field(default="", max_length=300)
    title_en: str = Field(default="", max_length=300)
    description_fr: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    description_nl: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    description_en: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    nature: str = Field(default=Nature.SERVICES.value, max_length=20)
    cpv_main: str = Field(default="", max_length=8)
    cpv_additional: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    nuts3: Optional[str] = Field(default=None, max_length=5)
    municipality: Optional[str] = Field(default=None, max_length=120)
    estimated_value: Decimal = Field(default=Decimal("0"), sa_column=Column(Numeric(14, 2), nullable=False))
    duration_months: Optional[int] = Field(default=None)
    # Social and other specific services of Annex XIV (Dir. 2014/24/EU art. 74): own EU threshold.
    social_services: bool = Field(default=False)
    # Insertion-hour calculator inputs and result (procurement.insertion): labour_share, rate,
    # hourly_cost, amount and hours, as strings/ints; {} when the calculator was not used.
    insertion: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    # Incremented at every saved change; printed as the document version.
    revision: int = Field(default=1)
    # Federal circular of 16 May 2014: why no social clause, when the value calls for one.
    social_clause_justification: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    # Procedure: what the app advised (from the thresholds in config.toml), what the buyer chose,
    # and why when the two differ.
    procedure_advised: Optional[str] = Field(default=None, max_length=40)
    procedure: Optional[str] = Field(default=None, max_length=40)
    procedure_justification: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    publication_date: Optional[datetime] = Field(default=None)
    question_deadline: Optional[datetime] = Field(default=None)
    bid_deadline: Optional[datetime] = Field(default=None)
    opening_at: Optional[datetime] = Field(default=None)
    created_by: Optional[int] = Field(default=None, foreign_key="user.id")
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)
    published_at: Optional[datetime] = Field(default=None)

    def title(self, lang: str) -> str:
        """The title in ``lang``, falling back to the other languages when it is empty."""
        for code in (lang, "fr", "nl", "en"):
            value = getattr(self, f"title_{code}", "")
            if value:
                return value
        return self.reference

    def description(self, lang: str) -> str:
        for code in (lang, "fr", "nl", "en"):
            value = getattr(self, f"description_{code}", "")
            if value:
                return value
        return ""


class Lot(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("tender_id", "number"),)

    id: Optional[int] = Field(default=None, primary_key=True)
    tender_id: int = Field(foreign_key="tender.id", index=True)
    number: int = Field(default=1)
    title_fr: str = Field(default="", max_length=300)
    title_nl: str = Field(default="", max_length=300)
    title_en: str = Field(default="", max_length=300)
    cpv_codes: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    estimated_value: Decimal = Field(default=Decimal("0"), sa_column=Column(Numeric(14, 2), nullable=False))
    reservation: str = Field(default=Reservation.NONE.value, max_length=10)
    # "weighted" (weights sum to 100) or "order" (decreasing order of importance, allowed below the
    # EU thresholds, with a justification).
    criteria_mode: str = Field(default="weighted", max_length=10)
    criteria_justification: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))

    def title(self, lang: str) -> str:
        for code in (lang, "fr", "nl", "en"):
            value = getattr(self, f"title_{code}", "")
            if value:
                return value
        return f"Lot {self.number}"


class AwardCriterion(SQLModel, table=True):
    __tablename__ = "award_criterion"
    __table_args__ = (UniqueConstraint("lot_id", "code"),)

    id: Optional[int] = Field(default=None, primary_key=True)
    lot_id: int = Field(foreign_key="lot.id", index=True)
    code: str = Field(max_length=40)  # the id used in the scoring input ("price", "hours", "plan")
    kind: str = Field(max_length=20)  # CriterionKind
    position: int = Field(default=0)
    label_fr: str = Field(default="", max_length=300)
    label_nl: str = Field(default="", max_length=300)
    label_en: str = Field(default="", max_length=300)
    weight: Decimal = Field(default=Decimal("0"), sa_column=Column(Numeric(6, 2), nullable=False))
    formula: Optional[str] = Field(default=None, max_length=20)  # price: proportional | linear
    better: Optional[str] = Field(default=None, max_length=10)  # quantity: higher | lower
    unit: str = Field(default="", max_length=40)  # quantity: "hours", "%", "persons"
    scale: Optional[int] = Field(default=None)  # rating: maximum rating (e.g. 10)
    scoring_grid: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    is_social: bool = Field(default=False)
    # Why the criterion is linked to the subject matter (Dir. art. 67(3)); required for social ones.
    link_to_subject: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))

    def label(self, lang: str) -> str:
        for code in (lang, "fr", "nl", "en"):
            value = getattr(self, f"label_{code}", "")
            if value:
                return value
        return self.code


class TenderClause(SQLModel, table=True):
    """A clause of the library chosen for a tender (or one lot), with its parameter values.

    ``clause_version`` and ``content_hash`` pin the exact text used: a published tender keeps the
    version it was published with even when the library moves on.
    """

    __tablename__ = "tender_clause"

    id: Optional[int] = Field(default=None, primary_key=True)
    tender_id: int = Field(foreign_key="tender.id", index=True)
    lot_id: Optional[int] = Field(default=None, foreign_key="lot.id")
    clause_id: str = Field(max_length=80)
    clause_version: int = Field(default=1)
    content_hash: str = Field(default="", max_length=64)
    parameters: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    position: int = Field(default=0)
