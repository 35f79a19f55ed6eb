"""Look-ups in the reference data: CPV and NACE codes, municipalities, postal codes, places.

Known CPV codes = the starter set shipped in the repository (registry.refdata_starter) plus the
codes imported into ``ref_cpv``. NACE codes are checked against the imported NACE-BEL list when it
exists, else against NACE Rev. 2 as shipped by python-stdnum (first four digits).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from sqlmodel import Session, or_, select
from stdnum.eu import nace as stdnum_nace

from registry.cpv import InvalidCPVCode, normalise_cpv
from registry.geo import NUTS3, REGIONS, region_of_nuts3, region_of_postal_code
from registry.normalise import fold
from registry.refdata_models import CpvCode, Municipality, NaceCode, PostalCode
from registry.refdata_starter import STARTER_CPV, STARTER_CPV_CODES

_STARTER = {code: {"en": en, "fr": fr, "nl": nl} for code, en, fr, nl in STARTER_CPV}


def split_cpv(codes) -> tuple[list[str], list[str]]:
    """(normalised codes, badly shaped inputs)."""
    good, bad = [], []
    for raw in codes:
        try:
            code = normalise_cpv(str(raw))
        except InvalidCPVCode:
            bad.append(str(raw))
            continue
        if code not in good:
            good.append(code)
    return good, bad


def unknown_cpv(session: Session, codes: list[str]) -> list[str]:
    """The normalised codes that are neither in the starter set nor in the imported list."""
    rest = [c for c in codes if c not in STARTER_CPV_CODES]
    if not rest:
        return []
    found = set(session.exec(select(CpvCode.code).where(CpvCode.code.in_(rest))).all())
    return [c for c in rest if c not in found]


def cpv_labels(session: Session, codes, lang: str) -> dict[str, str]:
    """Label of each code in ``lang`` (falls back to English, then to the bare code)."""
    codes = list(dict.fromkeys(codes))
    out = {}
    rows = {r.code: r for r in session.exec(select(CpvCode).where(CpvCode.code.in_(codes)))} if codes else {}
    for code in codes:
        row, starter = rows.get(code), _STARTER.get(code, {})
        text = (getattr(row, f"label_{lang}", "") if row else "") or starter.get(lang, "")
        out[code] = text or (row.label_en if row else "") or starter.get("en", "") or code
    return out


def cpv_options(session: Session, lang: str) -> list[tuple[str, str]]:
    """Starter codes as (code, label) for pick lists (imported codes are typed, not listed)."""
    labels = cpv_labels(session, sorted(STARTER_CPV_CODES), lang)
    return [(code, f"{code} {labels[code]}") for code in sorted(STARTER_CPV_CODES)]


def normalise_nace(raw: str) -> str | None:
    digits = re.sub(r"[\s.]", "", str(raw))
    return digits if re.fullmatch(r"\d{2,5}|\d{7}", digits) else None


def unknown_nace(session: Session, codes: list[str]) -> list[str]:
    """Codes that are not NACE-BEL codes (imported list) or, without it, not NACE Rev. 2 codes."""
    imported = session.exec(select(NaceCode.code).limit(1)).first() is not None
    bad = []
    for code in codes:
        if imported:
            ok = session.get(NaceCode, code) is not None
        else:
            ok = stdnum_nace.is_valid(code[:4]) if len(code) >= 2 else False
        if not ok:
            bad.append(code)
    return bad


@dataclass(frozen=True)
class Place:
    """Where a buyer looks: a region, a NUTS-3 area, or a municipality (with its NUTS-3 area)."""

    kind: str  # "region", "nuts3" or "municipality"
    code: str  # region code, NUTS-3 code, or folded municipality name
    label: str
    nuts3: str = ""
    region: str = ""


def find_municipality(session: Session, text: str) -> Municipality | None:
    key = fold(text)
    if not key:
        return None
    return session.exec(
        select(Municipality)
        .where(or_(Municipality.key_fr == key, Municipality.key_nl == key, Municipality.key_de == key))
        .order_by(Municipality.current.desc())
    ).first()


def find_postal_code(session: Session, postal_code: str) -> tuple[str, str]:
    """(municipality name, NUTS-3) of a postal code from the imported lists, or ('', '')."""
    row = session.exec(select(PostalCode).where(PostalCode.postal_code == postal_code)
                       .order_by(PostalCode.id)).first()
    if row is not None:
        return row.municipality or row.locality, row.nuts3
    muni = session.exec(select(Municipality).where(Municipality.main_postal_code == postal_code)).first()
    if muni is not None:
        return muni.name_fr or muni.name_nl, muni.nuts3
    return "", ""


def resolve_place(session: Session, text: str) -> Place | None:
    """A region or NUTS-3 code, a postal code, a municipality name (imported list), or the name of
    an arrondissement (starter set). None when nothing matches."""
    text = (text or "").strip()
    upper = text.upper()
    if upper in REGIONS:
        return Place("region", upper, REGIONS[upper], region=upper)
    if upper in NUTS3:
        return Place("nuts3", upper, NUTS3[upper][0], nuts3=upper, region=region_of_nuts3(upper))
    if re.fullmatch(r"\d{4}", text):
        name, nuts3 = find_postal_code(session, text)
        if name:
            return Place("municipality", fold(name), f"{text} {name}", nuts3, region_of_nuts3(nuts3))
        region = region_of_postal_code(text)
        return Place("region", region, REGIONS[region], region=region) if region else None
    muni = find_municipality(session, text)
    if muni is not None:
        return Place("municipality", fold(text), muni.name_fr or muni.name_nl, muni.nuts3, muni.region)
    key = fold(text)
    for code, (name, _lat, _lon) in NUTS3.items():
        if key and key in fold(name).split(" ", 1)[-1]:
            return Place("nuts3", code, name, nuts3=code, region=region_of_nuts3(code))
    return None


def resolve_seat(session: Session, postal_code: str, municipality: str, nuts3: str) -> tuple[str, str]:
    """(NUTS-3, region) of a seat: the chosen NUTS-3 area, else the postal code or municipality
    looked up in the imported lists; the region from the NUTS-3 area or the postal-code range."""
    if not nuts3 and postal_code:
        nuts3 = find_postal_code(session, postal_code)[1]
    if not nuts3 and municipality:
        muni = find_municipality(session, municipality)
        nuts3 = muni.nuts3 if muni else ""
    return nuts3, region_of_nuts3(nuts3) or region_of_postal_code(postal_code)


def municipality_nuts3(session: Session, names: list[str]) -> dict[str, str]:
    """Folded name -> NUTS-3 area ('' when the municipality is not in the imported list)."""
    out = {}
    for name in names:
        muni = find_municipality(session, name)
        out[fold(name)] = muni.nuts3 if muni else ""
    return out
