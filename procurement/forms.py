"""Tender drafting forms (Flask-WTF: CSRF on every POST).

Numbers are text fields on purpose: the input is checked by ``procurement.tender_validation`` (one
set of rules for the web, the CLI and the demo) and re-shown exactly as typed when it is wrong.
"""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateTimeLocalField,
    FieldList,
    Form,
    FormField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Optional as OptionalValue

from procurement import messages as m

DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]


def _choices(table: dict, blank: bool = False) -> list[SelectChoice]:
    items = [SelectChoice(code, label) for code, label in table.items()]
    return ([SelectChoice("", "—")] if blank else []) + items


class TenderForm(FlaskForm):
    reference = StringField(_l("Reference"), description=_l("Your file number, e.g. 2026-SERV-014."))
    title_fr = StringField(_l("Title (French)"))
    title_nl = StringField(_l("Title (Dutch)"))
    title_en = StringField(_l("Title (English)"))
    description_fr = TextAreaField(_l("Description (French)"))
    description_nl = TextAreaField(_l("Description (Dutch)"))
    description_en = TextAreaField(_l("Description (English)"))
    nature = SelectField(_l("Type of contract"), choices=_choices(m.NATURE_LABELS),
                         validate_choice=False)
    social_services = BooleanField(_l("Social and other specific services (Annex XIV)"))
    cpv_main = StringField(_l("Main CPV code"), description=_l("8 digits, e.g. 77310000."))
    cpv_additional = StringField(_l("Additional CPV codes"), description=_l("Separated by commas."))
    nuts3 = StringField(_l("Place of performance (NUTS-3)"), description=_l("e.g. BE352."))
    municipality = StringField(_l("Municipality of performance"))
    estimated_value = StringField(_l("Estimated value (EUR excl. VAT)"),
                                  description=_l("All lots and options together."))
    duration_months = StringField(_l("Duration (months)"))
    publication_date = DateTimeLocalField(_l("Publication"), format=DATETIME_FORMATS,
                                          validators=[OptionalValue()])
    question_deadline = DateTimeLocalField(_l("Deadline for questions"), format=DATETIME_FORMATS,
                                           validators=[OptionalValue()])
    bid_deadline = DateTimeLocalField(_l("Bid deadline"), format=DATETIME_FORMATS,
                                      validators=[OptionalValue()])
    opening_at = DateTimeLocalField(_l("Opening of bids"), format=DATETIME_FORMATS,
                                    validators=[OptionalValue()])
    labour_share_pct = StringField(_l("Labour share (%)"),
                                   description=_l("Suggested from the CPV code; edit if you know better."))
    insertion_rate_pct = StringField(_l("Insertion rate (%)"))
    hourly_cost = StringField(_l("Loaded hourly cost (EUR)"))


class LotRowForm(Form):
    number = StringField(_l("Lot number"))
    title_fr = StringField(_l("Title (French)"))
    title_nl = StringField(_l("Title (Dutch)"))
    title_en = StringField(_l("Title (English)"))
    cpv_codes = StringField(_l("CPV codes"))
    estimated_value = StringField(_l("Estimated value (EUR excl. VAT)"))
    reservation = SelectField(_l("Reservation"), choices=_choices(m.RESERVATION_LABELS),
                              validate_choice=False)
    remove = BooleanField(_l("Remove this lot"))


class LotsForm(FlaskForm):
    lots = FieldList(FormField(LotRowForm), min_entries=1)


class CriterionRowForm(Form):
    code = StringField(_l("Code"), description=_l("Short identifier used in scoring, e.g. price."))
    kind = SelectField(_l("Kind"), choices=_choices(m.KIND_LABELS, blank=True), validate_choice=False)
    label_fr = StringField(_l("Label (French)"))
    label_nl = StringField(_l("Label (Dutch)"))
    label_en = StringField(_l("Label (English)"))
    weight = StringField(_l("Weight"))
    formula = SelectField(_l("Price formula"), choices=_choices(m.FORMULA_LABELS, blank=True),
                          validate_choice=False)
    better = SelectField(_l("Better figure"), choices=_choices(m.BETTER_LABELS, blank=True),
                         validate_choice=False)
    unit = StringField(_l("Unit"), description=_l("e.g. hours, %, persons."))
    scale = StringField(_l("Maximum rating"))
    scoring_grid = TextAreaField(_l("Scoring grid"))
    is_social = BooleanField(_l("Social criterion"))
    link_to_subject = TextAreaField(_l("Link to the subject matter"))
    remove = BooleanField(_l("Remove this criterion"))


class CriteriaForm(FlaskForm):
    criteria_mode = SelectField(_l("How the criteria count"), choices=_choices(m.MODE_LABELS),
                                validate_choice=False)
    criteria_justification = TextAreaField(_l("Justification of the order of importance"))
    criteria = FieldList(FormField(CriterionRowForm), min_entries=1)


class ClausesForm(FlaskForm):
    """Only the CSRF token: the clause fields are generated from the library."""


class PublishForm(FlaskForm):
    procedure = SelectField(_l("Procedure chosen"), choices=_choices(m.PROCEDURE_LABELS),
                            validate_choice=False)
    procedure_justification = TextAreaField(_l("Why another procedure than the one advised"))
    social_clause_justification = TextAreaField(_l("Why no social clause (federal circular of 16 May 2014)"))
    confirm = BooleanField(_l("I understand that the award criteria, weights and clauses can no longer be changed after publication."))


class JointInviteForm(FlaskForm):
    """Joint procurement: the lead's buyer invites another authority through one of its buyers."""

    email = StringField(_l("E-mail address of a buyer of the authority you invite"))


class JointActionForm(FlaskForm):
    """CSRF only: shares (one field per lot, read from the request) and accept/decline buttons."""
