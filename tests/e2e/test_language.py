"""Journey 5 (issue 8), on the pages that exist so far: FR → NL → EN through the header's links.

What a person sees changes (headings, labels, buttons) and so does ``<html lang>``, which screen
readers use to pick their voice. Later journeys add their pages to PAGES.
"""
from __future__ import annotations

import pytest

from tests.e2e.conftest import login, screenshot, translations

pytestmark = pytest.mark.e2e

ORDER = ("fr", "nl", "en")


def switch_language(page, code: str) -> None:
    """Click the language link in the header, as a person would."""
    link = page.locator(f"nav.languages a[hreflang={code}]")
    link.click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == code
    assert page.locator(f"nav.languages a[hreflang={code}]").get_attribute("aria-current") == "true"


def expect_texts(page, lang: str, *, h1: str, labels=(), buttons=()) -> None:
    t = translations(lang)
    assert page.locator("main h1").inner_text().strip() == t.gettext(h1)
    for label in labels:
        assert page.locator("main label", has_text=t.gettext(label)).count() == 1, (lang, label)
    for button in buttons:
        assert page.get_by_role("button", name=t.gettext(button)).count() >= 1, (lang, button)
    assert page.locator(".skip-link").inner_text().strip() == t.gettext("Skip to content")


def test_the_catalogues_differ_for_what_is_checked():
    """Guard: the journey below would prove nothing if a string were the same in all languages."""
    for text in ("Public contracts that create jobs", "Log in", "E-mail address", "Password"):
        seen = {translations(lang).gettext(text) for lang in ORDER}
        assert len(seen) == 3, (text, seen)


def test_home_fr_nl_en(page):
    page.goto("/")
    for lang in ORDER:
        switch_language(page, lang)
        expect_texts(page, lang, h1="Public contracts that create jobs")
        assert page.url.rstrip("?").endswith("/"), "the switch returns to the same page"
        screenshot(page, f"home-{lang}")


def test_login_fr_nl_en(page):
    page.goto("/login")
    for lang in ORDER:
        switch_language(page, lang)
        assert "/login" in page.url, "the switch returns to the same page"
        expect_texts(page, lang, h1="Log in", labels=("E-mail address", "Password"), buttons=("Log in",))
        screenshot(page, f"login-{lang}")


def test_logged_in_pages_fr_nl_en(page):
    login(page, "admin@demo.example")
    for path, h1 in (("/account/password", "Change password"), ("/admin/users", "Users")):
        page.goto(path)
        for lang in ORDER:
            switch_language(page, lang)
            assert path in page.url
            expect_texts(page, lang, h1=h1)
            assert translations(lang).gettext("Log out") in page.locator(".account").inner_text()
    # The last choice (English) is kept on the account.
    page.get_by_role("button", name="Log out").click()
    login(page, "admin@demo.example")
    assert page.locator("html").get_attribute("lang") == "en"


def test_language_chosen_before_login_is_kept_after_login(page):
    page.goto("/login")
    switch_language(page, "nl")
    login(page, "firm@demo.example")  # the demo firm user has no saved language
    assert page.locator("html").get_attribute("lang") == "nl"
    assert translations("nl").gettext("You are logged in.") in page.locator(".flashes").inner_text()


def test_error_page_follows_the_language(page):
    page.goto("/")
    switch_language(page, "nl")
    response = page.goto("/this-page-does-not-exist")
    assert response.status == 404
    assert page.locator("html").get_attribute("lang") == "nl"
    assert translations("nl").gettext("Page not found") in page.locator("main h1").inner_text()
