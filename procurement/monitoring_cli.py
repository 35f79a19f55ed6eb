"""``flask --app app contracts sync``: create the contract of every lot whose evaluation is
finalised but has none yet (the finalise service does it at award; this catches up older awards)."""
from __future__ import annotations

import click
from flask.cli import with_appcontext

from sqlmodel import select

from common.db import get_session
from procurement.models import Lot, Tender
from procurement.monitoring import create_contracts_for_award
from procurement.monitoring_models import Contract


def sync_contracts(session, actor=None) -> list[Contract]:
    """Create the missing contracts of every lot whose latest evaluation is finalised."""
    from procurement.evaluation_state import current_evaluation

    made = []
    for lot in session.exec(select(Lot).order_by(Lot.id)):
        evaluation = current_evaluation(session, lot)
        if evaluation is None or not evaluation.finalised:
            continue
        if session.exec(select(Contract).where(Contract.lot_id == lot.id,
                                                  Contract.parent_contract_id.is_(None))).first() is None:
            tender = session.get(Tender, lot.tender_id)
            made.append(create_contracts_for_award(session, tender, lot, evaluation, actor))
    return made


@click.group("contracts")
def contracts_cli():
    """Contracts after the award (social-clause monitoring)."""


@contracts_cli.command("sync")
@with_appcontext
def sync_command():
    made = sync_contracts(get_session())
    click.echo(f"{len(made)} contract(s) created")
