"""Penalties for failing to deliver the hours of a social clause (Brussels model).

Rule (shared/DOMAIN.md, "Social clause variants", Brussels model penalties; clause
``social-clause-penalties``):

* nothing delivered → ``total_rate`` % of the initial amount (total non-performance);
* shortfall ≤ ``tolerance`` × committed hours → no penalty (one tenth or less is ignored);
* otherwise → ``partial_rate`` % of the initial amount × shortfall ÷ committed hours; the whole
  shortfall counts once the tolerance is exceeded;
* delivered ≥ committed (over-delivery included) → no penalty.

Rates are in percent units (2.5 means 2.5 %); ``tolerance`` is a fraction (0.1 = one tenth).
Committed hours of 0 are rejected (ValueError): without a commitment there is no clause to
enforce, and a zero would hide a data-entry error. Amounts are rounded to the cent, half up.
Pure module.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Mapping

from clauses.parameters import format_number, format_percent
from procurement.insertion import to_decimal

CASES = ("total_non_execution", "within_tolerance", "partial", "fully_delivered")
CENT = Decimal("0.01")
HUNDRED = Decimal(100)

_EXPLAIN = {
    "total_non_execution": {
        "en": "No hours delivered out of {committed} committed: total non-performance, "
              "{total_rate} of the initial amount {amount} EUR = {penalty} EUR.",
        "fr": "Aucune heure prestée sur {committed} prévues : inexécution totale, "
              "{total_rate} du montant initial de {amount} EUR = {penalty} EUR.",
        "nl": "Geen enkel uur gepresteerd van de {committed} voorziene: volledige "
              "niet-uitvoering, {total_rate} van het oorspronkelijke bedrag van {amount} EUR "
              "= {penalty} EUR.",
    },
    "within_tolerance": {
        "en": "{delivered} of {committed} hours delivered; the shortfall of {shortfall} h does "
              "not exceed the tolerance of {tolerance} ({tolerance_hours} h): no penalty.",
        "fr": "{delivered} heures prestées sur {committed} ; le manque de {shortfall} h ne "
              "dépasse pas la tolérance de {tolerance} ({tolerance_hours} h) : pas de pénalité.",
        "nl": "{delivered} van de {committed} uren gepresteerd; het tekort van {shortfall} u "
              "overschrijdt de tolerantie van {tolerance} ({tolerance_hours} u) niet: geen straf.",
    },
    "partial": {
        "en": "{delivered} of {committed} hours delivered; the shortfall of {shortfall} h exceeds "
              "the tolerance of {tolerance} ({tolerance_hours} h): partial non-performance, "
              "{partial_rate} × {amount} EUR × {shortfall} ÷ {committed} = {penalty} EUR.",
        "fr": "{delivered} heures prestées sur {committed} ; le manque de {shortfall} h dépasse "
              "la tolérance de {tolerance} ({tolerance_hours} h) : inexécution partielle, "
              "{partial_rate} × {amount} EUR × {shortfall} ÷ {committed} = {penalty} EUR.",
        "nl": "{delivered} van de {committed} uren gepresteerd; het tekort van {shortfall} u "
              "overschrijdt de tolerantie van {tolerance} ({tolerance_hours} u): gedeeltelijke "
              "niet-uitvoering, {partial_rate} × {amount} EUR × {shortfall} ÷ {committed} "
              "= {penalty} EUR.",
    },
    "fully_delivered": {
        "en": "{delivered} of {committed} hours delivered: commitment met, no penalty.",
        "fr": "{delivered} heures prestées sur {committed} : engagement respecté, pas de pénalité.",
        "nl": "{delivered} van de {committed} uren gepresteerd: verbintenis nagekomen, geen straf.",
    },
}


@dataclass(frozen=True)
class Penalty:
    """Outcome of :func:`social_clause_penalty`; ``explain(lang)`` words it in FR/NL/EN."""

    amount: Decimal            # EUR, rounded to the cent (half up)
    case: str                  # one of CASES
    shortfall: Decimal         # hours not delivered (0 on over-delivery)
    initial_amount: Decimal
    committed_hours: Decimal
    delivered_hours: Decimal
    total_rate: Decimal
    partial_rate: Decimal
    tolerance: Decimal
    tolerance_hours: Decimal   # tolerance × committed

    @property
    def explanation(self) -> str:
        return self.explain("en")

    def explain(self, lang: str = "en") -> str:
        def num(value: Decimal) -> str:
            return format_number(value, lang)
        return _EXPLAIN[self.case][lang].format(
            committed=num(self.committed_hours), delivered=num(self.delivered_hours),
            shortfall=num(self.shortfall), tolerance=format_percent(self.tolerance * HUNDRED, lang),
            tolerance_hours=num(self.tolerance_hours), amount=format_number(self.initial_amount, lang, 2),
            total_rate=format_percent(self.total_rate, lang),
            partial_rate=format_percent(self.partial_rate, lang),
            penalty=format_number(self.amount, lang, 2),
        )

    def as_dict(self) -> dict[str, Any]:
        """JSON-friendly (Decimals as strings)."""
        return {
            "amount": str(self.amount), "case": self.case, "shortfall": str(self.shortfall),
            "initial_amount": str(self.initial_amount),
            "committed_hours": str(self.committed_hours),
            "delivered_hours": str(self.delivered_hours), "total_rate": str(self.total_rate),
            "partial_rate": str(self.partial_rate), "tolerance": str(self.tolerance),
            "tolerance_hours": str(self.tolerance_hours), "explanation": self.explanation,
        }


def social_clause_penalty(initial_amount: Any, committed_hours: Any, delivered_hours: Any,
                          total_rate: Any = Decimal("2.5"), partial_rate: Any = Decimal("1.5"),
                          tolerance: Any = Decimal("0.1")) -> Penalty:
    """Penalty for a social clause of ``committed_hours`` of which ``delivered_hours`` were done.

    Raises ValueError naming the field for negative inputs, committed hours of 0, rates
    outside 0–100 % or a tolerance outside [0, 1).
    """
    amount = to_decimal(initial_amount, "initial_amount")
    committed = to_decimal(committed_hours, "committed_hours")
    delivered = to_decimal(delivered_hours, "delivered_hours")
    total = to_decimal(total_rate, "total_rate")
    partial = to_decimal(partial_rate, "partial_rate")
    tol = to_decimal(tolerance, "tolerance")
    for name, value in (("initial_amount", amount), ("delivered_hours", delivered)):
        if value < 0:
            raise ValueError(f"{name} must not be negative, got {value}")
    if committed <= 0:
        raise ValueError(f"committed_hours must be greater than 0 (a clause without committed "
                         f"hours has nothing to enforce), got {committed}")
    for name, value in (("total_rate", total), ("partial_rate", partial)):
        if not 0 <= value <= HUNDRED:
            raise ValueError(f"{name} must be a percentage between 0 and 100 (2.5 for 2.5 %), "
                             f"got {value}")
    if not 0 <= tol < 1:
        raise ValueError(f"tolerance must be a fraction from 0 up to (not including) 1 "
                         f"(0.1 for one tenth), got {tol}")
    shortfall = max(committed - delivered, Decimal(0))
    tolerance_hours = tol * committed
    if delivered == 0:
        case, raw = "total_non_execution", amount * total / HUNDRED
    elif shortfall == 0:
        case, raw = "fully_delivered", Decimal(0)
    elif shortfall <= tolerance_hours:
        case, raw = "within_tolerance", Decimal(0)
    else:
        case, raw = "partial", amount * partial / HUNDRED * shortfall / committed
    return Penalty(
        amount=raw.quantize(CENT, rounding=ROUND_HALF_UP), case=case, shortfall=shortfall,
        initial_amount=amount, committed_hours=committed, delivered_hours=delivered,
        total_rate=total, partial_rate=partial, tolerance=tol, tolerance_hours=tolerance_hours,
    )


def penalty_from_clause(initial_amount: Any, committed_hours: Any, delivered_hours: Any,
                        values: Mapping[str, Any]) -> Penalty:
    """Same, with the validated parameters of the ``social-clause-penalties`` clause.

    The clause states the tolerance in percent (10 = 10 %); this converts it to a fraction.
    """
    return social_clause_penalty(
        initial_amount, committed_hours, delivered_hours,
        total_rate=values["total_rate"], partial_rate=values["partial_rate"],
        tolerance=to_decimal(values["tolerance"], "tolerance") / HUNDRED,
    )


@dataclass(frozen=True)
class Progress:
    """Delivered versus committed hours. ``fraction`` is not capped (1.2 = 20 % over)."""

    committed: Decimal
    delivered: Decimal
    fraction: Decimal          # delivered ÷ committed, 4 decimals
    percent: Decimal           # fraction × 100, 1 decimal
    remaining: Decimal         # hours still to deliver, never negative

    @property
    def capped_percent(self) -> Decimal:
        """For progress bars: at most 100."""
        return min(self.percent, HUNDRED)


def progress(committed: Any, delivered: Any) -> Progress:
    """How far a social clause is delivered; ValueError for committed ≤ 0 or delivered < 0."""
    committed_d = to_decimal(committed, "committed")
    delivered_d = to_decimal(delivered, "delivered")
    if committed_d <= 0:
        raise ValueError(f"committed must be greater than 0, got {committed_d}")
    if delivered_d < 0:
        raise ValueError(f"delivered must not be negative, got {delivered_d}")
    fraction = delivered_d / committed_d
    return Progress(
        committed=committed_d, delivered=delivered_d,
        fraction=fraction.quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP),
        percent=(fraction * HUNDRED).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP),
        remaining=max(committed_d - delivered_d, Decimal(0)),
    )
