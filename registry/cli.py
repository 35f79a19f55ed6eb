"""``flask --app app registry import|search|export`` and ``flask --app app refdata import``.

Messages are printed in English (the CLI has no browser language). Exit codes: 0 success, 2 input
rejected (bad file or bad rows), as click does for bad usage.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

import click
from flask.cli import AppGroup
from flask_babel import force_locale
from sqlmodel import select

from common.db import get_session
from registry import exports
from registry.importer import run_import
from registry.index import get_index
from registry.models import Activity, Enterprise, EnterpriseStatus
from registry.refdata_import import IMPORTERS, RefdataError
from registry.services_parts import sync_activity_rows

registry_cli = AppGroup("registry", help="Registry of social-economy enterprises.")
refdata_cli = AppGroup("refdata", help="Reference data: CPV, NACE-BEL, municipalities.")


def where(error) -> str:
    if error.line == 0:
        return "file"
    return f"{'record' if error.record else 'line'} {error.line}"


@registry_cli.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--skip-invalid", is_flag=True, help="Write the valid rows and report the others.")
@click.option("--dry-run", is_flag=True, help="Check the file and report; write nothing.")
@click.option("--status", type=click.Choice([EnterpriseStatus.PENDING.value, EnterpriseStatus.VALIDATED.value]),
              default=EnterpriseStatus.PENDING.value, show_default=True, help="Status of new profiles.")
def import_command(file: Path, skip_invalid: bool, dry_run: bool, status: str) -> None:
    """Import enterprises from FILE (CSV UTF-8 or Windows-1252, ',' or ';', or JSON), upserting by
    enterprise number. All-or-nothing unless --skip-invalid."""
    with force_locale("en"):
        report = run_import(get_session(), file.read_bytes(), file.name, skip_invalid=skip_invalid,
                            dry_run=dry_run, status=status)
        for error in report.errors:
            column = f", column {error.column}" if error.column else ""
            click.echo(f"{file.name}: {where(error)}{column}: {error.message}", err=True)
        verb = "would be" if dry_run else ("were" if report.written or not report.errors else "would have been")
        click.echo(f"{report.total} rows: {report.created} created, {report.updated} updated, "
                   f"{report.unchanged} unchanged ({verb}), {len({e.line for e in report.errors})} rejected.")
        if report.file_rejected:
            click.echo("The file was rejected: nothing was written.", err=True)
        elif report.errors and not skip_invalid:
            click.echo("Nothing was written: fix the rows above, or use --skip-invalid.", err=True)
        elif dry_run:
            click.echo("Dry run: nothing was written.")
    if report.errors and (not skip_invalid or report.file_rejected):
        sys.exit(2)


@registry_cli.command("search")
@click.argument("query")
@click.option("--limit", default=10, show_default=True, type=click.IntRange(1, 500))
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list of {id, name, enterprise_number, score, why}.")
def search_command(query: str, limit: int, as_json: bool) -> None:
    """Fuzzy search of enterprise names (all statuses), best first."""
    session = get_session()
    matches = get_index(session).search(query, limit=limit)
    found = {e.id: e for e in session.exec(select(Enterprise).where(Enterprise.id.in_([m.id for m in matches])))} \
        if matches else {}
    results = [{"id": m.id, "name": found[m.id].legal_name, "enterprise_number": found[m.id].enterprise_number,
                "status": found[m.id].status, "score": m.score, "why": m.why} for m in matches if m.id in found]
    if as_json:
        click.echo(json.dumps(results, ensure_ascii=False, indent=1))
        return
    for r in results:
        click.echo(f"{r['score']:5.1f}  {r['id']:>6}  {r['enterprise_number'] or '-':10}  {r['name']}  [{r['status']}]")
    if not results:
        click.echo("No match.")


@registry_cli.command("export")
@click.option("--format", "fmt", type=click.Choice(["csv", "json"]), default="csv", show_default=True)
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), help="File to write (default: stdout).")
def export_command(fmt: str, output: Path | None) -> None:
    """Export every profile with the import columns (plus id, status, region, NUTS-3)."""
    session = get_session()
    enterprises = list(session.exec(select(Enterprise).order_by(Enterprise.id)))
    columns = exports.IMPORT_COLUMNS + exports.EXTRA_COLUMNS
    rows = exports.rows_for(session, enterprises, columns)
    text = exports.to_csv(rows, columns) if fmt == "csv" else exports.to_json(rows)
    if output:
        output.write_text(text, encoding="utf-8")
        click.echo(f"{len(rows)} profiles written to {output}.", err=True)
    else:
        click.echo(text, nl=False)


@refdata_cli.command("import")
@click.argument("kind", type=click.Choice(sorted(IMPORTERS)))
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def refdata_import_command(kind: str, file: Path) -> None:
    """Load an official list (upsert): cpv (CPV 2008 JSON or labels CSV), nace (NACE-BEL CSV),
    municipalities (REFNIS CSV, the 581-municipality CSV, or the postal-code CSV)."""
    session = get_session()
    try:
        counts = IMPORTERS[kind](session, file)
    except RefdataError as exc:
        session.rollback()
        click.echo(f"Rejected: {exc}", err=True)
        sys.exit(2)
    if kind == "municipalities":  # coverage by municipality now resolves to arrondissements
        activities = session.exec(select(Activity).where(Activity.coverage_kind == "municipalities")).all()
        for activity in activities:
            sync_activity_rows(session, session.get(Enterprise, activity.enterprise_id), activity)
    session.commit()
    click.echo(f"{kind}: {counts}.")
