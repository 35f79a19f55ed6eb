"""Drafting pages: lots, award criteria per lot, clause selection, publication (with confirmation).

Only the tender's own buyers reach them (``tender_for_edit``); once published, every page says the
tender is frozen and goes back to it. Wrong input re-renders the form with what was typed.
"""
from __future__ import annotations

from flask import abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _

from accounts.access import roles_required
from accounts.models import Role
from clauses.library import default_library
from common.db import get_session
from common.timeutil import utcnow
from procurement import messages as m
from procurement import publication
from procurement import tender_queries as q
from procurement import tender_services as services
from procurement.forms import ClausesForm, CriteriaForm, LotsForm, PublishForm
from procurement.views import bp
from procurement.view_support import attach_errors, frozen_redirect, settings, tender_for_edit, ui_lang

LOT_TEXT = ("title_fr", "title_nl", "title_en", "cpv_codes", "estimated_value")
CRITERION_TEXT = ("code", "label_fr", "label_nl", "label_en", "weight")
HOURS_PARAMETERS = ("insertion_hours", "training_hours", "target_hours", "cap_hours")


def _rows(entries, significant):
    """Non-blank, non-removed rows, and which form entry each came from."""
    rows, index_map = [], {}
    for i, entry in enumerate(entries):
        data = entry.form.data
        if data.get("remove") or not any(str(data.get(k) or "").strip() for k in significant):
            continue
        index_map[len(rows)] = i
        rows.append({k: v for k, v in data.items() if k != "remove"})
    return rows, index_map


def _editable(reference):
    tender = tender_for_edit(reference)
    return tender, (frozen_redirect(tender) if tender.status != "draft" else None)


@bp.route("/tenders/<reference>/lots", methods=["GET", "POST"])
@roles_required(Role.BUYER)
def lots(reference: str):
    tender, frozen = _editable(reference)
    if frozen:
        return frozen
    session = get_session()
    existing = q.lots_of(session, tender)
    if request.method == "GET":
        rows = [q.lot_dict(lot) | {"cpv_codes": ", ".join(lot.cpv_codes or [])} for lot in existing]
        rows.append({"number": max((lot.number for lot in existing), default=0) + 1})
        form = LotsForm(data={"lots": rows})
    else:
        form = LotsForm()
    general = []
    if form.validate_on_submit():
        rows, index_map = _rows(form.lots.entries, LOT_TEXT)
        try:
            services.save_lots(session, g.user, tender, rows)
        except services.TenderValidationError as exc:
            session.rollback()
            general = attach_errors(form, exc.errors, rows=index_map)
        else:
            flash(_("Lots saved."), "success")
            return redirect(url_for("procurement.detail", reference=tender.reference))
    return render_template("procurement/lots.html", form=form, tender=tender, general=general), \
        400 if general or form.errors else 200


@bp.route("/tenders/<reference>/lots/<int:number>/criteria", methods=["GET", "POST"])
@roles_required(Role.BUYER)
def criteria(reference: str, number: int):
    tender, frozen = _editable(reference)
    if frozen:
        return frozen
    session = get_session()
    lot = q.lot_by_number(session, tender, number) or abort(404)
    stored = q.criteria_of(session, lot)
    if request.method == "GET":
        rows = [q.criterion_dict(c) for c in stored]
        if not rows:
            rows.append({"code": "price", "kind": "price", "label_fr": "Prix", "label_nl": "Prijs",
                         "label_en": "Price",
                         "formula": settings().get("SCORING_DEFAULT_PRICE_FORMULA", "proportional")})
        rows += [{}, {}]
        form = CriteriaForm(data={"criteria": rows, "criteria_mode": lot.criteria_mode,
                                  "criteria_justification": lot.criteria_justification})
    else:
        form = CriteriaForm()
    general = []
    if form.validate_on_submit():
        rows, index_map = _rows(form.criteria.entries, CRITERION_TEXT)
        try:
            services.save_criteria(session, g.user, tender, lot, mode=form.criteria_mode.data,
                                   justification=form.criteria_justification.data or "",
                                   criteria=rows, settings=settings())
        except services.TenderValidationError as exc:
            session.rollback()
            general = attach_errors(form, exc.errors, rows=index_map)
        else:
            flash(_("Award criteria of lot %(n)s saved.", n=lot.number), "success")
            return redirect(url_for("procurement.criteria", reference=reference, number=number))
    findings = q.draft_findings(session, tender, settings()).get(f"lot-{lot.number}", [])
    return render_template("procurement/criteria.html", form=form, tender=tender, lot=lot,
                           general=general, lang=ui_lang(), findings=[m.describe(f) for f in findings
                                                      if f.severity != "error" or not general]), \
        400 if general or form.errors else 200


