"""One in-memory fuzzy index (registry.search.SearchIndex) per application.

Kept in ``app.extensions``; built from the database on first use, then kept current two ways:
services call ``upsert`` after each commit that changes a profile, and every read first asks the
database for ``max(updated_at)`` (one indexed aggregate, not a scan) and re-reads only the profiles
changed since the index last looked — so changes made by another worker process or by the CLI are
picked up too. Profiles are never deleted (they are suspended), so no removal path is needed.
"""
from __future__ import annotations

import threading
from datetime import datetime

from flask import current_app, has_app_context
from sqlalchemy import func
from sqlmodel import Session, select

from registry.identifiers import InvalidEnterpriseNumber
from registry.models import Enterprise
from registry.search import SearchIndex

EXTENSION_KEY = "registry.search_index"


class RegistryIndex:
    def __init__(self) -> None:
        self.index = SearchIndex()
        self.stamp: datetime | None = None
        self.lock = threading.Lock()

    def put(self, enterprise: Enterprise) -> None:
        kwargs = {"extra_label": "municipality", "postal_code": enterprise.postal_code or None}
        args = (enterprise.id, enterprise.legal_name, tuple(enterprise.trade_names or ()),
                " ".join(filter(None, [enterprise.municipality, enterprise.postal_code])))
        if enterprise.id in self.index:
            self.index.remove(enterprise.id)
        try:
            self.index.add(*args, enterprise_number=enterprise.enterprise_number, **kwargs)
        except InvalidEnterpriseNumber:
            self.index.add(*args, **kwargs)

    def refresh(self, session: Session) -> None:
        with self.lock:
            latest = session.exec(select(func.max(Enterprise.updated_at))).one()
            if latest is None or (self.stamp is not None and latest <= self.stamp):
                return
            query = select(Enterprise)
            if self.stamp is not None:
                query = query.where(Enterprise.updated_at >= self.stamp)
            for enterprise in session.exec(query):
                self.put(enterprise)
            self.stamp = latest


def get_index(session: Session) -> SearchIndex:
    """The application's index, brought up to date with the database."""
    state = current_app.extensions.get(EXTENSION_KEY)
    if state is None:
        state = current_app.extensions.setdefault(EXTENSION_KEY, RegistryIndex())
    state.refresh(session)
    return state.index


def upsert(enterprise: Enterprise) -> None:
    """After a commit: put the profile in the index at once (when the index has been built)."""
    if not has_app_context():
        return
    state = current_app.extensions.get(EXTENSION_KEY)
    if state is not None and enterprise.id is not None:
        with state.lock:
            state.put(enterprise)
