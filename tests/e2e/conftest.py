"""Browser tests: the real app served over HTTP, driven by Debian's Chromium through Playwright.

* ``live_server`` (session): a fresh SQLite database in a temporary folder, migrated with the real
  migrations and loaded with the demo data (what ``make run`` does), served by werkzeug's WSGI
  server on a free loopback port in a thread.
* ``browser`` (session) and ``page`` (one fresh browser context per test, English by default).
* Helpers: ``login(page, email)`` through the real form, ``screenshot(page, name)`` (desktop 1280 px
  and phone 390 px into ``test-artifacts/screenshots/``), ``check_a11y(page, name)`` (axe-core: no
  violation of impact serious or critical, at desktop and phone widths, with screenshots).

Without Chromium (``PROCURE_E2E_CHROMIUM``, default ``/usr/bin/chromium``), Playwright or axe-core
(``node_modules``, installed by ``make``), the tests are skipped with the reason, and the run's summary
says so in capitals. With ``PROCURE_E2E_REQUIRED=1`` (set by ``.ci/run``) they fail instead.
"""
from __future__ import annotations

import os
import shutil
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("PROCURE_E2E_CHROMIUM", "/usr/bin/chromium")
AXE_JS = Path(os.environ.get("PROCURE_E2E_AXE", ROOT / "node_modules" / "axe-core" / "axe.min.js"))
REQUIRED = os.environ.get("PROCURE_E2E_REQUIRED", "").lower() in {"1", "true", "yes"}
ARTIFACTS = ROOT / "test-artifacts"
SCREENSHOTS = ARTIFACTS / "screenshots"
DEMO_PASSWORD = "demo-2026"

DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
VIEWPORTS = {"desktop": DESKTOP, "phone": PHONE}

# Debian's Chromium as root in a sandbox with no network but the package registries: these flags
# keep it from phoning home (and from failing on refused connections). Playwright gives every
# launch a fresh, empty profile (user-data-dir) of its own.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-quic",
]

SKIP_PREFIX = "browser tests SKIPPED: "


def _unavailable(reason: str):
    """Skip, or fail when the browser tests are required (CI)."""
    if REQUIRED:
        pytest.fail(f"PROCURE_E2E_REQUIRED is set but the browser tests cannot run: {reason}", pytrace=False)
    pytest.skip(SKIP_PREFIX + reason)


