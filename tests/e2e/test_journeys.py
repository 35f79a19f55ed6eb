"""End-to-end journeys (issue 8), each through the real pages, forms and downloads, asserting what a
person sees. They share the session's live server (one demo database), so each journey creates its own
names and references and does not depend on another journey having run.

1. A firm registers a profile with a name close to a demo enterprise (duplicate warning), adds an
   accreditation with a PDF proof; the admin validates it; it is in the public directory.
2. A buyer drafts a tender, sees the sourcing advice, picks a clause, sees the insertion hours,
   publishes with confirmation, downloads the PDF and DOCX (the clause with the hours is in both).
3. Two firms (bidder3@, bidder4@) bid on the tender of journey 2 while its deadline is open; the buyer
   sees none of their prices (bids page, bids.json, tender, evaluation, results); the test then moves
   the tender's bid deadline and opening time into the past directly in the live server's SQLite
   database (the UI cannot, and time passing would); the buyer opens the bids with confirmation,
   rates the quality criterion of each bid with a justification, finalises with confirmation; the
   results page shows the ranking of the two bids and the stability sentence. The finalised lot 1 of
   DEMO-2026-001 is checked the same way.
4. An auditor downloads the scoring report of DEMO-2026-001 lot 1 and it verifies.
"""
from __future__ import annotations

import io
import re
from datetime import date, datetime, timedelta, timezone

import pytest

from tests.e2e.conftest import check_a11y, login, logout, screenshot

pytestmark = pytest.mark.e2e


