"""Reference data: the starter sets shipped in the repository and the importers, run on the real
files of ../shared/data (never copied into the repository)."""
import csv
import json
from pathlib import Path

import pytest
from sqlmodel import func, select

from registry import refdata
from registry.geo import NUTS3, REGIONS, distance_km, nuts3_within, region_of_postal_code
from registry.refdata_models import CpvCode, Municipality, NaceCode, PostalCode
from registry.refdata_starter import STARTER_CPV

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"


def test_starter_cpv_codes_are_real_cpv_codes_with_their_official_english_label():
    official = {k[:8]: v for k, v in json.loads((DATA / "cpv" / "cpv2008-en.json").read_text("utf-8")).items()}
    for code, en, fr, nl in STARTER_CPV:
        assert official.get(code) == en, code
        assert fr and nl
    codes = {code for code, *_ in STARTER_CPV}
    assert {"45000000", "90910000", "77310000", "55520000", "79800000", "50000000", "39000000"} <= codes


def test_starter_nuts3_are_the_44_belgian_nuts_2021_areas():
    with (DATA / "geo" / "nuts2021-be-all-levels.csv").open(encoding="utf-8") as fh:
        level3 = {row["code"] for row in csv.DictReader(fh) if len(row["code"]) == 5 and row["code"] != "BEZZZ"}
    assert set(NUTS3) == level3 and len(NUTS3) == 44
    assert set(REGIONS) == {"BE1", "BE2", "BE3"}


def test_approximate_distances():
    assert 20 < distance_km("BE352", "BE351") < 30  # Namur - Dinant
    assert 100 < distance_km("BE100", "BE341") < 180  # Brussels - Arlon
    assert "BE351" in nuts3_within("BE352", 30) and "BE341" not in nuts3_within("BE352", 30)
    assert [region_of_postal_code(p) for p in ("1000", "1300", "2000", "5000", "9000", "0999")] == [
        "BE1", "BE3", "BE2", "BE3", "BE2", ""]


def test_cpv_importer_on_the_official_list(runner, session):
    assert refdata.unknown_cpv(session, ["45233140", "90910000"]) == ["45233140"]  # before: starter set only
    result = runner.invoke(args=["refdata", "import", "cpv", str(DATA / "cpv" / "cpv2008-en.json")])
    assert result.exit_code == 0, result.output
    assert "9454 added" in result.output
    assert session.exec(select(func.count()).select_from(CpvCode)).one() == 9454
    assert refdata.unknown_cpv(session, ["45233140", "90910000", "99999999"]) == ["99999999"]
    again = runner.invoke(args=["refdata", "import", "cpv", str(DATA / "cpv" / "cpv2008-en.json")])
    assert "0 added, 0 updated, 9454 unchanged" in again.output
    # The Annex XIV list adds French and Dutch labels.
    result = runner.invoke(args=["refdata", "import", "cpv", str(DATA / "cpv" / "cpv-social-services-annexXIV.csv")])
    assert result.exit_code == 0, result.output
    row = session.get(CpvCode, "79622000")
    session.refresh(row)
    assert row.label_fr.startswith("Services de mise à disposition") and row.label_nl


def test_nace_importer_pads_the_lost_leading_zeros(runner, session):
    result = runner.invoke(args=["refdata", "import", "nace", str(DATA / "nace" / "nacebel2008.csv")])
    assert result.exit_code == 0, result.output
    item = session.get(NaceCode, "0111001")
    assert item is not None and item.parent == "01110" and item.level == 6
    assert session.get(NaceCode, "88991").label_fr
    assert session.get(NaceCode, "A").level == 1
    assert refdata.unknown_nace(session, ["88991", "99999"]) == ["99999"]


def test_nace_without_the_imported_list_uses_nace_rev2():
    class NoTable:
        def exec(self, _query):
            class R:
                def first(self):
                    return None
            return R()
    assert refdata.unknown_nace(NoTable(), ["8899", "88991", "9999"]) == ["9999"]


def test_municipality_importers(runner, session, app):
    from registry.services import sourcing_candidates
    from tests.registry_helpers import make_enterprise

    make_enterprise(session, "Jardins de Gand", 1, postal_code="9000", municipality="Gent", nuts3="BE234",
                    activities=(("services", "77310000", "municipalities", ["Gand", "Eeklo"], None),))
    assert [c.name for c in sourcing_candidates(session, ["77310000"], nuts3="BE233")] == []
    def current():
        return session.exec(select(func.count()).select_from(Municipality).where(Municipality.current)).one()

    for name in ("refnis2025.csv", "be-municipalities-581-2020.csv", "be-postcodes-localities-2013.csv"):
        result = runner.invoke(args=["refdata", "import", "municipalities", str(DATA / "geo" / name)])
        assert result.exit_code == 0, result.output
        if name == "refnis2025.csv":
            # 565 municipalities since 2025; the source has 566 open-ended rows (its README's quirk).
            assert current() == 566
    # The 2020 list adds the merged ones, flagged as past when REFNIS names them as predecessors
    # (a few merged in 2025 are not named so in the source and stay flagged current).
    assert 566 < current() < 580
    namur = session.get(Municipality, "92094")
    assert (namur.name_fr, namur.nuts3, namur.region) == ("Namur", "BE352", "BE3")
    assert session.get(Municipality, "63023").nuts3 == "BE336"  # Eupen: German-speaking Community
    assert session.exec(select(func.count()).select_from(PostalCode)).one() > 2500
    with app.app_context():
        from common.db import get_session

        place = refdata.resolve_place(get_session(), "5000")
        assert place.nuts3 == "BE352" and place.kind == "municipality"
        assert refdata.resolve_place(get_session(), "Gand").nuts3 == "BE234"
        assert refdata.resolve_seat(get_session(), "1348", "", "") == ("BE310", "BE3")  # Louvain-la-Neuve
    # Coverage by municipality follows the imported list: Eeklo lies in the arrondissement BE233.
    assert [c.name for c in sourcing_candidates(session, ["77310000"], nuts3="BE233")] == ["Jardins de Gand"]
    again = runner.invoke(args=["refdata", "import", "municipalities", str(DATA / "geo" / "refnis2025.csv")])
    assert " 0 added, 0 updated" in " " + again.output.split(": ", 1)[1]


def test_without_imported_municipalities_places_fall_back_to_the_starter_set(app):
    with app.app_context():
        from common.db import get_session

        session = get_session()
        assert refdata.resolve_place(session, "be352").nuts3 == "BE352"
        assert refdata.resolve_place(session, "Namur").nuts3 == "BE352"  # arrondissement name
        assert refdata.resolve_place(session, "9000").kind == "region"  # postal range only
        assert refdata.resolve_place(session, "Atlantis") is None


@pytest.mark.parametrize("kind", ["cpv", "nace", "municipalities"])
def test_refdata_import_rejects_other_files(runner, kind, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("foo,bar\n1,2\n", encoding="utf-8")
    result = runner.invoke(args=["refdata", "import", kind, str(bad)])
    assert result.exit_code == 2 and "Rejected" in result.output
