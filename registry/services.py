"""Registry services: create and edit profiles, validate or suspend them, find likely duplicates.

Each function takes the session first, checks everything before writing (``ValidationError``
naming every bad field), records the change in the profile history and the audit log, commits, and
updates the application's search index. Accreditations, activities and references are in
``registry.services_parts``; access requests in ``registry.services_access``; the sourcing interface
used by the tender feature in ``registry.sourcing`` (all re-exported here).
"""
from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlmodel import Session, select

from common.timeutil import utcnow
from registry import dedup, history, index, refdata, validation
from registry.codes import TERRITORY_TYPES, SocialType
from registry.geo import region_of_postal_code
from registry.models import Accreditation, Enterprise, EnterpriseMember, EnterpriseStatus
from registry.validation import ValidationError

TYPE_CODES = [t.value for t in SocialType]
DUPLICATE_MIN_SCORE = 80  # name similarity (0-100) from which a profile is shown as a likely duplicate


def clean_profile(session: Session, data: dict, *, enterprise: Enterprise | None = None,
                  number_required: bool = False) -> dict:
    """Parsed profile values, or ValidationError naming every bad field."""
    values, check = validation.profile(data, number_required=number_required)
    number = values["enterprise_number"]
    if number:
        other = session.exec(select(Enterprise).where(Enterprise.enterprise_number == number)).first()
        if other is not None and (enterprise is None or other.id != enterprise.id):
            check.fail("enterprise_number", _l(
                "An enterprise with this number is already registered (%(name)s). If it is yours, ask "
                "its members or an administrator for access instead of registering it again.",
                name=other.legal_name))
    elif enterprise is not None and enterprise.enterprise_number and "enterprise_number" not in check.errors:
        check.fail("enterprise_number", _l("This field is required."))
    nuts3, region = refdata.resolve_seat(session, values["postal_code"], values["municipality"], values["nuts3"])
    postal_region = region_of_postal_code(values["postal_code"])
    if values["nuts3"] and postal_region and postal_region != region and "postal_code" not in check.errors:
        check.fail("postal_code", _l("This postal code is not in the region of the chosen arrondissement."))
    values["nuts3"], values["region"] = nuts3, region
    if "served_municipalities" in data:
        values["served_municipalities"] = served_territory(session, check, data)
    check.done()
    return values


MAX_TERRITORY = 60  # municipalities served by one employment-purpose enterprise (Belgium has 565)


def served_territory(session: Session, check: validation.Checker, data: dict) -> list[str]:
    """The municipalities an employment-purpose enterprise serves (registry.codes.TERRITORY_TYPES),
    each found in the municipality reference list (registry.refdata) and stored as the list spells
    it; an unknown name fails the field and names the municipality."""
    names, unknown = [], []
    for raw in validation.as_list(data.get("served_municipalities")):
        muni = refdata.find_municipality(session, raw[:120])
        if muni is None:
            unknown.append(raw[:120])
            continue
        name = muni.name_fr or muni.name_nl or muni.name_de
        if name not in names:
            names.append(name)
    if unknown:
        check.fail("served_municipalities", _l("Not in the list of Belgian municipalities: %(names)s.",
                                               names=", ".join(unknown)))
    elif len(names) > MAX_TERRITORY:
        check.fail("served_municipalities", _l("At most %(n)s municipalities.", n=MAX_TERRITORY))
    return names


def clean_types(data: dict) -> list[str]:
    check = validation.Checker()
    types = check.choices(data, "types", TYPE_CODES)
    if not types and "types" not in check.errors:
        check.fail("types", _l("Choose at least one social-economy type."))
    check.done()
    return types


def create_enterprise(session: Session, data: dict, *, actor=None, status: str = EnterpriseStatus.PENDING.value,
                      number_required: bool = False, commit: bool = True) -> Enterprise:
    """Register a profile (pending validation); a firm user who registers it becomes its member."""
    errors = {}
    try:
        values = clean_profile(session, data, number_required=number_required)
    except ValidationError as exc:
        errors.update(exc.errors)
    try:
        types = clean_types(data)
    except ValidationError as exc:
        errors.update(exc.errors)
    if not errors and TERRITORY_TYPES & set(types) and not values.get("served_municipalities"):
        errors["served_municipalities"] = _l("An employment-purpose enterprise names the municipalities it serves.")
    if errors:
        raise ValidationError(errors)
    enterprise = Enterprise(status=status, **values)
    if status == EnterpriseStatus.VALIDATED.value:
        enterprise.validated_at = utcnow()
    session.add(enterprise)
    session.flush()
    for code in types:
        session.add(Accreditation(enterprise_id=enterprise.id, type_code=code))
    if actor is not None and actor.role == "firm":
        session.add(EnterpriseMember(enterprise_id=enterprise.id, user_id=actor.id))
    created = {k: [None, v] for k, v in history.snapshot(enterprise, history.PROFILE_FIELDS).items() if v not in (None, "", [])}
    created["types"] = [None, types]
    created["status"] = [None, status]
    history.record(session, enterprise, "created", created, actor=actor)
    if commit:
        session.commit()
        index.upsert(enterprise)
    return enterprise


