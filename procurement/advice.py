"""Advice for the buyer drafting a tender: procedure, sourcing and award-criteria checks.

Pure module (no Flask, no database). Thresholds and advice limits come in as a mapping with the
``config.toml`` key names, so the numbers that change by decree stay in configuration
(shared/DOMAIN.md, "Thresholds"). Every result carries a stable ``code`` and ``params`` for the
web layer to translate, plus an English ``message``.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Mapping, Sequence

LOW_VALUE, NEGOTIATED, OPEN_NATIONAL, OPEN_EU = (
    "low_value", "negotiated_no_publication", "open_national", "open_eu")
PROCEDURES = (LOW_VALUE, NEGOTIATED, OPEN_NATIONAL, OPEN_EU)
# The legal basis shown with each procedure. Belgian articles: law of 17 June 2016.
LEGAL_BASIS = {
    LOW_VALUE: ("Loi du 17 juin 2016 / Wet van 17 juni 2016 art. 92",),
    NEGOTIATED: ("Loi du 17 juin 2016 / Wet van 17 juni 2016 art. 42 §1, 1° a)",),
    OPEN_NATIONAL: ("Loi du 17 juin 2016 / Wet van 17 juni 2016 art. 36",),
    OPEN_EU: ("Loi du 17 juin 2016 / Wet van 17 juni 2016 art. 36",
              "Directive 2014/24/EU art. 4, art. 27 and art. 49"),
}
SOCIAL_SERVICES_BASIS = "Directive 2014/24/EU art. 4 d) and art. 74 (Annex XIV)"
SOCIAL_CLAUSE_CATEGORIES = frozenset({
    "reservation", "award_criterion", "performance_condition", "subcontracting", "training"})


@dataclass(frozen=True)
class Finding:
    """One remark on a draft. ``severity``: error (blocks saving/publishing), warning, info."""

    code: str
    severity: str
    field: str
    message: str
    params: Mapping[str, Any] = field(default_factory=dict)


def _dec(value: Any) -> Decimal:
    return value if isinstance(value, Decimal) else Decimal(str(value))


@dataclass(frozen=True)
class ProcedureAdvice:
    procedure: str                 # one of PROCEDURES
    publication: str               # none | belgian | eu
    legal_basis: tuple[str, ...]
    value: Decimal                 # estimated value excl. VAT (all lots: Dir. art. 5(8))
    eu_threshold: Decimal
    eu_threshold_key: str
    unverified: bool               # the threshold used is not confirmed for the period
    notes: tuple[Finding, ...] = ()

    @property
    def above_eu(self) -> bool:
        return self.value >= self.eu_threshold


def eu_threshold(thresholds: Mapping[str, Any], *, nature: str, authority_type: str,
                 social_services: bool) -> tuple[str, Decimal]:
    """The EU threshold (key, amount) that applies (Directive 2014/24/EU art. 4).

    Works: art. 4 a); supplies and services: art. 4 b) for sub-central authorities, art. 4 c)
    for central government; social and other specific services of Annex XIV: art. 4 d).
    """
    if nature == "works":
        key = "THRESHOLD_EU_WORKS"
    elif social_services and nature == "services":
        key = "THRESHOLD_EU_SOCIAL_SERVICES"
    elif authority_type == "central":
        key = "THRESHOLD_EU_SUPPLIES_SERVICES_CENTRAL"
    else:
        key = "THRESHOLD_EU_SUPPLIES_SERVICES_SUBCENTRAL"
    return key, _dec(thresholds[key])


def procedure_advice(value: Any, *, nature: str, authority_type: str, social_services: bool,
                     thresholds: Mapping[str, Any], social_clause_selected: bool = False
                     ) -> ProcedureAdvice:
    """The lightest procedure the estimated value (excl. VAT) allows.

    * below THRESHOLD_BE_LOW_VALUE: low-value contract on accepted invoice (law of 17 June 2016
      art. 92);
    * below THRESHOLD_BE_NEGOTIATED_NO_PUBLICATION: negotiated procedure without prior
      publication (art. 42 §1, 1° a); the 2026-2027 amount is UNVERIFIED (DOMAIN.md);
    * below the EU threshold: open procedure (art. 36) published in Belgium;
    * at or above the EU threshold for the nature and authority type (Dir. art. 4): open
      procedure with EU publication (Dir. art. 49).
    Social services of Annex XIV use their own EU threshold (Dir. art. 4 d), art. 74).
    """
    amount = _dec(value)
    key, eu = eu_threshold(thresholds, nature=nature, authority_type=authority_type,
                           social_services=social_services)
    unverified = False
    if amount >= eu:
        procedure, publication = OPEN_EU, "eu"
    elif amount < _dec(thresholds["THRESHOLD_BE_LOW_VALUE"]):
        procedure, publication = LOW_VALUE, "none"
    elif amount < _dec(thresholds["THRESHOLD_BE_NEGOTIATED_NO_PUBLICATION"]):
        procedure, publication, unverified = NEGOTIATED, "none", True
    else:
        procedure, publication = OPEN_NATIONAL, "belgian"
    basis = LEGAL_BASIS[procedure]
    if social_services and nature == "services":
        basis = basis + (SOCIAL_SERVICES_BASIS,)
    notes = [circular_note(amount, nature=nature, thresholds=thresholds,
                           social_clause_selected=social_clause_selected)]
    return ProcedureAdvice(procedure=procedure, publication=publication, legal_basis=basis,
                           value=amount, eu_threshold=eu, eu_threshold_key=key,
                           unverified=unverified, notes=tuple(n for n in notes if n))


def value_incl_vat(value: Any, vat_rate_pct: Any = 21) -> Decimal:
    return (_dec(value) * (1 + _dec(vat_rate_pct) / 100)).quantize(Decimal("0.01"))


def circular_note(value: Any, *, nature: str, thresholds: Mapping[str, Any],
                  social_clause_selected: bool) -> Finding | None:
    """Federal circular of 16 May 2014: at or above 85,000 EUR incl. VAT (supplies, services) or
    1,200,000 EUR incl. VAT (works), leaving social clauses out must be justified."""
    key = ("THRESHOLD_SOCIAL_CLAUSE_JUSTIFY_WORKS_INCL_VAT" if nature == "works"
           else "THRESHOLD_SOCIAL_CLAUSE_JUSTIFY_SUPPLIES_SERVICES_INCL_VAT")
    incl = value_incl_vat(value, thresholds.get("VAT_RATE_PCT", 21))
    limit = _dec(thresholds[key])
    if incl < limit:
        return None
    params = {"value_incl_vat": incl, "threshold": limit}
    if social_clause_selected:
        return Finding("circular_social_clause_ok", "info", "clauses",
                       "Federal circular of 16 May 2014 applies; social clauses are included.",
                       params)
    return Finding("circular_justify_no_social_clause", "warning", "social_clause_justification",
                   "Federal circular of 16 May 2014: without a social clause, justify why "
                   f"(value {incl} EUR incl. VAT ≥ {limit}).", params)


# --- Sourcing ------------------------------------------------------------------------------------
RESERVE, CLAUSE, TRAINING = "reserve", "clause", "training"
SUGGESTED_CLAUSES = {
    RESERVE: ("reserved-lot-art20", "reserved-contract-art20"),
    CLAUSE: ("subcontracting-social-economy", "brussels-insertion-actiris",
             "wallonia-flexible-social-clause", "flanders-special-performance-condition"),
    TRAINING: ("brussels-training-clause", "wallonia-flexible-social-clause"),
}


EMPLOYMENT_CLAUSE = "subcontracting-employment-purpose"


@dataclass(frozen=True)
class SourcingAdvice:
    decision: str                  # reserve | clause | training
    capable: int                   # validated firms working in the CPV codes (and place)
    eligible: int                  # of which eligible for a reserved contract (>= 30 %)
    candidates: tuple[Any, ...]
    suggested_clauses: tuple[str, ...]
    many_firms: int
    few_firms: int


def sourcing_advice(candidates: Sequence[Any], *, many_firms: int, few_firms: int
                    ) -> SourcingAdvice:
    """What the registry suggests for the tender's CPV codes and place.

    ``candidates`` have an ``eligible_reserved`` attribute (at least 30 % disabled or
    disadvantaged staff: Dir. 2014/24/EU art. 20, law of 17 June 2016 art. 15).
    At least ``many_firms`` eligible → reserve the contract or a lot (art. 20 / art. 15);
    else at least ``few_firms`` capable → a performance condition or subcontracting clause
    (Dir. art. 70); else → a training clause, which builds capacity where no firm exists yet.
    """
    eligible = sum(1 for c in candidates if getattr(c, "eligible_reserved", False))
    capable = len(candidates)
    # Employment-purpose enterprises among the candidates (issue 10): suggest the clause that lets the
    # contractor subcontract part of the work to them (Dir. art. 70-71; never a location criterion).
    employment = any(getattr(c, "employment_purpose", False) for c in candidates)
    if eligible >= many_firms:
        decision = RESERVE
    elif capable >= few_firms and capable > 0:
        decision = CLAUSE
    else:
        decision = TRAINING
    return SourcingAdvice(decision=decision, capable=capable, eligible=eligible,
                          candidates=tuple(candidates),
                          suggested_clauses=SUGGESTED_CLAUSES[decision]
                          + ((EMPLOYMENT_CLAUSE,) if employment and decision != RESERVE else ()),
                          many_firms=many_firms, few_firms=few_firms)


# --- Award criteria ------------------------------------------------------------------------------
# Wording that ties a criterion to where the bidder is: an unlawful local preference (TFEU art. 18
# and 56 non-discrimination; Dir. 2014/24/EU art. 18(1) equal treatment, art. 67(3) link).
# Short supply chains must be framed by emissions, freshness or delivery time instead.
_LOCATION_PATTERNS = [
    # French ("locaux" alone is also the noun "premises": only flagged after a word for firms)
    r"\blocal(e|es)?\b", r"\b(fournisseurs|producteurs|entreprises|op[ée]rateurs|prestataires|"
    r"acteurs|emplois|travailleurs)\s+locaux\b", r"\br[ée]gional(e|es|aux)?\b",
    r"\bproximit[ée]\b", r"\bdistance\b.{0,40}\b(si[èe]ge|soumissionnaire|entreprise|"
    r"d[ée]p[ôo]t|bureau|[ée]tablissement)", r"\bsi[èe]ge(\s+social|\s+d'exploitation)?\s+(à|dans|en)\b",
    r"\b([ée]tabli(e|es|s)?|situ[ée](e|es|s)?|domicili[ée](e|es|s)?|implant[ée](e|es|s)?)\s+(à|dans)\b",
    r"\brayon\s+de\b", r"\b(commune|r[ée]gion|province)\s+du\s+soumissionnaire\b",
    # Dutch
    r"\blokale?\b", r"\bregiona(al|le)\b", r"\bnabijheid\b", r"\bgevestigd\b",
    r"\bafstand\b.{0,40}\b(zetel|inschrijver|onderneming|vestiging|depot|kantoor)",
    r"\bstraal\s+van\b", r"\b(gemeente|regio|provincie)\s+van\s+de\s+inschrijver\b",
    r"\bvestigingsplaats\b",
    # English
    r"\blocal(ly)?\b", r"\bregional\b", r"\bproximity\b", r"\bnearby\b",
    r"\bdistance\b.{0,40}\b(seat|bidder|tenderer|firm|company|depot|office|premises)",
    r"\b(based|located|established|headquartered|registered)\s+(in|within|near)\b",
    r"\bradius\s+of\b", r"\b(municipality|region|province)\s+of\s+the\s+(bidder|tenderer)\b",
]
LOCATION_RE = re.compile("|".join(f"(?:{p})" for p in _LOCATION_PATTERNS), re.IGNORECASE)
TEXT_FIELDS = ("label_fr", "label_nl", "label_en", "scoring_grid")


def _get(item: Any, name: str, default: Any = None) -> Any:
    if isinstance(item, Mapping):
        return item.get(name, default)
    return getattr(item, name, default)


def location_wording(text: str) -> str | None:
    """The words of ``text`` that point to the bidder's location, or None."""
    match = LOCATION_RE.search(text or "")
    return match.group(0) if match else None


