"""Belgian regions and NUTS-3 areas (the hand-written starter set), with approximate centres.

NUTS 2021 for Belgium (DOMAIN.md "Identifiers and code lists"; Commission Regulation (EU) 2019/1755):
3 regions (BE1 Brussels-Capital, BE2 Flanders, BE3 Wallonia) and 44 NUTS-3 areas, which are the
arrondissements (Verviers is split in two: its French-speaking communes BE335 and the German-speaking
Community BE336). Names are the national names of the NUTS file (proper names: not translated).

Distances: no coordinate file for all municipalities exists in ``shared/data``, so every place is
approximated by the main town of its arrondissement (coordinates below, written by hand, rounded to
0.01°). A distance between two places is therefore the distance between their arrondissements'
main towns: good to about ±25 km, enough for "within 30 km" but not for street-level precision.
Pure module: no Flask, no database.
"""
from __future__ import annotations

import math

REGIONS = {"BE1": "Région de Bruxelles-Capitale / Brussels Hoofdstedelijk Gewest",
           "BE2": "Vlaams Gewest", "BE3": "Région wallonne"}

# code: (name, latitude, longitude of the arrondissement's main town)
NUTS3 = {
    "BE100": ("Arr. de Bruxelles-Capitale / Arr. Brussel-Hoofdstad", 50.85, 4.35),
    "BE211": ("Arr. Antwerpen", 51.22, 4.40),
    "BE212": ("Arr. Mechelen", 51.03, 4.48),
    "BE213": ("Arr. Turnhout", 51.32, 4.94),
    "BE223": ("Arr. Tongeren", 50.78, 5.46),
    "BE224": ("Arr. Hasselt", 50.93, 5.34),
    "BE225": ("Arr. Maaseik", 51.10, 5.79),
    "BE231": ("Arr. Aalst", 50.94, 4.04),
    "BE232": ("Arr. Dendermonde", 51.03, 4.10),
    "BE233": ("Arr. Eeklo", 51.19, 3.56),
    "BE234": ("Arr. Gent", 51.05, 3.72),
    "BE235": ("Arr. Oudenaarde", 50.85, 3.61),
    "BE236": ("Arr. Sint-Niklaas", 51.17, 4.14),
    "BE241": ("Arr. Halle-Vilvoorde", 50.93, 4.43),
    "BE242": ("Arr. Leuven", 50.88, 4.70),
    "BE251": ("Arr. Brugge", 51.21, 3.22),
    "BE252": ("Arr. Diksmuide", 51.03, 2.86),
    "BE253": ("Arr. Ieper", 50.85, 2.89),
    "BE254": ("Arr. Kortrijk", 50.83, 3.26),
    "BE255": ("Arr. Oostende", 51.23, 2.92),
    "BE256": ("Arr. Roeselare", 50.95, 3.12),
    "BE257": ("Arr. Tielt", 51.00, 3.33),
    "BE258": ("Arr. Veurne", 51.07, 2.66),
    "BE310": ("Arr. Nivelles", 50.67, 4.57),
    "BE323": ("Arr. Mons", 50.45, 3.95),
    "BE328": ("Arr. Tournai-Mouscron", 50.61, 3.39),
    "BE329": ("Arr. La Louvière", 50.48, 4.19),
    "BE32A": ("Arr. Ath", 50.63, 3.78),
    "BE32B": ("Arr. Charleroi", 50.41, 4.44),
    "BE32C": ("Arr. Soignies", 50.58, 4.07),
    "BE32D": ("Arr. Thuin", 50.34, 4.29),
    "BE331": ("Arr. Huy", 50.52, 5.24),
    "BE332": ("Arr. Liège", 50.63, 5.57),
    "BE334": ("Arr. Waremme", 50.70, 5.25),
    "BE335": ("Arr. Verviers — communes francophones", 50.59, 5.86),
    "BE336": ("Bezirk Verviers — Deutschsprachige Gemeinschaft", 50.45, 6.10),
    "BE341": ("Arr. Arlon", 49.68, 5.82),
    "BE342": ("Arr. Bastogne", 50.00, 5.72),
    "BE343": ("Arr. Marche-en-Famenne", 50.23, 5.34),
    "BE344": ("Arr. Neufchâteau", 49.84, 5.44),
    "BE345": ("Arr. Virton", 49.57, 5.53),
    "BE351": ("Arr. Dinant", 50.26, 4.91),
    "BE352": ("Arr. Namur", 50.47, 4.87),
    "BE353": ("Arr. Philippeville", 50.20, 4.54),
}

