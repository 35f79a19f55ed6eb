"""Issue 10: employment-purpose enterprises (entreprise à but d'emploi, EBE) in the registry with the
territory they serve, in sourcing advice and search, and the clause that lets a buyer favour
subcontracting to them (a performance condition, never a location criterion)."""
from datetime import date

import pytest
from sqlmodel import func, select

from clauses.library import load_library, render
from clauses.parameters import ParameterError, validate_parameters
from procurement.advice import CLAUSE, EMPLOYMENT_CLAUSE, RESERVE, sourcing_advice
from registry import finder, services
from registry.codes import TYPE_LABELS, SocialType
from registry.models import Enterprise
from registry.sourcing import sourcing_candidates
from registry.validation import ValidationError
from tests.registry_helpers import make_enterprise, number

EBE = SocialType.EMPLOYMENT_PURPOSE.value


@pytest.fixture
def municipalities(session):
    from demo.employment import _ensure_municipalities

    _ensure_municipalities(session)
    session.commit()


def _ebe_data(i=7, **changes):
    return {"legal_name": "Conciergerie Test EBE", "enterprise_number": number(i), "types": [EBE],
            "postal_code": "4100", "municipality": "Seraing", "nuts3": "BE332", "staff_total": 10,
            "staff_disadvantaged": 9, "served_municipalities": "liege\nSeraing\nLiège"} | changes


def _count(session):
    return session.exec(select(func.count()).select_from(Enterprise)).one()


def test_type_is_in_the_registry_list():
    assert EBE == "employment_purpose" and EBE in TYPE_LABELS and EBE in services.TYPE_CODES


def test_territory_is_checked_against_the_municipality_list(session, municipalities):
    enterprise = services.create_enterprise(session, _ebe_data(), status="validated")
    assert enterprise.served_municipalities == ["Liège", "Seraing"]  # spelled as the list, no duplicate
    before = _count(session)
    with pytest.raises(ValidationError) as exc:
        services.create_enterprise(session, _ebe_data(8, served_municipalities="Liège\nAtlantis"))
    session.rollback()
    assert exc.value.field == "served_municipalities" and "Atlantis" in str(exc.value.errors["served_municipalities"])
    with pytest.raises(ValidationError) as exc:
        services.create_enterprise(session, _ebe_data(9, served_municipalities=""))
    session.rollback()
    assert exc.value.field == "served_municipalities"
    assert _count(session) == before
    # editing: a bad name changes nothing; a good one is recorded in the history
    data = {k: getattr(enterprise, k) for k in ("legal_name", "enterprise_number", "postal_code", "municipality",
                                                "nuts3", "staff_total", "staff_disadvantaged")}
    with pytest.raises(ValidationError):
        services.update_enterprise(session, enterprise, data | {"served_municipalities": "Nowhere"})
    session.rollback()
    assert session.get(Enterprise, enterprise.id).served_municipalities == ["Liège", "Seraing"]
    changes = services.update_enterprise(session, session.get(Enterprise, enterprise.id),
                                         data | {"served_municipalities": "Seraing"})
    assert changes["served_municipalities"] == [["Liège", "Seraing"], ["Seraing"]]


def test_other_types_need_no_territory(session, municipalities):
    enterprise = make_enterprise(session, "Atelier Sans Territoire", 11)
    assert enterprise.served_municipalities == []


