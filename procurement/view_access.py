"""Object-level access for the bid, opening and evaluation pages: a decorator that loads the tender
named in the URL and applies the predicates of ``accounts.access``."""
from __future__ import annotations

from functools import wraps

from flask import abort, g, redirect, request, url_for
from sqlmodel import select

from accounts.access import can_edit_authority
from common.db import get_session
from procurement.joint_access import can_read_tender
from procurement.models import Lot, Tender


def tender_view(*, edit: bool = False):
    """Pass the tender ``ref`` (and lot ``number``, when in the URL) to the view, for users who may
    read the tender's authority (``edit=True``: only its buyers). Others get 403."""

    def decorator(view):
        @wraps(view)
        def wrapped(ref: str, **kwargs):
            user = g.get("user")
            if user is None:
                return redirect(url_for("accounts.login", next=request.full_path))
            session = get_session()
            tender = session.exec(select(Tender).where(Tender.reference == ref)).first()
            if tender is None:
                abort(404)
            allowed = can_edit_authority(user, tender.authority_id) if edit \
                else can_read_tender(user, tender, session)  # joint participants read (issue 10)
            if not allowed:
                abort(403)
            if "number" in kwargs:
                number = kwargs.pop("number")
                lot = session.exec(select(Lot).where(Lot.tender_id == tender.id, Lot.number == number)).first()
                if lot is None:
                    abort(404)
                return view(tender, lot, **kwargs)
            return view(tender, **kwargs)

        return wrapped

    return decorator
