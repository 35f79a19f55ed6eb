"""Contract monitoring services on the demo data: contract at award, reports and their bad input,
decisions, closing with the penalty, the certificate and the registry reference."""
from decimal import Decimal
from pathlib import Path

import pytest
from sqlmodel import select

from accounts.models import User
from audit.models import AuditEntry
from procurement import monitoring as service
from procurement import monitoring_close as closing
from procurement.monitoring_models import Contract, ContractReport, ReportEvidence
from registry.models import Enterprise, Reference
from registry.validation import ValidationError

PDF = b"%PDF-1.4 evidence"


def _user(session, email):
    return session.exec(select(User).where(User.email == email)).one()


def _contract(session):
    return session.exec(select(Contract)).one()


def test_finalise_creates_the_contract_with_the_winning_commitments(app, session):
    """The finalise service (demo.bids) creates the contract; the monitoring loader is not run."""
    from common.db import get_session
    from demo import LOADERS
    import importlib

    with app.app_context():
        db = get_session()
        for spec in LOADERS[:LOADERS.index("demo.monitoring:load")]:
            module, func = spec.split(":")
            getattr(importlib.import_module(module), func)(db)
            db.commit()
    contract = _contract(session)
    assert contract.initial_amount == Decimal("92000.00") and contract.committed_hours == Decimal("950")
    assert contract.commitments["hours"]["value"] == "950"
    assert contract.clause_parameters == {"total_rate": "2.5", "partial_rate": "1.5", "tolerance": "10",
                                          "report_day": 10, "source": "social-clause-penalties@1"}
    assert contract.start_date.day == 1
    actions = [e.action for e in session.exec(select(AuditEntry).order_by(AuditEntry.id))]
    assert actions.index("contract.created") == actions.index("evaluation.finalised") + 1


def test_demo_contract_and_idempotent_creation(demo, session):
    from demo.monitoring import load
    from procurement.bid_models import Evaluation
    from procurement.models import Lot, Tender

    contract = _contract(session)
    reports = service.reports_of(session, contract)
    assert [r.status for r in reports] == ["validated", "validated", "contested", "validated", "submitted"]
    assert [r.late for r in reports] == [False, False, False, True, False]
    with demo.app_context():
        from common.db import get_session
        assert load(get_session()) == "monitoring: already present"
    evaluation = session.get(Evaluation, contract.evaluation_id)
    again = service.create_contracts_for_award(session, session.get(Tender, contract.tender_id),
                                               session.get(Lot, contract.lot_id), evaluation, None)
    assert again.id == contract.id
    info = closing.summary(session, contract)
    assert info.delivered == Decimal(24 + 44 + 42)  # validated reports only
    assert info.undecided == 1 and info.late


def _file(session, contract, user, tmp_path, **changes):
    data = {"period": contract.start_date.isoformat(), "insertion_hours": "5", "training_hours": "0",
            "subcontracted_hours": "0", "subcontractor": "", "people": "1", "comment": ""} | changes
    evidence = changes.pop("evidence", [("proof.pdf", PDF)])
    data.pop("evidence", None)
    return service.file_report(session, contract, user, data, evidence, upload_dir=str(tmp_path), max_bytes=1000)


BAD_INPUT = [
    ({"period": "2001-01-01"}, "period"),
    ({"period": "not a date"}, "period"),
    ({"period": "2099-01-01"}, "period"),
    ({}, "period"),  # the first period already has a (validated) report
    ({"insertion_hours": "-3"}, "insertion_hours"),
    ({"training_hours": "lots"}, "training_hours"),
    ({"subcontracted_hours": "4", "subcontractor": ""}, "subcontractor"),
    ({"subcontracted_hours": "4", "subcontractor": "0431150351"}, "subcontractor"),  # invalid number
    ({"subcontracted_hours": "4", "subcontractor": "0403019261"}, "subcontractor"),  # valid, not in registry
    ({"people": "-1"}, "people"),
    ({"evidence": [("big.pdf", PDF + b"0" * 2000)]}, "evidence"),
    ({"evidence": [("fake.pdf", b"<html>")]}, "evidence"),
]


