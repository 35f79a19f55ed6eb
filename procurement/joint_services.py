"""Services of joint procurement: invitations, decisions, shares per lot, the group's estimated
value, and the participants' contracts after the award.

Every function takes ``session`` first, checks everything before writing (``ValidationError``
naming the field; nothing is stored on bad input), appends to the audit log and commits (except
``create_participant_contracts``, which runs inside the award transaction). Invitations and shares
can change while the tender is a draft or published (before the bids are opened).
"""
from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from sqlmodel import Session, select

from accounts.access import can_edit_authority
from accounts.models import Authority, OutboxMessage, Role, User
from audit import log as audit_log
from common.timeutil import utcnow
from procurement import joint_rules as rules
from procurement.joint_access import reader_authority_ids
from procurement.joint_models import JointParticipation, JointShare, ParticipationStatus
from procurement.models import Lot, Tender, TenderStatus
from registry.validation import ValidationError

OPEN_STATUSES = {TenderStatus.DRAFT.value, TenderStatus.PUBLISHED.value}
SHARE_MESSAGES = {
    "not_a_number": _l("Enter a number."),
    "range": _l("Enter a percentage between 0 and 100, with two decimals at most."),
}


def _fail(field: str, message) -> None:
    raise ValidationError({field: message})


def _lead_buyer(user, tender: Tender) -> None:
    if not can_edit_authority(user, tender.authority_id):
        raise PermissionError("only the lead authority's buyers manage the participants")


def _open(tender: Tender, field: str) -> None:
    if tender.status not in OPEN_STATUSES:
        _fail(field, _l("The bids of this tender have been opened: the participants and their "
                        "shares can no longer change."))


def participations(session: Session, tender: Tender, *statuses: ParticipationStatus) -> list[JointParticipation]:
    query = select(JointParticipation).where(JointParticipation.tender_id == tender.id)
    if statuses:
        query = query.where(JointParticipation.status.in_([s.value for s in statuses]))
    return list(session.exec(query.order_by(JointParticipation.id)))


def shares_of(session: Session, participation: JointParticipation) -> dict[int, JointShare]:
    """The participant's shares keyed by lot id."""
    rows = session.exec(select(JointShare).where(JointShare.participation_id == participation.id))
    return {row.lot_id: row for row in rows}


def _default_lang() -> str:
    from flask import current_app, has_app_context

    return current_app.config.get("BABEL_DEFAULT_LOCALE", "fr") if has_app_context() else "fr"


def invite(session: Session, actor, tender: Tender, email: str, *, now: datetime | None = None
           ) -> JointParticipation:
    """The lead's buyer invites another authority, through one of its buyers (by e-mail)."""
    _lead_buyer(actor, tender)
    _open(tender, "email")
    email = (email or "").strip().lower()
    if not email or "@" not in email:
        _fail("email", _l("Enter the e-mail address of a buyer of the authority you invite."))
    invitee = session.exec(select(User).where(User.email == email)).first()
    if invitee is None or invitee.role != Role.BUYER.value or not invitee.is_active \
            or invitee.authority_id is None:
        _fail("email", _l("No active buyer account has this e-mail address: the invitation goes to "
                          "a buyer of the authority you invite."))
    if invitee.authority_id == tender.authority_id:
        _fail("email", _l("This buyer belongs to the lead authority itself: invite another authority."))
    authority = session.get(Authority, invitee.authority_id)
    existing = session.exec(select(JointParticipation).where(
        JointParticipation.tender_id == tender.id, JointParticipation.authority_id == authority.id)).first()
    if existing is not None:
        _fail("email", _l("%(name)s has already been invited to this tender (status: %(status)s).",
                          name=authority.name, status=existing.status))
    lead = session.get(Authority, tender.authority_id)
    participation = JointParticipation(tender_id=tender.id, authority_id=authority.id, invited_email=email,
                                       invited_by=actor.id, invited_at=now or utcnow())
    session.add(participation)
    session.flush()
    lang = invitee.language or _default_lang()
    with force_locale(lang):  # the invitee's language, also outside a request (CLI, demo)
        subject = str(_l("Joint procurement: %(lead)s invites %(authority)s to tender %(ref)s",
                         lead=lead.name, authority=authority.name, ref=tender.reference))
        body = str(_l("%(lead)s invites %(authority)s to take part in the joint tender %(ref)s "
                      "(%(title)s). Log in and open \"Joint purchasing invitations\" to accept or decline.",
                      lead=lead.name, authority=authority.name, ref=tender.reference, title=tender.title(lang)))
    session.add(OutboxMessage(to_address=email, subject=subject[:300], body=body, kind="joint_invitation"))
    audit_log.append(session, "joint.invited", actor=actor, object_type="joint_participation",
                     object_id=participation.id, tender_ref=tender.reference,
                     details={"authority": authority.id, "authority_name": authority.name, "email": email})
    session.commit()
    return participation


