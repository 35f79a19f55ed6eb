"""Insertion hours: how many hours of work or training a social clause can ask for.

The facilitator method (shared/DOMAIN.md, "Insertion hours"):

    hours = estimated amount × labour share × insertion rate ÷ loaded hourly cost,

rounded DOWN to whole hours. Worked example: 1,000,000 EUR × 0.5 × 0.05 ÷ 30 EUR/h = 833 h.
All arithmetic is Decimal; floats are converted through ``str`` so 0.1 stays 0.1. Pure module.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_DOWN, Decimal, InvalidOperation
from typing import Any, Mapping

# Labour share (fraction of the amount that is labour) by CPV prefix: the significant digits of
# the code before its trailing zeros. The first three values are the typical shares quoted in
# DOMAIN.md; the others are ILLUSTRATIVE orders of magnitude, to be replaced by the deployment's
# config.toml (key LABOUR_SHARE_BY_CPV) once a facilitator has confirmed them.
DEFAULT_LABOUR_SHARES: dict[str, Decimal] = {
    "454421": Decimal("0.70"),   # 45442100 painting work (DOMAIN.md: interior painting 70 %)
    "452625": Decimal("0.50"),   # 45262500 masonry and bricklaying work (DOMAIN.md: 50 %)
    "452624": Decimal("0.20"),   # 45262400 structural steel erection work (DOMAIN.md: 20 %)
    "4522321": Decimal("0.20"),  # 45223210 structural steelworks (DOMAIN.md: steel frames 20 %)
    "9091": Decimal("0.80"),     # 90910000 cleaning services (illustrative)
    "7731": Decimal("0.60"),     # 77310000 planting and maintenance of green areas (illustrative)
    "4511": Decimal("0.35"),     # 45110000 demolition and earthmoving (illustrative)
}
DEFAULT_SHARE_SOURCES: dict[str, str] = {
    prefix: "DOMAIN.md" if prefix in {"454421", "452625", "452624", "4522321"} else "illustrative"
    for prefix in DEFAULT_LABOUR_SHARES
}


@dataclass(frozen=True)
class InsertionHours:
    """Result of :func:`insertion_hours`, with every intermediate figure for the audit trail."""

    hours: int                 # whole hours, rounded down
    exact_hours: Decimal       # before rounding
    amount: Decimal
    labour_share: Decimal
    rate: Decimal
    hourly_cost: Decimal
    labour_amount: Decimal     # amount × labour share
    insertion_budget: Decimal  # labour amount × rate

    @property
    def formula(self) -> str:
        return (f"{_plain(self.amount)} × {_plain(self.labour_share)} × {_plain(self.rate)} "
                f"÷ {_plain(self.hourly_cost)} = {_plain(self.exact_hours, 2)} "
                f"→ {self.hours} h (rounded down)")

    def as_dict(self) -> dict[str, Any]:
        """JSON-friendly (Decimals as strings)."""
        return {
            "hours": self.hours, "exact_hours": str(self.exact_hours),
            "amount": str(self.amount), "labour_share": str(self.labour_share),
            "rate": str(self.rate), "hourly_cost": str(self.hourly_cost),
            "labour_amount": str(self.labour_amount),
            "insertion_budget": str(self.insertion_budget), "formula": self.formula,
        }


def to_decimal(value: Any, field: str) -> Decimal:
    """Decimal from int, Decimal, float (via str) or text (a comma decimal is accepted)."""
    if isinstance(value, bool):
        raise ValueError(f"{field} must be a number, got {value!r}")
    try:
        if isinstance(value, str):
            number = Decimal(value.strip().replace("\u00a0", "").replace(" ", "").replace(",", "."))
        elif isinstance(value, float):
            number = Decimal(repr(value))
        else:
            number = Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        raise ValueError(f"{field} must be a number, got {value!r}") from None
    if not number.is_finite():
        raise ValueError(f"{field} must be a finite number, got {value!r}")
    return number


def insertion_hours(amount: Any, labour_share: Any, rate: Any, hourly_cost: Any) -> InsertionHours:
    """Hours of insertion work a contract can carry (facilitator method, DOMAIN.md).

    ``amount``: estimated contract amount in EUR excl. VAT (> 0); ``labour_share`` and ``rate``
    are fractions (0 < x ≤ 1: 0.5 for 50 %); ``hourly_cost``: loaded cost of an hour in EUR (> 0).
    Raises ValueError naming the offending field.
    """
    amount = to_decimal(amount, "amount")
    labour_share = to_decimal(labour_share, "labour_share")
    rate = to_decimal(rate, "rate")
    hourly_cost = to_decimal(hourly_cost, "hourly_cost")
    if amount <= 0:
        raise ValueError(f"amount must be greater than 0 EUR, got {amount}")
    for name, value in (("labour_share", labour_share), ("rate", rate)):
        if not 0 < value <= 1:
            raise ValueError(f"{name} must be a fraction greater than 0 and at most 1 "
                             f"(0.05 for 5 %), got {value}")
    if hourly_cost <= 0:
        raise ValueError(f"hourly_cost must be greater than 0 EUR, got {hourly_cost}")
    labour_amount = amount * labour_share
    budget = labour_amount * rate
    exact = budget / hourly_cost
    return InsertionHours(
        hours=int(exact.to_integral_value(rounding=ROUND_DOWN)), exact_hours=exact,
        amount=amount, labour_share=labour_share, rate=rate, hourly_cost=hourly_cost,
        labour_amount=labour_amount, insertion_budget=budget,
    )


def cpv_digits(cpv_code: str) -> str:
    """The 8 digits of a CPV code (``45442110-1`` → ``45442110``); ValueError if malformed."""
    if not isinstance(cpv_code, str):
        raise ValueError(f"cpv_code must be text, got {cpv_code!r}")
    match = re.fullmatch(r"([0-9]{8})(?:-[0-9])?", cpv_code.strip())
    if not match:
        raise ValueError(f"cpv_code must be 8 digits with an optional check digit "
                         f"(45442110-1), got {cpv_code!r}")
    return match.group(1)


def suggested_labour_share(cpv_code: str,
                           table: Mapping[str, Any] | None = None) -> Decimal | None:
    """Labour share for a CPV code: the value of the LONGEST prefix of the code in ``table``.

    ``table`` maps CPV prefixes to fractions (e.g. config.toml LABOUR_SHARE_BY_CPV); it
    defaults to :data:`DEFAULT_LABOUR_SHARES`. Returns None when no prefix matches.
    """
    digits = cpv_digits(cpv_code)
    table = DEFAULT_LABOUR_SHARES if table is None else table
    for length in range(len(digits), 1, -1):
        prefix = digits[:length]
        if prefix in table:
            share = to_decimal(table[prefix], f"labour share for CPV prefix {prefix}")
            if not 0 < share <= 1:
                raise ValueError(f"labour share for CPV prefix {prefix} must be a fraction "
                                 f"greater than 0 and at most 1, got {share}")
            return share
    return None


def _plain(value: Decimal, places: int | None = None) -> str:
    if places is not None:
        value = value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_DOWN)
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text
