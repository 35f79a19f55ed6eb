"""Procedure, sourcing and award-criteria advice (pure: no app, no database)."""
from dataclasses import dataclass, field
from decimal import Decimal

import pytest

from procurement.advice import (
    CLAUSE,
    LOW_VALUE,
    NEGOTIATED,
    OPEN_EU,
    OPEN_NATIONAL,
    RESERVE,
    TRAINING,
    circular_note,
    clause_weight_findings,
    criteria_findings,
    location_wording,
    procedure_advice,
    sourcing_advice,
)

THRESHOLDS = {
    "THRESHOLD_EU_WORKS": 5404000,
    "THRESHOLD_EU_SUPPLIES_SERVICES_SUBCENTRAL": 216000,
    "THRESHOLD_EU_SUPPLIES_SERVICES_CENTRAL": 140000,
    "THRESHOLD_EU_SOCIAL_SERVICES": 750000,
    "THRESHOLD_BE_LOW_VALUE": 30000,
    "THRESHOLD_BE_NEGOTIATED_NO_PUBLICATION": 143000,
    "THRESHOLD_SOCIAL_CLAUSE_JUSTIFY_SUPPLIES_SERVICES_INCL_VAT": 85000,
    "THRESHOLD_SOCIAL_CLAUSE_JUSTIFY_WORKS_INCL_VAT": 1200000,
    "VAT_RATE_PCT": 21,
}


def advise(value, nature="services", authority_type="subcentral", social_services=False):
    return procedure_advice(value, nature=nature, authority_type=authority_type,
                            social_services=social_services, thresholds=THRESHOLDS)


@pytest.mark.parametrize("value, nature, authority, social, expected", [
    (29999, "services", "subcentral", False, LOW_VALUE),
    (30000, "services", "subcentral", False, NEGOTIATED),     # low value is "below 30,000"
    (142999, "supplies", "subcentral", False, NEGOTIATED),
    (143000, "supplies", "subcentral", False, OPEN_NATIONAL),
    (215999, "services", "subcentral", False, OPEN_NATIONAL),
    (216000, "services", "subcentral", False, OPEN_EU),        # EU: "at or above"
    (139999, "services", "central", False, NEGOTIATED),
    (140000, "services", "central", False, OPEN_EU),
    (5403999, "works", "subcentral", False, OPEN_NATIONAL),
    (5404000, "works", "subcentral", False, OPEN_EU),
    (5404000, "works", "central", False, OPEN_EU),
    (749999, "services", "subcentral", True, OPEN_NATIONAL),   # Annex XIV social services
    (750000, "services", "subcentral", True, OPEN_EU),
    (750000, "services", "central", True, OPEN_EU),
])
def test_procedure_at_and_one_euro_below_each_threshold(value, nature, authority, social, expected):
    assert advise(value, nature, authority, social).procedure == expected


def test_advice_shows_the_legal_article_and_marks_the_unverified_threshold():
    low = advise(10000)
    assert low.publication == "none" and any("art. 92" in b for b in low.legal_basis)
    negotiated = advise(100000)
    assert negotiated.unverified and any("art. 42 §1, 1° a)" in b for b in negotiated.legal_basis)
    eu = advise(300000)
    assert eu.publication == "eu" and eu.above_eu and any("art. 4" in b for b in eu.legal_basis)
    assert eu.eu_threshold == Decimal(216000) and not eu.unverified
    social = advise(800000, social_services=True)
    assert social.eu_threshold_key == "THRESHOLD_EU_SOCIAL_SERVICES"
    assert any("art. 74" in b for b in social.legal_basis)


def test_federal_circular_note_at_85000_incl_vat_and_1200000_for_works():
    # 70,248 excl. VAT = 85,000.08 incl. 21 % VAT; one euro less is below.
    assert circular_note(70248, nature="services", thresholds=THRESHOLDS,
                         social_clause_selected=False).code == "circular_justify_no_social_clause"
    assert circular_note(70247, nature="services", thresholds=THRESHOLDS,
                         social_clause_selected=False) is None
    # 991,736 excl. = 1,200,000.56 incl.; 991,735 excl. = 1,199,999.35.
    assert circular_note(991736, nature="works", thresholds=THRESHOLDS, social_clause_selected=False)
    assert circular_note(991735, nature="works", thresholds=THRESHOLDS,
                         social_clause_selected=False) is None
    ok = circular_note(100000, nature="supplies", thresholds=THRESHOLDS, social_clause_selected=True)
    assert ok.severity == "info"
    assert advise(100000).notes[0].code == "circular_justify_no_social_clause"


@dataclass
class Candidate:
    name: str
    eligible_reserved: bool
    matched_cpv: list = field(default_factory=list)


def firms(eligible: int, other: int) -> list:
    return ([Candidate(f"E{i}", True) for i in range(eligible)]
            + [Candidate(f"O{i}", False) for i in range(other)])


