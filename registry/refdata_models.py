"""Reference data loaded by ``flask --app app refdata import``: CPV, NACE-BEL, municipalities and
postal codes. The starter sets (registry.refdata_starter, registry.geo) need no table."""
from __future__ import annotations

from typing import Optional

from sqlalchemy import JSON
from sqlmodel import Column, Field, SQLModel


class CpvCode(SQLModel, table=True):
    """A CPV 2008 code (8 digits, no check digit) with its labels."""

    __tablename__ = "ref_cpv"

    code: str = Field(primary_key=True, max_length=8)
    label_en: str = Field(default="", max_length=400)
    label_fr: str = Field(default="", max_length=400)
    label_nl: str = Field(default="", max_length=400)


class NaceCode(SQLModel, table=True):
    """A NACE-BEL 2008 code (digits only: 2 to 5 digits, or 7 for explanatory sub-items)."""

    __tablename__ = "ref_nace"

    code: str = Field(primary_key=True, max_length=7)
    level: int = Field(default=0)
    parent: str = Field(default="", max_length=7)
    label_en: str = Field(default="", max_length=400)
    label_fr: str = Field(default="", max_length=400)
    label_nl: str = Field(default="", max_length=400)
    label_de: str = Field(default="", max_length=400)


class Municipality(SQLModel, table=True):
    """A Belgian municipality (REFNIS code) with its NUTS-3 area and region."""

    __tablename__ = "ref_municipality"

    nis_code: str = Field(primary_key=True, max_length=5)
    name_fr: str = Field(default="", max_length=120)
    name_nl: str = Field(default="", max_length=120)
    name_de: str = Field(default="", max_length=120)
    # Folded names (registry.normalise.fold) for look-ups whatever the spelling of accents and case.
    key_fr: str = Field(default="", max_length=120, index=True)
    key_nl: str = Field(default="", max_length=120, index=True)
    key_de: str = Field(default="", max_length=120, index=True)
    nuts3: str = Field(default="", max_length=5, index=True)
    region: str = Field(default="", max_length=3)
    main_postal_code: str = Field(default="", max_length=4, index=True)
    predecessors: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    current: bool = Field(default=True)


class PostalCode(SQLModel, table=True):
    """A postal code and one locality it serves, resolved to a municipality and NUTS-3 area."""

    __tablename__ = "ref_postal_code"

    id: Optional[int] = Field(default=None, primary_key=True)
    postal_code: str = Field(max_length=4, index=True)
    locality: str = Field(max_length=120)
    nis_code: str = Field(default="", max_length=5)
    municipality: str = Field(default="", max_length=120)
    nuts3: str = Field(default="", max_length=5)
