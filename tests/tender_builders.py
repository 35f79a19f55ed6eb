"""Builders for tender tests: an authority, its users, and a complete draft built through the
services (the same path as the web forms)."""
from __future__ import annotations

from datetime import timedelta

from accounts.models import Authority, AuditorAssignment, User
from accounts.services import hash_password
from common.timeutil import utcnow
from procurement import tender_queries as q
from procurement import tender_services as services

PASSWORD = "tender-test-2026"
XSS = "<script>alert('x')</script>"


def make_authority(session, name="Commune de Testville", **fields) -> Authority:
    authority = Authority(name=name, nuts3=fields.pop("nuts3", "BE352"),
                          municipality=fields.pop("municipality", "Testville"), **fields)
    session.add(authority)
    session.commit()
    return authority


def make_user(session, email, role, authority=None, audits=None) -> User:
    user = User(email=email, name=email.split("@")[0], role=role,
                password_hash=hash_password(PASSWORD),
                authority_id=authority.id if authority is not None and role == "buyer" else None)
    session.add(user)
    session.commit()
    if audits is not None:
        session.add(AuditorAssignment(user_id=user.id, authority_id=audits.id))
        session.commit()
    return user


def draft_data(reference="T-2026-001", **changes) -> dict:
    start = utcnow().replace(microsecond=0) + timedelta(days=2)
    data = {
        "reference": reference, "title_fr": "Entretien des espaces verts",
        "title_nl": "Onderhoud van groene ruimten", "title_en": "Green-space maintenance",
        "description_fr": "Entretien des parcs.", "description_nl": "", "description_en": "",
        "nature": "services", "cpv_main": "77310000", "cpv_additional": "",
        "nuts3": "BE352", "municipality": "Testville", "estimated_value": "1000000",
        "duration_months": "12", "publication_date": start,
        "question_deadline": start + timedelta(days=10), "bid_deadline": start + timedelta(days=30),
        "opening_at": start + timedelta(days=30, minutes=30),
        "insertion": {"labour_share": "0.5", "rate": "0.05", "hourly_cost": "30"},
    }
    data.update(changes)
    return data


CRITERIA = [
    {"code": "price", "kind": "price", "label_fr": "Prix", "label_nl": "Prijs", "label_en": "Price",
     "weight": "40", "formula": "proportional"},
    {"code": "hours", "kind": "quantity", "label_fr": "Heures d'insertion", "label_nl":
     "Inschakelingsuren", "label_en": "Insertion hours", "weight": "35", "better": "higher",
     "unit": "h", "is_social": True, "link_to_subject": "Hours worked on this contract only."},
    {"code": "plan", "kind": "rating", "label_fr": "Plan d'insertion", "label_nl":
     "Inschakelingsplan", "label_en": "Insertion plan", "weight": "25", "scale": "10",
     "scoring_grid": "0: none.\n\n10: complete plan.", "is_social": True,
     "link_to_subject": "The plan concerns the people working on this contract."},
]


def build_tender(session, buyer, settings, reference="T-2026-001", *, with_criteria=True,
                 with_clauses=True, **changes):
    """A draft of ``buyer``'s authority with lot 1, criteria and an insertion clause."""
    tender = services.create_tender(session, buyer, draft_data(reference, **changes),
                                    authority_id=buyer.authority_id, settings=settings)
    lot = q.lots_of(session, tender)[0]
    if with_criteria:
        services.save_criteria(session, buyer, tender, lot, mode="weighted", justification="",
                               criteria=CRITERIA, settings=settings)
    if with_clauses:
        hours = str(tender.insertion["hours"])
        services.save_clauses(session, buyer, tender, [
            {"clause_id": "brussels-insertion-actiris", "lot_number": None,
             "parameters": {"insertion_hours": hours, "notice_days": "30"}},
            {"clause_id": "award-insertion-hours", "lot_number": 1,
             "parameters": {"weight": "35", "cap_hours": hours}},
            {"clause_id": "social-clause-penalties", "lot_number": None, "parameters": {}},
        ])
    return tender
