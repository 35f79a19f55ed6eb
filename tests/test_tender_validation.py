"""Validation of tender drafts: every bad input gets an error on its own field (pure)."""
from datetime import datetime, timedelta, timezone
from decimal import Decimal

import pytest

from clauses.library import default_library
from procurement.criteria_validation import validate_clauses, validate_criteria
from procurement.tender_validation import validate_lots, validate_publication, validate_tender

KNOWN = {"77310000", "90910000", "45442100"}
T0 = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc)


def cpv_exists(code):
    return code in KNOWN


def good(**changes):
    data = {
        "reference": "2026-001", "title_fr": "Entretien", "title_nl": "", "title_en": "",
        "nature": "services", "cpv_main": "77310000", "cpv_additional": "90910000-3",
        "nuts3": "BE352", "estimated_value": "480000", "duration_months": "36",
        "publication_date": T0, "question_deadline": T0 + timedelta(days=10),
        "bid_deadline": T0 + timedelta(days=30), "opening_at": T0 + timedelta(days=30),
        "insertion": {"labour_share": "0.6", "rate": "0.05", "hourly_cost": "30"},
    }
    data.update(changes)
    return data


def codes(errors, field):
    return [e.code for e in errors.get(field, [])]


def test_a_good_draft_has_no_error():
    assert validate_tender(good(), cpv_exists=cpv_exists, require_reference=True) == {}


@pytest.mark.parametrize("changes, field, code", [
    ({"title_fr": " "}, "title_fr", "title_required"),
    ({"title_nl": "x" * 301}, "title_nl", "too_long"),
    ({"estimated_value": "0"}, "estimated_value", "not_positive"),
    ({"estimated_value": "-5"}, "estimated_value", "not_positive"),
    ({"estimated_value": "beaucoup"}, "estimated_value", "not_a_number"),
    ({"estimated_value": ""}, "estimated_value", "required"),
    ({"cpv_main": "99999999"}, "cpv_main", "cpv_unknown"),
    ({"cpv_main": "7731"}, "cpv_main", "cpv_format"),
    ({"cpv_additional": "77310000, 12345678"}, "cpv_additional", "cpv_unknown"),
    ({"nuts3": "FR101"}, "nuts3", "nuts3_format"),
    ({"nature": "gifts"}, "nature", "choice"),
    ({"nature": "works", "social_services": True}, "social_services", "social_services_nature"),
    ({"duration_months": "2.5"}, "duration_months", "duration"),
    ({"bid_deadline": T0 - timedelta(hours=1)}, "bid_deadline", "bid_deadline_before_publication"),
    ({"bid_deadline": T0}, "bid_deadline", "bid_deadline_before_publication"),
    ({"opening_at": T0 + timedelta(days=30, minutes=-1)}, "opening_at", "opening_before_deadline"),
    ({"question_deadline": T0 + timedelta(days=31)}, "question_deadline", "questions_after_bids"),
    ({"opening_at": datetime(2026, 4, 1, 11, 0)}, "opening_at", "not_a_datetime"),  # naive
    ({"reference": "a b<c>"}, "reference", "reference_format"),
    ({"reference": "new"}, "reference", "reference_format"),
    ({"insertion": {"labour_share": "1.5", "rate": "0.05", "hourly_cost": "30"}},
     "insertion-labour_share", "insertion_labour_share"),
    ({"insertion": {"labour_share": "0.5", "rate": "", "hourly_cost": "30"}},
     "insertion-rate", "required"),
    ({"insertion": {"labour_share": "0.5", "rate": "0.05", "hourly_cost": "0"}},
     "insertion-hourly_cost", "insertion_hourly_cost"),
])
def test_each_bad_field_gets_its_own_error(changes, field, code):
    errors = validate_tender(good(**changes), cpv_exists=cpv_exists, require_reference=True)
    assert code in codes(errors, field), errors
    assert all(e.message for problems in errors.values() for e in problems)


def test_opening_at_the_bid_deadline_is_allowed():
    assert validate_tender(good(opening_at=T0 + timedelta(days=30)), cpv_exists=cpv_exists) == {}


def test_lots_errors_name_the_row():
    errors = validate_lots([
        {"number": "1", "title_fr": "Espaces verts", "cpv_codes": "77310000", "estimated_value": "1"},
        {"number": "1", "title_fr": "", "cpv_codes": "00000000", "estimated_value": "0",
         "reservation": "art99"},
    ], cpv_exists=cpv_exists)
    assert codes(errors, "lots-1-number") == ["lot_number_duplicate"]
    assert codes(errors, "lots-1-title_fr") == ["title_required"]
    assert codes(errors, "lots-1-cpv_codes") == ["cpv_unknown"]
    assert codes(errors, "lots-1-estimated_value") == ["not_positive"]
    assert codes(errors, "lots-1-reservation") == ["choice"]
    assert not any(name.startswith("lots-0-") for name in errors)
    assert codes(validate_lots([], cpv_exists=cpv_exists), "lots") == ["no_lots"]


