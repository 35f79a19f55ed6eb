"""Errors of the API as ``application/problem+json`` (RFC 9457): type, title, status, detail, and
for validation errors ``errors: [{"field", "message"}]`` naming each bad field."""
from __future__ import annotations

import json
from http import HTTPStatus

from flask import Response
from flask_babel import lazy_gettext as _l

PROBLEM_TYPE = "application/problem+json"
DETAILS = {
    400: _l("The request could not be understood."),
    401: _l("A valid API token is required: send “Authorization: Bearer <token>”."),
    403: _l("Your account's role does not allow this operation."),
    404: _l("No such resource."),
    405: _l("This method is not allowed on this address."),
    409: _l("The resource is not in a state that allows this operation."),
    413: _l("The request body is larger than the allowed limit."),
    415: _l("Send the body as JSON with “Content-Type: application/json”."),
    422: _l("Some fields are not valid."),
    429: _l("Too many requests. Please wait a few minutes."),
    500: _l("Something went wrong on our side. Nothing was changed."),
    503: _l("This service is not available at the moment."),
}


class ApiError(Exception):
    """Raised by the API views; turned into a problem response."""

    def __init__(self, status: int, detail=None, errors: list[dict] | None = None):
        super().__init__(str(detail or DETAILS.get(status, "")))
        self.status, self.detail, self.errors = status, detail, errors


def problem(status: int, detail=None, errors: list[dict] | None = None, headers: dict | None = None) -> Response:
    try:
        title = HTTPStatus(status).phrase
    except ValueError:
        title = "Error"
    body = {"type": "about:blank", "title": title, "status": status,
            "detail": str(detail if detail is not None else DETAILS.get(status, title))}
    if errors is not None:
        body["errors"] = [{"field": e["field"], "message": str(e["message"])} for e in errors]
    response = Response(json.dumps(body, ensure_ascii=False), status=status, mimetype=PROBLEM_TYPE)
    if status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="api"'
    for key, value in (headers or {}).items():
        response.headers[key] = value
    return response


def validation_problem(errors: list[dict]) -> ApiError:
    """A 422 whose detail names every bad field."""
    fields = ", ".join(dict.fromkeys(e["field"] for e in errors))
    first = errors[0]
    detail = _l("Invalid field(s): %(fields)s. %(field)s: %(message)s", fields=fields, field=first["field"],
                message=str(first["message"]))
    return ApiError(422, detail, errors)
