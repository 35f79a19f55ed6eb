"""Alembic driven from the app: ``flask --app app db upgrade`` and friends.

The schema outside tests is created only by migrations (``migrations/versions``), never by
``create_all``. ``models_metadata()`` imports every models module so autogenerate and the
consistency test see all tables.
"""
from __future__ import annotations

import importlib
from pathlib import Path

import click
from alembic import command
from alembic.config import Config
from flask import current_app
from flask.cli import AppGroup
from sqlmodel import SQLModel

ROOT = Path(__file__).resolve().parent.parent
MODEL_MODULES = (
    "accounts.models",
    "audit.models",
    "registry.models",
    "procurement.models",
    "procurement.bid_models",
    "procurement.monitoring_models",
    "procurement.joint_models",
    "accounts.reset_models",
    "procurement.matching_models",
    "api.models",
    "procurement.job_models",  # background document jobs (issue 8)
)


def models_metadata():
    """Import every models module that exists and return the shared SQLModel metadata."""
    for name in MODEL_MODULES:
        try:
            importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise
    return SQLModel.metadata


def alembic_config(url: str) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(ROOT / "migrations"))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


def upgrade(url: str, revision: str = "head") -> None:
    command.upgrade(alembic_config(url), revision)


db_cli = AppGroup("db", help="Database schema migrations (Alembic).")


@db_cli.command("upgrade")
@click.argument("revision", default="head")
def upgrade_command(revision: str) -> None:
    """Apply the migrations up to REVISION (default: head) to the configured database."""
    upgrade(current_app.config["DATABASE_URL"], revision)
    click.echo(f"Database upgraded to {revision}.")


@db_cli.command("downgrade")
@click.argument("revision")
def downgrade_command(revision: str) -> None:
    """Revert the migrations down to REVISION."""
    command.downgrade(alembic_config(current_app.config["DATABASE_URL"]), revision)


@db_cli.command("revision")
@click.option("-m", "--message", required=True)
def revision_command(message: str) -> None:
    """Write a new migration from the difference between the models and the database (developers)."""
    command.revision(
        alembic_config(current_app.config["DATABASE_URL"]), message=message, autogenerate=True
    )


@db_cli.command("check")
def check_command() -> None:
    """Fail when the models differ from the migrated schema."""
    command.check(alembic_config(current_app.config["DATABASE_URL"]))
    click.echo("Models and migrations agree.")
