"""Tenders: list, drafting form, detail page, and the live insertion-hour calculator.

Each view parses the form, calls one service, and renders or redirects. The drafting pages for
lots, criteria, clauses and publication live in ``views_drafting``; documents in
``views_documents`` (both register their routes on this blueprint).
"""
from __future__ import annotations

from flask import Blueprint, abort, flash, g, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _

from accounts.access import login_required, roles_required
from accounts.models import Role
from common.db import get_session
from clauses.parameters import format_number
from procurement import messages as m
from procurement import tender_queries as q
from procurement import tender_services as services
from procurement.forms import TenderForm
from procurement.insertion import insertion_hours
from procurement.overview import form_preview, tender_overview
from procurement.tender_validation import parse_decimal
from procurement.view_support import (
    INSERTION_FIELDS,
    attach_errors,
    fill_tender_form,
    frozen_redirect,
    labour_share_suggestion,
    pct,
    settings,
    tender_for_edit,
    tender_for_read,
    tender_form_data,
    ui_lang,
)

bp = Blueprint("procurement", __name__)


@bp.context_processor
def _labels():
    def num(value, places=None):
        """A number written the way of the interface language (1 234,5 / 1.234,5 / 1,234.5)."""
        return "" if value is None else format_number(value, ui_lang(), places)

    return {"m": m, "num": num}


@bp.route("/tenders")
@login_required
def tenders():
    rows = q.visible_tenders(get_session(), g.user)
    can_create = g.user.role == Role.BUYER.value and g.user.authority_id is not None
    return render_template("procurement/tenders.html", tenders=rows, can_create=can_create,
                           lang=ui_lang())


def _tender_form_page(form, tender, authority_id: int):
    """Shared by new and edit: save, or only compute (no JS), or show the errors."""
    general: list[str] = []
    data = tender_form_data(form) if request.method == "POST" else None
    if form.validate_on_submit() and request.form.get("action") != "compute":
        session = get_session()
        try:
            if tender is None:
                tender = services.create_tender(session, g.user, data, authority_id=authority_id,
                                                settings=settings())
                flash(_("Draft tender %(ref)s created.", ref=tender.reference), "success")
            else:
                services.update_tender(session, g.user, tender, data, settings=settings())
                flash(_("Tender %(ref)s saved.", ref=tender.reference), "success")
            return redirect(url_for("procurement.detail", reference=tender.reference))
        except services.TenderValidationError as exc:
            session.rollback()
            general = attach_errors(form, exc.errors, INSERTION_FIELDS)
    preview = form_preview(get_session(), data, tender, authority_id)
    return render_template("procurement/tender_form.html", form=form, tender=tender,
                           general=general, preview=preview), (400 if general or form.errors else 200)


@bp.route("/tenders/new", methods=["GET", "POST"])
@roles_required(Role.BUYER)
def new():
    if g.user.authority_id is None:
        abort(403)
    form = TenderForm()
    if request.method == "GET":
        fill_tender_form(form, None)
    return _tender_form_page(form, None, g.user.authority_id)


@bp.route("/tenders/<reference>")
@login_required
def detail(reference: str):
    tender = tender_for_read(reference)
    overview = tender_overview(get_session(), tender, settings(), ui_lang(), g.user)
    return render_template("procurement/detail.html", tender=tender, o=overview, lang=ui_lang())


@bp.route("/tenders/<reference>/edit", methods=["GET", "POST"])
@roles_required(Role.BUYER)
def edit(reference: str):
    tender = tender_for_edit(reference)
    if tender.status != "draft":
        return frozen_redirect(tender)
    form = TenderForm()
    if request.method == "GET":
        fill_tender_form(form, tender)
    form.reference.data = tender.reference  # the reference never changes
    return _tender_form_page(form, tender, tender.authority_id)


@bp.route("/tenders/calculator/insertion-hours")
@login_required
def insertion_hours_json():
    """Live calculator (static/js/tender.js): the same pure function as on submit."""
    args = request.args
    suggestion = labour_share_suggestion(args.get("cpv"))
    share = parse_decimal(args.get("labour_share_pct"))
    if share is None and suggestion is not None:
        share = suggestion * 100
    values = [parse_decimal(args.get(n)) for n in ("amount", "rate_pct", "hourly_cost")]
    payload = {"suggested_labour_share_pct": pct(suggestion) if suggestion is not None else None}
    if share is None or any(v is None for v in values):
        # A field not filled in yet (the person is still typing): nothing to compute, not an error
        # of the request (200, so the browser logs no failed resource). Text that is not a number: 400.
        empty = not (args.get("labour_share_pct") or "").strip() or \
            any(not (args.get(n) or "").strip() for n in ("amount", "rate_pct", "hourly_cost"))
        typed = [args.get(n) for n in ("labour_share_pct", "amount", "rate_pct", "hourly_cost")]
        unreadable = any((t or "").strip() and parse_decimal(t) is None for t in typed)
        status = 200 if empty and not unreadable else 400
        return jsonify(payload | {"hours": None, "error": m.message("not_a_number")}), status
    amount, rate, cost = values
    try:
        result = insertion_hours(amount, share / 100, rate / 100, cost)
    except ValueError as exc:
        code = "insertion_" + str(exc).split(" ", 1)[0]
        return jsonify(payload | {"hours": None, "error": m.message(code, str(exc))}), 400
    return jsonify(payload | {"hours": result.hours, "formula": result.formula,
                              "text": _("%(hours)s insertion hours", hours=result.hours)})


from procurement import joint_views, views_documents, views_drafting  # noqa: E402,F401  (register routes)
