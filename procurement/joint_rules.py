"""Pure rules of joint procurement (no flask, no database).

* Shares: the parts of one lot taken by the participants add up to 100 % at most; what they leave
  is the lead authority's part.
* Estimated value: when authorities buy together, the value that decides the procedure and the
  publication is the value of the whole group, never one member's part (Directive 2014/24/EU
  art. 5(1): the total amount payable; splitting a purchase to stay under a threshold is forbidden,
  art. 5(3)). Article numbers UNVERIFIED: shared/DOMAIN.md lists the thresholds but not this rule.
* Award split: each participant's contract is its share of the awarded lot's price and of the
  committed insertion hours; the cents and hours left by rounding stay with the lead.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any, Iterable

HUNDRED = Decimal(100)
CENT = Decimal("0.01")


class ShareError(ValueError):
    """A share that cannot be stored; ``code`` says why (``not_a_number``, ``range``, ``over_100``)."""

    def __init__(self, code: str, detail: str = ""):
        super().__init__(f"{code} {detail}".strip())
        self.code = code


def parse_pct(value: Any) -> Decimal:
    """A share typed by a person ("25", "12,5", "") as a percent between 0 and 100."""
    text = str(value if value is not None else "").strip().replace(",", ".").rstrip("%").strip()
    if not text:
        return Decimal(0)
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise ShareError("not_a_number", text) from None
    if not number.is_finite() or number < 0 or number > HUNDRED:
        raise ShareError("range", text)
    if number != number.quantize(CENT):
        raise ShareError("range", text)
    return number


def parse_amount(value: Any) -> Decimal | None:
    """An estimated value in EUR (blank: None); spaces and thousands dots are not guessed."""
    text = str(value if value is not None else "").strip().replace(" ", "").replace(",", ".")
    if not text:
        return None
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise ShareError("not_a_number", text) from None
    if not number.is_finite() or number < 0 or number >= Decimal("1e12"):
        raise ShareError("range", text)
    return number.quantize(CENT, ROUND_HALF_UP)


def lot_totals(shares: Iterable[tuple[int, Decimal]]) -> dict[int, Decimal]:
    """The participants' total share of each lot, from (lot number, share percent) pairs."""
    totals: dict[int, Decimal] = {}
    for lot, pct in shares:
        totals[lot] = totals.get(lot, Decimal(0)) + Decimal(pct)
    return totals


def lots_over_100(shares: Iterable[tuple[int, Decimal]]) -> dict[int, Decimal]:
    """The lots whose participants' shares exceed 100 % in total, with that total."""
    return {lot: total for lot, total in sorted(lot_totals(shares).items()) if total > HUNDRED}


@dataclass(frozen=True)
class GroupRow:
    name: str
    value: Decimal
    lead: bool = False


@dataclass(frozen=True)
class GroupEstimate:
    """The value of the whole group (used for the procedure advice) and how it is made up."""

    total: Decimal
    rows: tuple[GroupRow, ...]

    @property
    def joint(self) -> bool:
        return len(self.rows) > 1


def group_estimate(lead_name: str, lead_value: Any, participants: Iterable[tuple[str, Any]]) -> GroupEstimate:
    """The lead's own estimated value plus every participant's (the whole group counts)."""
    rows = [GroupRow(lead_name, Decimal(str(lead_value or 0)), lead=True)]
    rows += [GroupRow(name, Decimal(str(value or 0))) for name, value in participants]
    return GroupEstimate(sum((r.value for r in rows), Decimal(0)), tuple(rows))


@dataclass(frozen=True)
class Split:
    key: Any  # the participant (an authority id), or None for the lead
    share_pct: Decimal
    amount: Decimal
    hours: Decimal


def split_award(amount: Any, hours: Any, shares: Iterable[tuple[Any, Any]]) -> list[Split]:
    """The awarded lot split between the participants (``shares``: (key, percent)) and the lead
    (key None, what is left). Amounts are rounded down to the cent and hours down to the hour for
    each participant; the lead keeps the remainder, so the parts always add up to the award."""
    amount, hours = Decimal(str(amount)), Decimal(str(hours))
    rows = [(key, Decimal(str(pct))) for key, pct in shares if Decimal(str(pct)) > 0]
    if sum((pct for _, pct in rows), Decimal(0)) > HUNDRED:
        raise ShareError("over_100")
    parts = [Split(key, pct, (amount * pct / HUNDRED).quantize(CENT, ROUND_DOWN),
                   (hours * pct / HUNDRED).quantize(Decimal(1), ROUND_DOWN)) for key, pct in rows]
    lead = Split(None, HUNDRED - sum((p.share_pct for p in parts), Decimal(0)),
                 amount - sum((p.amount for p in parts), Decimal(0)),
                 hours - sum((p.hours for p in parts), Decimal(0)))
    return [lead, *parts]
