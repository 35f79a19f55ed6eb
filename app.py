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
    from common import db, i18n, nav, security

    db.init_app(app)
    security.init_app(app)
    app.before_request(load_current_user)
    i18n.init_app(app)
    nav.init_app(app)


def register_blueprints(app: Flask) -> None:
    from accounts.admin_views import bp as admin_bp
    from accounts.views import bp as accounts_bp
    from common.home import register_home

    register_home(app)
    for blueprint in (accounts_bp, admin_bp):
        app.register_blueprint(blueprint)


def register_error_pages(app: Flask) -> None:
    from common import errors

    errors.init_app(app)


def register_cli(app: Flask) -> None:
    from accounts.cli import users_cli
    from audit.cli import audit_cli
    from common.migrate import db_cli
    from demo.cli import demo_cli

    for command in (db_cli, demo_cli, users_cli, audit_cli):
        app.cli.add_command(command)
