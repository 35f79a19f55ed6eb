"""Registry pages: public directory (and its JSON view), buyer search and exports, profile pages,
the while-typing duplicate check, accreditation proofs.

The blueprint ``bp`` also carries the firm pages (registry.views_firm) and the admin pages
(registry.views_admin), imported at the end of this module.
"""
from __future__ import annotations

from flask import Blueprint, Response, abort, current_app, g, render_template, request, send_file, url_for
from flask_babel import get_locale
from sqlmodel import select

from accounts.access import login_required, roles_required
from accounts.models import Role
from common.db import get_session
from registry import access, exports, finder, refdata, services, uploads
from registry.codes import (ACTION_LABELS, COVERAGE_LABELS, ISSUER_LABELS, LANGUAGE_LABELS, LEGAL_FORM_LABELS, SERVICE_LABELS,
                            STATUS_LABELS, TURNOVER_LABELS, TYPE_LABELS, label)
from registry.geo import NUTS3, REGIONS
from registry.history import changes_of
from registry.models import Accreditation, Enterprise
from registry.view_helpers import filters_from, min_share_pct, profile_data, today

bp = Blueprint("registry", __name__, url_prefix="/registry")
SEARCH_ROLES = (Role.BUYER, Role.ADMIN, Role.AUDITOR)
JSON_PAGE_SIZE = 100


def _lang() -> str:
    return str(get_locale() or "en")[:2]


@bp.context_processor
def registry_labels() -> dict:
    """Translated labels of the code lists, for every registry template."""
    return {
        "type_label": lambda code: label(TYPE_LABELS, code),
        "service_label": lambda code: label(SERVICE_LABELS, code),
        "coverage_label": lambda code: label(COVERAGE_LABELS, code),
        "legal_form_label": lambda code: label(LEGAL_FORM_LABELS, code),
        "turnover_label": lambda code: label(TURNOVER_LABELS, code),
        "language_label": lambda code: label(LANGUAGE_LABELS, code),
        "issuer_label": lambda code: label(ISSUER_LABELS, code),
        "status_label": lambda code: label(STATUS_LABELS, code),
        "action_label": lambda code: label(ACTION_LABELS, code),
        "area_name": lambda code: REGIONS.get(code) or (NUTS3[code][0] if code in NUTS3 else code),
    }


def _search_context(page, filters, **extra) -> dict:
    return {"page": page, "filters": filters, "type_labels": TYPE_LABELS, "regions": REGIONS,
            "service_labels": SERVICE_LABELS, "language_labels": LANGUAGE_LABELS, "sorts": finder.SORTS,
            "nuts3": NUTS3, **extra}


@bp.route("/")
def directory():
    filters = filters_from(request.args, public=True)
    page = finder.search(get_session(), filters, viewer_role="public", today=today(), min_share_pct=min_share_pct(),
                         lang=_lang())
    return render_template("registry/directory.html", **_search_context(page, filters))


@bp.route("/directory.json")
def directory_json():
    """Validated profiles, public columns only (no e-mail, no people), 100 per page."""
    session = get_session()
    number = max(1, request.args.get("page", 1, type=int) or 1)
    query = select(Enterprise).where(Enterprise.status == "validated").order_by(Enterprise.id)
    enterprises = list(session.exec(query.offset((number - 1) * JSON_PAGE_SIZE).limit(JSON_PAGE_SIZE)))
    rows = exports.rows_for(session, enterprises, exports.PUBLIC_COLUMNS)
    for row in rows:
        for key in ("types", "cpv_codes", "languages"):
            row[key] = [v for v in (row[key] or "").split("|") if v]
    body = {"page": number, "page_size": JSON_PAGE_SIZE, "enterprises": rows}
    return Response(exports.to_json(body), mimetype="application/json")


@bp.route("/search")
@roles_required(*SEARCH_ROLES)
def search():
    filters = filters_from(request.args)
    page = finder.search(get_session(), filters, viewer_role=g.user.role, today=today(), min_share_pct=min_share_pct(),
                         lang=_lang())
    query = request.query_string.decode("utf-8", "replace")
    return render_template("registry/search.html", **_search_context(page, filters, query=query))


EXPORT_COLUMNS = ["id", "name", "enterprise_number", "legal_form", "types", "status", "postal_code", "municipality",
                  "region", "nuts3", "website", "email", "languages", "cpv_codes", "staff_total",
                  "staff_disadvantaged", "disadvantaged_share_pct", "eligible_reserved", "score", "why"]


