"""Logging in and out through the real forms, with the mouse and with the keyboard alone."""
from __future__ import annotations

import pytest

from tests.e2e.conftest import assert_visible_focus, focus_indicator, login, logout

pytestmark = pytest.mark.e2e


def test_login_and_logout_through_the_form(page):
    page.goto("/")
    page.locator(".account").get_by_role("link", name="Log in").click()
    assert page.locator("main h1").inner_text() == "Log in"
    page.get_by_label("E-mail address").fill("buyer@demo.example")
    page.get_by_label("Password").fill("demo-2026")
    page.locator("main").get_by_role("button", name="Log in").click()
    assert "You are logged in." in page.locator(".flashes").inner_text()
    assert "buyer@demo.example" in page.locator(".account").inner_text()
    assert "(buyer)" in page.locator(".account .role").inner_text()

    page.get_by_role("button", name="Log out").click()
    assert "You are logged out." in page.locator(".flashes").inner_text()
    assert page.locator(".account").get_by_role("link", name="Log in").is_visible()
    # After logging out, a page for logged-in users sends back to the login form.
    page.goto("/account/password")
    assert "/login" in page.url


def test_wrong_password_is_said_and_nothing_else_happens(page):
    page.goto("/login")
    page.get_by_label("E-mail address").fill("buyer@demo.example")
    page.get_by_label("Password").fill("not-the-password")
    page.locator("main").get_by_role("button", name="Log in").click()
    assert "Wrong e-mail address or password." in page.locator(".flashes").inner_text()
    assert page.locator(".account .who").count() == 0
    # The e-mail typed is kept, the password is not.
    assert page.get_by_label("E-mail address").input_value() == "buyer@demo.example"
    assert page.get_by_label("Password").input_value() == ""


def test_keyboard_only_login_with_visible_focus(page):
    """Tab from the top of the page: the skip link comes first, then the header, then the form;
    every stop shows a focus ring; Enter submits."""
    page.goto("/login")
    page.keyboard.press("Tab")
    first = assert_visible_focus(page)
    assert first["tag"] == "a" and first["text"] == "Skip to content", first
    assert page.locator(".skip-link").is_visible(), "the skip link shows itself when focused"

    stops = []
    for _ in range(30):
        page.keyboard.press("Tab")
        info = assert_visible_focus(page)
        stops.append(info)
        if info["id"] == "email":
            break
    else:
        pytest.fail(f"the e-mail field was not reached with Tab: {[s['tag'] + '#' + s['id'] for s in stops]}")
    assert len(stops) <= 10, f"too many stops before the form: {stops}"
    page.keyboard.type("firm@demo.example")

    page.keyboard.press("Tab")
    assert focus_indicator(page)["id"] == "password"
    assert_visible_focus(page)
    page.keyboard.type("demo-2026")

    page.keyboard.press("Tab")
    button = assert_visible_focus(page)
    assert button["tag"] == "button" and button["text"] == "Log in", button

    page.keyboard.press("Shift+Tab")
    assert focus_indicator(page)["id"] == "password"
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "You are logged in." in page.locator(".flashes").inner_text()
    assert "firm@demo.example" in page.locator(".account").inner_text()

    # Logging out works from the keyboard too: focus the button and press Enter.
    page.get_by_role("button", name="Log out").focus()
    assert_visible_focus(page)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "You are logged out." in page.locator(".flashes").inner_text()


def test_skip_link_moves_focus_to_the_content(page):
    page.goto("/")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "main"
    page.keyboard.press("Tab")
    # The next stop is inside the main content, not back in the header.
    assert page.evaluate("() => document.activeElement.closest('main') !== null")


def test_password_change_errors_are_next_to_the_fields(page):
    login(page, "auditor@demo.example")
    page.get_by_role("link", name="Password").click()
    page.get_by_label("Current password", exact=True).fill("wrong-password")
    page.get_by_label("New password", exact=True).fill("short")
    page.get_by_label("Repeat the new password").fill("other")
    page.locator("main").get_by_role("button", name="Change password").click()
    summary = page.locator(".error-summary")
    assert summary.is_visible()
    field = page.get_by_label("New password", exact=True)
    assert field.get_attribute("aria-invalid") == "true"
    described = field.get_attribute("aria-describedby") or ""
    error_ids = [i for i in described.split() if i.endswith("-error")]
    assert error_ids, described
    assert page.locator(f"#{error_ids[0]}").is_visible()
    # Each summary entry links to its field.
    first_link = summary.locator("a").first
    target = first_link.get_attribute("href")
    first_link.click()
    assert page.evaluate("() => '#' + document.activeElement.id") == target
    logout(page)
