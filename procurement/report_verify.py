"""Recompute a scoring report from the file alone.

Steps, stopping at the first difference: read the embedded ``scoring-input.json`` and
``scoring-result.json``; check the SHA-256 of each against the hashes printed in the report;
recompute the result with the current engine (``procurement.scoring.score_json``) and compare it
with the embedded result, field by field; compare the winner, ranks and totals printed in the
report's "figures for verification" section with the recomputed ones. A report altered after it
was generated (attachment rewritten, figure changed) fails one of these checks.
No Flask, no database.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from io import BytesIO

from pypdf import PdfReader

from procurement.scoring import ScoringError, canonical_hash, score_json

INPUT_NAME = "scoring-input.json"
RESULT_NAME = "scoring-result.json"
IGNORED = {"engine"}  # the engine's name and version may differ; the figures may not
_HEX = re.compile(r"([0-9a-f][0-9a-f\s]{63,})")
_BID = re.compile(r"^bid (\S+) rank (\d+) total (-|\d+\.\d{2})$", re.M)


@dataclass
class Verification:
    ok: bool
    message: str
    notes: list[str] = field(default_factory=list)
    input_hash: str = ""
    result_hash: str = ""
    tender: dict = field(default_factory=dict)  # the input's "tender": reference and lot


def first_difference(expected, actual, path: str = "$") -> str | None:
    """Where two JSON values first differ (None when equal)."""
    if isinstance(expected, dict) and isinstance(actual, dict):
        for key in sorted(set(expected) | set(actual), key=str):
            if key in IGNORED and path == "$":
                continue
            if key not in expected or key not in actual:
                return f"{path}.{key}: present on one side only"
            diff = first_difference(expected[key], actual[key], f"{path}.{key}")
            if diff:
                return diff
        return None
    if isinstance(expected, list) and isinstance(actual, list):
        if len(expected) != len(actual):
            return f"{path}: {len(expected)} items stated, {len(actual)} recomputed"
        for i, (a, b) in enumerate(zip(expected, actual)):
            diff = first_difference(a, b, f"{path}[{i}]")
            if diff:
                return diff
        return None
    if expected != actual or type(expected) is bool and type(actual) is not bool:
        return f"{path}: stated {expected!r}, recomputed {actual!r}"
    return None


def _printed_hash(text: str, label: str) -> str | None:
    pos = text.find(label + ":")
    if pos < 0:
        return None
    match = _HEX.match(text[pos + len(label) + 1:].lstrip())
    return re.sub(r"\s", "", match.group(1))[:64] if match else None


def report_text(reader: PdfReader) -> tuple[str, str | None]:
    """The text of the report's last pages, from the one holding the verification section on
    (extracting every page of a long report would take most of the verification time), and a
    problem when a page's footer ("page / pages") does not match its place: pages added to or
    removed from the end of the report are caught that way."""
    total = len(reader.pages)
    pages: list[str] = []
    for number in range(total, 0, -1):
        text = reader.pages[number - 1].extract_text() or ""
        if f"{number} / {total}" not in text:
            return "", f"page {number} does not carry its number '{number} / {total}': pages were added or removed"
        pages.insert(0, text)
        if "input-sha256:" in text:
            break
    return "\n".join(pages), None


def verify_report(pdf_bytes: bytes) -> Verification:
    try:
        reader = PdfReader(BytesIO(pdf_bytes))
        files = {name: contents[0] for name, contents in reader.attachments.items()}
    except Exception as exc:  # noqa: BLE001 - any unreadable PDF is a failed verification
        return Verification(False, f"the file cannot be read as a PDF: {exc}")
    for name in (INPUT_NAME, RESULT_NAME):
        if name not in files:
            return Verification(False, f"the report has no embedded {name}")
    try:
        data = json.loads(files[INPUT_NAME].decode("utf-8"))
        stated = json.loads(files[RESULT_NAME].decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        return Verification(False, f"an embedded file is not valid JSON: {exc}")
    input_hash, result_hash = canonical_hash(data), canonical_hash(stated)
    text, problem = report_text(reader)
    if problem:
        return Verification(False, problem)
    printed_input, printed_result = _printed_hash(text, "input-sha256"), _printed_hash(text, "result-sha256")
    if printed_input != input_hash:
        return Verification(False, f"input hash: printed {printed_input}, embedded input hashes to {input_hash}")
    if printed_result != result_hash:
        return Verification(False, f"result hash: printed {printed_result}, embedded result hashes to {result_hash}")
    try:
        recomputed = score_json(data)
    except ScoringError as exc:
        return Verification(False, f"the embedded input is refused by the engine: {exc}")
    diff = first_difference(stated, recomputed)
    if diff:
        return Verification(False, f"embedded result differs from the recomputation at {diff}")
    diff = _printed_figures_difference(text, recomputed)
    if diff:
        return Verification(False, f"figures printed in the report differ from the recomputation: {diff}")
    notes = []
    if stated.get("engine") != recomputed.get("engine"):
        notes.append(f"engine version: report {stated.get('engine')}, current {recomputed.get('engine')}")
    return Verification(True, "VERIFIED", notes, input_hash, result_hash, dict(data.get("tender") or {}))


def _printed_figures_difference(text: str, result: dict) -> str | None:
    winner = re.search(r"^winner: (\S+)$", text, re.M)
    expected_winner = result.get("winner") or "-"
    if winner is None or winner.group(1) != expected_winner:
        return f"winner printed {winner.group(1) if winner else None!r}, recomputed {expected_winner!r}"
    printed = _BID.findall(text)
    expected = [(b["id"], str(b["rank"]), "-" if b.get("total") is None else f"{b['total']:.2f}")
                for b in result.get("bids", [])]
    if len(printed) != len(expected):
        return f"{len(printed)} bids printed, {len(expected)} recomputed"
    for got, want in zip(printed, expected):
        if got != want:
            return (f"bid {want[0]}: printed rank {got[1]} total {got[2]} (as {got[0]}), "
                    f"recomputed rank {want[1]} total {want[2]}")
    return None
