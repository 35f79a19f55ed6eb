"""Unit tests of the scoring engine, with hand-computed figures."""

from __future__ import annotations

import copy
import hashlib
import json
from fractions import Fraction

import pytest

from procurement.scoring import (
    ENGINE_VERSION, ScoringError, canonical_hash, parse_input, score, score_json,
    stability_statements,
)
from procurement.scoring_numeric import round_fraction


def doc(criteria, bids, **extra):
    out = {"format": "procure-scoring/1", "criteria": criteria, "bids": bids}
    out.update(extra)
    return out


def bid(bid_id, price, values=None, ratings=None, bidder=""):
    return {"id": bid_id, "bidder": bidder, "price": price, "values": values or {},
            "ratings": ratings or {}}


def points(result, cid):
    return {b["id"]: b["points"][cid] for b in result["bids"]}


def totals(result):
    return {b["id"]: b["total"] for b in result["bids"]}


PRICE_ONLY = [{"id": "price", "type": "price", "weight": 100, "formula": "proportional"}]

SPEC_EXAMPLE = doc(
    [{"id": "price", "type": "price", "weight": 40, "formula": "proportional"},
     {"id": "hours", "type": "quantity", "weight": 35, "better": "higher"},
     {"id": "plan", "type": "rating", "weight": 25, "scale": 10}],
    [bid("B1", 100000, {"hours": 800}, {"plan": 7}, "Atelier Nord"),
     bid("B2", 112500, {"hours": 1100}, {"plan": 8}, "Coopérative Sud"),
     bid("B3", 95000, {"hours": 500}, {"plan": 6}, "Bâti Services"),
     bid("B4", 70000, {"hours": 300}, {"plan": 4}, "Low Cost SA")],
    tender={"reference": "2026-017", "lot": "1", "currency": "EUR"},
    tie_break=["plan", "price"], abnormal_price={"threshold_pct": 15, "min_bids": 4})


# -- formulas -------------------------------------------------------------------------
def test_proportional_price():
    r = score_json(doc(PRICE_ONLY, [bid("A", 100), bid("B", 125), bid("C", 200)]))
    assert points(r, "price") == {"A": 100.0, "B": 80.0, "C": 50.0}  # 100/125, 100/200


def test_linear_price():
    crit = [{"id": "price", "type": "price", "weight": 100, "formula": "linear"}]
    r = score_json(doc(crit, [bid("A", 100), bid("B", 150), bid("C", 200)]))
    assert points(r, "price") == {"A": 100.0, "B": 50.0, "C": 0.0}  # (200-150)/(200-100)
    same = score_json(doc(crit, [bid("A", 90), bid("B", 90)]))
    assert points(same, "price") == {"A": 100.0, "B": 100.0}


def test_quantity_higher_is_better():
    crit = [{"id": "h", "type": "quantity", "weight": 100, "better": "higher"}]
    r = score_json(doc(crit, [bid("A", 1, {"h": 800}), bid("B", 1, {"h": 200}),
                              bid("C", 1, {"h": 0})]))
    assert points(r, "h") == {"A": 100.0, "B": 25.0, "C": 0.0}
    zeros = score_json(doc(crit, [bid("A", 1, {"h": 0}), bid("B", 1, {"h": 0})]))
    assert points(zeros, "h") == {"A": 0.0, "B": 0.0}


def test_quantity_lower_is_better_and_zero():
    crit = [{"id": "d", "type": "quantity", "weight": 100, "better": "lower"}]
    r = score_json(doc(crit, [bid("A", 1, {"d": 2}), bid("B", 1, {"d": 4}),
                              bid("C", 1, {"d": 8})]))
    assert points(r, "d") == {"A": 100.0, "B": 50.0, "C": 25.0}  # 2/4, 2/8
    z = score_json(doc(crit, [bid("A", 1, {"d": 0}), bid("B", 1, {"d": 3})]))
    assert points(z, "d") == {"A": 100.0, "B": 0.0}
    assert [w["code"] for w in z["warnings"]] == ["zero_lowest_value"]
    assert z["warnings"][0]["bid"] == "A"


