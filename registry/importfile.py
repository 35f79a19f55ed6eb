"""Reading an enterprise import file: CSV (UTF-8 or Windows-1252, ``,`` or ``;``) or JSON.

Pure module (no database): bytes in, rows with their line numbers out, or ``FileRejected`` with the
reason. Rows are checked by registry.importer.
"""
from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

COLUMNS = ["name", "enterprise_number", "legal_form", "types", "postal_code", "municipality", "website",
           "email", "cpv_codes", "nace_codes", "staff_total", "staff_disadvantaged"]
REQUIRED = ("name", "enterprise_number")
LIST_COLUMNS = ("types", "cpv_codes", "nace_codes")


@dataclass(frozen=True)
class RowError:
    line: int  # CSV: line where the record starts; JSON: record number; 0: the whole file
    column: str
    message: object  # lazy string, translated when shown
    record: bool = False  # True for JSON (``line`` is a record number)


@dataclass(frozen=True)
class Row:
    line: int
    values: dict
    record: bool = False


class FileRejected(ValueError):
    def __init__(self, errors: list[RowError]):
        super().__init__(f"{len(errors)} file error(s)")
        self.errors = errors


def _reject(message, line: int = 0, column: str = "") -> FileRejected:
    return FileRejected([RowError(line, column, message)])


def decode(data: bytes) -> str:
    """UTF-8 (with or without BOM), else Windows-1252; anything else is refused."""
    if not data.strip():
        raise _reject(_l("The file is empty."))
    if b"\x00" in data:
        raise _reject(_l("This is not a text file (it contains NUL bytes): export it as CSV or JSON."))
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError as exc:
        raise _reject(_l("The file is neither UTF-8 nor Windows-1252 text (byte %(pos)s).", pos=exc.start)) from exc


def _delimiter(first_line: str) -> str:
    """``;`` when the header has more semicolons than commas outside quotes, else ``,``."""
    outside = "".join(part for i, part in enumerate(first_line.split('"')) if i % 2 == 0)
    return ";" if outside.count(";") > outside.count(",") else ","


def read_rows(data: bytes, filename: str = "") -> list[Row]:
    text = decode(data)
    if filename.lower().endswith(".json") or text.lstrip()[:1] in ("[", "{"):
        return _json_rows(text)
    return _csv_rows(text)


def _check_header(header: list[str], line: int = 1, record: bool = False) -> None:
    unknown = [h for h in header if h not in COLUMNS]
    if unknown:
        raise FileRejected([RowError(line, unknown[0], _l("Unknown column “%(name)s”. Accepted columns: %(columns)s.",
                                                          name=unknown[0][:40], columns=", ".join(COLUMNS)), record)])
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise FileRejected([RowError(line, missing[0], _l("The column “%(name)s” is missing.", name=missing[0]), record)])


def _csv_rows(text: str) -> list[Row]:
    first = text.split("\n", 1)[0]
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(first), strict=True)
    rows: list[Row] = []
    header = None
    start = 1
    try:
        for record in reader:
            line, start = start, reader.line_num + 1
            if header is None:
                header = [h.strip().lower().lstrip("\ufeff") for h in record]
                _check_header(header)
                continue
            if not any(cell.strip() for cell in record):
                continue
            if len(record) != len(header):
                rows.append(Row(line, {"__error__": _l("Expected %(n)s columns, found %(m)s (check the separators "
                                                        "and quotes of this line).", n=len(header), m=len(record))}))
                continue
            rows.append(Row(line, dict(zip(header, (cell.strip() for cell in record)))))
    except csv.Error as exc:
        raise _reject(_l("Broken quote or separator from this line on (%(detail)s): nothing after it can be "
                         "read reliably. Fix the file and import it again.", detail=str(exc)), line=start) from exc
    if header is None:
        raise _reject(_l("The file is empty."))
    return rows


def _json_rows(text: str) -> list[Row]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise _reject(_l("Invalid JSON: %(detail)s.", detail=exc.msg), line=exc.lineno) from exc
    if isinstance(data, dict):
        data = data.get("enterprises")
    if not isinstance(data, list):
        raise _reject(_l("A JSON import is a list of objects (or {\"enterprises\": [...]})."))
    rows = []
    for number, item in enumerate(data, start=1):
        if not isinstance(item, dict):
            rows.append(Row(number, {"__error__": _l("Each record must be an object.")}, record=True))
            continue
        keys = [str(k).strip().lower() for k in item]
        _check_header(keys + [c for c in REQUIRED if c not in keys], number, True)
        values = {}
        for key, value in item.items():
            key = str(key).strip().lower()
            if isinstance(value, list):
                value = "|".join("" if v is None else str(v) for v in value)
            values[key] = "" if value is None else str(value).strip()
        rows.append(Row(number, values, record=True))
    return rows
