"""axe-core on each page that exists: no serious or critical violation at desktop (1280 px) and
phone (390 px) widths, in each language; screenshots of each into test-artifacts/screenshots/.

Later features add their key pages to PAGES (path, who is logged in, screenshot name).
"""
from __future__ import annotations

import pytest

from tests.e2e.conftest import check_a11y, login

pytestmark = pytest.mark.e2e

PAGES = [
    ("/", None, "home"),
    ("/login", None, "login"),
    ("/this-page-does-not-exist", None, "error-404"),
    ("/", "buyer@demo.example", "home-buyer"),
    ("/account/password", "auditor@demo.example", "password"),
    ("/admin/users", "admin@demo.example", "admin-users"),
    # Registry, tenders, bids, opening, evaluation, results, monitoring (journeys in test_journeys.py).
    ("/registry/", None, "registry-directory"),
    ("/registry/enterprises/new", "firm@demo.example", "registry-new"),
    ("/registry/mine", "firm@demo.example", "registry-mine"),
    ("/registry/admin", "admin@demo.example", "registry-validation-queue"),
    ("/registry/search", "buyer@demo.example", "registry-search"),
    ("/tenders", "buyer@demo.example", "tenders"),
    ("/tenders/new", "buyer@demo.example", "tender-new"),
    ("/tenders/DEMO-2026-002", "buyer@demo.example", "tender-draft"),
    ("/tenders/DEMO-2026-002/clauses", "buyer@demo.example", "tender-clauses"),
    ("/tenders/DEMO-2026-002/lots/1/criteria", "buyer@demo.example", "tender-criteria"),
    ("/tenders/DEMO-2026-002/publish", "buyer@demo.example", "tender-publish"),
    ("/tenders/DEMO-2026-001", "buyer@demo.example", "tender-published"),
    ("/tenders/DEMO-2026-001/document/en", "buyer@demo.example", "tender-document-preview"),
    ("/tenders/DEMO-2026-001/bids", "buyer@demo.example", "opening-overview"),
    ("/tenders/DEMO-2026-001/lots/1/evaluation", "buyer@demo.example", "evaluation"),
    ("/tenders/DEMO-2026-001/lots/1/results", "auditor@demo.example", "results"),
    ("/my-bids", "bidder3@demo.example", "my-bids"),
    ("/contracts", "buyer@demo.example", "contracts"),
    ("/impact", "buyer@demo.example", "impact"),
    ("/tenders/for-you", "firm@demo.example", "tenders-for-you"),
    ("/tenders/DEMO-2026-001/matches", "buyer@demo.example", "tender-matches"),
]


@pytest.mark.parametrize(("path", "user", "name"), PAGES, ids=[p[2] for p in PAGES])
def test_page_has_no_serious_accessibility_violation(page, path, user, name):
    if user:
        login(page, user)
    page.goto(path)
    check_a11y(page, name)


@pytest.mark.parametrize("lang", ["fr", "nl"])
def test_pages_in_french_and_dutch(page, lang):
    """Longer words in FR/NL must not break the layout into an inaccessible state."""
    page.goto(f"/language/{lang}?next=/login")
    assert page.locator("html").get_attribute("lang") == lang
    check_a11y(page, f"login-{lang}")
    login(page, "admin@demo.example")
    page.goto("/admin/users")
    check_a11y(page, f"admin-users-{lang}")


def test_form_with_errors(page):
    """The error state of a form: summary, inline messages, aria-invalid."""
    page.goto("/login")
    page.locator("main").get_by_role("button", name="Log in").click()
    assert page.locator(".error-summary").is_visible()
    check_a11y(page, "login-errors")


def test_phone_layout_has_no_horizontal_scroll(page):
    """At 390 px nothing is wider than the screen (WCAG 1.4.10 reflow)."""
    page.set_viewport_size({"width": 390, "height": 844})
    login(page, "admin@demo.example")
    for path in ("/", "/login", "/account/password", "/admin/users", "/this-page-does-not-exist"):
        page.goto(path)
        width = page.evaluate("() => document.documentElement.scrollWidth")
        assert width <= 390, f"{path} is {width} px wide on a 390 px phone"
