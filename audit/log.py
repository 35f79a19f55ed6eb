"""Appending to and verifying the hash-chained audit log.

Each entry's hash is SHA-256 over the previous entry's hash and the entry's canonical JSON
(timestamp, actor, action, object, details). Changing, removing or reordering any entry breaks
every later link, which ``verify_chain`` reports by naming the first broken entry.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

from sqlalchemy import event, text
from sqlmodel import Session, select

from audit.models import AuditEntry
from common.timeutil import utcnow

GENESIS = "0" * 64


class AuditLogImmutable(RuntimeError):
    """Raised when code tries to update or delete an audit entry."""


@event.listens_for(AuditEntry, "before_update")
def _refuse_update(_mapper, _connection, target):
    raise AuditLogImmutable(f"audit entry {target.id} cannot be changed")


@event.listens_for(AuditEntry, "before_delete")
def _refuse_delete(_mapper, _connection, target):
    raise AuditLogImmutable(f"audit entry {target.id} cannot be deleted")


def entry_hash(prev_hash: str, entry: AuditEntry) -> str:
    payload = {
        "at": entry.at.isoformat(timespec="microseconds"),
        "actor_id": entry.actor_id,
        "actor_email": entry.actor_email,
        "action": entry.action,
        "object_type": entry.object_type,
        "object_id": entry.object_id,
        "tender_ref": entry.tender_ref,
        "details": json.loads(entry.details),
    }
    canonical = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256((prev_hash + canonical).encode("utf-8")).hexdigest()


def append(
    session: Session,
    action: str,
    *,
    actor=None,
    object_type: str = "",
    object_id: str | int = "",
    tender_ref: str | None = None,
    details: dict | None = None,
) -> AuditEntry:
    """Add one entry to the log in the caller's transaction (the caller commits)."""
    if session.get_bind().dialect.name == "postgresql":
        # Serialise appenders so two transactions never chain onto the same predecessor.
        session.execute(text("SELECT pg_advisory_xact_lock(7421001)"))
    last = session.exec(select(AuditEntry).order_by(AuditEntry.id.desc()).limit(1)).first()
    prev = last.hash if last else GENESIS
    entry = AuditEntry(
        at=utcnow(),
        actor_id=getattr(actor, "id", None),
        actor_email=getattr(actor, "email", "") or "",
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        tender_ref=tender_ref,
        details=json.dumps(details or {}, sort_keys=True, ensure_ascii=False, default=str),
        prev_hash=prev,
        hash="",
    )
    entry.hash = entry_hash(prev, entry)
    session.add(entry)
    session.flush()
    return entry


@dataclass
class ChainCheck:
    ok: bool
    checked: int
    first_broken_id: int | None = None
    reason: str = ""


def verify_chain(session: Session) -> ChainCheck:
    prev = GENESIS
    count = 0
    for entry in session.exec(select(AuditEntry).order_by(AuditEntry.id)):
        count += 1
        if entry.prev_hash != prev:
            return ChainCheck(False, count, entry.id, "previous-hash link does not match")
        if entry_hash(prev, entry) != entry.hash:
            return ChainCheck(False, count, entry.id, "content does not match its hash")
        prev = entry.hash
    return ChainCheck(True, count)


def entries_for_tender(session: Session, tender_ref: str) -> list[AuditEntry]:
    return list(
        session.exec(select(AuditEntry).where(AuditEntry.tender_ref == tender_ref).order_by(AuditEntry.id))
    )
