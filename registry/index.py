"""One in-memory fuzzy index (registry.search.SearchIndex) per application (so per worker process).

Kept in ``app.extensions``; built from the database on first use, then kept current two ways:
services call ``upsert`` after each commit that changes a profile, and every read first asks the
database for ``max(updated_at)`` (one indexed aggregate, not a scan) and re-reads only the profiles
changed since the index last looked — so changes made by another worker process or by the CLI are
picked up too. It is never rebuilt per request. Profiles are never deleted (they are suspended), so no
removal path is needed.

Next to the index it keeps each profile's status (every change of status goes through
``history.record``, which moves ``updated_at``), so that a text search restricted only by status
(the public directory: validated profiles) gets its candidate set from memory instead of reading
every id from the database; ``registry.finder`` still checks the status of the matches in SQL.
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
# The columns the index needs (the initial build reads these, not whole ORM objects).
_COLUMNS = (Enterprise.id, Enterprise.legal_name, Enterprise.trade_names, Enterprise.municipality,
            Enterprise.postal_code, Enterprise.enterprise_number, Enterprise.status)


class RegistryIndex:
    def __init__(self) -> None:
        self.index = SearchIndex()
        self.stamp: datetime | None = None
        self.lock = threading.Lock()
        self.status: dict[int, str] = {}
        # ids_with_status's answers (key None: every id), emptied when a status changes or an id is added
        self._by_statuses: dict[tuple[str, ...] | None, frozenset[int]] = {}

    def put(self, enterprise) -> None:
        """Index (or re-index) a profile: an Enterprise or a row with the same attributes."""
        kwargs = {"extra_label": "municipality", "postal_code": enterprise.postal_code or None}
        args = (enterprise.id, enterprise.legal_name, tuple(enterprise.trade_names or ()),
                " ".join(filter(None, [enterprise.municipality, enterprise.postal_code])))
        if enterprise.id in self.index:
            self.index.remove(enterprise.id)
        try:
            self.index.add(*args, enterprise_number=enterprise.enterprise_number, **kwargs)
        except InvalidEnterpriseNumber:
            self.index.add(*args, **kwargs)
        if self.status.get(enterprise.id) != enterprise.status:
            self.status[enterprise.id] = enterprise.status
            self._by_statuses = {}

    def refresh(self, session: Session) -> None:
        with self.lock:
            latest = session.exec(select(func.max(Enterprise.updated_at))).one()
            if latest is None or (self.stamp is not None and latest <= self.stamp):
                return
            query = select(*_COLUMNS)
            if self.stamp is not None:
                query = query.where(Enterprise.updated_at >= self.stamp)
            for row in session.execute(query):
                self.put(row)
            self.stamp = latest

    def ids_with_status(self, statuses) -> frozenset[int]:
        """Ids of the indexed profiles whose status is one of ``statuses`` (None: every profile), as an
        immutable set cached until a status changes or a profile is added, so that a search may hold
        it while another thread updates the index."""
        key = None if statuses is None else tuple(sorted(statuses))
        found = self._by_statuses.get(key)
        if found is None:
            with self.lock:
                found = frozenset(self.status if key is None else (i for i, s in self.status.items() if s in key))
                self._by_statuses[key] = found
        return found


def get_registry_index(session: Session) -> RegistryIndex:
    """The application's index state (index and statuses), brought up to date with the database."""
    state = current_app.extensions.get(EXTENSION_KEY)
    if state is None:
        state = current_app.extensions.setdefault(EXTENSION_KEY, RegistryIndex())
    state.refresh(session)
    return state


def get_index(session: Session) -> SearchIndex:
    """The application's index, brought up to date with the database."""
    return get_registry_index(session).index


def upsert(enterprise: Enterprise) -> None:
    """After a commit: put the profile in the index at once (when the index has been built)."""
    if not has_app_context():
        return
    state = current_app.extensions.get(EXTENSION_KEY)
    if state is not None and enterprise.id is not None:
        with state.lock:
            state.put(enterprise)
