"""Who may do what: the current user, and the decorators every view uses.

All access rules live here, as decorators (``login_required``, ``roles_required``) and small
predicates for object-level checks (``can_read_authority``). Views never repeat ``if`` blocks.
"""
from __future__ import annotations

from functools import wraps

from flask import abort, g, redirect, request, session, url_for

from accounts.models import AuditorAssignment, Role, User
from common.db import get_session


def load_current_user() -> None:
    """Before each request: put the logged-in, active user (or None) in ``g.user``."""
    g.user = None
    user_id = session.get("user_id")
    if user_id is None:
        return
    user = get_session().get(User, user_id)
    if user is None or not user.is_active or session.get("pw") != _password_stamp(user):
        session.clear()
        return
    g.user = user


def _password_stamp(user: User) -> str:
    """Changes when the password changes, so other sessions of that user end."""
    return user.password_hash[-16:]


def log_in(user: User) -> None:
    """Start a fresh session (no fixation); a language chosen before logging in is kept when the
    account has none of its own."""
    chosen = session.get("lang")
    session.clear()
    session["user_id"] = user.id
    session["pw"] = _password_stamp(user)
    if user.language or chosen:
        session["lang"] = user.language or chosen
    session.permanent = True


def current_user() -> User | None:
    return g.get("user")


def login_required(view):
    @wraps(view)
    def wrapped(*args, **kwargs):
        if g.get("user") is None:
            return redirect(url_for("accounts.login", next=request.full_path))
        return view(*args, **kwargs)

    return wrapped


def roles_required(*roles: Role):
    """Allow only logged-in users with one of ``roles``; others get 403 (anonymous: login page)."""
    allowed = {Role(r).value for r in roles}

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            user = g.get("user")
            if user is None:
                return redirect(url_for("accounts.login", next=request.full_path))
            if user.role not in allowed:
                abort(403)
            return view(*args, **kwargs)

        wrapped.allowed_roles = frozenset(allowed)
        return wrapped

    return decorator


def has_role(user: User | None, *roles: Role) -> bool:
    return user is not None and user.role in {Role(r).value for r in roles}


def auditor_authority_ids(user: User) -> set[int]:
    rows = get_session().exec(
        AuditorAssignment.__table__.select().where(AuditorAssignment.user_id == user.id)
    )
    return {row.authority_id for row in rows}


def can_read_authority(user: User | None, authority_id: int) -> bool:
    """Buyers read their own authority's tenders, auditors the ones assigned, admins all."""
    if user is None:
        return False
    if user.role == Role.ADMIN.value:
        return True
    if user.role == Role.BUYER.value:
        return user.authority_id == authority_id
    if user.role == Role.AUDITOR.value:
        return authority_id in auditor_authority_ids(user)
    return False


def can_edit_authority(user: User | None, authority_id: int) -> bool:
    """Only the authority's own buyers draft, publish and evaluate its tenders."""
    return user is not None and user.role == Role.BUYER.value and user.authority_id == authority_id
