"""Registry pages through real HTTP forms with CSRF: registration and duplicates, "this is us",
object-level access, editing and history, validation queue."""
import json
from datetime import date, timedelta

from sqlmodel import select

from audit.models import AuditEntry
from registry.models import Enterprise, EnterpriseChange, EnterpriseMember
from tests.registry_helpers import log_in, make_enterprise, make_user, number, post, token

NEW = "/registry/enterprises/new"


def _registration(name, i, **extra):
    return {"legal_name": name, "enterprise_number": number(i), "postal_code": "5000", "municipality": "Namur",
            "types": ["reuse_shop"], "languages": ["fr"], "staff_total": "10", "staff_disadvantaged": "4", **extra}


def test_registration_warns_about_similar_names_then_registers(client, session):
    firm = make_user(session, "jonas@firm.example")
    make_enterprise(session, "Atelier Récup' Meuse ASBL", 1)
    log_in(client, "jonas@firm.example")
    page = post(client, NEW, _registration("Atelier Recup Meuse", 2))
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "may already be registered" in html and "This is us: request access" in html
    assert len(session.exec(select(Enterprise)).all()) == 1
    done = post(client, NEW, _registration("Atelier Recup Meuse", 2, not_duplicate="y"))
    assert done.status_code == 302
    new = session.exec(select(Enterprise).where(Enterprise.enterprise_number == number(2))).one()
    assert new.status == "pending" and new.nuts3 == "" and new.region == "BE3"
    assert session.exec(select(EnterpriseMember).where(EnterpriseMember.user_id == firm.id)).one().enterprise_id == new.id
    assert "Atelier Recup Meuse" in client.get(done.headers["Location"]).get_data(as_text=True)


def test_same_enterprise_number_is_blocked(client, session):
    make_user(session, "jonas@firm.example")
    existing = make_enterprise(session, "Kringwinkel Scheldeland VZW", 1)
    log_in(client, "jonas@firm.example")
    page = post(client, NEW, _registration("Totally different name", 1, not_duplicate="y"))
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "already registered" in html
    assert f"/registry/enterprises/{existing.id}/request-access" in html
    assert len(session.exec(select(Enterprise)).all()) == 1


def test_while_typing_check_returns_escaped_json(client, session):
    make_user(session, "jonas@firm.example")
    make_enterprise(session, "<b>Atelier</b> Récup Meuse", 1)
    log_in(client, "jonas@firm.example")
    response = client.get("/registry/check?name=Atelier+Recup+Meus")
    assert response.mimetype == "application/json" and "<b>" not in response.get_data(as_text=True)
    found = json.loads(response.get_data(as_text=True))["duplicates"]
    assert found[0]["name"] == "<b>Atelier</b> Récup Meuse" and found[0]["request_url"].endswith("/request-access")
    assert json.loads(client.get(f"/registry/check?number={number(1)}").data)["duplicates"][0]["same_number"]


def test_this_is_us_request_approved_by_a_member(client, app, session):
    owner, claimant = make_user(session, "owner@firm.example"), make_user(session, "claim@firm.example")
    enterprise = make_enterprise(session, "Repair Café Gembloux ASBL", 1, member=owner)
    log_in(client, "claim@firm.example")
    url = f"/registry/enterprises/{enterprise.id}/request-access"
    assert post(client, url, {"message": "Je suis la trésorière"}).status_code == 302
    assert client.get(f"/registry/enterprises/{enterprise.id}/edit").status_code == 403
    other = app.test_client()
    log_in(other, "owner@firm.example")
    requests_url = f"/registry/enterprises/{enterprise.id}/access-requests"
    page = other.get(requests_url).get_data(as_text=True)
    assert "claim@firm.example" in page and "Je suis la trésorière" in page
    request_id = page.split('name="request_id" value="')[1].split('"')[0]
    assert post(other, requests_url, {"request_id": request_id, "decision": "approve"}).status_code == 302
    assert client.get(f"/registry/enterprises/{enterprise.id}/edit").status_code == 200
    assert session.exec(select(AuditEntry).where(AuditEntry.action == "enterprise.access_approved")).one()


