"""Loading the official code lists: ``flask --app app refdata import cpv|nace|municipalities FILE``.

Each importer upserts (running it twice changes nothing) and returns counts. Accepted files (the
formats of ``shared/data``, see its README):

- cpv: the CPV 2008 JSON ``{"45210000-2": "Building construction work", ...}``, or a CSV with
  ``code`` and ``eng``/``fra``/``nld`` columns (e.g. the Annex XIV social-services list) which adds
  French and Dutch labels;
- nace: NACE-BEL 2008 CSV ``code,level,parent,label_nl,label_fr,label_de,label_en``; codes of
  divisions 01-09 that lost their leading zero in the source (6 digits) are padded back to 7;
- municipalities: REFNIS CSV (``code,type,parent,...,predecessors``), the 581-municipality list
  (``NIS_code,municipality_NL,...,zip``), or the postal-code list (``name,zipCode,nisCode,...``).
  Import REFNIS first: postal codes are resolved to current municipalities through it.
"""
from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlmodel import Session, select

from registry.cpv import InvalidCPVCode, normalise_cpv
from registry.geo import nuts3_of_nis, region_of_nuts3
from registry.normalise import fold
from registry.refdata_models import CpvCode, Municipality, NaceCode, PostalCode


class RefdataError(ValueError):
    """The file is not one of the accepted formats; the message says why."""


@dataclass
class Counts:
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0

    def __str__(self) -> str:
        return (f"{self.added} added, {self.updated} updated, {self.unchanged} unchanged, "
                f"{self.skipped} skipped")


def _read_text(path: Path) -> str:
    data = Path(path).read_bytes()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise RefdataError(f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start})") from exc


def _csv_rows(text: str, delimiter: str = ",") -> tuple[list[str], list[dict]]:
    reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
    header = [h.strip() for h in (reader.fieldnames or [])]
    reader.fieldnames = header
    return header, list(reader)


def _apply(obj, values: dict, counts: Counts) -> None:
    changed = False
    for key, value in values.items():
        if getattr(obj, key) != value:
            setattr(obj, key, value)
            changed = True
    if changed:
        counts.updated += 1
    else:
        counts.unchanged += 1


def import_cpv(session: Session, path: Path) -> Counts:
    text = _read_text(path)
    counts = Counts()
    if text.lstrip().startswith("{"):
        labels = {}
        for key, label in json.loads(text).items():
            try:
                labels[normalise_cpv(key)] = {"label_en": str(label)[:400]}
            except InvalidCPVCode:
                counts.skipped += 1
    else:
        header, rows = _csv_rows(text)
        if "code" not in header:
            raise RefdataError(f"{path}: expected a CPV JSON object or a CSV with a 'code' column")
        labels = {}
        for row in rows:
            try:
                code = normalise_cpv(row["code"])
            except InvalidCPVCode:
                counts.skipped += 1
                continue
            values = {f"label_{lang}": (row.get(col) or "")[:400]
                      for lang, col in (("en", "eng"), ("fr", "fra"), ("nl", "nld")) if row.get(col)}
            labels[code] = values
    existing = {r.code: r for r in session.exec(select(CpvCode))}
    for code, values in labels.items():
        if code in existing:
            _apply(existing[code], values, counts)
        else:
            session.add(CpvCode(code=code, **values))
            counts.added += 1
    return counts


def _nace_code(raw: str) -> str:
    code = raw.strip()
    # Source quirk (shared/data README): 7-digit items of divisions 01-09 lost their leading zero.
    if code.isdigit() and len(code) == 6:
        code = "0" + code
    return code


_NACE_LEVEL = {1: 1, 2: 2, 3: 3, 4: 4, 5: 5, 7: 6}


def import_nace(session: Session, path: Path) -> Counts:
    header, rows = _csv_rows(_read_text(path))
    if not {"code", "parent", "label_fr", "label_nl"} <= set(header):
        raise RefdataError(f"{path}: expected NACE-BEL columns code,level,parent,label_nl,label_fr,...")
    counts = Counts()
    existing = {r.code: r for r in session.exec(select(NaceCode))}
    for row in rows:
        code = _nace_code(row["code"])
        if not code or len(code) not in _NACE_LEVEL or not (code.isdigit() or len(code) == 1):
            counts.skipped += 1
            continue
        parent = row.get("parent", "").strip()
        if code != row["code"].strip() and parent.isdigit():  # the parent lost its zero too
            parent = "0" + parent
        values = {"level": _NACE_LEVEL[len(code)], "parent": parent,
                  **{f"label_{lang}": (row.get(f"label_{lang}") or "")[:400] for lang in ("en", "fr", "nl", "de")}}
        if code in existing:
            _apply(existing[code], values, counts)
        else:
            existing[code] = NaceCode(code=code, **values)
            session.add(existing[code])
            counts.added += 1
    return counts


