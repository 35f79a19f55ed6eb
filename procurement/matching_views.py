"""Matching pages: "Tenders for you" (firm users), and the matched firms with the funnel (buyers of
the authority, its auditors, admins). Thin: parse, call one service, render or redirect."""
from __future__ import annotations

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_wtf import FlaskForm

from accounts.access import roles_required
from accounts.models import Role
from common.db import get_session
from common.timeutil import utcnow
from procurement import matching_services as ms
from procurement import messages as m
from procurement import tender_queries as q
from procurement.matching_services import as_utc
from procurement.matching_text import describe_lots
from procurement.view_access import tender_view
from procurement.view_support import ui_lang
from registry.validation import ValidationError

bp = Blueprint("matching", __name__)


class CsrfForm(FlaskForm):
    """No fields of its own: CSRF only (the values are read and validated by the service)."""


def _for_you_page(errors: dict | None = None, failed_match: int | None = None, status: int = 200):
    session = get_session()
    rows = ms.for_you(session, g.user)
    now = utcnow()
    closed = {r.tender.id for r in rows if r.tender.bid_deadline and as_utc(r.tender.bid_deadline) <= now}
    return render_template(
        "matching/for_you.html", rows=rows, describe_lots=describe_lots, form=CsrfForm(),
        notify=ms.opted_in(session, g.user.id), errors=errors or {}, failed_match=failed_match,
        submitted_reason=request.form.get("reason", "") if failed_match else "", lang=ui_lang(), m=m, closed=closed,
    ), status


@bp.route("/tenders/for-you")
@roles_required(Role.FIRM)
def for_you():
    return _for_you_page()


@bp.route("/tenders/for-you/<reference>/view")
@roles_required(Role.FIRM)
def view_tender(reference: str):
    """Record that the firm opened the tender from its list, then show the tender."""
    session = get_session()
    tender = q.find_tender(session, reference)
    if tender is None or tender.status not in ms.LISTED_STATUSES:
        abort(404)
    ms.mark_viewed(session, g.user, tender)
    return redirect(url_for("procurement.detail", reference=tender.reference))


@bp.route("/tenders/for-you/matches/<int:match_id>/interest", methods=["POST"])
@roles_required(Role.FIRM)
def interest(match_id: int):
    session = get_session()
    match = ms.user_match(session, g.user, match_id)
    if match is None:
        abort(404)
    form = CsrfForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        ms.set_interest(session, g.user, match, request.form.get("interest", ""), request.form.get("reason", ""))
    except ValidationError as exc:
        session.rollback()
        return _for_you_page({k: str(v) for k, v in exc.errors.items()}, match_id, 400)
    flash(_("Your answer was recorded."), "success")
    return redirect(url_for("matching.for_you") + f"#match-{match_id}")


@bp.route("/tenders/for-you/notifications", methods=["POST"])
@roles_required(Role.FIRM)
def notifications():
    form = CsrfForm()
    if not form.validate_on_submit():
        abort(400)
    pref = ms.set_preference(get_session(), g.user, request.form.get("email") == "on")
    flash(_("You will be notified by e-mail of new tenders for you.") if pref.email
          else _("You will not be notified by e-mail."), "success")
    return redirect(url_for("matching.for_you"))


@bp.route("/tenders/<ref>/matches")
@tender_view()
def matches(tender):
    """Matched firms and the funnel (buyers of the authority, its auditors, admins)."""
    session = get_session()
    funnel = ms.funnel(session, tender)
    return render_template("matching/matches.html", tender=tender, funnel=funnel,
                           rows=ms.matched_firms(session, tender), describe_lots=describe_lots,
                           lang=ui_lang(), m=m)


from procurement import matching_cli  # noqa: E402,F401  (adds `flask tender match`)
