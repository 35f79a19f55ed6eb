"""The one declaration of the API: the OpenAPI 3.0 document served at ``/api/v1/openapi.json``,
and the checks of query parameters and JSON bodies derived from it (so the document and the
behaviour cannot drift apart: a body field the document does not list is refused with 422).

Pure module: no Flask, no database (messages are lazy Flask-Babel strings, like registry.validation).
"""
from __future__ import annotations

import math
import re
from typing import Any

from flask_babel import lazy_gettext as _l

from procurement.advice import PROCEDURES
from procurement.tender_validation import NATURES
from registry.codes import LANGUAGE_LABELS, SERVICE_LABELS, TYPE_LABELS
from registry.finder import SORTS
from registry.geo import REGIONS
from registry.models import Enterprise

API_VERSION = "1.0.0"
MAX_BODY_BYTES = 64 * 1024
MAX_INT32 = 2**31 - 1
_REF = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,59}")


def _s(max_length: int, **extra) -> dict:
    return {"type": "string", "maxLength": max_length, **extra}


def _nullable(schema: dict) -> dict:
    return {**schema, "nullable": True}


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


# ---------------------------------------------------------------- parameters
def _query(name: str, schema: dict, description: str) -> dict:
    return {"name": name, "in": "query", "required": False, "schema": schema, "description": description}


PAGE = _query("page", {"type": "integer", "minimum": 1, "maximum": 100000, "default": 1}, "Page number, from 1.")
PER_PAGE = _query("per_page", {"type": "integer", "minimum": 1, "maximum": 100, "default": 20},
                  "Items per page, at most 100.")
SEARCH_PARAMS = [
    _query("q", _s(200), "Free text (fuzzy): name, trade name, enterprise number, municipality."),
    _query("cpv", _s(200), "CPV codes (8 digits, separated by spaces or commas); descendants match too."),
    {**_query("type", {"type": "array", "maxItems": 10, "items": {"type": "string", "enum": list(TYPE_LABELS)}},
              "Social-economy type (repeat the parameter for several)."), "style": "form", "explode": True},
    _query("service_type", {"type": "string", "enum": list(SERVICE_LABELS)}, "Service type of an activity."),
    _query("region", {"type": "string", "enum": list(REGIONS)}, "Region covered (NUTS-1 code)."),
    _query("place", _s(120), "Place covered: postal code, municipality, arrondissement or NUTS code."),
    _query("radius_km", {"type": "integer", "minimum": 1, "maximum": 500}, "With place: seat within N km."),
    _query("eligible", {"type": "string", "enum": ["0", "1"]},
           "1: only enterprises eligible for reserved contracts (art. 20 of Directive 2014/24/EU)."),
    _query("language", {"type": "string", "enum": list(LANGUAGE_LABELS)}, "Working language."),
    _query("sort", {"type": "string", "enum": list(SORTS)}, "Order of the results."),
    PAGE, PER_PAGE,
]
ENTERPRISE_ID = {"name": "enterprise_id", "in": "path", "required": True,
                 "schema": {"type": "integer", "minimum": 1, "maximum": MAX_INT32}}
TENDER_REF = {"name": "ref", "in": "path", "required": True,
              "schema": {"type": "string", "pattern": "^[A-Za-z0-9][A-Za-z0-9._-]{0,59}$"},
              "description": "The tender's reference."}

# ---------------------------------------------------------------- request bodies
ENTERPRISE_PATCH = {
    "type": "object", "additionalProperties": False,
    "description": "The fields of the firm's profile form; fields not given keep their value.",
    "properties": {
        "legal_name": _s(200, minLength=1),
        "trade_names": {"type": "array", "maxItems": 10, "items": _s(200)},
        "enterprise_number": _nullable(_s(30)),
        "legal_form": _s(40),
        "street": _s(200),
        "postal_code": _s(4),
        "municipality": _s(120),
        "nuts3": _nullable(_s(5)),
        "website": _s(300),
        "email": _s(254),
        "languages": {"type": "array", "maxItems": 4, "items": {"type": "string", "enum": list(LANGUAGE_LABELS)}},
        "description": _s(2000),
        "staff_total": _nullable({"type": "integer", "minimum": 0, "maximum": 1_000_000}),
        "staff_disadvantaged": _nullable({"type": "integer", "minimum": 0, "maximum": 1_000_000}),
        "turnover_band": _s(20),
        "max_contract_eur": _nullable({"type": "number", "minimum": 0, "maximum": 1e12}),
    },
}
if "served_municipalities" in Enterprise.model_fields:  # territory of employment-purpose enterprises
    ENTERPRISE_PATCH["properties"]["served_municipalities"] = {"type": "array", "maxItems": 60, "items": _s(120)}
