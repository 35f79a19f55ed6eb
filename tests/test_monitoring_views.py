"""Contract monitoring pages: filing, deciding, closing, evidence, certificate; object-level access
and escaping of user-typed text (pages and PDF)."""
from decimal import Decimal
from io import BytesIO

from pypdf import PdfReader
from sqlmodel import select

from procurement.monitoring_models import Contract, ContractReport
from tests.conftest import csrf_token, login
from tests.tender_builders import PASSWORD, XSS, make_authority, make_user

EN = {"Accept-Language": "en"}
PDF = b"%PDF-1.4 evidence"


def _contested_period(session):
    return session.exec(select(ContractReport).where(ContractReport.status == "contested")).one().period_start


def test_firm_files_a_report_and_the_buyer_decides(demo, client, login_as, session):
    login_as("firm@demo.example")
    assert "DEMO-2026-001" in client.get("/contracts", headers=EN).get_data(as_text=True)
    token = csrf_token(client, "/contracts/1")
    period = _contested_period(session).isoformat()
    form = {"csrf_token": token, "period": period, "insertion_hours": "-2", "training_hours": "1",
            "subcontracted_hours": "0", "subcontractor": "", "people": "1", "comment": XSS}
    html = client.post("/contracts/1/reports", data=form, headers=EN).get_data(as_text=True)
    assert "Hours cannot be negative." in html and "&lt;script&gt;" in html and XSS not in html
    form |= {"insertion_hours": "20", "evidence": (BytesIO(b"GIF89a"), "photo.pdf")}
    html = client.post("/contracts/1/reports", data=form, headers=EN,
                       content_type="multipart/form-data").get_data(as_text=True)
    assert "photo.pdf is not a PDF, PNG or JPEG" in html
    form["evidence"] = (BytesIO(PDF), "releve.pdf")
    response = client.post("/contracts/1/reports", data=form, content_type="multipart/form-data")
    assert response.status_code == 302
    client.post("/logout", data={"csrf_token": csrf_token(client, "/")})

    login_as("buyer@demo.example")
    page = client.get("/contracts/1", headers=EN).get_data(as_text=True)
    assert "&lt;script&gt;alert" in page and XSS not in page and "late" in page
    report = session.exec(select(ContractReport).where(ContractReport.version == 2)).one()
    token = csrf_token(client, "/contracts/1")
    html = client.post(f"/contracts/1/reports/{report.id}/decision", headers=EN,
                       data={"csrf_token": token, "action": "contest", "reason": ""}).get_data(as_text=True)
    assert "Give the reason why the report is contested." in html
    assert client.post(f"/contracts/1/reports/{report.id}/decision",
                       data={"csrf_token": token, "action": "validate", "reason": ""}).status_code == 302
    session.expire_all()
    assert session.get(ContractReport, report.id).status == "validated"
    evidence = client.get(f"/contracts/1/reports/{report.id}/evidence/6")
    assert evidence.status_code == 200 and evidence.data == PDF
    assert evidence.headers["X-Content-Type-Options"] == "nosniff"
    assert evidence.headers["Content-Disposition"].startswith("attachment")
    evidence.close()


def test_other_firms_and_other_authorities_see_nothing(demo, client, session):
    other = make_authority(session, "Commune d'Ailleurs")
    make_user(session, "other-buyer@test.example", "buyer", other)
    for email, password in (("bidder3@demo.example", "demo-2026"), ("other-buyer@test.example", PASSWORD)):
        assert login(client, email, password).status_code == 302
        assert "DEMO-2026-001" not in client.get("/contracts").get_data(as_text=True)
        for url in ("/contracts/1", "/contracts/1/reports/1/evidence/1", "/contracts/1/certificate/fr.pdf"):
            assert client.get(url).status_code == 404, (email, url)
        token = csrf_token(client, "/")
        assert client.post("/contracts/1/reports/5/decision",
                           data={"csrf_token": token, "action": "validate"}).status_code == 404
        client.post("/logout", data={"csrf_token": token})
    for email in ("auditor@demo.example", "firm@demo.example"):  # they read, but may not decide or close
        assert login(client, email).status_code == 302
        token = csrf_token(client, "/contracts/1")
        assert client.post("/contracts/1/reports/5/decision",
                           data={"csrf_token": token, "action": "validate"}).status_code == 403
        assert client.post("/contracts/1/close", data={"csrf_token": token, "confirm": "y"}).status_code == 403
        client.post("/logout", data={"csrf_token": token})
    assert login(client, "buyer@demo.example").status_code == 302
    token = csrf_token(client, "/contracts/1")
    assert client.post("/contracts/1/reports", data={"csrf_token": token, "period": "x"}).status_code == 403


def test_closing_shows_the_penalty_and_issues_the_certificate(demo, client, login_as, session):
    contract = session.get(Contract, 1)
    contract.committed_hours = Decimal(150)  # 146 validated after the pending report: within one tenth
    session.add(contract)
    first = session.exec(select(ContractReport).order_by(ContractReport.id)).first()
    first.comment = XSS
    session.add(first)
    session.commit()
    login_as("buyer@demo.example")
    token = csrf_token(client, "/contracts/1")
    html = client.post("/contracts/1/close", data={"csrf_token": token, "confirm": "y"}, headers=EN,
                       follow_redirects=True).get_data(as_text=True)
    assert "Validate or contest every submitted report before closing" in html
    client.post("/contracts/1/reports/5/decision", data={"csrf_token": token, "action": "validate"})
    assert client.post("/contracts/1/close", data={"csrf_token": token}).status_code == 400  # no confirmation
    client.post("/contracts/1/close", data={"csrf_token": token, "confirm": "y"})
    page = client.get("/contracts/1", headers=EN).get_data(as_text=True)
    assert "146 of 150 hours delivered" in page and "no penalty" in page
    assert "/contracts/1/certificate/nl.pdf" in page
    client.post("/logout", data={"csrf_token": token})

    login_as("firm@demo.example")
    for lang, words in (("fr", "bonne exécution"), ("nl", "goede uitvoering"), ("en", "satisfactory execution")):
        response = client.get(f"/contracts/1/certificate/{lang}.pdf")
        assert response.status_code == 200 and response.mimetype == "application/pdf"
        text = " ".join(page.extract_text() for page in PdfReader(BytesIO(response.data)).pages)
        assert words in " ".join(text.lower().split())
        assert "<script>alert('x')</script>" in text  # printed as text, not interpreted
    profile = client.get(f"/registry/enterprises/{contract.enterprise_id}").get_data(as_text=True)
    assert "CERT-DEMO-2026-001-L1" in profile
