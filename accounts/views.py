"""Login, logout, password change, language choice."""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, current_app, flash, g, redirect, render_template, request, session, url_for
from flask_babel import gettext as _

from accounts import services
from accounts.access import log_in, login_required
from accounts.forms import LoginForm, PasswordChangeForm
from audit import log as audit_log
from common.config import is_production
from common.db import get_session

bp = Blueprint("accounts", __name__)


def _safe_next(target: str | None) -> str:
    """Only same-site relative paths are followed after login (no open redirect)."""
    if not target:
        return url_for("home")
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return url_for("home")
    return target


@bp.route("/login", methods=["GET", "POST"])
def login():
    form = LoginForm(next=request.args.get("next", ""))
    if form.validate_on_submit():
        cfg = current_app.config
        result = services.authenticate(
            get_session(), form.email.data, form.password.data, request.remote_addr or "",
            max_failures=cfg["LOGIN_MAX_FAILURES"], window_seconds=cfg["LOGIN_WINDOW_SECONDS"],
            allow_demo=not is_production(cfg),
        )
        if result.locked:
            flash(_("Too many failed attempts. Wait %(m)s minutes and try again.",
                    m=cfg["LOGIN_WINDOW_SECONDS"] // 60), "error")
            return render_template("accounts/login.html", form=form), 429
        if result.user is None:
            flash(_("Wrong e-mail address or password."), "error")
            return render_template("accounts/login.html", form=form), 200
        log_in(result.user)
        if result.user.role == "auditor":
            audit_log.append(get_session(), "auditor.login", actor=result.user,
                             object_type="user", object_id=result.user.id)
            get_session().commit()
        flash(_("You are logged in."), "success")
        return redirect(_safe_next(form.next.data))
    return render_template("accounts/login.html", form=form)


@bp.route("/logout", methods=["POST"])
def logout():
    session.clear()
    flash(_("You are logged out."), "success")
    return redirect(url_for("home"))


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def password():
    form = PasswordChangeForm()
    if form.validate_on_submit():
        try:
            services.change_password(get_session(), g.user, form.current_password.data,
                                     form.new_password.data, form.confirm_password.data)
        except services.AccountError as exc:
            getattr(form, exc.field, form.new_password).errors.append(str(exc.message))
        else:
            log_in(g.user)  # keep this session valid, end the others
            flash(_("Your password has been changed."), "success")
            return redirect(url_for("home"))
    return render_template("accounts/password.html", form=form)


@bp.route("/language/<code>")
def language(code: str):
    """Switch the interface language; remembered in the session and on the user's account."""
    if code in current_app.config["LANGUAGES"]:
        session["lang"] = code
        if g.get("user") is not None:
            g.user.language = code
            get_session().add(g.user)
            get_session().commit()
    return redirect(_safe_next(request.args.get("next")))