_TENDER_FIELDS = {
    **{f"title_{lang}": _s(300) for lang in ("fr", "nl", "en")},
    **{f"description_{lang}": _s(20000) for lang in ("fr", "nl", "en")},
    "nature": {"type": "string", "enum": list(NATURES)},
    "social_services": {"type": "boolean"},
    "cpv_main": _s(12, example="85311000"),
    "cpv_additional": {"type": "array", "maxItems": 50, "items": _s(12)},
    "nuts3": _nullable(_s(5)),
    "municipality": _nullable(_s(120)),
    "estimated_value": {"type": "number", "exclusiveMinimum": True, "minimum": 0, "maximum": 1e12},
    "duration_months": _nullable({"type": "integer", "minimum": 1, "maximum": 600}),
    "procedure": _nullable({"type": "string", "enum": list(PROCEDURES)}),
    "procedure_justification": _s(20000),
    "social_clause_justification": _s(20000),
    **{name: _nullable({"type": "string", "format": "date-time", "maxLength": 40})
       for name in ("publication_date", "question_deadline", "bid_deadline", "opening_at")},
}
TENDER_CREATE = {
    "type": "object", "additionalProperties": False,
    "required": ["reference", "nature", "cpv_main", "estimated_value"],
    "description": "A new draft of the buyer's authority (a title in at least one language is required).",
    "properties": {"reference": {"type": "string", "pattern": "^[A-Za-z0-9][A-Za-z0-9._-]{0,59}$",
                                 "maxLength": 60, "example": "API-2026-001"},
                   **_TENDER_FIELDS},
    "example": {"reference": "API-2026-001", "title_fr": "Entretien des espaces verts", "nature": "services",
                "cpv_main": "77310000", "estimated_value": 120000},
}
TENDER_PATCH = {"type": "object", "additionalProperties": False, "properties": dict(_TENDER_FIELDS),
                "description": "Fields of a draft to change; fields not given keep their value."}

# ---------------------------------------------------------------- response schemas
_STR_LIST = {"type": "array", "items": {"type": "string"}}
ENTERPRISE = {
    "type": "object", "required": ["id", "name"],
    "properties": {
        "id": {"type": "integer"}, "name": {"type": "string"},
        "enterprise_number": {"type": "string"}, "legal_form": {"type": "string"}, "types": _STR_LIST,
        "postal_code": {"type": "string"}, "municipality": {"type": "string"},
        "region": _nullable({"type": "string"}), "nuts3": _nullable({"type": "string"}),
        "website": {"type": "string"}, "languages": _STR_LIST, "cpv_codes": _STR_LIST,
        "staff_total": _nullable({"type": "integer"}), "staff_disadvantaged": _nullable({"type": "integer"}),
    },
}
SEARCH_HIT = {"allOf": [_ref("Enterprise"), {"type": "object", "properties": {
    "score": _nullable({"type": "number"}), "reasons": _STR_LIST, "matched_cpv": _STR_LIST,
    "eligible_reserved": {"type": "boolean"}}}]}
PROFILE = {
    "type": "object", "required": ["id", "status"],
    "properties": {"id": {"type": "integer"}, "status": {"type": "string"}, "region": _nullable({"type": "string"}),
                   **{name: ({**schema, "nullable": True} if "type" in schema else schema)
                      for name, schema in ENTERPRISE_PATCH["properties"].items()},
                   "max_contract_eur": _nullable({"type": "string"})},
}
CRITERION = {"type": "object", "properties": {
    "code": {"type": "string"}, "kind": {"type": "string"}, "label_fr": {"type": "string"},
    "label_nl": {"type": "string"}, "label_en": {"type": "string"}, "weight": {"type": "string"},
    "formula": _nullable({"type": "string"}), "better": _nullable({"type": "string"}),
    "unit": {"type": "string"}, "scale": _nullable({"type": "integer"}), "is_social": {"type": "boolean"}}}
LOT = {"type": "object", "properties": {
    "number": {"type": "integer"}, "title_fr": {"type": "string"}, "title_nl": {"type": "string"},
    "title_en": {"type": "string"}, "cpv_codes": _STR_LIST, "estimated_value": {"type": "string"},
    "reservation": {"type": "string"}, "criteria_mode": {"type": "string"},
    "criteria": {"type": "array", "items": _ref("AwardCriterion")}}}
