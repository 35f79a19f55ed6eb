"""``flask --app app jobs run``: run the queued document jobs in this process (for deployments with
several web processes, or JOBS_IN_PROCESS = false; e.g. every minute from cron)."""
from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup
from sqlmodel import Session

from procurement import job_runner
from procurement.job_models import DocumentJob

jobs_cli = AppGroup("jobs", help="Background document jobs.")


@jobs_cli.command("run")
def run_command():
    """Run every queued job, oldest first, and say how each ended."""
    app = current_app._get_current_object()
    ran = job_runner.run_queued(app)
    with Session(app.extensions["procure.engine"]) as session:
        for job_id in ran:
            job = session.get(DocumentJob, job_id)
            line = f"job {job.id} ({job.kind}): {job.status}"
            click.echo(line + (f" - {job.message}" if job.status == "failed" else f" - {job.filename}"))
    click.echo(f"{len(ran)} job(s) run.")
