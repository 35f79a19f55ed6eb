"""After the award: the contract of each lot, the contractor's periodic reports and their evidence.

A ``Contract`` copies, at award, what the winning bid committed to (insertion hours and any other
quantity the bidder stated) and the parameters of the clauses that enforce it (penalty rates,
tolerance, reporting day), so that later changes elsewhere never change what is owed
(Directive 2014/24/EU art. 70: performance conditions announced in the documents). Reports are
never edited once filed: the buyer validates or contests them with a reason; a contested report
can be followed by a new one for the same period (``version`` + 1), the contested one is kept.
"""
from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Optional

from sqlalchemy import JSON, Numeric, Text, UniqueConstraint
from sqlmodel import Column, Field, SQLModel

from common.timeutil import utcnow


class ContractStatus(str, Enum):
    ACTIVE = "active"
    CLOSED = "closed"


class ReportStatus(str, Enum):
    SUBMITTED = "submitted"
    VALIDATED = "validated"
    CONTESTED = "contested"


class Contract(SQLModel, table=True):
    # One contract per lot and authority: a joint tender's participants each get their own contract
    # for their share (procurement.joint_services), linked to the lead's by parent_contract_id.
    __table_args__ = (UniqueConstraint("lot_id", "authority_id", name="uq_contract_lot_authority"),)

    id: Optional[int] = Field(default=None, primary_key=True)
    tender_id: int = Field(foreign_key="tender.id", index=True)
    lot_id: int = Field(foreign_key="lot.id")
    authority_id: int = Field(foreign_key="authority.id", index=True)
    enterprise_id: int = Field(foreign_key="enterprise.id", index=True)
    evaluation_id: Optional[int] = Field(default=None, foreign_key="evaluation.id")
    bid_id: Optional[int] = Field(default=None, foreign_key="bid.id")
    status: str = Field(default=ContractStatus.ACTIVE.value, max_length=20, index=True)
    # Initial amount: the awarded price, EUR excl. VAT (the base of the penalties).
    initial_amount: Decimal = Field(sa_column=Column(Numeric(14, 2), nullable=False))
    start_date: date
    end_date: date
    # Commitments copied from the winning bid. committed_hours: insertion + training hours (0 when
    # the bid stated none); commitments: every quantity criterion {code: {value, unit, label}}.
    committed_hours: Decimal = Field(default=Decimal("0"), sa_column=Column(Numeric(12, 2), nullable=False))
    trainees: Optional[int] = Field(default=None)
    subcontracting_share_pct: Optional[Decimal] = Field(default=None, sa_column=Column(Numeric(6, 2)))
    commitments: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    # Clause parameters copied at award: {"total_rate", "partial_rate", "tolerance" (percent),
    # "report_day", "source": clause id@version or "config"}.
    clause_parameters: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    period_months: int = Field(default=1)
    created_at: datetime = Field(default_factory=utcnow)
    created_by: Optional[int] = Field(default=None, foreign_key="user.id")
    # Closing: the delivered hours, the penalty (procurement.penalties) and the certificate.
    closed_at: Optional[datetime] = Field(default=None)
    closed_by: Optional[int] = Field(default=None, foreign_key="user.id")
    delivered_hours: Optional[Decimal] = Field(default=None, sa_column=Column(Numeric(12, 2)))
    penalty: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    satisfactory: Optional[bool] = Field(default=None)
    certificate_number: Optional[str] = Field(default=None, max_length=40)
    reference_id: Optional[int] = Field(default=None, foreign_key="enterprise_reference.id")
    # Joint procurement: the lead authority's contract this participant's contract is a share of
    # (None for the lead's own contract and for ordinary tenders), and that share in percent.
    parent_contract_id: Optional[int] = Field(default=None, foreign_key="contract.id", index=True)
    share_pct: Optional[Decimal] = Field(default=None, sa_column=Column(Numeric(5, 2)))


class ContractReport(SQLModel, table=True):
    __tablename__ = "contract_report"
    __table_args__ = (UniqueConstraint("contract_id", "period_start", "version"),)

    id: Optional[int] = Field(default=None, primary_key=True)
    contract_id: int = Field(foreign_key="contract.id", index=True)
    period_start: date
    period_end: date
    version: int = Field(default=1)
    due_date: date
    late: bool = Field(default=False)
    insertion_hours: Decimal = Field(default=Decimal("0"), sa_column=Column(Numeric(10, 2), nullable=False))
    training_hours: Decimal = Field(default=Decimal("0"), sa_column=Column(Numeric(10, 2), nullable=False))
    subcontracted_hours: Decimal = Field(default=Decimal("0"), sa_column=Column(Numeric(10, 2), nullable=False))
    subcontractor_id: Optional[int] = Field(default=None, foreign_key="enterprise.id")
    people: int = Field(default=0)
    # Gender breakdown of ``people`` (issue 10): optional counts, never per named person; None on
    # all three = not stated. Their sum never exceeds ``people`` (procurement.impact.report_breakdown).
    people_women: Optional[int] = Field(default=None)
    people_men: Optional[int] = Field(default=None)
    people_other: Optional[int] = Field(default=None)  # another gender or not stated
    comment: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    status: str = Field(default=ReportStatus.SUBMITTED.value, max_length=20, index=True)
    submitted_at: datetime = Field(default_factory=utcnow)
    submitted_by: int = Field(foreign_key="user.id")
    decided_at: Optional[datetime] = Field(default=None)
    decided_by: Optional[int] = Field(default=None, foreign_key="user.id")
    decision_reason: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))

    @property
    def total_hours(self) -> Decimal:
        return Decimal(self.insertion_hours) + Decimal(self.training_hours) + Decimal(self.subcontracted_hours)


class ReportEvidence(SQLModel, table=True):
    """A file backing a report: PDF, PNG or JPEG (checked by its first bytes), stored under
    UPLOAD_DIR/monitoring with a random name, served only as an attachment."""

    __tablename__ = "report_evidence"

    id: Optional[int] = Field(default=None, primary_key=True)
    report_id: int = Field(foreign_key="contract_report.id", index=True)
    original_name: str = Field(default="", max_length=200)
    stored_name: str = Field(max_length=80, unique=True)
    mime: str = Field(max_length=40)
    size: int = Field(default=0)
    sha256: str = Field(max_length=64)
    uploaded_at: datetime = Field(default_factory=utcnow)
    uploaded_by: int = Field(foreign_key="user.id")
