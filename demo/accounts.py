"""Demo authorities and the four demo accounts (password ``demo-2026``)."""
from sqlmodel import select

from accounts.models import Authority, AuditorAssignment, Role, User

MUNICIPALITY = "Commune de Valmeuse (fictive)"
CPAS = "CPAS de Valmeuse (fictif)"
DEMO_ACCOUNTS = [
    ("buyer@demo.example", "Claire Dumont (acheteuse, démo)", Role.BUYER),
    ("firm@demo.example", "Jonas Peeters (entreprise, démo)", Role.FIRM),
    ("auditor@demo.example", "Anne Lambert (auditrice, démo)", Role.AUDITOR),
    ("admin@demo.example", "Marc Leroy (administrateur, démo)", Role.ADMIN),
]


def get_or_create_authority(session, name, **fields) -> Authority:
    authority = session.exec(select(Authority).where(Authority.name == name)).first()
    if authority is None:
        authority = Authority(name=name, **fields)
        session.add(authority)
        session.flush()
    return authority


def load(session) -> str:
    from demo import demo_password_hash

    commune = get_or_create_authority(
        session, MUNICIPALITY, kind="commune", nuts3="BE352", municipality="Valmeuse"
    )
    get_or_create_authority(session, CPAS, kind="cpas", nuts3="BE352", municipality="Valmeuse")
    created = 0
    for email, name, role in DEMO_ACCOUNTS:
        if session.exec(select(User).where(User.email == email)).first():
            continue
        user = User(
            email=email, name=name, role=role.value, password_hash=demo_password_hash(),
            authority_id=commune.id if role == Role.BUYER else None, is_demo=True,
        )
        session.add(user)
        session.flush()
        if role == Role.AUDITOR:
            session.add(AuditorAssignment(user_id=user.id, authority_id=commune.id))
        created += 1
    return f"accounts: {created} created, {len(DEMO_ACCOUNTS) - created} already present"
