"""Administration of user accounts (admin role only)."""
from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlmodel import select

from accounts.access import roles_required
from accounts.models import Authority, Role, User
from audit import log as audit_log
from common.db import get_session

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.route("/users")
@roles_required(Role.ADMIN)
def users():
    session = get_session()
    rows = session.exec(select(User).order_by(User.role, User.email)).all()
    authorities = {a.id: a for a in session.exec(select(Authority)).all()}
    return render_template("admin/users.html", users=rows, authorities=authorities)


@bp.route("/users/<int:user_id>/active", methods=["POST"])
@roles_required(Role.ADMIN)
def set_active(user_id: int):
    session = get_session()
    user = session.get(User, user_id) or abort(404)
    if user.id == g.user.id:
        flash(_("You cannot deactivate your own account."), "error")
        return redirect(url_for("admin.users"))
    if request.form.get("confirm") != "yes":
        return render_template("admin/confirm_active.html", target=user)
    user.is_active = not user.is_active
    session.add(user)
    audit_log.append(session, "user.activated" if user.is_active else "user.deactivated",
                     actor=g.user, object_type="user", object_id=user.id)
    session.commit()
    flash(_("Account %(email)s updated.", email=user.email), "success")
    return redirect(url_for("admin.users"))
