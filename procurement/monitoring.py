"""Services of social-clause monitoring: contracts at award, reports, the buyer's decisions.

``create_contracts_for_award`` is called when a lot's evaluation is finalised (and by the demo
loader and ``flask contracts sync``, procurement.monitoring_cli); it is idempotent: one contract per lot,
plus one per participant of a joint tender for its share (procurement.joint_services). Reports are filed by
the contractor's firm users and validated or contested (with a reason) by the authority's buyers.
Closing, the penalty and the certificate are in ``procurement.monitoring_close``. Every change is
appended to the audit log; bad input raises ``ValidationError`` naming the field and writes nothing.
"""
from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlmodel import Session, select

from accounts.access import can_edit_authority
from audit import log as audit_log
from common.timeutil import to_brussels, utcnow
from procurement import impact
from procurement import monitoring_files as files
from procurement import monitoring_rules as rules
from procurement.bid_models import Bid, BidVersion, Evaluation
from procurement.models import AwardCriterion, CriterionKind, Lot, Tender, TenderClause
from procurement.monitoring_access import is_contractor
from procurement.monitoring_models import (
    Contract, ContractReport, ContractStatus, ReportEvidence, ReportStatus,
)
from registry.identifiers import InvalidEnterpriseNumber, normalise_enterprise_number
from registry.models import Enterprise, EnterpriseStatus
from registry.validation import ValidationError

HOUR_UNITS = {"h", "hours", "heures", "uren", "hour", "heure", "uur"}
PERSON_UNITS = {"persons", "personnes", "personen", "people", "trainees", "stagiaires"}


def _fail(field: str, message) -> None:
    raise ValidationError({field: message})


def _clause_parameters(session: Session, tender: Tender, lot: Lot, defaults: dict) -> dict:
    """Penalty and reporting parameters of the tender's clauses (the lot's own clause first),
    else the defaults of config.toml."""
    rows = list(session.exec(select(TenderClause).where(TenderClause.tender_id == tender.id)))
    rows.sort(key=lambda r: r.lot_id != lot.id)  # lot-specific before tender-wide

    def pick(clause_id):
        return next((r for r in rows if r.clause_id == clause_id and r.lot_id in (None, lot.id)), None)

    params = {"total_rate": str(defaults["total_rate"]), "partial_rate": str(defaults["partial_rate"]),
              "tolerance": str(defaults["tolerance"]), "report_day": int(defaults["report_day"]),
              "source": "config"}
    penalties = pick("social-clause-penalties")
    if penalties is not None:
        for key in ("total_rate", "partial_rate", "tolerance"):
            if penalties.parameters.get(key) not in (None, ""):
                params[key] = str(penalties.parameters[key])
        params["source"] = f"social-clause-penalties@{penalties.clause_version}"
    reporting = pick("reporting-monthly-hours")
    if reporting is not None and str(reporting.parameters.get("report_day", "")).isdigit():
        params["report_day"] = int(reporting.parameters["report_day"])
    return params


def _commitments(session: Session, lot: Lot, version: BidVersion) -> tuple[dict, Decimal, int | None, Decimal | None]:
    criteria = session.exec(select(AwardCriterion).where(AwardCriterion.lot_id == lot.id,
                                                         AwardCriterion.kind == CriterionKind.QUANTITY.value))
    commitments, hours, trainees, share = {}, Decimal(0), None, None
    for c in criteria:
        value = Decimal(str(version.values.get(c.code, "0") or "0"))
        commitments[c.code] = {"value": str(value), "unit": c.unit, "label": c.label("en"),
                               "label_fr": c.label("fr"), "label_nl": c.label("nl")}
        unit = (c.unit or "").strip().lower()
        if unit in HOUR_UNITS:
            hours += value
        elif unit in PERSON_UNITS:
            trainees = int(value)
        elif unit == "%" and ("sub" in c.code.lower() or "sous" in c.code.lower()):
            share = value
    return commitments, hours, trainees, share


