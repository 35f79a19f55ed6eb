"""Backup and restore of the whole application: every table and the uploaded files.

``flask --app app backup -o FILE`` writes a zip:

- ``database.json``: ``{"format": 1, "created_at", "dialect", "alembic_revision", "tables":
  {name: {"columns": [...], "rows": [[...], ...]}}}``, tables in dependency order (SQLModel
  metadata), rows ordered by primary key, values serialised losslessly: datetimes/dates/times as ISO
  8601 (a naive value stays naive), ``Decimal`` as a string, bytes as base64, JSON columns as-is;
- ``uploads/...``: every file under ``UPLOAD_DIR``, with its relative path.

``flask --app app restore FILE [--yes]`` loads it into a migrated database (``db upgrade`` first).
It refuses a database that holds any row unless ``--yes`` is given (then every row is deleted
first). All rows are inserted in one transaction (nothing is kept if any insert fails); on
PostgreSQL the id sequences are then set past the largest restored id. The files are written to
``UPLOAD_DIR`` only after the transaction has committed.

The format is independent of the database: a backup of SQLite restores into PostgreSQL and back.
"""
from __future__ import annotations

import base64
import datetime as dt
import decimal
import json
import shutil
import tempfile
import zipfile
from pathlib import Path, PurePosixPath

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import Table, func, inspect, select, text, types
from sqlalchemy.engine import Connection, Engine

from common.migrate import models_metadata
from common.timeutil import utcnow

FORMAT = 1
DB_MEMBER = "database.json"
UPLOADS_PREFIX = "uploads/"
INSERT_CHUNK = 500


class BackupError(click.ClickException):
    """A backup cannot be written or restored; the message says why."""


# --- values --------------------------------------------------------------------------------------

def _kind(column) -> str:
    t = column.type
    while isinstance(t, types.TypeDecorator):  # e.g. SQLModel's UTCDateTime, AutoString
        t = t.impl_instance if hasattr(t, "impl_instance") else t.impl
    if isinstance(t, types.JSON):
        return "json"
    if isinstance(t, types.DateTime):
        return "datetime"
    if isinstance(t, types.Date):
        return "date"
    if isinstance(t, types.Time):
        return "time"
    if isinstance(t, types.Numeric) and not isinstance(t, types.Float):
        return "decimal"
    if isinstance(t, types.LargeBinary):
        return "bytes"
    return "plain"


