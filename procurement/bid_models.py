"""Sealed bids, their opening and their evaluation.

Bid *content* (price, values, declaration, documents) lives only in ``BidVersion`` and
``BidDocument``; every read of it goes through ``procurement.bids.bid_content``, which refuses it
before the opening is recorded (Belgian law of 17 June 2016 and royal decree of 18 April 2017
art. 14 §6 and art. 77: bids stay confidential until the opening). Rows are never updated once
written, except for the workflow fields of ``PriceJustification`` and ``Evaluation``: a replaced
bid gets a new ``BidVersion``, a changed rating or conformity decision a new row.
"""
from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from enum import Enum
from typing import Optional

from sqlalchemy import JSON, Numeric, Text, UniqueConstraint
from sqlmodel import Column, Field, SQLModel

from common.timeutil import utcnow


class Bid(SQLModel, table=True):
    """One enterprise's bid on one lot: the envelope. Its content is in ``BidVersion``."""

    __table_args__ = (UniqueConstraint("lot_id", "enterprise_id"),)

    id: Optional[int] = Field(default=None, primary_key=True)
    tender_id: int = Field(foreign_key="tender.id", index=True)
    lot_id: int = Field(foreign_key="lot.id", index=True)
    enterprise_id: int = Field(foreign_key="enterprise.id", index=True)
    current_version: int = Field(default=1)
    # SHA-256 of the current version's canonical content: safe to show before the opening.
    current_sha256: str = Field(default="", max_length=64)
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


class BidVersion(SQLModel, table=True):
    """A submitted version of a bid. Replacing a bid adds a version; none is ever changed."""

    __tablename__ = "bid_version"
    __table_args__ = (UniqueConstraint("bid_id", "version"),)

    id: Optional[int] = Field(default=None, primary_key=True)
    bid_id: int = Field(foreign_key="bid.id", index=True)
    version: int = Field(default=1)
    price: Decimal = Field(sa_column=Column(Numeric(14, 2), nullable=False))  # EUR excl. VAT
    # Quantity criterion code -> value stated by the bidder (as a decimal string).
    values: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    declaration: bool = Field(default=False)
    # [{"id": BidDocument.id, "kind": ..., "sha256": ...}] of this version.
    documents: list = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    sha256: str = Field(max_length=64)
    submitted_at: datetime = Field(default_factory=utcnow)
    submitted_by: int = Field(foreign_key="user.id")


class BidDocument(SQLModel, table=True):
    """An uploaded PDF of a bid, stored under UPLOAD_DIR with a random name."""

    __tablename__ = "bid_document"

    id: Optional[int] = Field(default=None, primary_key=True)
    bid_id: int = Field(foreign_key="bid.id", index=True)
    kind: str = Field(max_length=30)  # insertion_plan | memo
    original_name: str = Field(default="", max_length=200)
    stored_name: str = Field(max_length=80, unique=True)
    size: int = Field(default=0)
    sha256: str = Field(max_length=64)
    uploaded_at: datetime = Field(default_factory=utcnow)
    uploaded_by: int = Field(foreign_key="user.id")


class Opening(SQLModel, table=True):
    """The opening of a tender's bids (procès-verbal d'ouverture / proces-verbaal van opening)."""

    id: Optional[int] = Field(default=None, primary_key=True)
    tender_id: int = Field(foreign_key="tender.id", unique=True)
    opened_by: int = Field(foreign_key="user.id")
    opened_at: datetime = Field(default_factory=utcnow)
    # [{"bid": id, "code": "B1", "lot": number, "enterprise": name, "version": n, "sha256": ...}]
    bids: list = Field(default_factory=list, sa_column=Column(JSON, nullable=False))


class EvaluationStatus(str, Enum):
    OPEN = "open"
    FINALISED = "finalised"


class Evaluation(SQLModel, table=True):
    """The evaluation of one lot. Finalising freezes the scoring input and result with their
    hashes; a correction afterwards is a new version that names the one it supersedes."""

    __table_args__ = (UniqueConstraint("lot_id", "version"),)

    id: Optional[int] = Field(default=None, primary_key=True)
    tender_id: int = Field(foreign_key="tender.id", index=True)
    lot_id: int = Field(foreign_key="lot.id", index=True)
    version: int = Field(default=1)
    status: str = Field(default=EvaluationStatus.OPEN.value, max_length=20)
    created_at: datetime = Field(default_factory=utcnow)
    created_by: Optional[int] = Field(default=None, foreign_key="user.id")
    supersedes_id: Optional[int] = Field(default=None, foreign_key="evaluation.id")
    correction_reason: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    finalised_at: Optional[datetime] = Field(default=None)
    finalised_by: Optional[int] = Field(default=None, foreign_key="user.id")
    award_bid_id: Optional[int] = Field(default=None, foreign_key="bid.id")
    award_reasons: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    input_json: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    result_json: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    input_hash: str = Field(default="", max_length=64)
    result_hash: str = Field(default="", max_length=64)

    @property
    def finalised(self) -> bool:
        return self.status == EvaluationStatus.FINALISED.value


class Rating(SQLModel, table=True):
    """A rating of one bid on one rating criterion. A change is a new row (history kept)."""

    id: Optional[int] = Field(default=None, primary_key=True)
    evaluation_id: int = Field(foreign_key="evaluation.id", index=True)
    bid_id: int = Field(foreign_key="bid.id", index=True)
    criterion_code: str = Field(max_length=40)
    value: Decimal = Field(sa_column=Column(Numeric(8, 2), nullable=False))
    justification: str = Field(sa_column=Column(Text, nullable=False))
    evaluator_id: int = Field(foreign_key="user.id")
    created_at: datetime = Field(default_factory=utcnow)


class ConformityDecision(SQLModel, table=True):
    """Whether a bid conforms; a non-conforming bid is excluded with its reason. Latest row wins."""

    __tablename__ = "conformity_decision"

    id: Optional[int] = Field(default=None, primary_key=True)
    evaluation_id: int = Field(foreign_key="evaluation.id", index=True)
    bid_id: int = Field(foreign_key="bid.id", index=True)
    conforming: bool = Field(default=True)
    reason: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    decided_by: int = Field(foreign_key="user.id")
    decided_at: datetime = Field(default_factory=utcnow)


class JustificationDecision(str, Enum):
    ACCEPTED = "accepted"
    REJECTED = "rejected"


class PriceJustification(SQLModel, table=True):
    """Written justification of an apparently abnormal price (law of 17 June 2016 art. 84;
    royal decree of 18 April 2017 art. 35-36): the request, the bidder's answer and the buyer's
    reasoned decision. Never decided automatically."""

    __tablename__ = "price_justification"

    id: Optional[int] = Field(default=None, primary_key=True)
    evaluation_id: int = Field(foreign_key="evaluation.id", index=True)
    bid_id: int = Field(foreign_key="bid.id", index=True)
    request_text: str = Field(sa_column=Column(Text, nullable=False))
    requested_by: int = Field(foreign_key="user.id")
    requested_at: datetime = Field(default_factory=utcnow)
    answer_text: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    decision: Optional[str] = Field(default=None, max_length=10)  # JustificationDecision
    decision_reason: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    decided_by: Optional[int] = Field(default=None, foreign_key="user.id")
    decided_at: Optional[datetime] = Field(default=None)
