"""Demo tenders of the Commune de Valmeuse (fictional), built through the tender services.

* ``DEMO-2026-001`` — green-space maintenance and cleaning, two lots (lot 2 reserved, art. 20),
  social criteria and clauses; PUBLISHED with its bid deadline and opening already past, so the
  bids demo (which runs after this loader) can add bids and open them. Lot 1 criteria codes:
  ``price``, ``hours``, ``plan``.
* ``DEMO-2026-002`` — interior painting of a school (works), still a DRAFT: shows the
  insertion-hour calculator, the procedure and sourcing advice to a new user.

Idempotent: a tender whose reference exists is left as it is.
"""
from __future__ import annotations

from datetime import datetime, time, timedelta, timezone

from sqlmodel import select

from accounts.models import Authority, User
from common.timeutil import BRUSSELS, utcnow
from demo.accounts import MUNICIPALITY
from procurement import publication
from procurement import tender_queries as q
from procurement import tender_services as services
from procurement.insertion import insertion_hours

def _at(day, hour: int, minute: int = 0) -> datetime:
    """A Brussels wall-clock time on ``day``, as aware UTC."""
    return datetime.combine(day, time(hour, minute), tzinfo=BRUSSELS).astimezone(timezone.utc)


def _settings():
    from flask import current_app

    return current_app.config


GRID_PLAN = (
    "0 : aucun plan ou plan sans lien avec le marché.\n\n"
    "1–4 : public visé et nombre d'heures indiqués, sans encadrement ni calendrier.\n\n"
    "5–7 : tuteur désigné, tâches et calendrier décrits, partenaire d'insertion identifié.\n\n"
    "8–10 : plan complet : tutorat avec temps dédié, formation certifiante, partenariats signés, "
    "rapportage mensuel prévu."
)


def _lot1_criteria():
    return [
        {"code": "price", "kind": "price", "label_fr": "Prix", "label_nl": "Prijs",
         "label_en": "Price", "weight": "40", "formula": "proportional"},
        {"code": "hours", "kind": "quantity", "label_fr": "Heures d'insertion offertes",
         "label_nl": "Aangeboden inschakelingsuren", "label_en": "Insertion hours offered",
         "weight": "35", "better": "higher", "unit": "h", "is_social": True,
         "link_to_subject": "Seules les heures prestées pour l'entretien des espaces verts de ce "
                            "marché comptent."},
        {"code": "plan", "kind": "rating", "label_fr": "Qualité du plan d'insertion et "
         "d'encadrement", "label_nl": "Kwaliteit van het inschakelings- en begeleidingsplan",
         "label_en": "Quality of the insertion and supervision plan", "weight": "25", "scale": "10",
         "scoring_grid": GRID_PLAN, "is_social": True,
         "link_to_subject": "Le plan porte sur les personnes affectées à l'exécution de ce marché."},
    ]


def _lot2_criteria():
    return [
        {"code": "price", "kind": "price", "label_fr": "Prix", "label_nl": "Prijs",
         "label_en": "Price", "weight": "60", "formula": "proportional"},
        {"code": "method", "kind": "rating", "label_fr": "Méthode de nettoyage et encadrement",
         "label_nl": "Schoonmaakmethode en begeleiding", "label_en": "Cleaning method and supervision",
         "weight": "40", "scale": "10",
         "scoring_grid": "0 : rien. 5 : méthode et encadrement décrits. 10 : méthode, produits "
                         "écologiques, encadrement et formation du personnel décrits et chiffrés."},
    ]


