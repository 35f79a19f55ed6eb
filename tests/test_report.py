"""The auditor's scoring report: access, embedded input, verify-report, tampering, CLI, audit CSV."""
import csv
import io
import json
from io import BytesIO
from types import SimpleNamespace

import pytest
from pypdf import PdfReader, PdfWriter
from sqlmodel import select

from common.pdf import embedded_files
from procurement.report_verify import INPUT_NAME, RESULT_NAME, verify_report
from tests.bid_helpers import (  # noqa: F401 - fixtures
    REF, finalised_world, login_user, lot_url, open_bids, pass_deadline, submit_all, world,
)


@pytest.fixture
def report_pdf(client, world, session):
    finalised_world(client, world, session)
    login_user(client, world.users["auditor"])
    response = client.get(lot_url(world, "report.pdf"))
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    return response.data


def _rewrite_attachments(pdf: bytes, files: dict[str, bytes]) -> bytes:
    writer = PdfWriter(clone_from=PdfReader(BytesIO(pdf)))
    del writer._root_object["/Names"]["/EmbeddedFiles"]
    for name, data in files.items():
        writer.add_attachment(name, data)
    out = BytesIO()
    writer.write(out)
    return out.getvalue()


def test_report_embeds_the_scoring_input_and_result(report_pdf, session):
    from procurement.bid_models import Evaluation

    files = embedded_files(report_pdf)
    evaluation = session.exec(select(Evaluation)).one()
    assert files[INPUT_NAME].decode() == evaluation.input_json
    assert files[RESULT_NAME].decode() == evaluation.result_json
    data = json.loads(files[INPUT_NAME])
    assert data["format"] == "procure-scoring/1" and len(data["bids"]) == 5
    reader = PdfReader(BytesIO(report_pdf))
    assert b"pdfaid:part" in reader.trailer["/Root"]["/Metadata"].get_object().get_data()
    text = "\n".join(p.extract_text() for p in reader.pages)
    for needle in (evaluation.input_hash, evaluation.result_hash, "B2 stays first as long as the price weight",
                   "points = weight × lowest price ÷ price", "Clear plan with weekly coaching.",
                   "Explain the hourly wage used.", "bids.opened", "evaluation.finalised"):
        assert needle in text, needle


def test_verify_report_says_verified(report_pdf, runner, tmp_path):
    assert verify_report(report_pdf).ok
    path = tmp_path / "report.pdf"
    path.write_bytes(report_pdf)
    result = runner.invoke(args=["verify-report", str(path)])
    assert result.exit_code == 0, result.output
    assert result.output.strip().endswith("VERIFIED")


def test_a_changed_figure_in_the_embedded_input_fails(report_pdf, runner, tmp_path):
    files = embedded_files(report_pdf)
    tampered = files[INPUT_NAME].replace(b'"price": 92000', b'"price": 91000')
    assert tampered != files[INPUT_NAME]
    pdf = _rewrite_attachments(report_pdf, {INPUT_NAME: tampered, RESULT_NAME: files[RESULT_NAME]})
    path = tmp_path / "tampered.pdf"
    path.write_bytes(pdf)
    result = runner.invoke(args=["verify-report", str(path)])
    assert result.exit_code == 1 and "input hash" in result.output


def test_a_consistent_but_forged_result_fails(report_pdf):
    """Change the input and recompute a matching result: the printed hashes and figures still differ."""
    from procurement.scoring import score_json

    files = embedded_files(report_pdf)
    data = json.loads(files[INPUT_NAME])
    data["bids"][0]["price"] = 1000
    forged = json.dumps(score_json(data)).encode()
    outcome = verify_report(_rewrite_attachments(report_pdf, {INPUT_NAME: json.dumps(data).encode(),
                                                               RESULT_NAME: forged}))
    assert not outcome.ok and "hash" in outcome.message


def test_a_changed_result_total_fails(report_pdf):
    files = embedded_files(report_pdf)
    result = json.loads(files[RESULT_NAME])
    result["bids"][0]["total"] = 99.99
    outcome = verify_report(_rewrite_attachments(report_pdf, {INPUT_NAME: files[INPUT_NAME],
                                                               RESULT_NAME: json.dumps(result).encode()}))
    assert not outcome.ok and "result hash" in outcome.message


def test_a_changed_byte_anywhere_in_the_attachment_fails(report_pdf):
    files = embedded_files(report_pdf)
    raw = bytearray(files[INPUT_NAME])
    raw[raw.index(b"950")] = ord("8")  # B2's insertion hours 950 -> 850
    outcome = verify_report(_rewrite_attachments(report_pdf, {INPUT_NAME: bytes(raw), RESULT_NAME: files[RESULT_NAME]}))
    assert not outcome.ok