_DT = _nullable({"type": "string", "format": "date-time"})
TENDER_SUMMARY = {"type": "object", "required": ["reference", "status"], "properties": {
    "reference": {"type": "string"}, "status": {"type": "string"}, "authority": {"type": "string"},
    **{f"title_{lang}": {"type": "string"} for lang in ("fr", "nl", "en")},
    "nature": {"type": "string"}, "cpv_main": {"type": "string"}, "estimated_value": {"type": "string"},
    "nuts3": _nullable({"type": "string"}), "bid_deadline": _DT, "published_at": _DT}}
TENDER = {"allOf": [_ref("TenderSummary"), {"type": "object", "properties": {
    **{f"description_{lang}": {"type": "string"} for lang in ("fr", "nl", "en")},
    "social_services": {"type": "boolean"}, "cpv_additional": _STR_LIST,
    "municipality": _nullable({"type": "string"}), "duration_months": _nullable({"type": "integer"}),
    "procedure": _nullable({"type": "string"}), "procedure_advised": _nullable({"type": "string"}),
    "procedure_justification": {"type": "string"}, "social_clause_justification": {"type": "string"},
    "publication_date": _DT, "question_deadline": _DT, "opening_at": _DT, "revision": {"type": "integer"},
    "lots": {"type": "array", "items": _ref("Lot")}}}]}
RESULTS = {"type": "object", "required": ["reference", "lots", "pending_lots"], "properties": {
    "reference": {"type": "string"}, "pending_lots": {"type": "array", "items": {"type": "integer"}},
    "lots": {"type": "array", "items": {"type": "object", "properties": {
        "number": {"type": "integer"}, "winner": _nullable({"type": "string"}),
        "finalised_at": _DT, "evaluation_version": {"type": "integer"},
        "criteria": {"type": "array", "items": {"type": "object"}},
        "ranking": {"type": "array", "items": {"type": "object", "properties": {
            "rank": _nullable({"type": "integer"}), "tie": {"type": "boolean"}, "bid": {"type": "string"},
            "bidder": _nullable({"type": "string"}), "total": _nullable({"type": "number"}),
            "points": {"type": "object", "additionalProperties": {"type": "number"}}}}}}}}}}
PROBLEM = {"type": "object", "required": ["type", "title", "status", "detail"], "properties": {
    "type": {"type": "string"}, "title": {"type": "string"}, "status": {"type": "integer"},
    "detail": {"type": "string"},
    "errors": {"type": "array", "items": {"type": "object", "required": ["field", "message"], "properties": {
        "field": {"type": "string"}, "message": {"type": "string"}}}}}}


def _page_of(item: str) -> dict:
    return {"type": "object", "required": ["items", "page", "per_page", "total"], "properties": {
        "items": {"type": "array", "items": _ref(item)}, "page": {"type": "integer"},
        "per_page": {"type": "integer"}, "total": {"type": "integer"}}}


# ---------------------------------------------------------------- operations
PROBLEM_TEXT = {
    400: "Malformed request (e.g. the body is not valid JSON).",
    401: "Missing, invalid or revoked API token.",
    403: "The token's role does not allow this operation.",
    404: "Not found (also: another user's object, a draft, an unpublished tender).",
    405: "Method not allowed.",
    409: "The resource is not in a state that allows this operation.",
    413: "Request body too large (64 KiB at most).",
    415: "The body must be sent with Content-Type: application/json.",
    422: "Invalid parameter or field: `detail` and `errors` name each one.",
    503: "The service behind this operation is not available.",
}


def _ok(status: int, schema: dict, description: str) -> dict:
    return {str(status): {"description": description, "content": {"application/json": {"schema": schema}}}}


def _problems(*codes: int) -> dict:
    return {str(code): {"description": PROBLEM_TEXT[code],
                        "content": {"application/problem+json": {"schema": _ref("Problem")}}}
            for code in codes}


READ_SECURITY = [{}, {"bearerAuth": []}]  # optional: a token sent with a read is checked
WRITE_SECURITY = [{"bearerAuth": []}]
READ_ERRORS = (401, 405, 422)


def _read(summary: str, op_id: str, params: list, ok: dict, *more: int) -> dict:
    return {"summary": summary, "operationId": op_id, "parameters": params, "security": READ_SECURITY,
            "responses": {**ok, **_problems(*sorted(set(READ_ERRORS + more)))}}


