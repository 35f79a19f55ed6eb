"""The JSON API /api/v1 (issue 6): reads, writes with personal tokens, object-level rights, bad
input as application/problem+json, and the OpenAPI document kept in step with the routes.
Every test runs on SQLite and on PostgreSQL (the ``app`` fixture)."""
from __future__ import annotations

import json
import re

import pytest
from sqlmodel import select

from api.models import ApiToken
from api.spec import openapi
from audit.models import AuditEntry
from registry.models import Enterprise, EnterpriseChange
from tests.api_helpers import DRAFT_X, DRAFT_Y, PUBLISHED, build_api_world, tender
from tests.conftest import csrf_token

EN = {"Accept-Language": "en"}


@pytest.fixture
def w(app, session):
    return build_api_world(session, app.config)


def problem_of(response, status: int) -> dict:
    assert response.status_code == status, response.get_data(as_text=True)[:500]
    assert response.mimetype == "application/problem+json"
    body = response.get_json(force=True)
    assert body["status"] == status and body["title"] and body["detail"] and body["type"]
    return body


def snapshot(session, model, ident) -> dict:
    session.expire_all()
    return session.get(model, ident).model_dump()


# ---------------------------------------------------------------- reads
def test_enterprises_are_validated_public_and_paginated(client, w):
    body = client.get("/api/v1/enterprises?per_page=1").get_json()
    assert body["total"] == 2 and body["per_page"] == 1 and body["page"] == 1 and len(body["items"]) == 1
    second = client.get("/api/v1/enterprises?per_page=1&page=2").get_json()["items"]
    names = {body["items"][0]["name"], second[0]["name"]}
    assert names == {"Atelier Alpha ASBL", "Brasserie Beta SCRL"}  # never the pending profile
    assert "email" not in body["items"][0] and "description" not in body["items"][0]
    assert client.get("/api/v1/enterprises?page=3&per_page=1").get_json()["items"] == []
    bad = problem_of(client.get("/api/v1/enterprises?per_page=101"), 422)
    assert bad["errors"][0]["field"] == "per_page" and "per_page" in bad["detail"]
    problem_of(client.get("/api/v1/enterprises?page=zero"), 422)


def test_one_enterprise_hides_pending_and_unknown_ones(client, w):
    alpha = client.get(f"/api/v1/enterprises/{w.enterprises['a'].id}").get_json()
    assert alpha["name"] == "Atelier Alpha ASBL" and alpha["cpv_codes"] == ["77310000"]
    assert alpha["types"] == ["insertion"]
    problem_of(client.get(f"/api/v1/enterprises/{w.enterprises['pending'].id}"), 404)
    problem_of(client.get("/api/v1/enterprises/999999"), 404)
    problem_of(client.get(f"/api/v1/enterprises/{2**40}"), 404)


def test_search_uses_the_buyer_search_engine_and_filters(app, client, w, session):
    from registry import finder
    from registry.view_helpers import filters_from

    by_cpv = client.get("/api/v1/enterprises/search?cpv=77000000").get_json()
    assert [i["name"] for i in by_cpv["items"]] == ["Atelier Alpha ASBL"]
    assert by_cpv["items"][0]["matched_cpv"] == ["77310000"] and by_cpv["items"][0]["reasons"]
    by_type = client.get("/api/v1/enterprises/search?type=sheltered_workshop").get_json()
    assert [i["name"] for i in by_type["items"]] == ["Brasserie Beta SCRL"]
    fuzzy = client.get("/api/v1/enterprises/search?q=atelier%20alfa").get_json()
    assert fuzzy["items"][0]["name"] == "Atelier Alpha ASBL" and fuzzy["items"][0]["score"] >= 60
    # Same answer as the web search's engine for the same query string.
    with app.test_request_context("/?region=BE1"):
        from flask import request

        from common.db import get_session
        from registry.view_helpers import min_share_pct, today

        web = finder.search(get_session(), filters_from(request.args), viewer_role="buyer", today=today(),
                            min_share_pct=min_share_pct())
        expected = [h.enterprise.legal_name for h in web.hits]
    assert [i["name"] for i in client.get("/api/v1/enterprises/search?region=BE1").get_json()["items"]] == expected
    assert expected == ["Brasserie Beta SCRL"]
    bad = problem_of(client.get("/api/v1/enterprises/search?type=nonsense&radius_km=9999"), 422)
    assert {e["field"] for e in bad["errors"]} == {"type", "radius_km"}


