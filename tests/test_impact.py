"""Impact figures (pure) and the dashboard page and exports."""
from decimal import Decimal
from io import BytesIO

import pytest
from openpyxl import load_workbook

from procurement.impact import COLUMNS, ContractFacts, aggregate


def _f(authority="A", year=2026, amount="100000", se=True, committed="100", delivered="50", sub="10",
       clause=True, reserved=False, region="BE352", cpv="77"):
    return ContractFacts(authority, year, Decimal(amount), se, Decimal(committed), Decimal(delivered), Decimal(sub),
                         clause, reserved, region, cpv)


def test_aggregate_per_authority_and_year():
    facts = [_f(), _f(amount="50000", se=False, committed="0", delivered="0", sub="0", clause=False, reserved=True),
             _f(year=2025, delivered="330"), _f(authority="B", region="BE100", cpv="45")]
    rows = aggregate(facts, job_month_hours=165, eur_per_job_month=3700)
    assert [(r.authority, r.year) for r in rows] == [("A", 2025), ("A", 2026), ("B", 2026)]
    a26 = rows[1]
    assert a26.contracts == 2 and a26.spend == Decimal(150000) and a26.spend_social_economy == Decimal(100000)
    assert a26.share_social_economy_pct == Decimal("66.7") and a26.delivered_pct == Decimal("50.0")
    assert a26.lots_with_social_clause == 1 and a26.reserved_lots == 1
    assert rows[0].job_months == Decimal("2.0")  # 330 h ÷ 165 h
    assert a26.job_months_proxy == Decimal("27.0")  # 100,000 ÷ 3,700
    assert set(a26.as_dict()) == set(COLUMNS)


def test_filters_and_empty():
    facts = [_f(), _f(authority="B", region="BE100", cpv="45"), _f(year=2025)]
    assert [r.authority for r in aggregate(facts, job_month_hours=165, eur_per_job_month=3700, region="BE1")] == ["B"]
    assert len(aggregate(facts, job_month_hours=165, eur_per_job_month=3700, cpv_division="77")) == 2
    assert len(aggregate(facts, job_month_hours=165, eur_per_job_month=3700, year=2025)) == 1
    assert aggregate([], job_month_hours=165, eur_per_job_month=3700) == []
    row = aggregate([_f(amount="0", committed="0")], job_month_hours=165, eur_per_job_month=3700)[0]
    assert row.share_social_economy_pct is None and row.delivered_pct is None
    with pytest.raises(ValueError):
        aggregate(facts, job_month_hours=0, eur_per_job_month=3700)


def test_dashboard_and_exports(demo, client):
    html = client.get("/impact", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "Commune de Valmeuse" in html and "<svg" in html and "<title" in html and "Definition:" in html
    assert "110" in html  # hours of the three validated demo reports (24 + 44 + 42)
    csv = client.get("/impact.csv").get_data(as_text=True)
    assert csv.lstrip("\ufeff").startswith(",".join(COLUMNS)) and "92000.00" in csv
    book = load_workbook(BytesIO(client.get("/impact.xlsx").data))
    assert book.active.cell(row=1, column=1).value == "authority"
    assert "Commune de Valmeuse" not in client.get("/impact?year=1999").get_data(as_text=True)
    assert client.get("/impact.txt").status_code == 404  # the PDF summary: tests/test_impact_gender.py