def test_rating_and_weighted_total_of_the_spec_example():
    r = score_json(SPEC_EXAMPLE)
    # B2: price 40 x 100000/112500 = 35.56; hours 35 x 1100/1100 = 35; plan 25 x 0.8 = 20
    b2 = r["bids"][0]
    assert (b2["id"], b2["rank"], b2["points"], b2["total"]) == (
        "B2", 1, {"price": 24.89, "hours": 35.0, "plan": 20.0}, 79.89)
    # price: lowest is B4 at 70000 -> 40 x 70000/112500 = 24.888...
    assert b2["scores"] == {"price": 0.6222, "hours": 1.0, "plan": 0.8}
    assert totals(r) == {"B2": 79.89, "B1": 70.95, "B3": 60.38, "B4": 59.55}
    assert r["winner"] == "B2"
    assert r["format"] == "procure-scoring-result/1"
    assert r["engine"]["version"] == ENGINE_VERSION
    assert r["input_sha256"] == canonical_hash(SPEC_EXAMPLE)


def test_output_rounds_half_away_from_zero_from_the_exact_value():
    # 2.01 x 0.5 = 1.005 exactly, while the float product is 1.00499999...
    crit = [{"id": "r", "type": "rating", "weight": 2.01, "scale": 10},
            {"id": "price", "type": "price", "weight": 97.99}]
    r = score_json(doc(crit, [bid("A", 10, ratings={"r": 5})]))
    assert r["bids"][0]["points"]["r"] == 1.01
    assert round_fraction(Fraction(1, 8), 2) == 0.13
    assert round_fraction(Fraction(-1, 8), 2) == -0.13


def test_decimal_weights_add_up_exactly():
    crit = [{"id": "a", "type": "rating", "weight": 33.3, "scale": 1},
            {"id": "b", "type": "rating", "weight": 33.3, "scale": 1},
            {"id": "c", "type": "rating", "weight": 33.4, "scale": 1}]
    r = score_json(doc(crit, [bid("A", 1, ratings={"a": 1, "b": 1, "c": 1})]))
    assert r["bids"][0]["total"] == 100.0


# -- ranking and ties -----------------------------------------------------------------
TIE_CRITERIA = [{"id": "price", "type": "price", "weight": 50},
                {"id": "plan", "type": "rating", "weight": 50, "scale": 10}]
TIE_BIDS = [bid("A", 100, ratings={"plan": 8}),   # 50 + 40 = 90
            bid("B", 125, ratings={"plan": 10}),  # 40 + 50 = 90
            bid("C", 200, ratings={"plan": 6})]   # 25 + 30 = 55


def test_equal_totals_are_broken_by_the_tie_break_list_in_order():
    r = score_json(doc(TIE_CRITERIA, TIE_BIDS, tie_break=["plan", "price"]))
    assert [(b["id"], b["rank"], b["tie"]) for b in r["bids"]] == [
        ("B", 1, False), ("A", 2, False), ("C", 3, False)]
    r = score_json(doc(TIE_CRITERIA, TIE_BIDS, tie_break=["price"]))
    assert [b["id"] for b in r["bids"]] == ["A", "B", "C"] and r["winner"] == "A"


def test_still_equal_means_same_rank_and_no_winner():
    r = score_json(doc(TIE_CRITERIA, TIE_BIDS))
    assert [(b["id"], b["rank"], b["tie"]) for b in r["bids"]] == [
        ("A", 1, True), ("B", 1, True), ("C", 3, False)]
    assert r["winner"] is None and r["stability"] == {}
    assert r["warnings"][0]["code"] == "tie_for_first"
    assert r["lowest_price"]["bid"] == "A" and r["lowest_price"]["extra_cost"] is None
    same = doc(TIE_CRITERIA, [bid("X", 100, ratings={"plan": 5}),
                              bid("Y", 100, ratings={"plan": 5}), bid("Z", 300, ratings={"plan": 1})],
               tie_break=["plan", "price"])
    r = score_json(same)
    assert [(b["id"], b["rank"], b["tie"]) for b in r["bids"]] == [
        ("X", 1, True), ("Y", 1, True), ("Z", 3, False)]


# -- abnormally low prices ------------------------------------------------------------
def flagged(prices, **rule):
    bids = [bid(f"B{i}", p) for i, p in enumerate(prices)]
    r = score_json(doc(PRICE_ONLY, bids, abnormal_price=rule or {"threshold_pct": 15,
                                                                 "min_bids": 4}))
    return r


def test_price_exactly_15_percent_below_the_mean_is_flagged():
    r = flagged([85, 100, 100, 115])  # mean 100
    assert r["abnormal_price"]["flagged"] == ["B0"]
    assert r["bids"][0]["abnormal_price"] == {"mean": 100.0, "deviation_pct": 15.0}
    assert r["bids"][0]["abnormally_low"] is True
    warning = [w for w in r["warnings"] if w["code"] == "abnormally_low_price"][0]
    assert warning["bid"] == "B0" and "not a rejection" in warning["message"]
    assert flagged([85.01, 100, 100, 114.99])["abnormal_price"]["flagged"] == []
    # decimal prices: 1.7 is exactly 15 % below the mean 2.0
    assert flagged([1.7, 2.1, 2.1, 2.1])["abnormal_price"]["flagged"] == ["B0"]