def config_defaults() -> dict:
    """Penalty and reporting defaults of config.toml (used when the tender has no such clause)."""
    from flask import current_app, has_app_context

    cfg = current_app.config if has_app_context() else {}
    return {"total_rate": cfg.get("PENALTY_TOTAL_RATE_PCT", 2.5), "partial_rate": cfg.get("PENALTY_PARTIAL_RATE_PCT", 1.5),
            "tolerance": Decimal(str(cfg.get("PENALTY_TOLERANCE", 0.1))) * 100,
            "report_day": cfg.get("REPORT_DUE_DAY", 10), "period_months": cfg.get("REPORT_PERIOD_MONTHS", 1)}


def create_contracts_for_award(session: Session, tender: Tender, lot: Lot, evaluation: Evaluation, actor, *,
                               defaults: dict | None = None, duration_months: int | None = None,
                               start: date | None = None, commit: bool = True) -> Contract | None:
    """The contract of ``lot`` awarded by the finalised ``evaluation`` (existing one returned as is).

    Copies the winning bid's price (the initial amount), its quantity commitments and the clause
    parameters. Returns None when the evaluation is not finalised or names no winner."""
    from procurement.joint_services import create_participant_contracts  # joint tenders (issue 10)

    existing = session.exec(select(Contract).where(Contract.lot_id == lot.id,
                                                   Contract.parent_contract_id.is_(None))).first()
    if existing is not None:
        shares = list(session.exec(select(Contract).where(Contract.parent_contract_id == existing.id)))
        if existing.evaluation_id == evaluation.id or existing.status != ContractStatus.ACTIVE.value \
                or any(reports_of(session, c) or c.status != ContractStatus.ACTIVE.value
                       for c in [existing, *shares]) or not evaluation.finalised:
            if create_participant_contracts(session, existing, actor) and commit:
                session.commit()
            return existing
        # A corrected evaluation (new version) re-awarded the lot before any report: start again.
        for share in shares:
            audit_log.append(session, "contract.replaced", actor=actor, object_type="contract", object_id=share.id,
                             tender_ref=tender.reference, details={"lot": lot.number, "evaluation": evaluation.id})
            session.delete(share)
        session.flush()
        audit_log.append(session, "contract.replaced", actor=actor, object_type="contract", object_id=existing.id,
                         tender_ref=tender.reference, details={"lot": lot.number, "evaluation": evaluation.id})
        session.delete(existing)
        session.flush()
    if not evaluation.finalised or evaluation.award_bid_id is None:
        return None
    defaults = defaults or config_defaults()
    bid = session.get(Bid, evaluation.award_bid_id)
    version = session.exec(select(BidVersion).where(BidVersion.bid_id == bid.id,
                                                    BidVersion.version == bid.current_version)).one()
    commitments, hours, trainees, share = _commitments(session, lot, version)
    awarded = to_brussels(evaluation.finalised_at or utcnow()).date()
    start = start or rules.add_months(rules.month_start(awarded), 1)
    months = duration_months or tender.duration_months or 12
    contract = Contract(
        tender_id=tender.id, lot_id=lot.id, authority_id=tender.authority_id, enterprise_id=bid.enterprise_id,
        evaluation_id=evaluation.id, bid_id=bid.id, initial_amount=Decimal(version.price),
        start_date=start, end_date=rules.add_months(start, months) - timedelta(days=1),
        committed_hours=hours, trainees=trainees, subcontracting_share_pct=share, commitments=commitments,
        clause_parameters=_clause_parameters(session, tender, lot, defaults),
        period_months=int(defaults.get("period_months", 1)),
        created_by=getattr(actor, "id", None))
    session.add(contract)
    session.flush()
    audit_log.append(session, "contract.created", actor=actor, object_type="contract", object_id=contract.id,
                     tender_ref=tender.reference,
                     details={"lot": lot.number, "enterprise": bid.enterprise_id, "amount": str(contract.initial_amount),
                              "committed_hours": str(hours), "parameters": contract.clause_parameters})
    create_participant_contracts(session, contract, actor)
    if commit:
        session.commit()
    return contract


def contract_periods(contract: Contract, grace_days: int = 0) -> list[rules.Period]:
    return rules.periods(contract.start_date, contract.end_date, period_months=contract.period_months,
                         report_day=int(contract.clause_parameters.get("report_day", 10)), grace_days=grace_days)


def reports_of(session: Session, contract: Contract) -> list[ContractReport]:
    return list(session.exec(select(ContractReport).where(ContractReport.contract_id == contract.id)
                             .order_by(ContractReport.period_start, ContractReport.version)))


