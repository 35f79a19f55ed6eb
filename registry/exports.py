"""CSV, XLSX and JSON exports of profiles.

The columns are those of the import file (so an export can be re-imported) plus a few read-only
ones. Spreadsheet formula injection (OWASP "CSV injection"): a text cell beginning with ``=``, ``+``,
``-``, ``@``, a tab or a carriage return gets a leading apostrophe, so Excel or LibreOffice never
evaluates it; XLSX cells are also written explicitly as strings. JSON escapes ``<``, ``>`` and ``&``
so that no HTML can be smuggled through a JSON view opened in a browser.
"""
from __future__ import annotations

import csv
import io
import json
from collections import defaultdict

from openpyxl import Workbook
from sqlmodel import Session, select

from registry.models import Accreditation, Activity, Enterprise

IMPORT_COLUMNS = ["name", "enterprise_number", "legal_form", "types", "postal_code", "municipality",
                  "website", "email", "cpv_codes", "nace_codes", "staff_total", "staff_disadvantaged"]
EXTRA_COLUMNS = ["id", "status", "region", "nuts3", "trade_names", "languages"]
PUBLIC_COLUMNS = ["id", "name", "enterprise_number", "legal_form", "types", "postal_code", "municipality",
                  "region", "nuts3", "website", "languages", "cpv_codes", "staff_total", "staff_disadvantaged"]
DANGEROUS_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    """Text a spreadsheet would run as a formula gets a leading apostrophe; numbers pass unchanged."""
    if isinstance(value, str) and value.startswith(DANGEROUS_START):
        return "'" + value
    return value


def rows_for(session: Session, enterprises: list[Enterprise], columns: list[str], extra: dict | None = None) -> list[dict]:
    """One dict per enterprise; list fields joined with | (the import format)."""
    ids = [e.id for e in enterprises]
    types, cpv, nace = defaultdict(list), defaultdict(list), defaultdict(list)
    if ids:
        for acc in session.exec(select(Accreditation).where(Accreditation.enterprise_id.in_(ids)).order_by(Accreditation.type_code)):
            types[acc.enterprise_id].append(acc.type_code)
        for act in session.exec(select(Activity).where(Activity.enterprise_id.in_(ids)).order_by(Activity.id)):
            cpv[act.enterprise_id] += [c for c in act.cpv_codes if c not in cpv[act.enterprise_id]]
            nace[act.enterprise_id] += [c for c in act.nace_codes if c not in nace[act.enterprise_id]]
    out = []
    for e in enterprises:
        full = {
            "id": e.id, "name": e.legal_name, "enterprise_number": e.enterprise_number or "",
            "legal_form": e.legal_form, "types": "|".join(types[e.id]), "postal_code": e.postal_code,
            "municipality": e.municipality, "website": e.website, "email": e.email,
            "cpv_codes": "|".join(cpv[e.id]), "nace_codes": "|".join(nace[e.id]),
            "staff_total": e.staff_total, "staff_disadvantaged": e.staff_disadvantaged,
            "status": e.status, "region": e.region, "nuts3": e.nuts3,
            "trade_names": "|".join(e.trade_names or []), "languages": "|".join(e.languages or []),
        }
        full.update((extra or {}).get(e.id, {}))
        out.append({c: full.get(c) for c in columns})
    return out


def to_csv(rows: list[dict], columns: list[str]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, extrasaction="ignore", lineterminator="\r\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: neutralise("" if v is None else v) for k, v in row.items()})
    return buffer.getvalue()


def to_xlsx(rows: list[dict], columns: list[str], sheet: str = "enterprises") -> bytes:
    workbook = Workbook()
    ws = workbook.active
    ws.title = sheet
    ws.append(columns)
    for row in rows:
        ws.append([None] * len(columns))
        for col, key in enumerate(columns, start=1):
            value = row.get(key)
            cell = ws.cell(row=ws.max_row, column=col)
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                cell.value = value
            elif value is not None:
                cell.value = neutralise(str(value))
                cell.data_type = "s"  # never a formula, whatever the text
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def to_json(data) -> str:
    text = json.dumps(data, ensure_ascii=False, indent=1, default=str)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
