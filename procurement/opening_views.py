"""A tender's bids for its authority: counts before the opening, the opening, the opening record,
the JSON summary and the audit-log export."""
from __future__ import annotations

from flask import Blueprint, Response, flash, g, jsonify, redirect, render_template, request, url_for
from flask_babel import get_locale, gettext as _
from sqlmodel import select

from common.db import get_session
from common.pdf import render_pdf
from common.timeutil import utcnow
from procurement import bids as bid_service
from procurement import opening as service
from procurement.audit_export import audit_csv
from procurement.bid_forms import ConfirmForm
from procurement.bid_models import Evaluation
from procurement.evaluation_state import current_evaluation, latest_finalised
from procurement.view_access import tender_view

bp = Blueprint("opening", __name__)


def _pdf_response(data: bytes, filename: str) -> Response:
    return Response(data, mimetype="application/pdf",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})


@bp.route("/tenders/<ref>/bids")
@tender_view()
def overview(tender):
    return _overview(tender)


def _overview(tender, status: int = 200):
    session = get_session()
    opened = bid_service.is_opened(session, tender)
    lots = []
    for lot in service.tender_lots(session, tender):
        lots.append({"lot": lot, "count": bid_service.bid_count(session, lot.id),
                     "evaluation": current_evaluation(session, lot) if opened else None,
                     "finalised": latest_finalised(session, lot) if opened else None})
    return render_template("opening/overview.html", tender=tender, lots=lots, opened=opened,
                           opening=bid_service.opening_of(session, tender.id),
                           can_open=service.can_open(session, tender, utcnow()), form=ConfirmForm()), status


@bp.route("/tenders/<ref>/open", methods=["POST"])
@tender_view(edit=True)
def open_bids(tender):
    session = get_session()
    form = ConfirmForm()
    if not form.validate_on_submit():
        return redirect(url_for("opening.overview", ref=tender.reference))
    if request.form.get("confirmed") != "yes":
        count = sum(bid_service.bid_count(session, lot.id) for lot in service.tender_lots(session, tender))
        return render_template("opening/confirm_open.html", tender=tender, count=count, form=form)
    try:
        service.open_bids(session, tender, g.user)
    except service.OpeningError as exc:
        session.rollback()
        flash(str(exc.message), "error")
        return _overview(tender, 409)
    flash(_("The bids have been opened and the opening recorded."), "success")
    return redirect(url_for("opening.overview", ref=tender.reference))


@bp.route("/tenders/<ref>/opening-record.pdf")
@tender_view()
def opening_record(tender):
    session = get_session()
    opening = bid_service.opening_of(session, tender.id)
    if opening is None or not bid_service.is_opened(session, tender):
        flash(_("The opening record exists once the bids have been opened."), "error")
        return _overview(tender, 409)
    lang = str(get_locale())
    context = service.opening_record_context(session, tender, opening, g.user, lang)
    pdf = render_pdf("pdf/opening_record.html", lang=lang, title=_("Opening record %(ref)s", ref=tender.reference),
                     author=context["authority"], o=context)
    service.audit_generated(session, tender, g.user, "opening_record", {"lang": lang})
    return _pdf_response(pdf, f"opening-record-{tender.reference}.pdf")


@bp.route("/tenders/<ref>/bids.json")
@tender_view()
def bids_json(tender):
    """Counts before the opening; after it, the bids as opened (codes, bidders, hashes)."""
    session = get_session()
    opened = bid_service.is_opened(session, tender)
    opening = bid_service.opening_of(session, tender.id) if opened else None
    lots = []
    for lot in service.tender_lots(session, tender):
        item = {"number": lot.number, "bids": bid_service.bid_count(session, lot.id)}
        if opening is not None:
            item["opened"] = [{k: e[k] for k in ("bid", "code", "enterprise", "version", "sha256")}
                              for e in opening.bids if e["lot"] == lot.number]
            evaluation = session.exec(select(Evaluation).where(Evaluation.lot_id == lot.id)
                                      .order_by(Evaluation.version.desc())).first()
            item["evaluation"] = None if evaluation is None else {
                "version": evaluation.version, "status": evaluation.status,
                "input_sha256": evaluation.input_hash or None, "result_sha256": evaluation.result_hash or None}
        lots.append(item)
    return jsonify({"tender": tender.reference, "status": tender.status, "opened": opened, "lots": lots})


@bp.route("/tenders/<ref>/audit.csv")
@tender_view()
def audit_export(tender):
    session = get_session()
    data = audit_csv(session, tender)
    service.audit_generated(session, tender, g.user, "audit_export", {})
    return Response("\ufeff" + data, mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="audit-{tender.reference}.csv"'})