def _municipality_values(nis: str, fr: str, nl: str, de: str) -> dict:
    nuts3 = nuts3_of_nis(nis)
    return {"name_fr": fr[:120], "name_nl": nl[:120], "name_de": de[:120], "key_fr": fold(fr)[:120],
            "key_nl": fold(nl)[:120], "key_de": fold(de)[:120], "nuts3": nuts3,
            "region": region_of_nuts3(nuts3)}


def import_municipalities(session: Session, path: Path) -> Counts:
    text = _read_text(path)
    header, rows = _csv_rows(text)
    if {"code", "type", "parent", "predecessors"} <= set(header):
        return _import_refnis(session, rows)
    if {"NIS_code", "municipality_FR", "municipality_NL", "zip"} <= set(header):
        return _import_581(session, rows)
    if {"name", "zipCode", "nisCode"} <= set(header):
        return _import_postcodes(session, rows)
    raise RefdataError(f"{path}: expected a REFNIS, 581-municipality or postal-code CSV (header: {header[:6]})")


def _import_refnis(session: Session, rows: list[dict]) -> Counts:
    counts = Counts()
    today = date.today().isoformat()
    existing = {m.nis_code: m for m in session.exec(select(Municipality))}
    for row in rows:
        if row.get("type") != "municipality":
            continue
        nis = row["code"].strip()
        values = _municipality_values(nis, row.get("label_fr", ""), row.get("label_nl", ""), row.get("label_de", ""))
        values["current"] = (row.get("end") or "9999-12-31") > today
        values["predecessors"] = [p for p in (row.get("predecessors") or "").split(";") if p and p != nis]
        if nis in existing:
            _apply(existing[nis], values, counts)
        else:
            existing[nis] = Municipality(nis_code=nis, **values)
            session.add(existing[nis])
            counts.added += 1
    return counts


def _import_581(session: Session, rows: list[dict]) -> Counts:
    counts = Counts()
    existing = {m.nis_code: m for m in session.exec(select(Municipality))}
    merged = {old for m in existing.values() if m.current for old in m.predecessors}
    for row in rows:
        nis = row["NIS_code"].strip()
        zip_code = (row.get("zip") or "").strip()[:4]
        if nis in existing:  # keep names and "current" from REFNIS; add the main postal code
            _apply(existing[nis], {"main_postal_code": zip_code}, counts)
            continue
        values = _municipality_values(nis, row["municipality_FR"], row["municipality_NL"], "")
        values["current"] = nis not in merged  # merged since (REFNIS imported first says so)
        existing[nis] = Municipality(nis_code=nis, main_postal_code=zip_code, **values)
        session.add(existing[nis])
        counts.added += 1
    return counts


def _import_postcodes(session: Session, rows: list[dict]) -> Counts:
    counts = Counts()
    municipalities = {m.nis_code: m for m in session.exec(select(Municipality))}
    successor = {old: m for m in municipalities.values() if m.current for old in m.predecessors}
    by_name = {key: m for m in municipalities.values() if m.current for key in (m.key_fr, m.key_nl) if key}
    existing = {(p.postal_code, p.locality): p for p in session.exec(select(PostalCode))}
    for row in rows:
        postal, locality, nis = row["zipCode"].strip(), row["name"].strip()[:120], row["nisCode"].strip()
        if not (postal.isdigit() and len(postal) == 4):
            counts.skipped += 1
            continue
        muni = municipalities.get(nis)
        if muni is not None and not muni.current:
            muni = successor.get(nis, muni)
        if muni is None:  # renumbered or merged since the list was made: successor, else same name
            muni = successor.get(nis) or by_name.get(fold(locality))
        values = {"nis_code": muni.nis_code if muni else nis,
                  "municipality": (muni.name_fr or muni.name_nl) if muni else locality,
                  "nuts3": muni.nuts3 if muni else nuts3_of_nis(nis)}
        if muni is not None and row.get("main") == "1" and not muni.main_postal_code:
            muni.main_postal_code = postal
        key = (postal, locality)
        if key in existing:
            _apply(existing[key], values, counts)
        else:
            existing[key] = PostalCode(postal_code=postal, locality=locality, **values)
            session.add(existing[key])
            counts.added += 1
    return counts


IMPORTERS = {"cpv": import_cpv, "nace": import_nace, "municipalities": import_municipalities}