# REFNIS arrondissement code (first two digits of a municipality's NIS code) -> NUTS 2021 code.
# The NUTS codes printed in the REFNIS file are older NUTS versions (BE321 Ath ...), hence this table.
ARRONDISSEMENT_NUTS3 = {
    "11": "BE211", "12": "BE212", "13": "BE213", "21": "BE100", "23": "BE241", "24": "BE242",
    "25": "BE310", "31": "BE251", "32": "BE252", "33": "BE253", "34": "BE254", "35": "BE255",
    "36": "BE256", "37": "BE257", "38": "BE258", "41": "BE231", "42": "BE232", "43": "BE233",
    "44": "BE234", "45": "BE235", "46": "BE236", "51": "BE32A", "52": "BE32B", "53": "BE323",
    "54": "BE328", "55": "BE32C", "56": "BE32D", "57": "BE328", "58": "BE329", "61": "BE331",
    "62": "BE332", "63": "BE335", "64": "BE334", "71": "BE224", "72": "BE225", "73": "BE223",
    "81": "BE341", "82": "BE342", "83": "BE343", "84": "BE344", "85": "BE345", "91": "BE351",
    "92": "BE352", "93": "BE353",
}
# The nine municipalities of the German-speaking Community (arrondissement Verviers -> BE336).
GERMAN_SPEAKING_NIS = {"63001", "63012", "63013", "63023", "63040", "63048", "63061", "63067", "63087"}

# bpost postal-code ranges -> region (first digit and ranges are fixed by province).
_POSTAL_REGIONS = [(1000, 1299, "BE1"), (1300, 1499, "BE3"), (1500, 3999, "BE2"),
                   (4000, 7999, "BE3"), (8000, 9999, "BE2")]


def region_of_nuts3(code: str | None) -> str:
    return code[:3] if code and code[:3] in REGIONS else ""


def nuts3_in_region(region: str) -> list[str]:
    return [code for code in NUTS3 if code.startswith(region)]


def nuts3_of_nis(nis_code: str) -> str:
    """NUTS-3 area of a municipality from its NIS code (arrondissement digits)."""
    if nis_code in GERMAN_SPEAKING_NIS:
        return "BE336"
    return ARRONDISSEMENT_NUTS3.get(str(nis_code)[:2], "")


def region_of_postal_code(postal_code: str | None) -> str:
    """Region from a Belgian postal code (bpost ranges); '' when not a Belgian code."""
    if not postal_code or not str(postal_code).isdigit() or len(str(postal_code)) != 4:
        return ""
    value = int(postal_code)
    for low, high, region in _POSTAL_REGIONS:
        if low <= value <= high:
            return region
    return ""


def distance_km(a: str, b: str) -> float:
    """Great-circle distance between the main towns of two NUTS-3 areas (see module docstring)."""
    _, lat1, lon1 = NUTS3[a]
    _, lat2, lon2 = NUTS3[b]
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(h))


def nuts3_within(centre: str, km: float) -> list[str]:
    """NUTS-3 areas whose main town lies within ``km`` of ``centre``'s (the centre included)."""
    if centre not in NUTS3:
        return []
    return [code for code in NUTS3 if code == centre or distance_km(centre, code) <= km]
