"""Validated input model of the scoring engine (input format ``procure-scoring/1``).

The dataclasses below describe a tender's award criteria and the bids to be compared under
the rules of EU Directive 2014/24/EU art. 67 (award criteria: the most economically
advantageous tender, on price alone or on the best price-quality ratio with published
weights) and art. 69 (abnormally low tenders), as transposed by the Belgian law of
17 June 2016 art. 81 (award criteria) and art. 84 (abnormal prices), with the royal decree
of 18 April 2017 art. 35-36 (price examination, the 15 % below-average check).

Numbers are kept exactly as the JSON gave them (``int`` or ``float``); the engine reads a
float as the shortest decimal that prints it (``repr``), so ``33.3`` means exactly 333/10.
:func:`exact_value` gives that exact value as a :class:`fractions.Fraction`.

This module holds no Flask or database code.
"""

from __future__ import annotations

import gc
from contextlib import contextmanager
from dataclasses import dataclass
from fractions import Fraction
from functools import cached_property
from typing import Iterator, Mapping, Union

Number = Union[int, float]

INPUT_FORMAT = "procure-scoring/1"
RESULT_FORMAT = "procure-scoring-result/1"
ENGINE_VERSION = "1.0.0"

PRICE, QUANTITY, RATING, FEATURE = "price", "quantity", "rating", "feature"
PROPORTIONAL, LINEAR, PROZORRO = "proportional", "linear", "prozorro"
HIGHER, LOWER = "higher", "lower"
METHOD_POINTS, METHOD_PROZORRO = "points", "prozorro"

#: Largest magnitude accepted for any number (keeps integers exact as floats).
MAX_MAGNITUDE = 10**15
#: Smallest non-zero magnitude accepted (keeps every ratio far from float underflow).
MIN_NONZERO = 1e-9
#: Total of the maximum non-price values allowed in prozorro mode.
PROZORRO_CAP = Fraction(3, 10)


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector for the duration of a call, then restore it.

    The engine allocates tens of thousands of small acyclic objects for a large tender; the
    collector would repeatedly walk the whole heap for nothing (about 15 % of the time for
    10,000 bids). Reference counting still frees everything; the previous state is restored.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


class ScoringError(ValueError):
    """Invalid scoring input; the message names the bid or criterion at fault."""


def exact_value(x: Number) -> Fraction:
    """Exact value of a JSON number: an int as is, a float as its shortest decimal."""
    if type(x) is int:
        return Fraction(x)
    return Fraction(repr(x))


@dataclass(frozen=True)
class Tender:
    """Identification of the tender (and lot) the bids answer."""

    reference: str | None = None
    lot: str | None = None
    currency: str = "EUR"
    title: str | None = None


@dataclass(frozen=True)
class Criterion:
    """One award criterion (Dir. 2014/24/EU art. 67(5); Belgian law 17 June 2016 art. 81).

    ``type`` is ``price``, ``quantity``, ``rating`` or (prozorro mode only) ``feature``.
    ``weight`` is the published weight out of 100 (``None`` in prozorro mode).
    """

    id: str
    type: str
    weight: Fraction | None = None
    formula: str | None = None
    better: str | None = None
    scale: Fraction | None = None
    max: Fraction | None = None
    label: str | None = None
    unit: str | None = None

    @property
    def kind(self) -> str:
        """Scoring rule: proportional, linear, prozorro, higher, lower, rating or feature."""
        if self.type == PRICE:
            return self.formula or PROPORTIONAL
        if self.type == QUANTITY:
            return self.better or HIGHER
        return self.type

    @property
    def name(self) -> str:
        """Label for people: the criterion's label, else its id."""
        return self.label or self.id


@dataclass(slots=True)
class Bid:
    """One tender (bid): its price and its value on each non-price criterion.

    Treat as read-only. (A slotted, non-frozen dataclass: the parser builds 10,000 of them
    four times faster than with ``frozen=True``.)
    """

    id: str
    price: Number
    bidder: str = ""
    values: Mapping[str, Number] | None = None
    ratings: Mapping[str, Number] | None = None

    def raw(self, criterion: Criterion) -> Number:
        """The bid's raw figure on ``criterion`` (price, value or rating)."""
        if criterion.type == PRICE:
            return self.price
        if criterion.type == RATING:
            return (self.ratings or {})[criterion.id]
        return (self.values or {})[criterion.id]


@dataclass(frozen=True)
class AbnormalPriceRule:
    """Abnormally low price check (Dir. art. 69; law art. 84; RD 18 April 2017 art. 36 §4).

    A bid is flagged when its price is at least ``threshold_pct`` % below the mean price,
    provided there are at least ``min_bids`` bids. ``reference`` chooses the mean: of all
    bids (``all_bids``) or of the other bids (``other_bids``). Flagging means the buyer must
    ask for a written justification; it is never an automatic rejection.
    """

    threshold_pct: Fraction = Fraction(15)
    min_bids: int = 4
    reference: str = "all_bids"


@dataclass(frozen=True)
class ScoringInput:
    """A validated scoring file: build it with :func:`procurement.scoring.parse_input`."""

    criteria: tuple[Criterion, ...]
    bids: tuple[Bid, ...]
    tender: Tender = Tender()
    tie_break: tuple[str, ...] = ()
    abnormal_price: AbnormalPriceRule | None = AbnormalPriceRule()

    @property
    def method(self) -> str:
        """``prozorro`` when the price criterion uses that formula, else ``points``."""
        for c in self.criteria:
            if c.type == PRICE and c.formula == PROZORRO:
                return METHOD_PROZORRO
        return METHOD_POINTS

    def criterion(self, criterion_id: str) -> Criterion:
        """The criterion with this id."""
        for c in self.criteria:
            if c.id == criterion_id:
                return c
        raise KeyError(criterion_id)

    @cached_property
    def columns(self) -> dict[str, list[Number]]:
        """Raw figures per criterion id, in bid order."""
        return {c.id: [b.raw(c) for b in self.bids] for c in self.criteria}

    @cached_property
    def prices(self) -> list[Number]:
        """Raw prices, in bid order."""
        return [b.price for b in self.bids]
