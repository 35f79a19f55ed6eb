"""Command-line tools for insertion hours, penalties and the clause library.

Plain click commands (no Flask import); the application registers them on its CLI:
``flask insertion-hours ...`` and ``flask clause penalty|list|show ...``.
Bad input exits with status 2 and a message naming the option.
"""
from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import click

from clauses.library import (
    CATEGORIES,
    DEFAULT_DIRECTORY,
    LANGUAGES,
    REGIONS,
    ClauseFileError,
    Library,
    ParameterError,
    UnknownClauseError,
    load_library,
    render,
)
from procurement.insertion import insertion_hours, to_decimal
from procurement.penalties import social_clause_penalty


class NumberType(click.ParamType):
    """A decimal number; ``fraction=True`` also accepts a percentage such as ``5%`` (→ 0.05)."""

    name = "number"

    def __init__(self, fraction: bool = False):
        self.fraction = fraction

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None):
        if isinstance(value, Decimal):
            return value
        text = str(value).strip()
        percent = self.fraction and text.endswith("%")
        try:
            number = to_decimal(text.removesuffix("%") if percent else text, "value")
        except ValueError:
            self.fail(f"{value!r} is not a number", param, ctx)
        return number / 100 if percent else number


NUMBER, FRACTION = NumberType(), NumberType(fraction=True)
LANG = click.Choice(LANGUAGES)


def _bad(error: ValueError, options: dict[str, str]) -> click.BadParameter:
    """Turn a ValueError naming a field into a usage error naming the matching option."""
    message = str(error)
    field = message.split(" ", 1)[0]
    return click.BadParameter(message, param_hint=f"'{options[field]}'" if field in options
                              else None)


@click.command("insertion-hours")
@click.option("--amount", type=NUMBER, required=True, help="Estimated amount, EUR excl. VAT.")
@click.option("--labour-share", type=FRACTION, required=True,
              help="Share of labour in the amount: 0.5 or 50%.")
@click.option("--rate", type=FRACTION, required=True, help="Insertion rate: 0.05 or 5%.")
@click.option("--hourly-cost", type=NUMBER, required=True, help="Loaded hourly cost, EUR.")
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
def insertion_hours_command(amount, labour_share, rate, hourly_cost, as_json):
    """Insertion hours a contract can carry (facilitator method, rounded down)."""
    try:
        result = insertion_hours(amount, labour_share, rate, hourly_cost)
    except ValueError as exc:
        raise _bad(exc, {"amount": "--amount", "labour_share": "--labour-share",
                         "rate": "--rate", "hourly_cost": "--hourly-cost"}) from None
    if as_json:
        click.echo(json.dumps(result.as_dict(), ensure_ascii=False, indent=2))
    else:
        click.echo(f"{result.hours} insertion hours")
        click.echo(f"  {result.formula}")


@click.group("clause")
@click.option("--clauses-dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Directory of clause files (default: the bundled library).")
@click.pass_context
def clause_group(ctx: click.Context, clauses_dir: Path | None):
    """Social clauses: list, show and compute penalties."""
    ctx.meta["clause_cli.directory"] = clauses_dir or DEFAULT_DIRECTORY


def _library(ctx: click.Context) -> Library:
    try:
        return load_library(ctx.meta.get("clause_cli.directory", DEFAULT_DIRECTORY))
    except ClauseFileError as exc:
        raise click.ClickException(f"clause library is invalid: {exc}") from None


@clause_group.command("penalty")
@click.option("--amount", type=NUMBER, required=True, help="Initial contract amount, EUR.")
@click.option("--committed", type=NUMBER, required=True, help="Hours committed.")
@click.option("--delivered", type=NUMBER, required=True, help="Hours delivered.")
@click.option("--total-rate", type=NUMBER, default=Decimal("2.5"), show_default=True,
              help="Penalty for total non-performance, % of the initial amount.")
@click.option("--partial-rate", type=NUMBER, default=Decimal("1.5"), show_default=True,
              help="Penalty for partial non-performance, % of the initial amount, pro rata.")
@click.option("--tolerance", type=FRACTION, default=Decimal("0.1"), show_default=True,
              help="Shortfall ignored, as a fraction of committed hours (0.1 or 10%).")
@click.option("--lang", type=LANG, default="en", show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
def penalty_command(amount, committed, delivered, total_rate, partial_rate, tolerance, lang,
                    as_json):
    """Penalty for undelivered social-clause hours (Brussels model)."""
    try:
        result = social_clause_penalty(amount, committed, delivered, total_rate, partial_rate,
                                       tolerance)
    except ValueError as exc:
        raise _bad(exc, {"initial_amount": "--amount", "committed_hours": "--committed",
                         "delivered_hours": "--delivered", "total_rate": "--total-rate",
                         "partial_rate": "--partial-rate", "tolerance": "--tolerance"}) from None
    if as_json:
        click.echo(json.dumps(result.as_dict(), ensure_ascii=False, indent=2))
    else:
        click.echo(f"Penalty: {result.amount} EUR ({result.case})")
        click.echo(f"  {result.explain(lang)}")


@clause_group.command("list")
@click.option("--lang", type=LANG, default="fr", show_default=True)
@click.option("--category", type=click.Choice(CATEGORIES), default=None)
@click.option("--region", type=click.Choice(REGIONS), default=None)
@click.option("--json", "as_json", is_flag=True, help="Print the list as JSON.")
@click.pass_context
def list_command(ctx, lang, category, region, as_json):
    """List the current clauses."""
    clauses = _library(ctx).find(category=category, region=region)
    if as_json:
        click.echo(json.dumps([{"id": c.id, "version": c.version, "category": c.category,
                                "title": c.title[lang], "hash": c.content_hash}
                               for c in clauses], ensure_ascii=False, indent=2))
        return
    for clause in clauses:
        click.echo(f"{clause.id:<42} v{clause.version:<3} {clause.category:<24} "
                   f"{clause.title[lang]}")


@clause_group.command("show")
@click.argument("clause_id", metavar="ID")
@click.option("--lang", type=LANG, default="fr", show_default=True)
@click.option("--version", "version", type=click.IntRange(min=1), default=None,
              help="An archived version (default: current).")
@click.option("--param", "params", multiple=True, metavar="NAME=VALUE",
              help="A parameter value; repeat for several.")
@click.pass_context
def show_command(ctx, clause_id, lang, version, params):
    """Render clause ID with its parameters filled in."""
    library = _library(ctx)
    try:
        clause = library.get(clause_id, version)
    except UnknownClauseError as exc:
        raise click.BadParameter(str(exc), param_hint="'ID'" if version is None
                                 else "'--version'") from None
    values = {}
    for item in params:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise click.BadParameter(f"{item!r} must be written NAME=VALUE", param_hint="'--param'")
        values[name.strip()] = value
    try:
        text = render(clause, lang, values)
    except ParameterError as exc:
        raise click.BadParameter(exc.message, param_hint=f"'--param {exc.field}'") from None
    click.echo(f"{clause.title[lang]}  [{clause.id} v{clause.version}, {clause.category}]")
    for basis in clause.legal_basis:
        click.echo(f"  - {basis}" + ("  (UNVERIFIED: check before use)"
                                     if basis in clause.unverified else ""))
    click.echo("")
    click.echo(text)
