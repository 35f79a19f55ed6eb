"""Object-level access matrix (issue 9), declared in tests/access_matrix.py on top of
tests/access_policy.py: every URL rule × seven roles × own / another's object, and the write side:
another firm, another authority's buyer and the auditor change nothing with any POST."""
from __future__ import annotations

import pytest
from sqlmodel import select

from accounts.models import Authority, User
from tests.access_matrix import (
    DENIED, DRAFT_DENIED_TO, DRAFT_OF_X, DRAFT_URLS, MATRIX_ROLES, SELF_SERVICE, ANOTHERS, expected, missing_entries,
)
from tests.access_policy import POLICY
from tests.conftest import csrf_token, login
from tests.db_dump import diff_dumps, dump_tables

FIRM_B = "bidder-b@t.example"
BUYER_Y = "buyer-y@t.example"


@pytest.fixture
def extra_roles(demo, session):
    """Firm B (member of a demo enterprise that is not firm A's) and a buyer of another authority Y.
    Created in the test (not in the demo data); password as the demo accounts."""
    from demo import demo_password_hash
    from registry.models import EnterpriseMember

    firm_a = session.exec(select(User).where(User.email == "firm@demo.example")).one()
    mine = {m.enterprise_id for m in session.exec(select(EnterpriseMember).where(EnterpriseMember.user_id == firm_a.id))}
    other = session.exec(select(EnterpriseMember.enterprise_id).where(
        EnterpriseMember.enterprise_id.not_in(mine)).order_by(EnterpriseMember.enterprise_id)).first()
    authority_y = Authority(name="Autorité Y (test)", kind="commune")
    session.add(authority_y)
    session.flush()
    firm_b = User(email=FIRM_B, name="Firm B", role="firm", password_hash=demo_password_hash())
    buyer_y = User(email=BUYER_Y, name="Buyer Y", role="buyer", authority_id=authority_y.id,
                   password_hash=demo_password_hash())
    session.add_all([firm_b, buyer_y])
    session.flush()
    if other is not None:
        session.add(EnterpriseMember(enterprise_id=other, user_id=firm_b.id))
    session.commit()
    return {"anonymous": None, "firm_a": "firm@demo.example", "firm_b": FIRM_B, "buyer_x": "buyer@demo.example",
            "buyer_y": BUYER_Y, "auditor_x": "auditor@demo.example", "admin": "admin@demo.example"}


def _client(app, email):
    client = app.test_client()
    if email:
        assert login(client, email).status_code == 302, email
    return client


def test_every_route_is_in_the_matrix(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    missing = missing_entries(endpoints)
    assert not missing, ("routes without an entry in the object-level access matrix: declare them in "
                         "tests/access_policy.py (POLICY) and tests/access_matrix.py (ANOTHERS: what "
                         f"another firm / another authority's buyer gets): {missing}")


@pytest.mark.parametrize("role", MATRIX_ROLES)
def test_role_gets_what_the_matrix_says(app, extra_roles, role):
    client = _client(app, extra_roles[role])
    failures = []
    for endpoint in sorted(set(POLICY) & set(ANOTHERS)):
        url = POLICY[endpoint][0]
        response = client.get(url)
        status = response.status_code
        response.close()
        want = expected(endpoint, role)
        if not (status in want if isinstance(want, frozenset) else status == want):
            failures.append(f"{endpoint} {url}: got {status}, matrix says {sorted(want) if isinstance(want, frozenset) else want}")
    assert not failures, f"{role}:\n" + "\n".join(failures)


@pytest.mark.parametrize("role", DRAFT_DENIED_TO)
def test_unpublished_tender_of_x_is_invisible_to_others(app, extra_roles, role):
    client = _client(app, extra_roles[role])
    for url in DRAFT_URLS:
        response = client.get(url)
        allowed = {302} if role == "anonymous" else DENIED
        assert response.status_code in allowed, f"{role} {url}: {response.status_code}"
        if role == "anonymous":
            assert "/login" in response.headers["Location"]
        response.close()
    # Nor does it appear in the lists.
    assert DRAFT_OF_X not in client.get("/tenders", follow_redirects=True).get_data(as_text=True)


def test_buyer_of_x_does_see_its_draft(app, extra_roles):
    """The positive control of the test above (the draft exists and its URLs are right)."""
    client = _client(app, extra_roles["buyer_x"])
    assert client.get(f"/tenders/{DRAFT_OF_X}").status_code == 200


POST_DATA = {"confirm": "yes", "confirmed": "yes", "reasons": "x", "decision": "accepted",
             "decision_reason": "x", "bid_id": "1", "criterion": "plan", "value": "5", "justification": "x",
             "request_text": "x", "answer_text": "x", "status": "validated", "legal_name": "Hijacked",
             "email": "x@x.example", "share_pct": "50", "note": "x", "active": "no"}


def _post_everything(app, client, skip) -> list[tuple[str, str, int]]:
    token = csrf_token(client, "/password/forgot")
    results = []
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.endpoint):
        if "POST" not in rule.methods or rule.endpoint in skip or rule.endpoint not in POLICY:
            continue
        url = POLICY[rule.endpoint][0].split("?")[0]
        response = client.post(url, data=POST_DATA | {"csrf_token": token})
        results.append((rule.endpoint, url, response.status_code))
        response.close()
    return results


def test_auditor_changes_nothing(app, extra_roles, session):
    """Every POST route (but his own account's), by the auditor of X: refused (401 for the token-only
    API, 403/404/405) and no row of any table changes."""
    client = _client(app, extra_roles["auditor_x"])
    before = dump_tables(session)
    own_account = {"accounts.logout", "accounts.login", "accounts.language", "accounts.password",
                   "password_reset.forgot", "password_reset.reset_form", "api_tokens.tokens_page"}
    results = _post_everything(app, client, skip=own_account)
    assert len(results) > 20
    accepted = [r for r in results if r[2] not in (401, 403, 404, 405)]
    assert not accepted, f"POST routes the auditor was not refused: {accepted}"
    changed = diff_dumps(before, dump_tables(session))
    assert not changed, f"the auditor's POSTs changed the database: {changed}"


@pytest.mark.parametrize("role", ["firm_b", "buyer_y"])
def test_another_firm_or_authority_changes_nothing(app, extra_roles, session, role):
    """Firm B on firm A's profile, bids, reports and tokens; buyer Y on authority X's tender, opening,
    evaluation and contract: every POST leaves every table as it was."""
    client = _client(app, extra_roles[role])
    before = dump_tables(session)
    results = _post_everything(app, client, skip=SELF_SERVICE)
    assert len(results) > 20
    ok = [r for r in results if r[2] < 300]
    changed = diff_dumps(before, dump_tables(session))
    assert not changed, f"{role}'s POSTs changed the database: {changed}; answers below 300: {ok}"