def invitations_for(session: Session, user) -> list[tuple[JointParticipation, Tender, Authority]]:
    """The invitations addressed to the user's authority (buyers), newest first."""
    if user is None or user.role != Role.BUYER.value or user.authority_id is None:
        return []
    rows = session.exec(select(JointParticipation).where(JointParticipation.authority_id == user.authority_id)
                        .order_by(JointParticipation.invited_at.desc(), JointParticipation.id.desc()))
    result = []
    for p in rows:
        tender = session.get(Tender, p.tender_id)
        result.append((p, tender, session.get(Authority, tender.authority_id)))
    return result


def decide(session: Session, actor, participation: JointParticipation, *, accept: bool,
           now: datetime | None = None) -> JointParticipation:
    """A buyer of the invited authority accepts or declines (once)."""
    if actor is None or actor.role != Role.BUYER.value or actor.authority_id != participation.authority_id:
        raise PermissionError("only the invited authority's buyers decide")
    tender = session.get(Tender, participation.tender_id)
    if participation.status != ParticipationStatus.INVITED.value:
        _fail("decision", _l("This invitation has already been answered."))
    _open(tender, "decision")
    participation.status = (ParticipationStatus.ACCEPTED if accept else ParticipationStatus.DECLINED).value
    participation.decided_at, participation.decided_by = now or utcnow(), actor.id
    session.add(participation)
    audit_log.append(session, f"joint.{participation.status}", actor=actor, object_type="joint_participation",
                     object_id=participation.id, tender_ref=tender.reference,
                     details={"authority": participation.authority_id})
    session.commit()
    return participation


def can_state_shares(session: Session, user, tender: Tender, participation: JointParticipation) -> bool:
    """The lead's buyers, or the participant's own buyers, once it has accepted."""
    if participation.status != ParticipationStatus.ACCEPTED.value:
        return False
    if can_edit_authority(user, tender.authority_id):
        return True
    return user is not None and user.role == Role.BUYER.value and \
        participation.authority_id in reader_authority_ids(session, user)


def save_shares(session: Session, actor, tender: Tender, participation: JointParticipation,
                rows: dict[int, dict], *, now: datetime | None = None) -> list[JointShare]:
    """Store the participant's shares: ``rows`` maps a lot number to {share_pct, estimated_value,
    quantity}. A lot left blank removes that lot's share. The total of the participants' shares of
    a lot may not exceed 100 %."""
    if participation.tender_id != tender.id or not can_state_shares(session, actor, tender, participation):
        raise PermissionError("only the lead's buyers or the participant's own buyers state its shares")
    _open(tender, "shares")
    lots = {lot.number: lot for lot in session.exec(select(Lot).where(Lot.tender_id == tender.id))}
    errors, parsed = {}, {}
    for number, row in rows.items():
        if number not in lots:
            errors[f"lot-{number}-share_pct"] = _l("This tender has no lot %(n)s.", n=number)
            continue
        quantity = str(row.get("quantity") or "").strip()
        if len(quantity) > 300:
            errors[f"lot-{number}-quantity"] = _l("Use at most 300 characters.")
        values = {}
        for field, parse in (("share_pct", rules.parse_pct), ("estimated_value", rules.parse_amount)):
            try:
                values[field] = parse(row.get(field))
            except rules.ShareError as exc:
                errors[f"lot-{number}-{field}"] = SHARE_MESSAGES.get(exc.code, SHARE_MESSAGES["range"])
        if len(values) < 2:
            continue
        parsed[number] = values | {"quantity": quantity[:300]}
    if not errors:
        others = [(lot.number, Decimal(s.share_pct))
                  for lot, s in _other_shares(session, tender, participation, lots)]
        mine = [(n, v["share_pct"]) for n, v in parsed.items()]
        for number, total in rules.lots_over_100(others + mine).items():
            errors[f"lot-{number}-share_pct"] = _l(
                "The participants' shares of lot %(n)s would add up to %(total)s %%: at most 100 %% in total.",
                n=number, total=total)
    if errors:
        raise ValidationError(errors)
    stored = shares_of(session, participation)
    saved = []
    for number, values in parsed.items():
        lot = lots[number]
        share = stored.get(lot.id)
        blank = values["share_pct"] == 0 and values["estimated_value"] is None and not values["quantity"]
        if blank:
            if share is not None:
                session.delete(share)
            continue
        share = share or JointShare(participation_id=participation.id, lot_id=lot.id)
        share.share_pct, share.estimated_value = values["share_pct"], values["estimated_value"]
        share.quantity = values["quantity"]
        share.updated_at, share.updated_by = now or utcnow(), actor.id
        session.add(share)
        saved.append(share)
    audit_log.append(session, "joint.shares", actor=actor, object_type="joint_participation",
                     object_id=participation.id, tender_ref=tender.reference,
                     details={"authority": participation.authority_id,
                              "lots": {str(n): {"share_pct": str(v["share_pct"]),
                                                "estimated_value": None if v["estimated_value"] is None
                                                else str(v["estimated_value"]), "quantity": v["quantity"]}
                                       for n, v in sorted(parsed.items())}})
    session.commit()
    return saved


