"""``score`` command: score a ``procure-scoring/1`` file from the command line.

Plain click (no Flask import); the application registers ``score_command`` on its CLI, so
that ``flask --app app score FILE.json [--json]`` works. Exit status 0 on success, 2 on any
invalid input (unreadable file, invalid JSON with its line and column, or a
:class:`~procurement.scoring_model.ScoringError` naming the bid or criterion at fault).

The readable report shows what the award decision must be able to justify under
Dir. 2014/24/EU art. 67 and Belgian law of 17 June 2016 art. 81 (ranking and points), the
abnormal-price flags of art. 69 / law art. 84 / royal decree of 18 April 2017 art. 35-36,
the lowest-price counterfactual, the weight stability and the warnings.
"""

from __future__ import annotations

import json
from typing import Any

import click

from .scoring import ScoringError, score_json

MAX_BIDDER = 28


class ScoringUsageError(click.ClickException):
    """Invalid input: printed as ``Error: <message>``, exit status 2."""

    exit_code = 2


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a valid JSON number")


def _no_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise ValueError(f"duplicate key {key!r} in a JSON object")
        out[key] = value
    return out


def load_document(path: str) -> Any:
    """Read and decode a JSON file, with errors naming the line and column."""
    try:
        with open(path, encoding="utf-8") as fh:
            text = fh.read()
    except (OSError, UnicodeDecodeError) as exc:
        raise ScoringUsageError(f"cannot read {path}: {exc}") from exc
    try:
        return json.loads(text, parse_constant=_reject_constant,
                          object_pairs_hook=_no_duplicate_keys)
    except json.JSONDecodeError as exc:
        raise ScoringUsageError(
            f"invalid JSON in {path} at line {exc.lineno}, column {exc.colno}: {exc.msg}") from exc
    except ValueError as exc:
        raise ScoringUsageError(f"invalid JSON in {path}: {exc}") from exc


def _fmt(value: Any, places: int = 2) -> str:
    return "-" if value is None else f"{value:,.{places}f}"


def _table(rows: list[list[str]], right: set[int]) -> list[str]:
    widths = [max(len(r[c]) for r in rows) for c in range(len(rows[0]))]
    lines = []
    for n, row in enumerate(rows):
        cells = [cell.rjust(widths[c]) if c in right else cell.ljust(widths[c])
                 for c, cell in enumerate(row)]
        lines.append("  ".join(cells).rstrip())
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    return lines


def render_report(result: dict[str, Any]) -> str:
    """Readable text report of a ``procure-scoring-result/1`` document."""
    tender = result["tender"]
    currency = tender.get("currency") or "EUR"
    head = "Tender " + " / ".join(
        p for p in (tender.get("reference"), tender.get("lot") and f"lot {tender['lot']}") if p)
    lines = [head if head != "Tender " else "Scoring result",
             f"Method: {result['method']}; winner: {result['winner'] or 'none (tie for first)'}",
             ""]
    prozorro = result["method"] == "prozorro"
    crit_ids = [c["id"] for c in result["criteria"]]
    header = ["Rank", "Bid", "Bidder"]
    header += ["Price", "Coef.", "Compared"] if prozorro else crit_ids + ["Total"]
    header.append("Flags")
    rows = [header]
    for b in result["bids"]:
        bidder = b["bidder"] if len(b["bidder"]) <= MAX_BIDDER else b["bidder"][:MAX_BIDDER - 1] + "…"
        row = [str(b["rank"]), b["id"], bidder]
        if prozorro:
            row += [_fmt(b["price"]), _fmt(b["coefficient"], 6), _fmt(b["compared_value"])]
        else:
            row += [_fmt(b["points"][c]) for c in crit_ids] + [_fmt(b["total"])]
        flags = [f for f, on in (("tie", b["tie"]), ("abnormally low", b["abnormally_low"])) if on]
        row.append(", ".join(flags))
        rows.append(row)
    right = set(range(3, len(header) - 1)) | {0}
    lines += _table(rows, right)
    lp = result["lowest_price"]
    if lp:
        lines += ["", "Lowest price"]
        if lp["winner"] is None:
            lines.append(f"  {lp['bid']} has the lowest price ({_fmt(lp['price'])} {currency}).")
        elif lp["winner"] == lp["bid"] or not lp["extra_cost"]:
            lines.append(f"  The winner {lp['winner']} also has the lowest price "
                         f"({_fmt(lp['price'])} {currency}).")
        else:
            lines.append(f"  On price alone {lp['bid']} would win ({_fmt(lp['price'])} {currency}). "
                         f"{lp['winner']} costs {_fmt(lp['extra_cost'])} {currency} more "
                         f"(+{_fmt(lp['extra_cost_pct'])} %).")
            units = {c["id"]: c.get("unit") for c in result["criteria"]}
            for cid, gain in lp["gains"].items():
                unit = units.get(cid)
                per = lp["per_unit"].get(cid)
                amount = f"{gain:+g} {unit}" if unit else f"{gain:+g}"
                extra = (f", {_fmt(per)} {currency} per extra {unit or 'unit'}"
                         if per is not None else "")
                lines.append(f"  {cid}: {amount}{extra}")
    ab = result["abnormal_price"]
    if ab:
        lines += ["", "Abnormally low prices"]
        if not ab["applied"]:
            lines.append(f"  Not checked: {ab['note']}.")
        else:
            lines.append(f"  Mean price {_fmt(ab['mean'])} {currency}; threshold "
                         f"{ab['threshold_pct']} % below the mean of {ab['reference'].replace('_', ' ')}; "
                         f"flagged: {', '.join(ab['flagged']) or 'none'}.")
    if result["stability"]:
        lines += ["", "Weight stability"]
        lines += [f"  - {s['sentence']}" for s in result["stability"].values()]
    if result["warnings"]:
        lines += ["", "Warnings"]
        lines += [f"  - [{w['code']}] {w['message']}" for w in result["warnings"]]
    return "\n".join(lines)


@click.command("score")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
def score_command(file: str, as_json: bool) -> None:
    """Score the bids in FILE (format procure-scoring/1, see docs/scoring-format.md)."""
    document = load_document(file)
    try:
        result = score_json(document)
    except ScoringError as exc:
        raise ScoringUsageError(str(exc)) from exc
    if as_json:
        click.echo(json.dumps(result, indent=2, ensure_ascii=False))
    else:
        click.echo(render_report(result))
