"""Contract monitoring pages: contracts, the contractor's reports, the buyer's decisions, closing,
evidence files and the certificate. Object-level access (procurement.monitoring_access): a
contract another user may not read does not exist for that user (404)."""
from __future__ import annotations

from datetime import date

from flask import Blueprint, Response, abort, current_app, flash, g, redirect, render_template, request, send_file, url_for
from flask_babel import force_locale, gettext as _
from sqlmodel import select

from accounts.access import can_edit_authority, login_required
from common.db import get_session
from common.pdf import render_pdf
from common.timeutil import to_brussels, utcnow
from procurement import monitoring as service
from procurement import monitoring_close as closing
from procurement import monitoring_files as files
from procurement import monitoring_rules as rules
from procurement.impact_charts import progress_lines
from procurement.monitoring_access import can_read_contract, is_contractor, visible_contracts
from procurement.monitoring_forms import CloseForm, DecisionForm, ReportForm, StartForm
from procurement.monitoring_models import Contract, ContractReport, ContractStatus, ReportEvidence
from registry.validation import ValidationError

bp = Blueprint("monitoring", __name__)
URL = "/contracts/<int:contract_id>"
LANGS = ("fr", "nl", "en")


def _contract(contract_id: int) -> Contract:
    session = get_session()
    contract = session.get(Contract, contract_id)
    if contract is None or not can_read_contract(session, g.user, contract):
        abort(404)
    return contract


def _grace() -> int:
    return int(current_app.config.get("REPORT_GRACE_DAYS", 0))


@bp.route("/contracts")
@login_required
def contracts():
    session = get_session()
    rows = [closing.summary(session, c, grace_days=_grace()) for c in visible_contracts(session, g.user)]
    return render_template("monitoring/contracts.html", rows=rows)


def _page(contract: Contract, report_form=None, status=200):
    session = get_session()
    info = closing.summary(session, contract, grace_days=_grace())
    today = to_brussels(utcnow()).date()
    form = report_form or ReportForm()
    form.period.choices = [(t.period.key, f"{t.period.start.isoformat()} → {t.period.end.isoformat()}")
                           for t in info.timeline if t.period.start <= today and t.state in ("missing", "not_due",
                                                                                              "contested")]
    committed = float(contract.committed_hours)
    points = [(start.strftime("%m/%y"), float(done), float(pace))
              for start, done, pace in rules.progress_series(info.timeline, contract.committed_hours, today)]
    chart = progress_lines(points, committed, uid=f"progress-{contract.id}",
                           title=_("Hours delivered over time, contract %(ref)s lot %(n)s",
                                   ref=info.tender.reference, n=info.lot.number),
                           description=_("Cumulative hours of validated reports per period, against a linear pace "
                                         "to the %(h)s hours committed. The same figures are in the table below.",
                                         h=contract.committed_hours),
                           labels=(_("delivered (validated)"), _("linear pace"))) if committed > 0 and points else ""
    evidence = {r.id: list(session.exec(select(ReportEvidence).where(ReportEvidence.report_id == r.id)))
                for r in info.reports}
    return render_template("monitoring/contract.html", info=info, form=form, chart=chart, evidence=evidence,
                           decision_form=DecisionForm(), close_form=CloseForm(), start_form=StartForm(),
                           can_file=is_contractor(session, g.user, contract)
                           and contract.status == ContractStatus.ACTIVE.value,
                           can_decide=can_edit_authority(g.user, contract.authority_id), langs=LANGS,
                           today=today), status


@bp.route(URL)
@login_required
def contract(contract_id: int):
    return _page(_contract(contract_id))


@bp.route(URL + "/reports", methods=["POST"])
@login_required
def file_report(contract_id: int):
    session = get_session()
    contract = _contract(contract_id)
    if not is_contractor(session, g.user, contract):
        abort(403)
    form = ReportForm()
    if not form.validate_on_submit():
        flash(_("The form has expired or is incomplete. Please try again."), "error")
        return _page(contract, form, 400)
    cfg = current_app.config
    uploads = [(f.filename or "", f.read()) for f in request.files.getlist("evidence") if f and f.filename]
    data = {name: form[name].data for name in ("period", "insertion_hours", "training_hours", "subcontracted_hours",
                                               "subcontractor", "people", "people_women", "people_men",
                                               "people_other", "comment")}
    try:
        service.file_report(session, contract, g.user, data, uploads, upload_dir=cfg["UPLOAD_DIR"],
                            max_bytes=cfg["UPLOAD_MAX_FILE_BYTES"], grace_days=_grace())
    except ValidationError as exc:
        session.rollback()
        for name, message in exc.errors.items():
            (form[name].errors if name in form else form.form_errors).append(str(message))
        return _page(contract, form, 400)
    flash(_("Your report has been filed. The buyer will validate or contest it."), "success")
    return redirect(url_for("monitoring.contract", contract_id=contract.id))


