"""Where document jobs run: a thread pool of the web process (``concurrent.futures``) or the
``flask --app app jobs run`` command, and what each kind of job does.

A job runs inside an application context and a request context in the requester's language (so
the PDF and the progress messages are in that language). ``jobs.claim`` makes the run exclusive:
the in-process pool, a second web process and the CLI may all try; only one runs the job.
"""
from __future__ import annotations

import logging
import os
import secrets
import tempfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from flask import current_app, g
from flask_babel import force_locale, gettext as _, lazy_gettext as _l
from sqlmodel import Session, select

from accounts.models import User
from procurement import jobs
from procurement.job_models import DocumentJob
from procurement.joint_access import can_read_tender
from procurement.models import Lot, Tender

LOGGER = logging.getLogger(__name__)
EXECUTOR_KEY = "procure.jobs.executor"


class JobError(Exception):
    """A failure whose message is meant for the user (already translated)."""


@dataclass(frozen=True)
class JobKind:
    label: object
    run: Callable  # (session, params, user, progress) -> (bytes, filename)
    can_read: Callable  # (session, user, params) -> bool: who besides the requester may see it


# --- the scoring report ---------------------------------------------------------------------------

def _tender_lot(session: Session, params: dict):
    tender = session.exec(select(Tender).where(Tender.reference == params.get("tender"))).first()
    lot = tender and session.exec(select(Lot).where(Lot.tender_id == tender.id,
                                                    Lot.number == params.get("lot"))).first()
    return tender, lot


def _report_readers(session: Session, user, params: dict) -> bool:
    tender, _lot = _tender_lot(session, params)
    return tender is not None and can_read_tender(user, tender, session)


def _scoring_report(session: Session, params: dict, user, progress) -> tuple[bytes, str]:
    from procurement import report
    from procurement.opening import audit_generated

    tender, lot = _tender_lot(session, params)
    if lot is None:
        raise JobError(_("The tender or lot no longer exists."))
    progress(10, _("Reading the finalised evaluation"))
    try:
        evaluation = report.finalised_for(session, lot)
    except report.ReportUnavailable:
        raise JobError(_("The scoring report exists once the evaluation of this lot is finalised.")) from None
    progress(25, _("Collecting the ratings, decisions and audit log"))
    context = report.report_context(session, tender, lot, evaluation, params["lang"])
    progress(55, _("Laying out the PDF (the longest step for large tenders)"))
    pdf = report.render_report(context, evaluation.input_json, evaluation.result_json, lang=params["lang"],
                               author=context["tender"]["authority"])
    progress(95, _("Saving the document"))
    audit_generated(session, tender, user, "scoring_report",
                    {"lot": lot.number, "lang": params["lang"], "background": True})
    return pdf, f"scoring-report-{tender.reference}-lot-{lot.number}.pdf"


KINDS: dict[str, JobKind] = {
    "scoring_report": JobKind(_l("Scoring report"), _scoring_report, _report_readers),
}


# --- visibility -----------------------------------------------------------------------------------

def can_see(session: Session, user, job: DocumentJob) -> bool:
    """The requester, and users with the same access to what the job is about."""
    if user is None or job is None:
        return False
    if job.requested_by == user.id:
        return True
    kind = KINDS.get(job.kind)
    return kind is not None and kind.can_read(session, user, jobs.params_of(job))


# --- files ----------------------------------------------------------------------------------------

def jobs_dir(app) -> Path:
    base = app.config.get("DOCUMENT_CACHE_DIR") or os.path.join(app.instance_path, "cache", "documents")
    path = Path(base) / "jobs"
    path.mkdir(parents=True, exist_ok=True)
    return path


def result_file(app, job: DocumentJob) -> Path | None:
    """The job's file, only if its stored name is a plain file name inside the jobs folder."""
    name = job.result_path or ""
    if not name or Path(name).name != name:
        return None
    path = jobs_dir(app) / name
    return path if path.is_file() else None


def _write(app, job_id: int, content: bytes, suffix: str) -> str:
    folder = jobs_dir(app)
    name = f"{job_id}-{secrets.token_hex(8)}{suffix}"
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=".tmp-")
    with os.fdopen(fd, "wb") as fh:
        fh.write(content)
    os.replace(tmp, folder / name)
    return name


# --- running --------------------------------------------------------------------------------------

def run_job(app, job_id: int) -> bool:
    """Run one job if it is still queued (claimed atomically). True when this call ran it."""
    with app.app_context(), Session(app.extensions["procure.engine"], expire_on_commit=False) as session:
        if not jobs.claim(session, job_id):
            return False
        job = session.get(DocumentJob, job_id)
        params = jobs.params_of(job)
        lang = params.get("lang") or app.config.get("BABEL_DEFAULT_LOCALE", "fr")
        user = session.get(User, job.requested_by)
        with app.test_request_context("/", headers={"Accept-Language": lang}), force_locale(lang):
            g.user = user
            try:
                kind = KINDS[job.kind]
                content, filename = kind.run(session, params, user,
                                             lambda pct, msg="": jobs.set_progress(session, job_id, pct, str(msg)))
                name = _write(app, job_id, content, Path(filename).suffix or ".bin")
                jobs.finish(session, job_id, name, filename)
            except JobError as exc:
                session.rollback()
                jobs.fail(session, job_id, str(exc))
            except Exception:  # the user gets a clear message; the traceback goes to the log only
                LOGGER.exception("document job %s (%s) failed", job_id, job.kind)
                session.rollback()
                jobs.fail(session, job_id, _("The document could not be generated because of an internal "
                                             "error. Try again later or contact the administrator."))
        return True


def run_queued(app) -> list[int]:
    """Run every queued job in this process, oldest first; return the ids this call ran."""
    with Session(app.extensions["procure.engine"]) as session:
        ids = jobs.queued_ids(session)
    return [job_id for job_id in ids if run_job(app, job_id)]


def in_process(app) -> bool:
    value = app.config.get("JOBS_IN_PROCESS", "auto")
    if isinstance(value, str):
        value = value.strip().lower()
        if value == "auto":
            return not app.testing
        return value in {"1", "true", "yes", "on"}
    return bool(value)


def _executor(app) -> ThreadPoolExecutor:
    executor = app.extensions.get(EXECUTOR_KEY)
    if executor is None:
        executor = ThreadPoolExecutor(max_workers=int(app.config.get("JOBS_WORKERS", 1)),
                                      thread_name_prefix="document-job")
        app.extensions[EXECUTOR_KEY] = executor
    return executor


def start(job_id: int, app=None):
    """Hand the job to this process's thread pool (when enabled); returns the future or None."""
    app = app or current_app._get_current_object()
    if not in_process(app):
        return None
    return _executor(app).submit(run_job, app, job_id)


def open_job(session: Session, kind: str, params: dict, user) -> DocumentJob | None:
    """The user's job of this kind with these params that is still waiting or running, if any."""
    import json

    encoded = json.dumps(params, sort_keys=True, ensure_ascii=False)
    return session.exec(select(DocumentJob).where(
        DocumentJob.kind == kind, DocumentJob.params == encoded, DocumentJob.requested_by == user.id,
        DocumentJob.status.in_(("queued", "running"))).order_by(DocumentJob.id.desc())).first()


def request_job(session: Session, kind: str, params: dict, user) -> DocumentJob:
    """Queue a job for ``user`` and start it in this process when enabled."""
    job = jobs.enqueue(session, kind, params, user, kinds=KINDS)
    start(job.id)
    return job
