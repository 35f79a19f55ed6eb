"""Property tests of the scoring engine (hypothesis), against a plain exact re-implementation.

The reference below recomputes every score with ``Fraction`` straight from the published
formulas (docs/scoring-format.md), independently of the engine's float-then-exact strategy.
"""

from __future__ import annotations

import random
from fractions import Fraction

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from procurement.scoring import parse_input, score, score_json

SETTINGS = settings(max_examples=100, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])


# -- reference implementation (exact, naive) ---------------------------------------------
def ex(x) -> Fraction:
    return Fraction(x) if isinstance(x, int) else Fraction(repr(x))


def figure(doc, bid, crit):
    if crit["type"] == "price":
        return bid["price"]
    if crit["type"] == "rating":
        return bid["ratings"][crit["id"]]
    return bid["values"][crit["id"]]


def ref_scores(doc, bids):
    """{bid id: {criterion id: exact normalised score}} for the field ``bids``."""
    out = {b["id"]: {} for b in bids}
    for c in doc["criteria"]:
        vals = {b["id"]: ex(figure(doc, b, c)) for b in bids}
        lo, hi = min(vals.values()), max(vals.values())
        for bid_id, v in vals.items():
            if c["type"] == "price" and c.get("formula", "proportional") == "proportional":
                s = lo / v
            elif c["type"] == "price":
                s = Fraction(1) if hi == lo else (hi - v) / (hi - lo)
            elif c["type"] == "rating":
                s = v / ex(c["scale"])
            elif c["better"] == "higher":
                s = Fraction(0) if hi == 0 else v / hi
            else:
                s = (Fraction(1 if v == 0 else 0)) if lo == 0 else lo / v
            out[bid_id][c["id"]] = s
    return out


def ref_keys(doc, bids, weights=None):
    weights = weights or {c["id"]: ex(c["weight"]) for c in doc["criteria"]}
    scores = ref_scores(doc, bids)
    keys = {}
    for b in bids:
        sc = scores[b["id"]]
        total = sum((weights[c] * s for c, s in sc.items()), Fraction(0))
        keys[b["id"]] = (total, *(weights[c] * sc[c] for c in doc.get("tie_break", [])))
    return keys


def ref_ranks(doc, bids):
    keys = ref_keys(doc, bids)
    return {i: 1 + sum(1 for j in keys if keys[j] > keys[i]) for i in keys}


def weights_at(doc, cid, t):
    w = {c["id"]: ex(c["weight"]) for c in doc["criteria"]}
    wk = w[cid]
    if wk == 100:
        others = [c for c in w if c != cid]
        return {c: (t if c == cid else (100 - t) / len(others)) for c in w}
    return {c: (t if c == cid else w[c] * (100 - t) / (100 - wk)) for c in w}


def weak_order(keys, ids):
    return {(a, b): (keys[a] > keys[b]) - (keys[a] < keys[b]) for a in ids for b in ids if a != b}


