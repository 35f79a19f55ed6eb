"""Tender documents (special specifications: cahier spécial des charges / bestek).

``document_data`` turns a tender into plain, JSON-able data in ONE language (fixed wording from
``procurement.document_text``); the HTML/PDF template and the DOCX builder only lay that data out,
so the three formats carry the same content. The data's SHA-256 (plus a fingerprint of the
templates and builders) is the document's content hash: the same tender gives the same hash (the
date printed is the tender's last update, never "now"), and a repeated request is served from a
file cache under ``DOCUMENT_CACHE_DIR`` (default ``instance/cache/documents``) keyed by that hash.
Files, not memory, so that every worker process and the CLI share it and it survives restarts;
the least recently used files beyond ``DOCUMENT_CACHE_MAX_FILES`` are removed.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
import tempfile
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any, Mapping

from sqlmodel import Session

from clauses.library import Library, default_library, render
from clauses.parameters import format_date, format_number, format_percent
from common.formatting import money as _money
from common.timeutil import to_brussels
from procurement import tender_queries as q
from procurement.advice import LEGAL_BASIS, OPEN_EU, OPEN_NATIONAL, SOCIAL_SERVICES_BASIS
from procurement.document_text import t
from procurement.models import Tender, TenderStatus

FORMATS = {"pdf": "application/pdf", "html": "text/html; charset=utf-8",
           "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}
ROOT = Path(__file__).resolve().parent.parent
FINGERPRINT_FILES = ("templates/pdf/tender_document.html", "templates/pdf/_tender_body.html",
                     "templates/pdf/print.css", "templates/pdf/tender_document.css",
                     "procurement/docx_builder.py", "procurement/documents.py")
PUBLICATION = {OPEN_EU: "eu", OPEN_NATIONAL: "belgian"}
EXAMPLES = {"low": Decimal(100000), "high": Decimal(150000), "bid": Decimal(125000),
            "best": Decimal(1000), "offer": Decimal(600), "small": Decimal(10), "more": Decimal(20)}


def _paragraphs(text: str) -> list[str]:
    return [p.strip() for p in re.split(r"\n\s*\n", text or "") if p.strip()]


def _when(value, lang: str) -> str:
    if value is None:
        return t("not_set", lang)
    local = to_brussels(value)
    return t("at_time", lang, date=format_date(local.date(), lang), time=local.strftime("%H:%M"))


def _num(value: Any, lang: str, places: int | None = None) -> str:
    return format_number(Decimal(str(value)), lang, places)


def _criterion(c, lang: str, weighted: bool) -> dict[str, str]:
    """Label, formula written out and a worked example (same rules as procurement.scoring)."""
    w = Decimal(c.weight) if weighted else Decimal(1)
    w_text = f"{_num(w, lang)} × " if weighted else ""
    prefix = t("score_points" if weighted else "score_unit", lang)
    e, unit = EXAMPLES, c.unit or ""
    if c.kind == "price":
        key = "linear" if c.formula == "linear" else "proportional"
        if key == "linear":
            value = w * (e["high"] - e["bid"]) / (e["high"] - e["low"])
            calc = f"{w_text}({_num(e['high'], lang)} − {_num(e['bid'], lang)}) ÷ " \
                   f"({_num(e['high'], lang)} − {_num(e['low'], lang)})"
        else:
            value = w * e["low"] / e["bid"]
            calc = f"{w_text}{_num(e['low'], lang)} ÷ {_num(e['bid'], lang)}"
        example = t(f"ex_{key}", lang, low=_num(e["low"], lang), high=_num(e["high"], lang),
                    bid=_num(e["bid"], lang))
        formula = t(f"f_{key}", lang, w=w_text)
        states = t("state_price", lang)
    elif c.kind == "quantity":
        key = "lower" if c.better == "lower" else "higher"
        best, bid = (e["small"], e["more"]) if key == "lower" else (e["best"], e["offer"])
        value = w * best / bid if key == "lower" else w * bid / best
        calc = f"{w_text}{_num(best if key == 'lower' else bid, lang)} ÷ " \
               f"{_num(bid if key == 'lower' else best, lang)}"
        example = t(f"ex_{key}", lang, best=_num(best, lang), bid=_num(bid, lang), unit=unit)
        formula = t(f"f_{key}", lang, w=w_text)
        states = t("state_quantity", lang, unit=unit or "…")
    else:
        scale = Decimal(c.scale or 10)
        rating = max(Decimal(1), (scale * Decimal("0.7")).to_integral_value())
        value = w * rating / scale
        calc = f"{w_text}{_num(rating, lang)} ÷ {_num(scale, lang)}"
        example = t("ex_rating", lang, bid=_num(rating, lang), scale=_num(scale, lang))
        formula = t("f_rating", lang, w=w_text, scale=_num(scale, lang))
        states = t("state_rating", lang, label=c.label(lang))
    result = _num(value, lang, 2)
    return {
        "code": c.code, "label": c.label(lang), "kind": t(f"kind_{c.kind}", lang),
        "weight": t("points", lang, n=_num(c.weight, lang)) if weighted else "",
        "formula": prefix + formula,
        "example": (f"{t('example', lang)}{' :' if lang == 'fr' else ':'} {example} → {calc} = "
                    f"{t('points', lang, n=result) if weighted else result}"),
        "grid": _paragraphs(c.scoring_grid), "link": c.link_to_subject or "", "states": states,
    }


def _joint_data(session: Session, tender: Tender, lang: str) -> dict[str, Any] | None:
    """Joint tenders: the accepted participants and their shares per lot (None otherwise)."""
    from procurement.joint_services import group_estimate, participant_rows

    rows = [r for r in participant_rows(session, tender) if r["participation"].status == "accepted"]
    if not rows:
        return None
    participants = []
    for row in rows:
        shares = [{"lot": t("lot", lang, n=number), "share": format_percent(Decimal(s.share_pct), lang),
                   "value": _num(s.estimated_value, lang, 2) + " EUR" if s.estimated_value is not None else "",
                   "quantity": s.quantity} for number, s in row["shares"].items()]
        participants.append({"name": row["authority"].name,
                             "enterprise_number": row["authority"].enterprise_number or "", "shares": shares})
    return {"participants": participants,
            "group_value": _num(group_estimate(session, tender).total, lang, 2)}


def document_data(session: Session, tender: Tender, lang: str, *, settings: Mapping[str, Any],
                  library: Library | None = None) -> dict[str, Any]:
    """Everything the document shows, as plain strings (user text still unescaped)."""
    library = library or default_library()
    authority = q.authority_of(session, tender)
    advice = q.procedure_advice_for(session, tender, settings)
    chosen = tender.procedure or advice.procedure
    lots = q.lots_of(session, tender)
    lot_numbers = {lot.id: lot.number for lot in lots}
    lot_rows = []
    for lot in lots:
        weighted = lot.criteria_mode != "order"
        lot_rows.append({
            "number": lot.number, "label": t("lot", lang, n=lot.number), "title": lot.title(lang),
            "cpv": ", ".join(lot.cpv_codes or []), "value": _money(lot.estimated_value, lang),
            "reservation": t(f"reservation_{lot.reservation}", lang), "weighted": weighted,
            "justification": lot.criteria_justification,
            "criteria": [_criterion(c, lang, weighted) for c in q.criteria_of(session, lot)],
        })
    clauses = []
    for clause, tc in q.clauses_with_library(session, tender, library):
        number = lot_numbers.get(tc.lot_id)
        clauses.append({
            "id": clause.id, "title": clause.title[lang],
            "scope": t("lot", lang, n=number) if number else t("applies_to_all", lang),
            "legal_basis": list(clause.legal_basis),
            "paragraphs": _paragraphs(render(clause, lang, tc.parameters)),
            "version": t("clause_version", lang, id=clause.id, version=clause.version),
        })
    ins = tender.insertion or {}
    insertion = t("insertion_text", lang, amount=_num(ins["amount"], lang, 2),
                  share=format_percent(Decimal(ins["labour_share"]) * 100, lang),
                  rate=format_percent(Decimal(ins["rate"]) * 100, lang),
                  cost=_num(ins["hourly_cost"], lang), hours=_num(ins["hours"], lang)) if ins else ""
    joint = _joint_data(session, tender, lang)
    updated = to_brussels(tender.updated_at)
    status = "status_draft" if tender.status == TenderStatus.DRAFT.value else "status_published"
    return {
        "lang": lang, "reference": tender.reference, "title": tender.title(lang),
        "description": _paragraphs(tender.description(lang)),
        "version": f"{tender.revision} ({t(status, lang)})", "generated": format_date(updated.date(), lang),
        "authority": {"name": getattr(authority, "name", ""),
                      "enterprise_number": getattr(authority, "enterprise_number", "") or "",
                      "municipality": getattr(authority, "municipality", "") or ""},
        "nature": t(f"nature_{tender.nature}", lang),
        "social_services": t("social_services", lang) if tender.social_services else "",
        "cpv": ", ".join([tender.cpv_main, *(tender.cpv_additional or [])]),
        "place": " – ".join(x for x in (tender.municipality, tender.nuts3) if x),
        "duration": t("months", lang, n=tender.duration_months) if tender.duration_months else "",
        "estimated_value": _money(tender.estimated_value, lang),
        "procedure": {
            "label": t(f"proc_{chosen}", lang),
            "publication": t("publication_" + PUBLICATION.get(chosen, "none"), lang),
            "legal_basis": list(LEGAL_BASIS[chosen]) + (
                [SOCIAL_SERVICES_BASIS] if tender.social_services else []),
            "differs": t("procedure_differs", lang, advised=t(f"proc_{advice.procedure}", lang))
            if chosen != advice.procedure else "",
            "justification": tender.procedure_justification if chosen != advice.procedure else "",
        },
        "timeline": [(t(name, lang), _when(q.as_utc(getattr(tender, name)), lang)) for name in
                     ("publication_date", "question_deadline", "bid_deadline", "opening_at")],
        "lots": lot_rows, "clauses": clauses, "insertion": insertion, "joint": joint,
        "social_clause_justification": tender.social_clause_justification,
        "plan_rows": [t(k, lang) for k in ("plan_target", "plan_people", "plan_tasks",
                                           "plan_supervision", "plan_training", "plan_partners",
                                           "plan_schedule", "plan_reporting")],
    }


@lru_cache(maxsize=1)
def _fingerprint() -> str:
    digest = hashlib.sha256()
    for name in FINGERPRINT_FILES:
        path = ROOT / name
        digest.update(path.read_bytes() if path.exists() else b"")
    return digest.hexdigest()


def content_hash(data: Mapping[str, Any]) -> str:
    canonical = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256((_fingerprint() + canonical).encode("utf-8")).hexdigest()


class DocumentCache:
    """Rendered documents on disk, named ``<content hash>.<format>``; least recently used pruned."""

    def __init__(self, directory: Path | str, max_files: int = 200):
        self.directory, self.max_files = Path(directory), max(1, int(max_files))

    def get(self, key: str) -> bytes | None:
        path = self.directory / key
        try:
            content = path.read_bytes()
        except FileNotFoundError:
            return None
        os.utime(path)  # mark as recently used
        return content

    def put(self, key: str, content: bytes) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=self.directory, prefix=".tmp-")
        with os.fdopen(fd, "wb") as fh:
            fh.write(content)
        os.replace(tmp, self.directory / key)  # atomic: readers never see half a file
        files = sorted((p for p in self.directory.iterdir() if not p.name.startswith(".")),
                       key=lambda p: p.stat().st_mtime)
        for old in files[:-self.max_files]:
            old.unlink(missing_ok=True)


@dataclass(frozen=True)
class RenderedDocument:
    content: bytes
    content_hash: str
    cache_hit: bool
    filename: str
    mimetype: str


def cache_for(settings: Mapping[str, Any], instance_path: str) -> DocumentCache:
    directory = settings.get("DOCUMENT_CACHE_DIR") or os.path.join(instance_path, "cache", "documents")
    return DocumentCache(directory, settings.get("DOCUMENT_CACHE_MAX_FILES", 200))


def render_document(data: Mapping[str, Any], fmt: str, *, tender: Tender, author: str) -> bytes:
    """Lay ``data`` out as pdf, docx or html (pdf and html need an app context; outside a request,
    e.g. in the CLI, a request context is made up for the template machinery)."""
    title = f"{t('doc_kind', data['lang'])} – {data['reference']} – {data['title']}"
    if fmt == "docx":
        from procurement.docx_builder import build_docx

        return build_docx(data, title=title, author=author, created=tender.updated_at)
    from flask import current_app, has_request_context

    if not has_request_context():
        with current_app.test_request_context():
            return _render_html_or_pdf(data, fmt, tender=tender, title=title, author=author)
    return _render_html_or_pdf(data, fmt, tender=tender, title=title, author=author)


def _render_html_or_pdf(data: Mapping[str, Any], fmt: str, *, tender: Tender, title: str,
                        author: str) -> bytes:
    if fmt == "pdf":
        from common.pdf import render_pdf

        return render_pdf("pdf/tender_document.html", lang=data["lang"], title=title, author=author,
                          created=q.as_utc(tender.updated_at), doc=data, t=t)
    from flask import render_template

    from common.pdf import FONT_DIR

    css = "\n".join((ROOT / "templates" / "pdf" / name).read_text(encoding="utf-8")
                    for name in ("print.css", "tender_document.css"))
    return render_template("pdf/tender_document.html", lang=data["lang"], title=title, doc=data,
                           t=t, font_dir=FONT_DIR.as_uri(), inline_css=css).encode("utf-8")


def get_document(session: Session, tender: Tender, lang: str, fmt: str, *,
                 settings: Mapping[str, Any], cache: DocumentCache | None,
                 library: Library | None = None) -> RenderedDocument:
    """The document of ``tender`` in ``lang`` and ``fmt``, from the cache when unchanged."""
    if fmt not in FORMATS:
        raise ValueError(f"format must be one of {', '.join(FORMATS)}, got {fmt!r}")
    data = document_data(session, tender, lang, settings=settings, library=library)
    digest = content_hash(data)
    safe_ref = re.sub(r"[^A-Za-z0-9._-]", "_", tender.reference)
    filename = f"{safe_ref}-{lang}.{fmt}"
    key = f"{digest}.{fmt}"
    content = cache.get(key) if cache else None
    hit = content is not None
    if content is None:
        content = render_document(data, fmt, tender=tender, author=data["authority"]["name"])
        if cache:
            cache.put(key, content)
    return RenderedDocument(content, digest, hit, filename, FORMATS[fmt])
