"""Builders for the registry tests (users, enterprises, forms posted with their CSRF token)."""
from __future__ import annotations

import re
from datetime import date, timedelta

from sqlmodel import select
from werkzeug.datastructures import FileStorage, MultiDict
from werkzeug.test import encode_multipart

from accounts.services import create_user
from registry import services
from registry.identifiers import check_digits
from registry.models import Accreditation, EnterpriseMember
from tests.conftest import CSRF_RE, login

PASSWORD = "registry-test-pw"


def number(i: int) -> str:
    """A valid (mod-97) enterprise number, not a real firm's (1998.xxx.xxx)."""
    first8 = f"1998{i:04d}"
    return f"{first8}{check_digits(first8):02d}"


def make_user(session, email: str, role: str = "firm"):
    user = create_user(session, email, PASSWORD, role)
    session.commit()
    return user


def make_enterprise(session, name: str = "Atelier Test ASBL", i: int = 1, *, status: str = "validated",
                    types=("insertion",), postal_code: str = "5000", municipality: str = "Namur", nuts3: str = "BE352",
                    staff=(10, 5), accreditation=("EI-TEST-1", 365), activities=(("services", "90910000", "nuts3", ["BE352"], None),),
                    member=None, languages=("fr",), **extra):
    data = {"legal_name": name, "enterprise_number": number(i), "types": list(types), "postal_code": postal_code,
            "municipality": municipality, "nuts3": nuts3, "staff_total": staff[0], "staff_disadvantaged": staff[1],
            "languages": list(languages), **extra}
    enterprise = services.create_enterprise(session, data, status="validated" if status == "suspended" else status)
    if status == "suspended":
        services.set_status(session, enterprise, "suspended", actor=None)
    if accreditation:
        acc_number, days = accreditation
        row = session.exec(select(Accreditation).where(Accreditation.enterprise_id == enterprise.id,
                                                       Accreditation.type_code == list(types)[0])).one()
        services.save_accreditation(session, enterprise, {"number": acc_number, "issuing_region": "BE3",
                                                          "valid_until": date.today() + timedelta(days=days)},
                                    accreditation=row)
    for service, cpv, kind, areas, radius in activities:
        services.save_activity(session, enterprise, {"service_type": service, "cpv_codes": cpv, "coverage_kind": kind,
                                                     "coverage_areas": areas, "radius_km": radius})
    if member is not None:
        session.add(EnterpriseMember(enterprise_id=enterprise.id, user_id=member.id))
        session.commit()
    return enterprise


def log_in(client, email: str, password: str = PASSWORD):
    response = login(client, email, password)
    assert response.status_code == 302, response.get_data(as_text=True)[:300]
    return client


def token(client, url: str = "/") -> str:
    html = client.get(url).get_data(as_text=True)
    match = CSRF_RE.search(html) or re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match, f"no CSRF token in {url}"
    return match.group(1)


def post(client, url: str, data: dict, *, token_url: str | None = None, **kwargs):
    """POST ``data`` with the CSRF token read from the form at ``token_url`` (default: ``url``)."""
    data = dict(data, csrf_token=token(client, token_url or url))
    if kwargs.pop("content_type", None) == "multipart/form-data":
        # Encoded in memory: the test client's own encoder spools big uploads to a temporary file
        # that it never closes (a ResourceWarning, an error under filterwarnings=error).
        fields = MultiDict()
        for key, value in data.items():
            if isinstance(value, tuple):
                value = FileStorage(stream=value[0], filename=value[1])
            for item in (value if isinstance(value, list) else [value]):
                fields.add(key, item)
        boundary, body = encode_multipart(fields)
        kwargs["content_type"] = f"multipart/form-data; boundary={boundary}"
        data = body
    return client.post(url, data=data, headers={"Accept-Language": "en"}, **kwargs)
