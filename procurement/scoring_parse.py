"""Validation of a ``procure-scoring/1`` file into :class:`ScoringInput`.

Everything the award rules need is checked before any score is computed: weights that add
up to exactly 100 as published (Dir. 2014/24/EU art. 67(5); Belgian law of 17 June 2016
art. 81), a strictly positive price for every bid (a zero price would break every price
formula), ratings within their published scale, one figure per bid and criterion. Every
error raises :class:`ScoringError` naming the bid or criterion at fault.
"""

from __future__ import annotations

import math
from fractions import Fraction
from typing import Any, Mapping

from .scoring_model import (
    FEATURE, HIGHER, INPUT_FORMAT, LINEAR, LOWER, MAX_MAGNITUDE, MIN_NONZERO, PRICE,
    PROPORTIONAL, PROZORRO, PROZORRO_CAP, QUANTITY, RATING, AbnormalPriceRule, Bid,
    Criterion, ScoringError, ScoringInput, Tender, exact_value, gc_paused,
)

_TOP_KEYS = {"format", "tender", "criteria", "bids", "tie_break", "abnormal_price"}
_TENDER_KEYS = {"reference", "lot", "currency", "title"}
_CRITERION_KEYS = {
    PRICE: {"id", "type", "weight", "formula", "label"},
    QUANTITY: {"id", "type", "weight", "better", "label", "unit"},
    RATING: {"id", "type", "weight", "scale", "label"},
    FEATURE: {"id", "type", "max", "label"},
}
_BID_KEYS = {"id", "bidder", "price", "values", "ratings"}
_ABNORMAL_KEYS = {"threshold_pct", "min_bids", "reference"}
_NUMERIC_TYPES = {int, float}


def _is_number(x: Any) -> bool:
    return type(x) in _NUMERIC_TYPES and math.isfinite(x)


def _check_number(x: Any, where: str, *, positive: bool = False) -> None:
    """Raise unless ``x`` is a finite JSON number within the engine's safe range."""
    if not _is_number(x):
        raise ScoringError(f"{where} must be a number, got {x!r}")
    if positive and x <= 0:
        raise ScoringError(f"{where} must be greater than 0, got {x!r}")
    if x < 0:
        raise ScoringError(f"{where} must not be negative, got {x!r}")
    if x > MAX_MAGNITUDE or (x != 0 and x < MIN_NONZERO):
        raise ScoringError(
            f"{where} is out of range ({x!r}): use 0 or a magnitude between "
            f"{MIN_NONZERO:g} and {MAX_MAGNITUDE:g}")


def _unknown_keys(obj: Mapping, allowed: set, where: str) -> None:
    extra = sorted(set(obj) - allowed, key=str)
    if extra:
        raise ScoringError(f"{where}: unknown key {extra[0]!r} (allowed: {', '.join(sorted(allowed))})")


def _text(obj: Mapping, key: str, where: str, *, required: bool = False) -> str | None:
    value = obj.get(key)
    if value is None:
        if required:
            raise ScoringError(f"{where}: {key!r} is required")
        return None
    if type(value) is not str or (required and not value.strip()):
        raise ScoringError(f"{where}: {key!r} must be a non-empty string, got {value!r}")
    return value


def _parse_tender(raw: Any) -> Tender:
    if raw is None:
        return Tender()
    if not isinstance(raw, Mapping):
        raise ScoringError("'tender' must be an object")
    _unknown_keys(raw, _TENDER_KEYS, "tender")
    fields = {k: _text(raw, k, "tender") for k in _TENDER_KEYS}
    return Tender(reference=fields["reference"], lot=fields["lot"],
                  currency=fields["currency"] or "EUR", title=fields["title"])


def _parse_criterion(raw: Any, pos: int, prozorro: bool) -> Criterion:
    if not isinstance(raw, Mapping):
        raise ScoringError(f"criteria[{pos}] must be an object")
    cid = _text(raw, "id", f"criteria[{pos}]", required=True)
    where = f"criterion {cid!r}"
    ctype = raw.get("type")
    if ctype not in _CRITERION_KEYS:
        raise ScoringError(f"{where}: unknown type {ctype!r} (price, quantity, rating, feature)")
    _unknown_keys(raw, _CRITERION_KEYS[ctype], where)
    weight = formula = better = scale = cmax = None
    if ctype == PRICE:
        formula = raw.get("formula", PROPORTIONAL)
        if formula not in (PROPORTIONAL, LINEAR, PROZORRO):
            raise ScoringError(f"{where}: unknown formula {formula!r} (proportional, linear, prozorro)")
    if ctype == FEATURE and not prozorro:
        raise ScoringError(f"{where}: type 'feature' is only used with the prozorro price formula")
    if prozorro and ctype in (QUANTITY, RATING):
        raise ScoringError(f"{where}: with the prozorro price formula, non-price criteria must be of type 'feature'")
    if prozorro and "weight" in raw:
        raise ScoringError(f"{where}: weights are not used with the prozorro price formula")
    if not prozorro:
        if "weight" not in raw:
            raise ScoringError(f"{where}: 'weight' is required")
        _check_number(raw["weight"], f"{where}: weight")
        weight = exact_value(raw["weight"])
    if ctype == QUANTITY:
        better = raw.get("better")
        if better not in (HIGHER, LOWER):
            raise ScoringError(f"{where}: 'better' must be 'higher' or 'lower', got {better!r}")
    if ctype == RATING:
        if "scale" not in raw:
            raise ScoringError(f"{where}: 'scale' is required")
        _check_number(raw["scale"], f"{where}: scale", positive=True)
        scale = exact_value(raw["scale"])
    if ctype == FEATURE:
        if "max" not in raw:
            raise ScoringError(f"{where}: 'max' is required")
        _check_number(raw["max"], f"{where}: max", positive=True)
        cmax = exact_value(raw["max"])
    return Criterion(id=cid, type=ctype, weight=weight, formula=formula, better=better,
                     scale=scale, max=cmax, label=_text(raw, "label", where),
                     unit=_text(raw, "unit", where))