def apply_profile(session: Session, enterprise: Enterprise, values: dict, *, actor=None,
                  action: str = "updated") -> dict:
    """Write parsed values; record and return the diff (nothing recorded when nothing changed)."""
    before = history.snapshot(enterprise, values.keys())
    for key, value in values.items():
        setattr(enterprise, key, value)
    changes = history.diff(before, history.snapshot(enterprise, values.keys()))
    if changes:
        history.record(session, enterprise, action, changes, actor=actor)
    return changes


def update_enterprise(session: Session, enterprise: Enterprise, data: dict, *, actor=None) -> dict:
    """Edit the profile fields; returns {field: [old, new]} of what changed."""
    values = clean_profile(session, data, enterprise=enterprise)
    changes = apply_profile(session, enterprise, values, actor=actor)
    if {"nuts3", "municipality"} & changes.keys():
        resync_areas(session, enterprise)
    session.commit()
    index.upsert(enterprise)
    return changes


ALLOWED_STATUS = {
    EnterpriseStatus.VALIDATED.value: {EnterpriseStatus.PENDING.value, EnterpriseStatus.SUSPENDED.value},
    EnterpriseStatus.SUSPENDED.value: {EnterpriseStatus.PENDING.value, EnterpriseStatus.VALIDATED.value},
}


def set_status(session: Session, enterprise: Enterprise, status: str, *, actor, reason: str = "",
               commit: bool = True) -> None:
    """Admin validation queue: pending -> validated -> suspended, and suspended -> validated."""
    if enterprise.status not in ALLOWED_STATUS.get(status, set()):
        raise ValidationError({"status": _l("This change of status is not possible.")})
    check = validation.Checker()
    reason = check.text({"reason": reason}, "reason", 500)
    check.done()
    changes = {"status": [enterprise.status, status]}
    if reason:
        changes["reason"] = [enterprise.status_reason, reason]
    enterprise.status, enterprise.status_reason = status, reason
    if status == EnterpriseStatus.VALIDATED.value:
        enterprise.validated_at = utcnow()
    history.record(session, enterprise, status, changes, actor=actor)
    if commit:
        session.commit()
        index.upsert(enterprise)


@dataclass(frozen=True)
class Duplicate:
    enterprise: Enterprise
    score: float
    certainty: str  # "certain" (same enterprise number: registration blocked), "probable", "possible"

    @property
    def same_number(self) -> bool:
        return self.certainty == dedup.CERTAIN


def likely_duplicates(session: Session, name: str, number: str | None = None, postal_code: str | None = None,
                      *, exclude_id: int | None = None, limit: int = 5) -> list[Duplicate]:
    """Profiles with the same enterprise number or a similar name (registry.dedup, on the app's index)."""
    found = dedup.likely_duplicates(index.get_index(session), name or "", number or None, postal_code or None,
                                    limit=limit + 1, threshold=DUPLICATE_MIN_SCORE)
    out = []
    for candidate in found:
        enterprise = session.get(Enterprise, candidate.id)
        if enterprise is not None and candidate.id != exclude_id:
            out.append(Duplicate(enterprise, candidate.score, candidate.certainty))
    return out[:limit]


def members_of(session: Session, enterprise_id: int):
    from accounts.models import User

    return list(session.exec(select(User).join(EnterpriseMember, EnterpriseMember.user_id == User.id)
                             .where(EnterpriseMember.enterprise_id == enterprise_id).order_by(User.email)))


def enterprises_of(session: Session, user) -> list[Enterprise]:
    return list(session.exec(select(Enterprise).join(EnterpriseMember, EnterpriseMember.enterprise_id == Enterprise.id)
                             .where(EnterpriseMember.user_id == user.id).order_by(Enterprise.legal_name)))


from registry.services_access import decide_access, pending_requests, request_access  # noqa: E402,F401
from registry.services_parts import (delete_accreditation, delete_activity, delete_reference,  # noqa: E402,F401
                                     resync_areas, save_accreditation, save_activity, save_reference)
from registry.sourcing import SourcingCandidate, sourcing_candidates  # noqa: E402,F401
