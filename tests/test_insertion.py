"""Insertion hours (facilitator method, DOMAIN.md) and labour shares by CPV code."""
from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from procurement.insertion import (
    DEFAULT_LABOUR_SHARES,
    DEFAULT_SHARE_SOURCES,
    InsertionHours,
    insertion_hours,
    suggested_labour_share,
)

CPV_FILE = Path("/work/shared/data/cpv/cpv2008-en.json")


def test_worked_example_from_domain():
    result = insertion_hours(1_000_000, Decimal("0.5"), Decimal("0.05"), 30)
    assert isinstance(result, InsertionHours)
    assert result.hours == 833
    assert result.labour_amount == Decimal("500000")
    assert result.insertion_budget == Decimal("25000")
    assert result.hours <= result.exact_hours < result.hours + 1
    assert result.formula == "1000000 × 0.5 × 0.05 ÷ 30 = 833.33 → 833 h (rounded down)"
    assert json.loads(json.dumps(result.as_dict()))["hours"] == 833


def test_accepts_text_and_floats_without_float_error():
    assert insertion_hours("1000000", "0,5", 0.05, "30").hours == 833
    # 0.1 × 0.7 × 3000 / 7 = 30 exactly; binary floats would give 29.999...
    assert insertion_hours(3000, 0.7, 0.1, 7).hours == 30


def test_rounds_down_never_up():
    assert insertion_hours(1000, 1, 1, 3).hours == 333        # 333.33
    assert insertion_hours(1999, 1, 1, 1000).hours == 1       # 1.999
    assert insertion_hours(10, "0.1", "0.1", 1).hours == 0    # 0.1 h: nothing to ask


def test_upper_bounds_are_inclusive():
    assert insertion_hours(100, 1, 1, 10).hours == 10


@pytest.mark.parametrize("kwargs, field", [
    ({"amount": 0}, "amount"),
    ({"amount": -5}, "amount"),
    ({"amount": "a lot"}, "amount"),
    ({"amount": True}, "amount"),
    ({"labour_share": 0}, "labour_share"),
    ({"labour_share": 50}, "labour_share"),
    ({"labour_share": "1.01"}, "labour_share"),
    ({"rate": 0}, "rate"),
    ({"rate": 5}, "rate"),
    ({"rate": float("nan")}, "rate"),
    ({"hourly_cost": 0}, "hourly_cost"),
    ({"hourly_cost": -30}, "hourly_cost"),
])
def test_invalid_inputs_name_the_field(kwargs, field):
    args = {"amount": 1_000_000, "labour_share": "0.5", "rate": "0.05", "hourly_cost": 30}
    with pytest.raises(ValueError) as info:
        insertion_hours(**{**args, **kwargs})
    assert str(info.value).startswith(field + " ")


@given(amount=st.decimals(min_value=1, max_value=10**8, places=2),
       share=st.decimals(min_value="0.01", max_value=1, places=2),
       rate=st.decimals(min_value="0.01", max_value=1, places=2),
       cost=st.decimals(min_value=1, max_value=200, places=2))
def test_hours_never_exceed_the_budget(amount, share, rate, cost):
    result = insertion_hours(amount, share, rate, cost)
    assert result.hours * cost <= amount * share * rate
    assert (result.hours + 1) * cost > amount * share * rate
    assert insertion_hours(amount * 2, share, rate, cost).hours >= result.hours


def test_suggested_labour_share_from_default_table():
    assert suggested_labour_share("45442110-1") == Decimal("0.70")   # painting of buildings
    assert suggested_labour_share("45262522-6") == Decimal("0.50")   # masonry work
    assert suggested_labour_share("45262400-5") == Decimal("0.20")   # structural steel erection
    assert suggested_labour_share("30200000-1") is None              # computer equipment


def test_longest_prefix_wins_and_config_values_become_decimals():
    table = {"45": 0.4, "4544": "0.6"}
    assert suggested_labour_share("45442100", table) == Decimal("0.6")
    assert suggested_labour_share("45100000-8", table) == Decimal("0.4")
    assert suggested_labour_share("90910000", table) is None


@pytest.mark.parametrize("code", ["4544210", "45442100-", "ABCDEFGH", "", 45442100])
def test_malformed_cpv_code(code):
    with pytest.raises(ValueError, match="cpv_code"):
        suggested_labour_share(code)


def test_bad_share_in_table_is_reported():
    with pytest.raises(ValueError, match="prefix 4544"):
        suggested_labour_share("45442100", {"4544": 70})


def test_default_prefixes_are_real_cpv_codes_and_sourced():
    assert set(DEFAULT_SHARE_SOURCES) == set(DEFAULT_LABOUR_SHARES)
    assert {p for p, s in DEFAULT_SHARE_SOURCES.items() if s == "DOMAIN.md"} >= {"454421", "452625"}
    if not CPV_FILE.exists():
        pytest.skip("shared CPV list not available")
    codes = {key.split("-")[0] for key in json.loads(CPV_FILE.read_text(encoding="utf-8"))}
    for prefix in DEFAULT_LABOUR_SHARES:
        assert prefix.ljust(8, "0") in codes, prefix
