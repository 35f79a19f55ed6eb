"""Error pages in the user's language."""
from flask import current_app, render_template, request
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError

from common.requestlog import current_request_id

TITLES = {
    400: _l("Bad request"),
    403: _l("Access denied"),
    404: _l("Page not found"),
    405: _l("Method not allowed"),
    413: _l("File too large"),
    429: _l("Too many requests"),
    500: _l("Internal error"),
}
EXPLANATIONS = {
    400: _l("The request could not be understood. Check the form and try again."),
    403: _l("You do not have access to this page with your account."),
    404: _l("This page does not exist, or no longer exists."),
    405: _l("This address cannot be used in this way."),
    413: _l("The file sent is larger than the allowed limit."),
    429: _l("Too many attempts. Please wait a few minutes."),
    500: _l("Something went wrong on our side. Nothing you entered has been saved twice; please try again."),
}


def render_error(code: int, detail=None):
    """The error page: a fixed title and explanation per status code, never the exception's text or
    a traceback (those go to the log with the request id); the request id is shown so that a user
    can quote it to support."""
    return render_template(
        "errors/error.html", code=code, title=TITLES[code], explanation=detail or EXPLANATIONS[code],
        request_id=current_request_id(),
    ), code


def _error_response(code: int, error=None):
    """The error page, or the renderer a blueprint registered for its URL prefix in
    ``app.extensions["error_renderers"]`` (the JSON API answers application/problem+json)."""
    for prefix, renderer in current_app.extensions.get("error_renderers", {}).items():
        if request.path.startswith(prefix):
            return renderer(code, error)
    return render_error(code)


def init_app(app) -> None:
    for code in TITLES:
        app.register_error_handler(code, lambda e, code=code: _error_response(code, e))

    @app.errorhandler(CSRFError)
    def csrf_error(_e):
        return render_error(400, _l("The form has expired or was not sent from this site. Reload the page and try again."))
