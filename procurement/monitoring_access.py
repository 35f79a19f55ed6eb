"""Object-level access to contracts and their reports (predicates in the style of
``accounts.access``): the contractor's firm users, the authority's buyers, auditors assigned to the
authority and admins read; a firm never sees another firm's contract; buyers of other authorities
see nothing. Only the contractor files reports; only the authority's buyers decide and close."""
from __future__ import annotations

from sqlmodel import Session, select

from accounts.access import can_read_authority
from accounts.models import Role
from procurement.monitoring_models import Contract
from registry.models import EnterpriseMember


def member_enterprise_ids(session: Session, user) -> set[int]:
    if user is None or user.role != Role.FIRM.value:
        return set()
    rows = session.exec(select(EnterpriseMember).where(EnterpriseMember.user_id == user.id))
    return {row.enterprise_id for row in rows}


def is_contractor(session: Session, user, contract: Contract) -> bool:
    return contract.enterprise_id in member_enterprise_ids(session, user)


def can_read_contract(session: Session, user, contract: Contract) -> bool:
    if user is None:
        return False
    if user.role == Role.FIRM.value:
        return is_contractor(session, user, contract)
    return can_read_authority(user, contract.authority_id)


def visible_contracts(session: Session, user) -> list[Contract]:
    query = select(Contract).order_by(Contract.id.desc())
    if user.role == Role.FIRM.value:
        ids = member_enterprise_ids(session, user)
        return list(session.exec(query.where(Contract.enterprise_id.in_(ids)))) if ids else []
    return [c for c in session.exec(query) if can_read_authority(user, c.authority_id)]
