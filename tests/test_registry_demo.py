"""The demo registry shows every feature at once: types, regions, statuses, expiry, duplicates."""
from datetime import date

from sqlmodel import select

from accounts.models import User
from registry.codes import SocialType
from registry.identifiers import is_valid_enterprise_number
from registry.models import Accreditation, Enterprise, EnterpriseMember
from registry.services import sourcing_candidates
from tests.conftest import login


def test_demo_registry(demo, session):
    enterprises = session.exec(select(Enterprise)).all()
    assert len(enterprises) >= 30
    assert all(is_valid_enterprise_number(e.enterprise_number) for e in enterprises)
    assert {e.region for e in enterprises} == {"BE1", "BE2", "BE3"}
    statuses = [e.status for e in enterprises]
    assert statuses.count("pending") >= 2 and statuses.count("suspended") == 1
    types = set(session.exec(select(Accreditation.type_code)).all())
    assert types == {t.value for t in SocialType}
    firm = session.exec(select(User).where(User.email == "firm@demo.example")).one()
    mine = session.exec(select(EnterpriseMember.enterprise_id).where(EnterpriseMember.user_id == firm.id)).all()
    assert len(mine) == 2
    expiring = session.exec(select(Accreditation).where(Accreditation.enterprise_id.in_(mine),
                                                        Accreditation.valid_until.is_not(None))).all()
    assert any(0 <= (a.valid_until - date.today()).days <= 60 for a in expiring)
    # The demo municipality (Valmeuse, BE352) has candidates for works, cleaning and green spaces.
    for cpv in ("45000000", "90910000", "77310000", "55520000"):
        assert any(c.eligible_reserved for c in sourcing_candidates(session, [cpv], nuts3="BE352")), cpv


def test_demo_pages(demo):
    client = demo.test_client()
    directory = client.get("/registry/").get_data(as_text=True)
    assert 'aria-current="page">1<' in directory and "?page=2" in directory
    assert "Atelier Recup Meuse" not in directory  # pending near-duplicate
    assert login(client, "firm@demo.example").status_code == 302
    check = client.get("/registry/check?name=Atelier+Recup+Meuse").get_json()
    assert len(check["duplicates"]) >= 2
    mine = client.get("/registry/mine", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "expires on" in mine