def test_tenders_lists_only_published_ones_with_lots_and_criteria(client, w):
    listed = client.get("/api/v1/tenders").get_json()
    assert [t["reference"] for t in listed["items"]] == [PUBLISHED] and listed["total"] == 1
    detail = client.get(f"/api/v1/tenders/{PUBLISHED}").get_json()
    assert detail["authority"] == "Commune X" and detail["status"] == "published"
    criteria = detail["lots"][0]["criteria"]
    assert [(c["code"], c["weight"]) for c in criteria] == [("price", "40.00"), ("hours", "35.00"), ("plan", "25.00")]
    for hidden in (DRAFT_X, DRAFT_Y, "NO-SUCH-REF", "x" * 200):
        problem_of(client.get(f"/api/v1/tenders/{hidden}"), 404)
    problem_of(client.get(f"/api/v1/tenders/{DRAFT_X}/results"), 404)
    problem_of(client.get(f"/api/v1/tenders/{DRAFT_X}/ocds"), 404)


def test_results_conflict_before_finalisation(client, w):
    body = problem_of(client.get(f"/api/v1/tenders/{PUBLISHED}/results", headers=EN), 409)
    assert "finalised" in body["detail"]


def test_ocds_returns_the_release_package(client, w):
    response = client.get(f"/api/v1/tenders/{PUBLISHED}/ocds")
    assert response.status_code == 200 and response.mimetype == "application/json"
    assert "releases" in response.get_json()


def test_ocds_lookup_error_is_a_404(client, w, monkeypatch):
    import procurement.ocds_services as ocds_services

    def missing(session, reference):
        raise LookupError(reference)

    monkeypatch.setattr(ocds_services, "release_package_for_reference", missing)
    problem_of(client.get(f"/api/v1/tenders/{PUBLISHED}/ocds"), 404)


# ---------------------------------------------------------------- tokens
def test_token_lifecycle_through_the_account_page(client, session, w):
    from tests.registry_helpers import log_in

    firm = w.users["firm_a"]
    log_in(client, firm.email)
    page = client.post("/account/tokens", data={"csrf_token": csrf_token(client, "/account/tokens"),
                                                "name": "ERP <b>link</b>"}, headers=EN)
    html = page.get_data(as_text=True)
    secret = re.search(r'value="(pa_[0-9a-f]{8}_[A-Za-z0-9_-]+)"', html).group(1)
    assert "ERP &lt;b&gt;link&lt;/b&gt;" in html  # the name is escaped
    stored = session.exec(select(ApiToken).where(ApiToken.name == "ERP <b>link</b>")).one()
    assert stored.token_hash != secret and secret not in json.dumps(stored.model_dump(), default=str)
    assert stored.prefix in secret and len(stored.token_hash) == 64
    assert secret not in client.get("/account/tokens").get_data(as_text=True)  # shown once only
    auth = {"Authorization": f"Bearer {secret}"}
    enterprise_id = w.enterprises["a"].id
    assert client.patch(f"/api/v1/enterprises/{enterprise_id}", json={"description": "Via token"},
                        headers=auth).status_code == 200
    session.expire_all()
    assert session.get(ApiToken, stored.id).last_used_at is not None
    # Revocation asks for a confirmation first, then the token stops working.
    token = csrf_token(client, "/account/tokens")
    confirm = client.post(f"/account/tokens/{stored.id}/revoke", data={"csrf_token": token})
    assert confirm.status_code == 200 and 'name="confirm"' in confirm.get_data(as_text=True)
    session.expire_all()
    assert session.get(ApiToken, stored.id).revoked_at is None
    done = client.post(f"/account/tokens/{stored.id}/revoke", data={"csrf_token": token, "confirm": "yes"})
    assert done.status_code == 302
    session.expire_all()
    assert session.get(ApiToken, stored.id).revoked_at is not None
    body = problem_of(client.patch(f"/api/v1/enterprises/{enterprise_id}", json={"description": "again"},
                                   headers={**auth, **EN}), 401)
    assert body["detail"] == "The API token is invalid or revoked."
    actions = {e.action for e in session.exec(select(AuditEntry).where(AuditEntry.object_type == "api_token",
                                                                     AuditEntry.object_id == str(stored.id)))}
    assert actions == {"api_token.created", "api_token.revoked"}


