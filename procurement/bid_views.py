"""Firm side of sealed bids: open calls, the bid form, receipts, documents."""
from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, g, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from sqlmodel import select

from accounts.access import login_required, roles_required
from accounts.models import Role
from common.db import get_session
from common.timeutil import to_brussels, utcnow
from procurement import bid_files
from wtforms.fields.choices import SelectChoice
from procurement import bids as service
from procurement.bid_files import Upload
from procurement.bid_forms import bid_form_for
from procurement.bid_models import Bid
from procurement.models import Lot, Tender, TenderStatus

bp = Blueprint("bids", __name__)


def _lot_or_404(ref: str, number: int) -> tuple[Tender, Lot]:
    session = get_session()
    tender = session.exec(select(Tender).where(Tender.reference == ref)).first()
    if tender is None or tender.status == TenderStatus.DRAFT.value:
        abort(404)  # a draft is not public
    lot = session.exec(select(Lot).where(Lot.tender_id == tender.id, Lot.number == number)).first() or abort(404)
    return tender, lot


def _own_bid_or_404(bid_id: int) -> Bid:
    session = get_session()
    bid = session.get(Bid, bid_id)
    if bid is None or not service.is_member(session, g.user, bid.enterprise_id):
        abort(404)  # another enterprise's bid does not exist for this user
    return bid


@bp.route("/my-bids")
@roles_required(Role.FIRM)
def my_bids():
    session = get_session()
    enterprises = service.user_enterprises(session, g.user)
    ids = [e.id for e in enterprises]
    mine = list(session.exec(select(Bid).where(Bid.enterprise_id.in_(ids)).order_by(Bid.id.desc()))) if ids else []
    rows = [(bid, session.get(Tender, bid.tender_id), session.get(Lot, bid.lot_id)) for bid in mine]
    now = utcnow()
    calls = []
    for tender in session.exec(select(Tender).where(Tender.status == TenderStatus.PUBLISHED.value)
                               .order_by(Tender.bid_deadline)):
        deadline = service.as_utc(tender.bid_deadline)
        if deadline is not None and deadline >= now:
            lots = session.exec(select(Lot).where(Lot.tender_id == tender.id).order_by(Lot.number)).all()
            calls.append((tender, lots))
    return render_template("bids/my_bids.html", rows=rows, calls=calls, enterprises=enterprises)


@bp.route("/tenders/<ref>/lots/<int:number>/bid", methods=["GET", "POST"])
@roles_required(Role.FIRM)
def submit(ref: str, number: int):
    session = get_session()
    tender, lot = _lot_or_404(ref, number)
    enterprises = service.user_enterprises(session, g.user)
    criteria = service.quantity_criteria(session, lot)
    form = bid_form_for(criteria)
    form.enterprise.choices = [SelectChoice(e.id, e.legal_name) for e in enterprises]
    if not enterprises:
        flash(_("Your account manages no enterprise yet: add your enterprise's profile first."), "error")
    try:
        service.check_can_bid(session, tender, lot, service.clock())
    except service.BidError as exc:
        status = 409 if request.method == "POST" else 200
        return render_template("bids/submit.html", tender=tender, lot=lot, form=None, closed=exc.message), status
    if form.validate_on_submit():
        uploads = [Upload(kind, form[kind].data.filename, form[kind].data.read())
                   for kind in bid_files.DOCUMENT_KINDS if form[kind].data]
        cfg = current_app.config
        try:
            bid, version = service.submit_bid(
                session, tender=tender, lot=lot, enterprise_id=form.enterprise.data, user=g.user,
                price=form.price.data, values={c.code: form[f"value_{c.code}"].data for c in criteria},
                declaration=form.declaration.data, uploads=uploads, upload_dir=cfg["UPLOAD_DIR"],
                max_bytes=cfg["UPLOAD_MAX_FILE_BYTES"])
        except service.BidError as exc:
            session.rollback()
            target = form[exc.field] if exc.field in form else None
            (target.errors if target is not None else form.form_errors).append(str(exc.message))
        else:
            flash(_("Your bid has been received. Keep this receipt."), "success")
            return redirect(url_for("bids.receipt", bid_id=bid.id))
    existing = {b.enterprise_id: b for b in session.exec(select(Bid).where(Bid.lot_id == lot.id))
                if service.is_member(session, g.user, b.enterprise_id)}
    return render_template("bids/submit.html", tender=tender, lot=lot, form=form, criteria=criteria,
                           existing=existing, closed=None, deadline=to_brussels(tender.bid_deadline))


@bp.route("/my-bids/<int:bid_id>")
@roles_required(Role.FIRM)
def receipt(bid_id: int):
    session = get_session()
    bid = _own_bid_or_404(bid_id)
    content = service.bid_content(session, bid, g.user)
    return render_template("bids/receipt.html", bid=bid, content=content, tender=session.get(Tender, bid.tender_id),
                           lot=session.get(Lot, bid.lot_id), versions=service.version_receipts(session, bid),
                           local=to_brussels(content.submitted_at), kinds=bid_files.KIND_LABELS)


@bp.route("/bids/<int:bid_id>/documents/<int:doc_id>")
@login_required
def document(bid_id: int, doc_id: int):
    """A bid document: for its enterprise at any time, for the tender's readers after the opening."""
    session = get_session()
    bid = session.get(Bid, bid_id) or abort(404)
    try:
        content = service.bid_content(session, bid, g.user)
    except service.BidSealed:
        abort(403)
    doc = next((d for d in content.documents if d["id"] == doc_id), None) or abort(404)
    try:
        path = bid_files.stored_path(current_app.config["UPLOAD_DIR"], doc["stored_name"])
    except FileNotFoundError:
        abort(404)
    return send_file(path, mimetype="application/pdf", as_attachment=True, download_name=doc["name"])
