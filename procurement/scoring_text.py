"""Plain-language statements about the weight stability of an award (English only).

Published weights never change after the bids are opened (Dir. 2014/24/EU art. 67(5);
Belgian law of 17 June 2016 art. 81 §4); these statements only explain how much the award
depends on them. Each statement carries structured fields (for the web layer to translate)
and an English sentence, e.g. "B2 stays first as long as the price weight stays between
22 % and 58 % (currently 40 %)."
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from .scoring_numeric import round_fraction
from .scoring_stability import StabilityInterval

if TYPE_CHECKING:
    from .scoring_result import ScoringResult

FULL_RANGE = "full_range"      # first whatever the weight, 0 to 100 %
UPPER_BOUND = "upper_bound"    # first while the weight stays at or below max
LOWER_BOUND = "lower_bound"    # first while the weight stays at or above min
INTERVAL = "interval"          # first while the weight stays between min and max
ONLY_CURRENT = "only_current"  # any change of the weight changes the winner


@dataclass(frozen=True)
class StabilityStatement:
    """Structured stability statement for one criterion, with its English sentence.

    Percentages are rounded to 2 decimals; ``case`` is one of the constants above.
    """

    criterion: str
    label: str
    winner: str
    case: str
    current_pct: float
    min_pct: float
    max_pct: float
    overtaken_by_min: str | None
    overtaken_by_max: str | None
    sentence: str


def pct(value: float) -> str:
    """``22.5`` -> ``"22.5 %"``; ``40.0`` -> ``"40 %"``."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return f"{text} %"


def stability_statement(interval: StabilityInterval, label: str | None = None) -> StabilityStatement:
    """Statement for one stability interval; ``label`` names the criterion (default its id)."""
    name = label or interval.criterion
    cur = round_fraction(interval.current, 2)
    lo = round_fraction(interval.min, 2)
    hi = round_fraction(interval.max, 2)
    w, by_lo, by_hi = interval.winner, interval.overtaken_by_min, interval.overtaken_by_max
    at_lo, at_hi = interval.min == 0, interval.max == 100
    now = f"(currently {pct(cur)})"
    if at_lo and at_hi:
        case = FULL_RANGE
        text = f"{w} stays first whatever the weight of {name}, from 0 % to 100 % {now}."
    elif interval.min == interval.max:
        case = ONLY_CURRENT
        who = " or ".join(dict.fromkeys(b for b in (by_lo, by_hi) if b))
        text = (f"{w} is first only at the current {name} weight of {pct(cur)}: any change "
                f"of that weight puts {who} ahead.")
    elif at_lo:
        case = UPPER_BOUND
        text = (f"{w} stays first as long as the {name} weight stays at or below {pct(hi)} "
                f"{now}; above that, {by_hi} overtakes it.")
    elif at_hi:
        case = LOWER_BOUND
        text = (f"{w} stays first as long as the {name} weight stays at or above {pct(lo)} "
                f"{now}; below that, {by_lo} overtakes it.")
    else:
        case = INTERVAL
        text = (f"{w} stays first as long as the {name} weight stays between {pct(lo)} and "
                f"{pct(hi)} {now}; below that, {by_lo} overtakes it, above that, {by_hi} does.")
    return StabilityStatement(interval.criterion, name, w, case, cur, lo, hi, by_lo, by_hi, text)


def stability_statements(result: "ScoringResult") -> list[StabilityStatement]:
    """One statement per criterion, in the order of the criteria (empty without a winner)."""
    out = []
    for c in result.criteria:
        interval = result.stability.get(c.id)
        if interval is not None:
            out.append(stability_statement(interval, c.label or c.id))
    return out