def tiny_pdf() -> bytes:
    """A minimal valid one-page PDF (correct xref offsets)."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()


def enterprise_number(body: int) -> str:
    """A Belgian enterprise number with a valid mod-97 check: 0 + 7 digits + 2 check digits."""
    base = body % 100_000_000
    check = 97 - base % 97
    digits = f"{base:08d}{check:02d}"
    return f"{digits[:4]}.{digits[4:7]}.{digits[7:]}"


def download(page, click) -> tuple[str, bytes]:
    with page.expect_download() as info:
        click()
    dl = info.value
    path = dl.path()
    with open(path, "rb") as fh:
        return dl.suggested_filename, fh.read()


def submit(page, locator) -> None:
    """Click something that loads a new page and wait until that page has fully loaded (so that the
    next step does not abort its stylesheets)."""
    with page.expect_navigation():
        locator.click()
    page.wait_for_load_state("load")


def main_text(page) -> str:
    return page.locator("main").inner_text()


def flashes(page) -> str:
    """The flash messages shown, or a failure showing what the page says instead."""
    box = page.locator(".flashes")
    if box.count() == 0:
        pytest.fail(f"no message on {page.url}; the page says:\n{main_text(page)[:2000]}")
    return box.inner_text()


# --- journey 1: firm registers, duplicate warning, accreditation proof, admin validates ---------

def test_journey_firm_registers_and_is_validated(page):
    name = "Les Jardins de Valmeuse SRL"  # demo: "Les Jardins de Valmeuse ASBL"
    login(page, "firm@demo.example")
    page.goto("/registry/enterprises/new")
    assert page.locator("main h1").inner_text() == "Register a social-economy enterprise"
    page.get_by_label("Legal name").fill(name)
    page.get_by_label("Enterprise number (BCE/KBO)").fill(enterprise_number(7_654_321))
    # The live check (registry.js) warns while typing.
    live = page.locator("#duplicate-check")
    live.get_by_text("Les Jardins de Valmeuse ASBL").wait_for()
    assert "similar name" in live.inner_text()
    page.get_by_label("Legal form").select_option(index=1)
    page.get_by_label("Seat: street and number").fill("Rue des Potagers 12")
    page.get_by_label("Postal code").fill("5020")
    page.get_by_label("Municipality").fill("Valmeuse")
    page.get_by_label("Contact e-mail address").fill("contact@jardins-srl.example")
    page.get_by_label("What the enterprise does").fill("Entretien d'espaces verts par des travailleurs en insertion.")
    page.get_by_label("Total staff (people)").fill("20")
    page.get_by_label("Disabled or disadvantaged workers (people)").fill("14")
    page.locator("input[name=types][value=insertion]").check()
    # Let the while-typing check (debounced) finish before leaving the page.
    page.wait_for_timeout(700)
    page.wait_for_load_state("networkidle")
    submit(page, page.locator("main form button[type=submit]"))

    # Again on submit: the warning, with "this is us" and the box to confirm it is a new profile.
    warning = page.locator(".warning[role=alert]")
    assert "This enterprise may already be registered" in warning.inner_text()
    assert "Les Jardins de Valmeuse ASBL" in warning.inner_text()
    assert warning.get_by_role("link", name="This is us: request access").count() >= 1
    screenshot(page, "journey1-duplicate-warning")
    page.get_by_label("None of the enterprises listed above is ours: register a new profile").check()
    submit(page, page.locator("main form button[type=submit]"))
    assert "Profile registered. An administrator will validate it." in flashes(page)
    assert page.locator("main h1").inner_text().startswith(name)
    assert "pending validation" in page.locator("main h1").inner_text()
    profile_url = page.url
    enterprise_id = int(re.search(r"/enterprises/(\d+)", profile_url).group(1))

    # Types and accreditations: the type chosen at registration is listed; give it its accreditation
    # with a PDF proof.
    page.goto(f"/registry/enterprises/{enterprise_id}/types")
    page.locator("main table tr", has_text="Insertion enterprise").get_by_role("link", name="Edit").click()
    page.wait_for_load_state("load")
    page.get_by_label("Accreditation number (agrément / erkenning)").fill("EI-W-2026-0999")
    page.get_by_label("Issued by").select_option(label="Walloon Region")
    today = date.today()
    page.get_by_label("Valid from").fill((today - timedelta(days=30)).isoformat())
    page.get_by_label("Valid until").fill((today + timedelta(days=700)).isoformat())
    page.get_by_label("Proof (PDF, PNG or JPEG)").set_input_files(
        files=[{"name": "agrement.pdf", "mimeType": "application/pdf", "buffer": tiny_pdf()}])
    submit(page, page.locator("main form.form button[type=submit]"))
    page.goto(f"/registry/enterprises/{enterprise_id}/types")
    table = page.locator("main table")
    assert "EI-W-2026-0999" in table.inner_text(), main_text(page)[:1500]
    proof_link = table.get_by_role("link", name="agrement.pdf")
    _, proof = download(page, proof_link.click)
    assert proof.startswith(b"%PDF-")
    check_a11y(page, "journey1-types")
    logout(page)

    # Not in the public directory while pending.
    page.goto("/registry/?q=" + "Jardins")
    assert name not in main_text(page)

    # The admin validates it in the queue (with confirmation).
    login(page, "admin@demo.example")
    page.goto("/registry/admin")
    row = page.locator("main table tr", has_text=name)
    assert row.count() == 1
    check_a11y(page, "journey1-validation-queue")
    submit(page, row.get_by_role("button", name="Validate"))
    if page.locator("main h1").inner_text() == "Confirm":
        screenshot(page, "journey1-confirm-validation")
        submit(page, page.locator("main form button.danger"))
    page.goto("/registry/admin")
    assert page.locator("main table tr", has_text=name).count() == 0 or \
        "Validate again" not in page.locator("main table tr", has_text=name).inner_text()
    logout(page)

    # Public directory: anyone sees it now.
    page.goto("/registry/?q=Jardins+de+Valmeuse")
    assert page.locator("main").get_by_text(name).count() >= 1, main_text(page)[:1500]
    page.goto(f"/registry/enterprises/{enterprise_id}")
    assert page.locator("main h1").inner_text().startswith(name)
    assert "pending" not in page.locator("main h1").inner_text()
    page.goto("/registry/directory.json")
    assert name in page.content()
    page.goto("/registry/?q=Jardins+de+Valmeuse")
    check_a11y(page, "journey1-directory")


# --- journey 2: a buyer drafts, advises, picks clauses, publishes, downloads PDF and DOCX -------

TENDER = "E2E-2026-010"
HOURS = 150  # 180 000 EUR x 50 % x 5 % / 30 EUR


def local(dt: datetime) -> str:
    return dt.strftime("%Y-%m-%dT%H:%M")


def test_journey_buyer_drafts_and_publishes_a_tender(page):
    import docx
    import pypdf

    login(page, "buyer@demo.example")
    page.goto("/tenders/new")
    assert page.locator("main h1").inner_text() == "New tender"
    page.get_by_label("Reference").fill(TENDER)
    page.get_by_label("Title (French)").fill("Entretien des espaces verts communaux")
    page.get_by_label("Title (Dutch)").fill("Onderhoud van het gemeentelijk groen")
    page.get_by_label("Title (English)").fill("Maintenance of the municipal green spaces")
    page.get_by_label("Description (French)").fill("Tonte, taille et désherbage des parcs de Valmeuse.")
    page.get_by_label("Description (Dutch)").fill("Maaien, snoeien en wieden in de parken van Valmeuse.")
    page.get_by_label("Description (English)").fill("Mowing, pruning and weeding of the parks of Valmeuse.")
    page.get_by_label("Type of contract").select_option("services")
    page.get_by_label("Main CPV code").fill("77310000")
    page.get_by_label("Place of performance (NUTS-3)").fill("BE352")
    page.get_by_label("Municipality of performance").fill("Valmeuse")
    page.get_by_label("Estimated value (EUR excl. VAT)").fill("180000")
    page.get_by_label("Duration (months)").fill("12")
    now = datetime.now().replace(second=0, microsecond=0)
    page.get_by_label("Publication").fill(local(now))
    page.get_by_label("Deadline for questions").fill(local(now + timedelta(days=10)))
    page.get_by_label("Bid deadline").fill(local(now + timedelta(days=20)))
    page.get_by_label("Opening of bids").fill(local(now + timedelta(days=20, hours=1)))
    page.get_by_label("Labour share (%)").fill("50")
    page.get_by_label("Insertion rate (%)").fill("5")
    page.get_by_label("Loaded hourly cost (EUR)").fill("30")
    # Live with JavaScript: the output says the hours before anything is saved.
    output = page.locator("#insertion-hours")
    output.get_by_text(f"{HOURS} insertion hours").wait_for()
    screenshot(page, "journey2-new-tender")
    submit(page, page.get_by_role("button", name="Save the draft"))
    assert f"Draft tender {TENDER} created." in flashes(page)
    assert page.locator("main h1").inner_text() == "Maintenance of the municipal green spaces"
    assert f"{TENDER} · draft" in main_text(page)
    assert f"{HOURS} insertion hours (180000 × 0.5 × 0.05 ÷ 30)" in main_text(page)
    detail_url = page.url

    # Sourcing advice from the registry, on the tender page.
    sourcing = page.locator("section", has=page.get_by_role("heading", name="Sourcing advice"))
    assert sourcing.count() == 1, main_text(page)[:2000]
    assert re.search(r"\d", sourcing.inner_text()), sourcing.inner_text()
    check_a11y(page, "journey2-tender-draft")

    # Lots: one lot, open to all.
    page.get_by_role("link", name="Lots").click()
    page.wait_for_load_state("load")
    if page.locator("#lots-0-number").input_value() == "":
        page.locator("#lots-0-number").fill("1")
    page.locator("#lots-0-title_fr").fill("Parcs et jardins")
    page.locator("#lots-0-title_nl").fill("Parken en tuinen")
    page.locator("#lots-0-title_en").fill("Parks and gardens")
    submit(page, page.get_by_role("button", name="Save the lots"))
    assert "error-summary" not in page.content(), main_text(page)[:2000]

    # Award criteria of lot 1: price 60, quality rated 40.
    page.goto(f"/tenders/{TENDER}/lots/1/criteria")
    page.locator("#criteria-0-weight").fill("60")
    page.locator("#criteria-1-code").fill("quality")
    page.locator("#criteria-1-kind").select_option("rating")
    page.locator("#criteria-1-label_fr").fill("Qualité du plan d'insertion")
    page.locator("#criteria-1-label_nl").fill("Kwaliteit van het inschakelingsplan")
    page.locator("#criteria-1-label_en").fill("Quality of the insertion plan")
    page.locator("#criteria-1-weight").fill("40")
    page.locator("#criteria-1-scale").fill("10")
    page.locator("#criteria-1-scoring_grid").fill("10: detailed plan with tutoring; 5: plan; 0: none.")
    page.locator("#criteria-1-is_social").check()
    page.locator("#criteria-1-link_to_subject").fill("The insertion workers do the mowing and pruning of this contract.")
    submit(page, page.get_by_role("button", name="Save the criteria"))
    assert "Award criteria of lot 1 saved." in flashes(page)

    # Clauses: the hour parameters start from the calculator.
    page.goto(f"/tenders/{TENDER}/clauses")
    hour_inputs = page.locator(f"input[id^='param-'][value='{HOURS}']")
    assert hour_inputs.count() >= 1, "no clause parameter filled with the insertion hours"
    hour_field = hour_inputs.first
    box_id = hour_field.evaluate("e => e.closest('fieldset').id")
    clause_box = page.locator(f"fieldset#{box_id}")
    clause_title = clause_box.locator("legend").evaluate("e => e.firstChild.textContent").strip()
    clause_box.get_by_label("Include this clause").check()
    submit(page, page.get_by_role("button", name="Save the clauses"))
    assert "error-summary" not in page.content(), main_text(page)[:2000]
    page.goto(detail_url)
    assert clause_title in main_text(page), (clause_title, main_text(page)[:2000])

    # Publish, with confirmation.
    page.get_by_role("link", name="Publish").click()
    page.wait_for_load_state("load")
    check_a11y(page, "journey2-publish")
    page.get_by_label(re.compile("I understand that the award criteria")).check()
    submit(page, page.get_by_role("button", name="Publish and freeze"))
    text = flashes(page)
    assert "published" in (text + page.locator("main").inner_text()).lower(), main_text(page)[:2000]

    # Documents: the English PDF and DOCX contain the clause with its hours.
    docs = page.locator("main li", has_text="English")
    if docs.count() == 0:
        docs = page.locator("main")
    name_pdf, pdf_bytes = download(page, docs.get_by_role("link", name="PDF", exact=True).first.click)
    assert name_pdf.endswith(".pdf") and pdf_bytes.startswith(b"%PDF-")
    pdf_text = " ".join((p.extract_text() or "") for p in pypdf.PdfReader(io.BytesIO(pdf_bytes)).pages)
    flat = re.sub(r"\s+", " ", pdf_text)
    assert clause_title[:30] in flat, flat[:3000]
    assert re.search(rf"\b{HOURS}\b", flat), flat[:3000]
    name_docx, docx_bytes = download(page, docs.get_by_role("link", name="DOCX", exact=True).first.click)
    assert name_docx.endswith(".docx")
    document = docx.Document(io.BytesIO(docx_bytes))
    docx_text = " ".join(p.text for p in document.paragraphs)
    for table in document.tables:
        for row in table.rows:
            docx_text += " " + " ".join(c.text for c in row.cells)
    assert clause_title[:30] in docx_text
    assert re.search(rf"\b{HOURS}\b", docx_text)
    screenshot(page, "journey2-tender-published")


# --- journey 3: sealed bids, opening, rating, finalising, results ------------------------------

PRICES = {"bidder3@demo.example": "171234.56", "bidder4@demo.example": "176543.21"}


def move_deadlines_to_the_past(live_server, reference: str) -> None:
    """The UI cannot move a published tender's deadline: the test does it in the live server's
    SQLite database (naive UTC, as stored), as time passing would."""
    import sqlite3

    path = live_server.database_url.removeprefix("sqlite:///")
    past = datetime.now(timezone.utc).replace(tzinfo=None) - timedelta(minutes=5)
    with sqlite3.connect(path) as db:
        stored = db.execute("SELECT bid_deadline FROM tender WHERE reference = ?", (reference,)).fetchone()
        assert stored and stored[0], f"{reference} not found (journey 2 creates it)"
        fmt = "%Y-%m-%d %H:%M:%S.%f" if "." in stored[0] else "%Y-%m-%d %H:%M:%S"
        db.execute("UPDATE tender SET bid_deadline = ?, opening_at = ? WHERE reference = ?",
                   ((past - timedelta(minutes=1)).strftime(fmt), past.strftime(fmt), reference))


def price_forms(price: str) -> list[str]:
    whole, cents = price.split(".")
    grouped = f"{int(whole):,}"
    return [price, f"{grouped}.{cents}", grouped.replace(",", "\u202f") + f",{cents}",
            grouped.replace(",", " ") + f",{cents}", grouped.replace(",", ".") + f",{cents}",
            grouped.replace(",", "\xa0") + f",{cents}"]


def test_journey_sealed_bids_opening_and_results(browser, live_server):
    """Depends on journey 2's published tender (same module, run before)."""
    def new_page():
        ctx = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 800},
                                  locale="en-GB", timezone_id="Europe/Brussels")
        ctx.set_default_timeout(15_000)
        return ctx, ctx.new_page()

    receipts = {}
    for email, price in PRICES.items():
        ctx, page = new_page()
        try:
            login(page, email)
            page.goto(f"/tenders/{TENDER}/lots/1/bid")
            if page.locator("main h1").inner_text().startswith("Page not found"):
                pytest.fail(f"{TENDER} is not there: journey 2 (which publishes it) must run first")
            page.get_by_label("Total price excl. VAT (EUR)").fill(price)
            page.get_by_label("Insertion plan").set_input_files(
                files=[{"name": "plan.pdf", "mimeType": "application/pdf", "buffer": tiny_pdf()}])
            page.get_by_label("Technical memo").set_input_files(
                files=[{"name": "memo.pdf", "mimeType": "application/pdf", "buffer": tiny_pdf()}])
            page.get_by_label(re.compile("I declare on my honour")).check()
            if email == "bidder3@demo.example":
                check_a11y(page, "journey3-bid-form")
            submit(page, page.get_by_role("button", name="Submit the bid"))
            receipts[email] = main_text(page)
            assert TENDER in receipts[email], receipts[email][:1500]
            if email == "bidder3@demo.example":
                check_a11y(page, "journey3-bid-receipt")
        finally:
            ctx.close()

    # Sealed: before the opening the buyer sees that bids arrived, never their prices.
    ctx, page = new_page()
    try:
        login(page, "buyer@demo.example")
        seen = ""
        for path in (f"/tenders/{TENDER}/bids", f"/tenders/{TENDER}/bids.json", f"/tenders/{TENDER}",
                     f"/tenders/{TENDER}/lots/1/evaluation", f"/tenders/{TENDER}/lots/1/results"):
            page.goto(path)
            seen += page.content()
        for price in PRICES.values():
            for form in price_forms(price):
                assert form not in seen, f"the price {form} shows before the opening"
        page.goto(f"/tenders/{TENDER}/bids")
        check_a11y(page, "journey3-bids-sealed")

        # Time passes: the deadline and the opening time are now in the past.
        move_deadlines_to_the_past(live_server, TENDER)
        page.goto(f"/tenders/{TENDER}/bids")
        submit(page, page.get_by_role("button", name="Open the bids…"))
        assert page.get_by_role("button", name="Yes, open the bids").is_visible(), main_text(page)[:1500]
        screenshot(page, "journey3-confirm-opening")
        submit(page, page.get_by_role("button", name="Yes, open the bids"))
        opened = main_text(page)
        # After the opening the prices are there.
        page.goto(f"/tenders/{TENDER}/lots/1/evaluation")
        evaluation = page.content()
        assert any(f in evaluation for f in price_forms(PRICES["bidder3@demo.example"])), opened[:1500]

        # Rate the quality of each bid, with a justification.
        ratings = iter(["8", "5", "6", "7"])
        for _ in range(6):
            empty = page.locator("main form input[name=value]")
            todo = [i for i in range(empty.count()) if not empty.nth(i).input_value()]
            if not todo:
                break
            field = empty.nth(todo[0])
            form = field.locator("xpath=ancestor::form")
            field.fill(next(ratings))
            form.locator("textarea[name=justification]").fill("Plan with named tutors and a weekly schedule.")
            submit(page, form.get_by_role("button", name="Save the rating"))
        check_a11y(page, "journey3-evaluation")
        assert page.locator("#reasons").count() == 1, main_text(page)[-1500:]
        page.locator("#reasons").fill("Best price-quality ratio on the published criteria.")
        page.locator("#confirm").check()
        submit(page, page.get_by_role("button", name="Finalise and record the award"))
        assert "finalised" in main_text(page).lower() or "finalised" in flashes(page).lower()

        page.goto(f"/tenders/{TENDER}/lots/1/results")
        results = main_text(page)
        assert page.locator("main h1").inner_text() == f"Results of lot 1 of {TENDER}"
        ranking = page.locator("main table").first.inner_text()
        assert "1" in ranking and len(page.locator("main table").first.locator("tbody tr").all()) == 2, ranking
        stability = page.locator("ul.stability li")
        assert stability.count() >= 1
        assert "No single winner" not in stability.first.inner_text(), results[:2000]
        check_a11y(page, "journey3-results")
    finally:
        ctx.close()


