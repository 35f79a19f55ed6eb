"""Pages of the firms that keep their profiles: register, edit, types and accreditations,
activities, references, access requests. Each view parses the form, calls one service, then
renders or redirects."""
from __future__ import annotations

from flask import abort, current_app, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlmodel import select

from accounts.access import roles_required
from accounts.models import Role, User
from common.db import get_session
from registry import access, services, uploads
from registry.eligibility import expiry_warnings
from registry.forms import (AccessRequestForm, AccreditationForm, ActivityForm, ProfileForm, ReferenceForm,
                            RegistrationForm, copy_errors)
from registry.models import AccessRequest, Accreditation, Activity, Enterprise, Reference
from registry.refdata import cpv_options
from registry.validation import ValidationError
from registry.view_helpers import accreditations, profile_data, today, warning_days
from registry.views import _lang, bp

PROFILE_FIELDS = ("legal_name", "trade_names", "enterprise_number", "legal_form", "street", "postal_code",
                  "municipality", "nuts3", "website", "email", "languages", "description", "staff_total",
                  "staff_disadvantaged", "turnover_band", "max_contract_eur", "served_municipalities")


def _form_data(form, fields=PROFILE_FIELDS) -> dict:
    return {name: form[name].data for name in fields}


@bp.route("/mine")
@roles_required(Role.FIRM)
def my_profiles():
    session = get_session()
    rows = [(e, expiry_warnings(accreditations(session, e.id), today(), warning_days()),
             len(services.pending_requests(session, e.id))) for e in services.enterprises_of(session, g.user)]
    mine = session.exec(select(AccessRequest, Enterprise).join(Enterprise, Enterprise.id == AccessRequest.enterprise_id)
                        .where(AccessRequest.user_id == g.user.id).order_by(AccessRequest.id.desc())).all()
    return render_template("registry/mine.html", rows=rows, my_requests=mine)


@bp.route("/enterprises/new", methods=["GET", "POST"])
@roles_required(Role.FIRM, Role.ADMIN)
def new():
    form = RegistrationForm()
    form.fill_choices()
    duplicates = []
    if form.validate_on_submit():
        session = get_session()
        duplicates = services.likely_duplicates(session, form.legal_name.data, form.enterprise_number.data,
                                                form.postal_code.data)
        blocked = any(d.same_number for d in duplicates)
        if not blocked and (form.not_duplicate.data or not duplicates):
            try:
                enterprise = services.create_enterprise(session, dict(_form_data(form), types=form.types.data),
                                                        actor=g.user)
            except ValidationError as exc:
                copy_errors(form, exc.errors, "legal_name")
            else:
                flash(_("Profile registered. An administrator will validate it."), "success")
                return redirect(url_for("registry.profile", enterprise_id=enterprise.id))
        elif blocked:
            form.enterprise_number.errors = list(form.enterprise_number.errors) + [
                _("An enterprise with this number is already registered. If it is yours, ask for access.")]
    return render_template("registry/new.html", form=form, duplicates=duplicates)


@bp.route("/enterprises/<int:enterprise_id>/edit", methods=["GET", "POST"])
@access.enterprise_editor_required
def edit(enterprise: Enterprise):
    form = ProfileForm(data={**{f: getattr(enterprise, f) for f in PROFILE_FIELDS},
                             "trade_names": "\n".join(enterprise.trade_names or []),
                             "served_municipalities": "\n".join(enterprise.served_municipalities or []),
                             "enterprise_number": enterprise.enterprise_number or ""})
    form.fill_choices()
    if form.validate_on_submit():
        try:
            changes = services.update_enterprise(get_session(), enterprise, _form_data(form), actor=g.user)
        except ValidationError as exc:
            get_session().rollback()
            copy_errors(form, exc.errors, "legal_name")
        else:
            flash(_("Profile saved.") if changes else _("Nothing was changed."), "success")
            return redirect(url_for("registry.profile", enterprise_id=enterprise.id))
    return render_template("registry/edit.html", form=form, enterprise=enterprise)


def _proof_from_request(form) -> uploads.Proof | None:
    storage = request.files.get("proof")
    if storage is None or not storage.filename:
        return None
    limit = current_app.config["UPLOAD_MAX_FILE_BYTES"]
    return uploads.check_proof(storage.filename, storage.stream.read(limit + 1), limit)


