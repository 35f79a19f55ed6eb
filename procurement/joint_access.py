"""Who reads a tender: the ONE predicate every tender page uses (``can_read_tender``).

The lead authority's people read it as before (``accounts.access.can_read_authority``: its buyers,
the auditors assigned to it, admins). An authority that has ACCEPTED to take part in the tender
(``procurement.joint_models``) adds its buyers and the auditors assigned to it, for this tender
only: they never gain anything else of the lead authority, and they never edit, open or evaluate
(those pages check ``can_edit_authority`` on the lead). Invited-but-undecided and declined
authorities read nothing more than any logged-in user.
"""
from __future__ import annotations

from sqlmodel import Session, select

from accounts.access import can_read_authority
from accounts.models import AuditorAssignment, Role
from procurement.joint_models import JointParticipation, ParticipationStatus


def reader_authority_ids(session: Session, user) -> set[int]:
    """The authorities whose joint tenders ``user`` may read: a buyer's own, an auditor's assigned."""
    if user is None:
        return set()
    if user.role == Role.BUYER.value:
        return {user.authority_id} if user.authority_id is not None else set()
    if user.role == Role.AUDITOR.value:
        rows = session.exec(select(AuditorAssignment).where(AuditorAssignment.user_id == user.id))
        return {row.authority_id for row in rows}
    return set()


def accepted_authority_ids(session: Session, tender_id: int) -> set[int]:
    rows = session.exec(select(JointParticipation).where(
        JointParticipation.tender_id == tender_id,
        JointParticipation.status == ParticipationStatus.ACCEPTED.value))
    return {row.authority_id for row in rows}


def joint_tender_ids(session: Session, user) -> set[int]:
    """The tenders ``user`` reads as a participant (accepted participations of its authorities)."""
    ids = reader_authority_ids(session, user)
    if not ids:
        return set()
    rows = session.exec(select(JointParticipation.tender_id).where(
        JointParticipation.authority_id.in_(ids),
        JointParticipation.status == ParticipationStatus.ACCEPTED.value))
    return set(rows)


def is_participant_reader(user, tender, session: Session) -> bool:
    return tender.id is not None and bool(reader_authority_ids(session, user)
                                          & accepted_authority_ids(session, tender.id))


def can_read_tender(user, tender, session: Session) -> bool:
    """The lead authority's readers, or the readers of an authority that accepted to take part."""
    if user is None:
        return False
    return can_read_authority(user, tender.authority_id) or is_participant_reader(user, tender, session)
