"""Object-level access rules of the registry (the role rules are in accounts/access.py).

- Members of an enterprise (firm users linked by ``EnterpriseMember``) and admins edit its profile.
- Validated profiles are public (without personal data: no e-mail, no history, no proofs).
- Buyers and auditors also see contact e-mail, references and accreditation proofs of validated
  profiles (they need them to check reserved-contract eligibility); pending and suspended profiles
  are shown only to their members and to admins.
"""
from __future__ import annotations

from functools import wraps

from flask import abort, g, redirect, request, url_for
from sqlmodel import select

from common.db import get_session
from registry.models import Enterprise, EnterpriseMember


def is_member(user, enterprise_id: int) -> bool:
    if user is None or user.role != "firm":
        return False
    return get_session().exec(select(EnterpriseMember).where(
        EnterpriseMember.enterprise_id == enterprise_id, EnterpriseMember.user_id == user.id)).first() is not None


def can_edit(user, enterprise: Enterprise) -> bool:
    return user is not None and (user.role == "admin" or is_member(user, enterprise.id))


def can_view(user, enterprise: Enterprise) -> bool:
    return enterprise.status == "validated" or can_edit(user, enterprise)


def can_see_details(user, enterprise: Enterprise) -> bool:
    """Contact e-mail, proofs and history: editors, and buyers/auditors for validated profiles."""
    if can_edit(user, enterprise):
        return True
    return user is not None and user.role in ("buyer", "auditor") and enterprise.status == "validated"


def _enterprise_or_404(enterprise_id: int) -> Enterprise:
    enterprise = get_session().get(Enterprise, enterprise_id)
    if enterprise is None:
        abort(404)
    return enterprise


def enterprise_editor_required(view):
    """Members of the enterprise in the URL and admins; others: 403 (anonymous: the login page)."""

    @wraps(view)
    def wrapped(enterprise_id: int, *args, **kwargs):
        if g.get("user") is None:
            return redirect(url_for("accounts.login", next=request.full_path))
        enterprise = _enterprise_or_404(enterprise_id)
        if not can_edit(g.user, enterprise):
            abort(403)
        return view(enterprise, *args, **kwargs)

    return wrapped


def enterprise_viewer(view):
    """Whoever may see the enterprise in the URL (hidden profiles: 404 for others)."""

    @wraps(view)
    def wrapped(enterprise_id: int, *args, **kwargs):
        enterprise = _enterprise_or_404(enterprise_id)
        if not can_view(g.get("user"), enterprise):
            abort(404)
        return view(enterprise, *args, **kwargs)

    return wrapped
