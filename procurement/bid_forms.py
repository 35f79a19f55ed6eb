"""Forms of the bid, opening and evaluation pages (Flask-WTF: every POST carries a CSRF token)."""
from __future__ import annotations

from flask_babel import get_locale, lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms.fields.choices import SelectChoice
from wtforms import BooleanField, HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from procurement.bid_files import KIND_LABELS


class BidForm(FlaskForm):
    enterprise = SelectField(_l("Bidding enterprise"), coerce=int, validators=[DataRequired()])
    price = StringField(_l("Total price excl. VAT (EUR)"), validators=[DataRequired(), Length(max=30)])
    insertion_plan = FileField(KIND_LABELS["insertion_plan"])
    memo = FileField(KIND_LABELS["memo"])
    declaration = BooleanField(_l("I declare on my honour that this bid is complete and binding, and that the "
                                  "enterprise is in none of the exclusion situations of the law of 17 June 2016 "
                                  "(art. 67 to 69)."))


def bid_form_for(criteria, **kwargs) -> BidForm:
    """A bid form with one field per quantity criterion of the lot (``value_<code>``)."""

    class LotBidForm(BidForm):
        pass

    for criterion in criteria:
        label = criterion.label_en or criterion.code
        setattr(LotBidForm, f"value_{criterion.code}", StringField(
            label, validators=[DataRequired(), Length(max=30)], description=criterion.unit))
    form = LotBidForm(**kwargs)
    for criterion in criteria:  # labels in the user's language
        form[f"value_{criterion.code}"].label.text = criterion.label(str(get_locale()))
    return form


class ConfirmForm(FlaskForm):
    confirm = HiddenField(default="yes")


class RatingForm(FlaskForm):
    bid_id = HiddenField(validators=[DataRequired()])
    criterion = HiddenField(validators=[DataRequired()])
    value = StringField(_l("Rating"), validators=[Length(max=10)])
    justification = TextAreaField(_l("Justification (required)"), validators=[Length(max=10000)])
    # Id of the latest rating the evaluator saw (0: none); absent from old clients (no check).
    based_on = HiddenField(validators=[Optional(), Length(max=20)])


class ConformityForm(FlaskForm):
    bid_id = HiddenField(validators=[DataRequired()])
    conforming = SelectField(_l("Decision"), choices=[SelectChoice("yes", _l("Conforming")),
                                                      SelectChoice("no", _l("Not conforming: exclude"))])
    reason = TextAreaField(_l("Reason (required to exclude)"), validators=[Length(max=10000)])


class JustificationRequestForm(FlaskForm):
    bid_id = HiddenField(validators=[DataRequired()])
    request_text = TextAreaField(_l("What the bidder must justify"), validators=[Length(max=10000)])


class JustificationDecisionForm(FlaskForm):
    bid_id = HiddenField(validators=[DataRequired()])
    answer_text = TextAreaField(_l("The bidder's written justification"), validators=[Length(max=10000)])
    decision = SelectField(_l("Decision"), choices=[
        SelectChoice("accepted", _l("Justification accepted")),
        SelectChoice("rejected", _l("Justification rejected: exclude the bid"))])
    decision_reason = TextAreaField(_l("Reasons for the decision"), validators=[Length(max=10000)])


class FinaliseForm(FlaskForm):
    reasons = TextAreaField(_l("Reasons for the award decision"), validators=[Length(max=10000)])
    confirm = BooleanField(_l("I confirm: finalising locks this evaluation; a correction will need a new, "
                              "recorded version."), validators=[Optional()])


class NewVersionForm(FlaskForm):
    reason = TextAreaField(_l("Why the evaluation must be corrected"), validators=[Length(max=10000)])