def _parse_criteria(raw: Any) -> tuple[Criterion, ...]:
    if not isinstance(raw, list) or not raw:
        raise ScoringError("'criteria' must be a non-empty list")
    prozorro = any(isinstance(c, Mapping) and c.get("type") == PRICE and c.get("formula") == PROZORRO
                   for c in raw)
    criteria = tuple(_parse_criterion(c, i, prozorro) for i, c in enumerate(raw))
    seen: set[str] = set()
    for c in criteria:
        if c.id in seen:
            raise ScoringError(f"duplicate criterion id {c.id!r}")
        seen.add(c.id)
    prices = [c.id for c in criteria if c.type == PRICE]
    if len(prices) > 1:
        raise ScoringError(f"only one price criterion is allowed, got {', '.join(map(repr, prices))}")
    if prozorro:
        total_max = sum((c.max for c in criteria if c.type == FEATURE), Fraction(0))
        if total_max > PROZORRO_CAP:
            raise ScoringError(f"the maximum non-price values add up to {float(total_max):g}; "
                               f"the prozorro formula caps them at 0.3 in total")
    else:
        total = sum((c.weight for c in criteria), Fraction(0))
        if total != 100:
            detail = " + ".join(f"{c.id} {_fmt(c.weight)}" for c in criteria)
            raise ScoringError(f"weights must add up to 100, they add up to {_fmt(total)} ({detail})")
    return criteria


def _fmt(q: Fraction) -> str:
    return str(q.numerator) if q.denominator == 1 else f"{float(q):g}"


def _figures(bid: Mapping, key: str, expected: list[str], where: str, other: list[str]) -> dict:
    """The bid's ``values`` or ``ratings`` object, with exactly the ``expected`` keys."""
    figures = bid.get(key)
    if figures is None:
        figures = {}
    if not isinstance(figures, Mapping):
        raise ScoringError(f"{where}: {key!r} must be an object")
    if figures.keys() != set(expected):
        missing = [c for c in expected if c not in figures]
        if missing:
            raise ScoringError(f"{where}: missing {key[:-1]} for criterion {missing[0]!r}")
        extra = sorted(set(figures) - set(expected), key=str)[0]
        if extra in other:
            hint = "values" if key == "ratings" else "ratings"
            raise ScoringError(f"{where}: criterion {extra!r} belongs in {hint!r}, not {key!r}")
        raise ScoringError(f"{where}: unknown criterion {extra!r} in {key!r}")
    return dict(figures)


def _parse_bids(raw: Any, criteria: tuple[Criterion, ...]) -> tuple[Bid, ...]:
    if not isinstance(raw, list):
        raise ScoringError("'bids' must be a list")
    if not raw:
        raise ScoringError("there are no bids to score")
    value_ids = [c.id for c in criteria if c.type in (QUANTITY, FEATURE)]
    rating_ids = [c.id for c in criteria if c.type == RATING]
    value_set, rating_set = set(value_ids), set(rating_ids)
    make, allowed, bids, seen = Bid, _BID_KEYS, [], set()
    append, seen_add = bids.append, seen.add
    for b in raw:
        if type(b) is not dict and not isinstance(b, Mapping):
            raise ScoringError(f"bids[{len(bids)}] must be an object")
        bid_id = b.get("id")
        if type(bid_id) is not str or not bid_id or bid_id.isspace():
            _text(b, "id", f"bids[{len(bids)}]", required=True)
            raise ScoringError(f"bids[{len(bids)}]: 'id' must be a non-empty string, got {bid_id!r}")
        if not b.keys() <= allowed:
            _unknown_keys(b, allowed, f"bid {bid_id!r}")
        if bid_id in seen:
            raise ScoringError(f"duplicate bid id {bid_id!r}")
        seen_add(bid_id)
        if "price" not in b:
            raise ScoringError(f"bid {bid_id!r}: 'price' is required")
        bidder = b.get("bidder", "")
        if type(bidder) is not str:
            raise ScoringError(f"bid {bid_id!r}: 'bidder' must be a string")
        values = b.get("values")
        if type(values) is dict and values.keys() == value_set:
            values = values.copy()
        else:
            values = _figures(b, "values", value_ids, f"bid {bid_id!r}", rating_ids)
        ratings = b.get("ratings")
        if type(ratings) is dict and ratings.keys() == rating_set:
            ratings = ratings.copy()
        else:
            ratings = _figures(b, "ratings", rating_ids, f"bid {bid_id!r}", value_ids)
        append(make(bid_id, b["price"], bidder, values, ratings))
    return tuple(bids)