def test_sourcing_advice_and_search_take_them_into_account(session, municipalities):
    enterprise = services.create_enterprise(session, _ebe_data(), status="validated")
    services.save_activity(session, enterprise, {"service_type": "services", "cpv_codes": "90910000",
                                                 "coverage_kind": "municipalities",
                                                 "coverage_areas": ["Liège", "Seraing"], "radius_km": None})
    make_enterprise(session, "Nettoyage Insertion ASBL", 12, activities=(("services", "90910000", "nuts3",
                                                                          ["BE332"], None),))
    candidates = sourcing_candidates(session, ["90910000"], nuts3="BE332", today=date.today())
    flags = {c.name: c.employment_purpose for c in candidates}
    assert flags == {"Conciergerie Test EBE": True, "Nettoyage Insertion ASBL": False}
    ebe = next(c for c in candidates if c.employment_purpose)
    assert ebe.served_municipalities == ["Liège", "Seraing"]
    advice = sourcing_advice(candidates, many_firms=5, few_firms=1)
    assert advice.decision == CLAUSE and EMPLOYMENT_CLAUSE in advice.suggested_clauses
    without = sourcing_advice([c for c in candidates if not c.employment_purpose], many_firms=5, few_firms=1)
    assert EMPLOYMENT_CLAUSE not in without.suggested_clauses
    reserved = sourcing_advice(candidates, many_firms=1, few_firms=1)
    assert reserved.decision == RESERVE and EMPLOYMENT_CLAUSE not in reserved.suggested_clauses
    page = finder.search(session, finder.Filters(types=[EBE]), viewer_role="buyer", today=date.today(),
                         min_share_pct=30)
    assert [h.enterprise.legal_name for h in page.hits] == ["Conciergerie Test EBE"]
    page = finder.search(session, finder.Filters(place="Liège", types=[EBE]), viewer_role="buyer",
                         today=date.today(), min_share_pct=30)
    assert any("employment-purpose enterprise serving" in str(r) for r in page.hits[0].reasons)


def test_demo_enterprise_profile_and_edit_form(app, session, client):
    from common.db import get_session
    from demo import accounts, employment
    from tests.conftest import login

    with app.app_context():
        db = get_session()
        accounts.load(db)
        assert employment.load(db).endswith("(territory: Liège, Seraing)")
        assert employment.load(db) == "employment-purpose enterprise: already present"
    enterprise = session.exec(select(Enterprise).where(Enterprise.legal_name == employment.NAME)).one()
    html = client.get(f"/registry/enterprises/{enterprise.id}", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "Territory served" in html and "Liège, Seraing" in html
    login(client, "admin@demo.example")
    form = client.get(f"/registry/enterprises/{enterprise.id}/edit", headers={"Accept-Language": "en"})
    assert form.status_code == 200
    text = form.get_data(as_text=True)
    assert 'name="served_municipalities"' in text and "Liège\nSeraing" in text


# --- the clause -------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def clause():
    return load_library().get("subcontracting-employment-purpose")


def test_clause_loads_with_three_languages_and_is_a_subcontracting_condition(clause):
    assert clause.category == "subcontracting" and clause.version == 1
    assert "Directive 2014/24/EU art. 70" in clause.legal_basis
    assert {p.name for p in clause.parameters} == {"subcontracting_percent", "tasks"}
    for lang in ("fr", "nl", "en"):
        text = render(clause, lang, {"subcontracting_percent": 10, "tasks": "cleaning"})
        assert "{" not in text and len(text) > 400
    assert "10\u00a0%" in render(clause, "fr", {"subcontracting_percent": 10})
    assert "nettoyage" in render(clause, "fr", {"tasks": "cleaning"})
    assert "groenonderhoud" in render(clause, "nl", {"tasks": "green_spaces"})


def test_clause_is_never_a_location_criterion(clause):
    assert "never a location criterion" in clause.explanation["en"]
    assert "jamais un critère de localisation" in clause.explanation["fr"]
    assert "nooit een plaatsgebonden criterium" in clause.explanation["nl"]
    assert "No condition applies to where the subcontractor is established" in render(clause, "en")


@pytest.mark.parametrize("values, field, code", [
    ({"subcontracting_percent": 0}, "subcontracting_percent", "below_min"),
    ({"subcontracting_percent": 31}, "subcontracting_percent", "above_max"),
    ({"subcontracting_percent": "a lot"}, "subcontracting_percent", "not_a_number"),
    ({"tasks": "anything"}, "tasks", "not_in_choices"),
])
def test_clause_parameters_are_validated(clause, values, field, code):
    with pytest.raises(ParameterError) as exc:
        validate_parameters(clause, values)
    assert (exc.value.field, exc.value.code) == (field, code)
