"""OCDS export (procurement.ocds, procurement.ocds_services, ``flask tender export-ocds``).

Every package is validated against the official OCDS 1.1.5 release-package schema patched with
the release schemas of the extensions in ../shared/data/ocds/extensions (JSON Merge Patch,
RFC 7386, as the OCDS extension rules say), and every coded value is looked up in the official
code lists (OCDS, extensions, eForms SDK) read from ../shared/data.
"""
from __future__ import annotations

import copy
import csv
import json
import re
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from functools import cache
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jsonschema import Draft4Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

from procurement import ocds

DATA = Path(__file__).resolve().parents[1] / ".." / "shared" / "data"
OCDS_DIR = DATA / "ocds"
EXTENSIONS = ("ocds_lots_extension", "ocds_awardCriteria_extension", "ocds_sustainability_extension",
              "ocds_otherRequirements_extension", "ocds_bid_extension")
RELEASE_URL = "https://standard.open-contracting.org/schema/1__1__5/release-schema.json"
DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")


# --- schema and code lists ---------------------------------------------------------------------------

def merge_patch(target, patch):
    """RFC 7386 JSON Merge Patch (null deletes a member; objects merge; anything else replaces)."""
    if not isinstance(patch, dict):
        return copy.deepcopy(patch)
    result = copy.deepcopy(target) if isinstance(target, dict) else {}
    for key, value in patch.items():
        if value is None:
            result.pop(key, None)
        else:
            result[key] = merge_patch(result.get(key), value)
    return result


@cache
def release_schema() -> dict:
    schema = json.loads((OCDS_DIR / "1.1.5" / "release-schema.json").read_text(encoding="utf-8"))
    for name in EXTENSIONS:
        patch = json.loads((OCDS_DIR / "extensions" / name / "release-schema.json").read_text(encoding="utf-8"))
        schema = merge_patch(schema, patch)
    return schema


@cache
def package_validator() -> Draft4Validator:
    package = json.loads((OCDS_DIR / "1.1.5" / "release-package-schema.json").read_text(encoding="utf-8"))
    registry = Registry().with_resource(RELEASE_URL, Resource(contents=release_schema(), specification=DRAFT4))
    return Draft4Validator(package, registry=registry, format_checker=Draft4Validator.FORMAT_CHECKER)


def codes(path: Path, column: str = "Code") -> set[str]:
    with path.open(encoding="utf-8", newline="") as handle:
        return {row[column] for row in csv.DictReader(handle)}


@cache
def code_lists() -> dict[str, set[str]]:
    core = OCDS_DIR / "1.1.5" / "codelists"
    ext = OCDS_DIR / "extensions"
    eforms = DATA / "eforms-codelists"
    return {
        "releaseTag": codes(core / "releaseTag.csv"), "initiationType": codes(core / "initiationType.csv"),
        "tenderStatus": codes(core / "tenderStatus.csv"), "awardStatus": codes(core / "awardStatus.csv"),
        "procurementCategory": codes(core / "procurementCategory.csv"), "method": codes(core / "method.csv"),
        "awardCriteria": codes(core / "awardCriteria.csv"), "currency": codes(core / "currency.csv"),
        "partyRole": codes(core / "partyRole.csv"),
        "itemClassificationScheme": codes(core / "itemClassificationScheme.csv"),
        "bidStatus": codes(ext / "ocds_bid_extension" / "codelists" / "bidStatus.csv"),
        "statistic": codes(ext / "ocds_bid_extension" / "codelists" / "statistic.csv"),
        "awardCriterionType": codes(ext / "ocds_awardCriteria_extension" / "codelists" / "awardCriterionType.csv"),
        "criterionWeight": codes(ext / "ocds_awardCriteria_extension" / "codelists" / "criterionWeight.csv"),
        "sustainabilityGoal": codes(ext / "ocds_sustainability_extension" / "codelists" / "sustainabilityGoal.csv"),
        "sustainabilityStrategy": codes(ext / "ocds_sustainability_extension" / "codelists"
                                        / "sustainabilityStrategy.csv"),
        "reservedParticipation": codes(ext / "ocds_otherRequirements_extension" / "codelists"
                                       / "reservedParticipation.csv"),
        "BT-06": codes(eforms / "strategic-procurement.csv", "code"),
        "BT-775": codes(eforms / "social-objective.csv", "code"),
        "BT-71": codes(eforms / "reserved-procurement.csv", "code"),
        "BT-539": codes(eforms / "award-criterion-type.csv", "code"),
        "BT-5421": codes(eforms / "number-weight.csv", "code"),
        "nuts3": codes(DATA / "geo" / "nuts2024-be-level3.csv", "code"),
        "cpv": {key.split("-")[0]
                for key in json.loads((DATA / "cpv" / "cpv2008-en.json").read_text(encoding="utf-8"))},
        "orgScheme": {row["code"] for row in json.loads((OCDS_DIR / "org-identifier-schemes-en.json")
                                                        .read_text(encoding="utf-8"))["data"]},
    }


