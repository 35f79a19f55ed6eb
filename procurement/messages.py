"""Translated labels and messages for the codes the pure modules return (Flask-Babel lazy strings).

The pure modules (advice, tender_validation, clauses) return stable codes with parameters; this is
the one place that words them for the interface. Unknown codes fall back to the English message.
"""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

NATURE_LABELS = {"works": _l("Works"), "supplies": _l("Supplies"), "services": _l("Services")}
STATUS_LABELS = {"draft": _l("draft"), "published": _l("published"), "opened": _l("bids opened"),
                 "awarded": _l("awarded"), "cancelled": _l("cancelled")}
PROCEDURE_LABELS = {
    "low_value": _l("Low-value contract (accepted invoice)"),
    "negotiated_no_publication": _l("Negotiated procedure without prior publication"),
    "open_national": _l("Open procedure, Belgian publication"),
    "open_eu": _l("Open procedure, EU publication"),
}
RESERVATION_LABELS = {
    "none": _l("Open to all"),
    "art20": _l("Reserved: sheltered workshops and insertion enterprises (art. 20 / art. 15)"),
    "art77": _l("Reserved: certain health, social and cultural services (art. 77)"),
}
KIND_LABELS = {"price": _l("Price"), "quantity": _l("Quantity offered (e.g. insertion hours)"),
               "rating": _l("Quality rated by evaluators")}
FORMULA_LABELS = {"proportional": _l("Proportional: lowest price ÷ price"),
                  "linear": _l("Linear: between highest and lowest price")}
BETTER_LABELS = {"higher": _l("More is better"), "lower": _l("Less is better")}
MODE_LABELS = {"weighted": _l("Weights (summing to 100)"),
               "order": _l("Decreasing order of importance (below EU thresholds only)")}
SOURCING_LABELS = {
    "reserve": _l("Many eligible firms: reserve the contract or a lot (art. 20 / art. 15)."),
    "clause": _l("A few capable firms: add a performance condition or a subcontracting clause."),
    "training": _l("No capable firm found: add a training clause to build capacity."),
}
CATEGORY_LABELS = {
    "reservation": _l("Reservation"), "selection": _l("Selection"),
    "award_criterion": _l("Award criterion"), "performance_condition": _l("Performance condition"),
    "technical_specification": _l("Technical specification"),
    "subcontracting": _l("Subcontracting"), "training": _l("Training"),
    "reporting": _l("Reporting"), "penalty": _l("Penalties"),
}

