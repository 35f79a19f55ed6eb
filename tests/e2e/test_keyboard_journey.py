"""Journey 2 with the keyboard alone (issue 8, WCAG 2.1.1 Keyboard and 2.4.7 Focus Visible): after
logging in, a buyer reaches the tender list from the main navigation, drafts a tender, fills its lot,
award criterion and a clause with the insertion hours, publishes it and downloads the PDF — only
Tab, Shift+Tab, Enter, Space, arrow keys and typing; no click. At every Tab stop the focused
element must show a focus indicator (computed outline of at least 2 px, or a box shadow).
"""
from __future__ import annotations

import io
import re
from datetime import datetime, timedelta

import pytest

from tests.e2e.conftest import assert_visible_focus, login, screenshot

pytestmark = pytest.mark.e2e

REFERENCE = "E2E-2026-KBD"
HOURS = 150  # 180 000 EUR x 50 % x 5 % / 30 EUR


def focused(page, selector: str) -> bool:
    return page.evaluate("s => !!document.activeElement && document.activeElement.matches(s)", selector)


def picker_button_has_focus(page) -> bool:
    """Chromium makes the calendar button inside a date field a Tab stop of its own: the field is the
    active element but does not match :focus, and a page cannot read the button's computed style.
    Accept that stop only if the stylesheet gives the button a focus outline."""
    return page.evaluate("""() => {
        const el = document.activeElement;
        if (!el || el.tagName !== 'INPUT' || !/^(date|datetime-local|time|month|week)$/.test(el.type)
            || el.matches(':focus')) { return false; }
        for (const sheet of document.styleSheets) {
            for (const rule of sheet.cssRules) {
                if ((rule.selectorText || '').includes('::-webkit-calendar-picker-indicator:focus')
                    && parseFloat(rule.style.outlineWidth) >= 2 && rule.style.outlineStyle !== 'none') {
                    return true;
                }
            }
        }
        return false;
    }""")


def tab_to(page, selector: str, *, limit: int = 150, back: bool = False) -> None:
    """Press Tab (Shift+Tab) until ``selector`` has the focus, checking the focus ring at each stop."""
    stops = []
    for _ in range(limit):
        page.keyboard.press("Shift+Tab" if back else "Tab")
        if page.evaluate("() => document.activeElement === document.body"):
            stops.append("body")
            continue
        if picker_button_has_focus(page):
            stops.append("calendar button")
            continue
        info = assert_visible_focus(page)
        stops.append(f"{info['tag']}#{info['id']}")
        if focused(page, selector):
            return
    pytest.fail(f"{selector} never got the focus with {'Shift+' if back else ''}Tab; stops: {stops[-40:]}")


def press_and_wait(page, key: str = "Enter") -> None:
    with page.expect_navigation():
        page.keyboard.press(key)
    page.wait_for_load_state("load")


def type_into(page, selector: str, text: str, *, replace: bool = False) -> None:
    tab_to(page, selector)
    if replace:
        page.keyboard.press("Control+a")
    page.keyboard.type(text)
    assert page.locator(selector).input_value() == text, selector


def type_datetime(page, selector: str, when: datetime) -> None:
    """Chromium's datetime-local field, segment by segment (headless Chromium shows mm/dd/yyyy,
    hh:mm AM/PM): digits, ArrowRight to the time, digits, A or P."""
    tab_to(page, selector)
    page.keyboard.type(when.strftime("%m%d%Y"))
    page.keyboard.press("ArrowRight")
    page.keyboard.type(when.strftime("%I%M"))
    page.keyboard.type("A" if when.hour < 12 else "P")
    assert page.locator(selector).input_value() == when.strftime("%Y-%m-%dT%H:%M"), selector


def choose(page, selector: str, value: str) -> None:
    """A <select> with the arrow keys: down until the wanted option is chosen."""
    tab_to(page, selector)
    for _ in range(30):
        if page.locator(selector).input_value() == value:
            return
        page.keyboard.press("ArrowDown")
    pytest.fail(f"{value!r} not reachable with the arrow keys in {selector}")


