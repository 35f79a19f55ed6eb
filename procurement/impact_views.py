"""Impact dashboard: aggregated figures per contracting authority and year (public: aggregates
only, no report or firm detail), with SVG charts, the data table behind them, definitions under
each figure, and CSV/XLSX exports. Figures: procurement.impact (pure)."""
from __future__ import annotations

from decimal import Decimal

from flask import Blueprint, Response, current_app, render_template, request
from flask_babel import gettext as _

from common.db import get_session
from procurement import impact, impact_services
from procurement.impact_charts import bars
from registry import exports

bp = Blueprint("impact", __name__)
def _rows():
    cfg = current_app.config
    year = request.args.get("year", "")
    region = request.args.get("region", "").strip().upper()[:5]
    cpv = request.args.get("cpv", "").strip()[:2]
    facts = impact_services.contract_facts(get_session())
    rows = impact.aggregate(facts, job_month_hours=Decimal(str(cfg.get("JOB_MONTH_HOURS", 165))),
                            eur_per_job_month=Decimal(str(cfg.get("JOB_MONTH_EUR_PROXY", 3700))),
                            year=int(year) if year.isdigit() else None, region=region,
                            cpv_division=cpv if cpv.isdigit() else "")
    years = sorted({f.year for f in facts}, reverse=True)
    return rows, years, {"year": year, "region": region, "cpv": cpv}


@bp.route("/impact")
def dashboard():
    rows, years, filters = _rows()
    labelled = [(f"{r.authority} {r.year}", r) for r in rows]
    charts = {
        "spend": bars([(label, float(r.spend)) for label, r in labelled], unit="EUR", uid="chart-spend",
                      title=_("Spend awarded per authority and year"),
                      description=_("Total of the awarded prices, EUR excl. VAT; figures in the table below.")),
        "hours": bars([(label, float(r.hours_delivered)) for label, r in labelled], unit="h", uid="chart-hours",
                      title=_("Insertion hours delivered (validated reports)"),
                      description=_("Hours of validated reports; figures in the table below.")),
    }
    return render_template("monitoring/impact.html", rows=rows, years=years, filters=filters, charts=charts,
                           job_month_hours=current_app.config.get("JOB_MONTH_HOURS", 165),
                           eur_proxy=current_app.config.get("JOB_MONTH_EUR_PROXY", 3700))


@bp.route("/impact.<fmt>")
def export(fmt: str):
    if fmt not in ("csv", "xlsx"):
        return Response(status=404)
    rows, _years, _filters = _rows()
    data = [r.as_dict() for r in rows]
    if fmt == "csv":
        body, mime = exports.to_csv(data, impact.COLUMNS).encode("utf-8-sig"), "text/csv; charset=utf-8"
    else:
        body = exports.to_xlsx(data, impact.COLUMNS, sheet="impact")
        mime = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return Response(body, mimetype=mime, headers={"Content-Disposition": f'attachment; filename="impact.{fmt}"'})