MESSAGES = {
    # tender_validation
    "required": _l("This field is required."),
    "too_long": _l("At most %(max)s characters."),
    "title_required": _l("Give a title in at least one language."),
    "reference_format": _l("Use letters, digits and . _ - only (at most 60 characters); \"new\" is reserved."),
    "reference_taken": _l("Another tender already has this reference."),
    "choice": _l("Choose one of the options offered."),
    "social_services_nature": _l("Only services can be social and other specific services (Annex XIV)."),
    "cpv_format": _l("%(code)s is not a CPV code: write 8 digits, e.g. 45442100."),
    "cpv_unknown": _l("CPV code %(code)s does not exist."),
    "nuts3_format": _l("A Belgian NUTS-3 code, BE100 to BE353."),
    "not_a_number": _l("Enter a number."),
    "not_positive": _l("The estimated value must be greater than 0 EUR."),
    "too_large": _l("The amount is too large."),
    "duration": _l("A whole number of months from 1 to 600."),
    "not_a_datetime": _l("Enter a date and time."),
    "bid_deadline_before_publication": _l("The bid deadline must come after the publication date."),
    "questions_before_publication": _l("The question deadline must come after the publication date."),
    "questions_after_bids": _l("The question deadline must come before the bid deadline."),
    "opening_before_deadline": _l("Bids cannot be opened before the bid deadline."),
    "insertion_labour_share": _l("The labour share must be above 0 % and at most 100 %."),
    "insertion_rate": _l("The insertion rate must be above 0 % and at most 100 %."),
    "insertion_hourly_cost": _l("The hourly cost must be greater than 0 EUR."),
    "insertion_amount": _l("The estimated value must be greater than 0 EUR."),
    "no_lots": _l("A tender has at least one lot."),
    "lot_number": _l("A lot number from 1 to 999."),
    "lot_number_duplicate": _l("Two lots have this number."),
    "criterion_code": _l("Use lowercase letters, digits, - and _ (e.g. price, hours)."),
    "criterion_code_duplicate": _l("Two criteria have this code."),
    "weight_range": _l("A weight above 0 and at most 100."),
    "scale_range": _l("A whole maximum rating from 1 to 100."),
    "grid_required": _l("Write the scoring grid the evaluators will use."),
    "one_price": _l("Only one price criterion per lot."),
    "no_criteria": _l("Add at least one award criterion."),
    "weights_sum": _l("The weights add up to %(total)s, not 100."),
    "order_above_eu": _l("At or above the EU threshold, the criteria must be weighted (Dir. art. 67(5))."),
    "order_justification": _l("Say why the criteria are given in order of importance."),
    "clause_duplicate": _l("This clause is selected twice."),
    "clause_unknown": _l("This clause is not in the library."),
    "clause_nature": _l("This clause does not apply to this kind of contract."),
    "clause_lot": _l("No lot has this number."),
    "param_required": _l("This parameter is required."),
    "param_below_min": _l("At least %(bound)s."),
    "param_above_max": _l("At most %(bound)s."),
    "param_not_a_number": _l("Enter a number."),
    "param_not_an_integer": _l("Enter a whole number."),
    "param_not_in_choices": _l("Choose one of the options offered."),
    "param_not_a_date": _l("Enter a date (YYYY-MM-DD)."),
    "param_too_long": _l("At most %(bound)s characters."),
    "param_unknown": _l("Unknown parameter."),
    "required_to_publish": _l("Required before publication."),
    "bid_deadline_past": _l("The bid deadline has already passed."),
    "procedure_justification": _l("Say why you chose another procedure than the one advised."),
    "social_clause_justification": _l("Federal circular of 16 May 2014: justify leaving social clauses out."),
    "frozen": _l("This tender is published: its criteria, weights and clauses are frozen and can no longer be changed."),
    # advice findings
    "price_weight_high": _l("Price weighs %(weight)s %% while the tender claims social aims (warning above %(limit)s %%)."),
    "social_link_missing": _l("Social criterion %(criterion)s: state how it is linked to the subject matter of the contract (Dir. art. 67(3))."),
    "local_preference": _l("Criterion %(criterion)s: “%(words)s” suggests a preference for the bidder's location, which is unlawful. Frame short supply chains by emissions, freshness or delivery time instead."),
    "clause_weight_mismatch": _l("Clause %(clause)s states a weight of %(weight)s %% that no award criterion of its lot has."),
    "circular_justify_no_social_clause": _l("Federal circular of 16 May 2014: at %(value_incl_vat)s EUR incl. VAT (threshold %(threshold)s), leaving social clauses out must be justified."),
    "circular_social_clause_ok": _l("Federal circular of 16 May 2014 applies (%(value_incl_vat)s EUR incl. VAT): social clauses are included."),
    "single_lot": _l("Dividing into lots is the rule (Dir. 2014/24/EU art. 46): state in the description why the contract is not divided."),
}


def message(code: str, fallback: str = "", params=None) -> str:
    """The translated message for ``code`` with ``params`` filled in."""
    text = MESSAGES.get(code)
    if text is None:
        return fallback or code
    try:
        return str(text) % dict(params or {})
    except (KeyError, TypeError, ValueError):
        return str(text)


def describe(problem) -> str:
    """A FieldError or a Finding, worded for the interface."""
    return message(problem.code, problem.message, problem.params)


def label(table: dict, code) -> str:
    return str(table.get(code, code or ""))
