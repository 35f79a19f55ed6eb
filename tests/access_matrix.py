"""The object-level access matrix (issue 9): seven roles × every URL rule × own / another's object.

It extends the declared policy of tests/access_policy.py (one table, reused here): the five demo
roles there act on THEIR OWN objects (firm A = firm@demo.example and its enterprise 1, bid 1,
contract 1; buyer and auditor of authority X = the demo municipality and its tender
DEMO-2026-001). The two extra roles act on ANOTHER's objects, with the same URLs:

- ``firm_b``: a second firm (fixture user, member of another demo enterprise) on firm A's profile,
  bids, reports and tokens;
- ``buyer_y``: a buyer of another authority Y (fixture) on authority X's tender, bids, evaluation,
  contracts.

``ANOTHERS`` declares, for every endpoint, what those two roles get; an endpoint that is missing
there (or in POLICY) fails tests/test_access_matrix.py with the list of endpoints to declare.
Codes as in access_policy.py; ``DENIED`` means 403 or 404 (either hides the object).
"""
from __future__ import annotations

from tests.access_policy import POLICY, ROLES

MATRIX_ROLES = ("anonymous", "firm_a", "firm_b", "buyer_x", "buyer_y", "auditor_x", "admin")
# Matrix role -> the access_policy role whose column it is (for the roles acting on their own objects).
OWN_COLUMN = {"anonymous": "anonymous", "firm_a": "firm", "buyer_x": "buyer", "auditor_x": "auditor",
              "admin": "admin"}
DENIED = frozenset({403, 404})
SAME = "same"  # the other firm / other buyer gets what the plain role gets (the page has no owner)