def _save_accreditation(enterprise, form, accreditation=None) -> bool:
    try:
        proof = _proof_from_request(form)
        services.save_accreditation(get_session(), enterprise, form.data, actor=g.user, accreditation=accreditation,
                                    proof=proof, upload_dir=current_app.config["UPLOAD_DIR"])
    except ValidationError as exc:
        get_session().rollback()
        copy_errors(form, exc.errors, "number")
        return False
    flash(_("Accreditation saved."), "success")
    return True


@bp.route("/enterprises/<int:enterprise_id>/types", methods=["GET", "POST"])
@access.enterprise_editor_required
def types(enterprise: Enterprise):
    form = AccreditationForm()
    form.fill_choices()
    if form.validate_on_submit() and _save_accreditation(enterprise, form):
        return redirect(url_for("registry.types", enterprise_id=enterprise.id))
    return render_template("registry/types.html", form=form, **profile_data(get_session(), enterprise))


def _owned(model, item_id: int, enterprise: Enterprise):
    item = get_session().get(model, item_id)
    if item is None or item.enterprise_id != enterprise.id:
        abort(404)
    return item


@bp.route("/enterprises/<int:enterprise_id>/types/<int:accreditation_id>", methods=["GET", "POST"])
@access.enterprise_editor_required
def type_edit(enterprise: Enterprise, accreditation_id: int):
    acc = _owned(Accreditation, accreditation_id, enterprise)
    form = AccreditationForm(data={"type_code": acc.type_code, "number": acc.number, "issuing_region": acc.issuing_region,
                                   "valid_from": acc.valid_from.isoformat() if acc.valid_from else "",
                                   "valid_until": acc.valid_until.isoformat() if acc.valid_until else ""})
    form.fill_choices()
    if form.validate_on_submit() and _save_accreditation(enterprise, form, acc):
        return redirect(url_for("registry.types", enterprise_id=enterprise.id))
    return render_template("registry/type_edit.html", form=form, enterprise=enterprise, accreditation=acc)


def _confirm_delete(enterprise, what, action_url, back_url):
    return render_template("registry/confirm.html", enterprise=enterprise, question=what,
                           action_url=action_url, back_url=back_url, fields={})


@bp.route("/enterprises/<int:enterprise_id>/types/<int:accreditation_id>/delete", methods=["POST"])
@access.enterprise_editor_required
def type_delete(enterprise: Enterprise, accreditation_id: int):
    acc = _owned(Accreditation, accreditation_id, enterprise)
    back = url_for("registry.types", enterprise_id=enterprise.id)
    if request.form.get("confirm") != "yes":
        return _confirm_delete(enterprise, _("Remove this type and its accreditation (and proof)?"), request.path, back)
    try:
        services.delete_accreditation(get_session(), enterprise, acc, actor=g.user, upload_dir=current_app.config["UPLOAD_DIR"])
        flash(_("Type removed."), "success")
    except ValidationError as exc:
        flash(str(exc.message), "error")
    return redirect(back)


def _activity_page(enterprise, form, activity=None):
    if form.validate_on_submit():
        try:
            services.save_activity(get_session(), enterprise, form.data_for_service(), actor=g.user, activity=activity)
        except ValidationError as exc:
            get_session().rollback()
            copy_errors(form, exc.errors, "cpv_codes")
        else:
            flash(_("Activity saved."), "success")
            return redirect(url_for("registry.activities", enterprise_id=enterprise.id))
    data = profile_data(get_session(), enterprise)
    return render_template("registry/activities.html", form=form, editing=activity,
                           cpv_options=cpv_options(get_session(), _lang()), **data)


@bp.route("/enterprises/<int:enterprise_id>/activities", methods=["GET", "POST"])
@access.enterprise_editor_required
def activities(enterprise: Enterprise):
    form = ActivityForm()
    form.fill_choices()
    return _activity_page(enterprise, form)