def test_abnormal_check_needs_min_bids_and_can_use_the_other_bids_mean():
    r = flagged([50, 100, 100])
    assert r["abnormal_price"]["applied"] is False and r["abnormal_price"]["flagged"] == []
    r = flagged([85, 100, 100, 100], threshold_pct=15, min_bids=4, reference="other_bids")
    assert r["abnormal_price"]["flagged"] == ["B0"]
    assert r["bids"][0]["abnormal_price"] == {"mean": 100.0, "deviation_pct": 15.0}
    r = flagged([86, 100, 100, 100], reference="other_bids")
    assert r["abnormal_price"]["flagged"] == []
    r = score_json(doc(PRICE_ONLY, [bid("A", 1), bid("B", 9), bid("C", 9), bid("D", 9)],
                       abnormal_price=None))
    assert r["abnormal_price"] is None and not r["bids"][0]["abnormally_low"]


# -- lowest-price counterfactual ------------------------------------------------------
def test_lowest_price_counterfactual_cost_per_extra_hour():
    crit = [{"id": "price", "type": "price", "weight": 40},
            {"id": "hours", "type": "quantity", "weight": 60, "better": "higher", "unit": "h"}]
    # X: 40 + 60 x 500/800 = 77.5; Y: 40 x 100000/112500 + 60 = 95.56
    r = score_json(doc(crit, [bid("X", 100000, {"hours": 500}), bid("Y", 112500, {"hours": 800})]))
    assert r["winner"] == "Y"
    assert r["lowest_price"] == {
        "bid": "X", "price": 100000.0, "winner": "Y", "winner_price": 112500.0,
        "extra_cost": 12500.0, "extra_cost_pct": 12.5, "gains": {"hours": 300.0},
        "per_unit": {"hours": 41.67}}  # 12500 / 300 = 41.666...


def test_counterfactual_when_the_winner_is_the_cheapest():
    r = score_json(doc(PRICE_ONLY, [bid("A", 10), bid("B", 20)]))
    assert r["lowest_price"]["bid"] == "A" and r["lowest_price"]["extra_cost"] == 0.0


# -- stability ------------------------------------------------------------------------
STAB = doc([{"id": "price", "type": "price", "weight": 40},
            {"id": "quality", "type": "rating", "weight": 60, "scale": 10}],
           [bid("A", 100, ratings={"quality": 6}),   # 40 x 0.8 + 60 x 0.6 = 68
            bid("B", 80, ratings={"quality": 4}),    # 40 + 24 = 64
            bid("C", 125, ratings={"quality": 9})])  # 40 x 0.64 + 54 = 79.6


def test_stability_by_hand_on_three_bids():
    # price weight t: C = 90 - 0.26 t, A = 60 + 0.2 t, B = 40 + 0.6 t
    # C >= A until t = 30 / 0.46 = 1500/23; C >= B until t = 50 / 0.86 = 2500/43 (binding)
    result = score(parse_input(STAB))
    assert result.winner == "C"
    price = result.stability["price"]
    assert (price.min, price.max) == (0, Fraction(2500, 43))
    assert (price.overtaken_by_min, price.overtaken_by_max) == (None, "B")
    quality = result.stability["quality"]
    assert (quality.min, quality.max) == (Fraction(1800, 43), 100)
    assert (quality.overtaken_by_min, quality.overtaken_by_max) == ("B", None)
    out = score_json(STAB)["stability"]["price"]
    assert out["min"] == 0.0 and out["max"] == 58.14 and out["max_exact"] == "2500/43"
    assert out["overtaken_by"] == {"min": None, "max": "B"}


def test_stability_sentences():
    result = score(parse_input(STAB))
    by_crit = {s.criterion: s for s in stability_statements(result)}
    assert by_crit["price"].sentence == (
        "C stays first as long as the price weight stays at or below 58.14 % "
        "(currently 40 %); above that, B overtakes it.")
    assert by_crit["price"].case == "upper_bound" and by_crit["price"].max_pct == 58.14
    assert by_crit["quality"].sentence.startswith(
        "C stays first as long as the quality weight stays at or above 41.86 %")
    spec = {s.criterion: s for s in stability_statements(score(parse_input(SPEC_EXAMPLE)))}
    assert spec["plan"].case == "full_range"
    assert "whatever the weight of plan" in spec["plan"].sentence