@pytest.mark.parametrize("eligible, other, decision", [
    (3, 0, RESERVE),       # exactly SOURCING_MANY_FIRMS eligible
    (5, 2, RESERVE),
    (2, 0, CLAUSE),        # one below: a few capable firms
    (0, 1, CLAUSE),        # exactly SOURCING_FEW_FIRMS capable
    (2, 10, CLAUSE),       # many capable but not enough eligible
    (0, 0, TRAINING),
])
def test_sourcing_decision(eligible, other, decision):
    advice = sourcing_advice(firms(eligible, other), many_firms=3, few_firms=1)
    assert advice.decision == decision
    assert (advice.eligible, advice.capable) == (eligible, eligible + other)
    assert advice.suggested_clauses


def test_sourcing_thresholds_come_from_the_caller():
    assert sourcing_advice(firms(0, 1), many_firms=3, few_firms=2).decision == TRAINING
    assert sourcing_advice(firms(1, 0), many_firms=1, few_firms=1).decision == RESERVE


def crit(code, kind, weight, label="x", **extra):
    return {"code": code, "kind": kind, "weight": Decimal(weight), "label_fr": label,
            "label_nl": "", "label_en": "", **extra}


def codes(findings):
    return [f.code for f in findings]


def test_price_weight_warning_only_when_social_aims_are_claimed():
    criteria = [crit("price", "price", 71), crit("plan", "rating", 29)]
    claimed = criteria_findings(criteria, above_eu=False, social_claimed=True,
                                price_weight_warning_pct=70)
    assert codes(claimed) == ["price_weight_high"]
    assert claimed[0].severity == "warning"
    assert not criteria_findings(criteria, above_eu=False, social_claimed=False)
    at_limit = [crit("price", "price", 70), crit("plan", "rating", 30)]
    assert not criteria_findings(at_limit, above_eu=False, social_claimed=True,
                                 price_weight_warning_pct=70)


def test_weights_must_sum_to_100_in_weighted_mode():
    findings = criteria_findings([crit("price", "price", 60), crit("plan", "rating", 30)],
                                 above_eu=False, social_claimed=False)
    assert codes(findings) == ["weights_sum"] and findings[0].severity == "error"
    assert findings[0].params["total"] == Decimal(90)


def test_order_of_importance_only_below_eu_thresholds_and_justified():
    criteria = [crit("price", "price", 0), crit("plan", "rating", 0)]
    above = criteria_findings(criteria, mode="order", justification="why", above_eu=True,
                              social_claimed=False)
    assert codes(above) == ["order_above_eu"]
    unjustified = criteria_findings(criteria, mode="order", above_eu=False, social_claimed=False)
    assert codes(unjustified) == ["order_justification"]
    assert not criteria_findings(criteria, mode="order", justification="Small contract.",
                                 above_eu=False, social_claimed=False)


def test_social_criterion_without_link_to_the_subject_matter():
    criteria = [crit("price", "price", 50), crit("hours", "quantity", 50, is_social=True)]
    findings = criteria_findings(criteria, above_eu=False, social_claimed=True)
    assert codes(findings) == ["social_link_missing"]
    assert findings[0].field == "criteria-1-link_to_subject"
    criteria[1]["link_to_subject"] = "Only hours worked on this contract count."
    assert not criteria_findings(criteria, above_eu=False, social_claimed=True)


@pytest.mark.parametrize("label", [
    "Entreprise locale", "Proximité du siège de l'entreprise", "Fournisseurs locaux",
    "Distance entre le siège du soumissionnaire et la commune", "Siège social à Valmeuse",
    "Lokale tewerkstelling", "Afstand tot de zetel van de inschrijver", "Regionale leverancier",
    "Local employment", "Distance to the seat of the bidder", "Firms based in the municipality",
    "Within a radius of 20 km",
])
def test_local_preference_wording_is_flagged_in_fr_nl_en(label):
    findings = criteria_findings([crit("price", "price", 60), crit("x", "rating", 40, label=label)],
                                 above_eu=False, social_claimed=False)
    assert codes(findings) == ["local_preference"]
    assert findings[0].field == "criteria-1-label_fr"


@pytest.mark.parametrize("label", [
    "Nettoyage des locaux", "Délai de livraison", "Émissions de CO2 des livraisons",
    "Qualité du plan d'insertion", "Leveringstermijn", "Freshness of the products",
])
def test_lawful_wording_is_not_flagged(label):
    assert location_wording(label) is None


def test_clause_weight_must_match_a_criterion_of_its_lot():
    weights = {1: [Decimal(40), Decimal(35), Decimal(25)]}
    assert not clause_weight_findings([("award-insertion-hours", 1, "35")], weights)
    found = clause_weight_findings([("award-insertion-hours", 1, "30")], weights)
    assert codes(found) == ["clause_weight_mismatch"]
