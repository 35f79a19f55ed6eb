"""Issue 10 (gender-disaggregated monitoring, small-number protection) and issue 7's remainder of
the impact dashboard (extra cost per insertion hour vs the lowest-price bid, clause-type filter,
PDF summary and its CLI). Pure functions first, then services, pages, exports and the PDF on the
demo data of the monitoring feature (loaded up to demo.monitoring, without the later loaders)."""
import csv
import importlib
import io
import json
from decimal import Decimal
from io import BytesIO

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader
from sqlmodel import select

from accounts.models import Authority, User
from procurement import impact
from procurement import monitoring as service
from procurement.bid_models import Evaluation
from procurement.impact import ContractFacts, aggregate, protect, public_share, report_breakdown, women_share_pct
from procurement.monitoring_models import Contract, ContractReport
from registry.validation import ValidationError

PDF = b"%PDF-1.4 evidence"


# --- pure functions ---------------------------------------------------------------------------

@pytest.mark.parametrize("count, shown", [(0, "0"), (1, "< 5"), (4, "< 5"), (5, "5"), (12, "12"), (None, ""),
                                          (Decimal(3), "< 5")])
def test_protect_boundaries(count, shown):
    assert protect(count) == shown


def test_protect_rejects_negative():
    with pytest.raises(ValueError):
        protect(-1)


def test_report_breakdown_never_guesses():
    assert report_breakdown(3, None, None, None) == impact.Breakdown(0, 0, 0, 3)  # all not stated
    partial = report_breakdown(6, 2, None, None)  # only women given: the rest is "not stated"
    assert partial == impact.Breakdown(2, 0, 0, 4) and partial.total == 6
    assert report_breakdown(5, 2, 2, 1) == impact.Breakdown(2, 2, 1, 0)
    with pytest.raises(ValueError):
        report_breakdown(4, 3, 2, None)  # 5 > 4
    with pytest.raises(ValueError):
        report_breakdown(4, -1, 2, None)


def test_share_of_women_over_stated_counts_only():
    assert women_share_pct(0, 0, 0) is None and public_share(0, 0, 0) == ""
    assert women_share_pct(5, 15, 0) == Decimal("25.0")
    assert public_share(5, 15, 0) == "25.0"
    assert public_share(4, 16, 0) == "< 5"  # 20 % of 20 gives the 4 women away
    assert public_share(16, 3, 1) == "< 5"  # the 4 others would be given away
    assert public_share(10, 0, 0) == "100.0"  # 0 others is not a small cell


def _f(authority="A", year=2026, people=0, women=0, men=0, other=0, not_stated=0, gap=None, committed="100",
       clauses=frozenset({"performance_condition"})):
    return ContractFacts(authority, year, Decimal("1000"), False, Decimal(committed), Decimal(0), Decimal(0), True,
                         False, "BE352", "77", people=people, women=women, men=men, other=other,
                         not_stated=not_stated, clause_types=clauses, lowest_price_gap=gap)


def test_aggregate_people_mixed_reports_add_up_and_are_protected():
    facts = [_f(people=8, women=3, men=2, not_stated=3),  # mixed: two reports with, one without breakdown
             _f(people=4, not_stated=4),  # all not stated
             _f(authority="B", people=20, women=5, men=14, other=1)]
    rows = aggregate(facts, job_month_hours=165, eur_per_job_month=3700)
    a, b = rows
    assert (a.people, a.women, a.men, a.other, a.not_stated) == (12, 3, 2, 0, 7)
    assert a.women + a.men + a.other + a.not_stated == a.people
    assert a.women_share_pct == Decimal("60.0")  # 3 ÷ 5 stated, the 7 not stated left out
    public = a.as_dict()
    assert (public["people"], public["women"], public["men"], public["other_or_not_stated"],
            public["not_stated"]) == ("12", "< 5", "< 5", "0", "7")
    assert public["women_share_pct"] == "< 5"
    assert b.as_dict()["women"] == "5" and b.as_dict()["other_or_not_stated"] == "< 5"
    assert b.as_dict()["women_share_pct"] == "25.0"


def test_extra_cost_per_insertion_hour():
    facts = [_f(gap=Decimal("5000"), committed="100"), _f(gap=Decimal("0"), committed="400"),
             _f(gap=None, committed="300"),  # no counterfactual: left out
             _f(gap=Decimal("999"), committed="0")]  # no committed hours: left out
    row = aggregate(facts, job_month_hours=165, eur_per_job_month=3700)[0]
    assert row.compared_contracts == 2 and row.compared_hours == Decimal(500)
    assert row.extra_cost_per_hour == Decimal("10.00")  # 5,000 ÷ 500 h
    assert row.as_dict()["extra_cost_per_insertion_hour_eur"] == "10.00"
    none = aggregate([_f(gap=None)], job_month_hours=165, eur_per_job_month=3700)[0]
    assert none.extra_cost_per_hour is None and none.as_dict()["extra_cost_per_insertion_hour_eur"] == ""