# endpoint -> {"firm_b": expected, "buyer_y": expected}; expected is a status, DENIED, or SAME.
ANOTHERS: dict[str, dict] = {
    "accounts.language": {"firm_b": SAME, "buyer_y": SAME},
    "accounts.login": {"firm_b": SAME, "buyer_y": SAME},
    "accounts.logout": {"firm_b": SAME, "buyer_y": SAME},
    "accounts.password": {"firm_b": SAME, "buyer_y": SAME},
    "admin.set_active": {"firm_b": SAME, "buyer_y": SAME},
    "admin.users": {"firm_b": SAME, "buyer_y": SAME},
    "bids.document": {"firm_b": DENIED, "buyer_y": DENIED},
    "bids.my_bids": {"firm_b": SAME, "buyer_y": SAME},
    "bids.receipt": {"firm_b": DENIED, "buyer_y": SAME},
    "bids.submit": {"firm_b": SAME, "buyer_y": SAME},
    "evaluation.conformity": {"firm_b": SAME, "buyer_y": SAME},
    "evaluation.decide_justification": {"firm_b": SAME, "buyer_y": SAME},
    "evaluation.evaluation": {"firm_b": SAME, "buyer_y": DENIED},
    "evaluation.finalise": {"firm_b": SAME, "buyer_y": SAME},
    "evaluation.new_version": {"firm_b": SAME, "buyer_y": SAME},
    "evaluation.rate": {"firm_b": SAME, "buyer_y": SAME},
    "evaluation.report": {"firm_b": SAME, "buyer_y": DENIED},
    "evaluation.request_justification": {"firm_b": SAME, "buyer_y": SAME},
    "evaluation.results": {"firm_b": SAME, "buyer_y": DENIED},
    "evaluation.results_json": {"firm_b": SAME, "buyer_y": DENIED},
    "health.health": {"firm_b": SAME, "buyer_y": SAME},
    "home": {"firm_b": SAME, "buyer_y": SAME},
    "impact.dashboard": {"firm_b": SAME, "buyer_y": SAME},
    "impact.export": {"firm_b": SAME, "buyer_y": SAME},
    "monitoring.certificate": {"firm_b": SAME, "buyer_y": SAME},
    "monitoring.close": {"firm_b": SAME, "buyer_y": SAME},
    "monitoring.contract": {"firm_b": DENIED, "buyer_y": DENIED},
    "monitoring.contracts": {"firm_b": SAME, "buyer_y": SAME},
    "monitoring.decide": {"firm_b": SAME, "buyer_y": SAME},
    "monitoring.evidence": {"firm_b": DENIED, "buyer_y": DENIED},
    "monitoring.file_report": {"firm_b": SAME, "buyer_y": SAME},
    "monitoring.start": {"firm_b": SAME, "buyer_y": SAME},
    "opening.audit_export": {"firm_b": SAME, "buyer_y": DENIED},
    "opening.bids_json": {"firm_b": SAME, "buyer_y": DENIED},
    "opening.open_bids": {"firm_b": SAME, "buyer_y": SAME},
    "opening.opening_record": {"firm_b": SAME, "buyer_y": DENIED},
    "opening.overview": {"firm_b": SAME, "buyer_y": DENIED},
    "password_reset.forgot": {"firm_b": SAME, "buyer_y": SAME},
    "password_reset.reset_form": {"firm_b": SAME, "buyer_y": SAME},
    "procurement.clauses": {"firm_b": SAME, "buyer_y": DENIED},
    "procurement.criteria": {"firm_b": SAME, "buyer_y": DENIED},
    "procurement.detail": {"firm_b": SAME, "buyer_y": SAME},
    "procurement.document_download": {"firm_b": SAME, "buyer_y": SAME},
    "procurement.document_preview": {"firm_b": SAME, "buyer_y": SAME},
    "procurement.edit": {"firm_b": SAME, "buyer_y": DENIED},
    "procurement.insertion_hours_json": {"firm_b": SAME, "buyer_y": SAME},
    "procurement.lots": {"firm_b": SAME, "buyer_y": DENIED},
    "procurement.new": {"firm_b": SAME, "buyer_y": SAME},
    "procurement.publish": {"firm_b": SAME, "buyer_y": DENIED},
    "procurement.tenders": {"firm_b": SAME, "buyer_y": SAME},
    "registry.access_requests": {"firm_b": DENIED, "buyer_y": SAME},
    "registry.activities": {"firm_b": DENIED, "buyer_y": SAME},
    "registry.activity_delete": {"firm_b": SAME, "buyer_y": SAME},
    "registry.activity_edit": {"firm_b": DENIED, "buyer_y": SAME},
    "registry.admin_queue": {"firm_b": SAME, "buyer_y": SAME},
    "registry.check": {"firm_b": SAME, "buyer_y": SAME},
    "registry.directory": {"firm_b": SAME, "buyer_y": SAME},
    "registry.directory_json": {"firm_b": SAME, "buyer_y": SAME},
    "registry.edit": {"firm_b": DENIED, "buyer_y": SAME},
    "registry.history": {"firm_b": DENIED, "buyer_y": SAME},
    "registry.import_status": {"firm_b": SAME, "buyer_y": SAME},
    "registry.import_upload": {"firm_b": SAME, "buyer_y": SAME},
    "registry.my_profiles": {"firm_b": SAME, "buyer_y": SAME},
    "registry.new": {"firm_b": SAME, "buyer_y": SAME},
    "registry.profile": {"firm_b": SAME, "buyer_y": SAME},
    "registry.proof": {"firm_b": DENIED, "buyer_y": SAME},
    "registry.reference_delete": {"firm_b": SAME, "buyer_y": SAME},
    "registry.references": {"firm_b": DENIED, "buyer_y": SAME},
    "registry.request_access": {"firm_b": SAME, "buyer_y": SAME},
    "registry.search": {"firm_b": SAME, "buyer_y": SAME},
    "registry.search_export": {"firm_b": SAME, "buyer_y": SAME},
    "registry.set_status": {"firm_b": SAME, "buyer_y": SAME},
    "registry.type_delete": {"firm_b": SAME, "buyer_y": SAME},
    "registry.type_edit": {"firm_b": DENIED, "buyer_y": SAME},
    "registry.types": {"firm_b": DENIED, "buyer_y": SAME},
    "static": {"firm_b": SAME, "buyer_y": SAME},
    # Matching (issue 6): the firm pages list only the user's own enterprises' matches (firm B gets
    # its own list; answering another firm's match is 404: tests/test_matching.py).
    "matching.for_you": {"firm_b": SAME, "buyer_y": SAME},
    "matching.view_tender": {"firm_b": SAME, "buyer_y": SAME},
    "matching.interest": {"firm_b": SAME, "buyer_y": SAME},
    "matching.notifications": {"firm_b": SAME, "buyer_y": SAME},
    "matching.matches": {"firm_b": SAME, "buyer_y": DENIED},
    # JSON API (issue 6): reads are public and ignore the session cookie, so everybody gets the same
    # answer; writes need a token of the object's owner (tokens of another firm/authority: 404,
    # tests/test_api.py).
    "api.openapi": {"firm_b": SAME, "buyer_y": SAME},
    "api.enterprises": {"firm_b": SAME, "buyer_y": SAME},
    "api.enterprise_search": {"firm_b": SAME, "buyer_y": SAME},
    "api.enterprise": {"firm_b": SAME, "buyer_y": SAME},
    "api.enterprise_update": {"firm_b": SAME, "buyer_y": SAME},
    "api.tenders": {"firm_b": SAME, "buyer_y": SAME},
    "api.tender_create": {"firm_b": SAME, "buyer_y": SAME},
    "api.tender": {"firm_b": SAME, "buyer_y": SAME},
    "api.tender_draft": {"firm_b": SAME, "buyer_y": SAME},
    "api.tender_results": {"firm_b": SAME, "buyer_y": SAME},
    "api.tender_ocds": {"firm_b": SAME, "buyer_y": SAME},
    "api_tokens.tokens_page": {"firm_b": SAME, "buyer_y": SAME},
    "api_tokens.revoke": {"firm_b": SAME, "buyer_y": SAME},
    # Background documents (issue 8): demo job 1 is the auditor's report of authority X's tender.
    "jobs.mine": {"firm_b": SAME, "buyer_y": SAME},
    "jobs.status": {"firm_b": SAME, "buyer_y": DENIED},
    "jobs.status_json": {"firm_b": SAME, "buyer_y": DENIED},
    "jobs.download": {"firm_b": SAME, "buyer_y": DENIED},
    # Joint procurement (issue 10): DEMO-2026-003 is authority X's draft; Y does not take part.
    "procurement.joint_page": {"firm_b": SAME, "buyer_y": DENIED},
    "procurement.joint_invite": {"firm_b": SAME, "buyer_y": SAME},
    "procurement.joint_shares": {"firm_b": SAME, "buyer_y": SAME},
    "procurement.joint_invitations": {"firm_b": SAME, "buyer_y": SAME},
    "procurement.joint_decide": {"firm_b": SAME, "buyer_y": SAME},
}

