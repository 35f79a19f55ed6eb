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
  (any clause other than penalties and reporting) / whose lot is reserved (art. 20 / art. 77);
- people (gender breakdown, issue 10): the ``people`` of the VALIDATED reports, summed over the
  reports (a person counted in several monthly reports counts once per report), split into women,
  men, another gender or not stated (as the contractor stated it) and "not stated" (reports
  without a breakdown, and the part of a report's people its breakdown leaves out) — never
  guessed, so that women + men + other + not stated = people. Share of women: women ÷ (women +
  men + other) over the STATED counts only;
- extra cost per insertion hour vs the lowest-price alternative: for contracts whose scoring has a
  lowest-price counterfactual (a different bid would have won on price alone, Dir. 2014/24/EU
  art. 67(2)), (awarded price − price of that lowest-price bid) ÷ insertion hours committed,
  summed per authority and year: Σ extra cost ÷ Σ hours committed of those contracts.
Small-number protection: ``protect`` shows a people count of 1 to 4 as "< 5" in every public or
exported figure (usual statistical disclosure practice); 0 stays 0 (an absence reveals nobody).
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
    people: int = 0
    women: int = 0
    men: int = 0
    other: int = 0  # another gender or not stated, as the contractor stated it
    not_stated: int = 0  # reports without a breakdown, or the people a breakdown leaves out
    clause_types: frozenset = frozenset()  # clause categories of the tender (clauses/*.toml)
    lowest_price_gap: Decimal | None = None  # awarded − lowest-price bid; None: no counterfactual


SMALL = "< 5"


def protect(count: int | Decimal | None) -> str:
    """A people count as it may be published or exported: 1–4 becomes "< 5" (small cells could
    identify someone); 0 stays "0"; None (no figure) is "". Only for counts of people."""
    if count is None:
        return ""
    value = int(count)
    if value < 0:
        raise ValueError("a count of people cannot be negative")
    return SMALL if 1 <= value <= 4 else str(value)


@dataclass(frozen=True)
class Breakdown:
    women: int
    men: int
    other: int
    not_stated: int

    @property
    def total(self) -> int:
        return self.women + self.men + self.other + self.not_stated


def report_breakdown(people: int, women: int | None, men: int | None, other: int | None) -> Breakdown:
    """One report's people split by gender. No breakdown (all three None): everything "not
    stated". A partial breakdown: the missing counts are 0 and what it leaves out of ``people`` is
    "not stated". Raises ValueError when a count is negative or the counts exceed ``people``."""
    if people < 0:
        raise ValueError("people")
    if women is None and men is None and other is None:
        return Breakdown(0, 0, 0, people)
    w, m, o = (int(v or 0) for v in (women, men, other))
    if min(w, m, o) < 0:
        raise ValueError("negative")
    if w + m + o > people:
        raise ValueError("exceeds")
    return Breakdown(w, m, o, people - w - m - o)


def women_share_pct(women: int, men: int, other: int) -> Decimal | None:
    """Women ÷ stated counts (women + men + other), in percent; None when nothing is stated."""
    stated = women + men + other
    if not stated:
        return None
    return (Decimal(women) * 100 / stated).quantize(ONE_DECIMAL, ROUND_HALF_UP)


def public_share(women: int, men: int, other: int) -> str:
    """The share of women as it may be published: withheld ("< 5") when the women or the others of
    the stated counts are 1–4 people (the percentage would give the small count away)."""
    share = women_share_pct(women, men, other)
    if share is None:
        return ""
    if protect(women) == SMALL or protect(men + other) == SMALL:
        return SMALL
    return str(share)


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
    people: int = 0
    women: int = 0
    men: int = 0
    other: int = 0
    not_stated: int = 0
    lowest_price_gap: Decimal = Decimal(0)  # Σ (awarded − lowest-price bid), compared contracts
    compared_hours: Decimal = Decimal(0)  # Σ hours committed of those contracts
    compared_contracts: int = 0
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

    @property
    def women_share_pct(self) -> Decimal | None:
        return women_share_pct(self.women, self.men, self.other)

    @property
    def extra_cost_per_hour(self) -> Decimal | None:
        """Σ (awarded − lowest-price bid) ÷ Σ insertion hours committed, over the contracts with a
        lowest-price counterfactual and committed hours; None when there is none."""
        if not self.compared_hours:
            return None
        return (self.lowest_price_gap / self.compared_hours).quantize(Decimal("0.01"), ROUND_HALF_UP)

    def as_dict(self) -> dict:
        """The row as published or exported: people counts protected (``protect``)."""
        return {"authority": self.authority, "year": self.year, "contracts": self.contracts,
                "spend_eur": str(self.spend), "spend_social_economy_eur": str(self.spend_social_economy),
                "share_social_economy_pct": str(self.share_social_economy_pct or ""),
                "hours_committed": str(self.hours_committed), "hours_delivered": str(self.hours_delivered),
                "delivered_pct": str(self.delivered_pct or ""), "hours_subcontracted": str(self.hours_subcontracted),
                "job_months": str(self.job_months), "job_months_eur_proxy": str(self.job_months_proxy),
                "lots_with_social_clause": self.lots_with_social_clause, "reserved_lots": self.reserved_lots,
                "people": protect(self.people), "women": protect(self.women), "men": protect(self.men),
                "other_or_not_stated": protect(self.other), "not_stated": protect(self.not_stated),
                "women_share_pct": public_share(self.women, self.men, self.other),
                "extra_cost_per_insertion_hour_eur": str(self.extra_cost_per_hour or ""),
                "contracts_compared_to_lowest_price": self.compared_contracts}


COLUMNS = ["authority", "year", "contracts", "spend_eur", "spend_social_economy_eur", "share_social_economy_pct",
           "hours_committed", "hours_delivered", "delivered_pct", "hours_subcontracted", "job_months",
           "job_months_eur_proxy", "lots_with_social_clause", "reserved_lots", "people", "women", "men",
           "other_or_not_stated", "not_stated", "women_share_pct", "extra_cost_per_insertion_hour_eur",
           "contracts_compared_to_lowest_price"]
PEOPLE_COLUMNS = {"people", "women", "men", "other_or_not_stated", "not_stated"}


def aggregate(facts: list[ContractFacts], *, job_month_hours: Decimal | int, eur_per_job_month: Decimal | int,
              year: int | None = None, region: str = "", cpv_division: str = "",
              clause_type: str = "") -> list[ImpactRow]:
    """One row per (authority, year), sorted; filters by year, region (NUTS prefix), CPV division
    and clause type (a category of the clause library the contract's tender uses)."""
    if Decimal(job_month_hours) <= 0 or Decimal(eur_per_job_month) <= 0:
        raise ValueError("job_month_hours and eur_per_job_month must be greater than 0")
    rows: dict[tuple[str, int], ImpactRow] = {}
    for f in facts:
        if (year and f.year != year) or (region and not f.region.startswith(region)) \
                or (cpv_division and f.cpv_division != cpv_division) \
                or (clause_type and clause_type not in f.clause_types):
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
        row.people += f.people
        row.women += f.women
        row.men += f.men
        row.other += f.other
        row.not_stated += f.not_stated
        if f.lowest_price_gap is not None and Decimal(f.committed_hours) > 0:
            row.lowest_price_gap += Decimal(f.lowest_price_gap)
            row.compared_hours += Decimal(f.committed_hours)
            row.compared_contracts += 1
    for row in rows.values():
        row.job_months = (row.hours_delivered / Decimal(job_month_hours)).quantize(ONE_DECIMAL, ROUND_HALF_UP)
        row.job_months_proxy = (row.spend_social_economy / Decimal(eur_per_job_month)).quantize(ONE_DECIMAL,
                                                                                                 ROUND_HALF_UP)
    return [rows[key] for key in sorted(rows)]
