"""Social-economy enterprise profiles and who manages them.

An ``Enterprise`` (profile) has social-economy types with their accreditation (``Accreditation``),
activities (``Activity``: CPV/NACE codes × service type × coverage), references of past public
contracts (``Reference``), a field-level change history (``EnterpriseChange``) and the requests of
firm users who say "this is us" (``AccessRequest``). ``ActivityCpv`` and ``ActivityArea`` are
derived rows, rewritten with their activity, that let the database filter by CPV prefix and by
place without reading JSON. Reference data tables live in ``registry.refdata_models``.
"""
from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Optional

from sqlalchemy import JSON, Numeric, Text, UniqueConstraint
from sqlmodel import Column, Field, SQLModel

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
    updated_at: datetime = Field(default_factory=utcnow, index=True)
    # Profile
    trade_names: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    legal_form: str = Field(default="", max_length=20)  # registry.codes.LEGAL_FORM_LABELS
    street: str = Field(default="", max_length=200)  # seat address: street and number
    postal_code: str = Field(default="", max_length=4)
    municipality: str = Field(default="", max_length=120)
    region: str = Field(default="", max_length=3, index=True)  # BE1 / BE2 / BE3
    nuts3: str = Field(default="", max_length=5, index=True)
    website: str = Field(default="", max_length=300)
    email: str = Field(default="", max_length=254)
    languages: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    description: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    # Workforce (Dir. 2014/24/EU art. 20; law of 17 June 2016 art. 15: share of disadvantaged workers)
    staff_total: Optional[int] = Field(default=None)
    staff_disadvantaged: Optional[int] = Field(default=None)
    # Capacity
    turnover_band: str = Field(default="", max_length=20)  # registry.codes.TURNOVER_LABELS
    max_contract_eur: Optional[Decimal] = Field(default=None, sa_column=Column(Numeric(14, 2)))
    # Territory served (employment-purpose enterprises, registry.codes.TERRITORY_TYPES): names of
    # municipalities of the reference list (registry.refdata), as the list spells them.
    served_municipalities: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    # Validation
    validated_at: Optional[datetime] = Field(default=None)
    status_reason: str = Field(default="", max_length=500)


class EnterpriseMember(SQLModel, table=True):
    """A firm user who may edit an enterprise's profile and bid in its name."""

    __tablename__ = "enterprise_member"

    enterprise_id: int = Field(foreign_key="enterprise.id", primary_key=True)
    user_id: int = Field(foreign_key="user.id", primary_key=True)
    created_at: datetime = Field(default_factory=utcnow)


class Accreditation(SQLModel, table=True):
    """One social-economy type of an enterprise and its accreditation (agrément / erkenning)."""

    __tablename__ = "enterprise_accreditation"
    __table_args__ = (UniqueConstraint("enterprise_id", "type_code"),)

    id: Optional[int] = Field(default=None, primary_key=True)
    enterprise_id: int = Field(foreign_key="enterprise.id", index=True)
    type_code: str = Field(max_length=30, index=True)  # registry.codes.SocialType
    number: str = Field(default="", max_length=60)
    issuing_region: str = Field(default="", max_length=5)  # registry.codes.ISSUER_LABELS
    valid_from: Optional[date] = Field(default=None)
    valid_until: Optional[date] = Field(default=None, index=True)
    # Uploaded proof: stored under UPLOAD_DIR/registry with a random name (registry.uploads).
    proof_file: str = Field(default="", max_length=64)
    proof_filename: str = Field(default="", max_length=200)
    proof_mime: str = Field(default="", max_length=40)
    proof_size: int = Field(default=0)
    proof_sha256: str = Field(default="", max_length=64)
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


class Activity(SQLModel, table=True):
    """What an enterprise does, as in the French inclusive-market directory: codes × service type ×
    coverage."""

    __tablename__ = "enterprise_activity"

    id: Optional[int] = Field(default=None, primary_key=True)
    enterprise_id: int = Field(foreign_key="enterprise.id", index=True)
    service_type: str = Field(max_length=20, index=True)  # registry.codes.ServiceType
    cpv_codes: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    nace_codes: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    coverage_kind: str = Field(default="country", max_length=20)  # registry.codes.CoverageKind
    # Region codes, NUTS-3 codes or municipality names, depending on coverage_kind.
    coverage_areas: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    radius_km: Optional[int] = Field(default=None)
    description: str = Field(default="", max_length=500)
    source: str = Field(default="form", max_length=10)  # "form" or "import"
    created_at: datetime = Field(default_factory=utcnow)


class ActivityCpv(SQLModel, table=True):
    """Derived: one row per CPV code of an activity (prefix filters in SQL)."""

    __tablename__ = "enterprise_activity_cpv"

    activity_id: int = Field(foreign_key="enterprise_activity.id", primary_key=True)
    code: str = Field(max_length=8, primary_key=True, index=True)
    enterprise_id: int = Field(foreign_key="enterprise.id", index=True)


class ActivityArea(SQLModel, table=True):
    """Derived: the NUTS-3 areas (and listed municipalities) an activity covers."""

    __tablename__ = "enterprise_activity_area"

    id: Optional[int] = Field(default=None, primary_key=True)
    activity_id: int = Field(foreign_key="enterprise_activity.id", index=True)
    enterprise_id: int = Field(foreign_key="enterprise.id", index=True)
    nuts3: Optional[str] = Field(default=None, max_length=5, index=True)
    # Folded municipality name (registry.normalise.fold) when the coverage lists municipalities.
    municipality_key: Optional[str] = Field(default=None, max_length=120, index=True)


class Reference(SQLModel, table=True):
    """A past public contract the enterprise performed."""

    __tablename__ = "enterprise_reference"

    id: Optional[int] = Field(default=None, primary_key=True)
    enterprise_id: int = Field(foreign_key="enterprise.id", index=True)
    buyer: str = Field(max_length=200)
    year: int
    amount_eur: Optional[Decimal] = Field(default=None, sa_column=Column(Numeric(14, 2)))
    description: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    created_at: datetime = Field(default_factory=utcnow)


class EnterpriseChange(SQLModel, table=True):
    """History of a profile: who changed what, when (field -> [old, new])."""

    __tablename__ = "enterprise_change"

    id: Optional[int] = Field(default=None, primary_key=True)
    enterprise_id: int = Field(foreign_key="enterprise.id", index=True)
    at: datetime = Field(default_factory=utcnow)
    actor_id: Optional[int] = Field(default=None, foreign_key="user.id")
    actor_email: str = Field(default="", max_length=254)
    action: str = Field(max_length=40)
    changes: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))


class AccessRequestStatus(str, Enum):
    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"


class AccessRequest(SQLModel, table=True):
    """"This is us": a firm user asks to manage an existing profile; a member or an admin decides."""

    __tablename__ = "enterprise_access_request"

    id: Optional[int] = Field(default=None, primary_key=True)
    enterprise_id: int = Field(foreign_key="enterprise.id", index=True)
    user_id: int = Field(foreign_key="user.id", index=True)
    message: str = Field(default="", max_length=500)
    status: str = Field(default=AccessRequestStatus.PENDING.value, max_length=20, index=True)
    created_at: datetime = Field(default_factory=utcnow)
    decided_at: Optional[datetime] = Field(default=None)
    decided_by_id: Optional[int] = Field(default=None, foreign_key="user.id")


# Reference-data tables are part of this package's schema (common.migrate imports registry.models).
from registry.refdata_models import CpvCode, Municipality, NaceCode, PostalCode  # noqa: E402,F401
