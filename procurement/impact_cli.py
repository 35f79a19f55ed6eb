"""``flask --app app impact report --authority ID --year YYYY --lang fr -o FILE.pdf``: the printable
impact summary of one contracting authority (procurement.impact_report), as on the dashboard."""
from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup
from flask_babel import force_locale

from accounts.models import Authority
from common.db import get_session
from procurement import impact_report

impact_cli = AppGroup("impact", help="Impact dashboard figures (issue 7).")


@impact_cli.command("report")
@click.option("--authority", "authority_id", type=int, required=True, help="Contracting authority id.")
@click.option("--year", type=int, default=None, help="Year of the award decisions (default: all years).")
@click.option("--lang", default=None, help="fr, nl or en (default: BABEL_DEFAULT_LOCALE).")
@click.option("--clause", default="", help="Only contracts whose tender has a clause of this category.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="Where to write the PDF.")
def report_command(authority_id: int, year: int | None, lang: str | None, clause: str, output: Path) -> None:
    """Write the impact summary PDF (people counts of 1-4 shown as "< 5") for the council's annual report."""
    session = get_session()
    authority = session.get(Authority, authority_id)
    if authority is None:
        raise click.ClickException(f"no contracting authority with id {authority_id}")
    lang = lang or current_app.config["BABEL_DEFAULT_LOCALE"]
    if lang not in current_app.config["LANGUAGES"]:
        raise click.ClickException(f"unknown language {lang!r}")
    if year is not None and not 1900 <= year <= 2999:
        raise click.ClickException(f"invalid year {year}")
    filters = impact_report.Filters.parse({"year": str(year or ""), "clause": clause})
    if clause and not filters.clause:
        raise click.ClickException(f"unknown clause category {clause!r}")
    filters.authority_id = authority.id
    with current_app.test_request_context(), force_locale(lang):
        pdf = impact_report.summary_pdf(session, filters, lang=lang, authority_name=authority.name)
    output.write_bytes(pdf)
    click.echo(f"Impact summary written to {output} ({len(pdf)} bytes).")
