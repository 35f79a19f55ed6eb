"""The auditor's scoring report: a PDF/A-3b that carries its own scoring input.

Available only for a finalised evaluation. Everything it states comes from the evaluation's frozen
input and result JSON and from the recorded decisions (ratings with their justifications,
exclusions, price justifications), plus the tender's audit-log excerpt and the hashes. The input
(``scoring-input.json``) and result (``scoring-result.json``) are embedded as attached files, and a
"figures for verification" section prints the hashes, the winner and each bid's rank and total in
a fixed, language-neutral form that ``flask verify-report`` reads back (``report_verify``).
"""
from __future__ import annotations

import json

from flask_babel import gettext as _
from sqlmodel import Session, select

from accounts.models import Authority, User
from audit.log import entries_for_tender
from audit.models import AuditEntry
from common.pdf import PdfAttachment, render_pdf
from common.timeutil import to_brussels, utcnow
from procurement import report_lines, results_text
from procurement.bid_models import ConformityDecision, Evaluation, PriceJustification, Rating
from procurement.bids import as_utc, bid_codes, opening_of
from procurement.evaluation_state import lot_criteria
from procurement.models import Lot, Tender
from procurement.report_verify import INPUT_NAME, RESULT_NAME

TABLE_LIMIT = 25  # above this many bids, per-bid tables become plain lines (see report_lines)


class ReportUnavailable(LookupError):
    """No finalised evaluation for this lot."""


def formula_text(criterion: dict) -> str:
    kind = criterion.get("formula") or criterion.get("better") or criterion["type"]
    if kind == "proportional":
        return _("points = weight × lowest price ÷ price")
    if kind == "linear":
        return _("points = weight × (highest price − price) ÷ (highest price − lowest price); every bid gets "
                 "the full weight when all prices are equal")
    if kind == "higher":
        return _("points = weight × value ÷ highest value (0 for every bid when all values are 0)")
    if kind == "lower":
        return _("points = weight × lowest value ÷ value")
    if kind == "rating":
        return _("points = weight × rating ÷ %(scale)s", scale=results_text.num(criterion.get("scale"), 0))
    return kind


def verification_lines(result: dict, input_hash: str, result_hash: str) -> list[str]:
    """The fixed-form lines ``report_verify`` reads back from the PDF text."""
    lines = [f"input-sha256: {input_hash}", f"result-sha256: {result_hash}",
             f"winner: {result.get('winner') or '-'}"]
    for b in result.get("bids", []):
        total = "-" if b.get("total") is None else f"{b['total']:.2f}"
        lines.append(f"bid {b['id']} rank {b['rank']} total {total}")
    return lines


def _name(session: Session, user_id) -> str:
    user = session.get(User, user_id) if user_id else None
    return (user.name or user.email) if user else ""


def _decisions(session: Session, evaluation: Evaluation, codes: dict[int, str]) -> dict:
    ev = evaluation.id
    ratings = session.exec(select(Rating).where(Rating.evaluation_id == ev).order_by(Rating.id)).all()
    conformity = session.exec(select(ConformityDecision).where(ConformityDecision.evaluation_id == ev)
                              .order_by(ConformityDecision.id)).all()
    justifications = session.exec(select(PriceJustification).where(PriceJustification.evaluation_id == ev)
                                  .order_by(PriceJustification.id)).all()
    latest_conf = {c.bid_id: c for c in conformity}
    return {
        "ratings": [{"bid": codes.get(r.bid_id, "?"), "criterion": r.criterion_code, "value": r.value,
                     "justification": r.justification, "evaluator": _name(session, r.evaluator_id),
                     "at": to_brussels(r.created_at)} for r in ratings],
        "excluded": [{"bid": codes.get(c.bid_id, "?"), "reason": c.reason, "by": _name(session, c.decided_by),
                      "at": to_brussels(c.decided_at)} for c in latest_conf.values() if not c.conforming],
        "justifications": [{"bid": codes.get(j.bid_id, "?"), "request": j.request_text, "answer": j.answer_text,
                            "decision": j.decision, "reason": j.decision_reason,
                            "by": _name(session, j.decided_by),
                            "at": to_brussels(j.decided_at) if j.decided_at else None} for j in justifications],
    }


