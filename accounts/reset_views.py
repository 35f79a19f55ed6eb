"""Forgotten password: ask for the e-mail, then set a new password from the e-mailed link."""
from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from accounts import reset, services
from accounts.forms import ForgotPasswordForm, ResetPasswordForm
from common.db import get_session

bp = Blueprint("password_reset", __name__)


@bp.route("/password/forgot", methods=["GET", "POST"])
def forgot():
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        max_age = int(current_app.config["PASSWORD_RESET_MAX_AGE"])
        reset.request_reset(
            get_session(), form.email.data, max_age=max_age,
            max_per_hour=int(current_app.config["PASSWORD_RESET_MAX_PER_HOUR"]),
            remote_addr=request.remote_addr or "",
            max_per_address=int(current_app.config["PASSWORD_RESET_MAX_PER_ADDRESS"]),
            make_link=lambda token: url_for("password_reset.reset_form", token=token, _external=True),
            subject=_("Reset your password"),
            body_template=_("Someone asked to reset the password of your account. To choose a new "
                            "password, open this link within %(minutes)s minutes:\n\n%(link)s\n\n"
                            "If you did not ask for it, ignore this message: your password stays "
                            "the same."),
        )
        # The same answer whether or not the account exists (no enumeration).
        flash(_("If an account exists for this address, we have sent it a link to reset the "
                "password. Check your mailbox."), "success")
        return redirect(url_for("accounts.login"))
    return render_template("accounts/forgot.html", form=form)


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
def reset_form(token: str):
    session = get_session()
    if reset.valid_token(session, token) is None:
        return render_template("accounts/reset.html", form=None), 400
    form = ResetPasswordForm()
    if form.validate_on_submit():
        try:
            reset.reset_password(session, token, form.new_password.data, form.confirm_password.data)
        except reset.InvalidToken:
            return render_template("accounts/reset.html", form=None), 400
        except services.AccountError as exc:
            getattr(form, exc.field, form.new_password).errors.append(str(exc.message))
        else:
            flash(_("Your password has been changed. Log in with the new password."), "success")
            return redirect(url_for("accounts.login"))
    return render_template("accounts/reset.html", form=form)
