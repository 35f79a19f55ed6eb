"""Buyer search: fuzzy text, filters (CPV descendants, type, service, place, distance, language,
eligibility, validated only), pagination, sorting, reasons; CSV/XLSX exports with formula
neutralisation; user text escaped in pages, CSV, XLSX and JSON."""
import csv
import io
import json
from datetime import date

import pytest
from openpyxl import load_workbook

from registry.exports import neutralise
from tests.registry_helpers import log_in, make_enterprise, make_user

XSS = '<script>alert("x")</script> Atelier'


@pytest.fixture
def registry(session):
    make_user(session, "buyer@x.example", "buyer")
    make_enterprise(session, "Bâti-Insert Hainaut SRL", 1, postal_code="7000", municipality="Mons", nuts3="BE323",
                    staff=(48, 30), activities=(("works", "45210000 45442100", "regions", ["BE3"], None),))
    make_enterprise(session, "Peintres Solidaires Namur", 2, staff=(10, 2),
                    activities=(("works", "45442100", "nuts3", ["BE352"], None),))
    make_enterprise(session, "Kringwinkel Scheldeland VZW", 3, types=("reuse_shop",), postal_code="9200",
                    municipality="Dendermonde", nuts3="BE232", languages=("nl",), staff=(120, 85),
                    activities=(("supplies", "39000000", "nuts3", ["BE232"], None),))
    make_enterprise(session, "Nettoyage en attente", 4, status="pending",
                    activities=(("services", "90910000", "country", [], None),))
    make_enterprise(session, "Sans agrément Nettoyage", 5, accreditation=None, staff=(10, 8),
                    activities=(("services", "90910000", "regions", ["BE3"], None),))
    make_enterprise(session, XSS, 6, website="https://xss.example",
                    activities=(("services", "90910000", "country", [], None),))


def _search(client, query):
    html = client.get("/registry/search?" + query, headers={"Accept-Language": "en"}).get_data(as_text=True)
    names = ["Bâti-Insert Hainaut SRL", "Peintres Solidaires Namur", "Kringwinkel Scheldeland VZW",
             "Nettoyage en attente", "Sans agrément Nettoyage", "&lt;script&gt;"]
    return html, sorted(n for n in names if n in html)


def test_cpv_filter_finds_descendants_not_ancestors(client, registry):
    log_in(client, "buyer@x.example")
    html, found = _search(client, "cpv=45000000")
    assert found == ["Bâti-Insert Hainaut SRL", "Peintres Solidaires Namur"]
    assert "CPV 45442100" in html  # why it matched
    assert _search(client, "cpv=45442100")[1] == ["Bâti-Insert Hainaut SRL", "Peintres Solidaires Namur"]
    assert _search(client, "cpv=45210000")[1] == ["Bâti-Insert Hainaut SRL"]


def test_fuzzy_text_with_typos_and_reasons(client, registry):
    log_in(client, "buyer@x.example")
    html, found = _search(client, "q=kringwinkl+scheldland")
    assert found == ["Kringwinkel Scheldeland VZW"] and "matches" in html


def test_filters(client, registry):
    log_in(client, "buyer@x.example")
    assert _search(client, "type=reuse_shop")[1] == ["Kringwinkel Scheldeland VZW"]
    assert _search(client, "service_type=supplies")[1] == ["Kringwinkel Scheldeland VZW"]
    assert _search(client, "language=nl")[1] == ["Kringwinkel Scheldeland VZW"]
    # Region covered: the Flemish firm and the one covering the whole country.
    assert _search(client, "region=BE2")[1] == ["&lt;script&gt;", "Kringwinkel Scheldeland VZW"]
    assert _search(client, "place=BE352&cpv=90910000")[1] == ["&lt;script&gt;", "Sans agrément Nettoyage"]
    # Within 30 km of Namur (arrondissement centres): the Namur firms, not Mons or Dendermonde.
    html, found = _search(client, "place=Namur&radius_km=30")
    assert "Bâti-Insert Hainaut SRL" not in found and "Peintres Solidaires Namur" in found and "km from" in html
    # Eligible: validated, >= 30 % disadvantaged, valid accreditation.
    assert _search(client, "eligible=1")[1] == ["&lt;script&gt;", "Bâti-Insert Hainaut SRL", "Kringwinkel Scheldeland VZW"]
    assert "Nettoyage en attente" in _search(client, "all=1&cpv=90910000")[1]
    assert "Nettoyage en attente" not in _search(client, "cpv=90910000")[1]
    assert "Unknown place" in _search(client, "place=Atlantis")[0]


