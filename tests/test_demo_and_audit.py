"""Demo data loading is idempotent; the audit log chain detects tampering."""
from sqlalchemy import func, text
from sqlmodel import select

from accounts.models import User
from audit import log as audit_log
from audit.models import AuditEntry


def _row_counts(session):
    from common.migrate import models_metadata

    counts = {}
    for table in models_metadata().sorted_tables:
        if table.name in {"audit_entry", "login_attempt"}:
            continue
        counts[table.name] = session.exec(select(func.count()).select_from(table)).one()
    return counts


def test_demo_load_is_idempotent(runner, session):
    first = runner.invoke(args=["demo", "load"])
    assert first.exit_code == 0, first.output
    before = _row_counts(session)
    second = runner.invoke(args=["demo", "load"])
    assert second.exit_code == 0, second.output
    assert _row_counts(session) == before
    emails = set(session.exec(select(User.email)).all())
    assert {"buyer@demo.example", "firm@demo.example", "auditor@demo.example", "admin@demo.example"} <= emails
    assert "demo-2026" in second.output


def test_audit_chain_verifies_and_detects_tampering(app, session, runner):
    for i in range(3):
        audit_log.append(session, "test.event", object_type="thing", object_id=i, details={"n": i})
    session.commit()
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 0 and "3 entries" in result.output
    # Tamper behind the app's back (as someone with database access would).
    session.execute(text("UPDATE audit_entry SET details = '{\"n\": 99}' WHERE id = 2"))
    session.commit()
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 1
    assert "entry 2" in result.output


def test_audit_entries_cannot_be_changed_through_the_app(app, session):
    import pytest

    entry = audit_log.append(session, "test.event")
    session.commit()
    entry.action = "rewritten"
    with pytest.raises(audit_log.AuditLogImmutable):
        session.commit()
    session.rollback()
    assert session.get(AuditEntry, entry.id).action == "test.event"