def _browser_problem() -> str | None:
    """Why the browser tests cannot run here, or None."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError as exc:
        return f"Playwright is not installed ({exc}); run `make test` to install requirements.txt"
    if not (os.path.isfile(CHROMIUM) and os.access(CHROMIUM, os.X_OK)):
        return f"no Chromium at {CHROMIUM} (install it: apt-get install chromium)"
    return None


def _axe_problem() -> str | None:
    if not AXE_JS.is_file():
        return f"axe-core not found at {AXE_JS} (install npm, then `make e2e-tools` runs `npm ci`)"
    return None


BROWSER_PROBLEM = _browser_problem()
AXE_PROBLEM = _axe_problem()
E2E_DIR = Path(__file__).resolve().parent


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    """Every test under tests/e2e is marked ``e2e`` (so ``-m e2e`` / ``-m "not e2e"`` select them),
    and skipped up front when no browser can run here (unless required)."""
    for item in items:
        if E2E_DIR in Path(str(item.path)).resolve().parents:
            item.add_marker(pytest.mark.e2e)
            if BROWSER_PROBLEM and not REQUIRED:
                item.add_marker(pytest.mark.skip(reason=SKIP_PREFIX + BROWSER_PROBLEM))


def pytest_terminal_summary(terminalreporter):
    reasons: dict[str, int] = {}
    for report in terminalreporter.stats.get("skipped", []):
        longrepr = report.longrepr
        reason = longrepr[2] if isinstance(longrepr, tuple) and len(longrepr) == 3 else str(longrepr)
        if SKIP_PREFIX in reason:
            reason = reason.split(SKIP_PREFIX, 1)[1]
            reasons[reason] = reasons.get(reason, 0) + 1
    if not reasons:
        return
    terminalreporter.section("BROWSER TESTS SKIPPED", sep="!", bold=True, yellow=True)
    for reason, count in reasons.items():
        terminalreporter.write_line(f"BROWSER TESTS SKIPPED ({count} tests): {reason}", bold=True, yellow=True)
    terminalreporter.write_line(
        "They run in `make test` once that is installed; CI (.ci/run) installs it and requires them."
    )


# --- the app, served for real --------------------------------------------------------------------

@dataclass
class LiveServer:
    url: str
    app: object
    database_url: str

    def __call__(self, path: str = "/") -> str:
        return self.url + path


@pytest.fixture(scope="session")
def live_server(tmp_path_factory):
    """The app on a free loopback port, on a fresh migrated database with the demo data."""
    from werkzeug.serving import make_server

    from app import create_app
    from common.db import get_session
    from common.migrate import upgrade
    from demo import load_all

    folder = tmp_path_factory.mktemp("e2e-app")
    database_url = f"sqlite:///{folder / 'e2e.sqlite'}"
    try:
        upgrade(database_url)
    except Exception as exc:
        pytest.fail(f"the migrations do not apply to a fresh database (as in `make run`): {exc!r}"[:2000], pytrace=False)
    app = create_app({
        "ENV": "development",  # the demo accounts log in (refused in production)
        "DATABASE_URL": database_url,
        "SECRET_KEY": "e2e-" + os.urandom(16).hex(),
        "UPLOAD_DIR": str(folder / "uploads"),
    })
    with app.app_context():
        try:
            load_all(get_session())
        except Exception as exc:
            pytest.fail(f"the demo data does not load on the migrated database (as in `make run`): "
                        f"{exc!r}"[:2000], pytrace=False)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="e2e-wsgi", daemon=True)
    thread.start()
    yield LiveServer(f"http://127.0.0.1:{server.server_port}", app, database_url)
    server.shutdown()
    thread.join(timeout=10)
    app.extensions["procure.engine"].dispose()


# --- the browser ---------------------------------------------------------------------------------

@pytest.fixture(scope="session")
def _playwright():
    if BROWSER_PROBLEM:
        _unavailable(BROWSER_PROBLEM)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        yield pw


@pytest.fixture(scope="session")
def browser(_playwright):
    # Chromium writes crash dumps and caches under HOME: keep them out of the user's home.
    # Playwright gives the launch a fresh, empty --user-data-dir of its own.
    home = tempfile.mkdtemp(prefix="e2e-chromium-home-")
    browser, problem = None, None
    try:
        browser = _playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True, chromium_sandbox=False,
            env={**os.environ, "HOME": home}, timeout=60_000,
        )
    except Exception as exc:  # the binary exists but does not start: a failure, never a skip
        problem = "\n".join(str(exc).strip().splitlines()[:25]) or type(exc).__name__
    if browser is None:
        shutil.rmtree(home, ignore_errors=True)
        pytest.fail(f"Chromium at {CHROMIUM} exists but did not start "
                    f"(set PROCURE_E2E_CHROMIUM to a working one):\n{problem}", pytrace=False)
    yield browser
    browser.close()
    shutil.rmtree(home, ignore_errors=True)


@pytest.fixture(scope="session", autouse=False)
def _screenshot_dir():
    # Under pytest-xdist several workers share the folder: only a plain run empties it (make test
    # empties it before starting the workers).
    if not os.environ.get("PYTEST_XDIST_WORKER"):
        shutil.rmtree(SCREENSHOTS, ignore_errors=True)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS


@pytest.fixture
def context(browser, live_server, _screenshot_dir):
    """A fresh browser context per test: no cookies, English browser, desktop size."""
    ctx = browser.new_context(
        base_url=live_server.url, viewport=DESKTOP, locale="en-GB", timezone_id="Europe/Brussels",
    )
    ctx.set_default_timeout(15_000)
    yield ctx
    ctx.close()


@pytest.fixture(autouse=True)
def _fresh_account_languages(request):
    """After each browser test (whatever contexts it opened), the demo accounts have no saved language."""
    yield
    if "live_server" in request.fixturenames:
        _forget_saved_languages(request.getfixturevalue("live_server"))


def _forget_saved_languages(live_server) -> None:
    """A test that switches the language while logged in saves it on the account; the demo
    accounts have none, so clear it again: the next test starts from the browser's language."""
    from sqlalchemy import update
    from sqlmodel import Session

    from accounts.models import User

    with Session(live_server.app.extensions["procure.engine"]) as session:
        session.exec(update(User).values(language=None))
        session.commit()


@pytest.fixture
def page(context):
    """A page whose script errors, CSP violations and failed sub-resources fail the test."""
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(f"script error: {exc}"))
    # A CSP violation shows as a console error; "Failed to load resource" is reported below with
    # its address (an error page's own status is not a failure).
    page.on("console", lambda msg: errors.append(f"console: {msg.text}")
            if msg.type == "error" and not msg.text.startswith("Failed to load resource") else None)
    page.on("response", lambda r: errors.append(f"HTTP {r.status} for {r.url}")
            if r.status >= 400 and r.request.resource_type != "document"
            and not r.url.endswith("/favicon.ico") else None)
    # net::ERR_ABORTED is the browser cancelling a sub-resource because the page navigated away
    # (a test clicking on before a cached stylesheet revalidated): not a broken resource.
    page.on("requestfailed", lambda r: errors.append(f"request failed: {r.url} ({r.failure})")
            if r.resource_type != "document" and "ERR_ABORTED" not in (r.failure or "") else None)
    page.console_errors = errors
    yield page
    assert not errors, "the browser reported errors:\n" + "\n".join(errors)