def criterion(code, kind, weight, **extra):
    return {"code": code, "kind": kind, "weight": weight, "label_fr": code, **extra}


def check_criteria(rows, mode="weighted", justification="", above_eu=False):
    return validate_criteria(mode, justification, rows, above_eu=above_eu, social_claimed=True)


def test_criteria_weights_must_sum_to_100():
    errors, _ = check_criteria([criterion("price", "price", "60", formula="proportional"),
                                criterion("hours", "quantity", "30", better="higher")])
    assert codes(errors, "weights") == ["weights_sum"]


def test_criteria_row_errors():
    errors, warnings = check_criteria([
        criterion("price", "price", "50", formula="cheapest"),
        criterion("Plan!", "rating", "50", scale="0"),
        criterion("hours", "quantity", "0", better="more"),
    ])
    assert codes(errors, "criteria-0-formula") == ["choice"]
    assert codes(errors, "criteria-1-code") == ["criterion_code"]
    assert codes(errors, "criteria-1-scale") == ["scale_range"]
    assert codes(errors, "criteria-1-scoring_grid") == ["grid_required"]
    assert codes(errors, "criteria-2-weight") == ["weight_range"]
    assert codes(errors, "criteria-2-better") == ["choice"]


def test_criteria_warnings_are_returned_apart_from_errors():
    errors, warnings = check_criteria([
        criterion("price", "price", "80", formula="proportional"),
        criterion("local", "quantity", "20", better="higher", label_fr="Emploi local"),
    ])
    assert errors == {}
    assert sorted(w.code for w in warnings) == ["local_preference", "price_weight_high"]


def test_order_mode_errors():
    rows = [criterion("price", "price", "", formula="linear"),
            criterion("plan", "rating", "", scale="10", scoring_grid="0-10")]
    errors, _ = check_criteria(rows, mode="order", above_eu=True)
    assert codes(errors, "criteria_mode") == ["order_above_eu"]
    assert codes(errors, "criteria_justification") == ["order_justification"]
    errors, _ = check_criteria(rows, mode="order", justification="Small contract", above_eu=False)
    assert errors == {}


def test_clause_parameters_out_of_bounds_and_bad_selections():
    library = default_library()
    errors = validate_clauses([
        {"clause_id": "social-clause-penalties", "parameters": {"total_rate": "25"}},
        {"clause_id": "reserved-lot-art20", "lot_number": 3,
         "parameters": {"lot_number": "2", "disadvantaged_share": "20"}},
        {"clause_id": "wallonia-flexible-social-clause", "parameters": {}},
        {"clause_id": "no-such-clause", "parameters": {}},
    ], library=library, lot_numbers=[1, 2], nature="services")
    assert codes(errors, "clause-social-clause-penalties-total_rate") == ["param_above_max"]
    assert errors["clause-social-clause-penalties-total_rate"][0].params["bound"] == Decimal(20)
    assert codes(errors, "clause-reserved-lot-art20-disadvantaged_share") == ["param_below_min"]
    assert codes(errors, "clause-reserved-lot-art20-lot") == ["clause_lot"]
    assert codes(errors, "clause-wallonia-flexible-social-clause-select") == ["clause_nature"]
    assert codes(errors, "clause-no-such-clause-select") == ["clause_unknown"]


def test_publication_needs_dates_a_future_deadline_and_justifications():
    base = good()
    assert validate_publication(base, now=T0, advised="open_eu", circular_applies=True,
                                social_clause=True) == {}
    errors = validate_publication(good(bid_deadline=None), now=T0, advised="open_eu",
                                  circular_applies=False, social_clause=True)
    assert codes(errors, "bid_deadline") == ["required_to_publish"]
    late = validate_publication(base, now=T0 + timedelta(days=31), advised="open_eu",
                                circular_applies=False, social_clause=True)
    assert codes(late, "bid_deadline") == ["bid_deadline_past"]
    other = validate_publication(good(procedure="open_national"), now=T0, advised="open_eu",
                                 circular_applies=False, social_clause=True)
    assert codes(other, "procedure_justification") == ["procedure_justification"]
    justified = good(procedure="open_national", procedure_justification="Framework renewal.")
    assert validate_publication(justified, now=T0, advised="open_eu", circular_applies=False,
                                social_clause=True) == {}
    no_clause = validate_publication(base, now=T0, advised="open_eu", circular_applies=True,
                                     social_clause=False)
    assert codes(no_clause, "social_clause_justification") == ["social_clause_justification"]
