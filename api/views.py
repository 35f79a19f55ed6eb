"""``/api/v1``: thin views over ``api.services``. Reads are public; writes need a personal token
(``Authorization: Bearer pa_...``); a session cookie never authorises a write (the blueprint is
exempt from CSRF because it ignores cookies). Every error is ``application/problem+json``."""
from __future__ import annotations

import json
import logging

from flask import Blueprint, current_app, g, request, url_for
from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import HTTPException

from accounts.models import Role
from api import services, spec, tokens
from api.problems import ApiError, problem, validation_problem
from common.db import get_session
from registry.validation import ValidationError

bp = Blueprint("api", __name__, url_prefix="/api/v1")
log = logging.getLogger(__name__)
PREFIX = "/api/v1/"


# ---------------------------------------------------------------- errors
@bp.errorhandler(ApiError)
def _api_error(exc: ApiError):
    return problem(exc.status, exc.detail, exc.errors)


@bp.errorhandler(HTTPException)
def _http_error(exc: HTTPException):
    return problem(exc.code or 500)


@bp.errorhandler(Exception)
def _unexpected(exc: Exception):
    log.exception("API error")
    get_session().rollback()
    return problem(500)


def error_renderer(code: int, _error=None):
    """Errors raised before a view runs (unknown /api/v1 path: 404 or 405), as problems."""
    return problem(code)


@bp.record_once
def _register_error_renderer(state) -> None:
    state.app.extensions.setdefault("error_renderers", {})[PREFIX] = error_renderer


# ---------------------------------------------------------------- authentication
def _bearer() -> str | None:
    header = request.headers.get("Authorization")
    if header is None:
        return None
    scheme, _, value = header.strip().partition(" ")
    if scheme.lower() != "bearer" or not value.strip():
        raise ApiError(401)
    return value.strip()


def _token_user():
    text = _bearer()
    if text is None:
        return None
    user = tokens.authenticate(get_session(), text)
    if user is None:
        raise ApiError(401, _l("The API token is invalid or revoked."))
    return user


def _reader() -> None:
    """Reads are public; a token sent anyway must be valid."""
    g.api_user = _token_user()


def _writer(*roles: Role):
    user = _token_user()
    if user is None:
        raise ApiError(401)
    if user.role not in {r.value for r in roles}:
        raise ApiError(403, _l("A %(role)s token cannot change this resource: auditors and administrators "
                               "read through the API only.", role=user.role))
    g.api_user = user
    return user


def _json_body(schema_name: str) -> dict:
    if request.mimetype != "application/json":
        raise ApiError(415)
    limit = spec.MAX_BODY_BYTES
    if request.content_length is not None and request.content_length > limit:
        raise ApiError(413, _l("The request body is larger than %(n)s bytes.", n=limit))
    raw = request.stream.read(limit + 1)
    if len(raw) > limit:
        raise ApiError(413, _l("The request body is larger than %(n)s bytes.", n=limit))
    try:
        data = json.loads(raw.decode("utf-8"), parse_constant=_no_constant)
    except (ValueError, RecursionError) as exc:
        raise ApiError(400, _l("The body is not valid JSON: %(error)s", error=str(exc)[:200])) from None
    errors = spec.check_value(spec.body_schema(schema_name), data, "")
    if errors:
        raise validation_problem(errors)
    return data


def _no_constant(name: str):
    raise ValueError(f"{name} is not allowed in JSON")


def _query(params: list[dict]) -> dict:
    values, errors = spec.check_query(params, request.args)
    if errors:
        raise validation_problem(errors)
    return values


def _paging(values: dict) -> tuple[int, int]:
    return values.get("page", 1), values.get("per_page", 20)


def _json(data, status: int = 200, headers: dict | None = None):
    response = current_app.response_class(json.dumps(data, ensure_ascii=False, default=str), status=status,
                                          mimetype="application/json")
    for key, value in (headers or {}).items():
        response.headers[key] = value
    return response


# ---------------------------------------------------------------- documentation
@bp.route("/openapi.json")
def openapi():
    return _json(spec.openapi())


# ---------------------------------------------------------------- enterprises
@bp.route("/enterprises")
def enterprises():
    _reader()
    page, per_page = _paging(_query([spec.PAGE, spec.PER_PAGE]))
    return _json(services.enterprise_page(get_session(), page, per_page))


@bp.route("/enterprises/search")
def enterprise_search():
    """The buyer search (registry.finder) with its own filter parsing (registry.view_helpers),
    validated profiles only."""
    from registry import finder
    from registry.view_helpers import filters_from, min_share_pct, today

    _reader()
    values = _query(spec.SEARCH_PARAMS)
    page, per_page = _paging(values)
    filters = filters_from(request.args)
    filters.validated_only, filters.page = True, page
    session = get_session()
    result = finder.search(session, filters, viewer_role="public", today=today(), min_share_pct=min_share_pct(),
                           page_size=per_page, lang="en")
    return _json(services.search_page(session, result, per_page))