def _hours(data: dict, field: str) -> Decimal:
    try:
        return rules.parse_hours(data.get(field), field)
    except ValueError as exc:
        if str(exc).endswith("negative"):
            _fail(field, _l("Hours cannot be negative."))
        if str(exc).endswith("out of range"):
            _fail(field, _l("Enter at most %(max)s hours, with two decimals at most.", max=rules.MAX_HOURS_PER_REPORT))
        _fail(field, _l("Enter a number of hours."))


def _subcontractor(session: Session, number: str, hours: Decimal) -> Enterprise | None:
    number = (number or "").strip()
    if not number:
        if hours > 0:
            _fail("subcontractor", _l("Name the registry enterprise (its enterprise number) the hours were "
                                      "subcontracted to."))
        return None
    try:
        normalised = normalise_enterprise_number(number)
    except InvalidEnterpriseNumber:
        _fail("subcontractor", _l("This is not a valid Belgian enterprise number."))
    enterprise = session.exec(select(Enterprise).where(Enterprise.enterprise_number == normalised)).first()
    if enterprise is None or enterprise.status != EnterpriseStatus.VALIDATED.value:
        _fail("subcontractor", _l("No validated enterprise of the registry has this number: only hours "
                                  "subcontracted to social-economy enterprises of the registry count."))
    return enterprise


GENDER_FIELDS = ("people_women", "people_men", "people_other")


def _gender_counts(data: dict, people: int) -> dict:
    """The optional gender counts of a report (blank = not stated): whole numbers ≥ 0 whose sum
    does not exceed ``people``. All blank: none stated (stored as None)."""
    counts = {}
    for field in GENDER_FIELDS:
        raw = str(data.get(field) if data.get(field) is not None else "").strip()
        if not raw:
            counts[field] = None
        elif not raw.isdigit() or int(raw) > 10000:
            _fail(field, _l("Enter a whole number of people (0 or more), or leave it blank if not stated."))
        else:
            counts[field] = int(raw)
    if all(v is None for v in counts.values()):
        return counts
    try:
        impact.report_breakdown(people, counts["people_women"], counts["people_men"], counts["people_other"])
    except ValueError:
        field = next(f for f in reversed(GENDER_FIELDS) if counts[f] is not None)
        _fail(field, _l("Women, men and another gender / not stated add up to %(sum)s, more than the %(people)s "
                        "people of the report.", sum=sum(v or 0 for v in counts.values()), people=people))
    return counts


