"""A crash in the middle of a registry import, a document generation or an evaluation finalisation
leaves the database exactly as before (issue 9): the failure is injected with monkeypatch inside the
service after some rows have been written (not committed), and a dump of every table is compared."""
from __future__ import annotations

import pytest

from tests.bid_helpers import (  # noqa: F401 - fixtures
    accept_justification, finalise, lot_url, open_bids, pass_deadline, rate_all, submit_all, world,
)
from tests.db_dump import diff_dumps, dump_tables
from tests.registry_helpers import number


class Injected(RuntimeError):
    pass


def test_crash_during_registry_import_writes_nothing(app, runner, session, tmp_path, monkeypatch):
    from registry import importer

    header = ("name,enterprise_number,legal_form,types,postal_code,municipality,website,email,cpv_codes,"
              "nace_codes,staff_total,staff_disadvantaged")
    rows = [f"Atelier Crash {i} ASBL,{number(i)},ASBL,insertion,5000,Namur,,,90910000,,10,5" for i in (1, 2, 3)]
    path = tmp_path / "import.csv"
    path.write_text("\n".join([header] + rows) + "\n", encoding="utf-8")
    before = dump_tables(session)
    real, calls = importer._write, []

    def write_then_crash(*args, **kwargs):
        result = real(*args, **kwargs)  # the first profiles are written (flushed) ...
        calls.append(result)
        if len(calls) == 2:
            raise Injected("disk full")  # ... then the import dies
        return result

    monkeypatch.setattr(importer, "_write", write_then_crash)
    result = runner.invoke(args=["registry", "import", str(path)])
    assert isinstance(result.exception, Injected) and len(calls) == 2, result.output
    assert diff_dumps(before, dump_tables(session)) == []
    # Control: without the failure the same file is imported (so the dump can change).
    monkeypatch.setattr(importer, "_write", real)
    assert runner.invoke(args=["registry", "import", str(path)]).exit_code == 0
    assert diff_dumps(before, dump_tables(session)) != []


def _ready_to_finalise(client, world, session):
    submit_all(client, world)
    pass_deadline(session, world)
    assert open_bids(client, world).status_code == 302
    rate_all(client, world, session)
    accept_justification(client, world, session)


def test_crash_during_finalisation_writes_nothing(app, client, world, session, monkeypatch):
    import procurement.monitoring as monitoring

    _ready_to_finalise(client, world, session)
    before = dump_tables(session)
    real = monitoring.create_contracts_for_award

    def contracts_then_crash(*args, **kwargs):
        real(*args, **kwargs)  # evaluation row, audit entry and contract written, not committed
        raise Injected("power cut")

    monkeypatch.setattr(monitoring, "create_contracts_for_award", contracts_then_crash)
    app.config["PROPAGATE_EXCEPTIONS"] = False
    assert finalise(client, world).status_code == 500
    assert diff_dumps(before, dump_tables(session)) == []
    monkeypatch.setattr(monitoring, "create_contracts_for_award", real)
    assert finalise(client, world).status_code == 302
    assert diff_dumps(before, dump_tables(session)) != []


def test_crash_during_document_generation_writes_nothing(app, client, world, session, monkeypatch):
    """The scoring report (a generated PDF that records a "document.generated" audit entry): the
    entry is written, then generation fails - the entry must not stay."""
    from audit import log as audit_log
    from procurement import opening
    from tests.bid_helpers import login_user

    _ready_to_finalise(client, world, session)
    assert finalise(client, world).status_code == 302
    before = dump_tables(session)
    real_append = audit_log.append

    def append_then_crash(*args, **kwargs):
        real_append(*args, **kwargs)
        raise Injected("renderer crashed")

    monkeypatch.setattr(opening.audit_log, "append", append_then_crash)
    app.config["PROPAGATE_EXCEPTIONS"] = False
    login_user(client, world.users["buyer"])
    response = client.get(lot_url(world, "report.pdf"))
    assert response.status_code == 500
    response.close()
    assert diff_dumps(before, dump_tables(session)) == []