def _enterprise_id(enterprise_id: int) -> int:
    if not 0 < enterprise_id <= spec.MAX_INT32:
        raise ApiError(404)
    return enterprise_id


@bp.route("/enterprises/<int:enterprise_id>")
def enterprise(enterprise_id: int):
    _reader()
    found = services.validated_enterprise(get_session(), _enterprise_id(enterprise_id))
    if found is None:
        raise ApiError(404)
    return _json(services.public_enterprises(get_session(), [found])[0])


@bp.route("/enterprises/<int:enterprise_id>", methods=["PATCH"])
def enterprise_update(enterprise_id: int):
    from registry.access import is_member
    from registry.models import Enterprise

    user = _writer(Role.FIRM)
    session = get_session()
    found = session.get(Enterprise, _enterprise_id(enterprise_id))
    if found is None or not is_member(user, found.id):
        raise ApiError(404)
    data = _json_body("EnterprisePatch")
    try:
        return _json(services.update_profile(session, found, data, actor=user))
    except ValidationError as exc:
        raise validation_problem([{"field": k, "message": str(v)} for k, v in exc.errors.items()]) from None


# ---------------------------------------------------------------- tenders
@bp.route("/tenders")
def tenders():
    _reader()
    page, per_page = _paging(_query([spec.PAGE, spec.PER_PAGE]))
    return _json(services.tender_page(get_session(), page, per_page))


def _public_tender(ref: str):
    tender = services.public_tender(get_session(), ref) if spec.valid_reference(ref) else None
    if tender is None:
        raise ApiError(404, _l("No published tender has this reference."))
    return tender


@bp.route("/tenders/<ref>")
def tender(ref: str):
    _reader()
    return _json(services.tender_detail(get_session(), _public_tender(ref)))


@bp.route("/tenders/<ref>/results")
def tender_results(ref: str):
    _reader()
    found = _public_tender(ref)
    try:
        return _json(services.tender_results(get_session(), found))
    except services.NotFinalised:
        raise ApiError(409, _l("No lot of this tender has a finalised evaluation yet: results are published lot by lot once finalised.")) from None


@bp.route("/tenders/<ref>/ocds")
def tender_ocds(ref: str):
    _reader()
    if not spec.valid_reference(ref):
        raise ApiError(404, _l("No published tender has this reference."))
    try:
        from procurement.ocds_services import release_package_for_reference
    except ImportError:
        log.exception("OCDS export not available")
        raise ApiError(503, _l("The OCDS export is not available.")) from None
    try:
        package = release_package_for_reference(get_session(), ref)
    except LookupError:
        raise ApiError(404, _l("No published tender has this reference.")) from None
    return _json(package)


def _tender_settings() -> dict:
    return current_app.config


@bp.route("/tenders", methods=["POST"])
def tender_create():
    from procurement.tender_services import TenderValidationError, create_tender

    user = _writer(Role.BUYER)
    if user.authority_id is None:
        raise ApiError(403, _l("This buyer account belongs to no contracting authority."))
    data, errors = services.parse_datetimes(_json_body("TenderCreate"))
    if errors:
        raise validation_problem(errors)
    session = get_session()
    try:
        created = create_tender(session, user, services.tender_input(data), authority_id=user.authority_id,
                                settings=_tender_settings())
    except TenderValidationError as exc:
        session.rollback()
        raise validation_problem(services.tender_errors(exc.errors)) from None
    location = url_for("api.tender_draft", ref=created.reference)
    return _json(services.tender_detail(session, created), 201, {"Location": location})


@bp.route("/tenders/<ref>", methods=["PATCH"])
def tender_draft(ref: str):
    from procurement import tender_queries as q
    from procurement.tender_services import TenderFrozen, TenderValidationError, update_tender

    user = _writer(Role.BUYER)
    session = get_session()
    found = q.find_tender(session, ref) if spec.valid_reference(ref) else None
    if found is None or user.authority_id is None or found.authority_id != user.authority_id:
        raise ApiError(404, _l("No tender of your authority has this reference."))
    if found.status != "draft":
        raise ApiError(409, _l("Tender %(ref)s is %(status)s: only drafts can be changed.", ref=found.reference,
                               status=found.status))
    data, errors = services.parse_datetimes(_json_body("TenderPatch"))
    if errors:
        raise validation_problem(errors)
    try:
        update_tender(session, user, found, services.tender_input(data), settings=_tender_settings())
    except TenderFrozen:
        session.rollback()
        raise ApiError(409) from None
    except TenderValidationError as exc:
        session.rollback()
        raise validation_problem(services.tender_errors(exc.errors)) from None
    return _json(services.tender_detail(session, found))
