"""Demo data (issue 10): an employment-purpose enterprise ("entreprise à but d'emploi", EBE, of the
Territoires zéro chômeur de longue durée experiments) with the territory it serves.

The enterprise is fictional (demo enterprise number 1999.0040.xx, see demo.registry.demo_number). Its
territory, Liège and Seraing, must be in the municipality reference list (registry.refdata); when
that list has not been imported (``flask --app app refdata import municipalities``), the two
municipalities are added with their real REFNIS codes, names and NUTS-3 area, so that a later full
import simply updates them. Everything goes through registry.services. Idempotent: looked up by
enterprise number.
"""
from __future__ import annotations

from sqlmodel import select

from accounts.models import User
from demo.registry import demo_number
from registry import services
from registry.models import Enterprise
from registry.normalise import fold
from registry.refdata_models import Municipality

NUMBER_INDEX = 40
# REFNIS code, French, Dutch, German name, NUTS-3, main postal code (Statbel REFNIS 2025).
MUNICIPALITIES = [("62063", "Liège", "Luik", "Lüttich", "BE332", "4000"),
                  ("62096", "Seraing", "Seraing", "Seraing", "BE332", "4100")]
NAME = "Conciergerie de Quartier Meuse-Ourthe EBE (fictive)"


def _ensure_municipalities(session) -> None:
    for nis, fr, nl, de, nuts3, postal in MUNICIPALITIES:
        if session.get(Municipality, nis) is None:
            session.add(Municipality(nis_code=nis, name_fr=fr, name_nl=nl, name_de=de, key_fr=fold(fr),
                                     key_nl=fold(nl), key_de=fold(de), nuts3=nuts3, region="BE3",
                                     main_postal_code=postal))
    session.flush()


def load(session) -> str:
    number = demo_number(NUMBER_INDEX)
    if session.exec(select(Enterprise).where(Enterprise.enterprise_number == number)).first():
        return "employment-purpose enterprise: already present"
    admin = session.exec(select(User).where(User.email == "admin@demo.example")).first()
    _ensure_municipalities(session)
    data = {"legal_name": NAME, "enterprise_number": number, "legal_form": "asbl",
            "types": ["employment_purpose"], "street": "Rue de l'Exemple 40", "postal_code": "4100",
            "municipality": "Seraing", "nuts3": "BE332", "languages": ["fr"], "staff_total": 24,
            "staff_disadvantaged": 20, "website": "https://conciergerie-meuse-ourthe.example",
            "email": "contact@conciergerie-meuse-ourthe.example",
            "served_municipalities": "Liège\nSeraing",
            "description": "Entreprise fictive de démonstration : entreprise à but d'emploi qui engage en CDI des "
                           "chômeurs de longue durée du territoire pour des travaux utiles non couverts "
                           "(conciergerie sociale, petits travaux, entretien d'espaces verts, couture)."}
    enterprise = services.create_enterprise(session, data, status="validated", actor=admin, commit=False)
    for service, cpv in (("services", "77310000 77340000"), ("services", "90910000"),
                         ("services", "98300000")):
        services.save_activity(session, enterprise, {"service_type": service, "cpv_codes": cpv,
                                                     "coverage_kind": "municipalities",
                                                     "coverage_areas": ["Liège", "Seraing"], "radius_km": None},
                               actor=admin, commit=False)
    session.commit()
    return "employment-purpose enterprise: 1 created (territory: Liège, Seraing)"