def _check(values, listname: str, where: str) -> None:
    allowed = code_lists()[listname]
    for value in ([values] if isinstance(values, str) else values):
        assert value in allowed, f"{where}: {value!r} is not in the {listname} code list"


def _check_eforms(eforms: dict, where: str) -> None:
    _check(eforms["BT-06"], "BT-06", where)
    _check(eforms["BT-71"], "BT-71", where)
    _check(eforms.get("BT-775", []), "BT-775", where)
    # BT-736 uses the eForms "applicability" list (yes/no), not in ../shared/data.
    assert eforms["BT-736"] in {"yes", "no"}
    if "BT-262" in eforms:
        _check(eforms["BT-262"], "cpv", where)
    if "BT-5071" in eforms:
        _check(eforms["BT-5071"], "nuts3", where)
    for criterion in eforms.get("criteria", []):
        _check(criterion["BT-539"], "BT-539", where)
        _check(criterion["BT-5421"], "BT-5421", where)
        assert isinstance(criterion["BT-541"], (int, float))


def _check_address(address: dict, where: str) -> None:
    core = Draft4Validator(release_schema()["definitions"]["Address"])
    assert not list(core.iter_errors(address)), where
    if "region" in address:
        _check(address["region"], "nuts3", where)


def _check_terms(terms: dict, where: str) -> None:
    # contractTerms extension (its schema is not in ../shared/data): the two fields we use.
    assert set(terms) <= {"reservedExecution", "performanceTerms"}, where
    assert isinstance(terms["reservedExecution"], bool)
    if "performanceTerms" in terms:
        assert isinstance(terms["performanceTerms"], str) and terms["performanceTerms"]


def _check_sustainability(container: dict, where: str) -> None:
    assert isinstance(container["hasSustainability"], bool)
    for entry in container.get("sustainability", []):
        _check(entry["goal"], "sustainabilityGoal", where)
        _check(entry.get("strategies", []), "sustainabilityStrategy", where)
    if "otherRequirements" in container:
        _check(container["otherRequirements"]["reservedParticipation"], "reservedParticipation", where)


