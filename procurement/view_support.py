"""Helpers shared by the tender views: access to one tender, form <-> data, errors on fields."""
from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from flask import abort, current_app, flash, g, redirect, url_for
from flask_babel import get_locale
from flask_babel import gettext as _

from accounts.access import can_edit_authority
from common.db import get_session
from common.timeutil import brussels_to_utc, to_brussels
from procurement import messages as m
from procurement import tender_queries as q
from procurement.joint_access import can_read_tender
from procurement.insertion import suggested_labour_share
from procurement.models import Tender, TenderStatus
from procurement.tender_validation import parse_decimal

TENDER_TEXT_FIELDS = ("title_fr", "title_nl", "title_en", "description_fr", "description_nl",
                      "description_en", "nature", "social_services", "cpv_main", "nuts3",
                      "municipality", "estimated_value", "duration_months")
DATE_FIELDS = ("publication_date", "question_deadline", "bid_deadline", "opening_at")
INSERTION_FIELDS = {"insertion-labour_share": "labour_share_pct",
                    "insertion-rate": "insertion_rate_pct", "insertion-hourly_cost": "hourly_cost"}


def ui_lang() -> str:
    lang = str(get_locale() or "fr")[:2]
    return lang if lang in ("fr", "nl", "en") else "fr"


def settings() -> dict:
    return current_app.config


def can_read(user, tender: Tender) -> bool:
    """Drafts: the authority's buyers, its auditors, admins. Published (and later) tenders are
    public notices: every logged-in user reads them."""
    if tender.status == TenderStatus.DRAFT.value:
        return can_read_tender(user, tender, get_session())  # lead's people and joint participants
    return user is not None


def tender_for_read(reference: str) -> Tender:
    tender = q.find_tender(get_session(), reference)
    if tender is None or not can_read(g.user, tender):
        abort(404)
    return tender


def tender_for_edit(reference: str) -> Tender:
    """The tender, if the current buyer may edit it (a draft of the buyer's own authority)."""
    tender = q.find_tender(get_session(), reference)
    if tender is None or not can_read(g.user, tender):
        abort(404)
    if not can_edit_authority(g.user, tender.authority_id):
        abort(403)
    return tender


def frozen_redirect(tender: Tender):
    """After publication nothing can change: say so and go back to the tender."""
    flash(m.message("frozen"), "error")
    return redirect(url_for("procurement.detail", reference=tender.reference))


def pct(value: Any) -> str:
    """A stored fraction as a percentage text (0.05 -> "5")."""
    number = parse_decimal(value)
    if number is None:
        return ""
    text = f"{(number * 100).normalize():f}"
    return text


def _fraction(text: Any) -> Any:
    number = parse_decimal(text)
    return (number / 100) if number is not None else (text or "")


def labour_share_suggestion(cpv: str | None) -> Decimal | None:
    try:
        return suggested_labour_share(cpv or "", settings().get("LABOUR_SHARE_BY_CPV") or None)
    except ValueError:
        return None


def fill_tender_form(form, tender: Tender | None) -> None:
    """GET: the form shows the stored tender (dates in Brussels time), or the defaults."""
    cfg = settings()
    if tender is not None:
        for name in TENDER_TEXT_FIELDS:
            value = getattr(tender, name)
            form[name].data = value if name in ("nature", "social_services") else (
                "" if value is None else str(value))
        form.reference.data = tender.reference
        form.cpv_additional.data = ", ".join(tender.cpv_additional or [])
        for name in DATE_FIELDS:
            value = q.as_utc(getattr(tender, name))
            form[name].data = to_brussels(value).replace(tzinfo=None) if value else None
    ins = (tender.insertion if tender is not None else None) or {}
    form.insertion_rate_pct.data = pct(ins.get("rate", cfg.get("INSERTION_DEFAULT_RATE", 0.05)))
    form.hourly_cost.data = str(ins.get("hourly_cost", cfg.get("INSERTION_DEFAULT_HOURLY_COST", 30)))
    share = ins.get("labour_share") or labour_share_suggestion(tender.cpv_main if tender else None)
    form.labour_share_pct.data = pct(share) if share is not None else ""


def tender_form_data(form) -> dict:
    """POST: the form's input as the dict tender_services expects."""
    data: dict[str, Any] = {name: form[name].data for name in TENDER_TEXT_FIELDS}
    data["reference"] = form.reference.data
    data["cpv_additional"] = form.cpv_additional.data or ""
    data["social_services"] = bool(form.social_services.data)
    for name in DATE_FIELDS:
        value = form[name].data
        data[name] = brussels_to_utc(value) if value else None
    data["insertion"] = {"labour_share": _fraction(form.labour_share_pct.data),
                         "rate": _fraction(form.insertion_rate_pct.data),
                         "hourly_cost": form.hourly_cost.data or ""}
    return data


def _append(field, text: str) -> None:
    field.errors = [*field.errors, text]


def attach_errors(form, errors, mapping: dict | None = None, rows: dict | None = None) -> list[str]:
    """Put each error on its field; return the messages that belong to no field.

    ``mapping`` renames error fields to form fields; ``rows`` maps ("lots", data index) to the
    FieldList entry the row came from (blank and removed rows are not sent to the service).
    """
    general = []
    for name, problems in errors.items():
        target = (mapping or {}).get(name, name)
        field = None
        parts = target.split("-")
        if len(parts) == 3 and parts[1].isdigit() and parts[0] in form:
            entries = form[parts[0]].entries
            index = (rows or {}).get(int(parts[1]), int(parts[1]))
            if index < len(entries) and parts[2] in entries[index].form:
                field = entries[index].form[parts[2]]
        elif target in form and not hasattr(form[target], "entries"):
            field = form[target]
        for problem in problems:
            if field is not None:
                _append(field, m.describe(problem))
            else:
                general.append(_where(name) + m.describe(problem))
    return general


def _where(name: str) -> str:
    """Context for a message shown away from its field: "Lot 2: ", "reserved-lot-art20: "."""
    lot = re.match(r"lot-(\d+)-", name)
    if lot:
        return _("Lot %(n)s", n=lot.group(1)) + ": "
    clause = re.match(r"clause-([a-z0-9-]+?)-(select|lot|[a-z_]+)$", name)
    return f"{clause.group(1)}: " if clause else ""
