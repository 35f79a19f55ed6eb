"""Demo of the JSON API: nothing to create. The API serves the demo enterprises and tenders at
once; no token is made here, so no secret is ever written to the repository, the database seed or
the logs. The summary line tells how to get a token (log in, open /account/tokens)."""
from __future__ import annotations

from sqlalchemy import func
from sqlmodel import select

from procurement.models import Tender
from registry.models import Enterprise


def load(session) -> str:
    enterprises = session.exec(select(func.count()).select_from(Enterprise)
                               .where(Enterprise.status == "validated")).one()
    tenders = session.exec(select(func.count()).select_from(Tender)
                           .where(Tender.status.in_(("published", "opened", "awarded")))).one()
    return (f"api: /api/v1 serves {enterprises} validated enterprises and {tenders} published tenders "
            "(document: /api/v1/openapi.json); for writes, log in (e.g. firm@demo.example) and create a "
            "token at /account/tokens — it is shown once")