def test_firm_a_cannot_touch_firm_b(client, session):
    a, b = make_user(session, "a@firm.example"), make_user(session, "b@firm.example")
    make_enterprise(session, "Firme A", 1, member=a)
    theirs = make_enterprise(session, "Firme B", 2, member=b)
    log_in(client, "a@firm.example")
    base = f"/registry/enterprises/{theirs.id}"
    for url in ("/edit", "/types", "/activities", "/references", "/access-requests", "/history"):
        assert client.get(base + url).status_code == 403, url
    csrf = token(client)
    assert client.post(base + "/edit", data={"csrf_token": csrf, "legal_name": "Pirated"}).status_code == 403
    assert client.post(base + "/activities", data={"csrf_token": csrf, "service_type": "works",
                                                   "cpv_codes": "45000000", "coverage_kind": "country"}).status_code == 403
    assert client.post(base + "/types/1/delete", data={"csrf_token": csrf, "confirm": "yes"}).status_code == 403
    assert client.post(f"{base}/status", data={"csrf_token": csrf, "status": "suspended", "confirm": "yes"}).status_code == 403
    session.refresh(theirs)
    assert theirs.legal_name == "Firme B" and theirs.status == "validated"


def test_pending_profiles_are_hidden_except_from_members_and_admins(app, session):
    member, _ = make_user(session, "m@firm.example"), make_user(session, "buyer@x.example", "buyer")
    make_user(session, "admin@x.example", "admin")
    pending = make_enterprise(session, "En attente ASBL", 1, status="pending", member=member, email="secret@pending.example")
    shown = make_enterprise(session, "Visible ASBL", 2, email="contact@visible.example")
    anonymous = app.test_client()
    assert anonymous.get(f"/registry/enterprises/{pending.id}").status_code == 404
    directory = anonymous.get("/registry/").get_data(as_text=True)
    assert "Visible ASBL" in directory and "En attente" not in directory
    public = anonymous.get(f"/registry/enterprises/{shown.id}").get_data(as_text=True)
    assert "contact@visible.example" not in public  # no personal data in public
    data = json.loads(anonymous.get("/registry/directory.json").data)
    assert [e["name"] for e in data["enterprises"]] == ["Visible ASBL"] and "email" not in data["enterprises"][0]
    for email, expected in (("buyer@x.example", 404), ("m@firm.example", 200), ("admin@x.example", 200)):
        client = app.test_client()
        log_in(client, email)
        assert client.get(f"/registry/enterprises/{pending.id}").status_code == expected, email
    buyer = app.test_client()
    log_in(buyer, "buyer@x.example")
    assert "contact@visible.example" in buyer.get(f"/registry/enterprises/{shown.id}").get_data(as_text=True)


def test_edit_with_history_and_field_errors(client, session):
    firm = make_user(session, "a@firm.example")
    enterprise = make_enterprise(session, "Atelier Test ASBL", 1, member=firm)
    log_in(client, "a@firm.example")
    url = f"/registry/enterprises/{enterprise.id}/edit"
    form = {"legal_name": "Atelier Test ASBL", "enterprise_number": number(1), "postal_code": "5000",
            "municipality": "Namur", "nuts3": "BE352", "languages": ["fr", "nl"], "staff_total": "20",
            "staff_disadvantaged": "25"}
    page = post(client, url, form)
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "cannot exceed the total staff" in html and 'id="staff_disadvantaged-error"' in html
    session.refresh(enterprise)
    assert enterprise.staff_total == 10
    assert post(client, url, dict(form, staff_disadvantaged="12")).status_code == 302
    session.refresh(enterprise)
    assert (enterprise.staff_total, enterprise.languages) == (20, ["fr", "nl"])
    history = client.get(f"/registry/enterprises/{enterprise.id}/history").get_data(as_text=True)
    assert "a@firm.example" in history and "staff_total" in history and "10 → 20" in history