def test_clause_type_filter():
    facts = [_f(clauses=frozenset({"reservation"})), _f(authority="B", clauses=frozenset({"training", "penalty"}))]
    kwargs = {"job_month_hours": 165, "eur_per_job_month": 3700}
    assert [r.authority for r in aggregate(facts, clause_type="training", **kwargs)] == ["B"]
    assert [r.authority for r in aggregate(facts, clause_type="reservation", **kwargs)] == ["A"]
    assert aggregate(facts, clause_type="selection", **kwargs) == []
    assert len(aggregate(facts, **kwargs)) == 2


# --- services, pages, exports, PDF on the monitoring demo data --------------------------------

@pytest.fixture
def monitored(app, session):
    """The demo loaders up to demo.monitoring (contract + five reports, three validated)."""
    from common.db import get_session
    from demo import LOADERS

    with app.app_context():
        db = get_session()
        for spec in LOADERS[:LOADERS.index("demo.monitoring:load") + 1]:
            module, func = spec.split(":")
            getattr(importlib.import_module(module), func)(db)
            db.commit()
    return session.exec(select(Contract)).one()


def _user(session, email):
    return session.exec(select(User).where(User.email == email)).one()


def _file(session, contract, tmp_path, **changes):
    contested = [r for r in service.reports_of(session, contract) if r.status == "contested"][0]
    data = {"period": contested.period_start.isoformat(), "insertion_hours": "5", "training_hours": "0",
            "subcontracted_hours": "0", "subcontractor": "", "people": "4", "comment": ""} | changes
    return service.file_report(session, contract, _user(session, "firm@demo.example"), data, [("p.pdf", PDF)],
                               upload_dir=str(tmp_path), max_bytes=1000)


@pytest.mark.parametrize("changes, field, message", [
    ({"people_women": "3", "people_men": "2"}, "people_men", "add up to 5, more than the 4 people"),
    ({"people_women": "1", "people_men": "1", "people_other": "3"}, "people_other", "add up to 5, more than"),
    ({"people_women": "-1"}, "people_women", "whole number"),
    ({"people_men": "two"}, "people_men", "whole number"),
    ({"people": "0", "people_other": "1"}, "people_other", "more than the 0 people"),
])
def test_gender_counts_bad_input_names_the_field_and_stores_nothing(monitored, session, tmp_path, changes, field,
                                                                    message):
    before = len(service.reports_of(session, monitored))
    with pytest.raises(ValidationError) as exc:
        _file(session, monitored, tmp_path, **changes)
    session.rollback()
    assert exc.value.field == field, exc.value.errors
    assert message in str(exc.value.errors[field])
    assert len(service.reports_of(session, monitored)) == before


def test_gender_counts_stored_blank_means_not_stated(monitored, session, tmp_path):
    report = _file(session, monitored, tmp_path, people_women="2", people_men="", people_other="2")
    stored = session.get(ContractReport, report.id)
    assert (stored.people_women, stored.people_men, stored.people_other) == (2, None, 2)
    first = service.reports_of(session, monitored)[0]
    assert (first.people, first.people_women, first.people_men, first.people_other) == (2, 1, 1, 0)
    second = service.reports_of(session, monitored)[1]
    assert (second.people_women, second.people_men, second.people_other) == (None, None, None)


def test_facts_gender_and_lowest_price_gap(monitored, session):
    from procurement import impact_services

    [facts] = impact_services.contract_facts(session)
    validated = [r for r in service.reports_of(session, monitored) if r.status == "validated"]
    assert facts.people == sum(r.people for r in validated) == 8
    # demo: (1, 1, 0) of 2 people, no breakdown for 3 people, (2, 1, 0) of 3 people
    assert (facts.women, facts.men, facts.other, facts.not_stated) == (3, 2, 0, 3)
    evaluation = session.get(Evaluation, monitored.evaluation_id)
    lowest = json.loads(evaluation.result_json)["lowest_price"]
    assert facts.lowest_price_gap == Decimal(str(lowest["winner_price"])) - Decimal(str(lowest["price"]))
    assert "award_criterion" in facts.clause_types
    other_authority = session.exec(select(Authority).where(Authority.id != monitored.authority_id)).first()
    assert impact_services.contract_facts(session, authority_id=other_authority.id) == []


