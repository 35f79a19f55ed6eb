"""Imports started from the admin page run in a background thread, so a large file does not hold
the request: the status page (refreshed by ``<meta http-equiv="refresh">``, no script) shows the
rows checked so far, then the report.

Choice and its limits: job status lives in the memory of the web process (``app.extensions``). With
several worker processes the status page may land on another worker, which then says it does not
know the job; the import itself is unaffected (it is one transaction, all-or-nothing, recorded in the
audit log). For very large files or multi-process servers, use ``flask --app app registry import``.
"""
from __future__ import annotations

import logging
import secrets
import threading
from dataclasses import dataclass, field

from sqlmodel import Session

from accounts.models import User
from common.timeutil import utcnow
from registry.importer import ImportReport, run_import

EXTENSION_KEY = "registry.import_jobs"
MAX_JOBS = 50
log = logging.getLogger(__name__)


@dataclass
class Job:
    id: str
    filename: str
    user_id: int
    dry_run: bool
    state: str = "queued"  # queued, checking, finished, failed
    done: int = 0
    total: int = 0
    report: ImportReport | None = None
    started_at: object = field(default_factory=utcnow)
    thread: threading.Thread | None = None


def _jobs(app) -> dict[str, Job]:
    return app.extensions.setdefault(EXTENSION_KEY, {})


def get(app, job_id: str) -> Job | None:
    return _jobs(app).get(job_id)


def start(app, data: bytes, filename: str, *, user_id: int, skip_invalid: bool, dry_run: bool, status: str) -> Job:
    jobs = _jobs(app)
    for old in sorted(jobs.values(), key=lambda j: j.started_at)[:-MAX_JOBS]:
        if old.state in ("finished", "failed"):
            jobs.pop(old.id, None)
    job = Job(secrets.token_urlsafe(12), filename, user_id, dry_run)
    jobs[job.id] = job
    job.thread = threading.Thread(target=_run, args=(app, job, data, skip_invalid, status), daemon=True,
                                  name=f"registry-import-{job.id}")
    job.thread.start()
    return job


def _run(app, job: Job, data: bytes, skip_invalid: bool, status: str) -> None:
    def progress(done: int, total: int) -> None:
        job.done, job.total = done, total

    with app.app_context():
        with Session(app.extensions["procure.engine"], expire_on_commit=False) as session:
            try:
                job.state = "checking"
                actor = session.get(User, job.user_id)
                job.report = run_import(session, data, job.filename, actor=actor, skip_invalid=skip_invalid,
                                        dry_run=job.dry_run, status=status, progress=progress)
                job.state = "finished"
            except Exception:  # reported on the status page; the transaction was not committed
                session.rollback()
                log.exception("registry import %s failed", job.id)
                job.state = "failed"
