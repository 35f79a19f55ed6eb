"""Demo registry: 31 fictional social-economy enterprises of every type in Brussels, Wallonia and
Flanders, several of them covering the demo municipality (Valmeuse, NUTS-3 BE352).

All names, numbers and addresses are invented. Enterprise numbers are 1999.00x.xxx numbers with
valid mod-97 check digits (a range the KBO has not issued). Most profiles are validated; two are
pending near-duplicates of validated ones (to show the duplicate warning), one more is pending, one
is suspended, one has an expired accreditation and the first one (managed by firm@demo.example, with
the second) has an accreditation that expires within 60 days. Idempotent: looked up by enterprise
number.
"""
from __future__ import annotations

from datetime import date, timedelta

from flask import current_app
from sqlmodel import select

from accounts.models import User
from registry import services, uploads
from registry.identifiers import check_digits
from registry.models import Accreditation, Enterprise, EnterpriseMember
from registry.normalise import fold

V, P, S = "validated", "pending", "suspended"
# name, legal form, types, postal code, municipality, NUTS-3, languages, staff total, disadvantaged,
# status, accreditations (type, number, issuer, days of validity left or None), activities
# (service type, CPV codes, coverage kind, areas, radius km)
ENTERPRISES = [
    ("Atelier Récup' Meuse ASBL", "asbl", ["reuse_shop", "insertion"], "5000", "Namur", "BE352", ["fr"], 42, 25, V,
     [("insertion", "EI-W-2019-0412", "BE3", 40)],
     [("supplies", "39100000 39130000 39160000", "nuts3", ["BE352", "BE351", "BE353"], None),
      ("services", "50850000", "radius", [], 40)]),
    ("Les Jardins de Valmeuse ASBL", "asbl", ["insertion"], "5020", "Valmeuse", "BE352", ["fr"], 18, 12, V,
     [("insertion", "IDESS-2021-077", "BE3", 700)],
     [("services", "77310000 77340000", "municipalities", ["Valmeuse", "Namur"], None),
      ("works", "45112710", "nuts3", ["BE352"], None)]),
    ("ETA Les Ateliers du Bocq ASBL", "asbl", ["sheltered_workshop"], "5530", "Yvoir", "BE351", ["fr"], 160, 128, V,
     [("sheltered_workshop", "ETA-AVIQ-0132", "BE3", 900)],
     [("services", "90910000 90911200", "regions", ["BE3"], None), ("services", "79800000", "country", [], None)]),
    ("Ressourcerie du Val de Sambre SC", "sc", ["reuse_shop", "insertion"], "6000", "Charleroi", "BE32B", ["fr"], 35, 20, V,
     [("insertion", "EI-W-2017-0233", "BE3", 420)],
     [("services", "90511000", "radius", [], 50), ("supplies", "39000000", "regions", ["BE3"], None)]),
    ("Repair Café Gembloux ASBL", "asbl", ["repair_cafe"], "5030", "Gembloux", "BE352", ["fr"], None, None, V,
     [], [("services", "50000000 50300000", "radius", [], 20)]),
    ("CPAS de Valmeuse — Service d'insertion (fictif)", "public", ["cpas_initiative"], "5020", "Valmeuse", "BE352",
     ["fr"], 12, 10, V, [("cpas_initiative", "SE-CPAS-2020-15", "BE3", None)],
     [("services", "55520000 90911200", "nuts3", ["BE352"], None)]),
    ("Coopérative Terre Fertile SC", "sc", ["cooperative"], "4000", "Liège", "BE332", ["fr", "de"], 22, 5, V,
     [("cooperative", "CNC-2018-3341", "FED", 500)],
     [("supplies", "15000000", "regions", ["BE3"], None), ("services", "55524000", "regions", ["BE3"], None)]),
    ("Bâti-Insert Hainaut SRL", "srl", ["insertion"], "7000", "Mons", "BE323", ["fr"], 48, 30, V,
     [("insertion", "EI-W-2016-0118", "BE3", 365)],
     [("works", "45000000 45442100 45430000", "regions", ["BE3"], None)]),
    ("Atelier Recup Meuse", "asbl", ["reuse_shop"], "5000", "Namur", "BE352", ["fr"], 8, 5, P, [],
     [("supplies", "39100000", "nuts3", ["BE352"], None)]),
    ("Imprimerie Solidaire du Condroz ASBL", "asbl", ["sheltered_workshop"], "5590", "Ciney", "BE351", ["fr", "nl"],
     64, 50, V, [("sheltered_workshop", "ETA-AVIQ-0098", "BE3", 800)],
     [("services", "79800000 79810000 79823000", "country", [], None)]),
    ("Nettoyage & Insertion Ardenne SRL", "srl", ["insertion"], "6600", "Bastogne", "BE342", ["fr"], 27, 16, V,
     [("insertion", "EI-W-2015-0071", "BE3", -10)],
     [("services", "90910000 90919200", "nuts3", ["BE342", "BE343", "BE344", "BE352"], None)]),
    ("Vélo-Atelier Solidaire Wavre ASBL", "asbl", ["social_workshop"], "1300", "Wavre", "BE310", ["fr"], 14, 9, V,
     [("social_workshop", "AS-2022-004", "BE3", 400)], [("services", "50100000", "radius", [], 30)]),
    ("Traiteur Solidaire Les Saveurs Mosanes ASBL", "asbl", ["insertion"], "5500", "Dinant", "BE351", ["fr"], 19, 11, V,
     [("insertion", "IDESS-2019-031", "BE3", 300)],
     [("services", "55520000 55521200", "nuts3", ["BE351", "BE352", "BE353"], None)]),
    ("Ferme d'Insertion du Condroz ASBL", "asbl", ["insertion"], "5590", "Ciney", "BE351", ["fr"], 9, 6, P, [],
     [("supplies", "15000000", "nuts3", ["BE351", "BE352"], None)]),
    ("Les Ateliers Bruxellois du Réemploi ASBL", "asbl", ["reuse_shop", "insertion"], "1070", "Anderlecht", "BE100",
     ["fr", "nl"], 55, 33, V, [("insertion", "ILDE-BXL-2020-09", "BE1", 600)],
     [("supplies", "39100000 30213000", "country", [], None)]),
    ("Clean Brussels Insertion SRL", "srl", ["insertion"], "1000", "Bruxelles", "BE100", ["fr", "nl", "en"], 80, 45, V,
     [("insertion", "EI-BXL-0087", "BE1", 200)], [("services", "90911200 90919200", "regions", ["BE1"], None)]),
    ("ETA Atelier Sésame Bruxelles ASBL", "asbl", ["sheltered_workshop"], "1140", "Evere", "BE100", ["fr", "nl"], 210,
     170, V, [("sheltered_workshop", "ETA-PHARE-044", "BE1", 1000)],
     [("services", "79520000 79500000", "country", [], None)]),
    ("Repair Café Schaerbeek ASBL", "asbl", ["repair_cafe"], "1030", "Schaerbeek", "BE100", ["fr", "nl"], None, None, V,
     [], [("services", "50300000", "radius", [], 10)]),
    ("Maison Verte Etterbeek SC", "sc", ["cooperative", "insertion"], "1040", "Etterbeek", "BE100", ["fr"], 16, 9, V,
     [("insertion", "ILDE-BXL-2021-14", "BE1", 100), ("cooperative", "CNC-2021-0420", "FED", 700)],
     [("services", "77311000 77313000", "regions", ["BE1"], None)]),
    ("Cuisine de Quartier Molenbeek ASBL", "asbl", ["insertion"], "1080", "Molenbeek-Saint-Jean", "BE100", ["fr", "nl"],
     25, 17, P, [], [("services", "55320000", "regions", ["BE1"], None)]),
    ("Transport Solidaire Bruxelles ASBL", "asbl", ["other"], "1060", "Saint-Gilles", "BE100", ["fr"], 12, 4, S, [],
     [("services", "64120000 60100000", "regions", ["BE1"], None)]),
    ("Kringwinkel Scheldeland VZW", "asbl", ["reuse_shop"], "9200", "Dendermonde", "BE232", ["nl"], 120, 85, V,
     [("reuse_shop", "KW-2019-112", "BE2", 500)],
     [("supplies", "39000000 18000000", "nuts3", ["BE232", "BE231", "BE236"], None),
      ("services", "90511000", "nuts3", ["BE232"], None)]),
    ("De Kringwinkel Schelde-Land", "asbl", ["reuse_shop"], "9200", "Dendermonde", "BE232", ["nl"], 30, 20, P, [],
     [("supplies", "39000000", "nuts3", ["BE232"], None)]),
    ("Maatwerkbedrijf Groenkracht Gent VZW", "asbl", ["sheltered_workshop"], "9000", "Gent", "BE234", ["nl", "fr"], 340,
     290, V, [("sheltered_workshop", "MWB-VL-2018-221", "BE2", 1200)],
     [("services", "77310000 77314000 90610000", "regions", ["BE2"], None), ("works", "45112710", "regions", ["BE2"], None)]),
    ("Sociale Werkplaats Kempen VZW", "asbl", ["social_workshop"], "2300", "Turnhout", "BE213", ["nl"], 45, 38, V,
     [("social_workshop", "SW-VL-0093", "BE2", 800)],
     [("works", "45442100 45420000", "nuts3", ["BE213", "BE211", "BE212"], None)]),
    ("Repair Café Leuven VZW", "asbl", ["repair_cafe"], "3000", "Leuven", "BE242", ["nl", "en"], None, None, V, [],
     [("services", "50000000", "radius", [], 15)]),
    ("Drukkerij De Brug CV", "sc", ["sheltered_workshop", "cooperative"], "8500", "Kortrijk", "BE254", ["nl", "fr"], 95, 70,
     V, [("sheltered_workshop", "MWB-VL-2016-310", "BE2", 400)], [("services", "79800000 79810000", "country", [], None)]),
    ("Catering Smaakmakers Antwerpen CV", "sc", ["cooperative"], "2000", "Antwerpen", "BE211", ["nl", "en"], 30, 12, V,
     [("cooperative", "NRC-2017-555", "FED", 365)],
     [("services", "55520000 55320000", "regions", ["BE2", "BE1"], None)]),
    ("OCMW Brugge Sociale Economie (fictief)", "public", ["cpas_initiative"], "8000", "Brugge", "BE251", ["nl"], 20, 18,
     V, [("cpas_initiative", "OCMW-SE-12", "BE2", None)],
     [("services", "90911000 98341110", "nuts3", ["BE251"], None)]),
    ("Buurtwerk Limburg VZW", "asbl", ["other"], "3500", "Hasselt", "BE224", ["nl"], 10, 3, V, [],
     [("services", "85300000 80530000", "regions", ["BE2"], None)]),
    ("Toitures Solidaires Namur SRL", "srl", ["insertion"], "5000", "Namur", "BE352", ["fr"], 20, 12, V,
     [("insertion", "EI-W-2020-0307", "BE3", 500)],
     [("works", "45400000 45440000 45453000", "nuts3", ["BE352", "BE351"], None)]),
]
REFERENCES = {
    1: [("Ville de Namur (fictif)", 2024, "48000", "Mobilier de réemploi pour trois écoles")],
    2: [("Commune de Valmeuse (fictive)", 2023, "26500", "Entretien des espaces verts du cimetière")],
    8: [("CPAS de Mons (fictif)", 2022, "310000", "Rénovation et peinture de 12 logements")],
    22: [("Stad Dendermonde (fictief)", 2024, "75000", "Inzameling en hergebruik van grofvuil")],
}
# A one-page PDF standing in for the scanned accreditation of the first enterprise.
DEMO_PROOF = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
              b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")