def test_revoking_another_users_token_is_not_found(client, session, w):
    from tests.registry_helpers import log_in

    other = session.exec(select(ApiToken).where(ApiToken.user_id == w.users["firm_b"].id)).first()
    log_in(client, w.users["firm_a"].email)
    token = csrf_token(client, "/account/tokens")
    assert client.post(f"/account/tokens/{other.id}/revoke", data={"csrf_token": token,
                                                                   "confirm": "yes"}).status_code == 404
    session.expire_all()
    assert session.get(ApiToken, other.id).revoked_at is None
    # Without the CSRF token the page refuses (the API is exempt, the token page is not).
    assert client.post("/account/tokens", data={"name": "no csrf"}).status_code == 400


def test_a_session_cookie_does_not_authorise_api_writes(client, session, w):
    from tests.registry_helpers import log_in

    log_in(client, w.users["firm_a"].email)
    before = snapshot(session, Enterprise, w.enterprises["a"].id)
    problem_of(client.patch(f"/api/v1/enterprises/{w.enterprises['a'].id}", json={"description": "cookie"}), 401)
    assert snapshot(session, Enterprise, w.enterprises["a"].id) == before


# ---------------------------------------------------------------- enterprise writes
def test_firm_updates_its_own_profile_with_the_registry_validation(client, session, w):
    alpha = w.enterprises["a"].id
    response = client.patch(f"/api/v1/enterprises/{alpha}", headers=w.auth("firm_a"),
                            json={"description": "Menuiserie sociale", "staff_total": 12,
                                  "staff_disadvantaged": 8, "languages": ["fr", "nl"],
                                  "max_contract_eur": 250000.5})
    assert response.status_code == 200, response.get_data(as_text=True)
    body = response.get_json()
    assert body["staff_total"] == 12 and body["max_contract_eur"] == "250000.50"
    session.expire_all()
    stored = session.get(Enterprise, alpha)
    assert stored.description == "Menuiserie sociale" and stored.languages == ["fr", "nl"]
    assert stored.legal_name == "Atelier Alpha ASBL"  # fields not given keep their value
    history = session.exec(select(EnterpriseChange).where(EnterpriseChange.enterprise_id == alpha)).all()
    assert any("staff_total" in (h.changes or {}) for h in history)
    # The web form's rules apply: more disadvantaged workers than staff is refused, nothing changes.
    before = snapshot(session, Enterprise, alpha)
    bad = problem_of(client.patch(f"/api/v1/enterprises/{alpha}", headers=w.auth("firm_a"),
                                  json={"staff_disadvantaged": 50, "description": "changed"}), 422)
    assert bad["errors"][0]["field"] == "staff_disadvantaged" and "staff_disadvantaged" in bad["detail"]
    bad = problem_of(client.patch(f"/api/v1/enterprises/{alpha}", headers=w.auth("firm_a"),
                                  json={"enterprise_number": "0123456789"}), 422)
    assert bad["errors"][0]["field"] == "enterprise_number"
    assert snapshot(session, Enterprise, alpha) == before


def test_firm_a_cannot_patch_firm_b(client, session, w):
    beta = w.enterprises["b"].id
    before = snapshot(session, Enterprise, beta)
    body = problem_of(client.patch(f"/api/v1/enterprises/{beta}", headers=w.auth("firm_a"),
                                   json={"description": "taken over"}), 404)
    assert "Brasserie" not in json.dumps(body)
    problem_of(client.patch(f"/api/v1/enterprises/{w.enterprises['pending'].id}", headers=w.auth("firm_a"),
                            json={"description": "x"}), 404)
    assert snapshot(session, Enterprise, beta) == before


@pytest.mark.parametrize("who", ["buyer_x", "auditor", "admin"])
def test_other_roles_cannot_patch_enterprises(client, session, w, who):
    alpha = w.enterprises["a"].id
    before = snapshot(session, Enterprise, alpha)
    problem_of(client.patch(f"/api/v1/enterprises/{alpha}", headers=w.auth(who), json={"description": "x"}), 403)
    assert snapshot(session, Enterprise, alpha) == before