def test_bad_report_input_names_the_field_and_writes_nothing(demo, session, tmp_path):
    contract = _contract(session)
    firm = _user(session, "firm@demo.example")
    before = len(service.reports_of(session, contract))
    for changes, field in BAD_INPUT:
        changes = dict(changes)
        if "period" not in changes and field != "period":
            changes["period"] = service.reports_of(session, contract)[2].period_start.isoformat()  # contested
        with pytest.raises(ValidationError) as exc:
            _file(session, contract, firm, tmp_path, **changes)
        session.rollback()
        assert exc.value.field == field, (changes, exc.value.errors)
        assert len(service.reports_of(session, contract)) == before
        assert not (tmp_path / "monitoring").exists() or not any((tmp_path / "monitoring").iterdir())


def test_only_the_contractor_files_and_only_the_buyer_decides(demo, session, tmp_path):
    contract = _contract(session)
    with pytest.raises(PermissionError):
        _file(session, contract, _user(session, "bidder3@demo.example"), tmp_path)
    with pytest.raises(PermissionError):
        _file(session, contract, _user(session, "buyer@demo.example"), tmp_path)
    pending = service.reports_of(session, contract)[-1]
    for email in ("firm@demo.example", "auditor@demo.example", "admin@demo.example"):
        with pytest.raises(PermissionError):
            service.decide_report(session, pending, _user(session, email), validate=True)
    with pytest.raises(ValidationError) as exc:
        service.decide_report(session, pending, _user(session, "buyer@demo.example"), validate=False, reason=" ")
    assert exc.value.field == "reason"


def test_contested_period_can_be_reported_again_with_evidence(demo, session, tmp_path):
    contract = _contract(session)
    firm = _user(session, "firm@demo.example")
    contested = service.reports_of(session, contract)[2]
    partner = session.exec(select(Enterprise).where(Enterprise.id != contract.enterprise_id,
                                                    Enterprise.status == "validated",
                                                    Enterprise.enterprise_number.is_not(None))).first()
    report = _file(session, contract, firm, tmp_path, period=contested.period_start.isoformat(),
                   subcontracted_hours="3,5", subcontractor=partner.enterprise_number)
    assert report.version == 2 and report.subcontractor_id == partner.id and report.late
    item = session.exec(select(ReportEvidence).where(ReportEvidence.report_id == report.id)).one()
    assert (Path(tmp_path) / "monitoring" / item.stored_name).read_bytes() == PDF
    assert item.stored_name != "proof.pdf"
    with pytest.raises(ValidationError):  # filed twice for the same period
        _file(session, contract, firm, tmp_path, period=contested.period_start.isoformat())


def test_close_with_partial_penalty_no_certificate(demo, session):
    contract = _contract(session)
    buyer = _user(session, "buyer@demo.example")
    pending = service.reports_of(session, contract)[-1]
    with pytest.raises(ValidationError) as exc:
        closing.close_contract(session, contract, buyer)
    assert exc.value.field == "close"
    service.decide_report(session, pending, buyer, validate=True)
    closing.close_contract(session, contract, buyer)
    assert contract.delivered_hours == Decimal(146)
    assert contract.penalty["case"] == "partial" and contract.penalty["amount"] == "1167.92"
    assert "1,5\xa0%" in contract.penalty["explain"]["fr"] and contract.satisfactory is False
    assert contract.certificate_number is None and contract.reference_id is None


def test_close_within_tolerance_issues_certificate_and_reference(demo, session):
    contract = _contract(session)
    buyer = _user(session, "buyer@demo.example")
    service.decide_report(session, service.reports_of(session, contract)[-1], buyer, validate=True)
    contract.committed_hours = Decimal(160)  # 146 delivered: 14 short, within one tenth (16)
    session.add(contract)
    session.commit()
    closing.close_contract(session, contract, buyer)
    assert contract.satisfactory and contract.penalty["amount"] == "0.00"
    assert contract.certificate_number == "CERT-DEMO-2026-001-L1"
    reference = session.get(Reference, contract.reference_id)
    assert reference.enterprise_id == contract.enterprise_id and "CERT-DEMO-2026-001-L1" in reference.description
    with pytest.raises(ValidationError):
        closing.close_contract(session, contract, buyer)  # already closed


def test_contracts_sync_cli_is_idempotent(demo, runner, session):
    contract = _contract(session)
    result = runner.invoke(args=["contracts", "sync"])
    assert result.exit_code == 0 and "0 contract(s) created" in result.output
    assert _contract(session).id == contract.id
