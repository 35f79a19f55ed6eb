"""Evaluation of a lot after the opening: ratings, conformity, price justifications, results,
finalisation, and the auditor's report. Auditors and admins read; only the authority's buyers act."""
from __future__ import annotations

from flask import Blueprint, Response, current_app, flash, g, jsonify, redirect, render_template, url_for
from flask_babel import get_locale, gettext as _

from accounts.access import can_edit_authority
from common.db import get_session
from procurement import bids as bid_service
from procurement import evaluation as service
from procurement import report as report_service
from procurement import results_text
from procurement.bid_files import KIND_LABELS
from procurement.bid_forms import (
    ConformityForm, FinaliseForm, JustificationDecisionForm, JustificationRequestForm, NewVersionForm, RatingForm,
)
from procurement.evaluation_state import current_evaluation, load_state
from procurement.opening import audit_generated
from procurement.view_access import tender_view

bp = Blueprint("evaluation", __name__)
LOT_URL = "/tenders/<ref>/lots/<int:number>"


def _state(tender, lot, evaluation=None):
    """The lot's evaluation state, or None (with a message) before the opening."""
    session = get_session()
    evaluation = evaluation or current_evaluation(session, lot)
    if evaluation is None or not bid_service.is_opened(session, tender):
        return None
    cfg = current_app.config
    return load_state(session, evaluation, g.user, lang=str(get_locale()),
                      abnormal_rule={"threshold_pct": cfg["ABNORMAL_PRICE_THRESHOLD_PCT"],
                                     "min_bids": cfg["ABNORMAL_MIN_BIDS"]},
                      default_formula=cfg.get("SCORING_DEFAULT_PRICE_FORMULA", "proportional"))


def _not_opened(tender, lot):
    opened = bid_service.is_opened(get_session(), tender)
    return render_template("evaluation/not_opened.html", tender=tender, lot=lot, opened=opened), 409


def _text(result):
    if not result:
        return {}
    return {"stability": results_text.stability_sentences(result), "counterfactual": results_text.counterfactual(result),
            "warnings": results_text.warning_sentences(result), "chart": results_text.chart_svg(result)}


def _page(tender, lot, state, status=200, **forms):
    forms.setdefault("finalise_form", FinaliseForm())
    return render_template("evaluation/evaluation.html", tender=tender, lot=lot, state=state,
                           problems=service.finalise_problems(state), text=_text(state.result),
                           rating_form=RatingForm(), conformity_form=ConformityForm(),
                           request_form=JustificationRequestForm(), decision_form=JustificationDecisionForm(),
                           version_form=NewVersionForm(), kinds=KIND_LABELS,
                           can_edit=can_edit_authority(g.user, tender.authority_id), **forms), status


@bp.route(LOT_URL + "/evaluation")
@tender_view()
def evaluation(tender, lot):
    state = _state(tender, lot)
    return _not_opened(tender, lot) if state is None else _page(tender, lot, state)


def _act(tender, lot, form, action):
    """Run one evaluation service for a POSTed form; errors are shown on the page."""
    session = get_session()
    state = _state(tender, lot)
    if state is None:
        return _not_opened(tender, lot)
    if not form.validate_on_submit():
        flash(_("The form has expired or is incomplete. Please try again."), "error")
        return _page(tender, lot, state, 400)
    try:
        message = action(session, state)
    except service.EvaluationLocked as exc:
        session.rollback()
        flash(str(exc.message), "error")
        return _page(tender, lot, state, 409)
    except service.RatingConflict as exc:
        session.rollback()
        flash(str(exc.message), "error")
        return _page(tender, lot, _state(tender, lot), 409)
    except service.EvaluationError as exc:
        session.rollback()
        flash(str(exc.message), "error")
        return _page(tender, lot, _state(tender, lot), 400)
    flash(message, "success")
    return redirect(url_for("evaluation.evaluation", ref=tender.reference, number=lot.number))


@bp.route(LOT_URL + "/ratings", methods=["POST"])
@tender_view(edit=True)
def rate(tender, lot):
    form = RatingForm()
    return _act(tender, lot, form, lambda s, st: service.record_rating(
        s, st.evaluation, g.user, bid_id=form.bid_id.data, criterion=form.criterion.data, value=form.value.data,
        justification=form.justification.data, based_on=form.based_on.data) and _("Rating recorded."))


@bp.route(LOT_URL + "/conformity", methods=["POST"])
@tender_view(edit=True)
def conformity(tender, lot):
    form = ConformityForm()
    return _act(tender, lot, form, lambda s, st: service.record_conformity(
        s, st.evaluation, g.user, bid_id=form.bid_id.data, conforming=form.conforming.data == "yes",
        reason=form.reason.data) and _("Conformity decision recorded."))