def demo_number(i: int) -> str:
    first8 = f"199900{i:02d}"
    return f"{first8}{check_digits(first8):02d}"


def _slug(name: str) -> str:
    return "-".join(fold(name.split(" (")[0]).split())[:40].strip("-")


def load(session) -> str:
    admin = session.exec(select(User).where(User.email == "admin@demo.example")).first()
    firm = session.exec(select(User).where(User.email == "firm@demo.example")).first()
    created = 0
    for i, (name, form, types, postal, town, nuts3, langs, total, dis, status, accs, acts) in enumerate(ENTERPRISES, 1):
        number = demo_number(i)
        if session.exec(select(Enterprise).where(Enterprise.enterprise_number == number)).first():
            continue
        slug = _slug(name)
        data = {"legal_name": name, "enterprise_number": number, "legal_form": form, "types": types,
                "postal_code": postal, "municipality": town, "nuts3": nuts3, "languages": langs,
                "staff_total": total, "staff_disadvantaged": dis, "website": f"https://{slug}.example",
                "email": f"contact@{slug}.example", "street": f"Rue de l'Exemple {i}",
                "description": "Entreprise fictive de démonstration." if "fr" in langs else "Fictieve demo-onderneming."}
        enterprise = services.create_enterprise(session, data, status=V if status == S else status, actor=admin,
                                               commit=False)
        if status == S:
            services.set_status(session, enterprise, S, actor=admin, reason="Démonstration : agrément en cours de "
                                "vérification / demo: accreditation under review", commit=False)
        for code, acc_number, issuer, days in accs:
            row = session.exec(select(Accreditation).where(Accreditation.enterprise_id == enterprise.id,
                                                           Accreditation.type_code == code)).one()
            until = date.today() + timedelta(days=days) if days is not None else None
            proof = uploads.check_proof("agrement.pdf", DEMO_PROOF, 10**6) if i == 1 else None
            services.save_accreditation(session, enterprise, {
                "number": acc_number, "issuing_region": issuer, "valid_until": until,
                "valid_from": date(2015, 1, 1)}, accreditation=row, proof=proof,
                upload_dir=current_app.config["UPLOAD_DIR"], actor=admin, commit=False)
        for service, cpv, kind, areas, radius in acts:
            services.save_activity(session, enterprise, {"service_type": service, "cpv_codes": cpv, "coverage_kind": kind,
                                                         "coverage_areas": areas, "radius_km": radius}, actor=admin,
                                   commit=False)
        for buyer, year, amount, text in REFERENCES.get(i, []):
            services.save_reference(session, enterprise, {"buyer": buyer, "year": year, "amount_eur": amount,
                                                          "description": text}, actor=admin, commit=False)
        if firm is not None and i in (1, 2):
            session.add(EnterpriseMember(enterprise_id=enterprise.id, user_id=firm.id))
        created += 1
    session.commit()
    return f"registry: {created} enterprises created, {len(ENTERPRISES) - created} already present"