def test_demo_results_show_ranking_and_stability(page):
    """The finalised lot 1 of the demo tender: its ranking and the stability sentence."""
    login(page, "buyer@demo.example")
    page.goto("/tenders/DEMO-2026-001/lots/1/results")
    assert page.locator("main h1").inner_text() == "Results of lot 1 of DEMO-2026-001"
    assert page.locator("main table").first.locator("tbody tr").count() >= 2
    stability = page.locator("ul.stability li")
    assert stability.count() >= 1 and "No single winner" not in stability.first.inner_text()
    check_a11y(page, "demo-results")


# --- journey 4: auditor downloads the scoring report, it verifies --------------------------------

def test_journey_auditor_downloads_a_report_that_verifies(page, live_server):
    from procurement.report_verify import verify_report

    login(page, "auditor@demo.example")
    page.goto("/tenders/DEMO-2026-001/lots/1/results")
    assert page.locator("main h1").inner_text() == "Results of lot 1 of DEMO-2026-001"
    screenshot(page, "journey4-results-auditor")
    filename, body = download(
        page, page.get_by_role("link", name="Scoring report (PDF/A, with the scoring input embedded)").click)
    assert filename.endswith(".pdf"), filename
    assert body.startswith(b"%PDF-")
    verification = verify_report(body)
    assert verification.ok, verification
    assert verification.input_hash and verification.result_hash
