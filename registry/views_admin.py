"""Administration of the registry: validation queue, status changes (with confirmation), imports."""
from __future__ import annotations

from datetime import timedelta

from flask import abort, current_app, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlmodel import select

from accounts.access import roles_required
from accounts.models import Role, User
from common.db import get_session
from registry import import_jobs, services
from registry.codes import STATUS_LABELS
from registry.forms import ImportForm
from registry.models import AccessRequest, AccessRequestStatus, Accreditation, Enterprise, EnterpriseStatus
from registry.validation import ValidationError
from registry.view_helpers import today, warning_days
from registry.views import bp


@bp.route("/admin")
@roles_required(Role.ADMIN)
def admin_queue():
    session = get_session()
    by_status = {status: list(session.exec(select(Enterprise).where(Enterprise.status == status)
                                           .order_by(Enterprise.created_at, Enterprise.id)))
                 for status in (EnterpriseStatus.PENDING.value, EnterpriseStatus.SUSPENDED.value)}
    limit = today() + timedelta(days=warning_days())
    expiring = session.exec(
        select(Accreditation, Enterprise).join(Enterprise, Enterprise.id == Accreditation.enterprise_id)
        .where(Enterprise.status == EnterpriseStatus.VALIDATED.value, Accreditation.number != "",
               Accreditation.valid_until.is_not(None), Accreditation.valid_until <= limit)
        .order_by(Accreditation.valid_until)).all()
    requests = session.exec(
        select(AccessRequest, Enterprise, User).join(Enterprise, Enterprise.id == AccessRequest.enterprise_id)
        .join(User, User.id == AccessRequest.user_id)
        .where(AccessRequest.status == AccessRequestStatus.PENDING.value).order_by(AccessRequest.id)).all()
    return render_template("registry/admin_queue.html", pending=by_status["pending"],
                           suspended=by_status["suspended"], expiring=expiring, requests=requests, today=today())


@bp.route("/enterprises/<int:enterprise_id>/status", methods=["POST"])
@roles_required(Role.ADMIN)
def set_status(enterprise_id: int):
    session = get_session()
    enterprise = session.get(Enterprise, enterprise_id) or abort(404)
    status = request.form.get("status", "")
    if status not in STATUS_LABELS:
        abort(400)
    reason = request.form.get("reason", "")
    if request.form.get("confirm") != "yes":
        question = {"validated": _("Validate the profile of %(name)s? It becomes public and can be found by buyers.",
                                   name=enterprise.legal_name),
                    "suspended": _("Suspend the profile of %(name)s? It disappears from the directory and from "
                                   "buyers' searches.", name=enterprise.legal_name)}.get(status, "")
        return render_template("registry/confirm.html", enterprise=enterprise, question=question, ask_reason=True,
                               action_url=request.path, back_url=url_for("registry.admin_queue"),
                               fields={"status": status, "reason": reason, "back": request.form.get("back", "")})
    try:
        services.set_status(session, enterprise, status, actor=g.user, reason=reason)
    except ValidationError as exc:
        session.rollback()
        flash(str(exc.message), "error")
    else:
        flash(_("%(name)s is now %(status)s.", name=enterprise.legal_name, status=str(STATUS_LABELS[status])), "success")
    return redirect(request.form.get("back") == "profile" and url_for("registry.profile", enterprise_id=enterprise.id)
                    or url_for("registry.admin_queue"))


@bp.route("/admin/import", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def import_upload():
    form = ImportForm()
    if form.validate_on_submit():
        storage = request.files.get("file")
        if storage is None or not storage.filename:
            form.file.errors = [_("Choose a file.")]
        else:
            job = import_jobs.start(current_app._get_current_object(), storage.read(), storage.filename,
                                    user_id=g.user.id, skip_invalid=form.skip_invalid.data, dry_run=form.dry_run.data,
                                    status="validated" if form.validated.data else "pending")
            return redirect(url_for("registry.import_status", job_id=job.id))
    return render_template("registry/import.html", form=form)


@bp.route("/admin/import/<job_id>")
@roles_required(Role.ADMIN)
def import_status(job_id: str):
    job = import_jobs.get(current_app, job_id)
    return render_template("registry/import_status.html", job=job, job_id=job_id)