def test_dashboard_shows_breakdown_cost_and_clause_filter(monitored, client, session):
    html = client.get("/impact", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "People reached, by gender" in html and "&lt; 5" in html
    assert "Extra cost per insertion hour" in html and "Small numbers" in html
    assert '<select id="clause" name="clause">' in html and 'value="award_criterion"' in html
    evaluation = session.get(Evaluation, monitored.evaluation_id)
    lowest = json.loads(evaluation.result_json)["lowest_price"]
    gap = Decimal(str(lowest["winner_price"])) - Decimal(str(lowest["price"]))
    per_hour = (gap / Decimal(monitored.committed_hours)).quantize(Decimal("0.01"))
    assert f">{per_hour}<" in html
    filtered = client.get("/impact?clause=reservation", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "No contract matches these filters." in filtered
    kept = client.get("/impact?clause=award_criterion", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "No contract matches these filters." not in kept
    unknown = client.get("/impact?clause=nonsense", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "No contract matches these filters." not in unknown  # an unknown clause type is ignored
    assert 'value="nonsense"' not in unknown


def test_exports_protect_small_counts(monitored, client):
    text = client.get("/impact.csv").get_data(as_text=True).lstrip("\ufeff")
    [row] = list(csv.DictReader(io.StringIO(text)))
    assert row["people"] == "8" and row["women"] == "< 5" and row["men"] == "< 5" and row["not_stated"] == "< 5"
    assert row["other_or_not_stated"] == "0" and row["women_share_pct"] == "< 5"
    book = load_workbook(BytesIO(client.get("/impact.xlsx").data))
    values = [[c.value for c in r] for r in book.active.iter_rows()]
    women = values[0].index("women")
    assert values[1][women] == "< 5"


def _pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(BytesIO(data)).pages)


def test_pdf_summary_download_and_cli(monitored, client, runner, session, tmp_path):
    response = client.get("/impact.pdf?clause=award_criterion", headers={"Accept-Language": "en"})
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    text = _pdf_text(response.data)
    assert "People reached, by gender" in text and "< 5" in text and "Definitions" in text
    assert "Extra cost per insertion hour" in text
    authority = session.get(Authority, monitored.authority_id)
    year = monitored.created_at.year
    out = tmp_path / "impact.pdf"
    result = runner.invoke(args=["impact", "report", "--authority", str(authority.id), "--year", str(year),
                                 "--lang", "fr", "-o", str(out)])
    assert result.exit_code == 0, result.output
    french = _pdf_text(out.read_bytes())
    assert authority.name.split(" (")[0] in french and "< 5" in french
    bad = runner.invoke(args=["impact", "report", "--authority", "999999", "-o", str(tmp_path / "x.pdf")])
    assert bad.exit_code != 0 and "999999" in bad.output
    bad_lang = runner.invoke(args=["impact", "report", "--authority", str(authority.id), "--lang", "xx",
                                   "-o", str(tmp_path / "y.pdf")])
    assert bad_lang.exit_code != 0 and not (tmp_path / "y.pdf").exists()


def test_report_form_carries_the_gender_counts(monitored, client, session):
    from tests.conftest import csrf_token, login

    login(client, "firm@demo.example")
    page = client.get(f"/contracts/{monitored.id}", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert 'name="people_women"' in page and "Gender breakdown of these people" in page
    assert "gender not stated" in page  # the demo report without a breakdown
    contested = [r for r in service.reports_of(session, monitored) if r.status == "contested"][0]
    form = {"csrf_token": csrf_token(client, f"/contracts/{monitored.id}"), "period": contested.period_start.isoformat(),
            "insertion_hours": "20", "training_hours": "0", "subcontracted_hours": "0", "subcontractor": "",
            "people": "2", "people_women": "2", "people_men": "1", "people_other": "", "comment": ""}
    html = client.post(f"/contracts/{monitored.id}/reports", data=form,
                       headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "add up to 3, more than the 2 people" in html
    before = len(service.reports_of(session, monitored))
    form |= {"people_men": "0", "evidence": (BytesIO(PDF), "releve.pdf")}
    response = client.post(f"/contracts/{monitored.id}/reports", data=form, content_type="multipart/form-data")
    assert response.status_code == 302
    reports = service.reports_of(session, monitored)
    assert len(reports) == before + 1
    new = max(reports, key=lambda r: r.id)
    assert (new.people, new.people_women, new.people_men, new.people_other) == (2, 2, 0, None)


def test_lowest_price_gap_from_the_frozen_result_and_pro_rata():
    from datetime import datetime, timezone

    from procurement.impact_services import lowest_price_gap

    result = {"lowest_price": {"bid": "B", "price": 70000.0, "winner": "A", "winner_price": 92000.0,
                               "extra_cost": 22000.0}}
    done = Evaluation(lot_id=1, finalised_at=datetime(2026, 5, 1, tzinfo=timezone.utc), result_json=json.dumps(result))
    assert lowest_price_gap(done) == Decimal("22000.0")
    assert lowest_price_gap(done, Decimal("92000")) == Decimal("22000.0")
    assert lowest_price_gap(done, Decimal("23000")) == Decimal("5500.00")  # a quarter of a joint award
    assert lowest_price_gap(Evaluation(lot_id=1, result_json=json.dumps(result))) is None  # not finalised
    assert lowest_price_gap(Evaluation(lot_id=1, finalised_at=done.finalised_at,
                                       result_json=json.dumps({"lowest_price": None}))) is None
    assert lowest_price_gap(None) is None