def assert_valid_package(package: dict) -> None:
    """Schema-valid (1.1.5 + extensions) and every code in its code list."""
    errors = sorted(package_validator().iter_errors(package), key=lambda e: list(e.absolute_path))
    assert not errors, "\n".join(f"{list(e.absolute_path)}: {e.message}" for e in errors[:10])
    assert package["version"] == "1.1"
    assert DATE_RE.match(package["publishedDate"])
    ids = [r["id"] for r in package["releases"]]
    assert len(ids) == len(set(ids))
    for release in package["releases"]:
        where = release["id"]
        assert release["ocid"].startswith(ocds.DEFAULT_OCID_PREFIX + "-") or release["ocid"]
        assert DATE_RE.match(release["date"]), where
        _check(release["tag"], "releaseTag", where)
        _check(release["initiationType"], "initiationType", where)
        party_ids = {p["id"] for p in release["parties"]}
        assert release["buyer"]["id"] in party_ids
        for party in release["parties"]:
            _check(party["roles"], "partyRole", where)
            if "identifier" in party:
                _check(party["identifier"]["scheme"], "orgScheme", where)
                assert party["identifier"]["scheme"] == "BE-BCE_KBO"
                assert re.fullmatch(r"\d{10}", party["identifier"]["id"])
            _check_address(party["address"], where)
        tender = release["tender"]
        _check(tender["status"], "tenderStatus", where)
        _check(tender["mainProcurementCategory"], "procurementCategory", where)
        if "procurementMethod" in tender:
            _check(tender["procurementMethod"], "method", where)
        if "awardCriteria" in tender:
            _check(tender["awardCriteria"], "awardCriteria", where)
        for value in _values(release):
            _check(value["currency"], "currency", where)
        _check_sustainability(tender, where)
        _check_terms(tender["contractTerms"], where)
        _check_eforms(tender["eforms"], where)
        lot_ids = {lot["id"] for lot in tender["lots"]}
        for item in tender.get("items", []):
            _check(item["classification"]["scheme"], "itemClassificationScheme", where)
            assert item["classification"]["scheme"] == "CPV"
            _check(item["classification"]["id"], "cpv", where)
            for extra in item.get("additionalClassifications", []):
                _check(extra["id"], "cpv", where)
            for address in item.get("deliveryAddresses", []):
                _check_address(address, where)
            if "relatedLot" in item:
                assert item["relatedLot"] in lot_ids
        for lot in tender["lots"]:
            _check(lot["status"], "tenderStatus", where)
            _check_sustainability(lot, where)
            _check_terms(lot["contractTerms"], where)
            _check_eforms(lot["eforms"], where)
            for criterion in lot.get("awardCriteria", {}).get("criteria", []):
                _check(criterion["type"], "awardCriterionType", where)
                for number in criterion["numbers"]:
                    _check(number["weight"], "criterionWeight", where)
            weights = [n for c in lot.get("awardCriteria", {}).get("criteria", []) for n in c["numbers"]
                       if n["weight"] == "percentageExact"]
            if weights:
                assert abs(sum(n["number"] for n in weights) - 100) < 1e-9, "percentageExact must add up to 100"
        bids = release.get("bids")
        if bids:
            for stat in bids["statistics"]:
                _check(stat["measure"], "statistic", where)
                assert stat["relatedLot"] in lot_ids
            for bid in bids.get("details", []):
                _check(bid["status"], "bidStatus", where)
                assert set(bid["relatedLots"]) <= lot_ids
                assert {t["id"] for t in bid["tenderers"]} <= party_ids
        for award in release.get("awards", []):
            _check(award["status"], "awardStatus", where)
            assert {s["id"] for s in award.get("suppliers", [])} <= party_ids
            assert set(award["relatedLots"]) <= lot_ids
            if "relatedBid" in award:
                assert award["relatedBid"] in {b["id"] for b in (bids or {}).get("details", [])}


def _values(node):
    """Every OCDS Value object ({"amount", "currency"}) in a release."""
    if isinstance(node, dict):
        if set(node) == {"amount", "currency"} and isinstance(node["amount"], (int, float)):
            yield node
        for value in node.values():
            yield from _values(value)
    elif isinstance(node, list):
        for value in node:
            yield from _values(value)


def test_validator_rejects_wrong_codes_and_shapes():
    """The checks above can fail: a bad weight code, a string amount, a bad goal are caught."""
    package = ocds.build_release_package(built_tender())
    assert_valid_package(package)
    broken = copy.deepcopy(package)
    broken["releases"][0]["tender"]["lots"][0]["awardCriteria"]["criteria"][0]["numbers"][0]["weight"] = "percent"
    assert list(package_validator().iter_errors(broken))
    broken = copy.deepcopy(package)
    broken["releases"][0]["tender"]["value"]["amount"] = "480000"
    assert list(package_validator().iter_errors(broken))
    broken = copy.deepcopy(package)
    broken["releases"][0]["tender"]["lots"][0]["sustainability"][0]["goal"] = "social.invented"
    with pytest.raises(AssertionError, match="sustainabilityGoal"):
        assert_valid_package(broken)


