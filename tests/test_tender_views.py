"""Tender pages through real forms (CSRF tokens read from the pages), per role."""
import re
from datetime import timedelta
from html import unescape

import pytest
from sqlmodel import select

from common.timeutil import to_brussels, utcnow
from procurement import publication
from procurement import tender_queries as q
from procurement.models import AwardCriterion, Tender
from tests.conftest import csrf_token, login
from tests.tender_builders import PASSWORD, XSS, build_tender, make_authority, make_user

EN = {"Accept-Language": "en"}


@pytest.fixture
def people(session):
    mine = make_authority(session)
    other = make_authority(session, "Commune d'Ailleurs", nuts3="BE100", municipality="Ailleurs")
    return {
        "authority": mine,
        "buyer": make_user(session, "buyer@test.example", "buyer", mine),
        "other_buyer": make_user(session, "other@test.example", "buyer", other),
        "firm": make_user(session, "firm@test.example", "firm"),
        "auditor": make_user(session, "auditor@test.example", "auditor", audits=mine),
    }


def as_user(client, user):
    assert login(client, user.email, PASSWORD).status_code == 302
    return client


def local(dt):
    return to_brussels(dt).strftime("%Y-%m-%dT%H:%M")


def tender_form(token, **changes):
    start = utcnow() + timedelta(days=3)
    form = {
        "csrf_token": token, "action": "save", "reference": "WEB-001",
        "title_fr": f"Tonte {XSS}", "title_nl": "Maaien", "title_en": f"Mowing {XSS}",
        "description_fr": "Tonte des pelouses.", "nature": "services", "cpv_main": "77310000",
        "cpv_additional": "", "nuts3": "BE352", "municipality": "Testville",
        "estimated_value": "1000000", "duration_months": "12",
        "publication_date": local(start), "question_deadline": local(start + timedelta(days=5)),
        "bid_deadline": local(start + timedelta(days=30)),
        "opening_at": local(start + timedelta(days=30, hours=1)),
        "labour_share_pct": "50", "insertion_rate_pct": "5", "hourly_cost": "30",
    }
    form.update(changes)
    return form


def test_buyer_creates_a_draft_and_sees_the_advice(client, session, people):
    as_user(client, people["buyer"])
    token = csrf_token(client, "/tenders/new")
    response = client.post("/tenders/new", data=tender_form(token), headers=EN)
    assert response.status_code == 302 and response.headers["Location"].endswith("/tenders/WEB-001")
    page = client.get("/tenders/WEB-001", headers=EN).get_data(as_text=True)
    assert "&lt;script&gt;alert(" in page and "<script>alert(" not in page
    assert "Open procedure, EU publication" in page and "art. 36" in page
    assert "833 insertion hours" in page
    assert "Sourcing advice" in page
    tender = q.find_tender(session, "WEB-001")
    assert tender.title_fr == f"Tonte {XSS}"  # stored as typed, escaped when shown


def test_bad_input_is_shown_on_the_fields_and_nothing_is_saved(client, session, people):
    as_user(client, people["buyer"])
    token = csrf_token(client, "/tenders/new")
    start = utcnow() + timedelta(days=3)
    response = client.post("/tenders/new", headers=EN, data=tender_form(
        token, estimated_value="0", cpv_main="99999999", title_fr="Mon titre tapé",
        bid_deadline=local(start - timedelta(days=1)), opening_at=local(start - timedelta(days=2))))
    html = unescape(response.get_data(as_text=True))
    assert response.status_code == 400
    for text in ("The estimated value must be greater than 0 EUR.", "CPV code 99999999 does not exist.",
                 "The bid deadline must come after the publication date.",
                 "Bids cannot be opened before the bid deadline."):
        assert text in html
    assert 'value="Mon titre tapé"' in html  # what the user typed is kept
    assert q.find_tender(session, "WEB-001") is None


def test_hours_are_computed_on_submit_without_javascript(client, session, people):
    as_user(client, people["buyer"])
    token = csrf_token(client, "/tenders/new")
    response = client.post("/tenders/new", headers=EN,
                           data=tender_form(token, action="compute", estimated_value="1000000"))
    assert response.status_code == 200
    assert "833 insertion hours" in response.get_data(as_text=True)
    assert q.find_tender(session, "WEB-001") is None


def test_live_calculator_endpoint(client, people):
    as_user(client, people["buyer"])
    ok = client.get("/tenders/calculator/insertion-hours?amount=1000000&labour_share_pct=50"
                    "&rate_pct=5&hourly_cost=30").get_json()
    assert ok["hours"] == 833
    suggested = client.get("/tenders/calculator/insertion-hours?amount=100000&rate_pct=5"
                           "&hourly_cost=30&cpv=45442100").get_json()
    assert suggested["suggested_labour_share_pct"] == "70" and suggested["hours"] == 116
    bad = client.get("/tenders/calculator/insertion-hours?amount=1000&labour_share_pct=150"
                     "&rate_pct=5&hourly_cost=30")
    assert bad.status_code == 400 and bad.get_json()["hours"] is None


