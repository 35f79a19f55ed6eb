"""Parts of a profile: types with accreditations (and proofs), activities, references.

Same rules as registry.services: everything is checked before anything is written, each change is
recorded in the profile history and the audit log, then committed.
"""
from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import insert
from sqlmodel import Session, delete, select

from registry import history, refdata, uploads
from registry.codes import COVERAGE_LABELS, ISSUER_LABELS, SERVICE_LABELS, SocialType
from registry.geo import NUTS3, REGIONS, nuts3_in_region, nuts3_within
from registry.models import Accreditation, Activity, ActivityArea, ActivityCpv, Enterprise, Reference
from registry.normalise import fold
from registry.validation import Checker, ValidationError, as_list

ACCREDITATION_FIELDS = ("number", "issuing_region", "valid_from", "valid_until", "proof_filename")
ACTIVITY_FIELDS = ("service_type", "cpv_codes", "nace_codes", "coverage_kind", "coverage_areas",
                   "radius_km", "description")
MAX_CODES = 50


def save_accreditation(session: Session, enterprise: Enterprise, data: dict, *, actor=None,
                       accreditation: Accreditation | None = None, proof: uploads.Proof | None = None,
                       upload_dir: str = "", commit: bool = True) -> Accreditation:
    """Add a type (with its accreditation) or edit the accreditation of an existing type."""
    check = Checker()
    if accreditation is None:
        type_code = check.choice(data, "type_code", [t.value for t in SocialType], required=True)
        exists = session.exec(select(Accreditation).where(
            Accreditation.enterprise_id == enterprise.id, Accreditation.type_code == type_code)).first()
        if type_code and exists is not None:
            check.fail("type_code", _l("This type is already listed; edit its accreditation instead."))
    values = {
        "number": check.text(data, "number", 60),
        "issuing_region": check.choice(data, "issuing_region", ISSUER_LABELS),
        "valid_from": check.day(data, "valid_from"),
        "valid_until": check.day(data, "valid_until"),
    }
    if values["valid_from"] and values["valid_until"] and values["valid_until"] < values["valid_from"]:
        check.fail("valid_until", _l("The end of validity cannot be before its start."))
    if (values["valid_until"] or values["valid_from"] or proof) and not values["number"] and "number" not in check.errors:
        check.fail("number", _l("Give the accreditation number."))
    check.done()
    if accreditation is None:
        accreditation = Accreditation(enterprise_id=enterprise.id, type_code=type_code)
    before = history.snapshot(accreditation, ACCREDITATION_FIELDS)
    old_file = accreditation.proof_file
    for key, value in values.items():
        setattr(accreditation, key, value)
    if proof is not None:
        accreditation.proof_file = uploads.store(proof, upload_dir)
        accreditation.proof_filename, accreditation.proof_mime = proof.filename, proof.mime
        accreditation.proof_size, accreditation.proof_sha256 = len(proof.content), proof.sha256
    changes = history.diff(before, history.snapshot(accreditation, ACCREDITATION_FIELDS))
    if proof is not None:
        changes["proof_sha256"] = [before.get("proof_sha256"), proof.sha256]
    if changes or accreditation.id is None:
        session.add(accreditation)
        history.record(session, enterprise, "accreditation",
                       {f"{accreditation.type_code}.{k}": v for k, v in changes.items()}, actor=actor)
    try:
        session.commit() if commit else session.flush()
    except Exception:
        session.rollback()
        if proof is not None:
            uploads.remove(upload_dir, accreditation.proof_file)
        raise
    if proof is not None and old_file:
        uploads.remove(upload_dir, old_file)
    return accreditation


def delete_accreditation(session: Session, enterprise: Enterprise, accreditation: Accreditation, *,
                         actor=None, upload_dir: str = "") -> None:
    count = len(session.exec(select(Accreditation.id).where(Accreditation.enterprise_id == enterprise.id)).all())
    if count <= 1:
        raise ValidationError({"type_code": _l("A profile keeps at least one social-economy type.")})
    old_file = accreditation.proof_file
    changes = {f"{accreditation.type_code}.{k}": [v, None]
               for k, v in history.snapshot(accreditation, ACCREDITATION_FIELDS).items()}
    session.delete(accreditation)
    history.record(session, enterprise, "type_removed", changes, actor=actor)
    session.commit()
    if old_file:
        uploads.remove(upload_dir, old_file)


