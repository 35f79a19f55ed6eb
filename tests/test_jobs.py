"""Background document jobs (issue 8): the runner, the pages per role, failures, the CLI and the
switch between immediate and background reports (REPORT_BACKGROUND_MIN_BIDS)."""
import json
import re

import pytest
from sqlmodel import Session, select

from procurement import job_runner, jobs
from procurement.job_models import DocumentJob
from tests.conftest import login

REPORT = "/tenders/DEMO-2026-001/lots/1/report.pdf"


def _session(app):
    return Session(app.extensions["procure.engine"], expire_on_commit=False)


def _user(session, email):
    from accounts.models import User

    return session.exec(select(User).where(User.email == email)).one()


def _job(app, job_id):
    with _session(app) as session:
        return session.get(DocumentJob, job_id)


def _enqueue(app, params, email="auditor@demo.example", kind="scoring_report"):
    with app.app_context(), _session(app) as session:
        return jobs.enqueue(session, kind, params, _user(session, email), kinds=job_runner.KINDS).id


def test_runner_makes_the_report_with_progress_and_it_verifies(demo):
    from procurement.report_verify import verify_report

    job_id = _enqueue(demo, {"tender": "DEMO-2026-001", "lot": 1, "lang": "nl"})
    assert _job(demo, job_id).status == "queued" and _job(demo, job_id).progress == 0
    assert job_runner.run_job(demo, job_id) is True
    assert job_runner.run_job(demo, job_id) is False  # claimed once: never run twice
    job = _job(demo, job_id)
    assert (job.status, job.progress, job.message) == ("done", 100, "")
    assert job.finished_at is not None and job.filename == "scoring-report-DEMO-2026-001-lot-1.pdf"
    path = job_runner.result_file(demo, job)
    assert path is not None and path.parent.name == "jobs"
    assert path.is_relative_to(demo.config["DOCUMENT_CACHE_DIR"])
    body = path.read_bytes()
    assert verify_report(body).ok


def test_progress_is_recorded_at_each_step(demo, monkeypatch):
    seen = []
    original = jobs.set_progress

    def spy(session, job_id, progress, message=""):
        seen.append((progress, message))
        original(session, job_id, progress, message)

    monkeypatch.setattr(jobs, "set_progress", spy)
    job_id = _enqueue(demo, {"tender": "DEMO-2026-001", "lot": 1, "lang": "fr"})
    job_runner.run_job(demo, job_id)
    assert [p for p, _ in seen] == [10, 25, 55, 95]
    assert all(m for _, m in seen) and "PDF" in seen[2][1]


def test_bad_requests_store_nothing(demo):
    with demo.app_context(), _session(demo) as session:
        before = len(session.exec(select(DocumentJob)).all())
        user = _user(session, "auditor@demo.example")
        with pytest.raises(jobs.ValidationError) as err:
            jobs.enqueue(session, "no_such_kind", {}, user, kinds=job_runner.KINDS)
        assert err.value.field == "kind"
        with pytest.raises(jobs.ValidationError) as err:
            jobs.enqueue(session, "scoring_report", {"x": object()}, user, kinds=job_runner.KINDS)
        assert err.value.field == "params"
        session.rollback()
        assert len(session.exec(select(DocumentJob)).all()) == before


def test_failures_show_a_message_never_a_traceback(demo, client, monkeypatch):
    missing = _enqueue(demo, {"tender": "DEMO-2026-001", "lot": 99, "lang": "en"})
    job_runner.run_job(demo, missing)
    assert (_job(demo, missing).status, _job(demo, missing).message) == ("failed", "The tender or lot no longer exists.")

    def broken(session, params, user, progress):
        progress(20, "half-way")
        raise RuntimeError("secret internal detail\nTraceback (most recent call last): ...")

    monkeypatch.setitem(job_runner.KINDS, "scoring_report",
                        job_runner.JobKind("Scoring report", broken, job_runner._report_readers))
    crashed = _enqueue(demo, {"tender": "DEMO-2026-001", "lot": 1, "lang": "en"})
    job_runner.run_job(demo, crashed)
    job = _job(demo, crashed)
    assert job.status == "failed" and "internal error" in job.message
    assert "secret" not in job.message and "Traceback" not in job.message
    login(client, "auditor@demo.example")
    client.get("/language/en?next=/")
    html = client.get(f"/jobs/{crashed}").get_data(as_text=True)
    assert "The document could not be generated." in html and "internal error" in html
    assert "Traceback" not in html and "secret" not in html and "<progress" not in html
    data = client.get(f"/jobs/{crashed}.json").get_json()
    assert data["failed"] is True and data["download_url"] is None
    assert client.get(f"/jobs/{crashed}/download").status_code == 302  # back to the page saying why


def test_small_lot_report_is_immediate(demo, client):
    login(client, "auditor@demo.example")
    response = client.get(REPORT)  # 5 bids < 50
    assert response.status_code == 200 and response.mimetype == "application/pdf"


