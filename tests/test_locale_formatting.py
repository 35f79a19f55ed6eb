"""Amounts, numbers and dates per language (issue 8), on pages and in the tender DOCX.

Babel (CLDR) writes French amounts with U+202F NARROW NO-BREAK SPACE between thousands groups and
U+00A0 NO-BREAK SPACE before the euro sign; Dutch with U+00A0 after the sign; both for ``fr``/``fr_BE``
and ``nl``/``nl_BE``. The tests assert exactly those characters (what a screen reader or a copy-paste
gets), not ordinary spaces.
"""
from datetime import date, datetime, timezone
from html import unescape
from io import BytesIO

import pytest

from common import formatting
from tests.conftest import login

NNBSP, NBSP = "\u202f", "\u00a0"
EXPECTED = {
    "fr": f"1{NNBSP}234{NNBSP}567,89{NBSP}€",
    "nl": f"€{NBSP}1.234.567,89",
    "en": "€1,234,567.89",
}


@pytest.mark.parametrize("lang", ["fr", "nl", "en"])
def test_money_per_language(lang):
    assert formatting.money("1234567.89", lang) == EXPECTED[lang]


def test_belgian_locales_give_the_same_result():
    from babel.numbers import format_currency

    assert format_currency(1234567.89, "EUR", locale="fr_BE") == EXPECTED["fr"]
    assert format_currency(1234567.89, "EUR", locale="nl_BE") == EXPECTED["nl"]
    assert formatting.babel_locale("en") == "en"  # not en_BE, which would write 1.234.567,89 €


def test_numbers_and_empty_values():
    assert formatting.number("92000", "fr", 2) == f"92{NNBSP}000,00"
    assert formatting.number("92000", "nl", 2) == "92.000,00"
    assert formatting.number("92000", "en", 2) == "92,000.00"
    assert formatting.number("2.5", "fr") == "2,5"
    assert formatting.money(None, "fr") == "" and formatting.number("", "nl") == ""


def test_dates_in_brussels_time_and_language():
    # 23:30 UTC on 31 December is already 1 January in Brussels (UTC+1 in winter).
    late = datetime(2025, 12, 31, 23, 30, tzinfo=timezone.utc)
    assert formatting.local_date(late, "fr") == "1 janv. 2026"
    assert formatting.local_date(late, "nl") == "1 jan 2026"
    assert formatting.local_date(date(2026, 3, 5), "en") == "Mar 5, 2026"
    summer = datetime(2026, 7, 1, 10, 0)  # naive = UTC, stored form; Brussels is UTC+2 in summer
    assert formatting.local_datetime(summer, "nl").endswith("12:00:00")


def page(client, lang, path):
    client.get(f"/language/{lang}?next=/")
    response = client.get(path)
    assert response.status_code == 200, path
    return unescape(response.get_data(as_text=True))


@pytest.mark.parametrize("lang,lot1,lot2", [
    ("fr", f"300{NNBSP}000,00{NBSP}€", f"180{NNBSP}000,00{NBSP}€"),
    ("nl", f"€{NBSP}300.000,00", f"€{NBSP}180.000,00"),
    ("en", "€300,000.00", "€180,000.00"),
])
def test_tender_page_lot_values(client, demo, lang, lot1, lot2):
    login(client, "buyer@demo.example")
    html = page(client, lang, "/tenders/DEMO-2026-001")
    assert lot1 in html and lot2 in html
    assert "300000.00 EUR" not in html and "300,000.00 EUR" not in html


@pytest.mark.parametrize("lang,price", [
    ("fr", f"92{NNBSP}000,00{NBSP}€"), ("nl", f"€{NBSP}92.000,00"), ("en", "€92,000.00")])
def test_evaluation_page_prices(client, demo, lang, price):
    login(client, "buyer@demo.example")
    html = page(client, lang, "/tenders/DEMO-2026-001/lots/1/evaluation")
    assert price in html, html[:3000]
    assert "92,000.00 EUR" not in html


def test_tender_docx_amounts_follow_the_document_language(demo):
    from docx import Document
    from sqlmodel import Session, select

    from procurement.documents import get_document
    from procurement.models import Tender

    with demo.app_context(), Session(demo.extensions["procure.engine"]) as session:
        tender = session.exec(select(Tender).where(Tender.reference == "DEMO-2026-001")).one()
        texts = {}
        for lang in ("fr", "nl"):
            document = get_document(session, tender, lang, "docx", settings=demo.config, cache=None)
            doc = Document(BytesIO(document.content))
            text = " ".join(p.text for p in doc.paragraphs)
            for table in doc.tables:
                text += " " + " ".join(c.text for row in table.rows for c in row.cells)
            texts[lang] = text
    assert f"480{NNBSP}000,00{NBSP}€" in texts["fr"]
    assert f"€{NBSP}480.000,00" in texts["nl"]
    assert f"€{NBSP}300.000,00" in texts["nl"]