# --- built variants (pure builder) -------------------------------------------------------------------

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc)
BUYER = ocds.PartyData("Commune de Testville", "0207000000", locality="Namur", nuts3="BE352")
FIRM_A = ocds.PartyData("Atelier A ASBL", "0403019261", street="Rue A 1", postal_code="5000", locality="Namur",
                        nuts3="BE352")
FIRM_B = ocds.PartyData("Firme B SRL", "0428759497", postal_code="1000", locality="Bruxelles")
PRICE = ocds.CriterionData("price", "price", "Price", Decimal("60"))
HOURS = ocds.CriterionData("hours", "quantity", "Insertion hours", Decimal("25"), is_social=True)
PLAN = ocds.CriterionData("plan", "rating", "Quality of the plan", Decimal("15"), is_social=True)


def _library_clause(clause_id: str, lot_number: int | None = None) -> ocds.ClauseData:
    from clauses.library import default_library

    clause = default_library().get(clause_id)
    return ocds.ClauseData(clause.id, clause.version, clause.category, clause.title["en"],
                           f"{clause.title['en']}: summary", lot_number, dict(clause.ocds), dict(clause.eforms))


def built_tender(*, lots=None, clauses=(), opened=False, bids=(), awards=(), status="published",
                 nuts3="BE352") -> ocds.TenderData:
    lots = lots if lots is not None else (
        ocds.LotData(1, "Green spaces", ("77310000",), Decimal("120000"), criteria=(PRICE, HOURS, PLAN)),)
    return ocds.TenderData(
        reference="TEST-2026-001", status=status, title="Test tender", description="Test", nature="services",
        cpv_main="77310000", buyer=BUYER, published_at=T0, updated_at=T0, nuts3=nuts3, municipality="Namur",
        estimated_value=sum((lot.estimated_value for lot in lots), Decimal("0")), duration_months=12,
        procedure="open_national", bid_deadline=T0 + timedelta(days=30), opening_at=T0 + timedelta(days=30, hours=1),
        opened_at=(T0 + timedelta(days=30, hours=1)) if opened else None, lots=tuple(lots), clauses=tuple(clauses),
        bids=tuple(bids) if opened else None, awards=tuple(awards))


def _bid(code, lot, firm, price, status="pending"):
    return ocds.BidData(code, lot, firm, Decimal(price), T0 + timedelta(days=29), status)


def test_reserved_art20_lot():
    lots = (ocds.LotData(1, "Green spaces", ("77310000",), Decimal("100000"), criteria=(PRICE, HOURS, PLAN)),
            ocds.LotData(2, "Cleaning", ("90910000",), Decimal("50000"), reservation="art20",
                         criteria=(ocds.CriterionData("price", "price", "Price", Decimal("100")),)))
    package = ocds.build_release_package(built_tender(lots=lots, clauses=(_library_clause("reserved-lot-art20", 2),)))
    assert_valid_package(package)
    lot1, lot2 = package["releases"][0]["tender"]["lots"]
    assert lot2["otherRequirements"] == {"reservedParticipation": ["shelteredWorkshop"]}
    assert lot2["sustainability"] == [{"goal": "social.disadvantagedEmploymentOpportunities",
                                       "strategies": ["reservedParticipation"]}]
    assert lot2["eforms"]["BT-71"] == ["res-ws"] and lot2["eforms"]["BT-06"] == ["soc-obj"]
    assert lot2["eforms"]["BT-775"] == ["opp"]
    assert "otherRequirements" not in lot1 and lot1["eforms"]["BT-71"] == ["none"]
    assert lot1["sustainability"][0]["strategies"] == ["awardCriteria"]
    assert [(c["type"], c["numbers"][0]) for c in lot1["awardCriteria"]["criteria"]] == [
        ("price", {"number": 60, "weight": "percentageExact"}),
        ("quality", {"number": 25, "weight": "percentageExact"}),
        ("quality", {"number": 15, "weight": "percentageExact"})]
    assert [(c["BT-539"], c["BT-541"], c["BT-5421"]) for c in lot1["eforms"]["criteria"]] == [
        ("price", 60, "per-exa"), ("quality", 25, "per-exa"), ("quality", 15, "per-exa")]
    assert lot2["eforms"]["BT-262"] == "90910000" and lot2["eforms"]["BT-5071"] == "BE352"


