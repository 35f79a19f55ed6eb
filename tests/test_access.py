"""Each role tries each page; the outcome must match the declared policy table."""
import pytest

from tests.access_policy import POLICY, ROLES
from tests.conftest import csrf_token, login


def test_every_route_has_a_policy_entry(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    missing = sorted(endpoints - set(POLICY))
    assert not missing, f"routes without an access-policy entry in tests/access_policy.py: {missing}"


@pytest.mark.parametrize("role", ROLES)
def test_role_gets_what_the_policy_says(app, demo, role):
    client = app.test_client()
    if role != "anonymous":
        assert login(client, f"{role}@demo.example").status_code == 302
    failures = []
    for endpoint, (url, expected) in sorted(POLICY.items()):
        response = client.get(url)
        status = response.status_code
        response.close()
        if status != expected[role]:
            failures.append(f"{endpoint} {url}: got {status}, policy says {expected[role]}")
    assert not failures, "\n".join(failures)


def test_admin_deactivation_needs_confirmation_and_is_audited(client, demo, login_as, session):
    from sqlmodel import select

    from accounts.models import User
    from audit.models import AuditEntry

    login_as("admin@demo.example")
    firm = session.exec(select(User).where(User.email == "firm@demo.example")).one()
    token = csrf_token(client, "/admin/users")
    page = client.post(f"/admin/users/{firm.id}/active", data={"csrf_token": token})
    assert page.status_code == 200 and 'name="confirm"' in page.get_data(as_text=True)
    session.expire_all()
    assert session.get(User, firm.id).is_active
    client.post(f"/admin/users/{firm.id}/active", data={"csrf_token": token, "confirm": "yes"})
    session.expire_all()
    assert not session.get(User, firm.id).is_active
    assert session.exec(select(AuditEntry).where(AuditEntry.action == "user.deactivated")).first()
    # The deactivated user can no longer log in.
    other = client.application.test_client()
    assert login(other, "firm@demo.example").status_code == 200


def test_non_admin_cannot_post_admin_actions(client, demo, login_as):
    login_as("buyer@demo.example")
    token = csrf_token(client, "/")
    assert client.post("/admin/users/2/active", data={"csrf_token": token, "confirm": "yes"}).status_code == 403
