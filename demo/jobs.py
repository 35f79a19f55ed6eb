"""Demo data: one background document job — the auditor's scoring report of DEMO-2026-001 lot 1,
queued. After ``make run``, log in as auditor@demo.example and open "My documents" (/jobs): the
job's page starts it (the web process runs queued jobs nobody runs) and shows its progress, then
the download. Idempotent: the job is created once.
"""
from __future__ import annotations

import json

from sqlmodel import select

from accounts.models import User
from procurement import jobs
from procurement.evaluation_state import latest_finalised
from procurement.job_models import DocumentJob
from procurement.job_runner import KINDS
from procurement.models import Lot, Tender

AUDITOR = "auditor@demo.example"
PARAMS_BASE = {"tender": "DEMO-2026-001", "lot": 1, "lang": "fr"}


def load(session) -> str:
    auditor = session.exec(select(User).where(User.email == AUDITOR)).first()
    tender = session.exec(select(Tender).where(Tender.reference == PARAMS_BASE["tender"])).first()
    lot = tender and session.exec(select(Lot).where(Lot.tender_id == tender.id, Lot.number == 1)).first()
    evaluation = lot and latest_finalised(session, lot)
    if auditor is None or evaluation is None:
        return "jobs: no auditor or no finalised evaluation of DEMO-2026-001 lot 1, skipped"
    params = {**PARAMS_BASE, "evaluation": evaluation.id}
    existing = session.exec(select(DocumentJob).where(DocumentJob.kind == "scoring_report",
                                                      DocumentJob.requested_by == auditor.id,
                                                      DocumentJob.params == json.dumps(params, sort_keys=True))).first()
    if existing is not None:
        return "jobs: already present"
    job = jobs.enqueue(session, "scoring_report", params, auditor, kinds=KINDS)
    return f"jobs: scoring report of DEMO-2026-001 lot 1 queued for {AUDITOR} (job {job.id})"
