"""Backup and restore round-trip the demo data and the uploaded files exactly (issue 9)."""
from __future__ import annotations

import json
import uuid
import zipfile
from pathlib import Path

import pytest
from sqlalchemy import text

from common.backup import dump_database
from common.db import make_engine
from common.migrate import models_metadata
from tests.conftest import PG_BASE_URL, pg_url_with_schema


@pytest.fixture
def fresh_app(app, tmp_path):
    """A second app on an empty database of the same kind (SQLite file or PostgreSQL schema)."""
    from app import create_app

    if app.config["DATABASE_URL"].startswith("sqlite"):
        url = f"sqlite:///{tmp_path / 'restored.sqlite'}"
        cleanup = None
    else:
        schema = f"procure_restore_{uuid.uuid4().hex[:10]}"
        admin = make_engine(PG_BASE_URL)
        with admin.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
        url = pg_url_with_schema(schema)

        def cleanup():
            with admin.begin() as conn:
                conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
            admin.dispose()
    engine = make_engine(url)
    models_metadata().create_all(engine)
    engine.dispose()
    restored = create_app({"TESTING": True, "SECRET_KEY": "test-secret", "DATABASE_URL": url,
                           "UPLOAD_DIR": str(tmp_path / "uploads-restored")})
    yield restored
    restored.extensions["procure.engine"].dispose()
    if cleanup:
        cleanup()


def files_under(folder) -> dict[str, bytes]:
    folder = Path(folder)
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def tables_of(app) -> dict:
    return dump_database(app.extensions["procure.engine"])["tables"]


def test_backup_then_restore_into_a_fresh_database_is_exact(demo, fresh_app, runner, tmp_path):
    app = demo
    upload_dir = Path(app.config["UPLOAD_DIR"])
    assert any(p.suffix == ".pdf" for p in upload_dir.rglob("*")), "the demo has uploaded PDFs"
    (upload_dir / "extra" / "nested").mkdir(parents=True, exist_ok=True)
    (upload_dir / "extra" / "nested" / "blob.bin").write_bytes(bytes(range(256)))
    original_files = files_under(upload_dir)
    original = tables_of(app)
    assert sum(len(t["rows"]) for t in original.values()) > 100

    archive = tmp_path / "backup.zip"
    result = runner.invoke(args=["backup", "-o", str(archive)])
    assert result.exit_code == 0, result.output
    with zipfile.ZipFile(archive) as zf:
        data = json.loads(zf.read("database.json"))
        names = zf.namelist()
    assert list(data["tables"]) == [t.name for t in models_metadata().sorted_tables]
    assert "uploads/extra/nested/blob.bin" in names
    # Lossless text forms: Decimals as strings, datetimes in ISO 8601.
    tender = data["tables"]["tender"]
    values = {row[tender["columns"].index("estimated_value")] for row in tender["rows"]}
    assert "480000.00" in values
    created = tender["rows"][0][tender["columns"].index("created_at")]
    assert isinstance(created, str) and created[4] == "-" and "T" in created

    restore = fresh_app.test_cli_runner()
    result = restore.invoke(args=["restore", str(archive)])
    assert result.exit_code == 0, result.output
    restored = tables_of(fresh_app)
    for name, table in original.items():
        assert restored[name] == table, f"table {name} differs after restore"
    assert files_under(fresh_app.config["UPLOAD_DIR"]) == original_files
    verify = restore.invoke(args=["audit", "verify"])
    assert verify.exit_code == 0, verify.output  # the audit log's hash chain survives

    # Ids continue after the restored ones (PostgreSQL sequences are fixed).
    from accounts.models import User
    from accounts.services import create_user
    from common.db import get_session

    with fresh_app.app_context():
        session = get_session()
        user = create_user(session, "new@example.org", "long-enough-1", "buyer")
        session.commit()
        assert user.id > max(row[0] for row in original["user"]["rows"])
        assert session.get(User, user.id).email == "new@example.org"


def test_restore_refuses_a_non_empty_database_without_yes(demo, runner, tmp_path):
    archive = tmp_path / "backup.zip"
    assert runner.invoke(args=["backup", "-o", str(archive)]).exit_code == 0
    before = tables_of(demo)
    result = runner.invoke(args=["restore", str(archive)])
    assert result.exit_code != 0
    assert "not empty" in result.output and "--yes" in result.output
    assert tables_of(demo) == before
    result = runner.invoke(args=["restore", str(archive), "--yes"])
    assert result.exit_code == 0, result.output
    assert tables_of(demo) == before


def test_a_failing_restore_changes_nothing(demo, fresh_app, runner, tmp_path):
    archive = tmp_path / "backup.zip"
    assert runner.invoke(args=["backup", "-o", str(archive)]).exit_code == 0
    broken = tmp_path / "broken.zip"
    with zipfile.ZipFile(archive) as src, zipfile.ZipFile(broken, "w") as dst:
        data = json.loads(src.read("database.json"))
        rows = data["tables"]["user"]["rows"]
        rows.append(list(rows[0]))  # duplicate primary key: the insert fails
        dst.writestr("database.json", json.dumps(data))
    result = fresh_app.test_cli_runner().invoke(args=["restore", str(broken)])
    assert result.exit_code != 0
    assert all(not t["rows"] for t in tables_of(fresh_app).values())


def test_restore_rejects_a_file_that_is_not_a_backup(fresh_app, tmp_path):
    bogus = tmp_path / "x.zip"
    bogus.write_text("not a zip")
    result = fresh_app.test_cli_runner().invoke(args=["restore", str(bogus)])
    assert result.exit_code != 0 and "not a readable backup" in result.output
