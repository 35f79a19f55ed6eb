"""Penalties for undelivered social-clause hours (Brussels model, DOMAIN.md)."""
from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from clauses.library import load_library, validate_parameters
from procurement.penalties import (
    CASES,
    penalty_from_clause,
    progress,
    social_clause_penalty,
)

NBSP = "\u00a0"
AMOUNT = 1_000_000


def test_nothing_delivered_is_total_non_execution():
    result = social_clause_penalty(AMOUNT, 1000, 0)
    assert result.case == "total_non_execution"
    assert result.amount == Decimal("25000.00")
    assert result.shortfall == 1000
    assert "2.5%" in result.explanation and "25,000.00 EUR" in result.explanation


def test_exactly_one_tenth_short_is_tolerated():
    result = social_clause_penalty(AMOUNT, 1000, 900)
    assert (result.case, result.amount, result.shortfall) == ("within_tolerance", 0, 100)
    assert result.tolerance_hours == 100


def test_one_hour_more_than_a_tenth_short_counts_the_whole_shortfall():
    result = social_clause_penalty(AMOUNT, 1000, 899)
    assert result.case == "partial"
    assert result.amount == Decimal("1515.00")          # 1.5 % × 1,000,000 × 101 ÷ 1000
    assert "101 ÷ 1,000 = 1,515.00 EUR" in result.explanation
    assert f"1{NBSP}515,00 EUR" in result.explain("fr")
    assert "1.515,00 EUR" in result.explain("nl")


def test_half_delivered():
    assert social_clause_penalty(AMOUNT, 1000, 500).amount == Decimal("7500.00")


@pytest.mark.parametrize("delivered", [1000, 1000.5, 1200])
def test_commitment_met_or_exceeded(delivered):
    result = social_clause_penalty(AMOUNT, 1000, delivered)
    assert (result.case, result.amount, result.shortfall) == ("fully_delivered", 0, 0)


def test_custom_rates_and_zero_tolerance():
    assert social_clause_penalty(AMOUNT, 1000, 0, total_rate=5).amount == Decimal("50000.00")
    result = social_clause_penalty(AMOUNT, 1000, 999, tolerance=0)
    assert result.case == "partial" and result.amount == Decimal("15.00")


def test_rounding_to_cents_is_half_up():
    assert social_clause_penalty("0.20", 10, 0).amount == Decimal("0.01")   # 0.005 → 0.01
    assert social_clause_penalty("333333.33", 7, 3).amount == Decimal("2857.14")


def test_committed_zero_is_rejected():
    with pytest.raises(ValueError, match="^committed_hours"):
        social_clause_penalty(AMOUNT, 0, 0)


@pytest.mark.parametrize("kwargs, field", [
    ({"initial_amount": -1}, "initial_amount"),
    ({"committed_hours": -10}, "committed_hours"),
    ({"delivered_hours": -1}, "delivered_hours"),
    ({"total_rate": -1}, "total_rate"),
    ({"partial_rate": 101}, "partial_rate"),
    ({"tolerance": 1}, "tolerance"),
    ({"tolerance": "-0.1"}, "tolerance"),
    ({"delivered_hours": "lots"}, "delivered_hours"),
])
def test_invalid_inputs_name_the_field(kwargs, field):
    args = {"initial_amount": AMOUNT, "committed_hours": 1000, "delivered_hours": 500}
    with pytest.raises(ValueError) as info:
        social_clause_penalty(**{**args, **kwargs})
    assert str(info.value).startswith(field + " ")


def test_clause_parameters_give_the_same_result():
    clause = load_library().get("social-clause-penalties")
    values = validate_parameters(clause, {})
    assert values["tolerance"] == 10                     # percent in the clause
    from_clause = penalty_from_clause(AMOUNT, 1000, 899, values)
    assert from_clause == social_clause_penalty(AMOUNT, 1000, 899)
    stricter = penalty_from_clause(AMOUNT, 1000, 950, validate_parameters(clause, {"tolerance": 0}))
    assert stricter.case == "partial"


def test_as_dict_is_json_friendly():
    data = social_clause_penalty(AMOUNT, 1000, 899).as_dict()
    assert data["amount"] == "1515.00" and data["case"] == "partial"


@given(committed=st.integers(min_value=1, max_value=100_000),
       d1=st.integers(min_value=0, max_value=120_000),
       d2=st.integers(min_value=0, max_value=120_000),
       amount=st.decimals(min_value=0, max_value=10**8, places=2))
def test_more_hours_never_cost_more(committed, d1, d2, amount):
    low, high = sorted((d1, d2))
    worse, better = (social_clause_penalty(amount, committed, d) for d in (low, high))
    assert worse.amount >= better.amount
    assert worse.case in CASES and better.case in CASES
    assert worse.amount <= (amount * Decimal("0.025")).quantize(Decimal("0.01")) + Decimal("0.01")


def test_progress():
    half = progress(1000, 250)
    assert (half.fraction, half.percent, half.remaining) == (Decimal("0.25"), Decimal("25.0"), 750)
    over = progress(1000, 1200)
    assert (over.percent, over.capped_percent, over.remaining) == (Decimal("120.0"), 100, 0)
    assert progress(3, 1).percent == Decimal("33.3")


@pytest.mark.parametrize("committed, delivered, field", [(0, 5, "committed"),
                                                          (10, -1, "delivered")])
def test_progress_rejects_bad_input(committed, delivered, field):
    with pytest.raises(ValueError, match=f"^{field}"):
        progress(committed, delivered)
