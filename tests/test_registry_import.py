"""`flask registry import|search|export`: formats, all-or-nothing, line/column reports, upsert."""
import json
import os

from sqlmodel import func, select

from audit.models import AuditEntry
from registry.models import Accreditation, Activity, Enterprise, EnterpriseChange
from tests.registry_helpers import number

HEADER = ("name,enterprise_number,legal_form,types,postal_code,municipality,website,email,cpv_codes,nace_codes,"
          "staff_total,staff_disadvantaged")
GOOD = [
    f"Atelier Récup' Meuse ASBL,{number(1)},ASBL,reuse_shop|insertion,5000,Namur,recup.example,info@recup.example,"
    "39100000|50850000-8,,42,25",
    f"Kringwinkel Scheldeland VZW,BE {number(2)},VZW,reuse_shop,9200,Dendermonde,,,39000000,47791,120,85",
    f"\"Nettoyage, Insertion & Co SRL\",{number(3)},SRL,insertion,1000,Bruxelles,,,90910000,81210,30,20",
]


def _write(tmp_path, lines, name="enterprises.csv", encoding="utf-8"):
    path = tmp_path / name
    path.write_bytes(("\n".join(lines) + "\n").encode(encoding))
    return str(path)


def _count(session, model=Enterprise):
    return session.exec(select(func.count()).select_from(model)).one()


def test_good_file_then_reimport_is_a_no_op(runner, session, tmp_path):
    path = _write(tmp_path, [HEADER] + GOOD)
    result = runner.invoke(args=["registry", "import", path])
    assert result.exit_code == 0, result.output
    assert "3 rows: 3 created, 0 updated, 0 unchanged" in result.output
    recup = session.exec(select(Enterprise).where(Enterprise.enterprise_number == number(1))).one()
    assert (recup.legal_name, recup.region, recup.status, recup.legal_form) == ("Atelier Récup' Meuse ASBL", "BE3", "pending", "asbl")
    assert sorted(session.exec(select(Accreditation.type_code).where(Accreditation.enterprise_id == recup.id)).all()) == [
        "insertion", "reuse_shop"]
    activity = session.exec(select(Activity).where(Activity.enterprise_id == recup.id)).one()
    assert activity.cpv_codes == ["39100000", "50850000"] and activity.service_type == "supplies"
    assert (activity.coverage_kind, activity.coverage_areas) == ("regions", ["BE3"])
    changes, audits = _count(session, EnterpriseChange), _count(session, AuditEntry)
    again = runner.invoke(args=["registry", "import", path])
    assert again.exit_code == 0 and "0 created, 0 updated, 3 unchanged" in again.output
    assert (_count(session, EnterpriseChange), _count(session, AuditEntry)) == (changes, audits)


def test_upsert_by_enterprise_number_updates_and_records_history(runner, session, tmp_path):
    runner.invoke(args=["registry", "import", _write(tmp_path, [HEADER] + GOOD)])
    changed = GOOD[1].replace(",120,85", ",130,90")
    result = runner.invoke(args=["registry", "import", _write(tmp_path, [HEADER, changed], "v2.csv")])
    assert result.exit_code == 0 and "1 updated" in result.output
    kring = session.exec(select(Enterprise).where(Enterprise.enterprise_number == number(2))).one()
    session.refresh(kring)
    assert kring.staff_total == 130
    last = session.exec(select(EnterpriseChange).where(EnterpriseChange.enterprise_id == kring.id)
                        .order_by(EnterpriseChange.id.desc())).first()
    assert last.action == "imported" and last.changes["staff_total"] == [120, 130]


def test_bad_rows_are_all_reported_and_nothing_is_written(runner, session, tmp_path):
    lines = [HEADER, GOOD[0],
             "Numéro faux,0431150351,ASBL,insertion,5000,Namur,,,90910000,,10,5",
             f"CPV inconnu,{number(5)},ASBL,insertion,5000,Namur,,,99999999,,10,5",
             f"Trop de défavorisés,{number(6)},ASBL,insertion,5000,Namur,,,90910000,,10,11",
             f"Négatif,{number(7)},ASBL,insertion,5000,Namur,,,90910000,,-4,",
             f"<script>alert(1)</script> ASBL,{number(8)},ASBL,teleportation,5000,Namur,,,90910000,,10,5"]
    result = runner.invoke(args=["registry", "import", _write(tmp_path, lines)])
    assert result.exit_code == 2
    out = result.output
    assert "line 3, column enterprise_number:" in out and "mod-97" in out
    assert "line 4, column cpv_codes: Unknown CPV code: 99999999" in out
    assert "line 5, column staff_disadvantaged:" in out
    assert "line 6, column staff_total: The number cannot be below 0" in out
    assert "line 7, column types:" in out and "teleportation" in out
    assert "Nothing was written" in out
    assert _count(session) == 0


def test_skip_invalid_writes_the_good_rows(runner, session, tmp_path):
    lines = [HEADER, GOOD[0], "Numéro faux,0431150351,ASBL,insertion,5000,Namur,,,90910000,,10,5", GOOD[1]]
    result = runner.invoke(args=["registry", "import", "--skip-invalid", _write(tmp_path, lines)])
    assert result.exit_code == 0, result.output
    assert "line 3, column enterprise_number" in result.output and "2 created" in result.output
    assert _count(session) == 2