# -- generators --------------------------------------------------------------------------
@st.composite
def documents(draw, min_bids=1, max_bids=7):
    n_q = draw(st.integers(0, 2))
    n_r = draw(st.integers(0, 2))
    has_price = draw(st.booleans()) or n_q + n_r == 0
    n_crit = has_price + n_q + n_r
    # weights in tenths that add up to exactly 100 in decimal (e.g. 33.3 + 33.3 + 33.4)
    tenths = 10 if draw(st.booleans()) else 1
    cuts = sorted(draw(st.lists(st.integers(0, 100 * tenths), min_size=n_crit - 1,
                                max_size=n_crit - 1)))
    parts = [b - a for a, b in zip([0] + cuts, cuts + [100 * tenths])]
    weights = [p // tenths if p % tenths == 0 else p / tenths for p in parts]
    criteria = []
    wi = iter(weights)
    if has_price:
        criteria.append({"id": "price", "type": "price", "weight": next(wi),
                         "formula": draw(st.sampled_from(["proportional", "linear"]))})
    for k in range(n_q):
        criteria.append({"id": f"q{k}", "type": "quantity", "weight": next(wi),
                         "better": draw(st.sampled_from(["higher", "lower"]))})
    for k in range(n_r):
        criteria.append({"id": f"r{k}", "type": "rating", "weight": next(wi),
                         "scale": draw(st.sampled_from([5, 10, 2.5]))})
    n = draw(st.integers(min_bids, max_bids))
    price = st.one_of(st.integers(1, 6), st.sampled_from([0.5, 1.1, 2.25, 3.3, 100000.01]))
    qty = st.one_of(st.integers(0, 4), st.sampled_from([0.1, 0.2, 0.3, 1.5]))
    bids = []
    for i in range(n):
        bids.append({
            "id": f"B{i}", "price": draw(price),
            "values": {f"q{k}": draw(qty) for k in range(n_q)},
            "ratings": {c["id"]: draw(st.sampled_from([0, 1, 2, 2.5]))
                        for c in criteria if c["type"] == "rating"},
        })
    tie_break = draw(st.lists(st.sampled_from([c["id"] for c in criteria]), unique=True,
                              max_size=2))
    return {"format": "procure-scoring/1", "criteria": criteria, "bids": bids,
            "tie_break": tie_break}


# -- properties --------------------------------------------------------------------------
@SETTINGS
@given(documents(), st.randoms(use_true_random=False))
def test_result_does_not_depend_on_bid_order(doc, rnd):
    shuffled = dict(doc, bids=list(doc["bids"]))
    rnd.shuffle(shuffled["bids"])
    a, b = score_json(doc), score_json(shuffled)
    for key in ("winner", "bids", "lowest_price", "stability", "abnormal_price"):
        assert a[key] == b[key]
    assert sorted(map(str, a["warnings"])) == sorted(map(str, b["warnings"]))


@SETTINGS
@given(documents())
def test_ranks_and_totals_match_exact_reference(doc):
    result = score(parse_input(doc))
    ranks = ref_ranks(doc, doc["bids"])
    keys = ref_keys(doc, doc["bids"])
    for b in result.bids:
        assert b.rank == ranks[b.id]
        assert b.tie == (list(ranks.values()).count(ranks[b.id]) > 1)
        assert 0 <= b.total <= 100
        assert abs(Fraction(repr(b.total)) - keys[b.id][0]) <= Fraction(1, 200)


@SETTINGS
@given(documents(min_bids=2), st.data())
def test_lowering_a_price_never_lowers_its_price_points(doc, data):
    if doc["criteria"][0]["type"] != "price":
        return
    i = data.draw(st.integers(0, len(doc["bids"]) - 1))
    cheaper = dict(doc, bids=[dict(b) for b in doc["bids"]])
    old = ex(cheaper["bids"][i]["price"])
    cheaper["bids"][i]["price"] = data.draw(st.sampled_from([1, 0.5, 0.25]))
    if ex(cheaper["bids"][i]["price"]) > old:
        return
    bid_id = doc["bids"][i]["id"]
    before = ref_scores(doc, doc["bids"])[bid_id]["price"]
    after = ref_scores(cheaper, cheaper["bids"])[bid_id]["price"]
    assert after >= before
    pts_before = score(parse_input(doc)).bid(bid_id).points["price"]
    pts_after = score(parse_input(cheaper)).bid(bid_id).points["price"]
    assert pts_after >= pts_before


@SETTINGS
@given(documents(min_bids=2))
def test_winner_stays_first_inside_its_stability_intervals(doc):
    result = score(parse_input(doc))
    if result.winner is None:
        assert result.stability == {}
        return
    for cid, iv in result.stability.items():
        assert iv.min <= iv.current <= iv.max
        for t in (iv.min, iv.max, (iv.min + iv.max) / 2):
            keys = ref_keys(doc, doc["bids"], weights_at(doc, cid, t))
            assert all(keys[result.winner][0] >= keys[b][0] for b in keys)


@SETTINGS
@given(documents(min_bids=2))
def test_overtaking_bid_catches_up_at_each_boundary(doc):
    result = score(parse_input(doc))
    for cid, iv in result.stability.items():
        for bound, by, beyond in ((iv.min, iv.overtaken_by_min, Fraction(0)),
                                  (iv.max, iv.overtaken_by_max, Fraction(100))):
            if 0 < bound < 100:
                assert by is not None
            if by is None:
                assert bound in (0, 100)
                continue
            keys = ref_keys(doc, doc["bids"], weights_at(doc, cid, bound))
            assert keys[by][0] >= keys[result.winner][0]
            beyond_keys = ref_keys(doc, doc["bids"], weights_at(doc, cid, beyond))
            assert beyond_keys[by][0] > beyond_keys[result.winner][0]


@SETTINGS
@given(documents(min_bids=3))
def test_rank_reversal_warnings_match_brute_force(doc):
    result = score(parse_input(doc))
    flagged = {w.bid for w in result.warnings if w.code == "rank_reversal"}
    ids = [b["id"] for b in doc["bids"]]
    full = ref_keys(doc, doc["bids"])
    expected = set()
    for r in ids:
        rest = [b for b in doc["bids"] if b["id"] != r]
        others = [i for i in ids if i != r]
        if weak_order(full, others) != weak_order(ref_keys(doc, rest), others):
            expected.add(r)
    assert flagged == expected


def test_large_random_field_matches_reference_on_reversals_and_stability():
    """A bigger field (200 bids) exercises the float screening and the pruning paths."""
    rnd = random.Random(7)
    criteria = [{"id": "price", "type": "price", "weight": 40, "formula": "linear"},
                {"id": "h", "type": "quantity", "weight": 30, "better": "higher"},
                {"id": "d", "type": "quantity", "weight": 10, "better": "lower"},
                {"id": "r", "type": "rating", "weight": 20, "scale": 10}]
    bids = [{"id": f"B{i:03d}", "price": round(rnd.uniform(90, 110), 2),
             "values": {"h": rnd.randint(0, 50), "d": rnd.randint(1, 9)},
             "ratings": {"r": rnd.randint(0, 10)}} for i in range(200)]
    doc = {"format": "procure-scoring/1", "criteria": criteria, "bids": bids}
    result = score(parse_input(doc))
    ranks = ref_ranks(doc, bids)
    assert {b.id: b.rank for b in result.bids} == ranks
    for cid, iv in result.stability.items():
        for bound in (iv.min, iv.max):
            keys = ref_keys(doc, bids, weights_at(doc, cid, bound))
            assert all(keys[result.winner][0] >= keys[b][0] for b in keys)
        if 0 < iv.min:
            keys = ref_keys(doc, bids, weights_at(doc, cid, iv.min))
            assert keys[iv.overtaken_by_min][0] == keys[result.winner][0]
        if iv.max < 100:
            keys = ref_keys(doc, bids, weights_at(doc, cid, iv.max))
            assert keys[iv.overtaken_by_max][0] == keys[result.winner][0]