def test_stability_with_a_criterion_at_100_shares_the_rest_equally():
    d = doc([{"id": "price", "type": "price", "weight": 100},
             {"id": "q", "type": "rating", "weight": 0, "scale": 10}],
            [bid("A", 100, ratings={"q": 0}), bid("B", 200, ratings={"q": 10})])
    # price weight t, q weight 100 - t: A = t, B = 0.5 t + (100 - t) -> equal at t = 200/3
    iv = score(parse_input(d)).stability["price"]
    assert (iv.min, iv.max, iv.overtaken_by_min) == (Fraction(200, 3), 100, "B")
    iv_q = score(parse_input(d)).stability["q"]
    assert (iv_q.min, iv_q.max, iv_q.overtaken_by_max) == (0, Fraction(100, 3), "B")


# -- rank reversal (DOMAIN.md examples) -----------------------------------------------
def test_rank_reversal_published_proportional_example():
    d = doc([{"id": "price", "type": "price", "weight": 50},
             {"id": "quality", "type": "quantity", "weight": 50, "better": "higher"}],
            [bid("A", 50, {"quality": 50}), bid("B", 75, {"quality": 75}),
             bid("C", 100, {"quality": 100})])
    r = score_json(d)
    assert totals(r) == {"A": 75.0, "C": 75.0, "B": 70.83}
    reversals = {w["bid"]: w for w in r["warnings"] if w["code"] == "rank_reversal"}
    assert set(reversals) == {"A", "C"}  # without C, A and B tie (83.33 each)
    assert reversals["C"]["details"]["after"] == "tied"
    assert "Removing bid C" in reversals["C"]["message"]


def test_rank_reversal_constructed_linear_example():
    crit = [{"id": "price", "type": "price", "weight": 50, "formula": "linear"},
            {"id": "quality", "type": "rating", "weight": 50, "scale": 50}]
    two = score_json(doc(crit, [bid("A", 100000, ratings={"quality": 30}),
                                bid("B", 110000, ratings={"quality": 45})]))
    assert totals(two) == {"A": 80.0, "B": 45.0}
    three = score_json(doc(crit, [bid("A", 100000, ratings={"quality": 30}),
                                  bid("B", 110000, ratings={"quality": 45}),
                                  bid("C", 150000, ratings={"quality": 20})]))
    assert totals(three) == {"B": 85.0, "A": 80.0, "C": 20.0}
    warnings = [w for w in three["warnings"] if w["code"] == "rank_reversal"]
    assert [w["bid"] for w in warnings] == ["C"]
    assert warnings[0]["details"] == {"criteria": ["price"], "first": "B", "second": "A",
                                      "before": "ahead", "after": "behind"}


def test_no_rank_reversal_with_fixed_scales():
    crit = [{"id": "q", "type": "rating", "weight": 100, "scale": 10}]
    r = score_json(doc(crit, [bid(f"B{i}", 1, ratings={"q": i}) for i in range(5)]))
    assert not [w for w in r["warnings"] if w["code"] == "rank_reversal"]


# -- prozorro mode --------------------------------------------------------------------
def test_prozorro_compared_price():
    d = doc([{"id": "price", "type": "price", "formula": "prozorro"},
             {"id": "insertion", "type": "feature", "max": 0.15},
             {"id": "label", "type": "feature", "max": 0.1}],
            [bid("P1", 100000, {"insertion": 0.15, "label": 0}),     # coef 1.2
             bid("P2", 90000, {"insertion": 0, "label": 0.05}),      # coef 16/15
             bid("P3", 95000, {"insertion": 0.1, "label": 0.1})])    # coef 19/15
    r = score_json(d)
    assert r["method"] == "prozorro" and r["winner"] == "P3"
    got = [(b["id"], b["compared_value"], b["coefficient"], b["total"]) for b in r["bids"]]
    assert got == [("P3", 75000.0, 1.266667, None), ("P1", 83333.33, 1.2, None),
                   ("P2", 84375.0, 1.066667, None)]
    assert r["stability"] == {} and r["lowest_price"]["bid"] == "P2"
    assert r["lowest_price"]["gains"] == {"insertion": 0.1, "label": 0.05}


