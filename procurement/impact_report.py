"""What the impact dashboard, its exports and its printable PDF summary share: the filters, the
rows (procurement.impact, pure), the definitions written under each figure, and the PDF itself
(common.pdf.render_pdf). Every people count shown here goes through ``impact.protect`` (1–4 shown
as "< 5"): the dashboard is public, and so are the exports and the PDF."""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlmodel import Session

from clauses.loader import CATEGORIES
from common.pdf import render_pdf
from common.timeutil import to_brussels, utcnow
from procurement import impact, impact_services
from procurement import messages as m


@dataclass
class Filters:
    year: str = ""
    region: str = ""
    cpv: str = ""
    clause: str = ""
    authority_id: int | None = None
    extra: dict = field(default_factory=dict)

    @classmethod
    def parse(cls, args) -> "Filters":
        clause = str(args.get("clause", "")).strip()
        return cls(year=str(args.get("year", "")).strip()[:4], region=str(args.get("region", "")).strip().upper()[:5],
                   cpv=str(args.get("cpv", "")).strip()[:2], clause=clause if clause in CATEGORIES else "")

    def as_args(self) -> dict:
        return {k: v for k, v in {"year": self.year, "region": self.region, "cpv": self.cpv,
                                  "clause": self.clause}.items() if v}


def clause_type_choices() -> list[tuple[str, str]]:
    """The clause categories of the library (clauses/*.toml ``category``), labelled."""
    return [(c, m.label(m.CATEGORY_LABELS, c)) for c in CATEGORIES]


def compute(session: Session, filters: Filters) -> tuple[list[impact.ImpactRow], list[int]]:
    cfg = current_app.config
    facts = impact_services.contract_facts(session, authority_id=filters.authority_id)
    rows = impact.aggregate(facts, job_month_hours=Decimal(str(cfg.get("JOB_MONTH_HOURS", 165))),
                            eur_per_job_month=Decimal(str(cfg.get("JOB_MONTH_EUR_PROXY", 3700))),
                            year=int(filters.year) if filters.year.isdigit() else None, region=filters.region,
                            cpv_division=filters.cpv if filters.cpv.isdigit() else "", clause_type=filters.clause)
    return rows, sorted({f.year for f in facts}, reverse=True)


def people_totals(rows: list[impact.ImpactRow]) -> dict:
    """The people figures over all rows shown, protected, with the public share of women."""
    women, men, other = (sum(getattr(r, k) for r in rows) for k in ("women", "men", "other"))
    not_stated, people = sum(r.not_stated for r in rows), sum(r.people for r in rows)
    return {"people": impact.protect(people), "women": impact.protect(women), "men": impact.protect(men),
            "other": impact.protect(other), "not_stated": impact.protect(not_stated),
            "women_share": impact.public_share(women, men, other)}


def definitions() -> list[tuple[str, str]]:
    """(figure, definition) pairs written under the figures on the page and in the PDF."""
    cfg = current_app.config
    return [
        (_("Spend awarded"), _("Sum of the initial amounts (awarded prices, EUR excl. VAT) of the contracts awarded "
                               "in the year (date of the award decision, Europe/Brussels).")),
        (_("To social-economy enterprises"), _("Spend whose contractor is a validated enterprise of the "
                                               "social-economy registry. Subcontracting to the social economy is "
                                               "counted in hours (reports name the registry enterprise, not an "
                                               "amount).")),
        (_("Hours committed"), _("Insertion and training hours stated in the winning bids, copied into the "
                                 "contracts at award.")),
        (_("Hours delivered"), _("Insertion + training + social-economy subcontracting hours of the reports the "
                                 "buyer validated; submitted and contested reports do not count.")),
        (_("Job-months"), _("Hours delivered ÷ %(h)s hours per month (JOB_MONTH_HOURS in config.toml).",
                            h=cfg.get("JOB_MONTH_HOURS", 165))),
        (_("Job-months, EUR proxy"), _("Spend to social-economy enterprises ÷ %(eur)s EUR: a rough proxy used by "
                                       "the French inclusive-market directory (3,700 EUR of purchases ≈ one month "
                                       "of insertion work), shown for comparison only.",
                                       eur=cfg.get("JOB_MONTH_EUR_PROXY", 3700))),
        (_("Lots with social clauses / reserved lots"), _("Awarded lots whose tender carries a social clause of the "
                                                          "library (penalty and reporting clauses excluded) / lots "
                                                          "reserved under art. 20 or art. 77.")),
        (_("Extra cost per insertion hour"), _(
            "For the contracts whose finalised scoring names the bid that would have won on price alone: (awarded "
            "price − price of that lowest-price bid) ÷ insertion hours committed, summed per authority and year "
            "(Σ extra cost ÷ Σ hours committed of those contracts; 0 when the lowest price won). Contracts "
            "without a finalised scoring or without committed hours are left out; their number is given.")),
        (_("People (women, men, another gender or not stated, not stated)"), _(
            "People counted in the validated reports, summed over the reports (a person reported in several "
            "months counts once per report), split as the contractor stated it. \"Not stated\": reports without a "
            "breakdown, and the people a partial breakdown leaves out; never guessed, so the parts add up to the "
            "total. Share of women: women ÷ (women + men + another gender or not stated), over the stated counts "
            "only.")),
        (_("Small numbers"), _(
            "Counts of 1 to 4 people are shown as \"< 5\" in every public figure, export and PDF so that nobody can "
            "be recognised; 0 is shown as 0. The share of women is withheld (\"< 5\") when it would give away such "
            "a count.")),
    ]


CLAUSE_TYPE_LABEL = _l("Clause type")


def summary_pdf(session: Session, filters: Filters, *, lang: str, authority_name: str = "") -> bytes:
    """The printable PDF summary for the council's annual report (caller sets the locale)."""
    rows, _years = compute(session, filters)
    title = _("Impact of socially responsible procurement")
    if authority_name:
        title = f"{title} — {authority_name}"
    if filters.year:
        title = f"{title} — {filters.year}"
    clause_label = dict(clause_type_choices()).get(filters.clause, "")
    return render_pdf("pdf/impact_summary.html", lang=lang, title=title, author=authority_name,
                      rows=[r.as_dict() for r in rows], totals=people_totals(rows), definitions=definitions(),
                      filters=filters, clause_label=clause_label, generated=to_brussels(utcnow()))
