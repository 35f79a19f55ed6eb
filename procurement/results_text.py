"""The scoring result in plain, translated language, for the results page and the report.

Works on the engine's ``procure-scoring-result/1`` document only (never on bid rows), so the
results page and the auditor's report say exactly the same thing. The engine's own messages are
English; here each statement is rebuilt from its structured fields through Flask-Babel.
"""
from __future__ import annotations

from flask_babel import format_decimal, gettext as _
from markupsafe import Markup

from procurement.chart import stacked_bars


def num(value, places: int = 2) -> str:
    if value is None:
        return ""
    return format_decimal(round(float(value), places), format="#,##0." + "0" * places if places else "#,##0")


def qty(value) -> str:
    """A quantity with at most two decimals: ``650`` -> ``"650"``, ``2.5`` -> ``"2.5"``."""
    return format_decimal(round(float(value), 2), format="#,##0.##")


def pct(value) -> str:
    """``22.5`` -> ``"22.5 %"`` in the user's number format."""
    return format_decimal(round(float(value), 2), format="#,##0.##") + "\u00a0%"


def money(value) -> str:
    return num(value, 2) + "\u00a0EUR"


def labels_of(result: dict) -> dict[str, str]:
    return {c["id"]: c.get("label") or c["id"] for c in result.get("criteria", [])}


def stability_sentences(result: dict) -> list[dict]:
    """One sentence per criterion: within which weights the winner stays first."""
    labels = labels_of(result)
    out = []
    winner = result.get("winner")
    stability = result.get("stability") or {}
    for cid in [c["id"] for c in result.get("criteria", []) if c["id"] in stability]:
        iv = stability[cid]
        params = {"winner": winner, "criterion": labels.get(cid, cid), "current": pct(iv["current"]),
                  "min": pct(iv["min"]), "max": pct(iv["max"]),
                  "below": iv["overtaken_by"].get("min") or "", "above": iv["overtaken_by"].get("max") or ""}
        at_lo, at_hi = iv.get("min_exact") == "0", iv.get("max_exact") == "100"
        if at_lo and at_hi:
            text = _("%(winner)s stays first whatever the weight of %(criterion)s, from 0 %% to 100 %% "
                     "(currently %(current)s).", **params)
        elif iv.get("min_exact") == iv.get("max_exact"):
            params["other"] = " / ".join(dict.fromkeys(b for b in (params["below"], params["above"]) if b))
            text = _("%(winner)s is first only at the current %(criterion)s weight of %(current)s: any change "
                     "of that weight puts %(other)s ahead.", **params)
        elif at_lo:
            text = _("%(winner)s stays first as long as the %(criterion)s weight stays at or below %(max)s "
                     "(currently %(current)s); above that, %(above)s overtakes it.", **params)
        elif at_hi:
            text = _("%(winner)s stays first as long as the %(criterion)s weight stays at or above %(min)s "
                     "(currently %(current)s); below that, %(below)s overtakes it.", **params)
        else:
            text = _("%(winner)s stays first as long as the %(criterion)s weight stays between %(min)s and "
                     "%(max)s (currently %(current)s); below that, %(below)s overtakes it, above that, "
                     "%(above)s does.", **params)
        out.append({**iv, "criterion": cid, "label": labels.get(cid, cid), "sentence": text})
    return out


def counterfactual(result: dict) -> list[str]:
    """The lowest-price counterfactual: who would win on price alone, and what the award buys."""
    lp = result.get("lowest_price")
    if not lp or not lp.get("winner"):
        return []
    if lp["bid"] == lp["winner"]:
        return [_("%(winner)s also offers the lowest price: an award on price alone would give the same "
                  "result.", winner=lp["winner"])]
    labels = labels_of(result)
    units = {c["id"]: c.get("unit") for c in result.get("criteria", [])}
    lines = [_("On price alone, %(bid)s would have won. Awarding to %(winner)s costs %(extra)s more "
               "(%(pct)s more than %(bid)s's price).", bid=lp["bid"], winner=lp["winner"],
               extra=money(lp["extra_cost"]), pct=pct(lp["extra_cost_pct"] or 0))]
    for cid, gain in (lp.get("gains") or {}).items():
        name = labels.get(cid, cid)
        if cid in (lp.get("per_unit") or {}):
            lines.append(_("%(criterion)s: %(gain)s %(unit)s more, that is %(cost)s per extra unit.",
                           criterion=name, gain=qty(gain), unit=units.get(cid) or "",
                           cost=money(lp["per_unit"][cid])))
        elif gain > 0:
            lines.append(_("%(criterion)s: %(gain)s more.", criterion=name, gain=qty(gain)))
        elif gain < 0:
            lines.append(_("%(criterion)s: %(gain)s less.", criterion=name, gain=qty(-gain)))
        else:
            lines.append(_("%(criterion)s: no difference.", criterion=name))
    return lines


def warning_sentences(result: dict) -> list[dict]:
    labels = labels_of(result)
    out = []
    for w in result.get("warnings", []):
        d = w.get("details") or {}
        code = w.get("code")
        if code == "rank_reversal":
            text = _("Rank reversal: removing bid %(removed)s would change the order of the other bids, because "
                     "it sets the reference figure on %(criteria)s (%(first)s and %(second)s would not keep "
                     "their order).", removed=w.get("bid"),
                     criteria=", ".join(labels.get(c, c) for c in d.get("criteria", [])),
                     first=d.get("first", ""), second=d.get("second", ""))
        elif code == "tie_for_first":
            text = _("Bids %(bids)s are tied for first place: the rule of the tender documents for equal "
                     "tenders must decide.", bids=", ".join(d.get("bids", [])))
        elif code == "abnormally_low_price":
            text = _("The price of bid %(bid)s is %(pct)s below the mean price (%(mean)s): the bidder must "
                     "justify it in writing before any decision (royal decree of 18 April 2017, art. 36). "
                     "This is a flag, not a rejection.", bid=w.get("bid"), pct=pct(d.get("deviation_pct", 0)),
                     mean=money(d.get("mean")))
        elif code == "zero_lowest_value":
            text = _("Bid %(bid)s offers 0 on %(criterion)s, where lower is better: it takes all the points "
                     "and every other bid scores 0 on it.", bid=w.get("bid"),
                     criterion=labels.get(d.get("criterion"), d.get("criterion")))
        else:
            text = w.get("message", "")
        out.append({"code": code, "bid": w.get("bid"), "text": text})
    return out


MAX_BARS = 25  # a taller chart would not fit on a printed page; the table lists every bid


def chart_svg(result: dict, uid: str = "chart") -> Markup:
    """The stacked-bar chart of the best-ranked bids (labels escaped in ``procurement.chart``)."""
    labels = labels_of(result)
    ids = [c["id"] for c in result.get("criteria", [])]
    bids = result.get("bids", [])
    bars = [(b["id"], [float(b["points"].get(cid, 0)) for cid in ids], float(b.get("total") or 0))
            for b in bids[:MAX_BARS]]
    description = _("Stacked bars, one per bid in order of rank; the same figures are in the ranking table.")
    if len(bids) > MAX_BARS:
        description += " " + _("Only the %(n)s best-ranked bids are drawn.", n=MAX_BARS)
    svg = stacked_bars(bars, [labels[c] for c in ids], title=_("Points per criterion of each bid"),
                       description=description,
                       axis_label=_("Points (out of 100)"), uid=uid)
    return Markup(svg)  # noqa: S704 - every label is escaped by stacked_bars