# ---------------------------------------------------------------- tender writes
def test_buyer_creates_and_updates_a_draft_of_its_authority(client, session, w):
    data = {"reference": "API-NEW-1", "title_fr": "Nettoyage des bureaux", "nature": "services",
            "cpv_main": "90910000", "estimated_value": 80000, "duration_months": 24,
            "bid_deadline": "2031-03-01T12:00:00+01:00", "opening_at": "2031-03-01T12:30:00+01:00"}
    created = client.post("/api/v1/tenders", json=data, headers=w.auth("buyer_x"))
    assert created.status_code == 201, created.get_data(as_text=True)
    assert created.headers["Location"].endswith("/api/v1/tenders/API-NEW-1")
    body = created.get_json()
    assert body["status"] == "draft" and body["authority"] == "Commune X" and body["estimated_value"] == "80000.00"
    assert body["lots"][0]["number"] == 1
    stored = tender(session, "API-NEW-1")
    assert stored.authority_id == w.users["buyer_x"].authority_id and stored.created_by == w.users["buyer_x"].id
    assert session.exec(select(AuditEntry).where(AuditEntry.action == "tender.created",
                                                 AuditEntry.tender_ref == "API-NEW-1")).first()
    updated = client.patch("/api/v1/tenders/API-NEW-1", json={"title_en": "Office cleaning"},
                           headers=w.auth("buyer_x"))
    assert updated.status_code == 200 and updated.get_json()["title_en"] == "Office cleaning"
    assert tender(session, "API-NEW-1").title_fr == "Nettoyage des bureaux"
    again = problem_of(client.post("/api/v1/tenders", json=data, headers=w.auth("buyer_x")), 422)
    assert again["errors"][0]["field"] == "reference"


def test_tender_validation_names_the_field_and_stores_nothing(client, session, w):
    bad = problem_of(client.post("/api/v1/tenders", headers=w.auth("buyer_x"), json={
        "reference": "API-BAD", "title_fr": "x", "nature": "services", "cpv_main": "99999999",
        "estimated_value": 1000}), 422)
    assert bad["errors"][0]["field"] == "cpv_main" and "cpv_main" in bad["detail"]
    assert session.exec(select(AuditEntry).where(AuditEntry.tender_ref == "API-BAD")).first() is None
    before = tender(session, DRAFT_X).model_dump()
    bad = problem_of(client.patch(f"/api/v1/tenders/{DRAFT_X}", headers=w.auth("buyer_x"),
                                  json={"title_fr": "changed", "bid_deadline": "2031-01-01T10:00:00"}), 422)
    assert bad["errors"][0]["field"] == "bid_deadline"
    bad = problem_of(client.patch(f"/api/v1/tenders/{DRAFT_X}", headers=w.auth("buyer_x"),
                                  json={"title_fr": "changed", "nuts3": "XX999"}), 422)
    assert bad["errors"][0]["field"] == "nuts3"
    assert tender(session, DRAFT_X).model_dump() == before


def test_buyer_of_x_cannot_touch_drafts_of_y_nor_published_tenders(client, session, w):
    before = tender(session, DRAFT_Y).model_dump()
    body = problem_of(client.patch(f"/api/v1/tenders/{DRAFT_Y}", headers=w.auth("buyer_x"),
                                   json={"title_fr": "hijacked"}), 404)
    assert "Commune Y" not in json.dumps(body)
    assert tender(session, DRAFT_Y).model_dump() == before
    published = tender(session, PUBLISHED).model_dump()
    problem_of(client.patch(f"/api/v1/tenders/{PUBLISHED}", headers=w.auth("buyer_x"), json={"title_fr": "x"}), 409)
    problem_of(client.patch(f"/api/v1/tenders/{PUBLISHED}", headers=w.auth("buyer_y"), json={"title_fr": "x"}), 404)
    assert tender(session, PUBLISHED).model_dump() == published


@pytest.mark.parametrize("who", ["firm_a", "auditor", "admin"])
def test_only_buyers_write_tenders(client, session, w, who):
    problem_of(client.post("/api/v1/tenders", headers=w.auth(who), json={
        "reference": "API-ROLE", "title_fr": "x", "nature": "services", "cpv_main": "90910000",
        "estimated_value": 1000}), 403)
    problem_of(client.patch(f"/api/v1/tenders/{DRAFT_X}", headers=w.auth(who), json={"title_fr": "x"}), 403)
    session.expire_all()
    assert session.exec(select(AuditEntry).where(AuditEntry.tender_ref == "API-ROLE")).first() is None