def _buyer_action(contract: Contract):
    if not can_edit_authority(g.user, contract.authority_id):
        abort(403)


@bp.route(URL + "/reports/<int:report_id>/decision", methods=["POST"])
@login_required
def decide(contract_id: int, report_id: int):
    session = get_session()
    contract = _contract(contract_id)
    _buyer_action(contract)
    report = session.get(ContractReport, report_id)
    if report is None or report.contract_id != contract.id:
        abort(404)
    form = DecisionForm()
    if not form.validate_on_submit():
        flash(_("The form has expired or is incomplete. Please try again."), "error")
        return _page(contract, status=400)
    try:
        service.decide_report(session, report, g.user, validate=request.form.get("action") == "validate",
                              reason=form.reason.data)
    except ValidationError as exc:
        session.rollback()
        flash(_("Report of %(period)s: %(message)s", period=report.period_start.isoformat(),
                message=str(next(iter(exc.errors.values())))), "error")
        return _page(contract, status=400)
    flash(_("Decision recorded."), "success")
    return redirect(url_for("monitoring.contract", contract_id=contract.id))


@bp.route(URL + "/start", methods=["POST"])
@login_required
def start(contract_id: int):
    session = get_session()
    contract = _contract(contract_id)
    _buyer_action(contract)
    form = StartForm()
    try:
        if not form.validate_on_submit():
            raise ValidationError({"start_date": _("The form has expired or is incomplete. Please try again.")})
        try:
            day = date.fromisoformat((form.start_date.data or "").strip())
        except ValueError:
            raise ValidationError({"start_date": _("Enter a date as YYYY-MM-DD.")}) from None
        service.set_start_date(session, contract, g.user, day)
    except ValidationError as exc:
        session.rollback()
        flash(str(next(iter(exc.errors.values()))), "error")
        return _page(contract, status=400)
    flash(_("Start date saved."), "success")
    return redirect(url_for("monitoring.contract", contract_id=contract.id))


@bp.route(URL + "/close", methods=["POST"])
@login_required
def close(contract_id: int):
    session = get_session()
    contract = _contract(contract_id)
    _buyer_action(contract)
    form = CloseForm()
    if not form.validate_on_submit() or not form.confirm.data:
        flash(_("Tick the confirmation box to close the contract."), "error")
        return _page(contract, status=400)
    try:
        closing.close_contract(session, contract, g.user, grace_days=_grace())
    except ValidationError as exc:
        session.rollback()
        flash(str(next(iter(exc.errors.values()))), "error")
        return _page(contract, status=400)
    flash(_("Contract closed."), "success")
    return redirect(url_for("monitoring.contract", contract_id=contract.id))


@bp.route(URL + "/reports/<int:report_id>/evidence/<int:evidence_id>")
@login_required
def evidence(contract_id: int, report_id: int, evidence_id: int):
    session = get_session()
    contract = _contract(contract_id)
    report = session.get(ContractReport, report_id)
    item = session.get(ReportEvidence, evidence_id)
    if report is None or item is None or report.contract_id != contract.id or item.report_id != report.id:
        abort(404)
    try:
        path = files.stored_path(current_app.config["UPLOAD_DIR"], item.stored_name)
    except FileNotFoundError:
        abort(404)
    response = send_file(path, mimetype=item.mime, as_attachment=True, download_name=item.original_name)
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


@bp.route(URL + "/certificate/<lang>.pdf")
@login_required
def certificate(contract_id: int, lang: str):
    contract = _contract(contract_id)
    if lang not in LANGS or not contract.satisfactory or not contract.certificate_number:
        abort(404)
    info = closing.summary(get_session(), contract, grace_days=_grace())
    data = closing.certificate_context(info, lang)
    with force_locale(lang):
        pdf = render_pdf("pdf/certificate.html", lang=lang, title=data["title"], author=info.authority.name,
                         created=contract.closed_at, c=data)
    name = f"{contract.certificate_number}-{lang}.pdf"
    return Response(pdf, mimetype="application/pdf",
                    headers={"Content-Disposition": f'attachment; filename="{name}"',
                             "X-Content-Type-Options": "nosniff"})