def test_a_changed_printed_total_fails(client, world, session, app):
    """Re-render the report with one stated total altered: the text no longer matches the recomputation."""
    from procurement.bid_models import Evaluation
    from procurement.models import Lot, Tender
    from procurement.report import render_report, report_context

    finalised_world(client, world, session)
    evaluation = session.exec(select(Evaluation)).one()
    with app.test_request_context():
        context = report_context(session, session.get(Tender, world.tender_id), session.get(Lot, world.lot_id),
                                 evaluation, "en")
        context["verification"] = [line.replace("total 80.66", "total 81.66") for line in context["verification"]]
        pdf = render_report(context, evaluation.input_json, evaluation.result_json, lang="en")
    outcome = verify_report(pdf)
    assert not outcome.ok and "figures printed" in outcome.message and "B2" in outcome.message


def test_report_only_after_finalisation_and_only_for_readers(client, world, session):
    submit_all(client, world)
    pass_deadline(session, world)
    open_bids(client, world)
    login_user(client, world.users["auditor"])
    response = client.get(lot_url(world, "report.pdf"))
    assert response.status_code == 302 and response.mimetype != "application/pdf"
    for role in ("firm1", "other_buyer"):
        login_user(client, world.users[role])
        assert client.get(lot_url(world, "report.pdf")).status_code == 403


def test_tender_report_command_writes_a_verifiable_report(client, world, session, runner, tmp_path):
    finalised_world(client, world, session)
    path = tmp_path / "cli.pdf"
    result = runner.invoke(args=["tender", "report", REF, "--lot", "1", "-o", str(path), "--lang", "en"])
    assert result.exit_code == 0, result.output
    assert verify_report(path.read_bytes()).ok
    result = runner.invoke(args=["tender", "report", REF, "--lot", "7", "-o", str(path)])
    assert result.exit_code != 0 and "no lot 7" in result.output


def test_audit_csv_cells_are_spreadsheet_safe(client, world, session):
    from audit import log as audit_log
    from procurement.audit_export import safe_cell

    assert [safe_cell(v) for v in ("=1+1", "+1", "-1", "@A1", "\tx", "\rx", "ok", 5)] == [
        "'=1+1", "'+1", "'-1", "'@A1", "'\tx", "'\rx", "ok", "5"]
    audit_log.append(session, "=HYPERLINK(\"http://evil.example\")", actor=SimpleNamespace(id=None, email="+cmd@x"),
                     object_type="@import", object_id="-2+3", tender_ref=REF, details={"x": 1})
    session.commit()
    login_user(client, world.users["auditor"])
    response = client.get(f"/tenders/{REF}/audit.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    header, row = rows[0], rows[-1]
    cells = dict(zip(header, row))
    assert cells["action"] == "'=HYPERLINK(\"http://evil.example\")"
    assert cells["actor"] == "'+cmd@x" and cells["object_type"] == "'@import" and cells["object_id"] == "'-2+3"
    login_user(client, world.users["firm1"])
    assert client.get(f"/tenders/{REF}/audit.csv").status_code == 403


def test_a_page_added_at_the_end_fails(report_pdf):
    writer = PdfWriter(clone_from=PdfReader(BytesIO(report_pdf)))
    writer.add_blank_page()
    out = BytesIO()
    writer.write(out)
    outcome = verify_report(out.getvalue())
    assert not outcome.ok and "pages were added or removed" in outcome.message


def test_a_wholly_regenerated_report_fails_against_the_database(client, world, session, app, runner, tmp_path):
    """A report re-made from a changed input is consistent in itself, but not with the evaluation
    recorded in the database, which verify-report cross-checks when it has one."""
    from procurement.bid_models import Evaluation
    from procurement.evaluation_state import input_text
    from procurement.models import Lot, Tender
    from procurement.report import render_report, report_context, verification_lines
    from procurement.scoring import canonical_hash, score_json

    finalised_world(client, world, session)
    evaluation = session.exec(select(Evaluation)).one()
    data = json.loads(evaluation.input_json)
    data["bids"][3]["price"] = 80000  # B4 much cheaper: B4 wins
    result = score_json(data)
    with app.test_request_context():
        context = report_context(session, session.get(Tender, world.tender_id), session.get(Lot, world.lot_id),
                                 evaluation, "en")
        context["verification"] = verification_lines(result, canonical_hash(data), canonical_hash(result))
        pdf = render_report(context, input_text(data), input_text(result), lang="en")
    assert verify_report(pdf).ok  # the file alone cannot tell
    path = tmp_path / "forged.pdf"
    path.write_bytes(pdf)
    outcome = runner.invoke(args=["verify-report", str(path)])
    assert outcome.exit_code == 1 and "no finalised evaluation" in outcome.output