def test_pagination_and_sorting(app, client, registry):
    from common.db import get_session
    from registry.finder import Filters, search

    with app.app_context():
        first = search(get_session(), Filters(sort="name"), viewer_role="buyer", today=date.today(),
                       min_share_pct=30, page_size=2)
        assert (first.total, first.pages) == (5, 3)
        names = [h.enterprise.legal_name for h in first.hits]
        assert names == sorted(names, key=str.lower)
        share = search(get_session(), Filters(sort="share", page=1), viewer_role="buyer",
                       today=date.today(), min_share_pct=30)
        assert share.hits[0].enterprise.legal_name == "Sans agrément Nettoyage"  # 80 %
        last = search(get_session(), Filters(sort="name", page=99), viewer_role="buyer", today=date.today(),
                      min_share_pct=30, page_size=2)
        assert last.page == 3 and len(last.hits) == 1


def test_exports_neutralise_formulas_and_keep_html_inert(client, session, registry):
    make_enterprise(session, '=HYPERLINK("http://evil.example","click")', 7)
    make_enterprise(session, "+cmd|' /C calc'!A0", 8)
    make_enterprise(session, "@SUM(A1)", 9)
    make_enterprise(session, "-2+3", 10)
    log_in(client, "buyer@x.example")
    text = client.get("/registry/search/export.csv?sort=name").get_data(as_text=True)
    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    names = {r["name"] for r in rows}
    assert {"'=HYPERLINK(\"http://evil.example\",\"click\")", "'+cmd|' /C calc'!A0", "'@SUM(A1)", "'-2+3", XSS} <= names
    assert all(not r["name"].startswith(("=", "+", "-", "@")) for r in rows)
    response = client.get("/registry/search/export.xlsx?sort=name")
    assert response.headers["Content-Disposition"] == 'attachment; filename="enterprises.xlsx"'
    sheet = load_workbook(io.BytesIO(response.data)).active
    header = [c.value for c in sheet[1]]
    cells = [row[header.index("name")] for row in sheet.iter_rows(min_row=2)]
    assert all(c.data_type == "s" for c in cells)
    values = {c.value for c in cells}
    assert "'=HYPERLINK(\"http://evil.example\",\"click\")" in values and XSS in values
    staff = [row[header.index("staff_total")].value for row in sheet.iter_rows(min_row=2)]
    assert 48 in staff  # numbers stay numbers


def test_neutralise():
    assert [neutralise(v) for v in ("=1", "+1", "-1", "@a", "\tx", "\rx", "ok", 5, None)] == [
        "'=1", "'+1", "'-1", "'@a", "'\tx", "'\rx", "ok", 5, None]


def test_user_text_is_escaped_in_pages_and_json(app, client, session, registry):
    anonymous = app.test_client()
    for url in ("/registry/", "/registry/?q=atelier"):
        html = anonymous.get(url).get_data(as_text=True)
        assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; Atelier" in html and '<script>alert("x")' not in html
    body = anonymous.get("/registry/directory.json").get_data(as_text=True)
    assert "<script>" not in body and "\\u003cscript\\u003e" in body
    assert any(e["name"] == XSS for e in json.loads(body)["enterprises"])
    log_in(client, "buyer@x.example")
    html = client.get("/registry/search?q=script+atelier").get_data(as_text=True)
    assert '<script>alert("x")' not in html and "&lt;script&gt;" in html


def test_xss_through_the_registration_form_is_escaped_on_the_profile(client, session):
    make_user(session, "firm@x.example")
    log_in(client, "firm@x.example")
    from tests.registry_helpers import number, post

    response = post(client, "/registry/enterprises/new", {
        "legal_name": XSS, "enterprise_number": number(30), "types": ["other"], "description": "<img src=x onerror=alert(1)>",
        "trade_names": "<b>bold</b>"})
    assert response.status_code == 302
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "<img src=x" not in html and "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "<b>bold</b>" not in html and '<script>alert("x")' not in html