def _clause_form_state(tender, session):
    """Per clause: selected?, lot, parameter values (stored, else calculator hours, else default)."""
    stored = {tc.clause_id: tc for tc in q.tender_clauses(session, tender)}
    lots = q.lots_of(session, tender)
    lot_of = {lot.id: lot.number for lot in lots}
    reserved = next((lot.number for lot in lots if lot.reservation == "art20"), None)
    hours = (tender.insertion or {}).get("hours")
    state = {}
    for clause in default_library().find(nature=tender.nature):
        tc = stored.get(clause.id)
        values = {}
        for p in clause.parameters:
            if tc is not None and p.name in tc.parameters:
                values[p.name] = tc.parameters[p.name]
            elif p.name in HOURS_PARAMETERS and hours:
                values[p.name] = str(hours)
            elif p.name == "lot_number" and reserved:
                values[p.name] = str(reserved)
            else:
                values[p.name] = "" if p.default is None else str(p.default)
        state[clause.id] = {"selected": tc is not None, "lot": lot_of.get(tc.lot_id) if tc else None,
                            "values": values}
    return state, lots


@bp.route("/tenders/<reference>/clauses", methods=["GET", "POST"])
@roles_required(Role.BUYER)
def clauses(reference: str):
    tender, frozen = _editable(reference)
    if frozen:
        return frozen
    session = get_session()
    form = ClausesForm()
    state, lots = _clause_form_state(tender, session)
    errors: dict[str, list[str]] = {}
    if form.validate_on_submit():
        selections = []
        for clause_id, entry in state.items():
            entry["selected"] = bool(request.form.get(f"select-{clause_id}"))
            lot_text = request.form.get(f"lot-{clause_id}", "")
            entry["lot"] = int(lot_text) if lot_text.isdigit() else None
            entry["values"] = {name: request.form.get(f"param-{clause_id}-{name}", "")
                               for name in entry["values"]}
            if entry["selected"]:
                selections.append({"clause_id": clause_id, "lot_number": entry["lot"],
                                   "parameters": entry["values"]})
        try:
            services.save_clauses(session, g.user, tender, selections)
        except services.TenderValidationError as exc:
            session.rollback()
            errors = {name: [m.describe(p) for p in problems] for name, problems in exc.errors.items()}
        else:
            flash(_("Clauses saved."), "success")
            return redirect(url_for("procurement.detail", reference=tender.reference))
    groups = {}
    for clause in default_library().find(nature=tender.nature):
        groups.setdefault(clause.category, []).append(clause)
    return render_template("procurement/clauses.html", form=form, tender=tender, groups=groups,
                           state=state, lots=lots, errors=errors, lang=ui_lang(),
                           category_labels=m.CATEGORY_LABELS), 400 if errors else 200


@bp.route("/tenders/<reference>/publish", methods=["GET", "POST"])
@roles_required(Role.BUYER)
def publish(reference: str):
    tender, frozen = _editable(reference)
    if frozen:
        return frozen
    session = get_session()
    advice = q.procedure_advice_for(session, tender, settings())
    form = PublishForm()
    if request.method == "GET":
        form.procedure.data = tender.procedure or advice.procedure
        form.procedure_justification.data = tender.procedure_justification
        form.social_clause_justification.data = tender.social_clause_justification
    general: list[str] = []
    if form.validate_on_submit():
        if not form.confirm.data:
            form.confirm.errors = [*form.confirm.errors, _("Tick the box to confirm.")]
        else:
            try:
                publication.publish(session, g.user, tender, procedure=form.procedure.data,
                                 justification=form.procedure_justification.data or "",
                                 social_clause_justification=form.social_clause_justification.data or "",
                                 settings=settings())
            except services.TenderValidationError as exc:
                session.rollback()
                general = attach_errors(form, exc.errors)
            else:
                flash(_("Tender %(ref)s published. Its criteria and clauses are now frozen.",
                        ref=tender.reference), "success")
                return redirect(url_for("procurement.detail", reference=tender.reference))
    elif request.method == "GET":
        blocking = publication.publication_errors(session, tender, settings=settings(),
                                               library=default_library(), now=utcnow())
        general = attach_errors(form, blocking)
        for field in (form.procedure, form.procedure_justification,
                      form.social_clause_justification):
            field.errors = []  # these are the user's to fill in now, not mistakes yet
    return render_template("procurement/publish.html", form=form, tender=tender, advice=advice,
                           notes=[m.describe(n) for n in advice.notes], general=general), 400 if request.method == "POST" else 200
