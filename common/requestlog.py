"""Request ids and one structured log line per request.

Every response carries ``X-Request-ID``: the incoming header when it is sane (1-64 characters of
letters, digits, ``-``, ``_``, ``.``), otherwise a fresh random id. ``RequestIdFilter`` puts the id
(and the user's id) on every log record emitted during the request, so that any log line can be
traced back to the request that caused it. At the end of each request one JSON line is logged on
the ``procure.request`` logger: method, path (no query string: it may hold personal data), status,
duration in ms, request id and user id.
"""
from __future__ import annotations

import json
import logging
import re
import time
import uuid

from flask import g, has_request_context, request

HEADER = "X-Request-ID"
_SANE_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")
logger = logging.getLogger("procure.request")


def sane_request_id(value: str | None) -> str:
    """The incoming id if it is safe to echo and to log (no CR/LF, bounded length), else a new one."""
    if value and _SANE_ID.match(value):
        return value
    return uuid.uuid4().hex


def current_request_id() -> str | None:
    return g.get("request_id") if has_request_context() else None


class RequestIdFilter(logging.Filter):
    """Adds ``request_id`` and ``user_id`` to every record ("-" outside a request)."""

    def filter(self, record: logging.LogRecord) -> bool:
        request_id = user_id = None
        if has_request_context():
            request_id = g.get("request_id")
            user = g.get("user")
            user_id = getattr(user, "id", None)
        if not hasattr(record, "request_id"):
            record.request_id = request_id or "-"
        if not hasattr(record, "user_id"):
            record.user_id = user_id if user_id is not None else "-"
        return True


def _start() -> None:
    g.request_id = sane_request_id(request.headers.get(HEADER))
    g.request_started = time.perf_counter()


def _finish(response):
    request_id = g.get("request_id") or sane_request_id(None)
    response.headers[HEADER] = request_id
    started = g.get("request_started")
    duration_ms = round((time.perf_counter() - started) * 1000, 1) if started else None
    user = g.get("user")
    entry = {
        "event": "request",
        "method": request.method,
        "path": request.path,
        "status": response.status_code,
        "duration_ms": duration_ms,
        "request_id": request_id,
        "user_id": getattr(user, "id", None),
    }
    logger.info(json.dumps(entry, separators=(",", ":")))
    return response


def init_app(app) -> None:
    """Register the hooks and attach the filter to the app's and the request logger's handlers."""
    app.before_request(_start)
    app.after_request(_finish)
    id_filter = RequestIdFilter()
    for log in (app.logger, logger):
        if not any(isinstance(f, RequestIdFilter) for f in log.filters):
            log.addFilter(id_filter)
    if not logger.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter(
            "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"))
        handler.addFilter(id_filter)
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)
        logger.propagate = False