def test_dry_run_writes_nothing(runner, session, tmp_path):
    result = runner.invoke(args=["registry", "import", "--dry-run", _write(tmp_path, [HEADER] + GOOD)])
    assert result.exit_code == 0 and "3 created" in result.output and "Dry run" in result.output
    assert _count(session) == 0 and _count(session, AuditEntry) == 0


def test_windows_1252_with_semicolons(runner, session, tmp_path):
    lines = [HEADER.replace(",", ";"),
             f"Entreprise d'économie sociale Hainaut;{number(11)};SC;insertion;7000;Mons;;;45000000;;20;12",
             f"Atelier Récup' Sambre;{number(12)};ASBL;reuse_shop;6000;Charleroi;;;39000000;;8;4"]
    path = _write(tmp_path, lines, encoding="cp1252")
    assert "é".encode("cp1252") in (tmp_path / "enterprises.csv").read_bytes()
    result = runner.invoke(args=["registry", "import", "--status", "validated", path])
    assert result.exit_code == 0, result.output
    names = sorted(session.exec(select(Enterprise.legal_name)).all())
    assert names == ["Atelier Récup' Sambre", "Entreprise d'économie sociale Hainaut"]
    assert set(session.exec(select(Enterprise.status)).all()) == {"validated"}


def test_broken_quote_rejects_the_file_with_its_line(runner, session, tmp_path):
    lines = [HEADER, GOOD[0], f"\"Atelier sans fin,{number(4)},ASBL,insertion,5000,Namur,,,90910000,,10,5", GOOD[1]]
    result = runner.invoke(args=["registry", "import", "--skip-invalid", _write(tmp_path, lines)])
    assert result.exit_code == 2
    assert "line 3" in result.output and "Broken quote" in result.output
    assert _count(session) == 0


def test_ten_megabytes_of_garbage(runner, session, tmp_path):
    path = tmp_path / "garbage.csv"
    path.write_bytes(os.urandom(10 * 1024 * 1024))
    result = runner.invoke(args=["registry", "import", str(path)])
    assert result.exit_code == 2 and "file:" in result.output
    assert _count(session) == 0


def test_unknown_or_missing_columns(runner, tmp_path):
    result = runner.invoke(args=["registry", "import", _write(tmp_path, ["name,enterprise_numbr", "A,0403019261"])])
    assert result.exit_code == 2 and "enterprise_numbr" in result.output


def test_json_import_with_lists(runner, session, tmp_path):
    path = tmp_path / "e.json"
    path.write_text(json.dumps([
        {"name": "Repair Café Leuven VZW", "enterprise_number": number(21), "types": ["repair_cafe"],
         "postal_code": "3000", "municipality": "Leuven", "cpv_codes": ["50000000"], "staff_total": None},
        {"name": "Sans numéro", "types": "other"}]), encoding="utf-8")
    result = runner.invoke(args=["registry", "import", str(path)])
    assert result.exit_code == 2 and "record 2, column enterprise_number: This field is required" in result.output
    assert _count(session) == 0


def test_search_and_export_commands(runner, session, tmp_path):
    lines = [HEADER] + GOOD + [f"=HYPERLINK(\"http://evil.example\"),{number(9)},ASBL,other,5000,Namur,,,90910000,,,"]
    assert runner.invoke(args=["registry", "import", _write(tmp_path, lines)]).exit_code == 0
    result = runner.invoke(args=["registry", "search", "kringwinkl scheldland", "--json", "--limit", "3"])
    assert result.exit_code == 0, result.output
    found = json.loads(result.output)
    assert found[0]["name"] == "Kringwinkel Scheldeland VZW" and found[0]["enterprise_number"] == number(2)
    assert {"id", "name", "enterprise_number", "score"} <= set(found[0]) and found[0]["score"] > 80
    exported = runner.invoke(args=["registry", "export", "--format", "csv"]).output
    assert exported.splitlines()[0].startswith(HEADER)
    assert "'=HYPERLINK" in exported
    data = json.loads(runner.invoke(args=["registry", "export", "--format", "json"]).output)
    assert len(data) == 4 and data[0]["types"] == "insertion|reuse_shop"
    # An export can be imported again: nothing changes.
    out = tmp_path / "export.csv"
    runner.invoke(args=["registry", "export", "-o", str(out)])
    text = out.read_text("utf-8").replace("'=HYPERLINK", "=HYPERLINK")
    header, *rows = text.splitlines()
    keep = [c for c in header.split(",") if c in HEADER.split(",")]
    import csv
    import io

    reader = csv.DictReader(io.StringIO(text))
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=keep, extrasaction="ignore")
    writer.writeheader()
    writer.writerows(reader)
    (tmp_path / "again.csv").write_text(buffer.getvalue(), "utf-8")
    again = runner.invoke(args=["registry", "import", str(tmp_path / "again.csv")])
    assert again.exit_code == 0 and "4 unchanged" in again.output, again.output