def codes_list(value) -> list[str]:
    """Codes separated by |, commas, semicolons, new lines or spaces."""
    return [part for item in as_list(value) for part in item.split()]


def clean_activity(session: Session, enterprise: Enterprise, data: dict, *, require_cpv: bool = True) -> dict:
    check = Checker()
    service_type = check.choice(data, "service_type", SERVICE_LABELS, required=True)
    cpv, bad = refdata.split_cpv(codes_list(data.get("cpv_codes")))
    if bad:
        check.fail("cpv_codes", _l("“%(value)s” is not a CPV code (8 digits, e.g. 45210000 or 45210000-2).",
                                   value=bad[0][:30]))
    elif not cpv and require_cpv:
        check.fail("cpv_codes", _l("Give at least one CPV code."))
    elif len(cpv) > MAX_CODES:
        check.fail("cpv_codes", _l("At most %(n)s codes.", n=MAX_CODES))
    elif cpv and (unknown := refdata.unknown_cpv(session, cpv)):
        check.fail("cpv_codes", _l("Unknown CPV code: %(codes)s.", codes=", ".join(unknown[:5])))
    nace = []
    for raw in codes_list(data.get("nace_codes"))[:MAX_CODES + 1]:
        code = refdata.normalise_nace(raw)
        if code is None:
            check.fail("nace_codes", _l("“%(value)s” is not a NACE code (e.g. 88.991 or 81210).", value=raw[:30]))
        elif code not in nace:
            nace.append(code)
    if "nace_codes" not in check.errors and (unknown := refdata.unknown_nace(session, nace)):
        check.fail("nace_codes", _l("Unknown NACE code: %(codes)s.", codes=", ".join(unknown[:5])))
    kind = check.choice(data, "coverage_kind", COVERAGE_LABELS, required=True)
    areas = as_list(data.get("coverage_areas"))
    radius = None
    if kind == "regions":
        areas = [a.upper() for a in areas]
        bad_areas = [a for a in areas if a not in REGIONS]
    elif kind == "nuts3":
        areas = [a.upper() for a in areas]
        bad_areas = [a for a in areas if a not in NUTS3]
    else:
        bad_areas = [a for a in areas if len(a) > 120]
    if kind in ("regions", "nuts3", "municipalities"):
        if bad_areas:
            check.fail("coverage_areas", _l("“%(value)s” is not a known area.", value=bad_areas[0][:40]))
        elif not areas:
            check.fail("coverage_areas", _l("List the areas covered."))
        elif len(areas) > 600:
            check.fail("coverage_areas", _l("At most %(n)s areas.", n=600))
    else:
        areas = []
    if kind == "radius":
        radius = check.integer(data, "radius_km", low=1, high=300)
        if radius is None and "radius_km" not in check.errors:
            check.fail("radius_km", _l("Give the radius in km."))
        if not enterprise.nuts3:
            check.fail("coverage_kind", _l("A radius needs the arrondissement of the seat: complete the "
                                           "postal code or arrondissement of the profile first."))
    description = check.text(data, "description", 500)
    check.done()
    return {"service_type": service_type, "cpv_codes": cpv, "nace_codes": nace, "coverage_kind": kind,
            "coverage_areas": list(dict.fromkeys(areas)), "radius_km": radius, "description": description}


def area_rows(session: Session, enterprise: Enterprise, activity: Activity) -> list[tuple[str | None, str | None]]:
    """(NUTS-3, municipality key) pairs covered by an activity."""
    kind, areas = activity.coverage_kind, activity.coverage_areas
    if kind == "country":
        return [(code, None) for code in NUTS3]
    if kind == "regions":
        return [(code, None) for region in areas for code in nuts3_in_region(region)]
    if kind == "nuts3":
        return [(code, None) for code in areas]
    if kind == "radius":
        return [(code, None) for code in nuts3_within(enterprise.nuts3, activity.radius_km or 0)]
    found = refdata.municipality_nuts3(session, areas)
    seat = fold(enterprise.municipality)
    return [(found.get(fold(name)) or (enterprise.nuts3 if fold(name) == seat else None), fold(name)[:120])
            for name in areas]


