"""Builders for the API tests: two authorities with a buyer each, two firms with their validated
enterprises, a pending enterprise, an auditor, an admin, drafts of both authorities and a published
tender; personal API tokens created through the service (secrets kept by the test only)."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from accounts.models import User
from api import tokens
from common.timeutil import utcnow
from procurement.models import Tender
from registry.models import Enterprise
from tests.registry_helpers import make_enterprise
from tests.registry_helpers import make_user as make_registry_user
from tests.tender_builders import build_tender, make_authority, make_user

PUBLISHED = "T-API-PUB"
DRAFT_X = "T-API-X"
DRAFT_Y = "T-API-Y"


@dataclass
class ApiWorld:
    users: dict[str, User]
    enterprises: dict[str, Enterprise]
    secrets: dict[str, str] = field(default_factory=dict)

    def auth(self, who: str) -> dict:
        return {"Authorization": f"Bearer {self.secrets[who]}"}


def build_api_world(session, settings) -> ApiWorld:
    x = make_authority(session, "Commune X")
    y = make_authority(session, "Commune Y", nuts3="BE100", municipality="Bruxelles")
    users = {
        "buyer_x": make_user(session, "buyer-x@api.example", "buyer", x),
        "buyer_y": make_user(session, "buyer-y@api.example", "buyer", y),
        "auditor": make_user(session, "auditor@api.example", "auditor", audits=x),
        "admin": make_user(session, "admin@api.example", "admin"),
        "firm_a": make_registry_user(session, "firm-a@api.example"),
        "firm_b": make_registry_user(session, "firm-b@api.example"),
    }
    enterprises = {
        "a": make_enterprise(session, "Atelier Alpha ASBL", 1, member=users["firm_a"],
                             activities=(("services", "77310000", "nuts3", ["BE352"], None),)),
        "b": make_enterprise(session, "Brasserie Beta SCRL", 2, member=users["firm_b"], types=("sheltered_workshop",),
                             activities=(("services", "90910000", "nuts3", ["BE100"], None),)),
        "pending": make_enterprise(session, "Gamma en attente", 3, status="pending"),
    }
    build_tender(session, users["buyer_x"], settings, DRAFT_X, with_clauses=False)
    build_tender(session, users["buyer_y"], settings, DRAFT_Y, with_clauses=False)
    published = build_tender(session, users["buyer_x"], settings, PUBLISHED, with_clauses=False)
    published.status, published.published_at = "published", utcnow() - timedelta(days=1)
    session.add(published)
    session.commit()
    world = ApiWorld(users, enterprises)
    for who, user in users.items():
        world.secrets[who] = tokens.create_token(session, user, f"test token of {who}").secret
    return world


def tender(session, reference: str) -> Tender:
    from sqlmodel import select

    session.expire_all()
    return session.exec(select(Tender).where(Tender.reference == reference)).one()