# ---------------------------------------------------------------- bad input
def test_bad_input_is_a_problem_and_changes_nothing(app, client, session, w):
    alpha = w.enterprises["a"].id
    url = f"/api/v1/enterprises/{alpha}"
    auth = w.auth("firm_a")
    before = snapshot(session, Enterprise, alpha)
    problem_of(client.patch(url, data="{not json", headers=auth, content_type="application/json"), 400)
    problem_of(client.patch(url, data='{"staff_total": NaN}', headers=auth, content_type="application/json"), 400)
    problem_of(client.patch(url, data="[" * 50000, headers=auth, content_type="application/json"), 400)
    problem_of(client.patch(url, data="", headers=auth, content_type="application/json"), 400)
    problem_of(client.patch(url, data="description=x", headers=auth,
                            content_type="application/x-www-form-urlencoded"), 415)
    problem_of(client.patch(url, data='{"description": "x"}', headers=auth, content_type="text/plain"), 415)
    big = json.dumps({"description": "x" * 70000})
    problem_of(client.patch(url, data=big, headers=auth, content_type="application/json"), 413)
    unknown = problem_of(client.patch(url, json={"description": "x", "status": "validated", "id": 9},
                                      headers=auth), 422)
    assert {e["field"] for e in unknown["errors"]} == {"status", "id"} and "status" in unknown["detail"]
    problem_of(client.patch(url, json=["description"], headers=auth), 422)
    problem_of(client.patch(url, json={"staff_total": "many"}, headers=auth), 422)
    problem_of(client.patch(url, json={"description": "nul\u0000byte"}, headers=auth), 422)
    problem_of(client.patch(url, json={"description": "x"}, headers={"Authorization": "Bearer pa_nope_nope"}), 401)
    problem_of(client.patch(url, json={"description": "x"}, headers={"Authorization": "Basic dXNlcjpwdw=="}), 401)
    problem_of(client.patch(url, json={"description": "x"}, headers={"Authorization": "Bearer " + "a" * 5000}), 401)
    problem_of(client.patch(url, json={"description": "x"}), 401)
    # A token sent with a read is checked too.
    problem_of(client.get("/api/v1/tenders", headers={"Authorization": "Bearer pa_bad"}), 401)
    assert snapshot(session, Enterprise, alpha) == before
    # Unknown paths and methods under /api/v1 answer problems, not HTML pages.
    problem_of(client.get("/api/v1/no-such-thing"), 404)
    problem_of(client.delete(url, headers=auth), 405)
    problem_of(client.put("/api/v1/tenders", json={}), 405)
    # An oversized body beyond the app's own limit (MAX_CONTENT_LENGTH) is a problem too.
    app.config["MAX_CONTENT_LENGTH"] = 1000
    problem_of(client.post("/api/v1/tenders", data=json.dumps({"title_fr": "x" * 5000}),
                           headers=w.auth("buyer_x"), content_type="application/json"), 413)


def test_problem_details_follow_the_language(client, w):
    body = problem_of(client.get("/api/v1/enterprises/999999", headers=EN), 404)
    assert body["detail"] == "No such resource."


# ---------------------------------------------------------------- OpenAPI
def test_openapi_document_matches_the_routes(app, client):
    document = client.get("/api/v1/openapi.json").get_json()
    assert document == openapi() and document["openapi"].startswith("3.")
    declared = {(method.upper(), "/api/v1" + re.sub(r"\{(\w+)\}", r"<\1>", path))
                for path, item in document["paths"].items() for method in item}
    routed = set()
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith("api."):
            path = re.sub(r"<(?:\w+:)?(\w+)>", r"<\1>", rule.rule)
            routed |= {(m, path) for m in rule.methods - {"HEAD", "OPTIONS"}}
    assert declared == routed
    schemas = document["components"]["schemas"]
    for path, item in document["paths"].items():
        for method, operation in item.items():
            if method in ("post", "patch"):
                body = operation["requestBody"]["content"]["application/json"]["schema"]["$ref"].split("/")[-1]
                assert schemas[body]["additionalProperties"] is False
                assert operation["security"] == [{"bearerAuth": []}]
                assert {"400", "401", "403", "404", "413", "415", "422"} <= set(operation["responses"])
            for code, response in operation["responses"].items():
                if code.startswith(("4", "5")):
                    assert response["content"]["application/problem+json"]["schema"]["$ref"].endswith("/Problem")
    assert document["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"


def test_openapi_document_is_valid_openapi():
    from jsonschema import Draft4Validator

    document = openapi()
    # Every schema in the document is a valid JSON Schema (draft 4 is the base of OpenAPI 3.0).
    for schema in document["components"]["schemas"].values():
        Draft4Validator.check_schema({k: v for k, v in schema.items() if k not in ("nullable", "example")})
    refs = set(re.findall(r'"#/components/schemas/(\w+)"', json.dumps(document)))
    assert refs <= set(document["components"]["schemas"])
