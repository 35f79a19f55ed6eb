"""``/account/tokens``: every logged-in user creates personal API tokens (the secret is shown once,
on the page that answers the creation, never stored) and revokes them after a confirmation."""
from __future__ import annotations

from flask import Blueprint, abort, flash, g, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, StringField
from wtforms.validators import DataRequired, Length

from accounts.access import login_required
from api import tokens
from common.db import get_session

bp = Blueprint("api_tokens", __name__)


class TokenForm(FlaskForm):
    name = StringField(_l("Token name"), validators=[DataRequired(), Length(max=100)])


class RevokeForm(FlaskForm):
    confirm = HiddenField()


def _page(form, secret=None, status=200):
    return render_template("accounts/tokens.html", form=form, tokens=tokens.tokens_of(get_session(), g.user),
                           secret=secret, revoke_form=RevokeForm()), status


@bp.route("/account/tokens", methods=["GET", "POST"])
@login_required
def tokens_page():
    form = TokenForm()
    if form.validate_on_submit():
        try:
            new = tokens.create_token(get_session(), g.user, form.name.data)
        except tokens.TokenError as exc:
            form.name.errors = list(form.name.errors) + [str(exc.message)]
        else:
            # The secret is in this response only: no flash message, no session, no database.
            return _page(TokenForm(formdata=None), secret=new)
    return _page(form)


@bp.route("/account/tokens/<int:token_id>/revoke", methods=["POST"])
@login_required
def revoke(token_id: int):
    session = get_session()
    token = tokens.token_of_user(session, g.user, token_id)
    if token is None:
        abort(404)
    form = RevokeForm()
    if not form.validate_on_submit():
        abort(400)
    if form.confirm.data != "yes":
        return render_template("accounts/token_revoke.html", token=token, form=form)
    try:
        tokens.revoke_token(session, g.user, token)
    except tokens.TokenError as exc:
        flash(str(exc.message), "error")
    else:
        flash(_("The token “%(name)s” is revoked: it no longer works.", name=token.name), "success")
    return redirect(url_for("api_tokens.tokens_page"))
