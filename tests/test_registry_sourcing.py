"""sourcing_candidates: the interface the tender feature codes against."""
from datetime import date, timedelta

from registry.services import SourcingCandidate, sourcing_candidates
from tests.registry_helpers import make_enterprise


def _names(candidates):
    return [c.name for c in candidates]


def test_cpv_matches_ancestors_and_descendants_either_way(session):
    make_enterprise(session, "Bâti Général", 1, activities=(("works", "45000000", "country", [], None),))
    make_enterprise(session, "Peintres Solidaires", 2, activities=(("works", "45442100", "country", [], None),))
    make_enterprise(session, "Nettoyage Pro", 3, activities=(("services", "90910000", "country", [], None),))
    # A painting tender finds the general builder (ancestor) and the painters (same code).
    assert sorted(_names(sourcing_candidates(session, ["45442100-8"]))) == ["Bâti Général", "Peintres Solidaires"]
    # A construction tender finds the painters (descendant) too.
    found = {c.name: c.matched_cpv for c in sourcing_candidates(session, ["45000000"])}
    assert found == {"Bâti Général": ["45000000"], "Peintres Solidaires": ["45442100"]}
    # Siblings do not match: 45210000 is neither above nor below 45442100.
    assert _names(sourcing_candidates(session, ["45210000"])) == ["Bâti Général"]
    assert sourcing_candidates(session, ["not-a-code"]) == []


def test_only_validated_enterprises(session):
    make_enterprise(session, "Validée", 1)
    make_enterprise(session, "En attente", 2, status="pending")
    make_enterprise(session, "Suspendue", 3, status="suspended")
    assert _names(sourcing_candidates(session, ["90910000"])) == ["Validée"]


def test_coverage_must_include_the_place(session):
    make_enterprise(session, "Partout", 1, activities=(("services", "90910000", "country", [], None),))
    make_enterprise(session, "Wallonie", 2, activities=(("services", "90910000", "regions", ["BE3"], None),))
    make_enterprise(session, "Flandre", 3, postal_code="9000", municipality="Gent", nuts3="BE234",
                    activities=(("services", "90910000", "regions", ["BE2"], None),))
    make_enterprise(session, "Arr. Namur", 4, activities=(("services", "90910000", "nuts3", ["BE352"], None),))
    make_enterprise(session, "Rayon Dinant", 5, postal_code="5500", municipality="Dinant", nuts3="BE351",
                    activities=(("services", "90910000", "radius", [], 30),))
    make_enterprise(session, "Rayon Arlon", 6, postal_code="6700", municipality="Arlon", nuts3="BE341",
                    activities=(("services", "90910000", "radius", [], 30),))
    make_enterprise(session, "Commune du siège", 7, municipality="Valmeuse",
                    activities=(("services", "90910000", "municipalities", ["Valmeuse"], None),))
    assert sorted(_names(sourcing_candidates(session, ["90910000"], nuts3="BE352"))) == [
        "Arr. Namur", "Commune du siège", "Partout", "Rayon Dinant", "Wallonie"]
    assert sorted(_names(sourcing_candidates(session, ["90910000"], nuts3="BE234"))) == ["Flandre", "Partout"]


def test_the_matching_activity_itself_must_cover_the_place(session):
    make_enterprise(session, "Deux activités", 1, activities=(
        ("services", "90910000", "regions", ["BE2"], None), ("services", "77310000", "regions", ["BE3"], None)))
    assert sourcing_candidates(session, ["90910000"], nuts3="BE352") == []
    assert _names(sourcing_candidates(session, ["77310000"], nuts3="BE352")) == ["Deux activités"]


def test_eligibility_share_and_accreditation_on_the_given_day(session):
    today = date.today()
    make_enterprise(session, "Éligible", 1, staff=(10, 4), accreditation=("EI-1", 30))
    make_enterprise(session, "Trop peu", 2, staff=(10, 2))
    make_enterprise(session, "Sans effectif", 3, staff=(None, None))
    make_enterprise(session, "Sans agrément", 4, accreditation=None)
    candidates = sourcing_candidates(session, ["90910000"], today=today)
    assert isinstance(candidates[0], SourcingCandidate)
    assert [(c.name, c.eligible_reserved) for c in candidates] == [
        ("Éligible", True), ("Sans agrément", False), ("Trop peu", False), ("Sans effectif", False)]
    assert candidates[0].disadvantaged_share == 0.4 and candidates[-1].disadvantaged_share is None
    assert candidates[0].types == ["insertion"] and candidates[0].municipality == "Namur"
    # The accreditation ends in 30 days: on day 31 the firm no longer counts as eligible.
    later = sourcing_candidates(session, ["90910000"], today=today + timedelta(days=31))
    assert not any(c.eligible_reserved for c in later)
    # A stricter share threshold (min_share_pct) is honoured.
    assert not sourcing_candidates(session, ["90910000"], min_share_pct=50, today=today)[0].eligible_reserved
