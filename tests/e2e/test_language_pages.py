"""Journey 5 (issue 8) on the key pages of journeys 1-4: FR → NL → EN with the header's own
language links (clicked, never by URL). On each page and in each language: ``<html lang>`` is the
language, a known heading or button is in that language (from the app's own catalogue), and the
person is still on the same page (same path and query, hence the same tender, lot or enterprise).
"""
from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from tests.e2e.conftest import login, screenshot, translations
from tests.e2e.test_language import ORDER, switch_language

pytestmark = pytest.mark.e2e

REF = "DEMO-2026-001"

# (screenshot name, who is logged in (None: nobody), path, checks)
# checks: "h1": (msgid, params) the whole main heading; "text": msgids (with params) shown in <main>;
# "button": button names.
PAGES = [
    ("directory", None, "/registry/", {"h1": ("Directory of social-economy enterprises", {})}),
    ("profile", None, "/registry/enterprises/1", {"text": [("What the enterprise does", {}), ("Activities", {})]}),
    ("tender-drafting", "buyer@demo.example", "/tenders/new",
     {"h1": ("New tender", {}), "button": ["Save the draft"]}),
    ("tender-detail", "buyer@demo.example", f"/tenders/{REF}", {"text": [("Lots and award criteria", {})]}),
    ("documents-preview", "buyer@demo.example", f"/tenders/{REF}/document/fr",
     {"prefix": ("Content hash: %(hash)s", "%(hash)s")}),
    ("bid-submission", "firm@demo.example", f"/tenders/{REF}/lots/1/bid",
     {"h1": ("Bid on lot %(n)s of %(ref)s", {"n": 1, "ref": REF})}),
    ("opening", "buyer@demo.example", f"/tenders/{REF}/bids", {"h1": ("Bids for %(ref)s", {"ref": REF})}),
    ("evaluation", "buyer@demo.example", f"/tenders/{REF}/lots/1/evaluation",
     {"h1": ("Evaluation of lot %(n)s of %(ref)s", {"n": 1, "ref": REF}), "text": [("Ranking", {})]}),
    ("results", "buyer@demo.example", f"/tenders/{REF}/lots/1/results",
     {"h1": ("Results of lot %(n)s of %(ref)s", {"n": 1, "ref": REF}), "text": [("Award decision", {})]}),
    ("auditor-report", "auditor@demo.example", f"/tenders/{REF}/lots/1/results",
     {"h1": ("Results of lot %(n)s of %(ref)s", {"n": 1, "ref": REF}),
      "link": "Scoring report (PDF/A, with the scoring input embedded)"}),
]


def expect_language(page, lang: str, checks: dict) -> None:
    t = translations(lang)
    main = page.locator("main")
    if "h1" in checks:
        msgid, params = checks["h1"]
        assert main.locator("h1").first.inner_text().strip() == t.gettext(msgid) % params, (lang, msgid)
    for msgid, params in checks.get("text", []):
        assert main.get_by_text(t.gettext(msgid) % params, exact=True).count() >= 1, (lang, msgid)
    for name in checks.get("button", []):
        assert page.get_by_role("button", name=t.gettext(name)).count() >= 1, (lang, name)
    if "link" in checks:
        assert main.get_by_role("link", name=t.gettext(checks["link"])).count() == 1, (lang, checks["link"])
    if "prefix" in checks:
        msgid, cut = checks["prefix"]
        assert t.gettext(msgid).split(cut)[0].strip() in main.inner_text(), (lang, msgid)


def test_checked_strings_differ_between_languages():
    """Guard: a string that is the same in two languages would prove nothing."""
    for _name, _who, _path, checks in PAGES:
        msgids = [checks["h1"][0]] if "h1" in checks else []
        msgids += [m for m, _ in checks.get("text", [])] + checks.get("button", [])
        msgids += [checks["link"]] if "link" in checks else []
        msgids += [checks["prefix"][0]] if "prefix" in checks else []
        for msgid in msgids:
            seen = {translations(lang).gettext(msgid) for lang in ORDER}
            assert len(seen) == 3, (msgid, seen)


@pytest.mark.parametrize("name,who,path,checks", PAGES, ids=[p[0] for p in PAGES])
def test_key_page_fr_nl_en(page, name, who, path, checks):
    if who:
        login(page, who)
    page.goto(path)
    start = urlsplit(page.url)
    assert start.path == urlsplit(path).path, f"{path} redirected to {page.url}"
    titles = set()
    for lang in ORDER:
        switch_language(page, lang)
        now = urlsplit(page.url)
        assert (now.path, now.query) == (start.path, start.query), f"the switch left {path} for {page.url}"
        assert page.locator("html").get_attribute("lang") == lang
        expect_language(page, lang, checks)
        titles.add(page.locator("main h1").first.inner_text().strip())
        screenshot(page, f"journey5-{name}-{lang}")
    if name == "tender-detail":  # the tender's own title (title_fr / title_nl / title_en) follows too
        assert len(titles) == 3, titles