def weights_total(criteria: Sequence[Any]) -> Decimal:
    return sum((_dec(_get(c, "weight") or 0) for c in criteria), Decimal(0))


def criteria_findings(criteria: Sequence[Any], *, mode: str = "weighted", justification: str = "",
                      above_eu: bool, social_claimed: bool, price_weight_warning_pct: Any = 70,
                      prefix: str = "criteria") -> list[Finding]:
    """Errors and warnings on one lot's award criteria (Dir. art. 67, law art. 81).

    Errors: weights not summing to 100 in weighted mode; order of importance at or above the
    EU threshold (Dir. art. 67(5): weights are required there) or without justification.
    Warnings: price weight above ``price_weight_warning_pct`` while social clauses are claimed;
    a social criterion without a stated link to the subject matter (Dir. art. 67(3));
    wording about the bidder's location (unlawful local preference).
    """
    findings: list[Finding] = []
    if not criteria:
        findings.append(Finding("no_criteria", "error", prefix, "Add at least one award criterion."))
    if mode == "weighted" and criteria:
        total = weights_total(criteria)
        if total != 100:
            findings.append(Finding("weights_sum", "error", "weights",
                                    f"The weights add up to {total}, not 100.", {"total": total}))
    elif mode == "order":
        if above_eu:
            findings.append(Finding("order_above_eu", "error", "criteria_mode",
                                    "At or above the EU threshold the criteria must be weighted."))
        if not (justification or "").strip():
            findings.append(Finding("order_justification", "error", "criteria_justification",
                                    "Say why the criteria are given in order of importance."))
    price_weight = sum((_dec(_get(c, "weight") or 0) for c in criteria
                        if _get(c, "kind") == "price"), Decimal(0))
    if mode == "weighted" and social_claimed and price_weight > _dec(price_weight_warning_pct):
        findings.append(Finding("price_weight_high", "warning", "weights",
                                f"Price weighs {price_weight} % while social clauses are claimed.",
                                {"weight": price_weight, "limit": _dec(price_weight_warning_pct)}))
    for index, criterion in enumerate(criteria):
        if _get(criterion, "is_social") and not (_get(criterion, "link_to_subject") or "").strip():
            findings.append(Finding("social_link_missing", "warning",
                                    f"{prefix}-{index}-link_to_subject",
                                    "State how this social criterion is linked to the subject "
                                    "matter of the contract.", {"criterion": _get(criterion, "code")}))
        for name in TEXT_FIELDS:
            words = location_wording(_get(criterion, name) or "")
            if words:
                findings.append(Finding("local_preference", "warning", f"{prefix}-{index}-{name}",
                                        f"{words!r} suggests a preference for the bidder's "
                                        "location, which is unlawful.",
                                        {"words": words, "criterion": _get(criterion, "code")}))
                break
    return findings


def social_claimed(criteria: Sequence[Any], clause_categories: Sequence[str]) -> bool:
    """True when the tender claims a social aim: a social criterion or a social clause."""
    return any(_get(c, "is_social") for c in criteria) or any(
        cat in SOCIAL_CLAUSE_CATEGORIES for cat in clause_categories)


def clause_weight_findings(clause_weights: Sequence[tuple[str, int | None, Any]],
                           weights_by_lot: Mapping[int, Sequence[Any]]) -> list[Finding]:
    """An award-criterion clause states a weight that no criterion of its lot has.

    ``clause_weights``: (clause id, lot number or None for the whole tender, weight).
    """
    findings = []
    for clause_id, lot_number, weight in clause_weights:
        lots = [lot_number] if lot_number is not None else list(weights_by_lot)
        if not any(_dec(weight) in {_dec(w) for w in weights_by_lot.get(n, ())} for n in lots):
            findings.append(Finding("clause_weight_mismatch", "warning", f"clause-{clause_id}-weight",
                                    f"Clause {clause_id} states a weight of {weight} % that no "
                                    "award criterion has.", {"clause": clause_id, "weight": weight}))
    return findings
