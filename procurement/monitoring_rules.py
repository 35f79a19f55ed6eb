"""Pure rules of social-clause monitoring: reporting periods, due dates, late reports, progress.

- Periods are calendar months (or blocks of ``period_months``) from the contract's start date;
  the report of a period is due on day ``report_day`` of the following month (clause
  ``reporting-monthly-hours``: "no later than day {report_day} of each month ... on the previous
  month"), plus ``grace_days``.
- Only reports the buyer has VALIDATED count as delivered hours; submitted (undecided) and
  contested reports do not. Delivered hours = insertion + training + hours subcontracted to
  social-economy enterprises of the registry.
- Penalties are computed by ``procurement.penalties`` (Brussels model).
No flask, no database.
"""
from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from typing import Iterable

MAX_HOURS_PER_REPORT = Decimal("100000")


def add_months(day: date, months: int) -> date:
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def month_start(day: date) -> date:
    return day.replace(day=1)


@dataclass(frozen=True)
class Period:
    start: date
    end: date  # inclusive
    due: date

    @property
    def key(self) -> str:
        return self.start.isoformat()


def periods(start: date, end: date, *, period_months: int = 1, report_day: int = 10,
            grace_days: int = 0) -> list[Period]:
    """The reporting periods of a contract running from ``start`` to ``end`` (inclusive).

    The first period runs from ``start`` to the end of its month (block); later ones follow the
    calendar. Each is due on ``report_day`` of the month after it ends, plus ``grace_days``."""
    if end < start:
        raise ValueError("end must not be before start")
    if period_months < 1:
        raise ValueError("period_months must be at least 1")
    out, cursor = [], start
    block_start = month_start(start)
    while cursor <= end:
        block_end = add_months(block_start, period_months) - timedelta(days=1)
        p_end = min(block_end, end)
        following = add_months(month_start(p_end), 1)
        due = following.replace(day=min(report_day, 28)) + timedelta(days=grace_days)
        out.append(Period(cursor, p_end, due))
        block_start = add_months(block_start, period_months)
        cursor = block_start
    return out


def period_for(periods_: Iterable[Period], day: date) -> Period | None:
    """The period containing ``day``, or None when it is outside the contract."""
    return next((p for p in periods_ if p.start <= day <= p.end), None)


def parse_hours(raw, field: str) -> Decimal:
    """Hours as a Decimal (comma accepted); ValueError naming ``field`` when not a number ≥ 0."""
    text = str(raw if raw is not None else "").strip().replace(",", ".") or "0"
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise ValueError(f"{field}: not a number") from None
    if not value.is_finite():
        raise ValueError(f"{field}: not a number")
    if value < 0:
        raise ValueError(f"{field}: negative")
    if value > MAX_HOURS_PER_REPORT or value.as_tuple().exponent < -2:
        raise ValueError(f"{field}: out of range")
    return value


@dataclass(frozen=True)
class ReportFacts:
    """What the rules need of a report."""

    period_start: date
    status: str  # submitted | validated | contested
    hours: Decimal
    submitted_on: date


@dataclass(frozen=True)
class PeriodStatus:
    period: Period
    state: str  # validated | submitted | contested | missing | not_due
    late: bool  # filed after the due date, or still missing after it
    hours: Decimal  # validated hours of the period (0 otherwise)
    cumulative: Decimal  # validated hours up to and including this period
    percent: Decimal | None  # cumulative ÷ committed × 100 (None without a commitment)


def _latest_by_period(reports: Iterable[ReportFacts]) -> dict[date, list[ReportFacts]]:
    by: dict[date, list[ReportFacts]] = {}
    for report in reports:
        by.setdefault(report.period_start, []).append(report)
    return by


def timeline(all_periods: list[Period], reports: Iterable[ReportFacts], committed: Decimal,
             today: date) -> list[PeriodStatus]:
    """Per period: its state, whether it is late, and validated hours cumulated over time.

    A period's state is that of its best report (validated > submitted > contested); a period
    with no report is "missing" once its due date has passed ("not_due" before). A report filed
    after the due date is late, even when validated."""
    by = _latest_by_period(reports)
    rank = {"validated": 3, "submitted": 2, "contested": 1}
    cumulative, out = Decimal(0), []
    committed = Decimal(committed)
    for period in all_periods:
        rows = by.get(period.start, [])
        if rows:
            best = max(rows, key=lambda r: (rank.get(r.status, 0), r.submitted_on))
            state = best.status
            late = min(r.submitted_on for r in rows) > period.due
            hours = sum((r.hours for r in rows if r.status == "validated"), Decimal(0))
        else:
            state = "missing" if today > period.due else "not_due"
            late, hours = state == "missing", Decimal(0)
        cumulative += hours
        percent = (cumulative * 100 / committed).quantize(Decimal("0.1")) if committed > 0 else None
        out.append(PeriodStatus(period, state, late, hours, cumulative, percent))
    return out


def late_periods(statuses: list[PeriodStatus]) -> list[PeriodStatus]:
    return [s for s in statuses if s.late]


def delivered(statuses: list[PeriodStatus]) -> Decimal:
    return statuses[-1].cumulative if statuses else Decimal(0)


def expected_share(all_periods: list[Period], today: date) -> Decimal:
    """Share of the contract's periods already ended on ``today`` (a linear pace, for reading
    progress: 50 % delivered after 50 % of the periods is on track)."""
    if not all_periods:
        return Decimal(0)
    ended = sum(1 for p in all_periods if p.end < today)
    return (Decimal(ended) / len(all_periods)).quantize(Decimal("0.0001"))


def progress_series(statuses: list[PeriodStatus], committed: Decimal, today: date
                    ) -> list[tuple[date, Decimal, Decimal]]:
    """For each period started by ``today``: (period start, validated hours cumulated so far, the
    hours a linear pace to ``committed`` would have reached at the end of that period)."""
    committed = Decimal(committed)
    n = len(statuses) or 1
    return [(s.period.start, s.cumulative, committed * (i + 1) / n)
            for i, s in enumerate(statuses) if s.period.start <= today]
