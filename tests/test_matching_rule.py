"""The pure matching rule (procurement.matching): CPV with descendants, service type, coverage,
reserved lots (art. 20 / art. 77), and what does not match."""
from __future__ import annotations

from procurement.matching import (ActivityInput, EnterpriseInput, LotInput, TenderInput, match_all,
                                  match_enterprise)


def tender(*lots, nature="services", nuts3="BE352", municipality="Valmeuse", cpv_main="90910000"):
    return TenderInput(reference="T-1", nature=nature, lots=tuple(lots) or (LotInput(1, ("90911000",)),),
                       cpv_main=cpv_main, nuts3=nuts3, municipality=municipality,
                       municipality_key=municipality.casefold() if municipality else None)


def activity(cpv=("90910000",), service="services", kind="nuts3", nuts3=("BE352",), keys=(), radius=None):
    return ActivityInput(service_type=service, cpv_codes=tuple(cpv), coverage_kind=kind,
                         coverage_areas=tuple(nuts3), radius_km=radius, covered_nuts3=frozenset(nuts3),
                         municipality_keys=frozenset(keys))


def firm(*activities, status="validated", eligible=False, types=(), share=None, eid=1):
    return EnterpriseInput(enterprise_id=eid, name=f"Firm {eid}", status=status, activities=tuple(activities),
                           eligible_art20=eligible, accreditation_types=tuple(types), disadvantaged_share=share)


def codes(result):
    return [[r.code for r in lot.reasons] for lot in result.lots]


def test_a_lot_code_under_the_activity_matches_and_says_why():
    result = match_enterprise(tender(), firm(activity()))
    assert result.matched and not result.reserved_for_you
    assert codes(result) == [["cpv_under_activity", "service_type", "covers_nuts3"]]
    cpv = result.lots[0].reasons[0]
    assert cpv.params == {"tender_cpv": "90911000", "activity_cpv": "90910000"}
    assert result.reasons_json()[0]["lot"] == 1


def test_same_code_and_activity_below_the_tender_code_match_too():
    same = match_enterprise(tender(LotInput(1, ("90910000-9",))), firm(activity()))
    assert codes(same)[0][0] == "cpv_same"
    below = match_enterprise(tender(LotInput(1, ("90900000",))), firm(activity(cpv=("90911200",))))
    assert codes(below)[0][0] == "cpv_activity_under"


def test_an_unrelated_code_or_another_service_type_does_not_match():
    assert not match_enterprise(tender(LotInput(1, ("45000000",))), firm(activity())).matched
    assert not match_enterprise(tender(nature="works"), firm(activity())).matched
    # Staff provision counts as services; works never as services.
    assert match_enterprise(tender(), firm(activity(service="staff_provision"))).matched
    assert not match_enterprise(tender(), firm(activity(service="works"))).matched


def test_cpv_service_and_place_must_hold_on_the_same_activity():
    # One activity has the code but not the area, the other the area but not the code.
    split = firm(activity(nuts3=("BE211",)), activity(cpv=("77310000",)))
    assert not match_enterprise(tender(), split).matched


def test_coverage_area_kinds():
    assert codes(match_enterprise(tender(), firm(activity(kind="country", nuts3=("BE352", "BE211")))))[0][2] \
        == "covers_country"
    region = match_enterprise(tender(), firm(activity(kind="regions", nuts3=("BE351", "BE352"))))
    assert region.lots[0].reasons[2].params["region"] == "BE3"
    assert codes(match_enterprise(tender(), firm(activity(kind="radius", nuts3=("BE352",), radius=30))))[0][2] \
        == "covers_radius"
    assert not match_enterprise(tender(), firm(activity(nuts3=("BE100",)))).matched


def test_a_list_of_municipalities_must_name_the_place_of_performance():
    listed = activity(kind="municipalities", nuts3=("BE352",), keys=("valmeuse", "namur"))
    result = match_enterprise(tender(), firm(listed))
    assert codes(result)[0][2] == "covers_municipality"
    assert result.lots[0].reasons[2].params == {"municipality": "Valmeuse"}
    # Same arrondissement, but the municipality is not in the list.
    other = activity(kind="municipalities", nuts3=("BE352",), keys=("namur",))
    assert not match_enterprise(tender(), firm(other)).matched


def test_no_place_of_performance_matches_any_coverage():
    result = match_enterprise(tender(nuts3=None, municipality=None), firm(activity(nuts3=("BE100",))))
    assert codes(result)[0][2] == "place_unspecified"


def test_lot_without_codes_uses_the_tender_codes():
    result = match_enterprise(tender(LotInput(1, ())), firm(activity()))
    assert result.lots[0].reasons[0].code == "cpv_same"
    assert not match_enterprise(tender(LotInput(1, ()), cpv_main=""), firm(activity())).matched


def test_art20_reserved_lot_only_for_eligible_firms():
    lots = (LotInput(1, ("77310000",)), LotInput(2, ("90911000",), "art20"))
    both = (activity(cpv=("77310000", "90910000")),)
    eligible = match_enterprise(tender(*lots), firm(*both, eligible=True, types=("sheltered_workshop",), share=0.8))
    assert [lot.number for lot in eligible.lots] == [1, 2] and eligible.reserved_for_you
    reserved = eligible.lots[1].reasons[-1]
    assert reserved.code == "reserved_art20"
    assert reserved.params == {"types": ["sheltered_workshop"], "share_pct": 80}
    not_eligible = match_enterprise(tender(*lots), firm(*both, eligible=False, types=("insertion",), share=0.1))
    assert [lot.number for lot in not_eligible.lots] == [1] and not not_eligible.reserved_for_you
    only_reserved = tender(LotInput(1, ("90911000",), "art20"))
    assert not match_enterprise(only_reserved, firm(activity(), eligible=False)).matched


def test_art77_reserved_lot_needs_services_and_a_valid_accreditation():
    lot = LotInput(1, ("90911000",), "art77")
    accredited = firm(activity(), types=("cooperative",))
    assert codes(match_enterprise(tender(lot), accredited))[0][-1] == "reserved_art77"
    assert not match_enterprise(tender(lot), firm(activity(), types=())).matched
    supplies = firm(activity(service="supplies"), types=("cooperative",))
    assert not match_enterprise(tender(lot, nature="supplies"), supplies).matched


def test_only_validated_enterprises_match_and_match_all_keeps_matches_only():
    assert not match_enterprise(tender(), firm(activity(), status="pending")).matched
    results = match_all(tender(), [firm(activity(), eid=1), firm(activity(cpv=("45000000",)), eid=2),
                                   firm(activity(), status="suspended", eid=3)])
    assert [r.enterprise_id for r in results] == [1]


def test_funnel_shares_are_whole_percent_of_the_matched_firms_rounded_half_up():
    from procurement.matching import Funnel

    steps = Funnel(matched=8, viewed=5, interested=1, not_interested=2, bid=0).steps()
    assert steps == [("matched", 8, 100), ("viewed", 5, 63), ("interested", 1, 13), ("bid", 0, 0)]
    assert Funnel(matched=3, viewed=2, interested=1, not_interested=0, bid=1).steps()[1] == ("viewed", 2, 67)
    assert all(pct is None for _, _, pct in Funnel(0, 0, 0, 0, 0).steps())
