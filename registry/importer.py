"""Importing enterprises from a file: check every row, then write all of them in one transaction.

All-or-nothing by default: if any row is bad nothing is written and every bad row is reported with
its line, column and reason; ``skip_invalid`` writes the good rows and reports the others. Rows are
upserted by enterprise number: a column present in the file sets the value, an absent column keeps
it; types are added (never removed); CPV/NACE codes go to the profile's imported activity (created
with the service type of the first CPV division and the seat's region as coverage). Importing the
same file twice changes nothing and records nothing.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l
from sqlmodel import Session, select

from audit import log as audit_log
from registry import history, index
from registry.codes import service_type_for_cpv
from registry.importfile import FileRejected, Row, RowError, read_rows
from registry.models import Accreditation, Activity, Enterprise
from registry.services import apply_profile, clean_profile, clean_types, create_enterprise
from registry.services_parts import clean_activity, save_activity
from registry.validation import ValidationError, as_list, normalise_enterprise_number

FIELD_COLUMNS = {"legal_name": "name"}
PROFILE_COLUMNS = {"name": "legal_name", "enterprise_number": "enterprise_number", "legal_form": "legal_form",
                   "postal_code": "postal_code", "municipality": "municipality", "website": "website",
                   "email": "email", "staff_total": "staff_total", "staff_disadvantaged": "staff_disadvantaged"}


@dataclass
class ImportReport:
    total: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)
    written: bool = False
    dry_run: bool = False
    file_rejected: bool = False  # the file itself could not be read: no row was checked

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass
class _Plan:
    row: Row
    existing: Enterprise | None
    values: dict
    types: list[str]
    activity: dict | None
    action: str  # "create", "update", "unchanged"


def _profile_data(row: Row, existing: Enterprise | None) -> dict:
    data = history.snapshot(existing, PROFILE_COLUMNS.values()) if existing else {}
    if existing is not None:
        data.update(trade_names=existing.trade_names, street=existing.street, nuts3=existing.nuts3,
                    languages=existing.languages, description=existing.description,
                    turnover_band=existing.turnover_band, max_contract_eur=existing.max_contract_eur)
    for column, name in PROFILE_COLUMNS.items():
        if column in row.values:
            data[name] = row.values[column]
    if existing is not None and (data["postal_code"], data["municipality"]) != (existing.postal_code, existing.municipality):
        data["nuts3"] = ""  # the seat moved: derive the arrondissement again
    return data


def _activity_data(row: Row, region: str) -> dict | None:
    cpv, nace = as_list(row.values.get("cpv_codes")), as_list(row.values.get("nace_codes"))
    if not cpv and not nace:
        return None
    first = "".join(ch for ch in cpv[0] if ch.isdigit())[:2] if cpv else ""
    return {"service_type": service_type_for_cpv(first) if len(first) == 2 else "services",
            "cpv_codes": cpv, "nace_codes": nace, "coverage_kind": "regions" if region else "country",
            "coverage_areas": [region] if region else []}


def _imported_activity(session: Session, enterprise: Enterprise | None) -> Activity | None:
    if enterprise is None:
        return None
    return session.exec(select(Activity).where(Activity.enterprise_id == enterprise.id, Activity.source == "import")
                        .order_by(Activity.id)).first()


def _plan_row(session: Session, row: Row, seen: dict[str, int]) -> _Plan:
    errors: dict = {}
    if "__error__" in row.values:
        raise ValidationError({"": row.values["__error__"]})
    number = None
    try:
        number = normalise_enterprise_number(row.values.get("enterprise_number", ""))
    except ValueError:
        pass
    existing = session.exec(select(Enterprise).where(Enterprise.enterprise_number == number)).first() if number else None
    if number and number in seen:
        errors["enterprise_number"] = _l("Same enterprise number as line %(line)s.", line=seen[number])
    values = types = activity = None
    try:
        values = clean_profile(session, _profile_data(row, existing), enterprise=existing, number_required=True)
    except ValidationError as exc:
        errors.update(exc.errors)
    try:
        types = clean_types({"types": row.values.get("types")}) if ("types" in row.values or not existing) else []
    except ValidationError as exc:
        errors.update(exc.errors)
    if values is not None:
        try:
            data = _activity_data(row, values["region"])
            seat = Enterprise(legal_name="", nuts3=values["nuts3"], municipality=values["municipality"])
            activity = clean_activity(session, seat, data, require_cpv=False) if data else None
        except ValidationError as exc:
            errors.update(exc.errors)
    if errors:
        raise ValidationError(errors)
    if number:
        seen[number] = row.line
    return _Plan(row, existing, values, types, activity, _action(session, existing, values, types, activity))


def _action(session: Session, existing, values, types, activity) -> str:
    if existing is None:
        return "create"
    if history.diff(history.snapshot(existing, values), history.plain(values)):
        return "update"
    have = set(session.exec(select(Accreditation.type_code).where(Accreditation.enterprise_id == existing.id)).all())
    if set(types) - have:
        return "update"
    current = _imported_activity(session, existing)
    if activity and (current is None or current.cpv_codes != activity["cpv_codes"]
                     or current.nace_codes != activity["nace_codes"]):
        return "update"
    return "unchanged"


def run_import(session: Session, data: bytes, filename: str = "", *, actor=None, skip_invalid: bool = False,
               dry_run: bool = False, status: str = "pending", progress=None) -> ImportReport:
    """Check then (unless ``dry_run`` or rejected) write; ``progress(done, total)`` is called as rows
    are checked."""
    report = ImportReport(dry_run=dry_run)
    try:
        rows = read_rows(data, filename)
    except FileRejected as exc:
        report.errors, report.file_rejected = exc.errors, True
        return report
    report.total = len(rows)
    plans, seen = [], {}
    for done, row in enumerate(rows, start=1):
        try:
            plans.append(_plan_row(session, row, seen))
        except ValidationError as exc:
            report.errors += [RowError(row.line, FIELD_COLUMNS.get(f, f), m, row.record) for f, m in exc.errors.items()]
        if progress is not None:
            progress(done, len(rows))
    report.created = sum(p.action == "create" for p in plans)
    report.updated = sum(p.action == "update" for p in plans)
    report.unchanged = sum(p.action == "unchanged" for p in plans)
    if dry_run or (report.errors and not skip_invalid):
        session.rollback()
        return report
    touched = [_write(session, plan, actor, status) for plan in plans if plan.action != "unchanged"]
    if touched:
        audit_log.append(session, "enterprise.import", actor=actor, object_type="enterprise",
                         details={"file": filename[:200], "created": report.created, "updated": report.updated,
                                  "rejected_rows": len({e.line for e in report.errors})})
    session.commit()
    report.written = bool(touched)
    for enterprise in touched:
        index.upsert(enterprise)
    return report


def _write(session: Session, plan: _Plan, actor, status: str) -> Enterprise:
    if plan.existing is None:
        data = dict(plan.values, types=plan.types)
        enterprise = create_enterprise(session, data, actor=actor, status=status, number_required=True, commit=False)
    else:
        enterprise = plan.existing
        apply_profile(session, enterprise, plan.values, actor=actor, action="imported")
        have = set(session.exec(select(Accreditation.type_code).where(Accreditation.enterprise_id == enterprise.id)).all())
        added = [t for t in plan.types if t not in have]
        for code in added:
            session.add(Accreditation(enterprise_id=enterprise.id, type_code=code))
        if added:
            history.record(session, enterprise, "imported", {"types": [sorted(have), sorted(have | set(added))]}, actor=actor)
    if plan.activity is not None:
        current = _imported_activity(session, enterprise)
        if current is None or current.cpv_codes != plan.activity["cpv_codes"] or current.nace_codes != plan.activity["nace_codes"]:
            data = dict(plan.activity)
            if current is not None:  # keep the coverage the firm may have edited
                data.update(coverage_kind=current.coverage_kind, coverage_areas=current.coverage_areas,
                            radius_km=current.radius_km, service_type=current.service_type,
                            description=current.description)
            save_activity(session, enterprise, data, actor=actor, activity=current, source="import", commit=False)
    return enterprise