def test_prozorro_validation():
    base = [{"id": "price", "type": "price", "formula": "prozorro"},
            {"id": "f", "type": "feature", "max": 0.2}, {"id": "g", "type": "feature", "max": 0.2}]
    with pytest.raises(ScoringError, match="caps them at 0.3"):
        parse_input(doc(base, [bid("A", 1, {"f": 0, "g": 0})]))
    with pytest.raises(ScoringError, match="above its maximum of 0.2"):
        parse_input(doc(base[:2], [bid("A", 1, {"f": 0.25})]))
    with pytest.raises(ScoringError, match="weights are not used"):
        parse_input(doc([dict(base[0], weight=100)], [bid("A", 1)]))
    with pytest.raises(ScoringError, match="only used with the prozorro"):
        parse_input(doc([dict(PRICE_ONLY[0]), {"id": "f", "type": "feature", "max": 0.1}],
                        [bid("A", 1, {"f": 0})]))


# -- errors ---------------------------------------------------------------------------
def spec_with(mutate):
    d = copy.deepcopy(SPEC_EXAMPLE)
    mutate(d)
    return d


@pytest.mark.parametrize("mutate, message", [
    (lambda d: d["bids"][1].update(price=0), r"bid 'B2': price must be greater than 0"),
    (lambda d: d["bids"][1].update(price=-5), r"bid 'B2': price must be greater than 0"),
    (lambda d: d["criteria"][2].update(weight=20),
     r"weights must add up to 100, they add up to 95 \(price 40 \+ hours 35 \+ plan 20\)"),
    (lambda d: d["bids"][2]["ratings"].update(plan=11),
     r"bid 'B3': rating for 'plan' is above its maximum of 10"),
    (lambda d: d["bids"][2]["ratings"].update(plan=-1),
     r"bid 'B3': rating for 'plan' must not be negative"),
    (lambda d: d["bids"][0]["values"].pop("hours"), r"bid 'B1': missing value for criterion 'hours'"),
    (lambda d: d["bids"][0]["values"].update(floors=3), r"bid 'B1': unknown criterion 'floors'"),
    (lambda d: d["bids"][0]["values"].update(plan=3), r"criterion 'plan' belongs in 'ratings'"),
    (lambda d: d["bids"][3].update(id="B1"), r"duplicate bid id 'B1'"),
    (lambda d: d["criteria"][1].update(id="price"), r"duplicate criterion id 'price'"),
    (lambda d: d.update(bids=[]), r"there are no bids to score"),
    (lambda d: d.update(format="procure-scoring/2"), r"unknown format 'procure-scoring/2'"),
    (lambda d: d["criteria"][0].update(formula="log"), r"criterion 'price': unknown formula 'log'"),
    (lambda d: d.update(tie_break=["plan", "nope"]), r"tie_break: unknown criterion id 'nope'"),
    (lambda d: d["bids"][0]["values"].update(hours="800"), r"bid 'B1': value for 'hours' must be a number"),
    (lambda d: d["bids"][0]["values"].update(hours=float("nan")), r"must be a number"),
    (lambda d: d["bids"][0].update(price=True), r"bid 'B1': price must be a number"),
    (lambda d: d["criteria"][1].pop("better"), r"criterion 'hours': 'better' must be"),
    (lambda d: d["criteria"][2].update(scale=0), r"criterion 'plan': scale must be greater than 0"),
    (lambda d: d["criteria"][0].update(wieght=1), r"criterion 'price': unknown key 'wieght'"),
    (lambda d: d["bids"][0].update(price=10**16), r"out of range"),
])
def test_invalid_input_raises_scoring_error_naming_the_culprit(mutate, message):
    with pytest.raises(ScoringError, match=message):
        parse_input(spec_with(mutate))


def test_scoring_error_is_a_value_error():
    assert issubclass(ScoringError, ValueError)
    with pytest.raises(ValueError):
        score_json({"format": "nope"})


def test_canonical_hash_ignores_key_order_and_spacing():
    a = {"b": [1, 2], "a": "é"}
    expected = hashlib.sha256('{"a":"é","b":[1,2]}'.encode()).hexdigest()
    assert canonical_hash(a) == expected == canonical_hash(json.loads(json.dumps(a, indent=3)))
    with pytest.raises(ScoringError):
        canonical_hash({"x": float("nan")})


def test_parse_input_returns_validated_dataclasses():
    inp = parse_input(SPEC_EXAMPLE)
    assert [c.id for c in inp.criteria] == ["price", "hours", "plan"]
    assert inp.criteria[0].weight == 40 and inp.criteria[2].scale == 10
    assert inp.bids[0].values == {"hours": 800} and inp.tie_break == ("plan", "price")
    assert inp.method == "points" and inp.tender.reference == "2026-017"
    assert inp.abnormal_price.threshold_pct == 15
