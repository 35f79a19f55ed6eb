"""The schema comes from Alembic migrations, and they match the models, on both databases."""
import pytest
from alembic import command
from sqlalchemy import inspect, text

from common.db import make_engine
from common.migrate import alembic_config, models_metadata, upgrade
from tests.conftest import PG_BASE_URL, pg_url_with_schema


def _check_matches_models(url):
    upgrade(url)
    command.check(alembic_config(url))  # raises if the models differ from the migrated schema
    engine = make_engine(url)
    tables = set(inspect(engine).get_table_names())
    engine.dispose()
    assert {t.name for t in models_metadata().sorted_tables} <= tables


def test_migrations_from_empty_sqlite(tmp_path):
    _check_matches_models(f"sqlite:///{tmp_path / 'm.sqlite'}")


@pytest.mark.postgres
def test_migrations_from_empty_postgresql(pg_schema):
    schema = pg_schema + "_mig"
    admin = make_engine(PG_BASE_URL)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        _check_matches_models(pg_url_with_schema(schema))
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def test_flask_db_upgrade_command(tmp_path, monkeypatch):
    from app import create_app

    app = create_app({"DATABASE_URL": f"sqlite:///{tmp_path / 'cli.sqlite'}", "TESTING": True})
    result = app.test_cli_runner().invoke(args=["db", "upgrade"])
    assert result.exit_code == 0, result.output
    assert "upgraded" in result.output
    result = app.test_cli_runner().invoke(args=["db", "check"])
    assert result.exit_code == 0, result.output
