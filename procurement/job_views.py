"""Pages of the background document jobs: progress, JSON for the progress script, download."""
from __future__ import annotations

from flask import Blueprint, abort, current_app, g, jsonify, redirect, render_template, send_file, url_for
from sqlmodel import select

from accounts.access import login_required
from common.db import get_session
from procurement import jobs
from procurement import job_runner as runner
from procurement.job_models import DocumentJob, JobStatus

bp = Blueprint("jobs", __name__)


def _visible_job(job_id: int) -> DocumentJob:
    """The job, for the requester and users with the same access; others get 404 (not 403: a job
    number says nothing to someone who may not see it)."""
    session = get_session()
    job = session.get(DocumentJob, job_id)
    if job is None or not runner.can_see(session, g.user, job):
        abort(404)
    session.refresh(job)
    return job


def _kick(job: DocumentJob) -> None:
    """A queued job nobody runs (e.g. the process restarted): start it here. ``claim`` makes sure
    it runs once even if another process or the CLI also starts it."""
    if job.status == JobStatus.QUEUED.value:
        runner.start(job.id)


@bp.route("/jobs")
@login_required
def mine():
    session = get_session()
    rows = session.exec(select(DocumentJob).where(DocumentJob.requested_by == g.user.id)
                        .order_by(DocumentJob.id.desc()).limit(50)).all()
    return render_template("jobs/list.html", rows=rows, kinds=runner.KINDS)


@bp.route("/jobs/<int:job_id>")
@login_required
def status(job_id: int):
    job = _visible_job(job_id)
    _kick(job)
    return render_template("jobs/status.html", job=job, kind=runner.KINDS.get(job.kind),
                           finished=job.status in (JobStatus.DONE.value, JobStatus.FAILED.value))


@bp.route("/jobs/<int:job_id>.json")
@login_required
def status_json(job_id: int):
    job = _visible_job(job_id)
    data = jobs.as_dict(job)
    data["download_url"] = url_for("jobs.download", job_id=job.id) if data["done"] else None
    return jsonify(data)


@bp.route("/jobs/<int:job_id>/download")
@login_required
def download(job_id: int):
    job = _visible_job(job_id)
    if job.status != JobStatus.DONE.value:
        return redirect(url_for("jobs.status", job_id=job.id))
    path = runner.result_file(current_app, job)
    if path is None:
        abort(410)
    mimetype = "application/pdf" if path.suffix == ".pdf" else "application/octet-stream"
    return send_file(path, mimetype=mimetype, as_attachment=True, download_name=job.filename or path.name)
