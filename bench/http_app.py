"""The WSGI application that ``make bench-http`` serves with gunicorn: the real app, plus a
minimal Flask app mounted at ``/__ceiling`` in the same worker processes (werkzeug's
DispatcherMiddleware). The ceiling route answers "ok" with no database, template, session or
middleware of the real app: the throughput of this server/worker setup on this machine with no
application work, against which the real pages are compared. It exists only in this module, which
the application itself never imports (``make run`` and production serve ``app:create_app()``).
"""
from __future__ import annotations

from flask import Flask
from werkzeug.middleware.dispatcher import DispatcherMiddleware

from app import create_app

ceiling = Flask("ceiling")


@ceiling.get("/")
def ok():
    return "ok", 200, {"Content-Type": "text/plain"}


application = DispatcherMiddleware(create_app(), {"/__ceiling": ceiling})