def test_who_sees_a_draft(app, session, people):
    tender = build_tender(session, people["buyer"], app.config)
    url = f"/tenders/{tender.reference}"
    expected = {"buyer": (200, 200), "auditor": (200, 403), "other_buyer": (404, 404),
                "firm": (404, 403)}
    for role, (read, edit) in expected.items():
        client = as_user(app.test_client(), people[role])
        assert client.get(url).status_code == read, role
        assert client.get(url + "/edit").status_code == edit, role
        listing = client.get("/tenders").get_data(as_text=True)
        assert (tender.reference in listing) == (read == 200), role
        assert client.get(url + "/document/fr").status_code == read, role


def test_other_buyer_cannot_post_to_a_draft(app, session, people):
    tender = build_tender(session, people["buyer"], app.config)
    client = as_user(app.test_client(), people["other_buyer"])
    token = csrf_token(client, "/tenders/new")
    response = client.post(f"/tenders/{tender.reference}/edit", data=tender_form(token))
    assert response.status_code == 404
    session.expire_all()
    assert session.get(Tender, tender.id).title_fr == "Entretien des espaces verts"


def test_firm_sees_only_published_tenders(app, session, people):
    draft = build_tender(session, people["buyer"], app.config, reference="DRAFT-1")
    published = build_tender(session, people["buyer"], app.config, reference="PUB-1")
    publication.publish(session, people["buyer"], published, procedure="open_eu", settings=app.config)
    client = as_user(app.test_client(), people["firm"])
    listing = client.get("/tenders").get_data(as_text=True)
    assert "PUB-1" in listing and "DRAFT-1" not in listing
    page = client.get("/tenders/PUB-1", headers=EN).get_data(as_text=True)
    assert "Sourcing advice" not in page and "Procedure advice" not in page
    assert client.get(f"/tenders/{draft.reference}").status_code == 404


def criteria_form(token, rows, mode="weighted"):
    data = {"csrf_token": token, "criteria_mode": mode, "criteria_justification": ""}
    for i, row in enumerate(rows):
        for key, value in row.items():
            if value is True:
                data[f"criteria-{i}-{key}"] = "y"
            elif value is not False:
                data[f"criteria-{i}-{key}"] = value
    return data


def test_criteria_form_errors_and_warnings(app, client, session, people):
    tender = build_tender(session, people["buyer"], app.config, with_criteria=False)
    as_user(client, people["buyer"])
    url = f"/tenders/{tender.reference}/lots/1/criteria"
    token = csrf_token(client, url)
    rows = [{"code": "price", "kind": "price", "label_fr": "Prix", "weight": "50",
             "formula": "proportional"},
            {"code": "local", "kind": "quantity", "label_fr": "Emploi local", "weight": "40",
             "better": "higher", "is_social": True, "link_to_subject": "Le chantier."}]
    bad = client.post(url, data=criteria_form(token, rows), headers=EN)
    assert bad.status_code == 400
    html = unescape(bad.get_data(as_text=True))
    assert "The weights add up to 90.00, not 100." in html or "The weights add up to 90, not 100." in html
    assert 'value="Emploi local"' in html
    assert session.exec(select(AwardCriterion)).all() == []
    rows[1]["weight"] = "50"
    saved = client.post(url, data=criteria_form(token, rows), headers=EN)
    assert saved.status_code == 302
    html = unescape(client.get(url, headers=EN).get_data(as_text=True))
    assert "suggests a preference for the bidder's location" in html
    assert len(session.exec(select(AwardCriterion)).all()) == 2


def test_clause_parameter_error_on_its_field(app, client, session, people):
    tender = build_tender(session, people["buyer"], app.config)
    as_user(client, people["buyer"])
    url = f"/tenders/{tender.reference}/clauses"
    page = client.get(url).get_data(as_text=True)
    assert re.search(r'name="param-brussels-insertion-actiris-insertion_hours"[^>]*value="833"', page)
    token = csrf_token(client, url)
    response = client.post(url, headers=EN, data={
        "csrf_token": token, "select-social-clause-penalties": "1",
        "param-social-clause-penalties-total_rate": "25",
        "param-social-clause-penalties-partial_rate": "1.5",
        "param-social-clause-penalties-tolerance": "10"})
    assert response.status_code == 400
    assert "At most 20" in response.get_data(as_text=True)
    assert len(q.tender_clauses(session, tender)) == 3  # the saved selection is untouched