def _write(summary: str, op_id: str, params: list, body: str, ok: dict, *more: int) -> dict:
    return {"summary": summary, "operationId": op_id, "parameters": params, "security": WRITE_SECURITY,
            "requestBody": {"required": True, "content": {"application/json": {"schema": _ref(body)}}},
            "responses": {**ok, **_problems(*sorted({400, 401, 403, 404, 405, 413, 415, 422, *more}))}}


def openapi() -> dict:
    """The OpenAPI 3.0 document (a fresh dict each call)."""
    paths = {
        "/enterprises": {"get": _read("Validated social-economy enterprises (public fields)", "listEnterprises",
                                      [PAGE, PER_PAGE], _ok(200, _ref("EnterprisePage"), "A page of enterprises."))},
        "/enterprises/search": {"get": _read(
            "Search enterprises with the buyer search engine and filters", "searchEnterprises", SEARCH_PARAMS,
            _ok(200, _ref("SearchPage"), "A page of matches, each with the reasons it matched."))},
        "/enterprises/{enterprise_id}": {
            "get": _read("One validated enterprise", "getEnterprise", [ENTERPRISE_ID],
                         _ok(200, _ref("Enterprise"), "The enterprise."), 404),
            "patch": _write("Update the firm's own profile (firm token, member of the enterprise)",
                            "updateEnterprise", [ENTERPRISE_ID], "EnterprisePatch",
                            _ok(200, _ref("EnterpriseProfile"), "The profile after the change."))},
        "/tenders": {
            "get": _read("Published tenders", "listTenders", [PAGE, PER_PAGE],
                         _ok(200, _ref("TenderPage"), "A page of tenders.")),
            "post": _write("Create a draft tender of the buyer's authority (buyer token)", "createTender", [],
                           "TenderCreate", _ok(201, _ref("Tender"), "The new draft."))},
        "/tenders/{ref}": {
            "get": _read("A published tender with its lots and award criteria", "getTender", [TENDER_REF],
                         _ok(200, _ref("Tender"), "The tender."), 404),
            "patch": _write("Update a draft tender of the buyer's authority (buyer token)", "updateTender",
                            [TENDER_REF], "TenderPatch", _ok(200, _ref("Tender"), "The draft after the change."),
                            409)},
        "/tenders/{ref}/results": {"get": _read(
            "Ranking and points per lot, once the evaluation is finalised", "getTenderResults", [TENDER_REF],
            _ok(200, _ref("Results"), "The results."), 404, 409)},
        "/tenders/{ref}/ocds": {"get": _read(
            "OCDS 1.1 release package of a published tender", "getTenderOcds", [TENDER_REF],
            _ok(200, {"type": "object"}, "An OCDS release package."), 404, 503)},
        "/openapi.json": {"get": {"summary": "This document", "operationId": "getOpenApi", "security": [],
                                  "responses": _ok(200, {"type": "object"}, "The OpenAPI document.")}},
    }
    return {
        "openapi": "3.0.3",
        "info": {"title": "Procurement assistant API", "version": API_VERSION,
                 "description": "Public reads of validated enterprises and published tenders; writes with a "
                                "personal API token (created at /account/tokens). Auditor and administrator "
                                "tokens read only. Errors are application/problem+json. See docs/api.md."},
        "servers": [{"url": "/api/v1"}],
        "paths": paths,
        "components": {
            "securitySchemes": {"bearerAuth": {"type": "http", "scheme": "bearer",
                                               "description": "A personal API token (pa_...)."}},
            "schemas": {
                "Problem": PROBLEM, "Enterprise": ENTERPRISE, "EnterprisePage": _page_of("Enterprise"),
                "SearchHit": SEARCH_HIT, "SearchPage": _page_of("SearchHit"), "EnterpriseProfile": PROFILE,
                "EnterprisePatch": ENTERPRISE_PATCH, "AwardCriterion": CRITERION, "Lot": LOT,
                "TenderSummary": TENDER_SUMMARY, "Tender": TENDER, "TenderPage": _page_of("TenderSummary"),
                "TenderCreate": TENDER_CREATE, "TenderPatch": TENDER_PATCH, "Results": RESULTS,
            },
        },
    }


def body_schema(name: str) -> dict:
    return {"EnterprisePatch": ENTERPRISE_PATCH, "TenderCreate": TENDER_CREATE, "TenderPatch": TENDER_PATCH}[name]