# Unpublished objects of authority X (demo: DEMO-2026-002 is the municipality's draft): only X's
# buyer (and the admin) may see them; buyer Y, the firms and the anonymous visitor get nothing.
DRAFT_OF_X = "DEMO-2026-002"
DRAFT_URLS = (f"/tenders/{DRAFT_OF_X}", f"/tenders/{DRAFT_OF_X}/edit", f"/tenders/{DRAFT_OF_X}/document/fr",
              f"/tenders/{DRAFT_OF_X}/document/fr.docx", f"/tenders/{DRAFT_OF_X}/bids",
              f"/tenders/{DRAFT_OF_X}/lots/1/evaluation", f"/tenders/{DRAFT_OF_X}/lots/1/results")
DRAFT_DENIED_TO = ("anonymous", "firm_a", "firm_b", "buyer_y")

# POST routes that act on the user's own account or create the user's own new object (not on
# another's object): the write checks below skip them for firm B and buyer Y.
SELF_SERVICE = frozenset({
    "accounts.login", "accounts.logout", "accounts.password", "accounts.language",
    "password_reset.forgot", "password_reset.reset_form", "registry.new", "procurement.new",
    "registry.request_access", "bids.submit", "registry.check",
    # The user's own API tokens page and match-notification preference (own settings).
    "api_tokens.tokens_page", "matching.notifications",
})


def expected(endpoint: str, role: str):
    """The declared outcome of a GET on the endpoint's URL by ``role`` (a status or DENIED)."""
    _url, by_role = POLICY[endpoint]
    if role in OWN_COLUMN:
        return by_role[OWN_COLUMN[role]]
    declared = ANOTHERS[endpoint][role]
    return by_role["firm" if role == "firm_b" else "buyer"] if declared is SAME else declared


def missing_entries(endpoints) -> list[str]:
    return sorted(e for e in endpoints if e not in POLICY or e not in ANOTHERS)


assert set(ROLES) == set(OWN_COLUMN.values())
