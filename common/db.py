"""The one place that creates the database engine and sessions.

The engine is built from ``DATABASE_URL`` and kept in ``app.extensions``; each request gets one
``Session`` (``get_session()``), closed on teardown. Nothing else creates engines.
"""
from __future__ import annotations

from flask import current_app, g
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlmodel import Session, create_engine

EXTENSION_KEY = "procure.engine"


def make_engine(url: str, **kwargs) -> Engine:
    """Create an engine; SQLite gets foreign keys on and a thread-safe setting for the dev server."""
    if url.startswith("sqlite"):
        kwargs.setdefault("connect_args", {"check_same_thread": False})
        engine = create_engine(url, **kwargs)

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_connection, _record):  # pragma: no cover - trivial
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.close()

        return engine
    kwargs.setdefault("pool_pre_ping", True)
    return create_engine(url, **kwargs)


def init_app(app) -> None:
    if EXTENSION_KEY not in app.extensions:
        app.extensions[EXTENSION_KEY] = make_engine(
            app.config["DATABASE_URL"], **app.config.get("ENGINE_OPTIONS", {})
        )
    app.teardown_appcontext(close_session)


def get_engine() -> Engine:
    return current_app.extensions[EXTENSION_KEY]


def get_session() -> Session:
    """The session of the current request (or CLI command), created on first use."""
    if "db_session" not in g:
        g.db_session = Session(get_engine(), expire_on_commit=False)
    return g.db_session


def close_session(_exc=None) -> None:
    session = g.pop("db_session", None)
    if session is not None:
        session.close()