# ---------------------------------------------------------------- checks derived from the declaration
def _text_ok(value: str) -> str | None:
    if "\x00" in value:
        return _l("This text contains a NUL character.")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return _l("This text is not valid Unicode.")
    return None


def check_value(schema: dict, value: Any, field: str) -> list[dict]:
    """Errors ``[{"field", "message"}]`` of ``value`` against the subset of JSON Schema used above."""
    if value is None:
        return [] if schema.get("nullable") else [{"field": field, "message": _l("This field cannot be null.")}]
    kind = schema.get("type")
    if kind == "string":
        if not isinstance(value, str):
            return [{"field": field, "message": _l("Expected a text.")}]
        problem = _text_ok(value)
        if problem:
            return [{"field": field, "message": problem}]
        if len(value) > schema.get("maxLength", 10**6):
            return [{"field": field, "message": _l("At most %(n)s characters.", n=schema["maxLength"])}]
        if len(value) < schema.get("minLength", 0):
            return [{"field": field, "message": _l("This field is required.")}]
        if "enum" in schema and value not in schema["enum"]:
            return [{"field": field, "message": _l("Not one of the allowed values: %(values)s.", values=", ".join(schema["enum"]))}]
        if "pattern" in schema and not re.fullmatch(schema["pattern"].strip("^$"), value):
            return [{"field": field, "message": _l("Letters, digits and . _ - only (at most 60 characters).")}]
        return []
    if kind in ("integer", "number"):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return [{"field": field, "message": _l("Expected a number.")}]
        if isinstance(value, float) and not math.isfinite(value):
            return [{"field": field, "message": _l("Expected a finite number.")}]
        if kind == "integer" and isinstance(value, float) and not value.is_integer():
            return [{"field": field, "message": _l("Expected a whole number.")}]
        low, high = schema.get("minimum"), schema.get("maximum")
        if low is not None and (value <= low if schema.get("exclusiveMinimum") else value < low):
            return [{"field": field, "message": (_l("The number must be above %(n)s.", n=low) if schema.get("exclusiveMinimum") else _l("The number must be at least %(n)s.", n=low))}]
        if high is not None and value > high:
            return [{"field": field, "message": _l("The number cannot be above %(n)s.", n=f"{high:g}")}]
        return []
    if kind == "boolean":
        return [] if isinstance(value, bool) else [{"field": field, "message": _l("Expected true or false.")}]
    if kind == "array":
        if not isinstance(value, list):
            return [{"field": field, "message": _l("Expected a list.")}]
        if len(value) > schema.get("maxItems", 10**6):
            return [{"field": field, "message": _l("At most %(n)s items.", n=schema["maxItems"])}]
        errors = []
        for item in value:
            errors += check_value(schema.get("items", {}), item, field)
        return errors[:1]
    if kind == "object":
        if not isinstance(value, dict):
            return [{"field": field or "(body)", "message": _l("Expected a JSON object.")}]
        errors = []
        properties = schema.get("properties", {})
        for name in value:
            if name not in properties and schema.get("additionalProperties") is False:
                errors.append({"field": str(name)[:60], "message": _l("Unknown field.")})
        for name in schema.get("required", []):
            if name not in value:
                errors.append({"field": name, "message": _l("This field is required.")})
        for name, sub in properties.items():
            if name in value:
                errors += check_value(sub, value[name], name)
        return errors
    return []


def check_query(params: list[dict], args) -> tuple[dict, list[dict]]:
    """Declared query parameters, parsed (integers as int); errors name each bad parameter.
    Parameters the declaration does not list are ignored."""
    values, errors = {}, []
    for param in params:
        if param["in"] != "query":
            continue
        name, schema = param["name"], param["schema"]
        raw = args.getlist(name)
        if not raw:
            continue
        if schema["type"] == "array":
            items = [_scalar(schema["items"], item) for item in raw]
            bad = check_value(schema, [v for v in items], name)
        else:
            items = _scalar(schema, raw[0])
            bad = check_value(schema, items, name)
        errors += bad
        if not bad:
            values[name] = items
    return values, errors


def _scalar(schema: dict, raw: str):
    if schema.get("type") == "integer":
        text = raw.strip()
        return int(text) if re.fullmatch(r"[+-]?[0-9]{1,12}", text) else raw
    return raw


def valid_reference(ref: str) -> bool:
    return bool(_REF.fullmatch(ref))
