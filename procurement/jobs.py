"""Document jobs: state changes of a ``DocumentJob`` (queued -> running -> done | failed).

Pure service (no Flask): the runner (``procurement.job_runner``) decides where and when a job runs;
this module validates the request, claims a job atomically (so two processes never run the same
job), records progress and the outcome. A failure keeps a short message for the user, never a
traceback (the traceback goes to the server log).
"""
from __future__ import annotations

import json
from typing import Any

from sqlalchemy import update
from sqlmodel import Session, select

from audit import log as audit_log
from common.timeutil import utcnow
from procurement.job_models import DocumentJob, JobStatus

MESSAGE_MAX = 500


class ValidationError(ValueError):
    """Bad job request; ``field`` names what is wrong."""

    def __init__(self, field: str, message: str):
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


def enqueue(session: Session, kind: str, params: dict[str, Any], user, *, kinds) -> DocumentJob:
    """Store a queued job (committed) and audit the request. ``kinds``: the known job kinds."""
    if kind not in kinds:
        raise ValidationError("kind", f"unknown job kind {kind!r}")
    if not isinstance(params, dict):
        raise ValidationError("params", "must be a JSON object")
    if user is None or getattr(user, "id", None) is None:
        raise ValidationError("requested_by", "a job needs the user who asked for it")
    try:
        encoded = json.dumps(params, sort_keys=True, ensure_ascii=False)
    except (TypeError, ValueError) as exc:
        raise ValidationError("params", f"not JSON: {exc}") from None
    job = DocumentJob(kind=kind, params=encoded, requested_by=user.id)
    session.add(job)
    session.flush()
    audit_log.append(session, "document.job_requested", actor=user, object_type="document_job", object_id=job.id,
                     tender_ref=params.get("tender"), details={"kind": kind, **params})
    session.commit()
    return job


def params_of(job: DocumentJob) -> dict:
    return json.loads(job.params or "{}")


def claim(session: Session, job_id: int) -> bool:
    """queued -> running, atomically: True only for the one caller that made the change."""
    result = session.execute(update(DocumentJob)
                             .where(DocumentJob.id == job_id, DocumentJob.status == JobStatus.QUEUED.value)
                             .values(status=JobStatus.RUNNING.value, progress=1))
    session.commit()
    return result.rowcount == 1


def set_progress(session: Session, job_id: int, progress: int, message: str = "") -> None:
    """Record progress (clamped to 0-99: 100 means done) and a short step description."""
    value = max(0, min(99, int(progress)))
    session.execute(update(DocumentJob).where(DocumentJob.id == job_id, DocumentJob.status == JobStatus.RUNNING.value)
                    .values(progress=value, message=message[:MESSAGE_MAX]))
    session.commit()


def finish(session: Session, job_id: int, result_path: str, filename: str) -> None:
    session.execute(update(DocumentJob).where(DocumentJob.id == job_id)
                    .values(status=JobStatus.DONE.value, progress=100, message="", result_path=result_path,
                            filename=filename, finished_at=utcnow()))
    session.commit()


def fail(session: Session, job_id: int, message: str) -> None:
    """Mark failed with a one-line message (first line only, no traceback)."""
    line = (message or "").strip().splitlines()[0] if (message or "").strip() else ""
    session.execute(update(DocumentJob).where(DocumentJob.id == job_id)
                    .values(status=JobStatus.FAILED.value, message=line[:MESSAGE_MAX], finished_at=utcnow()))
    session.commit()


def queued_ids(session: Session) -> list[int]:
    return list(session.exec(select(DocumentJob.id).where(DocumentJob.status == JobStatus.QUEUED.value)
                             .order_by(DocumentJob.id)).all())


def as_dict(job: DocumentJob) -> dict:
    return {"id": job.id, "kind": job.kind, "status": job.status, "progress": job.progress,
            "message": job.message, "done": job.status == JobStatus.DONE.value,
            "failed": job.status == JobStatus.FAILED.value}
