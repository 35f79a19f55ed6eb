"""Forms of the contract monitoring pages (Flask-WTF: every POST carries a CSRF token). Fields are
plain text: the services check the values and name the field in their messages."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import MultipleFileField
from wtforms import BooleanField, SelectField, StringField, TextAreaField
from wtforms.validators import Length


class ReportForm(FlaskForm):
    period = SelectField(_l("Period"), choices=[], validate_choice=False)
    insertion_hours = StringField(_l("Insertion hours (people far from employment hired for this contract)"),
                                  default="0", validators=[Length(max=20)])
    training_hours = StringField(_l("Training hours (trainees, placements, tutoring)"), default="0",
                                 validators=[Length(max=20)])
    subcontracted_hours = StringField(_l("Hours subcontracted to a social-economy enterprise"), default="0",
                                      validators=[Length(max=20)])
    subcontractor = StringField(_l("Enterprise number (BCE/KBO) of that enterprise, as in the registry"),
                                validators=[Length(max=30)])
    people = StringField(_l("Number of people concerned"), default="0", validators=[Length(max=10)])
    # Optional gender breakdown of the people (blank: not stated); counts only, never names.
    people_women = StringField(_l("of whom women"), validators=[Length(max=10)])
    people_men = StringField(_l("of whom men"), validators=[Length(max=10)])
    people_other = StringField(_l("of whom another gender or not stated"), validators=[Length(max=10)])
    comment = TextAreaField(_l("Comment (no names: pseudonymous identifiers only)"), validators=[Length(max=5000)])
    evidence = MultipleFileField(_l("Evidence (PDF, PNG or JPEG; optional)"))


class DecisionForm(FlaskForm):
    reason = TextAreaField(_l("Reason (required to contest)"), validators=[Length(max=5000)])


class CloseForm(FlaskForm):
    confirm = BooleanField(_l("I confirm: closing computes the penalty from the validated reports and cannot be "
                              "undone."))


class StartForm(FlaskForm):
    start_date = StringField(_l("Start of performance (YYYY-MM-DD)"), validators=[Length(max=10)])
