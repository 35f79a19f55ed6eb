"""Registry forms (Flask-WTF: every POST carries a CSRF token).

Fields are plain text or choices without their own validators: ``registry.validation`` checks the
values (the same checks for the web and for import files) and the views copy its messages onto
the fields.
"""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import BooleanField, SelectField, SelectMultipleField, StringField, TextAreaField, widgets

from registry.codes import (COVERAGE_LABELS, ISSUER_LABELS, LANGUAGE_LABELS, LEGAL_FORM_LABELS, SERVICE_LABELS,
                            TURNOVER_LABELS, TYPE_LABELS, choices)
from registry.geo import NUTS3, REGIONS


class MultiCheckboxField(SelectMultipleField):
    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


def _select(label, **kwargs):
    return SelectField(label, validate_choice=False, **kwargs)


class ProfileForm(FlaskForm):
    legal_name = StringField(_l("Legal name"))
    trade_names = TextAreaField(_l("Trade names (one per line)"))
    enterprise_number = StringField(_l("Enterprise number (BCE/KBO)"))
    legal_form = _select(_l("Legal form"))
    street = StringField(_l("Seat: street and number"))
    postal_code = StringField(_l("Postal code"))
    municipality = StringField(_l("Municipality"))
    nuts3 = _select(_l("Arrondissement (NUTS-3)"))
    website = StringField(_l("Website"))
    email = StringField(_l("Contact e-mail address"))
    languages = MultiCheckboxField(_l("Languages of work"), validate_choice=False)
    description = TextAreaField(_l("What the enterprise does"))
    staff_total = StringField(_l("Total staff (people)"))
    staff_disadvantaged = StringField(_l("Disabled or disadvantaged workers (people)"))
    turnover_band = _select(_l("Annual turnover"))
    max_contract_eur = StringField(_l("Largest contract you can take (EUR excl. VAT)"))
    served_municipalities = TextAreaField(_l("Territory served: municipalities (one per line)"))

    def fill_choices(self) -> None:
        self.legal_form.choices = choices(LEGAL_FORM_LABELS, blank="—")
        self.nuts3.choices = [("", str(_l("— found from the postal code when possible —")))] + \
            [(code, f"{code} {name}") for code, (name, _a, _b) in NUTS3.items()]
        self.languages.choices = choices(LANGUAGE_LABELS)
        self.turnover_band.choices = choices(TURNOVER_LABELS, blank="—")


class RegistrationForm(ProfileForm):
    types = MultiCheckboxField(_l("Social-economy types"), validate_choice=False)
    not_duplicate = BooleanField(_l("None of the enterprises listed above is ours: register a new profile"))

    def fill_choices(self) -> None:
        super().fill_choices()
        self.types.choices = choices(TYPE_LABELS)


class AccreditationForm(FlaskForm):
    type_code = _select(_l("Social-economy type"))
    number = StringField(_l("Accreditation number (agrément / erkenning)"))
    issuing_region = _select(_l("Issued by"))
    valid_from = StringField(_l("Valid from"), render_kw={"type": "date"})
    valid_until = StringField(_l("Valid until"), render_kw={"type": "date"})
    proof = FileField(_l("Proof (PDF, PNG or JPEG)"))

    def fill_choices(self) -> None:
        self.type_code.choices = choices(TYPE_LABELS)
        self.issuing_region.choices = choices(ISSUER_LABELS, blank="—")


class ActivityForm(FlaskForm):
    service_type = _select(_l("Service type"))
    cpv_codes = StringField(_l("CPV codes"))
    nace_codes = StringField(_l("NACE codes (optional)"))
    coverage_kind = _select(_l("Area covered"))
    coverage_regions = MultiCheckboxField(_l("Regions covered"), validate_choice=False)
    coverage_nuts3 = SelectMultipleField(_l("Arrondissements covered"), validate_choice=False)
    coverage_municipalities = TextAreaField(_l("Municipalities covered (one per line)"))
    radius_km = StringField(_l("Radius around the seat (km)"))
    description = StringField(_l("Short description"))

    def fill_choices(self) -> None:
        self.service_type.choices = choices(SERVICE_LABELS)
        self.coverage_kind.choices = choices(COVERAGE_LABELS)
        self.coverage_regions.choices = list(REGIONS.items())
        self.coverage_nuts3.choices = [(code, f"{code} {name}") for code, (name, _a, _b) in NUTS3.items()]

    def data_for_service(self) -> dict:
        kind = self.coverage_kind.data
        areas = {"regions": self.coverage_regions.data, "nuts3": self.coverage_nuts3.data,
                 "municipalities": (self.coverage_municipalities.data or "").splitlines()}.get(kind, [])
        return {"service_type": self.service_type.data, "cpv_codes": self.cpv_codes.data,
                "nace_codes": self.nace_codes.data, "coverage_kind": kind, "coverage_areas": areas,
                "radius_km": self.radius_km.data, "description": self.description.data}

    def error_field(self, name: str):
        if name == "coverage_areas":
            return {"regions": self.coverage_regions, "nuts3": self.coverage_nuts3}.get(
                self.coverage_kind.data, self.coverage_municipalities)
        return getattr(self, name, self.cpv_codes)


class ReferenceForm(FlaskForm):
    buyer = StringField(_l("Buyer (contracting authority)"))
    year = StringField(_l("Year"))
    amount_eur = StringField(_l("Amount (EUR excl. VAT)"))
    description = TextAreaField(_l("What was delivered"))


class AccessRequestForm(FlaskForm):
    message = TextAreaField(_l("Message to the current members (optional)"))


class ImportForm(FlaskForm):
    file = FileField(_l("File (CSV or JSON)"))
    skip_invalid = BooleanField(_l("Import the valid rows and report the others"))
    dry_run = BooleanField(_l("Only check the file (write nothing)"))
    validated = BooleanField(_l("Mark new profiles as validated"))


def copy_errors(form, errors: dict, fallback: str) -> None:
    """Put service messages on the form fields (unknown fields on ``fallback``)."""
    for name, message in errors.items():
        field = form.error_field(name) if hasattr(form, "error_field") else getattr(form, name, None)
        field = field if field is not None and hasattr(field, "errors") else getattr(form, fallback)
        if not isinstance(field.errors, list):
            field.errors = list(field.errors)
        field.errors.append(message)
