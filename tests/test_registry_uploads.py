"""Accreditation proofs (content checked by magic bytes, size-limited, random names, served as
attachments) and the admin import page (background job, status page without script)."""
import io
import os
from pathlib import Path

from sqlmodel import select

from registry import import_jobs
from registry.models import Accreditation, Enterprise
from tests.registry_helpers import log_in, make_enterprise, make_user, number, post

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def _upload(client, enterprise, acc, content, filename, **fields):
    url = f"/registry/enterprises/{enterprise.id}/types/{acc.id}"
    data = {"number": "EI-2024-001", "issuing_region": "BE3", "valid_until": "2030-12-31", **fields,
            "proof": (io.BytesIO(content), filename)}
    return post(client, url, data, content_type="multipart/form-data")


def _files(app) -> list[Path]:
    folder = Path(app.config["UPLOAD_DIR"]) / "registry"
    return sorted(folder.iterdir()) if folder.exists() else []


def _status(client, url) -> int:
    response = client.get(url)
    response.close()  # send_file keeps the file open until the response is closed
    return response.status_code


def _setup(session):
    owner = make_user(session, "owner@firm.example")
    make_user(session, "other@firm.example")
    make_user(session, "buyer@x.example", "buyer")
    enterprise = make_enterprise(session, "Atelier Test ASBL", 1, member=owner, accreditation=None)
    acc = session.exec(select(Accreditation).where(Accreditation.enterprise_id == enterprise.id)).one()
    return enterprise, acc


def test_pdf_proof_is_stored_with_a_random_name_and_served_as_attachment(app, client, session):
    enterprise, acc = _setup(session)
    log_in(client, "owner@firm.example")
    assert _upload(client, enterprise, acc, PDF, "../../etc/<agrément>.png").status_code == 302
    session.refresh(acc)
    assert acc.proof_mime == "application/pdf" and acc.proof_filename == "agrément.pdf"
    [stored] = _files(app)
    assert stored.name == acc.proof_file and "agr" not in stored.name and len(stored.stem) == 32
    url = f"/registry/enterprises/{enterprise.id}/types/{acc.id}/proof"
    with client.get(url) as response:
        assert response.status_code == 200 and response.data == PDF
        assert response.headers["Content-Disposition"].startswith("attachment")
        assert response.headers["X-Content-Type-Options"] == "nosniff"
    buyer = app.test_client()
    log_in(buyer, "buyer@x.example")
    assert _status(buyer, url) == 200
    other = app.test_client()
    log_in(other, "other@firm.example")
    assert _status(other, url) == 403
    assert _status(app.test_client(), url) == 302
    # A new proof replaces the old file.
    assert _upload(client, enterprise, acc, PNG, "scan.png").status_code == 302
    session.refresh(acc)
    assert [f.name for f in _files(app)] == [acc.proof_file] and acc.proof_mime == "image/png"


def test_content_not_name_decides_and_bad_files_change_nothing(app, client, session):
    enterprise, acc = _setup(session)
    log_in(client, "owner@firm.example")
    page = _upload(client, enterprise, acc, b"<html><script>alert(1)</script></html>", "proof.pdf")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "Only PDF, PNG or JPEG files are accepted" in html and 'id="proof-error"' in html
    big = _upload(client, enterprise, acc, PDF + os.urandom(app.config["UPLOAD_MAX_FILE_BYTES"]), "big.pdf")
    assert "The file is larger than" in big.get_data(as_text=True)
    garbage = _upload(client, enterprise, acc, os.urandom(10_000_000), "garbage.pdf")  # 10 MB of garbage
    assert garbage.status_code == 200 and "The file is larger than" in garbage.get_data(as_text=True)
    session.refresh(acc)
    assert (acc.number, acc.proof_file) == ("", "") and _files(app) == []
    bad_dates = _upload(client, enterprise, acc, PDF, "ok.pdf", valid_from="2030-01-01", valid_until="2029-01-01")
    assert "cannot be before its start" in bad_dates.get_data(as_text=True) and _files(app) == []


def test_admin_import_page_runs_in_the_background(app, client, session):
    make_user(session, "admin@x.example", "admin")
    log_in(client, "admin@x.example")
    csv_text = ("name;enterprise_number;types;postal_code;municipality;cpv_codes;staff_total;staff_disadvantaged\n"
                f"Atelier Sambre;{number(1)};insertion;6000;Charleroi;45000000;10;5\n"
                f"Mauvais;0431150351;insertion;6000;Charleroi;45000000;10;5\n")
    response = post(client, "/registry/admin/import", {"file": (io.BytesIO(csv_text.encode("cp1252")), "list.csv")},
                    content_type="multipart/form-data")
    assert response.status_code == 302
    job_id = response.headers["Location"].rsplit("/", 1)[1]
    import_jobs.get(app, job_id).thread.join(30)
    page = client.get(f"/registry/admin/import/{job_id}", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "http-equiv" not in page and "Nothing was written." in page
    assert "<td>3</td><td>enterprise_number</td>" in page
    assert session.exec(select(Enterprise)).all() == []
    response = post(client, "/registry/admin/import", {"file": (io.BytesIO(csv_text.encode("cp1252")), "list.csv"),
                                                       "skip_invalid": "y", "validated": "y"},
                    content_type="multipart/form-data")
    job = import_jobs.get(app, response.headers["Location"].rsplit("/", 1)[1])
    job.thread.join(30)
    assert job.report.created == 1 and job.report.written
    [enterprise] = session.exec(select(Enterprise)).all()
    assert (enterprise.legal_name, enterprise.status) == ("Atelier Sambre", "validated")


def test_status_page_of_an_unknown_or_running_job(app, client, session):
    make_user(session, "admin@x.example", "admin")
    log_in(client, "admin@x.example")
    assert "not known to this server process" in client.get("/registry/admin/import/nope",
                                                              headers={"Accept-Language": "en"}).get_data(as_text=True)
    job = import_jobs.Job("running1", "big.csv", 1, False, state="checking", done=40, total=100)
    app.extensions[import_jobs.EXTENSION_KEY]["running1"] = job
    page = client.get("/registry/admin/import/running1").get_data(as_text=True)
    assert '<meta http-equiv="refresh" content="2">' in page and '<progress max="100" value="40">' in page
    assert "<script" not in page.split("</head>")[0]
