"""``flask --app app tender match TENDER_REF``: (re)compute a published tender's matches and print
them with their reasons. Imported by ``procurement.matching_views`` so it joins the tender group."""
from __future__ import annotations

import click
from flask import current_app
from flask_babel import force_locale

from common.db import get_session
from procurement import matching_services as ms
from procurement import tender_queries as q
from procurement.cli import tender_cli
from procurement.matching_text import describe_lots
from registry.models import Enterprise
from registry.validation import ValidationError


@tender_cli.command("match")
@click.argument("reference")
@click.option("--no-notify", is_flag=True, help="Do not write e-mails for new matches.")
@click.option("--lang", type=click.Choice(["fr", "nl", "en"]), default="en", show_default=True,
              help="Language of the printed reasons.")
def match_command(reference: str, no_notify: bool, lang: str) -> None:
    """Match published tender REFERENCE to the validated enterprises; print who matched and why."""
    session = get_session()
    tender = q.find_tender(session, reference)
    if tender is None:
        raise click.BadParameter(f"no tender with reference {reference!r}", param_hint="'REFERENCE'")
    with force_locale(lang):
        try:
            matches = ms.compute_matches(session, tender, settings=current_app.config, notify=not no_notify)
        except ValidationError as exc:
            raise click.UsageError(f"{tender.reference} is {tender.status}: {exc.message}") from exc
        click.echo(f"{tender.reference}: {len(matches)} enterprise(s) matched.")
        _print(session, matches)


def _print(session, matches) -> None:
    for match in matches:
        enterprise = session.get(Enterprise, match.enterprise_id)
        badge = " [reserved for you]" if match.reserved_for_you else ""
        click.echo(f"- {enterprise.legal_name} (#{enterprise.id}){badge}")
        for lot in describe_lots(match.reasons):
            click.echo(f"    lot {lot['lot']}: " + "; ".join(lot["texts"]))
