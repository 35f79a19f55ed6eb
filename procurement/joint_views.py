"""Joint procurement pages: the tender's participants (invite, shares per lot) and the invitations
an authority received (accept or decline). Routes on the ``procurement`` blueprint.

Reading: whoever ``procurement.joint_access.can_read_tender`` allows. Inviting: the lead
authority's buyers. Shares: the lead's buyers, or the participant's own buyers. Deciding: the
invited authority's buyers.
"""
from __future__ import annotations

from flask import abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from accounts.access import can_edit_authority, login_required, roles_required
from accounts.models import Role
from common.db import get_session
from procurement import joint_services as joint
from procurement import tender_queries as q
from procurement.forms import JointActionForm, JointInviteForm
from procurement.joint_access import can_read_tender
from procurement.joint_models import JointParticipation
from procurement.views import bp
from procurement.view_support import settings, tender_for_read, ui_lang
from registry.validation import ValidationError

SHARE_FIELDS = ("share_pct", "estimated_value", "quantity")
STATUS_LABELS = {"invited": _l("invited, no answer yet"), "accepted": _l("accepted"), "declined": _l("declined")}


def _joint_tender(reference: str):
    tender = tender_for_read(reference)
    if not can_read_tender(g.user, tender, get_session()):
        abort(403)
    return tender


def _page(tender, *, invite_form=None, errors=None, typed=None, status=200):
    session = get_session()
    rows = joint.participant_rows(session, tender)
    for row in rows:
        row["editable"] = tender.status in joint.OPEN_STATUSES and \
            joint.can_state_shares(session, g.user, tender, row["participation"])
    return render_template(
        "procurement/joint.html", tender=tender, rows=rows, lots=q.lots_of(session, tender),
        group=joint.group_estimate(session, tender), advice=q.procedure_advice_for(session, tender, settings()),
        lead=q.authority_of(session, tender), lang=ui_lang(),
        can_invite=can_edit_authority(g.user, tender.authority_id) and tender.status in joint.OPEN_STATUSES,
        invite_form=invite_form or JointInviteForm(), action_form=JointActionForm(),
        errors=errors or {}, typed=typed or {}, labels=STATUS_LABELS), status


@bp.route("/tenders/<reference>/joint")
@login_required
def joint_page(reference: str):
    return _page(_joint_tender(reference))


@bp.route("/tenders/<reference>/joint/invite", methods=["POST"])
@roles_required(Role.BUYER)
def joint_invite(reference: str):
    tender = _joint_tender(reference)
    form = JointInviteForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        participation = joint.invite(get_session(), g.user, tender, form.email.data or "")
    except PermissionError:
        abort(403)
    except ValidationError as exc:
        get_session().rollback()
        form.email.errors = [*form.email.errors, *map(str, exc.errors.values())]
        return _page(tender, invite_form=form, status=400)
    flash(_("Invitation sent to %(email)s.", email=participation.invited_email), "success")
    return redirect(url_for("procurement.joint_page", reference=tender.reference))


@bp.route("/tenders/<reference>/joint/<int:participation_id>/shares", methods=["POST"])
@roles_required(Role.BUYER)
def joint_shares(reference: str, participation_id: int):
    tender = _joint_tender(reference)
    session = get_session()
    participation = session.get(JointParticipation, participation_id)
    if participation is None or participation.tender_id != tender.id:
        abort(404)
    if not JointActionForm().validate_on_submit():
        abort(400)
    rows = {lot.number: {f: request.form.get(f"lot-{lot.number}-{f}", "") for f in SHARE_FIELDS}
            for lot in q.lots_of(session, tender)}
    try:
        joint.save_shares(session, g.user, tender, participation, rows)
    except PermissionError:
        abort(403)
    except ValidationError as exc:
        session.rollback()
        return _page(tender, errors={participation.id: {k: str(v) for k, v in exc.errors.items()}},
                     typed={participation.id: rows}, status=400)
    flash(_("Shares saved."), "success")
    return redirect(url_for("procurement.joint_page", reference=tender.reference))


@bp.route("/joint-invitations")
@roles_required(Role.BUYER)
def joint_invitations():
    rows = joint.invitations_for(get_session(), g.user)
    return render_template("procurement/joint_invitations.html", rows=rows, form=JointActionForm(),
                           lang=ui_lang(), labels=STATUS_LABELS)


@bp.route("/joint-invitations/<int:participation_id>/decision", methods=["POST"])
@roles_required(Role.BUYER)
def joint_decide(participation_id: int):
    session = get_session()
    participation = session.get(JointParticipation, participation_id)
    if participation is None or participation.authority_id != g.user.authority_id:
        abort(404)
    if not JointActionForm().validate_on_submit() or request.form.get("decision") not in ("accept", "decline"):
        abort(400)
    accept = request.form["decision"] == "accept"
    try:
        joint.decide(session, g.user, participation, accept=accept)
    except ValidationError as exc:
        session.rollback()
        for message in exc.errors.values():
            flash(str(message), "error")
        return redirect(url_for("procurement.joint_invitations"))
    flash(_("Invitation accepted: your authority now reads this tender.") if accept
          else _("Invitation declined."), "success")
    return redirect(url_for("procurement.joint_invitations"))
