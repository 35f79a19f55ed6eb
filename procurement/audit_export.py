"""A tender's audit trail as CSV, safe to open in a spreadsheet.

A cell starting with =, +, -, @, a tab or a carriage return gets a leading apostrophe, so a
spreadsheet shows it as text instead of running it as a formula (OWASP "CSV injection").
Before the opening, the actor of bid events is masked: who bid is sealed until the opening.
"""
from __future__ import annotations

import csv
import io

from flask_babel import gettext as _
from sqlmodel import Session

from audit.log import entries_for_tender
from common.timeutil import to_brussels
from procurement.bids import as_utc, is_opened
from procurement.models import Tender

DANGEROUS_START = ("=", "+", "-", "@", "\t", "\r")
COLUMNS = ["id", "at_utc", "at_brussels", "actor", "action", "object_type", "object_id", "tender_ref",
           "details", "prev_hash", "hash"]


def safe_cell(value) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(DANGEROUS_START) else text


def audit_csv(session: Session, tender: Tender) -> str:
    opened = is_opened(session, tender)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for e in entries_for_tender(session, tender.reference):
        actor = e.actor_email
        if not opened and e.object_type == "bid":
            actor = _("(sealed until the opening)")
        at = as_utc(e.at)
        writer.writerow([safe_cell(v) for v in (
            e.id, at.isoformat(), to_brussels(at).isoformat(), actor, e.action, e.object_type, e.object_id,
            e.tender_ref, e.details, e.prev_hash, e.hash)])
    return out.getvalue()
