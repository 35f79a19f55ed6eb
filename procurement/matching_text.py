"""Words for the matching reasons (``procurement.matching`` codes) in the interface language."""
from __future__ import annotations

from flask_babel import gettext as _

from registry.codes import SERVICE_LABELS, TYPE_LABELS


def _types(params: dict) -> str:
    return ", ".join(str(TYPE_LABELS.get(t, t)) for t in params.get("types") or [])


def describe(reason: dict) -> str:
    """One reason ``{"code": ..., "params": {...}}`` as a sentence."""
    code, p = reason.get("code", ""), reason.get("params") or {}
    if code == "cpv_same":
        return _("CPV %(cpv)s is one of your activities", cpv=p.get("cpv", ""))
    if code == "cpv_under_activity":
        return _("CPV %(tender)s is under your activity %(activity)s",
                 tender=p.get("tender_cpv", ""), activity=p.get("activity_cpv", ""))
    if code == "cpv_activity_under":
        return _("your activity %(activity)s is under the tender's CPV %(tender)s",
                 tender=p.get("tender_cpv", ""), activity=p.get("activity_cpv", ""))
    if code == "service_type":
        return _("service type: %(type)s",
                 type=SERVICE_LABELS.get(p.get("service_type"), p.get("service_type", "")))
    if code == "place_unspecified":
        return _("no place of performance given")
    if code == "covers_municipality":
        return _("you cover the municipality %(name)s", name=p.get("municipality", ""))
    if code == "covers_country":
        return _("you cover the whole country")
    if code == "covers_region":
        return _("you cover the region %(name)s", name=p.get("name", ""))
    if code == "covers_nuts3":
        return _("you cover the arrondissement %(name)s (%(code)s)", name=p.get("name", ""),
                 code=p.get("nuts3", ""))
    if code == "covers_radius":
        return _("within %(km)s km of your seat (%(name)s)", km=p.get("radius_km", ""), name=p.get("name", ""))
    if code == "reserved_art20":
        return _("reserved (art. 20 / art. 15): you hold a valid accreditation (%(types)s) and "
                 "%(share)s %% disadvantaged workers", types=_types(p), share=p.get("share_pct", "?"))
    if code == "reserved_art77":
        return _("reserved (art. 77): you hold a valid accreditation (%(types)s); the buyer checks "
                 "the other art. 77 conditions", types=_types(p))
    return code


def describe_lots(reasons: list[dict]) -> list[dict]:
    """[{"lot": 1, "reservation": ..., "texts": [...]}] for templates, mails and the CLI."""
    return [{"lot": lot.get("lot"), "reservation": lot.get("reservation", "none"),
             "texts": [describe(r) for r in lot.get("reasons") or []]} for lot in reasons or []]