def test_reserved_art77_whole_tender():
    clause = _library_clause("reserved-services-art77")
    package = ocds.build_release_package(built_tender(clauses=(clause,)))
    assert_valid_package(package)
    tender = package["releases"][0]["tender"]
    assert tender["otherRequirements"]["reservedParticipation"] == ["publicServiceMissionOrganization"]
    assert tender["eforms"]["BT-71"] == ["res-pub-ser"]


def test_no_social_criteria_no_sustainability():
    lots = (ocds.LotData(1, "Paper", ("30197630",), Decimal("20000"),
                         criteria=(ocds.CriterionData("price", "price", "Price", Decimal("100")),)),)
    package = ocds.build_release_package(built_tender(lots=lots))
    assert_valid_package(package)
    tender = package["releases"][0]["tender"]
    assert tender["hasSustainability"] is False and "sustainability" not in tender
    lot = tender["lots"][0]
    assert lot["hasSustainability"] is False and "sustainability" not in lot
    assert lot["eforms"]["BT-06"] == ["none"] and "BT-775" not in lot["eforms"]
    assert tender["awardCriteria"] == "priceOnly"
    assert "performanceTerms" not in tender["contractTerms"]


def test_performance_clauses_summarised():
    clauses = (_library_clause("brussels-insertion-actiris"), _library_clause("decent-work-ilo"))
    package = ocds.build_release_package(built_tender(clauses=clauses))
    assert_valid_package(package)
    tender = package["releases"][0]["tender"]
    assert tender["contractTerms"]["performanceTerms"].splitlines() == [c.summary for c in clauses]
    goals = {s["goal"]: s["strategies"] for s in tender["sustainability"]}
    assert goals["social.laborRightsPromotion"] == ["contractPerformanceConditions"]
    assert set(tender["eforms"]["BT-775"]) == {"opp", "work-cond", "hum-right"}


def test_not_opened_has_no_bids_even_when_given():
    """Before the opening the builder exports no bid at all, even if bid data were passed in."""
    data = built_tender(opened=False)
    data = ocds.TenderData(**{**data.__dict__, "bids": (_bid("B1", 1, FIRM_A, "99999.99"),)})
    package = ocds.build_release_package(data)
    assert_valid_package(package)
    assert [r["tag"] for r in package["releases"]] == [["planning", "tender"]]
    text = json.dumps(package)
    assert '"bids"' not in text and "99999.99" not in text and "Atelier A" not in text


def test_opened_and_awarded():
    bids = (_bid("B1", 1, FIRM_A, "100000.50", "valid"), _bid("B2", 1, FIRM_B, "90000", "disqualified"))
    award = ocds.AwardData(1, 1, T0 + timedelta(days=40), FIRM_A, Decimal("100000.50"), "B1")
    package = ocds.build_release_package(built_tender(opened=True, bids=bids, awards=(award,)))
    assert_valid_package(package)
    assert [r["tag"] for r in package["releases"]] == [["planning", "tender"], ["tenderUpdate"], ["award"]]
    tender_release, bids_release, award_release = package["releases"]
    assert "bids" not in tender_release and "awards" not in bids_release
    details = bids_release["bids"]["details"]
    assert [(d["id"], d["value"]["amount"], d["status"]) for d in details] == [
        ("lot-1-B1", 100000.5, "valid"), ("lot-1-B2", 90000, "disqualified")]
    stats = {s["measure"]: s["value"] for s in bids_release["bids"]["statistics"]}
    assert stats == {"bids": 2, "validBids": 1, "disqualifiedBids": 1, "lowestValidBidValue": 100000.5,
                     "highestValidBidValue": 100000.5}
    (awarded,) = award_release["awards"]
    assert awarded["status"] == "active" and awarded["value"] == {"amount": 100000.5, "currency": "EUR"}
    assert awarded["suppliers"] == [{"id": "BE-BCE_KBO-0403019261", "name": "Atelier A ASBL"}]
    assert awarded["relatedBid"] == "lot-1-B1"
    roles = {p["id"]: p["roles"] for p in award_release["parties"]}
    assert roles["BE-BCE_KBO-0403019261"] == ["supplier", "tenderer"]
    assert roles["BE-BCE_KBO-0207000000"] == ["buyer", "procuringEntity"]
    assert award_release["tender"]["status"] == "complete" and tender_release["tender"]["status"] == "active"
    assert package["publishedDate"] == award_release["date"]


