"""``flask --app app tender report REF --lot N -o FILE.pdf`` and ``flask --app app verify-report FILE.pdf``."""
from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup, with_appcontext
from flask_babel import force_locale
from sqlmodel import select

from common.db import get_session
from procurement.models import Lot, Tender


@click.command("report")
@click.argument("reference")
@click.option("--lot", "lot_number", type=int, default=1, show_default=True, help="Lot number.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="Where to write the PDF.")
@click.option("--lang", default=None, help="fr, nl or en (default: BABEL_DEFAULT_LOCALE).")
@with_appcontext
def report_command(reference: str, lot_number: int, output: Path, lang: str | None) -> None:
    """Write the scoring report (PDF/A-3b, scoring input embedded) of a finalised lot."""
    from procurement.report import ReportUnavailable, scoring_report

    session = get_session()
    tender = session.exec(select(Tender).where(Tender.reference == reference)).first()
    if tender is None:
        raise click.ClickException(f"no tender with reference {reference!r}")
    lot = session.exec(select(Lot).where(Lot.tender_id == tender.id, Lot.number == lot_number)).first()
    if lot is None:
        raise click.ClickException(f"tender {reference} has no lot {lot_number}")
    lang = lang or current_app.config["BABEL_DEFAULT_LOCALE"]
    if lang not in current_app.config["LANGUAGES"]:
        raise click.ClickException(f"unknown language {lang!r}")
    with current_app.test_request_context(), force_locale(lang):
        try:
            pdf = scoring_report(session, tender, lot, lang=lang)
        except ReportUnavailable:
            raise click.ClickException(f"lot {lot_number} of {reference} has no finalised evaluation") from None
    output.write_bytes(pdf)
    from audit import log as audit_log

    audit_log.append(session, "document.generated", object_type="scoring_report", object_id=tender.id,
                     tender_ref=tender.reference, details={"lot": lot_number, "lang": lang, "via": "cli"})
    session.commit()
    click.echo(f"Scoring report written to {output} ({len(pdf)} bytes).")


@click.command("verify-report")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@with_appcontext
def verify_report_command(path: Path) -> None:
    """Recompute a scoring report from its embedded input; print VERIFIED or the first difference."""
    from procurement.report_verify import verify_report

    outcome = verify_report(path.read_bytes())
    if not outcome.ok:
        click.echo(f"NOT VERIFIED: {outcome.message}", err=True)
        raise SystemExit(1)
    for note in outcome.notes:
        click.echo(f"note: {note}")
    problem = _database_check(outcome)
    if problem:
        click.echo(f"NOT VERIFIED: {problem}", err=True)
        raise SystemExit(1)
    click.echo("VERIFIED")


def _database_check(outcome) -> str | None:
    """When this database holds finalised evaluations of the report's lot, one of them must have the
    report's hashes (the check of the file itself needs no database)."""
    from procurement.bid_models import Evaluation

    reference, lot = outcome.tender.get("reference"), outcome.tender.get("lot")
    try:
        session = get_session()
        tender = session.exec(select(Tender).where(Tender.reference == reference)).first()
        lot_row = tender and session.exec(select(Lot).where(Lot.tender_id == tender.id,
                                                            Lot.number == int(lot or 0))).first()
    except Exception:  # noqa: BLE001 - no usable database: the file-level check stands alone
        return None
    if not lot_row:
        click.echo("note: this lot is not in this database; verified from the file alone")
        return None
    finalised = session.exec(select(Evaluation).where(Evaluation.lot_id == lot_row.id,
                                                      Evaluation.status == "finalised")).all()
    for evaluation in finalised:
        if (evaluation.input_hash, evaluation.result_hash) == (outcome.input_hash, outcome.result_hash):
            click.echo(f"note: matches the finalised evaluation version {evaluation.version} in this database")
            return None
    if finalised:
        return f"no finalised evaluation of {reference} lot {lot} in this database has these hashes"
    return None


def register(app) -> None:
    """Add ``verify-report`` and ``score``, and ``report`` to the ``tender`` group (created here when
    the tender commands are not registered)."""
    app.cli.add_command(verify_report_command)
    try:
        from procurement.scoring_cli import score_command
    except ModuleNotFoundError as exc:  # the scoring CLI may not be written yet
        if exc.name != "procurement.scoring_cli":
            raise
        score_command = None
    if score_command is not None and "score" not in app.cli.commands:
        app.cli.add_command(score_command, "score")
    group = app.cli.commands.get("tender")
    if group is None:
        group = AppGroup("tender", help="Tenders.")
        app.cli.add_command(group)
    group.add_command(report_command)