@bp.route(LOT_URL + "/price-justification/request", methods=["POST"])
@tender_view(edit=True)
def request_justification(tender, lot):
    form = JustificationRequestForm()
    return _act(tender, lot, form, lambda s, st: service.request_justification(
        s, st.evaluation, g.user, bid_id=form.bid_id.data, request_text=form.request_text.data)
        and _("Justification request recorded."))


@bp.route(LOT_URL + "/price-justification/decision", methods=["POST"])
@tender_view(edit=True)
def decide_justification(tender, lot):
    form = JustificationDecisionForm()
    return _act(tender, lot, form, lambda s, st: service.decide_justification(
        s, st.evaluation, g.user, bid_id=form.bid_id.data, answer_text=form.answer_text.data,
        decision=form.decision.data, reason=form.decision_reason.data) and _("Decision recorded."))


@bp.route(LOT_URL + "/finalise", methods=["POST"])
@tender_view(edit=True)
def finalise(tender, lot):
    form = FinaliseForm()
    state = _state(tender, lot)
    if state is not None and not state.evaluation.finalised and not form.confirm.data:
        flash(_("Tick the confirmation box to finalise."), "error")
        return _page(tender, lot, state, 400, finalise_form=form)
    return _act(tender, lot, form, lambda s, st: service.finalise(s, st, g.user, reasons=form.reasons.data)
                and _("The evaluation is finalised and the award decision recorded."))


@bp.route(LOT_URL + "/new-version", methods=["POST"])
@tender_view(edit=True)
def new_version(tender, lot):
    form = NewVersionForm()
    return _act(tender, lot, form, lambda s, st: service.new_version(s, st.evaluation, g.user, reason=form.reason.data)
                and _("A new version of the evaluation is open for the correction."))


@bp.route(LOT_URL + "/results")
@tender_view()
def results(tender, lot):
    state = _state(tender, lot)
    if state is None:
        return _not_opened(tender, lot)
    return render_template("evaluation/results.html", tender=tender, lot=lot, state=state, text=_text(state.result))


@bp.route(LOT_URL + "/results.json")
@tender_view()
def results_json(tender, lot):
    state = _state(tender, lot)
    if state is None:
        return jsonify({"error": "sealed until the opening", "tender": tender.reference, "lot": lot.number}), 409
    ev = state.evaluation
    return jsonify({"tender": tender.reference, "lot": lot.number, "version": ev.version, "status": ev.status,
                    "provisional": state.provisional, "error": state.error, "input": state.input,
                    "result": state.result, "input_sha256": ev.input_hash or None,
                    "result_sha256": ev.result_hash or None})


def _background_report(session, tender, lot, lang):
    """A lot with many bids (REPORT_BACKGROUND_MIN_BIDS): the report is prepared by a background
    job and the user goes to its progress page (the same job again while it is still waiting or
    running). Small lots: None, the PDF is sent at once."""
    import json

    from procurement import job_runner

    try:
        evaluation = report_service.finalised_for(session, lot)
    except report_service.ReportUnavailable:
        return None
    bids = len(json.loads(evaluation.input_json or "{}").get("bids", []))
    if bids < int(current_app.config.get("REPORT_BACKGROUND_MIN_BIDS", 50)):
        return None
    params = {"tender": tender.reference, "lot": lot.number, "lang": lang, "evaluation": evaluation.id}
    job = job_runner.open_job(session, "scoring_report", params, g.user) or \
        job_runner.request_job(session, "scoring_report", params, g.user)
    return redirect(url_for("jobs.status", job_id=job.id))


@bp.route(LOT_URL + "/report.pdf")
@tender_view()
def report(tender, lot):
    session = get_session()
    lang = str(get_locale())
    background = _background_report(session, tender, lot, lang)
    if background is not None:
        return background
    try:
        pdf = report_service.scoring_report(session, tender, lot, lang=lang)
    except report_service.ReportUnavailable:
        flash(_("The scoring report exists once the evaluation of this lot is finalised."), "error")
        return redirect(url_for("opening.overview", ref=tender.reference))
    audit_generated(session, tender, g.user, "scoring_report", {"lot": lot.number, "lang": lang})
    return Response(pdf, mimetype="application/pdf", headers={
        "Content-Disposition": f'attachment; filename="scoring-report-{tender.reference}-lot-{lot.number}.pdf"'})