@bp.route("/search/export.<fmt>")
@roles_required(*SEARCH_ROLES)
def search_export(fmt: str):
    if fmt not in ("csv", "xlsx"):
        abort(404)
    session = get_session()
    filters = filters_from(request.args)
    page = finder.search(session, filters, viewer_role=g.user.role, today=today(), min_share_pct=min_share_pct(),
                         everything=True, lang=_lang())
    extra = {hit.enterprise.id: {
        "disadvantaged_share_pct": None if hit.eligibility.share is None else round(hit.eligibility.share * 100, 1),
        "eligible_reserved": "yes" if hit.eligibility.eligible else "no", "score": hit.score,
        "why": "; ".join(str(r) for r in hit.reasons)} for hit in page.hits}
    rows = exports.rows_for(session, [h.enterprise for h in page.hits], EXPORT_COLUMNS, extra)
    if fmt == "csv":
        body, mimetype = "\ufeff" + exports.to_csv(rows, EXPORT_COLUMNS), "text/csv; charset=utf-8"
    else:
        body = exports.to_xlsx(rows, EXPORT_COLUMNS)
        mimetype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    response = Response(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="enterprises.{fmt}"'
    return response


@bp.route("/check")
@roles_required(Role.FIRM, Role.ADMIN)
def check():
    """While typing (static/js/registry.js): likely duplicates of the name and number typed."""
    session = get_session()
    found = services.likely_duplicates(session, (request.args.get("name") or "")[:200],
                                       (request.args.get("number") or "")[:30], (request.args.get("postal_code") or "")[:4])
    body = {"duplicates": [{
        "id": d.enterprise.id, "name": d.enterprise.legal_name, "municipality": d.enterprise.municipality,
        "score": round(d.score), "certainty": d.certainty, "same_number": d.same_number,
        "url": url_for("registry.profile", enterprise_id=d.enterprise.id) if access.can_view(g.user, d.enterprise) else None,
        "request_url": url_for("registry.request_access", enterprise_id=d.enterprise.id),
    } for d in found]}
    return Response(exports.to_json(body), mimetype="application/json")


@bp.route("/enterprises/<int:enterprise_id>")
@access.enterprise_viewer
def profile(enterprise: Enterprise):
    session = get_session()
    data = profile_data(session, enterprise)
    codes = [c for a in data["activities"] for c in a.cpv_codes]
    editor = access.can_edit(g.get("user"), enterprise)
    return render_template(
        "registry/profile.html", **data, cpv_labels=refdata.cpv_labels(session, codes, _lang()),
        editor=editor, details=access.can_see_details(g.get("user"), enterprise),
        members=services.members_of(session, enterprise.id) if editor else [],
        requests=services.pending_requests(session, enterprise.id) if editor else [],
        is_member=access.is_member(g.get("user"), enterprise.id), nuts3=NUTS3, regions=REGIONS)


@bp.route("/enterprises/<int:enterprise_id>/history")
@login_required
def history(enterprise_id: int):
    enterprise = get_session().get(Enterprise, enterprise_id) or abort(404)
    if not (access.can_edit(g.user, enterprise) or (g.user.role == "auditor" and enterprise.status == "validated")):
        abort(403)
    return render_template("registry/history.html", enterprise=enterprise, changes=changes_of(get_session(), enterprise.id))


@bp.route("/enterprises/<int:enterprise_id>/types/<int:accreditation_id>/proof")
@login_required
def proof(enterprise_id: int, accreditation_id: int):
    """The uploaded proof, always as a download (never rendered inline by the browser)."""
    session = get_session()
    enterprise = session.get(Enterprise, enterprise_id) or abort(404)
    if not access.can_see_details(g.user, enterprise):
        abort(403)
    acc = session.get(Accreditation, accreditation_id)
    if acc is None or acc.enterprise_id != enterprise.id or not acc.proof_file:
        abort(404)
    try:
        path = uploads.stored_path(current_app.config["UPLOAD_DIR"], acc.proof_file)
    except FileNotFoundError:
        abort(404)
    response = send_file(path, mimetype=acc.proof_mime, as_attachment=True, download_name=acc.proof_filename)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


from registry import views_admin, views_firm  # noqa: E402,F401  (routes on bp)