def test_draft_refused_and_output_deterministic():
    with pytest.raises(ocds.OcdsError):
        ocds.build_release_package(built_tender(status="draft"))
    data = built_tender(clauses=(_library_clause("decent-work-ilo"),))
    first = json.dumps(ocds.build_release_package(data), sort_keys=False)
    assert first == json.dumps(ocds.build_release_package(data), sort_keys=False)
    package = ocds.build_release_package(data, ocid_prefix="ocds-abc123")
    assert package["releases"][0]["ocid"] == "ocds-abc123-TEST-2026-001"
    assert package["releases"][0]["id"] == "ocds-abc123-TEST-2026-001-tender"


def test_unknown_nuts_is_omitted():
    package = ocds.build_release_package(built_tender(nuts3=""))
    assert_valid_package(package)
    tender = package["releases"][0]["tender"]
    assert "BT-5071" not in tender["eforms"]
    assert all("region" not in a for item in tender["items"] for a in item.get("deliveryAddresses", []))


CLAUSE_IDS = ("award-insertion-hours", "brussels-insertion-actiris", "decent-work-ilo", "accessibility-design-for-all",
              "reserved-lot-art20", "reserved-services-art77", "social-clause-penalties", "reuse-second-hand-repair",
              "subcontracting-social-economy", "selection-insertion-capacity", "labels-or-equivalent")


@st.composite
def tenders(draw):
    lot_count = draw(st.integers(1, 3))
    lots = []
    for number in range(1, lot_count + 1):
        mode = draw(st.sampled_from(["weighted", "order"]))
        kinds = draw(st.lists(st.sampled_from(["price", "quantity", "rating"]), min_size=1, max_size=4))
        if mode == "weighted":
            cuts = sorted(draw(st.lists(st.integers(1, 99), min_size=len(kinds) - 1, max_size=len(kinds) - 1,
                                        unique=True)))
            bounds = [0] + cuts + [100]
            weights = [Decimal(bounds[i + 1] - bounds[i]) for i in range(len(kinds))]
        else:
            weights = [Decimal(i + 1) for i in range(len(kinds))]
        criteria = tuple(ocds.CriterionData(f"c{i}", kind, f"Criterion {i}", weights[i],
                                            is_social=kind != "price" and draw(st.booleans()))
                         for i, kind in enumerate(kinds))
        cpv = draw(st.sampled_from(["77310000", "90910000", "45442100"]))
        reservation = draw(st.sampled_from(["none", "art20", "art77"]))
        lots.append(ocds.LotData(number, f"Lot {number}", (cpv,), Decimal(draw(st.integers(0, 10**6))), reservation,
                                 mode, "Below the EU thresholds" if mode == "order" else "", criteria))
    clause_ids = draw(st.lists(st.sampled_from(CLAUSE_IDS), max_size=4, unique=True))
    clauses = tuple(_library_clause(cid, draw(st.sampled_from([None] + list(range(1, lot_count + 1)))))
                    for cid in clause_ids)
    opened = draw(st.booleans())
    bids, awards = [], []
    if opened:
        for lot in lots:
            for i in range(draw(st.integers(0, 3))):
                firm = [FIRM_A, FIRM_B, ocds.PartyData("Sans numéro & Cie")][i]
                bids.append(_bid(f"B{i + 1}", lot.number, firm, Decimal(draw(st.integers(1, 10**7))) / 100,
                                 draw(st.sampled_from(["pending", "valid", "disqualified"]))))
            lot_bids = [b for b in bids if b.lot_number == lot.number]
            if draw(st.booleans()):
                winner = lot_bids[0] if lot_bids else None
                awards.append(ocds.AwardData(lot.number, draw(st.integers(1, 2)), T0 + timedelta(days=40 + lot.number),
                                             winner.tenderer if winner else None, winner.price if winner else None,
                                             winner.code if winner else None))
    return built_tender(lots=tuple(lots), clauses=clauses, opened=opened, bids=bids, awards=awards,
                        nuts3=draw(st.sampled_from(["", "BE100", "BE352"])))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tenders())