def report_context(session: Session, tender: Tender, lot: Lot, evaluation: Evaluation, lang: str) -> dict:
    """Plain data for ``templates/pdf/scoring_report.html``."""
    data = json.loads(evaluation.input_json)
    result = json.loads(evaluation.result_json)
    codes = bid_codes(session, lot.id)
    inputs = {b["id"]: b for b in data["bids"]}
    grids = {c.code: c.scoring_grid for c in lot_criteria(session, lot)}
    criteria = [dict(c, formula_text=formula_text(c), grid=grids.get(c["id"], "")) for c in result["criteria"]]
    opening = opening_of(session, tender.id)
    envelopes = [e for e in (opening.bids if opening else []) if e["lot"] == lot.number]
    bids = [dict(b, input=inputs.get(b["id"], {})) for b in result["bids"]]
    decisions = _decisions(session, evaluation, codes)
    head = session.exec(select(AuditEntry).order_by(AuditEntry.id.desc()).limit(1)).first()
    authority = session.get(Authority, tender.authority_id)
    return {
        "tender": {"reference": tender.reference, "title": tender.title(lang),
                   "authority": authority.name if authority else ""},
        "lot": {"number": lot.number, "title": lot.title(lang)},
        "evaluation": {"version": evaluation.version, "finalised_local": to_brussels(evaluation.finalised_at),
                       "finalised_at": as_utc(evaluation.finalised_at), "by": _name(session, evaluation.finalised_by),
                       "award": codes.get(evaluation.award_bid_id, ""), "reasons": evaluation.award_reasons,
                       "correction_reason": evaluation.correction_reason,
                       "supersedes": evaluation.version - 1 if evaluation.supersedes_id else None},
        "criteria": criteria,
        "labels": results_text.labels_of(result),
        "bids": bids,
        "compact": len(bids) > TABLE_LIMIT,
        "bid_lines": report_lines.bid_lines(bids, criteria),
        "envelope_lines": report_lines.envelope_lines(envelopes),
        "result": result,
        "envelopes": envelopes,
        "abnormal": result.get("abnormal_price"),
        "stability": results_text.stability_sentences(result),
        "counterfactual": results_text.counterfactual(result),
        "warnings": results_text.warning_sentences(result),
        "chart": results_text.chart_svg(result, uid="report-chart"),
        "decisions": decisions,
        "rating_lines": report_lines.rating_lines(decisions["ratings"]),
        "justification_lines": report_lines.justification_lines(decisions["justifications"]),
        "audit_lines": report_lines.audit_lines(entries_for_tender(session, tender.reference)),
        "chain_head": head.hash if head else "",
        "input_hash": evaluation.input_hash,
        "result_hash": evaluation.result_hash,
        "verification": verification_lines(result, evaluation.input_hash, evaluation.result_hash),
        "generated_local": to_brussels(utcnow()),
    }


def render_report(context: dict, input_json: str, result_json: str, *, lang: str, author: str = "") -> bytes:
    title = _("Scoring report %(ref)s, lot %(lot)s", ref=context["tender"]["reference"], lot=context["lot"]["number"])
    attachments = [
        PdfAttachment(INPUT_NAME, input_json.encode("utf-8"), _("Scoring input (procure-scoring/1)"), "Source"),
        PdfAttachment(RESULT_NAME, result_json.encode("utf-8"), _("Scoring result (procure-scoring-result/1)"),
                      "Data"),
    ]
    return render_pdf("pdf/scoring_report.html", lang=lang, title=title, author=author,
                      attachments=attachments, r=context)


def finalised_for(session: Session, lot: Lot) -> Evaluation:
    evaluation = session.exec(select(Evaluation).where(Evaluation.lot_id == lot.id, Evaluation.status == "finalised")
                              .order_by(Evaluation.version.desc())).first()
    if evaluation is None:
        raise ReportUnavailable(lot.id)
    return evaluation


def scoring_report(session: Session, tender: Tender, lot: Lot, *, lang: str) -> bytes:
    """The report PDF of the lot's latest finalised evaluation (raises ``ReportUnavailable``)."""
    evaluation = finalised_for(session, lot)
    context = report_context(session, tender, lot, evaluation, lang)
    return render_report(context, evaluation.input_json, evaluation.result_json, lang=lang,
                         author=context["tender"]["authority"])
