"""``flask --app app tender ...``: tender commands (``tender document``; reports are added later).

The group is importable as ``tender_cli`` so other features can add their commands to it.
"""
from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from common.db import get_session
from procurement import tender_queries as q
from procurement.documents import FORMATS, cache_for, get_document

tender_cli = AppGroup("tender", help="Tenders: documents and reports.")


@tender_cli.command("document")
@click.argument("reference")
@click.option("--lang", type=click.Choice(["fr", "nl", "en"]), default="fr", show_default=True,
              help="Language of the document.")
@click.option("--format", "fmt", type=click.Choice(sorted(FORMATS)), default="pdf",
              show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="File to write.")
@click.option("--no-cache", is_flag=True, help="Render again even if a cached copy exists.")
def document_command(reference: str, lang: str, fmt: str, output: Path, no_cache: bool):
    """Write the special specifications of tender REFERENCE (cahier spécial des charges / bestek)."""
    session = get_session()
    tender = q.find_tender(session, reference)
    if tender is None:
        raise click.BadParameter(f"no tender with reference {reference!r}", param_hint="'REFERENCE'")
    cache = None if no_cache else cache_for(current_app.config, current_app.instance_path)
    document = get_document(session, tender, lang, fmt, settings=current_app.config, cache=cache)
    output.write_bytes(document.content)
    click.echo(f"{output}: {len(document.content)} bytes, {fmt}, {lang}, content hash "
               f"{document.content_hash[:16]}{' (cached)' if document.cache_hit else ''}")


@tender_cli.command("export-ocds")
@click.argument("reference")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="File to write (default: print to standard output).")
def export_ocds_command(reference: str, output: Path | None):
    """Print (or write) the OCDS 1.1 release package of published tender REFERENCE (docs/ocds.md)."""
    import json

    from procurement.ocds_services import release_package_for_reference

    try:
        package = release_package_for_reference(get_session(), reference)
    except LookupError:
        raise click.ClickException(f"no published tender with reference {reference!r} "
                                   "(drafts are never exported)") from None
    text = json.dumps(package, indent=2, ensure_ascii=False) + "\n"
    if output is None:
        click.echo(text, nl=False)
    else:
        output.write_text(text, encoding="utf-8")
        click.echo(f"{output}: OCDS release package, {len(package['releases'])} release(s)", err=True)