def file_report(session: Session, contract: Contract, user, data: dict, evidence: list[tuple[str, bytes]], *,
                upload_dir: str, max_bytes: int, grace_days: int = 0, now: datetime | None = None) -> ContractReport:
    """File the contractor's report for one period. ``data``: period (YYYY-MM-DD, any day of the
    period), insertion_hours, training_hours, subcontracted_hours, subcontractor (enterprise
    number), people, comment. ``evidence``: (filename, bytes) pairs."""
    if not is_contractor(session, user, contract):
        raise PermissionError("only the contractor's users file its reports")
    if contract.status != ContractStatus.ACTIVE.value:
        _fail("period", _l("This contract is closed: no more reports can be filed."))
    now = now or utcnow()
    today = to_brussels(now).date()
    try:
        day = date.fromisoformat(str(data.get("period") or "").strip()[:10])
    except ValueError:
        _fail("period", _l("Choose the period the report covers."))
    all_periods = contract_periods(contract, grace_days)
    period = rules.period_for(all_periods, day)
    if period is None:
        _fail("period", _l("This period is outside the contract (%(start)s to %(end)s).",
                           start=contract.start_date.isoformat(), end=contract.end_date.isoformat()))
    if period.start > today:
        _fail("period", _l("This period has not started yet."))
    previous = [r for r in reports_of(session, contract) if r.period_start == period.start]
    if any(r.status != ReportStatus.CONTESTED.value for r in previous):
        _fail("period", _l("A report was already filed for this period. Only a contested report can be "
                           "followed by a new one."))
    values = {f: _hours(data, f) for f in ("insertion_hours", "training_hours", "subcontracted_hours")}
    subcontractor = _subcontractor(session, data.get("subcontractor", ""), values["subcontracted_hours"])
    people_raw = str(data.get("people") or "0").strip()
    if not people_raw.isdigit() or int(people_raw) > 10000:
        _fail("people", _l("Enter a whole number of people (0 or more)."))
    gender = _gender_counts(data, int(people_raw))
    checked = []
    for filename, content in evidence:
        try:
            checked.append(files.check(filename, content, max_bytes))
        except files.EvidenceError as exc:
            message = {"too_large": _l("The file %(name)s is larger than %(mb).1f MB.", name=exc.filename,
                                       mb=max_bytes / 1048576),
                       "empty": _l("The file %(name)s is empty.", name=exc.filename)}.get(
                exc.code, _l("The file %(name)s is not a PDF, PNG or JPEG file (whatever its name).",
                             name=exc.filename))
            _fail("evidence", message)
    report = ContractReport(
        contract_id=contract.id, period_start=period.start, period_end=period.end, version=len(previous) + 1,
        due_date=period.due, late=today > period.due, subcontractor_id=subcontractor.id if subcontractor else None,
        people=int(people_raw), **gender, comment=str(data.get("comment") or "").strip()[:5000], submitted_at=now,
        submitted_by=user.id, **values)
    session.add(report)
    session.flush()
    stored = []
    try:
        for item in checked:
            name = files.store(item, upload_dir)
            stored.append(name)
            session.add(ReportEvidence(report_id=report.id, original_name=item.filename, stored_name=name,
                                       mime=item.mime, size=len(item.content), sha256=item.sha256,
                                       uploaded_at=now, uploaded_by=user.id))
        tender = session.get(Tender, contract.tender_id)
        audit_log.append(session, "contract_report.filed", actor=user, object_type="contract_report",
                         object_id=report.id, tender_ref=tender.reference,
                         details={"contract": contract.id, "period": period.key, "version": report.version,
                                  "hours": {k: str(v) for k, v in values.items()}, "late": report.late,
                                  "evidence": [c.sha256 for c in checked]})
        session.commit()
    except Exception:
        session.rollback()
        for name in stored:
            files.remove(upload_dir, name)
        raise
    return report


def decide_report(session: Session, report: ContractReport, user, *, validate: bool, reason: str = "",
                  now: datetime | None = None) -> ContractReport:
    """The buyer validates the report, or contests it with a reason (required)."""
    contract = session.get(Contract, report.contract_id)
    if not can_edit_authority(user, contract.authority_id):
        raise PermissionError("only the authority's buyers decide on reports")
    if report.status != ReportStatus.SUBMITTED.value:
        _fail("decision", _l("This report has already been decided."))
    reason = (reason or "").strip()[:5000]
    if not validate and not reason:
        _fail("reason", _l("Give the reason why the report is contested."))
    report.status = (ReportStatus.VALIDATED if validate else ReportStatus.CONTESTED).value
    report.decided_at, report.decided_by, report.decision_reason = now or utcnow(), user.id, reason
    session.add(report)
    tender = session.get(Tender, contract.tender_id)
    audit_log.append(session, f"contract_report.{report.status}", actor=user, object_type="contract_report",
                     object_id=report.id, tender_ref=tender.reference,
                     details={"contract": contract.id, "period": report.period_start.isoformat(), "reason": reason})
    session.commit()
    return report


def set_start_date(session: Session, contract: Contract, user, start: date, *, duration_months: int | None = None) -> Contract:
    """The buyer sets when performance starts (before any report); the end follows the duration."""
    if not can_edit_authority(user, contract.authority_id):
        raise PermissionError("only the authority's buyers manage its contracts")
    if reports_of(session, contract):
        _fail("start_date", _l("Reports have been filed: the start date can no longer change."))
    end, begin = contract.end_date, contract.start_date
    months = duration_months or (end.year - begin.year) * 12 + end.month - begin.month + 1
    contract.start_date = start
    contract.end_date = rules.add_months(start, months) - timedelta(days=1)
    session.add(contract)
    audit_log.append(session, "contract.dates", actor=user, object_type="contract", object_id=contract.id,
                     details={"start": start.isoformat(), "end": contract.end_date.isoformat()})
    session.commit()
    return contract

