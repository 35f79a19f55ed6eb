"""Pure rules of social-clause monitoring: periods, due dates, late reports, validated-only progress."""
from datetime import date
from decimal import Decimal

import pytest

from procurement import monitoring_files as files
from procurement import monitoring_rules as rules
from procurement.impact_charts import bars, progress_lines
from procurement.penalties import penalty_from_clause


def test_monthly_periods_and_due_dates():
    periods = rules.periods(date(2026, 1, 15), date(2026, 4, 14), report_day=10)
    assert [(p.start, p.end, p.due) for p in periods] == [
        (date(2026, 1, 15), date(2026, 1, 31), date(2026, 2, 10)),
        (date(2026, 2, 1), date(2026, 2, 28), date(2026, 3, 10)),
        (date(2026, 3, 1), date(2026, 3, 31), date(2026, 4, 10)),
        (date(2026, 4, 1), date(2026, 4, 14), date(2026, 5, 10)),
    ]
    assert rules.period_for(periods, date(2026, 2, 20)).start == date(2026, 2, 1)
    assert rules.period_for(periods, date(2026, 4, 15)) is None  # outside the contract
    assert rules.period_for(periods, date(2026, 1, 14)) is None


def test_quarterly_periods_and_grace_days():
    periods = rules.periods(date(2026, 1, 1), date(2026, 12, 31), period_months=3, report_day=10, grace_days=5)
    assert len(periods) == 4
    assert periods[0].end == date(2026, 3, 31) and periods[0].due == date(2026, 4, 15)
    assert periods[-1].due == date(2027, 1, 15)  # across the year end


def test_add_months_clamps_the_day():
    assert rules.add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert rules.add_months(date(2026, 11, 1), -12) == date(2025, 11, 1)


@pytest.mark.parametrize("raw, field_message", [("-1", "negative"), ("abc", "not a number"), ("1e9", "out of range"),
                                                ("1.234", "out of range"), ("NaN", "not a number")])
def test_hours_are_checked(raw, field_message):
    with pytest.raises(ValueError, match=f"insertion_hours: {field_message}"):
        rules.parse_hours(raw, "insertion_hours")


def test_hours_accept_commas_and_blank():
    assert rules.parse_hours("12,5", "x") == Decimal("12.5")
    assert rules.parse_hours("", "x") == 0


def _facts(start, status, hours, filed):
    return rules.ReportFacts(start, status, Decimal(hours), filed)


def test_timeline_counts_only_validated_reports_and_flags_late_ones():
    periods = rules.periods(date(2026, 1, 1), date(2026, 6, 30), report_day=10)
    reports = [
        _facts(date(2026, 1, 1), "validated", "10", date(2026, 2, 5)),
        _facts(date(2026, 2, 1), "contested", "50", date(2026, 3, 1)),
        _facts(date(2026, 3, 1), "validated", "20", date(2026, 4, 20)),  # filed after the 10th: late
        _facts(date(2026, 4, 1), "submitted", "30", date(2026, 5, 2)),   # not decided: does not count
    ]
    line = rules.timeline(periods, reports, Decimal(100), today=date(2026, 6, 20))
    assert [s.state for s in line] == ["validated", "contested", "validated", "submitted", "missing", "not_due"]
    assert [s.late for s in line] == [False, False, True, False, True, False]
    assert [s.cumulative for s in line] == [10, 10, 30, 30, 30, 30]
    assert line[2].percent == Decimal("30.0")
    assert rules.delivered(line) == 30
    assert [s.period.start.month for s in rules.late_periods(line)] == [3, 5]


def test_timeline_a_corrected_report_after_a_contested_one_counts():
    periods = rules.periods(date(2026, 1, 1), date(2026, 1, 31))
    reports = [_facts(date(2026, 1, 1), "contested", "40", date(2026, 2, 3)),
               _facts(date(2026, 1, 1), "validated", "35", date(2026, 2, 20))]
    line = rules.timeline(periods, reports, Decimal(0), today=date(2026, 3, 1))
    assert line[0].state == "validated" and line[0].cumulative == 35
    assert line[0].late is False  # the first report was on time
    assert line[0].percent is None  # no commitment


def test_progress_series_pairs_delivered_hours_with_a_linear_pace():
    periods = rules.periods(date(2026, 1, 1), date(2026, 4, 30))
    reports = [_facts(date(2026, 1, 1), "validated", "30", date(2026, 2, 5)),
               _facts(date(2026, 2, 1), "validated", "10", date(2026, 3, 5))]
    line = rules.timeline(periods, reports, Decimal(120), today=date(2026, 3, 15))
    series = rules.progress_series(line, Decimal(120), today=date(2026, 3, 15))
    # Periods not yet started (April) are left out; the pace reaches 120 only at the last period.
    assert series == [(date(2026, 1, 1), 30, 30), (date(2026, 2, 1), 40, 60), (date(2026, 3, 1), 40, 90)]


def test_expected_share():
    periods = rules.periods(date(2026, 1, 1), date(2026, 4, 30))
    assert rules.expected_share(periods, date(2026, 3, 15)) == Decimal("0.5")


def test_penalty_from_contract_parameters_boundaries():
    params = {"total_rate": "2.5", "partial_rate": "1.5", "tolerance": "10"}
    assert penalty_from_clause(92000, 950, 855, params).case == "within_tolerance"  # exactly one tenth short
    assert penalty_from_clause(92000, 950, 0, params).amount == Decimal("2300.00")
    partial = penalty_from_clause(92000, 950, 146, params)
    assert partial.case == "partial" and partial.amount == Decimal("1167.92")  # 1.5 % × 92,000 × 804 ÷ 950


def test_evidence_files_checked_by_content():
    assert files.check("x.pdf", b"%PDF-1.4 ...", 100).mime == "application/pdf"
    assert files.check("photo.jpeg", b"\xff\xd8\xff\xe0", 100).filename == "photo.jpg"
    for content, code in ((b"MZ\x90\x00", "wrong_type"), (b"", "empty"), (b"%PDF-" + b"0" * 200, "too_large")):
        with pytest.raises(files.EvidenceError) as exc:
            files.check("a.pdf", content, 100)
        assert exc.value.code == code
    assert files.clean_name('../../evil"<x>.exe', ".pdf") == "evilx.pdf"


def test_charts_escape_labels_and_have_titles():
    svg = bars([("<script>", 3.0)], title="T <b>", description="D", unit="h")
    assert "<script>" not in svg and "&lt;script&gt;" in svg and "<title" in svg and "<desc" in svg
    svg = progress_lines([("01/26", 10, 20), ("02/26", 30, 40)], 100, title="P", description="D")
    assert "polyline" in svg and 'role="img"' in svg