def _other_shares(session: Session, tender: Tender, participation: JointParticipation, lots: dict):
    by_id = {lot.id: lot for lot in lots.values()}
    for other in participations(session, tender, ParticipationStatus.ACCEPTED):
        if other.id == participation.id:
            continue
        for lot_id, share in shares_of(session, other).items():
            if lot_id in by_id:
                yield by_id[lot_id], share


def group_estimate(session: Session, tender: Tender) -> rules.GroupEstimate:
    """The tender's own estimated value (the lead's needs) plus each accepted participant's
    estimated values over all lots: the value of the whole group (see ``joint_rules``)."""
    lead = session.get(Authority, tender.authority_id)
    rows = []
    if tender.id is not None:
        for p in participations(session, tender, ParticipationStatus.ACCEPTED):
            value = sum((Decimal(s.estimated_value) for s in shares_of(session, p).values()
                         if s.estimated_value is not None), Decimal(0))
            rows.append((session.get(Authority, p.authority_id).name, value))
    return rules.group_estimate(getattr(lead, "name", ""), tender.estimated_value or 0, rows)


def participant_rows(session: Session, tender: Tender) -> list[dict]:
    """Every participation with its authority and its shares by lot number (pages and documents)."""
    lots = {lot.id: lot.number for lot in session.exec(select(Lot).where(Lot.tender_id == tender.id))}
    result = []
    for p in participations(session, tender):
        shares = {lots[lot_id]: s for lot_id, s in shares_of(session, p).items() if lot_id in lots}
        result.append({"participation": p, "authority": session.get(Authority, p.authority_id),
                       "shares": dict(sorted(shares.items()))})
    return result


def create_participant_contracts(session: Session, lead_contract, actor) -> list:
    """After the award of a lot: one contract per accepted participant holding a share of it,
    linked to the lead's contract (``parent_contract_id``), for its share of the price and of the
    committed hours. The lead's contract is kept as it is; the impact figures subtract the
    participants' parts from it (``procurement.impact_services``). Idempotent."""
    from procurement.monitoring_models import Contract

    tender = session.get(Tender, lead_contract.tender_id)
    shares = []
    for p in participations(session, tender, ParticipationStatus.ACCEPTED):
        share = shares_of(session, p).get(lead_contract.lot_id)
        if share is not None and Decimal(share.share_pct) > 0:
            shares.append((p.authority_id, Decimal(share.share_pct)))
    if not shares:
        return []
    splits = rules.split_award(lead_contract.initial_amount, lead_contract.committed_hours, shares)
    existing = {c.authority_id: c for c in session.exec(select(Contract).where(
        Contract.parent_contract_id == lead_contract.id))}
    made = []
    for split in splits[1:]:
        if split.key in existing:
            continue
        contract = Contract(
            tender_id=lead_contract.tender_id, lot_id=lead_contract.lot_id, authority_id=split.key,
            enterprise_id=lead_contract.enterprise_id, evaluation_id=lead_contract.evaluation_id,
            bid_id=lead_contract.bid_id, initial_amount=split.amount, start_date=lead_contract.start_date,
            end_date=lead_contract.end_date, committed_hours=split.hours, trainees=None,
            subcontracting_share_pct=lead_contract.subcontracting_share_pct,
            commitments=dict(lead_contract.commitments or {}),
            clause_parameters=dict(lead_contract.clause_parameters or {}),
            period_months=lead_contract.period_months, created_by=getattr(actor, "id", None),
            parent_contract_id=lead_contract.id, share_pct=split.share_pct)
        session.add(contract)
        session.flush()
        audit_log.append(session, "contract.created", actor=actor, object_type="contract", object_id=contract.id,
                         tender_ref=tender.reference,
                         details={"joint_parent": lead_contract.id, "authority": split.key,
                                  "share_pct": str(split.share_pct), "amount": str(split.amount),
                                  "committed_hours": str(split.hours)})
        made.append(contract)
    return made
