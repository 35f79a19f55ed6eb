"""Validation of award criteria (per lot) and of the clause selection: errors keyed by form field.

Pure module. Award criteria: Dir. 2014/24/EU art. 67, law of 17 June 2016 art. 81 (the checks
that only warn are in ``procurement.advice``). Clauses: the library's typed parameters and bounds.
"""
from __future__ import annotations

from typing import Any, Iterable, Mapping, Sequence

from clauses.library import Library, UnknownClauseError, collect_parameter_errors
from procurement.advice import criteria_findings
from procurement.tender_validation import (
    BETTER,
    CODE_RE,
    KINDS,
    MODES,
    PRICE_FORMULAS,
    Errors,
    _check_titles,
    parse_decimal,
)


def validate_criteria(mode: str, justification: str, criteria: Sequence[Mapping[str, Any]], *,
                      above_eu: bool, social_claimed: bool, price_weight_warning_pct: Any = 70
                      ) -> tuple[Errors, list]:
    """One lot's award criteria (Dir. art. 67, law art. 81); returns (errors, warnings)."""
    errors = Errors()
    if mode not in MODES:
        errors.add("criteria_mode", "choice", "Choose weights or an order of importance.")
    codes: set[str] = set()
    prices = 0
    for index, criterion in enumerate(criteria):
        prefix = f"criteria-{index}-"
        code = (criterion.get("code") or "").strip()
        if not CODE_RE.fullmatch(code):
            errors.add(prefix + "code", "criterion_code", "Lowercase letters, digits, - and _.")
        elif code in codes:
            errors.add(prefix + "code", "criterion_code_duplicate", "Two criteria have this code.")
        codes.add(code)
        kind = criterion.get("kind")
        if kind not in KINDS:
            errors.add(prefix + "kind", "choice", "Choose the kind of criterion.")
        _check_titles(errors, criterion, "label", prefix)
        weight = parse_decimal(criterion.get("weight"))
        if mode == "weighted" and (weight is None or not 0 < weight <= 100):
            errors.add(prefix + "weight", "weight_range", "A weight above 0 and at most 100.")
        if kind == "price":
            prices += 1
            if criterion.get("formula") not in PRICE_FORMULAS:
                errors.add(prefix + "formula", "choice", "Choose the price formula.")
        elif kind == "quantity" and criterion.get("better") not in BETTER:
            errors.add(prefix + "better", "choice", "Say whether more or less is better.")
        elif kind == "rating":
            scale = parse_decimal(criterion.get("scale"))
            if scale is None or scale != scale.to_integral_value() or not 1 <= scale <= 100:
                errors.add(prefix + "scale", "scale_range", "A whole maximum rating from 1 to 100.")
            if not (criterion.get("scoring_grid") or "").strip():
                errors.add(prefix + "scoring_grid", "grid_required",
                           "Write the scoring grid the evaluators will use.")
    if prices > 1:
        errors.add("criteria", "one_price", "Only one price criterion per lot.")
    warnings = []
    for finding in criteria_findings(criteria, mode=mode, justification=justification,
                                     above_eu=above_eu, social_claimed=social_claimed,
                                     price_weight_warning_pct=price_weight_warning_pct):
        if finding.severity == "error":
            errors.add(finding.field, finding.code, finding.message, **finding.params)
        else:
            warnings.append(finding)
    return errors, warnings


def validate_clauses(selections: Sequence[Mapping[str, Any]], *, library: Library,
                     lot_numbers: Iterable[int], nature: str) -> Errors:
    """Selected clauses: known, applicable to the nature, valid lot, parameters within bounds."""
    errors = Errors()
    lots = set(lot_numbers)
    seen: set[str] = set()
    for selection in selections:
        clause_id = selection.get("clause_id", "")
        prefix = f"clause-{clause_id}-"
        if clause_id in seen:
            errors.add(prefix + "select", "clause_duplicate", "This clause is selected twice.")
            continue
        seen.add(clause_id)
        try:
            clause = library.get(clause_id, selection.get("clause_version"))
        except UnknownClauseError:
            errors.add(prefix + "select", "clause_unknown", f"Unknown clause {clause_id!r}.")
            continue
        if nature not in clause.applies_to:
            errors.add(prefix + "select", "clause_nature", "This clause does not apply to this "
                       "kind of contract.", nature=nature)
        lot = selection.get("lot_number")
        if lot is not None and lot not in lots:
            errors.add(prefix + "lot", "clause_lot", "No lot has this number.")
        for name, problem in collect_parameter_errors(clause, selection.get("parameters")).items():
            errors.add(prefix + name, f"param_{problem.code}", problem.message, bound=problem.bound)
    return errors
