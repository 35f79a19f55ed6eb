"""Code lists of the registry: codes in English, labels translated (Flask-Babel lazy strings).

The social-economy types follow the Belgian regional schemes (DOMAIN.md "Who uses it"): Walloon and
Brussels insertion enterprises (EI), Walloon IDESS and Brussels ILDE, sheltered/adapted workshops
(ETA in Wallonia and Brussels, maatwerkbedrijven in Flanders), social workshops, CPAS/OCMW
social-economy initiatives, repair cafés, reuse shops, cooperatives accredited by the National
Council for Cooperation. Issue 10 adds employment-purpose enterprises: "entreprise à but d'emploi"
(EBE) of the "Territoires zéro chômeur de longue durée" experiments (e.g. the Liège "conciergerie
sociale") and comparable regional schemes, created to employ long-term unemployed people of one
territory (the municipalities they serve: ``Enterprise.served_municipalities``). DOMAIN.md and
GLOSSARY.md do not name them: the French name is the reference; the Dutch
("werkgelegenheidsonderneming") and English ("employment-purpose enterprise") names are WORKING
TRANSLATIONS (UNVERIFIED), to be checked by the lead.
"""
from __future__ import annotations

from enum import Enum

from flask_babel import lazy_gettext as _l


class SocialType(str, Enum):
    INSERTION = "insertion"  # EI / IDESS / ILDE
    SHELTERED_WORKSHOP = "sheltered_workshop"  # ETA / maatwerkbedrijf
    SOCIAL_WORKSHOP = "social_workshop"  # atelier social / sociale werkplaats
    CPAS_INITIATIVE = "cpas_initiative"  # social-economy initiative of a CPAS / OCMW
    REPAIR_CAFE = "repair_cafe"
    REUSE_SHOP = "reuse_shop"  # second-hand shop, ressourcerie, kringwinkel
    COOPERATIVE = "cooperative"  # accredited cooperative
    EMPLOYMENT_PURPOSE = "employment_purpose"  # entreprise à but d'emploi (EBE), comparable schemes
    OTHER = "other"


TYPE_LABELS = {
    SocialType.INSERTION.value: _l("Insertion enterprise (EI, IDESS, ILDE)"),
    SocialType.SHELTERED_WORKSHOP.value: _l("Sheltered/adapted workshop (ETA, maatwerkbedrijf)"),
    SocialType.SOCIAL_WORKSHOP.value: _l("Social workshop"),
    SocialType.CPAS_INITIATIVE.value: _l("CPAS/OCMW social-economy initiative"),
    SocialType.REPAIR_CAFE.value: _l("Repair café"),
    SocialType.REUSE_SHOP.value: _l("Second-hand shop, ressourcerie, kringwinkel"),
    SocialType.COOPERATIVE.value: _l("Accredited cooperative"),
    SocialType.EMPLOYMENT_PURPOSE.value: _l("Employment-purpose enterprise (entreprise à but d'emploi, EBE: "
                                            "Territoires zéro chômeur de longue durée, or a comparable scheme)"),
    SocialType.OTHER.value: _l("Other social-economy enterprise"),
}


class ServiceType(str, Enum):
    WORKS = "works"
    SUPPLIES = "supplies"
    SERVICES = "services"
    STAFF_PROVISION = "staff_provision"


SERVICE_LABELS = {
    ServiceType.WORKS.value: _l("Works"),
    ServiceType.SUPPLIES.value: _l("Supplies"),
    ServiceType.SERVICES.value: _l("Services"),
    ServiceType.STAFF_PROVISION.value: _l("Staff provision"),
}


class CoverageKind(str, Enum):
    COUNTRY = "country"
    REGIONS = "regions"
    NUTS3 = "nuts3"
    MUNICIPALITIES = "municipalities"
    RADIUS = "radius"


COVERAGE_LABELS = {
    CoverageKind.COUNTRY.value: _l("Whole country"),
    CoverageKind.REGIONS.value: _l("Regions"),
    CoverageKind.NUTS3.value: _l("Arrondissements (NUTS-3)"),
    CoverageKind.MUNICIPALITIES.value: _l("A list of municipalities"),
    CoverageKind.RADIUS.value: _l("A radius around the seat"),
}

LEGAL_FORM_LABELS = {
    "asbl": _l("ASBL / VZW (non-profit association)"),
    "sc": _l("SC / CV (cooperative company)"),
    "srl": _l("SRL / BV (private limited company)"),
    "sa": _l("SA / NV (public limited company)"),
    "public": _l("Public body (CPAS/OCMW, commune...)"),
    "de_facto": _l("De facto association (no legal personality)"),
    "other": _l("Other legal form"),
}

TURNOVER_LABELS = {
    "lt_100k": _l("Less than 100,000 EUR"),
    "100k_500k": _l("100,000 to 500,000 EUR"),
    "500k_2m": _l("500,000 to 2 million EUR"),
    "2m_10m": _l("2 to 10 million EUR"),
    "gt_10m": _l("More than 10 million EUR"),
}

LANGUAGE_LABELS = {"fr": _l("French"), "nl": _l("Dutch"), "de": _l("German"), "en": _l("English")}

# Who issues accreditations (agrément / erkenning): the regions, the German-speaking Community
# (sheltered workshops in its territory) and the federal level (cooperatives, National Council for
# Cooperation).
ISSUER_LABELS = {
    "BE1": _l("Brussels-Capital Region"),
    "BE2": _l("Flemish Region"),
    "BE3": _l("Walloon Region"),
    "DG": _l("German-speaking Community"),
    "FED": _l("Federal (FPS Economy)"),
}

STATUS_LABELS = {
    "pending": _l("pending validation"),
    "validated": _l("validated"),
    "suspended": _l("suspended"),
}

# Actions of the profile history (registry.history.record).
ACTION_LABELS = {
    "created": _l("registered"), "updated": _l("edited"), "imported": _l("imported"),
    "validated": _l("validated"), "suspended": _l("suspended"), "accreditation": _l("accreditation"),
    "type_removed": _l("type removed"), "activity": _l("activity"), "activity_removed": _l("activity removed"),
    "reference": _l("reference added"), "reference_removed": _l("reference removed"),
    "access_approved": _l("access approved"), "access_rejected": _l("access rejected"),
}


# Types whose profile must name the territory (municipalities) the enterprise serves.
TERRITORY_TYPES = frozenset({SocialType.EMPLOYMENT_PURPOSE.value})


def label(table: dict, code: str | None) -> str:
    """The translated label of ``code`` in ``table``, or the code itself when unknown."""
    if not code:
        return ""
    return str(table.get(code, code))


def choices(table: dict, blank: str | None = None) -> list[tuple[str, str]]:
    """WTForms choices from a label table (labels evaluated in the current language)."""
    out = [(code, str(text)) for code, text in table.items()]
    return ([("", blank)] + out) if blank is not None else out


def service_type_for_cpv(code: str) -> str:
    """Works, supplies or services from the CPV division (Regulation (EC) No 213/2008 annex:
    divisions 03-44 and 48 are supplies, 45 is works, the others are services)."""
    division = int(code[:2])
    if division == 45:
        return ServiceType.WORKS.value
    if division <= 44 or division == 48:
        return ServiceType.SUPPLIES.value
    return ServiceType.SERVICES.value
