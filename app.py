"""The procurement assistant's application factory.

Reads like a table of contents: configuration, extensions, blueprints, error pages, CLI.
Nothing runs at import time; ``flask --app app ...`` and the tests call ``create_app()``.
"""
from __future__ import annotations

from flask import Flask


def create_app(test_config: dict | None = None) -> Flask:
    app = Flask(__name__, instance_relative_config=True)
    from common.config import load_config

    load_config(app, test_config)
    register_extensions(app)
    register_blueprints(app)
    register_error_pages(app)
    register_cli(app)
    return app


def register_extensions(app: Flask) -> None:
    from accounts.access import load_current_user
    from common import db, i18n, nav, requestlog, security

    requestlog.init_app(app)  # first: the request id exists for every later hook and log line
    db.init_app(app)
    security.init_app(app)
    app.before_request(load_current_user)
    i18n.init_app(app)
    nav.init_app(app)


def register_blueprints(app: Flask) -> None:
    from accounts.admin_views import bp as admin_bp
    from accounts.views import bp as accounts_bp
    from api.token_views import bp as api_tokens_bp
    from api.views import bp as api_bp
    from accounts.reset_views import bp as reset_bp
    from common.health import bp as health_bp
    from common.home import register_home
    from procurement.bid_views import bp as bids_bp
    from procurement.evaluation_views import bp as evaluation_bp
    from procurement.impact_views import bp as impact_bp
    from procurement.job_views import bp as jobs_bp
    from procurement.matching_views import bp as matching_bp
    from procurement.monitoring_views import bp as monitoring_bp
    from procurement.opening_views import bp as opening_bp
    from procurement.views import bp as procurement_bp
    from registry.views import bp as registry_bp

    register_home(app)
    for blueprint in (
        accounts_bp, admin_bp, reset_bp,  # login, language, users, password reset
        health_bp,  # /health (issue 9)
        registry_bp,  # social-economy enterprises (issue 3)
        procurement_bp,  # tender drafting and documents (issue 4)
        bids_bp, opening_bp, evaluation_bp,  # sealed bids, opening, scoring (issue 5)
        monitoring_bp, impact_bp,  # contracts after the award, impact dashboard (issue 7)
        matching_bp,  # tenders for you, matched firms and funnel (issue 6)
        api_bp, api_tokens_bp,  # JSON API /api/v1 and personal API tokens (issue 6)
        jobs_bp,  # background document jobs with progress (issue 8)
    ):
        app.register_blueprint(blueprint)
    from common.security import csrf

    csrf.exempt(api_bp)  # token auth only: the API never reads the session cookie for writes


def register_error_pages(app: Flask) -> None:
    from common import errors

    errors.init_app(app)


def register_cli(app: Flask) -> None:
    from accounts.cli import users_cli
    from audit.cli import audit_cli
    from common.backup import backup_command, restore_command
    from common.mail import outbox_cli
    from common.migrate import db_cli
    from demo.cli import demo_cli
    from procurement import report_cli
    from procurement.clause_cli import clause_group, insertion_hours_command
    from procurement.impact_cli import impact_cli
    from procurement.job_cli import jobs_cli
    from procurement.cli import tender_cli
    from procurement.monitoring_cli import contracts_cli
    from registry.cli import refdata_cli, registry_cli

    for command in (db_cli, demo_cli, users_cli, audit_cli, registry_cli, refdata_cli, tender_cli,
                    insertion_hours_command, clause_group, contracts_cli, impact_cli,
                    backup_command, restore_command, outbox_cli, jobs_cli):
        app.cli.add_command(command)
    report_cli.register(app)  # `score`, `verify-report`, and `tender report` inside the tender group
