"""The change history of a profile (field-level diff as JSON) and its audit-log twin.

Every service that changes a profile calls ``record`` in the same transaction: one
``EnterpriseChange`` row (who, when, what) and one audit-log entry with the same details, and the
profile's ``updated_at`` moves forward (the search index refreshes from it).
"""
from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlmodel import Session, select

from audit import log as audit_log
from common.timeutil import utcnow
from registry.models import Enterprise, EnterpriseChange

PROFILE_FIELDS = ("legal_name", "trade_names", "enterprise_number", "legal_form", "street", "postal_code",
                  "municipality", "region", "nuts3", "website", "email", "languages", "description",
                  "staff_total", "staff_disadvantaged", "turnover_band", "max_contract_eur",
                  "served_municipalities")


def plain(value):
    """A JSON-safe copy of a stored value."""
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    return value


def snapshot(obj, fields) -> dict:
    return {field: plain(getattr(obj, field)) for field in fields}


def diff(before: dict, after: dict) -> dict:
    """{field: [old, new]} for the fields whose value changed."""
    return {k: [before.get(k), after.get(k)] for k in after if before.get(k) != after.get(k)}


def record(session: Session, enterprise: Enterprise, action: str, changes: dict, *, actor=None) -> None:
    """Keep the change in the profile's history and in the audit log (the caller commits)."""
    enterprise.updated_at = utcnow()
    session.add(enterprise)
    session.flush()
    session.add(EnterpriseChange(
        enterprise_id=enterprise.id, actor_id=getattr(actor, "id", None),
        actor_email=getattr(actor, "email", "") or "", action=action, changes=plain(changes),
    ))
    audit_log.append(session, f"enterprise.{action}", actor=actor, object_type="enterprise",
                     object_id=enterprise.id, details={"changes": plain(changes)})


def changes_of(session: Session, enterprise_id: int) -> list[EnterpriseChange]:
    return list(session.exec(select(EnterpriseChange).where(EnterpriseChange.enterprise_id == enterprise_id)
                             .order_by(EnterpriseChange.id.desc())))