def test_admin_validation_asks_for_confirmation(client, session):
    from registry.services import request_access

    make_user(session, "admin@x.example", "admin")
    enterprise = make_enterprise(session, "En attente ASBL", 1, status="pending")
    request_access(session, enterprise, make_user(session, "claim@firm.example"))
    log_in(client, "admin@x.example")
    queue = client.get("/registry/admin").get_data(as_text=True)
    assert "En attente ASBL" in queue and "claim@firm.example" in queue
    url = f"/registry/enterprises/{enterprise.id}/status"
    page = post(client, url, {"status": "validated"}, token_url="/registry/admin")
    assert page.status_code == 200 and 'name="confirm"' in page.get_data(as_text=True)
    session.refresh(enterprise)
    assert enterprise.status == "pending"
    assert post(client, url, {"status": "validated", "confirm": "yes"}, token_url="/registry/admin").status_code == 302
    session.refresh(enterprise)
    assert enterprise.status == "validated"
    post(client, url, {"status": "suspended", "confirm": "yes", "reason": "Agrément retiré"}, token_url="/registry/admin")
    session.refresh(enterprise)
    assert (enterprise.status, enterprise.status_reason) == ("suspended", "Agrément retiré")
    assert "Agrément retiré" in client.get("/registry/admin").get_data(as_text=True)
    assert [c.action for c in session.exec(select(EnterpriseChange).where(EnterpriseChange.enterprise_id == enterprise.id)
                                           .order_by(EnterpriseChange.id))][-2:] == ["validated", "suspended"]


def test_expiry_warning_shown_to_the_firm(client, app, session):
    firm = make_user(session, "a@firm.example")
    make_user(session, "buyer@x.example", "buyer")
    enterprise = make_enterprise(session, "Atelier Test ASBL", 1, member=firm, accreditation=("EI-9", 20))
    log_in(client, "a@firm.example")
    from common.formatting import local_date  # dates per language (issue 8): "Dec 13, 2026" in English

    until = local_date(date.today() + timedelta(days=20), "en")
    assert f"expires on {until} (in 20 days)" in client.get("/registry/mine", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "(in 20 days)" in client.get(f"/registry/enterprises/{enterprise.id}", headers={"Accept-Language": "en"}).get_data(as_text=True)
    buyer = app.test_client()
    log_in(buyer, "buyer@x.example")
    assert "(in 20 days)" not in buyer.get(f"/registry/enterprises/{enterprise.id}").get_data(as_text=True)


def test_activities_and_references_forms(client, session):
    firm = make_user(session, "a@firm.example")
    enterprise = make_enterprise(session, "Atelier Test ASBL", 1, member=firm, activities=())
    log_in(client, "a@firm.example")
    url = f"/registry/enterprises/{enterprise.id}/activities"
    page = post(client, url, {"service_type": "services", "cpv_codes": "90910000 12345678", "coverage_kind": "nuts3",
                              "coverage_nuts3": ["BE352"]})
    assert page.status_code == 200 and "Unknown CPV code: 12345678" in page.get_data(as_text=True)
    assert post(client, url, {"service_type": "services", "cpv_codes": "90910000, 77310000-6",
                              "coverage_kind": "nuts3", "coverage_nuts3": ["BE352", "BE351"]}).status_code == 302
    html = client.get(f"/registry/enterprises/{enterprise.id}").get_data(as_text=True)
    assert "90910000" in html and "77310000" in html
    refs = f"/registry/enterprises/{enterprise.id}/references"
    bad = post(client, refs, {"buyer": "", "year": "1850", "amount_eur": "-3"}).get_data(as_text=True)
    assert "This field is required." in bad and "cannot be below 1980" in bad and "cannot be negative" in bad
    assert post(client, refs, {"buyer": "Commune de Valmeuse", "year": "2024", "amount_eur": "12 500,50"}).status_code == 302
    assert "12\u202f500,50\xa0€" in client.get(refs).get_data(as_text=True)  # French amount (issue 8)
