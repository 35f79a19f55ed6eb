"""The declared access policy: for every URL rule, what each role gets on a GET.

A test (tests/test_access.py) checks every entry against the running app, and fails when a route
exists without an entry here. Codes: 200 page, 302 redirect (anonymous users go to the login page),
403 forbidden, 404 hidden, 405 GET not allowed (POST-only actions; their POST access is tested
beside the feature).
"""

ROLES = ("anonymous", "buyer", "firm", "auditor", "admin")
ALL_200 = dict.fromkeys(ROLES, 200)
LOGGED_IN_200 = {"anonymous": 302, "buyer": 200, "firm": 200, "auditor": 200, "admin": 200}


def only(*roles, anonymous=302):
    return {r: (200 if r in roles else 403) for r in ROLES} | {"anonymous": anonymous}


POST_ONLY = dict.fromkeys(ROLES, 405)

# endpoint -> (URL to request, expected status per role)
POLICY = {
    "home": ("/", ALL_200),
    "static": ("/static/css/app.css", ALL_200),
    "accounts.login": ("/login", ALL_200),
    "accounts.logout": ("/logout", POST_ONLY),
    "accounts.password": ("/account/password", LOGGED_IN_200),
    "accounts.language": ("/language/nl", dict.fromkeys(ROLES, 302)),
    "admin.users": ("/admin/users", only("admin")),
    # Password reset (issue 9): public; an unknown token gets the "invalid link" page (400).
    "password_reset.forgot": ("/password/forgot", ALL_200),
    "password_reset.reset_form": ("/password/reset/not-a-token", dict.fromkeys(ROLES, 400)),
    "health.health": ("/health", ALL_200),
    "admin.set_active": ("/admin/users/1/active", POST_ONLY),
    # Tenders (demo tender DEMO-2026-001 is published: drafting pages tell its buyer it is frozen
    # and redirect to it; drafts of other authorities are tested in tests/test_tender_views.py).
    "procurement.tenders": ("/tenders", LOGGED_IN_200),
    "procurement.new": ("/tenders/new", only("buyer")),
    "procurement.detail": ("/tenders/DEMO-2026-001", LOGGED_IN_200),
    "procurement.edit": ("/tenders/DEMO-2026-001/edit", only("buyer") | {"buyer": 302}),
    "procurement.lots": ("/tenders/DEMO-2026-001/lots", only("buyer") | {"buyer": 302}),
    "procurement.criteria": ("/tenders/DEMO-2026-001/lots/1/criteria", only("buyer") | {"buyer": 302}),
    "procurement.clauses": ("/tenders/DEMO-2026-001/clauses", only("buyer") | {"buyer": 302}),
    "procurement.publish": ("/tenders/DEMO-2026-001/publish", only("buyer") | {"buyer": 302}),
    "procurement.document_preview": ("/tenders/DEMO-2026-001/document/fr", LOGGED_IN_200),
    "procurement.document_download": ("/tenders/DEMO-2026-001/document/nl.docx", LOGGED_IN_200),
    "procurement.insertion_hours_json": (
        "/tenders/calculator/insertion-hours?amount=1000000&labour_share_pct=50&rate_pct=5&hourly_cost=30",
        LOGGED_IN_200),
    # Registry (demo data: enterprise 1 "Atelier Récup' Meuse" is validated and managed by
    # firm@demo.example; its accreditation 2 has a proof; enterprise 3 is not the firm's).
    # Hidden pending profiles and other firms' profiles: tests/test_registry_views.py.
    "registry.directory": ("/registry/", ALL_200),
    "registry.directory_json": ("/registry/directory.json", ALL_200),
    "registry.search": ("/registry/search?cpv=45000000", only("buyer", "admin", "auditor")),
    "registry.search_export": ("/registry/search/export.csv?q=atelier", only("buyer", "admin", "auditor")),
    "registry.check": ("/registry/check?name=Atelier+Recup", only("firm", "admin")),
    "registry.profile": ("/registry/enterprises/1", ALL_200),
    "registry.history": ("/registry/enterprises/1/history", only("firm", "admin", "auditor")),
    "registry.proof": ("/registry/enterprises/1/types/2/proof", LOGGED_IN_200),
    "registry.my_profiles": ("/registry/mine", only("firm")),
    "registry.new": ("/registry/enterprises/new", only("firm", "admin")),
    "registry.edit": ("/registry/enterprises/1/edit", only("firm", "admin")),
    "registry.types": ("/registry/enterprises/1/types", only("firm", "admin")),
    "registry.type_edit": ("/registry/enterprises/1/types/2", only("firm", "admin")),
    "registry.type_delete": ("/registry/enterprises/1/types/2/delete", POST_ONLY),
    "registry.activities": ("/registry/enterprises/1/activities", only("firm", "admin")),
    "registry.activity_edit": ("/registry/enterprises/1/activities/1", only("firm", "admin")),
    "registry.activity_delete": ("/registry/enterprises/1/activities/1/delete", POST_ONLY),
    "registry.references": ("/registry/enterprises/1/references", only("firm", "admin")),
    "registry.reference_delete": ("/registry/enterprises/1/references/1/delete", POST_ONLY),
    "registry.request_access": ("/registry/enterprises/3/request-access", only("firm")),
    "registry.access_requests": ("/registry/enterprises/1/access-requests", only("firm", "admin")),
    "registry.admin_queue": ("/registry/admin", only("admin")),
    "registry.set_status": ("/registry/enterprises/1/status", POST_ONLY),
    "registry.import_upload": ("/registry/admin/import", only("admin")),
    "registry.import_status": ("/registry/admin/import/unknown-job", only("admin")),
    # Bids, opening and evaluation (demo: DEMO-2026-001 is opened; bid 1 is firm@demo.example's bid on
    # lot 1, with document 1; lot 1's evaluation is finalised). Other firms' bids, sealed content
    # before the opening and POST access: tests/test_bids*.py, tests/test_evaluation.py.
    "bids.my_bids": ("/my-bids", only("firm")),
    "bids.submit": ("/tenders/DEMO-2026-001/lots/1/bid", only("firm")),  # deadline passed: says so
    "bids.receipt": ("/my-bids/1", only("firm")),
    "bids.document": ("/bids/1/documents/1", LOGGED_IN_200 | {"firm": 200}),
    "opening.overview": ("/tenders/DEMO-2026-001/bids", only("buyer", "auditor", "admin")),
    "opening.open_bids": ("/tenders/DEMO-2026-001/open", POST_ONLY),
    "opening.opening_record": ("/tenders/DEMO-2026-001/opening-record.pdf", only("buyer", "auditor", "admin")),
    "opening.bids_json": ("/tenders/DEMO-2026-001/bids.json", only("buyer", "auditor", "admin")),
    "opening.audit_export": ("/tenders/DEMO-2026-001/audit.csv", only("buyer", "auditor", "admin")),
    "evaluation.evaluation": ("/tenders/DEMO-2026-001/lots/1/evaluation", only("buyer", "auditor", "admin")),
    "evaluation.rate": ("/tenders/DEMO-2026-001/lots/1/ratings", POST_ONLY),
    "evaluation.conformity": ("/tenders/DEMO-2026-001/lots/1/conformity", POST_ONLY),
    "evaluation.request_justification": ("/tenders/DEMO-2026-001/lots/1/price-justification/request", POST_ONLY),
    "evaluation.decide_justification": ("/tenders/DEMO-2026-001/lots/1/price-justification/decision", POST_ONLY),
    "evaluation.finalise": ("/tenders/DEMO-2026-001/lots/1/finalise", POST_ONLY),
    "evaluation.new_version": ("/tenders/DEMO-2026-001/lots/1/new-version", POST_ONLY),
    "evaluation.results": ("/tenders/DEMO-2026-001/lots/1/results", only("buyer", "auditor", "admin")),
    "evaluation.results_json": ("/tenders/DEMO-2026-001/lots/1/results.json", only("buyer", "auditor", "admin")),
    "evaluation.report": ("/tenders/DEMO-2026-001/lots/1/report.pdf", only("buyer", "auditor", "admin")),
    # Background document jobs (issue 8): demo job 1 is the auditor's queued scoring report of
    # DEMO-2026-001 lot 1; the requester and those who may read the tender see it, others get 404.
    # Download of a job not done yet redirects to its progress page.
    "jobs.mine": ("/jobs", LOGGED_IN_200),
    "jobs.status": ("/jobs/1", {"anonymous": 302, "buyer": 200, "firm": 404, "auditor": 200, "admin": 200}),
    "jobs.status_json": ("/jobs/1.json", {"anonymous": 302, "buyer": 200, "firm": 404, "auditor": 200, "admin": 200}),
    "jobs.download": ("/jobs/1/download", {"anonymous": 302, "buyer": 302, "firm": 404, "auditor": 302, "admin": 302}),
    # Joint procurement (demo: DEMO-2026-003 is a draft of the commune; the CPAS, buyer2@demo.example,
    # accepted participation 1). Participants, declined and third authorities: tests/test_joint.py.
    "procurement.joint_page": ("/tenders/DEMO-2026-003/joint",
                               {"anonymous": 302, "buyer": 200, "firm": 404, "auditor": 200, "admin": 200}),
    "procurement.joint_invite": ("/tenders/DEMO-2026-003/joint/invite", POST_ONLY),
    "procurement.joint_shares": ("/tenders/DEMO-2026-003/joint/1/shares", POST_ONLY),
    "procurement.joint_invitations": ("/joint-invitations", only("buyer")),
    "procurement.joint_decide": ("/joint-invitations/1/decision", POST_ONLY),
    # Contract monitoring (demo: contract 1 = DEMO-2026-001 lot 1, contractor managed by firm@demo.example,
    # report 1 has evidence 1, report 5 awaits a decision; the contract is not closed, so no certificate
    # yet). Other firms, other authorities and POST access: tests/test_monitoring_views.py.
    "monitoring.contracts": ("/contracts", LOGGED_IN_200),
    "monitoring.contract": ("/contracts/1", LOGGED_IN_200),
    "monitoring.file_report": ("/contracts/1/reports", POST_ONLY),
    "monitoring.decide": ("/contracts/1/reports/5/decision", POST_ONLY),
    "monitoring.start": ("/contracts/1/start", POST_ONLY),
    "monitoring.close": ("/contracts/1/close", POST_ONLY),
    "monitoring.evidence": ("/contracts/1/reports/1/evidence/1", LOGGED_IN_200),
    "monitoring.certificate": ("/contracts/1/certificate/fr.pdf", dict.fromkeys(ROLES, 404) | {"anonymous": 302}),
    # Impact dashboard: aggregated figures only, public.
    "impact.dashboard": ("/impact", ALL_200),
    "impact.export": ("/impact.csv", ALL_200),
    # JSON API /api/v1 (issue 6): reads are public data, the same for every role (the API ignores the
    # session cookie: a logged-in browser gets exactly what an anonymous client gets); writes (PATCH,
    # POST on the same URLs) need a personal token and are tested in tests/test_api*.py, so the GET of a
    # write endpoint's URL is its read. DEMO-2026-001 is published with lot 1 finalised: results 200.
    "api.openapi": ("/api/v1/openapi.json", ALL_200),
    "api.enterprises": ("/api/v1/enterprises?page=1&per_page=5", ALL_200),
    "api.enterprise_search": ("/api/v1/enterprises/search?cpv=77310000", ALL_200),
    "api.enterprise": ("/api/v1/enterprises/1", ALL_200),
    "api.enterprise_update": ("/api/v1/enterprises/1", ALL_200),
    "api.tenders": ("/api/v1/tenders", ALL_200),
    "api.tender_create": ("/api/v1/tenders", ALL_200),
    "api.tender": ("/api/v1/tenders/DEMO-2026-001", ALL_200),
    "api.tender_draft": ("/api/v1/tenders/DEMO-2026-002", dict.fromkeys(ROLES, 404)),
    "api.tender_results": ("/api/v1/tenders/DEMO-2026-001/results", ALL_200),
    "api.tender_ocds": ("/api/v1/tenders/DEMO-2026-001/ocds", ALL_200),
    # Personal API tokens: every logged-in user; revocation is POST-only (with a confirmation page).
    "api_tokens.tokens_page": ("/account/tokens", LOGGED_IN_200),
    "api_tokens.revoke": ("/account/tokens/1/revoke", POST_ONLY),
    # Matching (issue 6): firm@demo.example's "Les Jardins de Valmeuse" matches DEMO-2026-001 lot 1;
    # the "view" link records the visit and redirects to the tender. Other firms' matches, other
    # authorities and POST access: tests/test_matching.py.
    "matching.for_you": ("/tenders/for-you", only("firm")),
    "matching.view_tender": ("/tenders/for-you/DEMO-2026-001/view", only("firm") | {"firm": 302}),
    "matching.interest": ("/tenders/for-you/matches/1/interest", POST_ONLY),
    "matching.notifications": ("/tenders/for-you/notifications", POST_ONLY),
    "matching.matches": ("/tenders/DEMO-2026-001/matches", only("buyer", "auditor", "admin")),
}
