"""Test fixtures: an app on SQLite and, when a server answers, the same app on PostgreSQL.

Every test that uses ``app`` (directly or through ``client``, ``runner``, ``session``) runs once per
database. With CI=true, PostgreSQL is required: a missing server fails the run instead of skipping.
"""
from __future__ import annotations

import os
import re
import shutil
import uuid
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlmodel import SQLModel

from common.db import make_engine
from common.migrate import models_metadata

ROOT = Path(__file__).resolve().parent.parent
SHARED_DATA = ROOT.parent / "shared" / "data"
PG_BASE_URL = os.environ.get("PROCURE_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def _pg_available() -> str | None:
    """None when PostgreSQL answers, else the reason."""
    try:
        engine = make_engine(PG_BASE_URL)
        with engine.connect() as conn:
            conn.execute(text("select 1"))
        engine.dispose()
        return None
    except Exception as exc:  # any connection failure means "not available"
        return f"{type(exc).__name__}: {str(exc).splitlines()[0]}"


_PG_PROBLEM = _pg_available()


def pg_url_with_schema(schema: str) -> str:
    return f"{PG_BASE_URL}?options=-csearch_path%3D{schema}"


@pytest.fixture(scope="session")
def pg_schema():
    """A private schema in the test database for this test session, dropped at the end."""
    if _PG_PROBLEM:
        if IN_CI:
            pytest.fail(f"CI=true but PostgreSQL is not reachable at {PG_BASE_URL}: {_PG_PROBLEM}")
        pytest.skip(f"PostgreSQL not reachable ({_PG_PROBLEM})")
    schema = f"procure_test_{uuid.uuid4().hex[:10]}"
    admin = make_engine(PG_BASE_URL)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    engine = make_engine(pg_url_with_schema(schema))
    models_metadata().create_all(engine)
    engine.dispose()
    yield schema
    with admin.begin() as conn:
        conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    admin.dispose()


def _truncate_all(engine) -> None:
    tables = ", ".join(f'"{t.name}"' for t in models_metadata().sorted_tables)
    with engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(request, tmp_path):
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'test.sqlite'}"
        engine = make_engine(url)
        models_metadata().create_all(engine)
        engine.dispose()
        yield url
    else:
        schema = request.getfixturevalue("pg_schema")
        url = pg_url_with_schema(schema)
        yield url
        engine = make_engine(url)
        _truncate_all(engine)
        engine.dispose()


@pytest.fixture
def app(db_url, tmp_path):
    from app import create_app

    application = create_app({
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "DATABASE_URL": db_url,
        "UPLOAD_DIR": str(tmp_path / "uploads"),
        "DOCUMENT_CACHE_DIR": str(tmp_path / "document-cache"),
        "WTF_CSRF_ENABLED": True,
    })
    yield application
    application.extensions["procure.engine"].dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def session(app):
    """A database session of the test's own (no app context is held open, so each request gets
    a fresh ``g`` as in production)."""
    from sqlmodel import Session

    with Session(app.extensions["procure.engine"], expire_on_commit=False) as db_session:
        yield db_session


@pytest.fixture(scope="session")
def sqlite_demo_template(tmp_path_factory):
    """The demo data loaded once per test session into an SQLite file (and its uploads folder);
    SQLite tests that need the demo get a copy, which is identical to loading it again."""
    from app import create_app
    from common.db import get_session
    from demo import load_all

    folder = tmp_path_factory.mktemp("demo-template")
    url = f"sqlite:///{folder / 'demo.sqlite'}"
    engine = make_engine(url)
    models_metadata().create_all(engine)
    engine.dispose()
    application = create_app({"TESTING": True, "SECRET_KEY": "test-secret", "DATABASE_URL": url,
                              "UPLOAD_DIR": str(folder / "uploads"),
                              "DOCUMENT_CACHE_DIR": str(folder / "document-cache")})
    with application.app_context():
        load_all(get_session())
    application.extensions["procure.engine"].dispose()
    return folder / "demo.sqlite", folder / "uploads"


@pytest.fixture
def demo(app, db_url, request):
    """The demo data in the test database (same loaders as ``flask demo load``)."""
    if db_url.startswith("sqlite:///"):
        template, uploads = request.getfixturevalue("sqlite_demo_template")
        app.extensions["procure.engine"].dispose()
        shutil.copyfile(template, db_url.removeprefix("sqlite:///"))
        if uploads.exists():
            shutil.copytree(uploads, app.config["UPLOAD_DIR"], dirs_exist_ok=True)
        return app
    from common.db import get_session
    from demo import load_all

    with app.app_context():
        load_all(get_session())
    return app


CSRF_RE = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def csrf_token(client, url: str = "/login") -> str:
    """The CSRF token of the form served at ``url`` (as a browser would read it)."""
    html = client.get(url).get_data(as_text=True)
    match = CSRF_RE.search(html)
    assert match, f"no CSRF token in {url}"
    return match.group(1)


def login(client, email: str, password: str = "demo-2026"):
    token = csrf_token(client, "/login")
    return client.post("/login", data={"email": email, "password": password, "csrf_token": token})


@pytest.fixture
def login_as(client):
    def _login(email: str, password: str = "demo-2026"):
        response = login(client, email, password)
        assert response.status_code == 302, response.get_data(as_text=True)[:500]
        return client

    return _login