# --- helpers -------------------------------------------------------------------------------------

def login(page, email: str, password: str = DEMO_PASSWORD) -> None:
    """Log in through the real login form, as a person would, and check that it worked."""
    page.goto("/login")
    page.locator("#email").fill(email)
    page.locator("#password").fill(password)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator(".account .who").inner_text().startswith(email), (
        f"login as {email} failed: {page.locator('main').inner_text()[:300]}"
    )


def logout(page) -> None:
    page.locator(".account form button[type=submit]").click()
    page.wait_for_load_state()


def screenshot(page, name: str) -> list[Path]:
    """Full-page screenshots at desktop (1280 px) and phone (390 px) widths; the viewport is
    restored afterwards. Returns the files written."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    before = page.viewport_size
    files = []
    for label, size in VIEWPORTS.items():
        page.set_viewport_size(size)
        path = SCREENSHOTS / f"{name}-{label}.png"
        page.screenshot(path=str(path), full_page=True)
        files.append(path)
    if before:
        page.set_viewport_size(before)
    return files


BLOCKING_IMPACTS = ("serious", "critical")


def axe_run(page) -> list[dict]:
    """Run axe-core (WCAG 2.0/2.1 A and AA rules plus best practices) on the current page and return
    its violations. axe is evaluated through the DevTools protocol, so the page's CSP (no inline
    scripts) stays in force."""
    if AXE_PROBLEM:
        _unavailable(AXE_PROBLEM)
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(AXE_JS.read_text(encoding="utf-8") + "\n;void 0")
    result = page.evaluate(
        """async () => {
            const r = await axe.run(document, {
                runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice']},
                resultTypes: ['violations'],
            });
            return r.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
                nodes: v.nodes.map(n => ({target: n.target.join(' '), html: n.html, summary: n.failureSummary})),
            }));
        }"""
    )
    return result


def format_violations(violations: list[dict], where: str = "") -> str:
    lines = []
    for v in violations:
        lines.append(f"[{v['impact']}] {v['id']}: {v['help']} ({where}) {v['helpUrl']}")
        for node in v["nodes"][:10]:
            lines.append(f"    at {node['target']}: {node['html'][:160]}")
            for detail in (node["summary"] or "").splitlines():
                lines.append(f"        {detail}")
    return "\n".join(lines)


def check_a11y(page, name: str) -> None:
    """axe-core at desktop and phone widths: no serious or critical violation. Takes the screenshots
    of the page too (``screenshot``). Lesser violations are printed, not failed."""
    before = page.viewport_size
    blocking, minor = [], []
    for label, size in VIEWPORTS.items():
        page.set_viewport_size(size)
        for v in axe_run(page):
            (blocking if v["impact"] in BLOCKING_IMPACTS else minor).append((label, v))
    if before:
        page.set_viewport_size(before)
    screenshot(page, name)
    if minor:
        print(f"\naxe, {name}: minor/moderate findings (not failing):")
        for label, v in minor:
            print(format_violations([v], f"{name}, {label}"))
    assert not blocking, (
        f"axe-core found serious/critical accessibility violations on {name} ({page.url}):\n"
        + "\n".join(format_violations([v], f"{name}, {label}") for label, v in blocking)
    )


def focus_indicator(page) -> dict:
    """The computed outline (and box shadow) of the focused element: what shows keyboard focus."""
    return page.evaluate(
        """() => {
            const el = document.activeElement;
            const s = getComputedStyle(el);
            return {tag: el.tagName.toLowerCase(), id: el.id, name: el.getAttribute('name'),
                    text: (el.innerText || el.value || '').trim().slice(0, 60),
                    outlineStyle: s.outlineStyle, outlineWidth: parseFloat(s.outlineWidth) || 0,
                    outlineColor: s.outlineColor, boxShadow: s.boxShadow,
                    focusVisible: el.matches(':focus-visible')};
        }"""
    )


def assert_visible_focus(page) -> dict:
    info = focus_indicator(page)
    visible = (info["outlineStyle"] not in ("none", "") and info["outlineWidth"] >= 2) or (
        info["boxShadow"] not in ("none", "")
    )
    assert visible, f"no visible focus indicator on the focused element: {info}"
    return info


def translations(lang: str):
    """The app's own catalogue for ``lang`` (what the page should show)."""
    from babel.support import Translations

    return Translations.load(str(ROOT / "translations"), [lang])
