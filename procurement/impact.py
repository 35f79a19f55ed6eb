"""Impact figures per contracting authority and year, computed from the contracts (pure).

Definitions (shown under each figure on the dashboard, see ``DEFINITIONS``):

- spend awarded: sum of the initial amounts (awarded prices, EUR excl. VAT) of the contracts
  awarded that year (year of the award decision, Europe/Brussels);
- awarded to social-economy enterprises: the part of that spend whose contractor is a validated
  enterprise of the social-economy registry; "through subcontracting" is measured in hours (the
  reports name the registry enterprise, not an amount);
- hours committed / delivered: committed by the winning bids; delivered = hours of the reports the
  buyer VALIDATED (insertion + training + subcontracted to the social economy);
- job-months: delivered hours ÷ ``job_month_hours`` (config JOB_MONTH_HOURS); the rough proxy of
  the French inclusive-market directory (shared/DOMAIN.md: 3,700 EUR of purchases ≈ one month of
  insertion work, config JOB_MONTH_EUR_PROXY) is given beside it for the social-economy spend;
- lots with social clauses / reserved lots: lots of the contracts whose tender has a social clause
  (any clause other than penalties and reporting) / whose lot is reserved (art. 20 / art. 77).
No flask, no database.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

ONE_DECIMAL = Decimal("0.1")


@dataclass(frozen=True)
class ContractFacts:
    authority: str
    year: int
    amount: Decimal
    social_economy: bool
    committed_hours: Decimal
    delivered_hours: Decimal
    subcontracted_hours: Decimal
    social_clause: bool
    reserved: bool
    region: str = ""
    cpv_division: str = ""


@dataclass
class ImpactRow:
    authority: str
    year: int
    contracts: int = 0
    spend: Decimal = Decimal(0)
    spend_social_economy: Decimal = Decimal(0)
    hours_committed: Decimal = Decimal(0)
    hours_delivered: Decimal = Decimal(0)
    hours_subcontracted: Decimal = Decimal(0)
    lots_with_social_clause: int = 0
    reserved_lots: int = 0
    job_months: Decimal = Decimal(0)
    job_months_proxy: Decimal = Decimal(0)
    extra: dict = field(default_factory=dict)

    @property
    def share_social_economy_pct(self) -> Decimal | None:
        if not self.spend:
            return None
        return (self.spend_social_economy * 100 / self.spend).quantize(ONE_DECIMAL, ROUND_HALF_UP)

    @property
    def delivered_pct(self) -> Decimal | None:
        if not self.hours_committed:
            return None
        return (self.hours_delivered * 100 / self.hours_committed).quantize(ONE_DECIMAL, ROUND_HALF_UP)

    def as_dict(self) -> dict:
        return {"authority": self.authority, "year": self.year, "contracts": self.contracts,
                "spend_eur": str(self.spend), "spend_social_economy_eur": str(self.spend_social_economy),
                "share_social_economy_pct": str(self.share_social_economy_pct or ""),
                "hours_committed": str(self.hours_committed), "hours_delivered": str(self.hours_delivered),
                "delivered_pct": str(self.delivered_pct or ""), "hours_subcontracted": str(self.hours_subcontracted),
                "job_months": str(self.job_months), "job_months_eur_proxy": str(self.job_months_proxy),
                "lots_with_social_clause": self.lots_with_social_clause, "reserved_lots": self.reserved_lots}


COLUMNS = ["authority", "year", "contracts", "spend_eur", "spend_social_economy_eur", "share_social_economy_pct",
           "hours_committed", "hours_delivered", "delivered_pct", "hours_subcontracted", "job_months",
           "job_months_eur_proxy", "lots_with_social_clause", "reserved_lots"]


def aggregate(facts: list[ContractFacts], *, job_month_hours: Decimal | int, eur_per_job_month: Decimal | int,
              year: int | None = None, region: str = "", cpv_division: str = "") -> list[ImpactRow]:
    """One row per (authority, year), sorted; filters by year, region (NUTS prefix) and CPV division."""
    if Decimal(job_month_hours) <= 0 or Decimal(eur_per_job_month) <= 0:
        raise ValueError("job_month_hours and eur_per_job_month must be greater than 0")
    rows: dict[tuple[str, int], ImpactRow] = {}
    for f in facts:
        if (year and f.year != year) or (region and not f.region.startswith(region)) \
                or (cpv_division and f.cpv_division != cpv_division):
            continue
        row = rows.setdefault((f.authority, f.year), ImpactRow(f.authority, f.year))
        row.contracts += 1
        row.spend += Decimal(f.amount)
        row.spend_social_economy += Decimal(f.amount) if f.social_economy else Decimal(0)
        row.hours_committed += Decimal(f.committed_hours)
        row.hours_delivered += Decimal(f.delivered_hours)
        row.hours_subcontracted += Decimal(f.subcontracted_hours)
        row.lots_with_social_clause += int(f.social_clause)
        row.reserved_lots += int(f.reserved)
    for row in rows.values():
        row.job_months = (row.hours_delivered / Decimal(job_month_hours)).quantize(ONE_DECIMAL, ROUND_HALF_UP)
        row.job_months_proxy = (row.spend_social_economy / Decimal(eur_per_job_month)).quantize(ONE_DECIMAL,
                                                                                                 ROUND_HALF_UP)
    return [rows[key] for key in sorted(rows)]