def test_large_lot_report_goes_through_a_job_visible_to_readers_only(demo, client):
    demo.config["REPORT_BACKGROUND_MIN_BIDS"] = 3  # lot 1 of the demo has 5 bids
    login(client, "auditor@demo.example")
    client.get("/language/en?next=/")
    response = client.get(REPORT)
    assert response.status_code == 302
    job_id = int(re.search(r"/jobs/(\d+)$", response.headers["Location"]).group(1))
    assert client.get(REPORT).headers["Location"].endswith(f"/jobs/{job_id}")  # same job while waiting
    html = client.get(f"/jobs/{job_id}").get_data(as_text=True)
    assert '<progress id="job-progress" max="100" value="0">' in html
    assert '<noscript><meta http-equiv="refresh" content="3"></noscript>' in html
    assert "js/jobs.js" in html and "Waiting to start" in html
    assert client.get(f"/jobs/{job_id}.json").get_json()["status"] == "queued"
    assert client.get(f"/jobs/{job_id}/download").status_code == 302

    assert job_id in job_runner.run_queued(demo)
    html = client.get(f"/jobs/{job_id}").get_data(as_text=True)
    assert "The document is ready." in html and "http-equiv" not in html and "js/jobs.js" not in html
    data = client.get(f"/jobs/{job_id}.json").get_json()
    assert data["done"] and data["progress"] == 100 and data["download_url"] == f"/jobs/{job_id}/download"
    pdf = client.get(f"/jobs/{job_id}/download")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF-")
    assert "scoring-report-DEMO-2026-001-lot-1.pdf" in pdf.headers["Content-Disposition"]
    pdf.close()
    assert "scoring-report-DEMO-2026-001-lot-1.pdf" in client.get("/jobs").get_data(as_text=True)

    # Same access (the authority's buyer): yes. A firm: the job does not exist for it.
    buyer = demo.test_client()
    login(buyer, "buyer@demo.example")
    shared = buyer.get(f"/jobs/{job_id}/download")
    assert shared.status_code == 200
    shared.close()
    assert "scoring-report" not in buyer.get("/jobs").get_data(as_text=True)  # "My documents" is one's own
    firm = demo.test_client()
    login(firm, "firm@demo.example")
    for path in (f"/jobs/{job_id}", f"/jobs/{job_id}.json", f"/jobs/{job_id}/download"):
        assert firm.get(path).status_code == 404
    assert demo.test_client().get(f"/jobs/{job_id}").status_code == 302  # anonymous: login page


def test_stored_result_name_cannot_leave_the_jobs_folder(demo):
    job = DocumentJob(kind="scoring_report", requested_by=1, status="done", result_path="../../etc/passwd")
    assert job_runner.result_file(demo, job) is None


def test_cli_runs_queued_jobs(demo):
    job_id = _enqueue(demo, {"tender": "DEMO-2026-001", "lot": 1, "lang": "en"})
    result = demo.test_cli_runner().invoke(args=["jobs", "run"])
    assert result.exit_code == 0, result.output
    assert f"job {job_id} (scoring_report): done - scoring-report-DEMO-2026-001-lot-1.pdf" in result.output
    assert _job(demo, job_id).status == "done"
    assert "0 job(s) run." in demo.test_cli_runner().invoke(args=["jobs", "run"]).output


def test_web_process_runs_the_job_in_a_thread(demo, client):
    demo.config.update(REPORT_BACKGROUND_MIN_BIDS=3, JOBS_IN_PROCESS=True)
    login(client, "auditor@demo.example")
    client.get("/language/en?next=/")  # not the demo job (French), which waits for its page to be opened
    job_id = int(client.get(REPORT).headers["Location"].rsplit("/", 1)[1])
    assert job_id != 1
    executor = demo.extensions[job_runner.EXECUTOR_KEY]
    executor.submit(lambda: None).result(timeout=120)  # one worker: the job ran before this
    executor.shutdown(wait=True)
    assert _job(demo, job_id).status == "done"


def test_demo_job_is_queued_for_the_auditor(demo):
    with _session(demo) as session:
        job = session.get(DocumentJob, 1)
        assert job.kind == "scoring_report" and job.status == "queued"
        assert json.loads(job.params)["tender"] == "DEMO-2026-001"
        assert job.requested_by == _user(session, "auditor@demo.example").id


def test_live_calculator_incomplete_input_is_not_a_failed_request(client, demo):
    """While a person is still typing (issue 8 keyboard journey), an empty field is not a bad request;
    text that is not a number still is."""
    login(client, "buyer@demo.example")
    url = "/tenders/calculator/insertion-hours?amount=&labour_share_pct=&rate_pct=5&hourly_cost=30&cpv=90910000"
    response = client.get(url)
    assert response.status_code == 200 and response.get_json()["hours"] is None
    assert client.get(url.replace("amount=", "amount=abc")).status_code == 400