def test_generated_tenders_are_valid(data):
    package = ocds.build_release_package(data)
    assert_valid_package(package)
    tags = [r["tag"] for r in package["releases"]]
    assert tags[0] == ["planning", "tender"]
    if data.opened_at is None:
        assert all("bids" not in r for r in package["releases"])
    expected = {"art20": ("shelteredWorkshop", "res-ws"), "art77": ("publicServiceMissionOrganization", "res-pub-ser")}
    for release in package["releases"]:
        for lot, source in zip(release["tender"]["lots"], data.lots):
            if source.reservation in expected:
                participation, bt71 = expected[source.reservation]
                assert participation in lot["otherRequirements"]["reservedParticipation"]
                assert bt71 in lot["eforms"]["BT-71"] and "none" not in lot["eforms"]["BT-71"]
                assert "reservedParticipation" in {s for g in lot["sustainability"] for s in g["strategies"]}
            if any(c.is_social for c in source.criteria):
                assert "awardCriteria" in {s for g in lot["sustainability"] for s in g["strategies"]}
            if lot["eforms"]["BT-06"] != ["none"]:
                assert set(lot["eforms"]["BT-06"]) <= set(release["tender"]["eforms"]["BT-06"])


# --- database: demo data, sealed bids, CLI (both databases) ------------------------------------------

# The demo loaders this export reads (accounts, enterprises, tenders, bids with opening and
# finalisation). Loaded here rather than through the shared ``demo`` fixture so that a loader of an
# unrelated feature still under construction cannot hide a failure of this one.
DEMO_LOADERS = ("demo.accounts", "demo.registry", "demo.tenders", "demo.bids")


@pytest.fixture
def ocds_demo(app):
    import importlib

    from common.db import get_session

    with app.app_context():
        db_session = get_session()
        for name in DEMO_LOADERS:
            importlib.import_module(name).load(db_session)
            db_session.commit()
    return app


def test_every_published_demo_tender_is_valid(ocds_demo, session):
    from procurement.models import Tender
    from procurement.ocds_services import release_package_for_reference
    from sqlmodel import select

    exported = 0
    with ocds_demo.app_context():
        for tender in session.exec(select(Tender)):
            if tender.status == "draft":
                continue
            assert_valid_package(release_package_for_reference(session, tender.reference))
            exported += 1
    assert exported >= 1


def test_demo_export_valid(ocds_demo, session):
    from procurement.bid_models import Bid, BidVersion
    from procurement.ocds_services import release_package_for_reference
    from sqlmodel import select

    with ocds_demo.app_context():
        package = release_package_for_reference(session, "DEMO-2026-001")
        again = release_package_for_reference(session, "DEMO-2026-001")
    assert package == again
    assert_valid_package(package)
    tags = [r["tag"] for r in package["releases"]]
    assert tags == [["planning", "tender"], ["tenderUpdate"], ["award"]]
    bids_release, award_release = package["releases"][1], package["releases"][2]
    # The exported prices are exactly the stored current versions (read via bid_content).
    stored = {}
    for bid in session.exec(select(Bid)):
        version = session.exec(select(BidVersion).where(BidVersion.bid_id == bid.id,
                                                        BidVersion.version == bid.current_version)).one()
        stored.setdefault(bid.lot_id, []).append(float(version.price))
    exported = sorted(d["value"]["amount"] for d in bids_release["bids"]["details"])
    assert exported == sorted(p for prices in stored.values() for p in prices)
    assert len(exported) == 7
    (award,) = award_release["awards"]
    assert award["relatedLots"] == ["lot-1"] and award["status"] == "active"
    assert award["value"]["amount"] in exported
    lot2 = award_release["tender"]["lots"][1]
    assert lot2["otherRequirements"]["reservedParticipation"] == ["shelteredWorkshop"]
    assert lot2["eforms"]["BT-71"] == ["res-ws"]
    assert award_release["tender"]["lots"][0]["status"] == "complete"
    assert lot2["status"] == "active"