@bp.route("/enterprises/<int:enterprise_id>/activities/<int:activity_id>", methods=["GET", "POST"])
@access.enterprise_editor_required
def activity_edit(enterprise: Enterprise, activity_id: int):
    activity = _owned(Activity, activity_id, enterprise)
    areas = activity.coverage_areas
    form = ActivityForm(data={
        "service_type": activity.service_type, "cpv_codes": ", ".join(activity.cpv_codes),
        "nace_codes": ", ".join(activity.nace_codes), "coverage_kind": activity.coverage_kind,
        "coverage_regions": areas if activity.coverage_kind == "regions" else [],
        "coverage_nuts3": areas if activity.coverage_kind == "nuts3" else [],
        "coverage_municipalities": "\n".join(areas) if activity.coverage_kind == "municipalities" else "",
        "radius_km": activity.radius_km or "", "description": activity.description})
    form.fill_choices()
    return _activity_page(enterprise, form, activity)


@bp.route("/enterprises/<int:enterprise_id>/activities/<int:activity_id>/delete", methods=["POST"])
@access.enterprise_editor_required
def activity_delete(enterprise: Enterprise, activity_id: int):
    activity = _owned(Activity, activity_id, enterprise)
    back = url_for("registry.activities", enterprise_id=enterprise.id)
    if request.form.get("confirm") != "yes":
        return _confirm_delete(enterprise, _("Remove this activity?"), request.path, back)
    services.delete_activity(get_session(), enterprise, activity, actor=g.user)
    flash(_("Activity removed."), "success")
    return redirect(back)


@bp.route("/enterprises/<int:enterprise_id>/references", methods=["GET", "POST"])
@access.enterprise_editor_required
def references(enterprise: Enterprise):
    form = ReferenceForm()
    if form.validate_on_submit():
        try:
            services.save_reference(get_session(), enterprise, form.data, actor=g.user)
        except ValidationError as exc:
            get_session().rollback()
            copy_errors(form, exc.errors, "buyer")
        else:
            flash(_("Reference added."), "success")
            return redirect(url_for("registry.references", enterprise_id=enterprise.id))
    return render_template("registry/references.html", form=form, **profile_data(get_session(), enterprise))


@bp.route("/enterprises/<int:enterprise_id>/references/<int:reference_id>/delete", methods=["POST"])
@access.enterprise_editor_required
def reference_delete(enterprise: Enterprise, reference_id: int):
    reference = _owned(Reference, reference_id, enterprise)
    back = url_for("registry.references", enterprise_id=enterprise.id)
    if request.form.get("confirm") != "yes":
        return _confirm_delete(enterprise, _("Remove this reference?"), request.path, back)
    services.delete_reference(get_session(), enterprise, reference, actor=g.user)
    flash(_("Reference removed."), "success")
    return redirect(back)


@bp.route("/enterprises/<int:enterprise_id>/request-access", methods=["GET", "POST"])
@roles_required(Role.FIRM)
def request_access(enterprise_id: int):
    """"This is us": any firm user may ask; only the profile's name is shown before approval."""
    enterprise = get_session().get(Enterprise, enterprise_id) or abort(404)
    form = AccessRequestForm()
    if form.validate_on_submit():
        try:
            services.request_access(get_session(), enterprise, g.user, form.message.data or "")
        except ValidationError as exc:
            get_session().rollback()
            copy_errors(form, exc.errors, "message")
        else:
            flash(_("Your request was sent to the members of this profile and to the administrators."), "success")
            return redirect(url_for("registry.my_profiles"))
    return render_template("registry/request_access.html", form=form, enterprise=enterprise)


@bp.route("/enterprises/<int:enterprise_id>/access-requests", methods=["GET", "POST"])
@access.enterprise_editor_required
def access_requests(enterprise: Enterprise):
    session = get_session()
    if request.method == "POST":
        req = session.get(AccessRequest, request.form.get("request_id", type=int) or 0)
        if req is None or req.enterprise_id != enterprise.id:
            abort(404)
        try:
            services.decide_access(session, req, request.form.get("decision") == "approve", actor=g.user)
            flash(_("Decision recorded."), "success")
        except ValidationError as exc:
            session.rollback()
            flash(str(exc.message), "error")
        return redirect(url_for("registry.access_requests", enterprise_id=enterprise.id))
    rows = [(r, session.get(User, r.user_id)) for r in services.pending_requests(session, enterprise.id)]
    return render_template("registry/access_requests.html", enterprise=enterprise, rows=rows)
