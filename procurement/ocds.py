"""OCDS 1.1 release package of a tender, with its social criteria and eForms codes (pure).

Plain dataclasses in (``TenderData``, built from the database by ``procurement.ocds_services``),
one OCDS 1.1 release package (a dict ready for ``json.dumps``) out. No flask, no database.

Stages, one release each (documented in docs/ocds.md):
- ``tender``: once published (tags ``planning`` + ``tender``), the notice: lots, CPV items,
  award criteria per lot with their weights (Dir. 2014/24/EU art. 67(5); law of 17 June 2016
  art. 81), sustainability (social objectives pursued through award criteria, performance
  conditions of art. 70 and reservations of art. 20 / art. 77), reserved participation.
- ``bids``: after the opening only (royal decree of 18 April 2017 art. 14 §6: bids stay sealed
  until then): ``bids.details`` (tenderer, price, lot) and ``bids.statistics`` per lot. The
  builder never emits bids when ``TenderData.opened_at`` is None, whatever it is given.
- ``award``: one release per lot whose evaluation is finalised (award decision, law of 17 June
  2016 art. 81 and royal decree of 18 April 2017 art. 95 on the most economically advantageous
  tender; UNVERIFIED article numbers for the award decision): the winning supplier and value.

eForms codes (EU implementing regulation 2019/1780, eForms SDK code lists) are given next to the
OCDS fields, in an ``eforms`` object of the tender and of each lot: BT-06, BT-775, BT-71, BT-736,
BT-262, BT-5071 and per criterion BT-539 / BT-541 / BT-5421. OCDS validators ignore that object
(``additionalProperties`` is allowed by the release schema); docs/ocds.md explains the choice.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timezone
from decimal import Decimal
from typing import Any, Mapping

OCDS_VERSION = "1.1"
# A clearly fictive prefix: a real publisher registers its own with the Open Contracting
# Partnership (https://standard.open-contracting.org/latest/en/schema/identifiers/#ocid).
DEFAULT_OCID_PREFIX = "ocds-xxxxxx-procure"
DEFAULT_BASE_URL = "https://procure.example.invalid"
ORG_SCHEME = "BE-BCE_KBO"
CURRENCY = "EUR"
LICENSE = "https://creativecommons.org/licenses/by/4.0/"

_EXT = "https://raw.githubusercontent.com/open-contracting-extensions/{}/master/extension.json"
EXTENSIONS = tuple(_EXT.format(name) for name in (
    "ocds_lots_extension", "ocds_awardCriteria_extension", "ocds_sustainability_extension",
    "ocds_otherRequirements_extension", "ocds_contractTerms_extension", "ocds_bid_extension",
    "ocds_location_extension"))

# procurement.models.Nature -> OCDS mainProcurementCategory (closed code list of OCDS 1.1).
MAIN_CATEGORY = {"works": "works", "supplies": "goods", "services": "services"}
# procurement.advice procedures -> OCDS procurementMethod (closed code list of OCDS 1.1): open
# procedures are "open"; the negotiated procedure without prior publication and the low-value
# contract (several firms consulted, no notice) are "limited" (article numbers UNVERIFIED).
PROCUREMENT_METHOD = {"open_eu": "open", "open_national": "open", "negotiated_no_publication": "limited",
                      "low_value": "limited"}
# procurement.models.CriterionKind -> awardCriterionType (awardCriteria extension) / BT-539.
# A stated quantity (insertion hours, trainees) and a rated quality are both "quality": neither
# is the price nor a monetary cost (Dir. 2014/24/EU art. 67(2)).
CRITERION_TYPE = {"price": "price", "quantity": "quality", "rating": "quality"}
# procurement.models.Reservation -> OCDS reservedParticipation and eForms BT-71 (reserved-procurement).
# art20: Dir. 2014/24/EU art. 20, law of 17 June 2016 art. 15 (sheltered workshops and
# work-integration operators); art77: Dir. art. 77 (public-service-mission organisations).
RESERVED_PARTICIPATION = {"art20": "shelteredWorkshop", "art77": "publicServiceMissionOrganization"}
BT71 = {"none": "none", "art20": "res-ws", "art77": "res-pub-ser"}
# OCDS sustainability goal -> eForms BT-775 social objective (inverse of the OCDS for eForms
# mapping table ocds/eforms-mapping-tables/social-objective.csv).
GOAL_TO_BT775 = {
    "social.accessibility": "acc-all", "social.ethnicEquality": "et-eq", "social.genderEquality": "gen-eq",
    "social.humanRightsInSupplyChains": "hum-right", "social.disadvantagedEmploymentOpportunities": "opp",
    "social.laborRightsPromotion": "work-cond", "social": "other",
}
# Clause categories whose text is a condition of performance (Dir. 2014/24/EU art. 70; law of
# 17 June 2016 art. 87 UNVERIFIED): summarised in contractTerms.performanceTerms.
PERFORMANCE_CATEGORIES = ("performance_condition", "training", "subcontracting", "reporting", "penalty")
SOCIAL_GOAL = "social.disadvantagedEmploymentOpportunities"
_ID_SAFE = re.compile(r"[^A-Za-z0-9._-]+")


@dataclass(frozen=True)
class PartyData:
    name: str
    enterprise_number: str = ""  # 10 digits (BCE/KBO), "" when unknown
    street: str = ""
    postal_code: str = ""
    locality: str = ""
    nuts3: str = ""  # NUTS-3 of the seat, "" when unknown (never guessed)


@dataclass(frozen=True)
class CriterionData:
    code: str
    kind: str  # procurement.models.CriterionKind value
    name: str
    weight: Decimal  # percent when the lot is "weighted", a rank when it is "order"
    is_social: bool = False
    description: str = ""


@dataclass(frozen=True)
class LotData:
    number: int
    title: str
    cpv_codes: tuple[str, ...] = ()
    estimated_value: Decimal = Decimal("0")
    reservation: str = "none"  # procurement.models.Reservation value
    criteria_mode: str = "weighted"  # "weighted" or "order"
    criteria_justification: str = ""
    criteria: tuple[CriterionData, ...] = ()


@dataclass(frozen=True)
class ClauseData:
    """A library clause selected for the tender (``lot_number`` None) or one lot, with the
    OCDS and eForms codes its file declares (clauses/*.toml ``[ocds]`` and ``[eforms]``)."""

    clause_id: str
    version: int
    category: str
    title: str
    summary: str
    lot_number: int | None = None
    ocds: Mapping[str, Any] = field(default_factory=dict)
    eforms: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class BidData:
    code: str  # public code B1, B2, ... within its lot
    lot_number: int
    tenderer: PartyData
    price: Decimal
    submitted_at: datetime
    status: str = "pending"  # bidStatus: pending | valid | disqualified


@dataclass(frozen=True)
class AwardData:
    lot_number: int
    version: int  # evaluation version (a correction is a new version)
    date: datetime
    supplier: PartyData | None  # None: no bid could be awarded
    value: Decimal | None
    bid_code: str | None = None


@dataclass(frozen=True)
class TenderData:
    reference: str
    status: str  # procurement.models.TenderStatus value (never "draft" here)
    title: str
    description: str
    nature: str
    cpv_main: str
    buyer: PartyData
    published_at: datetime
    updated_at: datetime | None = None
    cpv_additional: tuple[str, ...] = ()
    nuts3: str = ""
    municipality: str = ""
    estimated_value: Decimal = Decimal("0")
    duration_months: int | None = None
    procedure: str = ""
    social_services: bool = False
    bid_deadline: datetime | None = None
    opening_at: datetime | None = None
    opened_at: datetime | None = None  # None: not opened, no bid is ever exported
    lots: tuple[LotData, ...] = ()
    clauses: tuple[ClauseData, ...] = ()
    bids: tuple[BidData, ...] | None = None
    awards: tuple[AwardData, ...] = ()


class OcdsError(ValueError):
    """The data cannot be exported (e.g. a draft)."""


# --- small helpers -----------------------------------------------------------------------------------

def iso(value: datetime) -> str:
    """RFC 3339 date-time in UTC, to the second (stored timestamps, so the output is stable)."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=timezone.utc)
    return value.astimezone(timezone.utc).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")


def amount(value: Decimal) -> int | float:
    """A money amount as a JSON number (cents kept exactly: at most two decimals)."""
    value = Decimal(value).quantize(Decimal("0.01"))
    return int(value) if value == value.to_integral_value() else float(value)


def money(value: Decimal) -> dict:
    return {"amount": amount(value), "currency": CURRENCY}


def party_id(party: PartyData, role: str) -> str:
    """``BE-BCE_KBO-<number>`` (org-id convention) or, without a number, a name-based local id."""
    if party.enterprise_number:
        return f"{ORG_SCHEME}-{party.enterprise_number}"
    return f"{role}-" + (_ID_SAFE.sub("-", party.name).strip("-").lower() or "unknown")


def cpv_with_check(code: str) -> str:
    """CPV codes are stored with 8 digits (as eForms uses them); OCDS's CPV scheme ids are the
    same 8 digits. The check digit is not reconstructed (DOMAIN.md: no checksum reproduces it)."""
    return code.split("-")[0]


def lot_id(number: int) -> str:
    return f"lot-{number}"


def _address(party: PartyData) -> dict:
    address = {}
    if party.street:
        address["streetAddress"] = party.street
    if party.locality:
        address["locality"] = party.locality
    if party.postal_code:
        address["postalCode"] = party.postal_code
    if party.nuts3:
        address["region"] = party.nuts3
    address["countryName"] = "Belgium"
    return address


def _party(party: PartyData, roles: list[str], role_key: str) -> dict:
    out = {"id": party_id(party, role_key), "name": party.name, "roles": sorted(set(roles))}
    if party.enterprise_number:
        out["identifier"] = {"scheme": ORG_SCHEME, "id": party.enterprise_number, "legalName": party.name}
    out["address"] = _address(party)
    return out


def _unique(values) -> list:
    seen, out = set(), []
    for value in values:
        if value not in seen:
            seen.add(value)
            out.append(value)
    return out


# --- social data: goals, strategies, reservations ---------------------------------------------------

def _clauses_for(data: TenderData, lot_number: int | None) -> list[ClauseData]:
    """Clauses of the whole tender (``lot_number`` None) or those selected for one lot."""
    return [c for c in data.clauses if c.lot_number == lot_number]


def sustainability(clauses: list[ClauseData], criteria: tuple[CriterionData, ...] = (),
                   reservation: str = "none") -> list[dict]:
    """``sustainability[]`` entries: one per goal, with the strategies pursuing it.

    Sources: each selected clause's declared goals and strategies; a social award criterion
    (``is_social``, Dir. art. 67(2)) adds ``awardCriteria`` to the disadvantaged-employment goal;
    an art. 20 reservation adds ``reservedParticipation`` to it (art. 77: goal ``social``).
    """
    goals: dict[str, list[str]] = {}
    for clause in clauses:
        strategies = list(clause.ocds.get("strategies") or [])
        for goal in clause.ocds.get("goals") or []:
            goals.setdefault(goal, [])
            goals[goal] = _unique(goals[goal] + strategies)
    if any(c.is_social for c in criteria):
        goals[SOCIAL_GOAL] = _unique(goals.get(SOCIAL_GOAL, []) + ["awardCriteria"])
    if reservation == "art20":
        goals[SOCIAL_GOAL] = _unique(goals.get(SOCIAL_GOAL, []) + ["reservedParticipation"])
    elif reservation == "art77":
        goals["social"] = _unique(goals.get("social", []) + ["reservedParticipation"])
    out = []
    for goal in sorted(goals):
        entry = {"goal": goal}
        if goals[goal]:
            entry["strategies"] = sorted(goals[goal])
        out.append(entry)
    return out


def reserved_participation(clauses: list[ClauseData], reservation: str = "none") -> list[str]:
    values = [RESERVED_PARTICIPATION[reservation]] if reservation in RESERVED_PARTICIPATION else []
    values += [c.ocds["reserved_participation"] for c in clauses if c.ocds.get("reserved_participation")]
    return sorted(set(values))


def reserved_execution(clauses: list[ClauseData]) -> bool:
    """Execution reserved to sheltered employment programmes (Dir. art. 20(1), second option).

    The app has no such setting: only a clause that declares ``reserved_execution = true`` in its
    ``[ocds]`` table makes it true; otherwise the contract is not reserved in execution.
    """
    return any(bool(c.ocds.get("reserved_execution")) for c in clauses)


def performance_terms(clauses: list[ClauseData]) -> str:
    """One line per performance-condition clause (Dir. art. 70): its title and text summary."""
    lines = [c.summary for c in clauses if c.category in PERFORMANCE_CATEGORIES and c.summary]
    return "\n".join(lines)


# --- eForms codes ------------------------------------------------------------------------------------

def eforms_codes(clauses: list[ClauseData], goals: list[dict], reservation: str, *, execution: bool,
                 cpv_main: str = "", nuts3: str = "", criteria: tuple[CriterionData, ...] = (),
                 criteria_mode: str = "weighted") -> dict:
    """eForms business terms for a tender or a lot (values from the eForms SDK code lists)."""
    strategic = set()
    for clause in clauses:
        if clause.eforms.get("BT-06"):
            strategic.add(clause.eforms["BT-06"])
    social_objectives = set()
    for clause in clauses:
        social_objectives.update(clause.eforms.get("BT-775") or [])
    for entry in goals:
        code = GOAL_TO_BT775.get(entry["goal"])
        if code:
            social_objectives.add(code)
    if social_objectives:
        strategic.add("soc-obj")
    bt71 = {BT71.get(reservation, "none")}
    bt71.update(c.eforms["BT-71"] for c in clauses if c.eforms.get("BT-71"))
    if len(bt71) > 1:
        bt71.discard("none")
    out: dict[str, Any] = {
        "BT-06": sorted(strategic) or ["none"],
        "BT-71": sorted(bt71),
        "BT-736": "yes" if execution else "no",
    }
    if social_objectives:
        out["BT-775"] = sorted(social_objectives)
    if cpv_main:
        out["BT-262"] = cpv_with_check(cpv_main)
    if nuts3:
        out["BT-5071"] = nuts3
    if criteria:
        out["criteria"] = [_eforms_criterion(c, criteria_mode) for c in criteria]
    return out


def _eforms_criterion(criterion: CriterionData, mode: str) -> dict:
    return {"id": criterion.code, "BT-539": CRITERION_TYPE.get(criterion.kind, "quality"),
            "BT-541": amount(criterion.weight), "BT-5421": "per-exa" if mode == "weighted" else "ord-imp"}


# --- tender section ----------------------------------------------------------------------------------

def _award_criteria(lot: LotData) -> dict | None:
    if not lot.criteria:
        return None
    weight = "percentageExact" if lot.criteria_mode == "weighted" else "order"
    criteria = []
    for c in lot.criteria:
        item = {"type": CRITERION_TYPE.get(c.kind, "quality"), "name": c.name or c.code,
                "numbers": [{"number": amount(c.weight), "weight": weight}]}
        if c.description:
            item["description"] = c.description
        criteria.append(item)
    out: dict[str, Any] = {"criteria": criteria}
    if lot.criteria_mode != "weighted" and lot.criteria_justification:
        out["orderRationale"] = lot.criteria_justification
    return out


def _overall_award_criteria(lots: tuple[LotData, ...]) -> str:
    """OCDS core ``tender.awardCriteria`` (priceOnly / qualityOnly / ratedCriteria)."""
    kinds = {CRITERION_TYPE.get(c.kind) for lot in lots for c in lot.criteria}
    if kinds == {"price"}:
        return "priceOnly"
    if kinds == {"quality"}:
        return "qualityOnly"
    return "ratedCriteria"


def _delivery_addresses(data: TenderData) -> list[dict]:
    address = {"countryName": "Belgium"}
    if data.municipality:
        address["locality"] = data.municipality
    if data.nuts3:
        address["region"] = data.nuts3
    return [address]


def _items(data: TenderData) -> list[dict]:
    items = []
    deliveries = _delivery_addresses(data) if (data.nuts3 or data.municipality) else None
    for lot in data.lots:
        codes = list(lot.cpv_codes) or ([data.cpv_main] if data.cpv_main else [])
        if not codes:
            continue
        item = {"id": f"item-lot-{lot.number}", "description": lot.title,
                "classification": {"scheme": "CPV", "id": cpv_with_check(codes[0])},
                "relatedLot": lot_id(lot.number)}
        if len(codes) > 1:
            item["additionalClassifications"] = [{"scheme": "CPV", "id": cpv_with_check(c)} for c in codes[1:]]
        if deliveries:
            item["deliveryAddresses"] = deliveries
        items.append(item)
    if not items and data.cpv_main:
        item = {"id": "item-1", "description": data.title,
                "classification": {"scheme": "CPV", "id": cpv_with_check(data.cpv_main)}}
        if data.cpv_additional:
            item["additionalClassifications"] = [{"scheme": "CPV", "id": cpv_with_check(c)}
                                                 for c in data.cpv_additional]
        if deliveries:
            item["deliveryAddresses"] = deliveries
        items.append(item)
    return items


def _lot(data: TenderData, lot: LotData, awards: tuple[AwardData, ...]) -> dict:
    clauses = _clauses_for(data, lot.number)
    goals = sustainability(clauses, lot.criteria, lot.reservation)
    status = _tender_status(data, awards, lots=(lot,))
    out: dict[str, Any] = {"id": lot_id(lot.number), "title": lot.title, "status": status}
    if lot.estimated_value:
        out["value"] = money(lot.estimated_value)
    award = _award_criteria(lot)
    if award:
        out["awardCriteria"] = award
    out["hasSustainability"] = bool(goals)
    if goals:
        out["sustainability"] = goals
    reserved = reserved_participation(clauses, lot.reservation)
    if reserved:
        out["otherRequirements"] = {"reservedParticipation": reserved}
    execution = reserved_execution(clauses)
    terms: dict[str, Any] = {"reservedExecution": execution}
    summary = performance_terms(clauses)
    if summary:
        terms["performanceTerms"] = summary
    out["contractTerms"] = terms
    cpv = lot.cpv_codes[0] if lot.cpv_codes else data.cpv_main
    out["eforms"] = eforms_codes(clauses, goals, lot.reservation, execution=execution, cpv_main=cpv,
                                 nuts3=data.nuts3, criteria=lot.criteria, criteria_mode=lot.criteria_mode)
    return out


def _tender_status(data: TenderData, awards: tuple[AwardData, ...], lots: tuple[LotData, ...] | None = None
                   ) -> str:
    """tenderStatus at a stage: ``complete`` once every lot (of ``lots``) has its award decision."""
    lots = data.lots if lots is None else lots
    if data.status == "cancelled":
        return "cancelled"
    if lots and all(any(a.lot_number == lot.number for a in awards) for lot in lots):
        return "complete"
    return "active"


def _tender(data: TenderData, awards: tuple[AwardData, ...]) -> dict:
    clauses = _clauses_for(data, None)
    all_criteria = tuple(c for lot in data.lots for c in lot.criteria)
    goals = sustainability(clauses)
    # The tender as a whole pursues every goal of its lots too (hasSustainability of the process).
    lot_goals = {g["goal"] for lot in data.lots
                 for g in sustainability(_clauses_for(data, lot.number), lot.criteria, lot.reservation)}
    tender: dict[str, Any] = {
        "id": data.reference,
        "title": data.title,
        "status": _tender_status(data, awards),
        "mainProcurementCategory": MAIN_CATEGORY.get(data.nature, "services"),
    }
    if data.description:
        tender["description"] = data.description
    if data.estimated_value:
        tender["value"] = money(data.estimated_value)
    if data.procedure in PROCUREMENT_METHOD:
        tender["procurementMethod"] = PROCUREMENT_METHOD[data.procedure]
    if data.procedure:
        tender["procurementMethodDetails"] = data.procedure
    if all_criteria:
        tender["awardCriteria"] = _overall_award_criteria(data.lots)
    items = _items(data)
    if items:
        tender["items"] = items
    if data.bid_deadline:
        tender["tenderPeriod"] = {"startDate": iso(data.published_at), "endDate": iso(data.bid_deadline)}
    if data.duration_months:
        tender["contractPeriod"] = {"durationInDays": data.duration_months * 30}
    tender["hasSustainability"] = bool(goals or lot_goals)
    if goals:
        tender["sustainability"] = goals
    reserved = reserved_participation(clauses)
    if reserved:
        tender["otherRequirements"] = {"reservedParticipation": reserved}
    execution = reserved_execution(clauses)
    terms: dict[str, Any] = {"reservedExecution": execution}
    summary = performance_terms(clauses)
    if summary:
        terms["performanceTerms"] = summary
    tender["contractTerms"] = terms
    tender["lots"] = [_lot(data, lot, awards) for lot in data.lots]
    tender["eforms"] = eforms_codes(clauses, goals, "none", execution=execution, cpv_main=data.cpv_main,
                                    nuts3=data.nuts3)
    # BT-06 and BT-775 are lot-level terms in eForms: the tender-level object summarises every lot
    # (BT-71 stays the procedure's own reservation; each lot carries its own).
    strategic = set(tender["eforms"]["BT-06"]) | {c for lot in tender["lots"] for c in lot["eforms"]["BT-06"]}
    tender["eforms"]["BT-06"] = sorted(strategic - {"none"}) or ["none"]
    objectives = set(tender["eforms"].get("BT-775", [])) | {c for lot in tender["lots"]
                                                           for c in lot["eforms"].get("BT-775", [])}
    if objectives:
        tender["eforms"]["BT-775"] = sorted(objectives)
    return tender


# --- bids and awards ---------------------------------------------------------------------------------

def _bids(data: TenderData) -> dict | None:
    """Bid details and statistics, only once the opening is recorded (never before)."""
    if data.opened_at is None or data.bids is None:
        return None
    details = []
    for bid in sorted(data.bids, key=lambda b: (b.lot_number, int(b.code[1:]) if b.code[1:].isdigit() else 0, b.code)):
        details.append({
            "id": f"lot-{bid.lot_number}-{bid.code}", "date": iso(bid.submitted_at), "status": bid.status,
            "tenderers": [{"id": party_id(bid.tenderer, "tenderer"), "name": bid.tenderer.name}],
            "value": money(bid.price), "relatedLots": [lot_id(bid.lot_number)],
        })
    statistics = []
    for lot in data.lots:
        lot_bids = [b for b in data.bids if b.lot_number == lot.number]
        related = lot_id(lot.number)
        base = {"date": iso(data.opened_at), "relatedLot": related}
        statistics.append(dict(base, id=f"{related}-bids", measure="bids", value=len(lot_bids)))
        valid = [b for b in lot_bids if b.status == "valid"]
        if any(b.status != "pending" for b in lot_bids):
            statistics.append(dict(base, id=f"{related}-validBids", measure="validBids", value=len(valid)))
            statistics.append(dict(base, id=f"{related}-disqualifiedBids", measure="disqualifiedBids",
                                   value=len(lot_bids) - len(valid)))
        if valid:
            low, high = min(b.price for b in valid), max(b.price for b in valid)
            statistics.append(dict(base, id=f"{related}-lowestValidBidValue", measure="lowestValidBidValue",
                                   value=amount(low), currency=CURRENCY))
            statistics.append(dict(base, id=f"{related}-highestValidBidValue", measure="highestValidBidValue",
                                   value=amount(high), currency=CURRENCY))
    out: dict[str, Any] = {"statistics": statistics}
    if details:
        out["details"] = details
    return out


def _award(data: TenderData, award: AwardData) -> dict:
    out: dict[str, Any] = {"id": f"award-lot-{award.lot_number}-v{award.version}",
                           "date": iso(award.date), "relatedLots": [lot_id(award.lot_number)]}
    lot = next((lot for lot in data.lots if lot.number == award.lot_number), None)
    if lot is not None:
        out["title"] = lot.title
    if award.supplier is None:
        out["status"] = "unsuccessful"
        return out
    out["status"] = "active"
    out["suppliers"] = [{"id": party_id(award.supplier, "tenderer"), "name": award.supplier.name}]
    if award.value is not None:
        out["value"] = money(award.value)
    if award.bid_code:
        out["relatedBid"] = f"lot-{award.lot_number}-{award.bid_code}"
    return out


# --- releases and package ----------------------------------------------------------------------------

def _parties(data: TenderData, with_bids: bool, awards: tuple[AwardData, ...]) -> list[dict]:
    parties: dict[str, dict] = {}
    buyer = _party(data.buyer, ["buyer", "procuringEntity"], "buyer")
    parties[buyer["id"]] = buyer
    tenderers: list[PartyData] = []
    if with_bids:
        tenderers += [b.tenderer for b in data.bids or ()]
    suppliers = [a.supplier for a in awards if a.supplier is not None]
    for party in tenderers + suppliers:
        pid = party_id(party, "tenderer")
        roles = set(parties.get(pid, {}).get("roles", []))
        if party in tenderers:
            roles.add("tenderer")
        if party in suppliers:
            roles.add("supplier")
        entry = _party(party, sorted(roles), "tenderer")
        parties[pid] = entry
    return [parties[k] for k in sorted(parties, key=lambda k: (k != buyer["id"], k))]


def _release(data: TenderData, ocid: str, release_id: str, date: datetime, tag: list[str], *,
             with_bids: bool, awards: tuple[AwardData, ...]) -> dict:
    release: dict[str, Any] = {
        "ocid": ocid, "id": release_id, "date": iso(date), "tag": tag, "initiationType": "tender",
        "language": "en",
        "parties": _parties(data, with_bids, awards),
        "buyer": {"id": party_id(data.buyer, "buyer"), "name": data.buyer.name},
    }
    if data.estimated_value:
        release["planning"] = {"budget": {"amount": money(data.estimated_value)}}
    release["tender"] = _tender(data, awards)
    if with_bids:
        bids = _bids(data)
        if bids:
            release["bids"] = bids
    if awards:
        release["awards"] = [_award(data, a) for a in awards]
    return release


def ocid_for(prefix: str, reference: str) -> str:
    return f"{prefix}-{_ID_SAFE.sub('-', reference)}"


def build_release_package(data: TenderData, *, ocid_prefix: str = DEFAULT_OCID_PREFIX,
                          base_url: str = DEFAULT_BASE_URL) -> dict:
    """The release package of a published tender: one release per stage reached.

    Deterministic: the same data gives the same JSON (dates are the stored timestamps; the
    package date is the latest release date).
    """
    if data.status == "draft" or data.published_at is None:
        raise OcdsError("drafts are never exported")
    ocid = ocid_for(ocid_prefix, data.reference)
    releases = [_release(data, ocid, f"{ocid}-tender", data.published_at, ["planning", "tender"],
                         with_bids=False, awards=())]
    opened = data.opened_at is not None and data.bids is not None
    if opened:
        releases.append(_release(data, ocid, f"{ocid}-bids", data.opened_at, ["tenderUpdate"],
                                 with_bids=True, awards=()))
    done: list[AwardData] = []
    for award in sorted(data.awards, key=lambda a: (a.date, a.lot_number, a.version)):
        done.append(award)
        tag = ["award"] if award.version == 1 else ["awardUpdate"]
        releases.append(_release(data, ocid, f"{ocid}-award-lot-{award.lot_number}-v{award.version}",
                                 award.date, tag, with_bids=opened, awards=tuple(done)))
    base = base_url.rstrip("/")
    return {
        "uri": f"{base}/api/v1/tenders/{_ID_SAFE.sub('-', data.reference)}/ocds",
        "version": OCDS_VERSION,
        "extensions": list(EXTENSIONS),
        "publishedDate": max(r["date"] for r in releases),
        "publisher": {"name": data.buyer.name or "Procure",
                      **({"scheme": ORG_SCHEME, "uid": data.buyer.enterprise_number}
                         if data.buyer.enterprise_number else {})},
        "license": LICENSE,
        "publicationPolicy": f"{base}/docs/ocds",
        "releases": releases,
    }
