"""Issue 3 "Bad input": each bad value gets a message naming its field and nothing stored changes."""
import io

import pytest
from sqlmodel import select

from registry import import_jobs
from registry.history import PROFILE_FIELDS, snapshot
from registry.models import Activity, Enterprise, EnterpriseChange
from tests.registry_helpers import log_in, make_enterprise, make_user, number, post

GOOD = {"legal_name": "Atelier Test ASBL", "postal_code": "5000", "municipality": "Namur", "nuts3": "BE352",
        "staff_total": "10", "staff_disadvantaged": "5", "languages": ["fr"]}

CASES = [
    ("enterprise_number", "0431150351", "mod-97 check"),
    ("enterprise_number", "BE 12", "not a valid Belgian enterprise number"),
    ("staff_disadvantaged", "11", "cannot exceed the total staff"),
    ("staff_total", "-1", "cannot be below 0"),
    ("max_contract_eur", "-100", "cannot be negative"),
    ("staff_total", "dix", "Enter a whole number"),
    ("postal_code", "99999", "At most 4 characters"),
    ("website", "javascript:alert(1)", "web address starting with http"),
    ("email", "<script>@x", "e-mail address is not valid"),
    ("legal_name", "", "This field is required"),
    ("legal_name", "x" * 201, "At most 200 characters"),
    ("legal_name", "Nul\x00byte", "control characters"),
    ("nuts3", "BE999", "not one of the allowed values"),
]


@pytest.mark.parametrize("field,value,message", CASES)
def test_bad_profile_value_is_named_and_nothing_changes(client, session, field, value, message):
    firm = make_user(session, "a@firm.example")
    enterprise = make_enterprise(session, "Atelier Test ASBL", 1, member=firm)
    before = snapshot(enterprise, PROFILE_FIELDS)
    changes = len(session.exec(select(EnterpriseChange)).all())
    log_in(client, "a@firm.example")
    data = {**GOOD, "enterprise_number": number(1), field: value}
    page = post(client, f"/registry/enterprises/{enterprise.id}/edit", data)
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert f'id="{field}-error"' in html and message in html
    assert '<script>@x' not in html
    session.expire_all()
    assert snapshot(session.get(Enterprise, enterprise.id), PROFILE_FIELDS) == before
    assert len(session.exec(select(EnterpriseChange)).all()) == changes


@pytest.mark.parametrize("field,value,message", [
    ("cpv_codes", "99999999", "Unknown CPV code: 99999999"),
    ("cpv_codes", "4521", "is not a CPV code"),
    ("nace_codes", "99.999", "Unknown NACE code"),
    ("radius_km", "-5", "cannot be below 1"),
])
def test_bad_activity_value_is_named_and_nothing_changes(client, session, field, value, message):
    firm = make_user(session, "a@firm.example")
    enterprise = make_enterprise(session, "Atelier Test ASBL", 1, member=firm)
    activity = session.exec(select(Activity).where(Activity.enterprise_id == enterprise.id)).one()
    log_in(client, "a@firm.example")
    data = {"service_type": "services", "cpv_codes": "90910000", "coverage_kind": "radius", "radius_km": "20",
            field: value}
    page = post(client, f"/registry/enterprises/{enterprise.id}/activities/{activity.id}", data)
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and f'id="{field}-error"' in html and message in html
    session.expire_all()
    stored = session.get(Activity, activity.id)
    assert (stored.cpv_codes, stored.coverage_kind) == (["90910000"], "nuts3")


def test_broken_csv_from_the_admin_page(app, client, session):
    make_user(session, "admin@x.example", "admin")
    existing = make_enterprise(session, "Déjà là ASBL", 1)
    log_in(client, "admin@x.example")
    body = ("name,enterprise_number,types,staff_total\n"
            f"\"Déjà là ASBL,{number(1)},insertion,99\n").encode("utf-8")
    response = post(client, "/registry/admin/import", {"file": (io.BytesIO(body), "broken.csv")},
                    content_type="multipart/form-data")
    job = import_jobs.get(app, response.headers["Location"].rsplit("/", 1)[1])
    job.thread.join(30)
    page = client.get(response.headers["Location"], headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "Broken quote" in page and "<td>2</td>" in page
    session.refresh(existing)
    assert existing.staff_total == 10