def sync_activity_rows(session: Session, enterprise: Enterprise, activity: Activity) -> None:
    """Rewrite the derived CPV and area rows of an activity (core multi-row inserts: a country-wide
    activity has 44 area rows)."""
    session.exec(delete(ActivityCpv).where(ActivityCpv.activity_id == activity.id))
    session.exec(delete(ActivityArea).where(ActivityArea.activity_id == activity.id))
    cpv = [{"activity_id": activity.id, "code": code, "enterprise_id": enterprise.id} for code in activity.cpv_codes]
    areas = [{"activity_id": activity.id, "enterprise_id": enterprise.id, "nuts3": nuts3 or None, "municipality_key": key}
             for nuts3, key in dict.fromkeys(area_rows(session, enterprise, activity))]
    for table, rows in ((ActivityCpv, cpv), (ActivityArea, areas)):
        for start in range(0, len(rows), 200):
            session.exec(insert(table).values(rows[start:start + 200]))


def resync_areas(session: Session, enterprise: Enterprise) -> None:
    """After the seat moved: radius and seat-municipality coverage follow it."""
    for activity in session.exec(select(Activity).where(Activity.enterprise_id == enterprise.id)):
        if activity.coverage_kind in ("radius", "municipalities"):
            sync_activity_rows(session, enterprise, activity)


def save_activity(session: Session, enterprise: Enterprise, data: dict, *, actor=None,
                  activity: Activity | None = None, source: str = "form", commit: bool = True) -> Activity:
    values = clean_activity(session, enterprise, data, require_cpv=source != "import")
    activity = activity or Activity(enterprise_id=enterprise.id, service_type=values["service_type"], source=source)
    before = history.snapshot(activity, ACTIVITY_FIELDS) if activity.id else {}
    for key, value in values.items():
        setattr(activity, key, value)
    session.add(activity)
    session.flush()
    sync_activity_rows(session, enterprise, activity)
    changes = history.diff(before, history.snapshot(activity, ACTIVITY_FIELDS))
    if changes:
        history.record(session, enterprise, "activity", {f"activity {activity.id}.{k}": v for k, v in changes.items()},
                       actor=actor)
    if commit:
        session.commit()
    return activity


def delete_activity(session: Session, enterprise: Enterprise, activity: Activity, *, actor=None) -> None:
    changes = {f"activity {activity.id}.{k}": [v, None] for k, v in history.snapshot(activity, ACTIVITY_FIELDS).items()}
    session.exec(delete(ActivityCpv).where(ActivityCpv.activity_id == activity.id))
    session.exec(delete(ActivityArea).where(ActivityArea.activity_id == activity.id))
    session.delete(activity)
    history.record(session, enterprise, "activity_removed", changes, actor=actor)
    session.commit()


def save_reference(session: Session, enterprise: Enterprise, data: dict, *, actor=None,
                   commit: bool = True) -> Reference:
    check = Checker()
    values = {
        "buyer": check.text(data, "buyer", 200, required=True),
        "year": check.integer(data, "year", low=1980, high=date.today().year),
        "amount_eur": check.amount(data, "amount_eur"),
        "description": check.text(data, "description", 2000, multiline=True),
    }
    if values["year"] is None and "year" not in check.errors:
        check.fail("year", _l("This field is required."))
    check.done()
    reference = Reference(enterprise_id=enterprise.id, **values)
    session.add(reference)
    session.flush()
    history.record(session, enterprise, "reference",
                   {f"reference {reference.id}.{k}": [None, v] for k, v in history.snapshot(reference, values).items()},
                   actor=actor)
    if commit:
        session.commit()
    return reference


def delete_reference(session: Session, enterprise: Enterprise, reference: Reference, *, actor=None) -> None:
    changes = {f"reference {reference.id}.{k}": [v, None]
               for k, v in history.snapshot(reference, ("buyer", "year", "amount_eur", "description")).items()}
    session.delete(reference)
    history.record(session, enterprise, "reference_removed", changes, actor=actor)
    session.commit()
