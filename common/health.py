"""``/health``: is the app up and does the database answer? For load balancers and monitoring.

Public and cheap: the answer names no host, URL, version or error text (those would help an
attacker); the detail of a database failure goes to the log with the request id.
"""
from __future__ import annotations

from flask import Blueprint, current_app, jsonify
from sqlalchemy import text

from common.db import get_engine

bp = Blueprint("health", __name__)


def database_reachable() -> bool:
    try:
        with get_engine().connect() as conn:
            conn.execute(text("SELECT 1"))
        return True
    except Exception:  # any failure means "not reachable"; the detail is logged, not shown
        current_app.logger.exception("health check: database not reachable")
        return False


@bp.route("/health")
def health():
    ok = database_reachable()
    body = {"status": "ok" if ok else "error", "database": "reachable" if ok else "unreachable"}
    response = jsonify(body)
    response.status_code = 200 if ok else 503
    response.headers["Cache-Control"] = "no-store"
    return response