def dump_value(value, kind: str):
    if value is None:
        return None
    if kind == "json":
        return value
    if isinstance(value, (dt.datetime, dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, (bytes, bytearray, memoryview)):
        return base64.b64encode(bytes(value)).decode("ascii")
    if hasattr(value, "value") and not isinstance(value, (int, float, str, bool)):  # Enum
        return value.value
    return value


def load_value(value, kind: str):
    if value is None or kind in ("json", "plain"):
        return value
    if kind == "datetime":
        return dt.datetime.fromisoformat(value)
    if kind == "date":
        return dt.date.fromisoformat(value)
    if kind == "time":
        return dt.time.fromisoformat(value)
    if kind == "decimal":
        return decimal.Decimal(value)
    if kind == "bytes":
        return base64.b64decode(value)
    return value


# --- dump ------------------------------------------------------------------------------------------

def _tables() -> list[Table]:
    return list(models_metadata().sorted_tables)


def dump_table(conn: Connection, table: Table) -> dict:
    columns = list(table.columns)
    kinds = [_kind(c) for c in columns]
    order = list(table.primary_key.columns) or columns
    rows = conn.execute(select(*columns).order_by(*order)).all()
    return {
        "columns": [c.name for c in columns],
        "rows": [[dump_value(v, k) for v, k in zip(row, kinds)] for row in rows],
    }


def dump_database(engine: Engine) -> dict:
    """Every table's rows, serialised (also what the tests compare)."""
    with engine.connect() as conn:
        revision = None
        if inspect(conn).has_table("alembic_version"):
            revision = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
        return {
            "format": FORMAT,
            "created_at": utcnow().isoformat(),
            "dialect": engine.dialect.name,
            "alembic_revision": revision,
            "tables": {t.name: dump_table(conn, t) for t in _tables()},
        }


def write_backup(engine: Engine, upload_dir: str | Path, out: str | Path) -> dict:
    """Write the zip; returns counts (rows per table, number of files)."""
    data = dump_database(engine)
    upload_dir = Path(upload_dir)
    files = sorted(p for p in upload_dir.rglob("*") if p.is_file()) if upload_dir.is_dir() else []
    out = Path(out)
    tmp = out.with_name(out.name + ".part")
    with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(DB_MEMBER, json.dumps(data, ensure_ascii=False, separators=(",", ":")))
        for path in files:
            zf.write(path, UPLOADS_PREFIX + path.relative_to(upload_dir).as_posix())
    tmp.replace(out)  # a crash never leaves a half-written file under the final name
    return {"rows": {name: len(t["rows"]) for name, t in data["tables"].items()}, "files": len(files)}


# --- restore -------------------------------------------------------------------------------------

def count_rows(conn: Connection) -> int:
    return sum(conn.execute(select(func.count()).select_from(t)).scalar_one() for t in _tables())


def _fix_sequences(conn: Connection) -> None:
    """PostgreSQL: set each serial/identity sequence past the largest restored id."""
    for table in _tables():
        pk = list(table.primary_key.columns)
        if len(pk) != 1 or not isinstance(pk[0].type, types.Integer):
            continue
        quoted = conn.dialect.identifier_preparer.quote(table.name)
        seq = conn.execute(text("SELECT pg_get_serial_sequence(:t, :c)"),
                           {"t": quoted, "c": pk[0].name}).scalar()
        if seq:
            col = conn.dialect.identifier_preparer.quote(pk[0].name)
            conn.execute(text(
                f"SELECT setval(:seq, COALESCE((SELECT MAX({col}) FROM {quoted}), 1), "
                f"(SELECT MAX({col}) FROM {quoted}) IS NOT NULL)"), {"seq": seq})


def _safe_member_path(name: str) -> PurePosixPath | None:
    rel = PurePosixPath(name[len(UPLOADS_PREFIX):])
    if not rel.parts or rel.is_absolute() or ".." in rel.parts or name.endswith("/"):
        return None
    return rel


def restore_backup(engine: Engine, upload_dir: str | Path, archive: str | Path, *, replace: bool) -> dict:
    """Load a backup. Refuses a non-empty database unless ``replace``; one transaction."""
    try:
        zf = zipfile.ZipFile(archive)
    except (OSError, zipfile.BadZipFile) as exc:
        raise BackupError(f"{archive}: not a readable backup zip ({exc})") from exc
    with zf:
        try:
            data = json.loads(zf.read(DB_MEMBER))
        except KeyError as exc:
            raise BackupError(f"{archive}: no {DB_MEMBER} inside, not a backup of this app") from exc
        if data.get("format") != FORMAT:
            raise BackupError(f"{archive}: unknown backup format {data.get('format')!r}")
        tables = _tables()
        known = {t.name for t in tables}
        unknown = set(data["tables"]) - known
        if unknown:
            raise BackupError(f"the backup has tables this version does not know: {sorted(unknown)}; "
                              "run `flask db upgrade` with a newer version first")
        counts = {}
        with engine.begin() as conn:
            existing = count_rows(conn)
            if existing and not replace:
                raise BackupError(f"the database is not empty ({existing} rows); "
                                  "restore would replace everything: run again with --yes to confirm")
            for table in reversed(tables):
                conn.execute(table.delete())
            for table in tables:
                dumped = data["tables"].get(table.name)
                if not dumped or not dumped["rows"]:
                    counts[table.name] = 0
                    continue
                cols = [table.c[name] for name in dumped["columns"]]
                kinds = [_kind(c) for c in cols]
                rows = [{c.name: load_value(v, k) for c, k, v in zip(cols, kinds, row)}
                        for row in dumped["rows"]]
                for start in range(0, len(rows), INSERT_CHUNK):
                    conn.execute(table.insert(), rows[start:start + INSERT_CHUNK])
                counts[table.name] = len(rows)
            if conn.dialect.name == "postgresql":
                _fix_sequences(conn)
        # Files last, after the commit: extracted to a temporary folder, then moved in place.
        upload_dir = Path(upload_dir)
        upload_dir.mkdir(parents=True, exist_ok=True)
        files = 0
        with tempfile.TemporaryDirectory(dir=upload_dir.parent) as tmp:
            for name in zf.namelist():
                if not name.startswith(UPLOADS_PREFIX):
                    continue
                rel = _safe_member_path(name)
                if rel is None:
                    continue  # never write outside UPLOAD_DIR
                target = Path(tmp, *rel.parts)
                target.parent.mkdir(parents=True, exist_ok=True)
                with zf.open(name) as src, open(target, "wb") as dst:
                    shutil.copyfileobj(src, dst)
                files += 1
            for path in sorted(Path(tmp).rglob("*")):
                if path.is_file():
                    dest = upload_dir / path.relative_to(tmp)
                    dest.parent.mkdir(parents=True, exist_ok=True)
                    path.replace(dest)
    return {"rows": counts, "files": files}


# --- CLI -----------------------------------------------------------------------------------------

@click.command("backup")
@click.option("-o", "--output", "output", required=True, type=click.Path(dir_okay=False),
              help="Zip file to write.")
@with_appcontext
def backup_command(output: str) -> None:
    """Write every table and the uploaded files to a zip."""
    from common.db import get_engine

    result = write_backup(get_engine(), current_app.config["UPLOAD_DIR"], output)
    click.echo(f"backup written to {output}: {sum(result['rows'].values())} rows in "
               f"{len(result['rows'])} tables, {result['files']} uploaded files")


@click.command("restore")
@click.argument("archive", type=click.Path(exists=True, dir_okay=False))
@click.option("--yes", is_flag=True, help="Confirm replacing a database that is not empty.")
@with_appcontext
def restore_command(archive: str, yes: bool) -> None:
    """Restore a backup zip into the configured (migrated) database and UPLOAD_DIR."""
    from common.db import get_engine

    result = restore_backup(get_engine(), current_app.config["UPLOAD_DIR"], archive, replace=yes)
    click.echo(f"restored {sum(result['rows'].values())} rows in {len(result['rows'])} tables and "
               f"{result['files']} uploaded files from {archive}")