def test_draft_and_unknown_not_exported(ocds_demo, session):
    from procurement.ocds_services import release_package_for_reference

    with ocds_demo.app_context():
        for reference in ("DEMO-2026-002", "NOPE-1", ""):
            with pytest.raises(LookupError):
                release_package_for_reference(session, reference)


def test_published_not_opened_exports_no_bid(app, session):
    """A published tender with a submitted bid, before its opening: no bid, no price, no bidder."""
    from accounts.models import Authority, Role, User
    from procurement.bid_models import Bid, BidVersion
    from procurement.models import AwardCriterion, Lot, Tender
    from procurement.ocds_services import release_package_for_reference
    from registry.models import Enterprise

    now = datetime.now(timezone.utc)
    authority = Authority(name="Commune de Scellé", municipality="Namur")
    session.add(authority)
    session.flush()
    user = User(email="firm@example.org", password_hash="x", role=Role.FIRM.value)
    firm = Enterprise(legal_name="Secret Bidder SRL", enterprise_number="0403019261", status="validated")
    session.add_all([user, firm])
    session.flush()
    tender = Tender(reference="SEAL-1", authority_id=authority.id, status="published", title_en="Sealed",
                    cpv_main="77310000", municipality="Namur", estimated_value=Decimal("50000"),
                    published_at=now - timedelta(days=5), bid_deadline=now + timedelta(days=5),
                    opening_at=now + timedelta(days=5, hours=1), procedure="open_national")
    session.add(tender)
    session.flush()
    lot = Lot(tender_id=tender.id, number=1, title_en="Only lot", cpv_codes=["77310000"],
              estimated_value=Decimal("50000"))
    session.add(lot)
    session.flush()
    session.add(AwardCriterion(lot_id=lot.id, code="price", kind="price", label_en="Price", weight=Decimal("100")))
    bid = Bid(tender_id=tender.id, lot_id=lot.id, enterprise_id=firm.id, current_version=1, current_sha256="0" * 64)
    session.add(bid)
    session.flush()
    session.add(BidVersion(bid_id=bid.id, version=1, price=Decimal("43210.98"), sha256="0" * 64,
                           submitted_by=user.id))
    session.commit()
    with app.app_context():
        package = release_package_for_reference(session, "SEAL-1")
    assert_valid_package(package)
    assert len(package["releases"]) == 1
    text = json.dumps(package, ensure_ascii=False)
    assert "43210.98" not in text and "Secret Bidder" not in text and '"bids"' not in text
    assert package["releases"][0]["tender"]["lots"][0]["eforms"]["BT-06"] == ["none"]


def test_cli_export(ocds_demo, runner, tmp_path):
    result = runner.invoke(args=["tender", "export-ocds", "DEMO-2026-001"])
    assert result.exit_code == 0, result.output
    package = json.loads(result.stdout)
    assert_valid_package(package)
    assert result.stdout.startswith('{\n  "uri"')  # indent 2
    target = tmp_path / "out.json"
    result = runner.invoke(args=["tender", "export-ocds", "DEMO-2026-001", "-o", str(target)])
    assert result.exit_code == 0, result.output
    assert json.loads(target.read_text(encoding="utf-8")) == package
    assert "Récup" in target.read_text(encoding="utf-8")  # UTF-8, not \u escapes
    for reference in ("DEMO-2026-002", "UNKNOWN-9"):
        result = runner.invoke(args=["tender", "export-ocds", reference])
        assert result.exit_code != 0
        assert "no published tender" in result.output