def _check_column(col: list, bids: tuple[Bid, ...], where_of, *, positive: bool = False,
                  upper: Fraction | None = None) -> None:
    """Validate one column of figures at C speed; on failure find the first bad bid."""
    # A float compares with float(upper) exactly as their shortest decimals would compare.
    limit = MAX_MAGNITUDE if upper is None else min(float(upper), MAX_MAGNITUDE)
    if set(map(type, col)) <= _NUMERIC_TYPES:
        try:
            finite = math.isfinite(math.fsum(col))  # NaN and infinities propagate
        except (OverflowError, ValueError):
            finite = False
        if finite and col:
            lo, hi = min(col), max(col)
            if (lo > 0 or (lo == 0 and not positive)) and hi <= limit and (
                    lo >= MIN_NONZERO or min(filter(None, col), default=1) >= MIN_NONZERO):
                return
    for bid, x in zip(bids, col):
        where = where_of(bid)
        _check_number(x, where, positive=positive)
        if upper is not None and x > float(upper):
            raise ScoringError(f"{where} is above its maximum of {_fmt(upper)}, got {x!r}")


def _parse_tie_break(raw: Any, criteria: tuple[Criterion, ...]) -> tuple[str, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list):
        raise ScoringError("'tie_break' must be a list of criterion ids")
    ids = {c.id for c in criteria}
    for pos, cid in enumerate(raw):
        if cid not in ids:
            raise ScoringError(f"tie_break: unknown criterion id {cid!r}")
        if cid in raw[:pos]:
            raise ScoringError(f"tie_break: criterion {cid!r} is listed twice")
    return tuple(raw)


def _parse_abnormal(data: Mapping) -> AbnormalPriceRule | None:
    if "abnormal_price" not in data:
        return AbnormalPriceRule()
    raw = data["abnormal_price"]
    if raw is None:
        return None
    if not isinstance(raw, Mapping):
        raise ScoringError("'abnormal_price' must be an object or null")
    _unknown_keys(raw, _ABNORMAL_KEYS, "abnormal_price")
    threshold = raw.get("threshold_pct", 15)
    _check_number(threshold, "abnormal_price: threshold_pct", positive=True)
    if threshold >= 100:
        raise ScoringError(f"abnormal_price: threshold_pct must be below 100, got {threshold!r}")
    min_bids = raw.get("min_bids", 4)
    if type(min_bids) is not int or min_bids < 2:
        raise ScoringError(f"abnormal_price: min_bids must be an integer of at least 2, got {min_bids!r}")
    reference = raw.get("reference", "all_bids")
    if reference not in ("all_bids", "other_bids"):
        raise ScoringError(f"abnormal_price: reference must be 'all_bids' or 'other_bids', got {reference!r}")
    return AbnormalPriceRule(exact_value(threshold), min_bids, reference)


def parse_input(data: Mapping[str, Any]) -> ScoringInput:
    """Validate a decoded ``procure-scoring/1`` document and return a :class:`ScoringInput`."""
    with gc_paused():
        return _parse_input(data)


def _parse_input(data: Mapping[str, Any]) -> ScoringInput:
    if not isinstance(data, Mapping):
        raise ScoringError("the scoring input must be a JSON object")
    if data.get("format") != INPUT_FORMAT:
        raise ScoringError(f"unknown format {data.get('format')!r}: expected {INPUT_FORMAT!r}")
    _unknown_keys(data, _TOP_KEYS, "scoring input")
    criteria = _parse_criteria(data.get("criteria"))
    bids = _parse_bids(data.get("bids"), criteria)
    prices = [b.price for b in bids]
    _check_column(prices, bids, lambda b: f"bid {b.id!r}: price", positive=True)
    columns: dict[str, list] = {}
    all_values, all_ratings = [b.values for b in bids], [b.ratings for b in bids]
    for c in criteria:
        if c.type == PRICE:
            columns[c.id] = prices
            continue
        figures = all_ratings if c.type == RATING else all_values
        col = columns[c.id] = [f[c.id] for f in figures]
        kind = "rating" if c.type == RATING else "value"
        _check_column(col, bids, lambda b, c=c, kind=kind: f"bid {b.id!r}: {kind} for {c.id!r}",
                      upper=c.scale if c.type == RATING else c.max)
    result = ScoringInput(criteria=criteria, bids=bids, tender=_parse_tender(data.get("tender")),
                          tie_break=_parse_tie_break(data.get("tie_break"), criteria),
                          abnormal_price=_parse_abnormal(data))
    # prime the cached columns (same content as ScoringInput.columns would compute)
    result.__dict__["columns"] = columns
    result.__dict__["prices"] = prices
    return result