def _first(session, buyer, authority, settings) -> str:
    today = utcnow().astimezone(BRUSSELS).date()
    published = _at(today - timedelta(days=45), 9)
    data = {
        "reference": "DEMO-2026-001",
        "title_fr": "Entretien des espaces verts et nettoyage des bâtiments communaux",
        "title_nl": "Onderhoud van groene ruimten en schoonmaak van de gemeentegebouwen",
        "title_en": "Maintenance of green spaces and cleaning of municipal buildings",
        "description_fr": "Entretien des parcs, cimetières et abords des bâtiments de la commune "
                          "(lot 1) et nettoyage de la maison communale et de la bibliothèque "
                          "(lot 2, réservé), pour trois ans.",
        "description_nl": "Onderhoud van de parken, begraafplaatsen en omgeving van de "
                          "gemeentegebouwen (perceel 1) en schoonmaak van het gemeentehuis en de "
                          "bibliotheek (perceel 2, voorbehouden), voor drie jaar.",
        "description_en": "Upkeep of the parks, cemeteries and grounds of municipal buildings "
                          "(lot 1) and cleaning of the town hall and the library (lot 2, "
                          "reserved), for three years.",
        "nature": "services", "cpv_main": "77310000", "cpv_additional": ["90910000"],
        "nuts3": authority.nuts3 or "BE352", "municipality": authority.municipality or "Valmeuse",
        "estimated_value": "480000", "duration_months": 36,
        "publication_date": published,
        "question_deadline": _at(today - timedelta(days=20), 12),
        "bid_deadline": _at(today - timedelta(days=5), 11),
        "opening_at": _at(today - timedelta(days=5), 11, 30),
        "insertion": {"labour_share": "0.60", "rate": "0.05", "hourly_cost": "30"},
    }
    tender = services.create_tender(session, buyer, data, authority_id=authority.id,
                                    settings=settings)
    services.save_lots(session, buyer, tender, [
        {"number": 1, "title_fr": "Entretien des espaces verts", "title_nl": "Onderhoud van groene "
         "ruimten", "title_en": "Green-space maintenance", "cpv_codes": ["77310000"],
         "estimated_value": "300000", "reservation": "none"},
        {"number": 2, "title_fr": "Nettoyage des bâtiments communaux", "title_nl": "Schoonmaak "
         "van de gemeentegebouwen", "title_en": "Cleaning of municipal buildings",
         "cpv_codes": ["90910000"], "estimated_value": "180000", "reservation": "art20"},
    ])
    lots = {lot.number: lot for lot in q.lots_of(session, tender)}
    services.save_criteria(session, buyer, tender, lots[1], mode="weighted", justification="",
                           criteria=_lot1_criteria(), settings=settings)
    services.save_criteria(session, buyer, tender, lots[2], mode="weighted", justification="",
                           criteria=_lot2_criteria(), settings=settings)
    lot1_hours = insertion_hours(300000, "0.60", "0.05", 30).hours
    services.save_clauses(session, buyer, tender, [
        {"clause_id": "reserved-lot-art20", "lot_number": 2,
         "parameters": {"lot_number": "2", "disadvantaged_share": "30"}},
        {"clause_id": "award-insertion-hours", "lot_number": 1,
         "parameters": {"weight": "35", "cap_hours": str(lot1_hours)}},
        {"clause_id": "award-insertion-plan-quality", "lot_number": 1,
         "parameters": {"weight": "25", "max_pages": "5"}},
        {"clause_id": "social-clause-penalties", "lot_number": None,
         "parameters": {"total_rate": "2.5", "partial_rate": "1.5", "tolerance": "10"}},
        {"clause_id": "reporting-monthly-hours", "lot_number": None,
         "parameters": {"report_day": "10"}},
    ])
    advised = q.procedure_advice_for(session, tender, settings).procedure
    publication.publish(session, buyer, tender, procedure=advised, settings=settings,
                     now=published + timedelta(hours=1))
    return tender.reference


def _second(session, buyer, authority, settings) -> str:
    today = utcnow().astimezone(BRUSSELS).date()
    data = {
        "reference": "DEMO-2026-002",
        "title_fr": "Peinture intérieure de l'école communale des Tilleuls",
        "title_nl": "Binnenschilderwerk van de gemeentelijke school De Linden",
        "title_en": "Interior painting of the Les Tilleuls municipal school",
        "description_fr": "Remise en peinture des classes, couloirs et du réfectoire pendant les "
                          "vacances d'été, avec formation de demandeurs d'emploi sur chantier.",
        "description_nl": "Herschilderen van de klassen, gangen en refter tijdens de zomervakantie, "
                          "met opleiding van werkzoekenden op de werf.",
        "description_en": "Repainting of classrooms, corridors and the canteen during the summer "
                          "holidays, with on-site training of jobseekers.",
        "nature": "works", "cpv_main": "45442100", "cpv_additional": [],
        "nuts3": authority.nuts3 or "BE352", "municipality": authority.municipality or "Valmeuse",
        "estimated_value": "250000", "duration_months": 4,
        "publication_date": _at(today + timedelta(days=7), 9),
        "question_deadline": _at(today + timedelta(days=21), 12),
        "bid_deadline": _at(today + timedelta(days=35), 11),
        "opening_at": _at(today + timedelta(days=35), 11, 30),
        "insertion": {"labour_share": "0.70", "rate": "0.05", "hourly_cost": "30"},
    }
    tender = services.create_tender(session, buyer, data, authority_id=authority.id,
                                    settings=settings)
    lot = q.lots_of(session, tender)[0]
    criteria = _lot1_criteria()
    criteria[0]["weight"], criteria[1]["weight"], criteria[2]["weight"] = "60", "25", "15"
    criteria[1]["link_to_subject"] = "Seules les heures prestées sur ce chantier comptent."
    services.save_criteria(session, buyer, tender, lot, mode="weighted", justification="",
                           criteria=criteria, settings=settings)
    hours = str(tender.insertion["hours"])
    services.save_clauses(session, buyer, tender, [
        {"clause_id": "wallonia-flexible-social-clause", "lot_number": None,
         "parameters": {"training_hours": hours, "subcontracting_percent": "5",
                        "chosen_option": "to_be_chosen"}},
        {"clause_id": "award-insertion-hours", "lot_number": 1,
         "parameters": {"weight": "25", "cap_hours": hours}},
        {"clause_id": "social-clause-penalties", "lot_number": None, "parameters": {}},
        {"clause_id": "reporting-monthly-hours", "lot_number": None, "parameters": {}},
    ])
    return tender.reference


def load(session) -> str:
    authority = session.exec(select(Authority).where(Authority.name == MUNICIPALITY)).first()
    buyer = session.exec(select(User).where(User.email == "buyer@demo.example")).first()
    if authority is None or buyer is None:
        return "tenders: skipped (demo accounts missing)"
    settings = _settings()
    made = []
    for reference, build in (("DEMO-2026-001", _first), ("DEMO-2026-002", _second)):
        if q.find_tender(session, reference) is None:
            made.append(build(session, buyer, authority, settings))
    return f"tenders: {len(made)} created ({', '.join(made) or 'all present'})"
