"""Impact dashboard: aggregated figures per contracting authority and year (public: aggregates
only, no report or firm detail), with SVG charts, the data table behind them, definitions under
each figure, CSV/XLSX exports and a printable PDF summary. Figures: procurement.impact (pure);
filters, definitions and the PDF: procurement.impact_report. People counts of 1–4 are shown as
"< 5" everywhere (impact.protect)."""
from __future__ import annotations

from flask import Blueprint, Response, render_template, request
from flask_babel import get_locale
from flask_babel import gettext as _

from common.db import get_session
from procurement import impact, impact_report
from procurement.impact_charts import bars
from registry import exports

bp = Blueprint("impact", __name__)


def _rows():
    filters = impact_report.Filters.parse(request.args)
    rows, years = impact_report.compute(get_session(), filters)
    return rows, years, filters


@bp.route("/impact")
def dashboard():
    rows, years, filters = _rows()
    labelled = [(f"{r.authority} {r.year}", r) for r in rows]
    costed = [(label, r) for label, r in labelled if r.extra_cost_per_hour is not None]
    charts = {
        "spend": bars([(label, float(r.spend)) for label, r in labelled], unit="EUR", uid="chart-spend",
                      title=_("Spend awarded per authority and year"),
                      description=_("Total of the awarded prices, EUR excl. VAT; figures in the table below.")),
        "hours": bars([(label, float(r.hours_delivered)) for label, r in labelled], unit="h", uid="chart-hours",
                      title=_("Insertion hours delivered (validated reports)"),
                      description=_("Hours of validated reports; figures in the table below.")),
        "cost": bars([(label, float(r.extra_cost_per_hour)) for label, r in costed], unit="EUR/h",
                     uid="chart-cost", title=_("Extra cost per insertion hour vs the lowest-price bid"),
                     description=_("EUR per committed insertion hour; figures in the table below.")) if costed else "",
    }
    return render_template("monitoring/impact.html", rows=rows, public_rows=[r.as_dict() for r in rows],
                           totals=impact_report.people_totals(rows), years=years, filters=filters.as_args(),
                           clause_choices=impact_report.clause_type_choices(), charts=charts,
                           definitions=impact_report.definitions())


@bp.route("/impact.<fmt>")
def export(fmt: str):
    if fmt not in ("csv", "xlsx", "pdf"):
        return Response(status=404)
    rows, _years, filters = _rows()
    if fmt == "pdf":
        body = impact_report.summary_pdf(get_session(), filters, lang=str(get_locale()))
        return Response(body, mimetype="application/pdf",
                        headers={"Content-Disposition": 'attachment; filename="impact-summary.pdf"'})
    data = [r.as_dict() for r in rows]  # people counts protected ("< 5")
    if fmt == "csv":
        body, mime = exports.to_csv(data, impact.COLUMNS).encode("utf-8-sig"), "text/csv; charset=utf-8"
    else:
        body = exports.to_xlsx(data, impact.COLUMNS, sheet="impact")
        mime = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return Response(body, mimetype=mime, headers={"Content-Disposition": f'attachment; filename="impact.{fmt}"'})