def test_publish_with_confirmation_then_everything_is_frozen(app, client, session, people):
    tender = build_tender(session, people["buyer"], app.config)
    as_user(client, people["buyer"])
    url = f"/tenders/{tender.reference}/publish"
    token = csrf_token(client, url)
    unconfirmed = client.post(url, data={"csrf_token": token, "procedure": "open_eu"})
    assert unconfirmed.status_code == 400
    session.expire_all()
    assert session.get(Tender, tender.id).status == "draft"
    done = client.post(url, data={"csrf_token": token, "procedure": "open_eu", "confirm": "y"})
    assert done.status_code == 302
    session.expire_all()
    assert session.get(Tender, tender.id).status == "published"
    for page in ("edit", "lots", "lots/1/criteria", "clauses", "publish"):
        response = client.get(f"/tenders/{tender.reference}/{page}", headers=EN)
        assert response.status_code == 302, page
    rows = [{"code": "price", "kind": "price", "label_fr": "Prix", "weight": "100",
             "formula": "linear"}]
    refused = client.post(f"/tenders/{tender.reference}/lots/1/criteria", headers=EN,
                          data=criteria_form(token, rows), follow_redirects=True)
    assert "can no longer be changed" in unescape(refused.get_data(as_text=True))
    weights = sorted(c.weight for c in session.exec(select(AwardCriterion)))
    assert [str(w) for w in weights] == ["25.00", "35.00", "40.00"]


def add_firm(session, name, *, disadvantaged, accredited=True, cpv="77310000", nuts3="BE352"):
    from datetime import date

    from registry.models import Accreditation, Activity, ActivityArea, ActivityCpv, Enterprise

    firm = Enterprise(legal_name=name, status="validated", municipality="Namur", nuts3=nuts3,
                      staff_total=10, staff_disadvantaged=disadvantaged)
    session.add(firm)
    session.flush()
    activity = Activity(enterprise_id=firm.id, service_type="services", cpv_codes=[cpv],
                        coverage_kind="nuts3", coverage_areas=[nuts3])
    session.add(activity)
    session.flush()
    session.add(ActivityCpv(activity_id=activity.id, code=cpv, enterprise_id=firm.id))
    session.add(ActivityArea(activity_id=activity.id, enterprise_id=firm.id, nuts3=nuts3))
    if accredited:
        session.add(Accreditation(enterprise_id=firm.id, type_code="sheltered_workshop",
                                  number="ETA-042", issuing_region="BE3",
                                  valid_from=date(2020, 1, 1), valid_until=date(2099, 1, 1)))
    session.commit()
    return firm


def test_sourcing_advice_lists_the_registry_firms(app, client, session, people):
    add_firm(session, f"ETA Les Jardins {XSS}", disadvantaged=6)
    add_firm(session, "Vert Demain scrl", disadvantaged=1, accredited=False)
    add_firm(session, "Loin d'ici asbl", disadvantaged=9, nuts3="BE211")  # does not cover BE352
    tender = build_tender(session, people["buyer"], app.config)
    as_user(client, people["buyer"])
    html = unescape(client.get(f"/tenders/{tender.reference}", headers=EN).get_data(as_text=True))
    assert "A few capable firms: add a performance condition or a subcontracting clause." in html
    assert "2 validated social-economy firms could bid; 1 of them are eligible" in html
    assert f"ETA Les Jardins {XSS}" in html and "Vert Demain scrl" in html
    assert "Loin d'ici" not in html
    raw = client.get(f"/tenders/{tender.reference}/edit", headers=EN).get_data(as_text=True)
    assert "ETA Les Jardins &lt;script&gt;" in raw  # also on the drafting form, escaped
    for i in range(2):
        add_firm(session, f"Atelier {i}", disadvantaged=5, cpv="77311000")
    html = client.get(f"/tenders/{tender.reference}", headers=EN).get_data(as_text=True)
    assert "Many eligible firms: reserve the contract or a lot" in unescape(html)


def test_publish_page_lists_what_blocks_publication(app, client, session, people):
    tender = build_tender(session, people["buyer"], app.config, with_criteria=False)
    as_user(client, people["buyer"])
    url = f"/tenders/{tender.reference}/publish"
    html = unescape(client.get(url, headers=EN).get_data(as_text=True))
    assert "Lot 1: Add at least one award criterion." in html
    token = csrf_token(client, url)
    response = client.post(url, headers=EN, data={"csrf_token": token, "procedure": "open_national",
                                                  "confirm": "y"})
    html = unescape(response.get_data(as_text=True))
    assert response.status_code == 400
    assert "Say why you chose another procedure than the one advised." in html
    session.expire_all()
    assert session.get(Tender, tender.id).status == "draft"
