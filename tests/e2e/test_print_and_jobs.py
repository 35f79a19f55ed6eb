"""Issue 8: result pages on paper (print stylesheet), and a large report prepared in the background
with a progress page (with and without JavaScript)."""
from __future__ import annotations

import re

import pytest

from tests.e2e.conftest import check_a11y, login, screenshot

pytestmark = pytest.mark.e2e

REF = "DEMO-2026-001"
PRINT_PAGES = [
    ("results", f"/tenders/{REF}/lots/1/results"),
    ("evaluation", f"/tenders/{REF}/lots/1/evaluation"),
    ("impact", "/impact"),
]


def computed(page, selector: str, prop: str, pseudo: str | None = None) -> list[str]:
    return page.evaluate(
        "([sel, prop, pseudo]) => Array.from(document.querySelectorAll(sel))"
        ".map(e => getComputedStyle(e, pseudo).getPropertyValue(prop))", [selector, prop, pseudo])


@pytest.mark.parametrize("name,path", PRINT_PAGES, ids=[p[0] for p in PRINT_PAGES])
def test_print_stylesheet_keeps_only_the_content(page, name, path):
    login(page, "buyer@demo.example")
    page.goto(path)
    assert page.locator("main h1").count() == 1, page.locator("main").inner_text()[:500]
    # On screen the navigation is there...
    assert computed(page, "header.site-header", "display") != ["none"]
    page.emulate_media(media="print")
    # ...on paper: no header, navigation, forms or buttons; black on white; no link addresses.
    for selector in ("header.site-header", "nav", "form", "button", ".skip-link", "footer.site-footer"):
        assert set(computed(page, selector, "display")) <= {"none"}, selector
    assert computed(page, "body", "background-color") == ["rgba(0, 0, 0, 0)"] or \
        computed(page, "body", "background-color") == ["rgb(255, 255, 255)"]
    colours = set(computed(page, "main h1, main p, main td, main th, main a", "color"))
    assert colours <= {"rgb(0, 0, 0)"}, colours
    assert set(computed(page, "main a[href]", "content", "::after")) <= {"none", "normal"}
    assert set(computed(page, "main table", "break-inside")) <= {"avoid"}
    assert page.locator("main h1").is_visible()
    pdf = page.pdf(format="A4", print_background=False)  # Chromium headless only: it is here
    assert pdf.startswith(b"%PDF-") and len(pdf) > 1000
    page.emulate_media(media="screen")
    assert computed(page, "header.site-header", "display") != ["none"]


@pytest.fixture
def background_reports(live_server):
    """Every scoring report goes through a job for this test (the demo lot has 5 bids)."""
    config = live_server.app.config
    before = config["REPORT_BACKGROUND_MIN_BIDS"]
    config["REPORT_BACKGROUND_MIN_BIDS"] = 1
    yield
    config["REPORT_BACKGROUND_MIN_BIDS"] = before


def test_large_report_progress_page_then_download(page, background_reports):
    from procurement.report_verify import verify_report

    login(page, "auditor@demo.example")
    page.goto(f"/tenders/{REF}/lots/1/results")
    page.get_by_role("link", name="Scoring report (PDF/A, with the scoring input embedded)").click()
    page.wait_for_url(re.compile(r"/jobs/\d+$"))
    assert page.locator("main h1").inner_text() == "Scoring report"
    # The progress page (or the finished page, when the server was very quick).
    if page.locator("#job-progress").count():
        assert page.locator("#job-text[role=status]").count() == 1
        check_a11y(page, "jobs-progress")
        page.locator("#job-ready").wait_for(state="visible", timeout=120_000)  # jobs.js polling
        assert page.evaluate("() => document.getElementById('job-progress').value") == 100
        assert page.locator("#job-percent").inner_text() == "100 %"
        link = page.locator("#job-ready a")
    else:
        link = page.locator("#job-download")
    screenshot(page, "jobs-ready")
    with page.expect_download() as info:
        link.click()
    with open(info.value.path(), "rb") as fh:
        body = fh.read()
    assert info.value.suggested_filename == f"scoring-report-{REF}-lot-1.pdf"
    assert verify_report(body).ok


def test_progress_page_without_javascript_refreshes_itself(browser, live_server, background_reports):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False, locale="en-GB",
                                  timezone_id="Europe/Brussels")
    context.set_default_timeout(15_000)
    try:
        page = context.new_page()
        login(page, "buyer@demo.example")
        page.goto("/language/nl?next=/")  # a job of its own (language is part of the request)
        response = page.goto(f"/tenders/{REF}/lots/1/report.pdf")
        assert re.search(r"/jobs/\d+$", page.url), (response.status, page.url)
        if page.locator("#job-progress").count():
            assert page.locator("noscript").count() >= 1
            # The <meta http-equiv="refresh"> fallback reloads the page until the document is ready.
            page.locator("#job-download").wait_for(timeout=120_000)
        assert page.locator("#job-download").get_attribute("href").endswith("/download")
    finally:
        context.close()
