"""Long listings of the scoring report as plain lines of text.

WeasyPrint lays out a table row or an inline element one to two orders of magnitude slower than a
plain paragraph (measured: 500 table rows ≈ 7 s, 500 plain paragraphs ≈ 0.8 s on the benchmark
machine, BENCHMARKS.md), so listings that grow with the number of bids or of audit entries are
printed as one plain paragraph per item, built here.
"""
from __future__ import annotations

from flask_babel import gettext as _

from procurement.results_text import num, qty

SEP = " · "


def _value(criterion: dict, bid_input: dict) -> str:
    if criterion["type"] == "price":
        return f"{num(bid_input.get('price'))} EUR"
    if criterion["type"] == "rating":
        return f"{qty(bid_input.get('ratings', {}).get(criterion['id'], 0))} / {qty(criterion.get('scale') or 10)}"
    unit = criterion.get("unit") or ""
    return f"{qty(bid_input.get('values', {}).get(criterion['id'], 0))} {unit}".strip()


def bid_lines(bids: list[dict], criteria: list[dict]) -> list[str]:
    """One line per bid in rank order: for each criterion (by its id, as in the criteria table) the
    bid's figure and its points, then the total."""
    lines = []
    for b in bids:
        parts = [f"{c['id']} {_value(c, b['input'])} → {num(b['points'].get(c['id']))}" for c in criteria]
        flag = " *" if b.get("abnormally_low") else ""
        tie = f" ({_('tie')})" if b.get("tie") else ""
        lines.append(f"{b['rank']}{tie}. {b['id']}{flag} — {b.get('bidder', '')} — " + SEP.join(parts)
                     + f" — {_('total')} {num(b.get('total'))}")
    return lines


def envelope_lines(envelopes: list[dict]) -> list[str]:
    return [f"{e['code']} — {e['enterprise']} — {_('version %(v)s', v=e['version'])} — SHA-256 {e['sha256']}"
            for e in envelopes]


def rating_lines(ratings: list[dict]) -> list[str]:
    return [f"{r['bid']} — {r['criterion']} — {qty(r['value'])} — {r['justification']}"
            f" ({r['evaluator']}, {r['at'].strftime('%Y-%m-%d %H:%M')})" for r in ratings]


def justification_lines(items: list[dict]) -> list[str]:
    lines = []
    for j in items:
        line = f"{j['bid']} — {_('Request:')} {j['request']}"
        if j["decision"]:
            decision = _("accepted") if j["decision"] == "accepted" else _("rejected")
            line += (f" — {_('Justification received:')} {j['answer']} — {_('Decision:')} {decision}, {j['reason']}"
                     f" ({j['by']}, {j['at'].strftime('%Y-%m-%d %H:%M')})")
        lines.append(line)
    return lines


RUN_KEEP = 3  # of a run of more than RUN_LIMIT entries of one action, print the first ones and the last
RUN_LIMIT = 10


def _audit_line(e, limit: int) -> str:
    from common.timeutil import to_brussels

    details = e.details if len(e.details) <= limit else e.details[:limit] + "…"
    return (f"#{e.id}{SEP}{to_brussels(e.at).strftime('%Y-%m-%d %H:%M:%S')}{SEP}{e.actor_email or '—'}"
            f"{SEP}{e.action} {e.object_type} {e.object_id}{SEP}{details}{SEP}{e.hash[:16]}")


def audit_lines(entries, limit: int = 90) -> list[str]:
    """One line per audit entry; long details and the hash are shortened (the CSV export has them in
    full, and the report prints the chain head in full). A long run of entries of the same action
    (200 bids submitted, 200 ratings) keeps its first entries and its last, with one line saying how
    many are left out: each printed line costs layout time (report_lines docstring)."""
    from common.timeutil import to_brussels

    lines: list[str] = []
    runs: list[list] = []
    for e in entries:
        if runs and runs[-1][0].action == e.action:
            runs[-1].append(e)
        else:
            runs.append([e])
    for run in runs:
        if len(run) <= RUN_LIMIT:
            lines.extend(_audit_line(e, limit) for e in run)
            continue
        lines.extend(_audit_line(e, limit) for e in run[:RUN_KEEP])
        skipped = run[RUN_KEEP:-1]
        lines.append(_("… %(n)s more “%(action)s” entries, #%(first)s to #%(last)s, from %(start)s to %(end)s "
                       "(all of them are in the audit-log export) …", n=len(skipped), action=run[0].action,
                       first=skipped[0].id, last=skipped[-1].id,
                       start=to_brussels(skipped[0].at).strftime("%Y-%m-%d %H:%M:%S"),
                       end=to_brussels(skipped[-1].at).strftime("%Y-%m-%d %H:%M:%S")))
        lines.append(_audit_line(run[-1], limit))
    return lines
