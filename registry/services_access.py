""""This is us: request access": a firm user asks to manage an existing profile; one of its current
members or an administrator approves (the user becomes a member) or rejects the request."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlmodel import Session, select

from audit import log as audit_log
from common.timeutil import utcnow
from registry import history
from registry.models import AccessRequest, AccessRequestStatus, Enterprise, EnterpriseMember
from registry.validation import Checker, ValidationError


def _is_member(session: Session, enterprise_id: int, user_id: int) -> bool:
    return session.exec(select(EnterpriseMember).where(
        EnterpriseMember.enterprise_id == enterprise_id, EnterpriseMember.user_id == user_id)).first() is not None


def request_access(session: Session, enterprise: Enterprise, user, message: str = "") -> AccessRequest:
    if user.role != "firm":
        raise ValidationError({"message": _l("Only enterprise accounts can ask to manage a profile.")})
    if _is_member(session, enterprise.id, user.id):
        raise ValidationError({"message": _l("You already manage this profile.")})
    pending = session.exec(select(AccessRequest).where(
        AccessRequest.enterprise_id == enterprise.id, AccessRequest.user_id == user.id,
        AccessRequest.status == AccessRequestStatus.PENDING.value)).first()
    if pending is not None:
        raise ValidationError({"message": _l("Your request is already waiting for a decision.")})
    check = Checker()
    message = check.text({"message": message}, "message", 500, multiline=True)
    check.done()
    request = AccessRequest(enterprise_id=enterprise.id, user_id=user.id, message=message)
    session.add(request)
    session.flush()
    audit_log.append(session, "enterprise.access_requested", actor=user, object_type="enterprise",
                     object_id=enterprise.id, details={"request_id": request.id})
    session.commit()
    return request


def pending_requests(session: Session, enterprise_id: int) -> list[AccessRequest]:
    return list(session.exec(select(AccessRequest).where(
        AccessRequest.enterprise_id == enterprise_id,
        AccessRequest.status == AccessRequestStatus.PENDING.value).order_by(AccessRequest.id)))


def decide_access(session: Session, request: AccessRequest, approve: bool, *, actor) -> None:
    """Members of the enterprise and admins decide; the requester becomes a member on approval."""
    if request.status != AccessRequestStatus.PENDING.value:
        raise ValidationError({"decision": _l("This request has already been decided.")})
    if actor.role != "admin" and not _is_member(session, request.enterprise_id, actor.id):
        raise ValidationError({"decision": _l("Only the members of this enterprise or an administrator can decide.")})
    enterprise = session.get(Enterprise, request.enterprise_id)
    request.status = (AccessRequestStatus.APPROVED if approve else AccessRequestStatus.REJECTED).value
    request.decided_at, request.decided_by_id = utcnow(), actor.id
    session.add(request)
    if approve and not _is_member(session, request.enterprise_id, request.user_id):
        session.add(EnterpriseMember(enterprise_id=request.enterprise_id, user_id=request.user_id))
    history.record(session, enterprise, "access_approved" if approve else "access_rejected",
                   {"member_user_id": [None, request.user_id] if approve else [None, None],
                    "request_id": [None, request.id]}, actor=actor)
    session.commit()