def test_keyboard_only_tender_drafting_publication_and_pdf(page):
    import pypdf

    login(page, "buyer@demo.example")  # the login form itself is done by keyboard in test_accounts.py

    # From the top of the page: the skip link first, then the main navigation.
    page.keyboard.press("Tab")
    assert focused(page, "a.skip-link"), "the skip link is not the first stop"
    assert_visible_focus(page)
    tab_to(page, "nav.main-nav a[href='/tenders']")
    press_and_wait(page)
    tab_to(page, "main a[href='/tenders/new']")
    press_and_wait(page)
    assert page.locator("main h1").inner_text() == "New tender"

    type_into(page, "#reference", REFERENCE)
    type_into(page, "#title_fr", "Nettoyage des bâtiments communaux")
    type_into(page, "#title_nl", "Schoonmaak van de gemeentelijke gebouwen")
    type_into(page, "#title_en", "Cleaning of the municipal buildings")
    choose(page, "#nature", "services")
    type_into(page, "#cpv_main", "90910000")
    type_into(page, "#nuts3", "BE352")
    type_into(page, "#municipality", "Valmeuse")
    type_into(page, "#estimated_value", "180000")
    type_into(page, "#duration_months", "12")
    now = datetime.now().replace(second=0, microsecond=0)
    type_datetime(page, "#publication_date", now)
    type_datetime(page, "#question_deadline", now + timedelta(days=10))
    type_datetime(page, "#bid_deadline", now + timedelta(days=20))
    type_datetime(page, "#opening_at", now + timedelta(days=20, hours=1))
    type_into(page, "#labour_share_pct", "50")
    type_into(page, "#insertion_rate_pct", "5")
    type_into(page, "#hourly_cost", "30")
    page.locator("#insertion-hours").get_by_text(f"{HOURS} insertion hours").wait_for()
    tab_to(page, "main button[value=save]")
    press_and_wait(page)
    assert f"Draft tender {REFERENCE} created." in page.locator(".flashes").inner_text()
    screenshot(page, "keyboard-journey2-draft")

    # The lot.
    tab_to(page, "main a[href$='/lots']")
    press_and_wait(page)
    type_into(page, "#lots-0-number", "1", replace=True)
    type_into(page, "#lots-0-title_fr", "Bâtiments", replace=True)
    type_into(page, "#lots-0-title_nl", "Gebouwen", replace=True)
    type_into(page, "#lots-0-title_en", "Buildings", replace=True)
    tab_to(page, "main form button[type=submit]")
    press_and_wait(page)
    assert "error-summary" not in page.content(), page.locator("main").inner_text()[:1500]

    # The award criteria of lot 1: price 100.
    tab_to(page, "main a[href$='/lots/1/criteria']")
    press_and_wait(page)
    type_into(page, "#criteria-0-weight", "100", replace=True)
    tab_to(page, "main form button[type=submit]")
    press_and_wait(page)
    assert "Award criteria of lot 1 saved." in page.locator(".flashes").inner_text(), \
        page.locator("main").inner_text()[:1500]
    if not page.url.endswith(f"/tenders/{REFERENCE}"):  # the criteria page stays open: back to the tender
        tab_to(page, f"main a[href$='/tenders/{REFERENCE}']")
        press_and_wait(page)

    # A clause whose hours come from the calculator: Space ticks it.
    tab_to(page, "main a[href$='/clauses']")
    press_and_wait(page)
    box = f"fieldset:has(input[id^='param-'][value='{HOURS}']) input[type=checkbox]"
    assert page.locator(box).count() >= 1, "no clause with the computed hours"
    tab_to(page, box)
    page.keyboard.press("Space")
    assert page.locator(box).first.is_checked()
    tab_to(page, "main form button[type=submit]")
    press_and_wait(page)
    assert "error-summary" not in page.content(), page.locator("main").inner_text()[:1500]

    # Publish, with the confirmation box ticked by Space.
    if not page.url.endswith(f"/tenders/{REFERENCE}"):
        tab_to(page, f"main a[href$='/tenders/{REFERENCE}']")
        press_and_wait(page)
    tab_to(page, "main a[href$='/publish']")
    press_and_wait(page)
    tab_to(page, "main form input[type=checkbox]")
    page.keyboard.press("Space")
    tab_to(page, "main form button.danger")
    press_and_wait(page)
    assert "published" in (page.locator("main").inner_text() + page.locator(".flashes").inner_text()).lower()

    # The English PDF, from the keyboard; it has the clause with the hours.
    tab_to(page, "main a[href$='/document/en.pdf']")
    with page.expect_download() as info:
        page.keyboard.press("Enter")
    with open(info.value.path(), "rb") as fh:
        body = fh.read()
    text = " ".join((p.extract_text() or "") for p in pypdf.PdfReader(io.BytesIO(body)).pages)
    assert body.startswith(b"%PDF-") and re.search(rf"\b{HOURS}\b", text)
    # Shift+Tab goes back the way it came, still with a visible focus.
    tab_to(page, "main a[href$='/document/en/'], main a[href$='/document/en']", back=True)
    screenshot(page, "keyboard-journey2-published")
