"""Tender documents: PDF/A with the clauses filled in, DOCX with the same headings, escaping,
determinism and the cache, all three languages, and the CLI."""
import re
import zipfile
from html import unescape
from io import BytesIO

import pytest
from docx import Document
from pypdf import PdfReader

from procurement import tender_services as services
from procurement.document_text import LANGS, TEXT
from procurement.documents import get_document
from tests.conftest import login
from tests.tender_builders import PASSWORD, XSS, build_tender, make_authority, make_user


@pytest.fixture
def cached_app(app, tmp_path):
    app.config["DOCUMENT_CACHE_DIR"] = str(tmp_path / "cache")
    return app


@pytest.fixture
def buyer(session):
    return make_user(session, "buyer@test.example", "buyer", make_authority(session))


def render(app, session, tender, lang="fr", fmt="pdf", cache=True):
    from procurement.documents import cache_for

    with app.app_context():
        return get_document(session, tender, lang, fmt, settings=app.config,
                            cache=cache_for(app.config, app.instance_path) if cache else None)


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(BytesIO(content)).pages)


def test_pdf_has_the_clauses_with_the_computed_hours_and_pdfa_metadata(cached_app, session, buyer):
    tender = build_tender(session, buyer, cached_app.config)
    document = render(cached_app, session, tender, "fr", "pdf")
    reader = PdfReader(BytesIO(document.content))
    text = re.sub(r"\s+", " ", pdf_text(document.content))
    assert "au moins 833 heures de travail" in text  # brussels-insertion-actiris, hours from the calculator
    assert "1 000 000,00 EUR × part de main-d'œuvre 50 % × taux d'insertion 5 %" in text.replace("\u00a0", " ")
    assert "Pénalités spéciales" in text and "2,5" in text
    assert "Points = 40 × prix le plus bas ÷ prix de l'offre" in text
    assert "40 × 100 000 ÷ 125 000 = 32,00 points" in text.replace("\u00a0", " ")
    assert "Loi du 17 juin 2016 / Wet van 17 juni 2016 art. 36" in text  # procedure with its article
    assert reader.metadata.title.startswith("Cahier spécial des charges – T-2026-001")
    assert reader.metadata.author == "Commune de Testville"
    assert str(reader.trailer["/Root"]["/Lang"]) == "fr"
    xmp = reader.trailer["/Root"]["/Metadata"].get_object().get_data()
    assert b"pdfaid:part" in xmp
    second = reader.pages[2].extract_text()
    assert "T-2026-001" in second and f"3 / {len(reader.pages)}" in second  # running header, page numbers
    toc = reader.pages[1].extract_text()
    assert re.search(r"1\. Partie administrative\s*\.*\s*\d", toc)  # table of contents with page numbers


def headings_of_html(html: str) -> list[str]:
    found = re.findall(r"<h([234])[^>]*>(.*?)</h\1>", html, flags=re.S)
    return [re.sub(r"\s+", " ", unescape(text)).strip() for _, text in found]


def test_docx_has_the_same_headings_as_the_pdf_html(cached_app, session, buyer):
    tender = build_tender(session, buyer, cached_app.config)
    html = render(cached_app, session, tender, "nl", "html").content.decode()
    docx = Document(BytesIO(render(cached_app, session, tender, "nl", "docx").content))
    headings = [p.text for p in docx.paragraphs if p.style.name.startswith("Heading")]
    assert headings == headings_of_html(html)
    assert "1. Administratieve bepalingen" in headings and "2. Gunningscriteria" in headings
    assert {p.style.name for p in docx.paragraphs if p.text in headings} == {
        "Heading 1", "Heading 2", "Heading 3"}
    assert docx.core_properties.language == "nl"
    assert "ten minste 833 arbeidsuren" in "\n".join(p.text for p in docx.paragraphs)


def test_user_text_is_escaped_in_html_pdf_and_docx(cached_app, session, buyer):
    tender = build_tender(session, buyer, cached_app.config, title_fr=f"Titre {XSS}",
                          description_fr=f"Description {XSS}")
    lot_title = tender.title_fr
    html = render(cached_app, session, tender, "fr", "html").content.decode()
    assert "<script>alert" not in html and "&lt;script&gt;alert(" in html
    assert f"Description {XSS}" in pdf_text(render(cached_app, session, tender, "fr", "pdf").content)
    docx_bytes = render(cached_app, session, tender, "fr", "docx").content
    xml = zipfile.ZipFile(BytesIO(docx_bytes)).read("word/document.xml").decode()
    assert "<script>" not in xml and "&lt;script&gt;alert(" in xml
    texts = [p.text for p in Document(BytesIO(docx_bytes)).paragraphs]
    assert lot_title in texts and f"Description {XSS}" in texts  # a plain text run, as typed


def test_same_tender_same_hash_then_served_from_the_cache(cached_app, session, buyer):
    tender = build_tender(session, buyer, cached_app.config)
    first = render(cached_app, session, tender, "en", "pdf")
    again = render(cached_app, session, tender, "en", "pdf")
    assert not first.cache_hit and again.cache_hit
    assert again.content_hash == first.content_hash and again.content == first.content
    uncached = render(cached_app, session, tender, "en", "pdf", cache=False)
    assert uncached.content_hash == first.content_hash  # same inputs, same content hash
    assert render(cached_app, session, tender, "fr", "pdf").content_hash != first.content_hash
    services.update_tender(session, buyer, tender, {"title_en": "Another title"},
                           settings=cached_app.config)
    changed = render(cached_app, session, tender, "en", "pdf")
    assert changed.content_hash != first.content_hash and not changed.cache_hit


def test_download_over_http_uses_the_cache(cached_app, session, buyer):
    tender = build_tender(session, buyer, cached_app.config)
    client = cached_app.test_client()
    assert login(client, buyer.email, PASSWORD).status_code == 302
    url = f"/tenders/{tender.reference}/document/en.docx"
    first, second = client.get(url), client.get(url)
    assert first.status_code == second.status_code == 200
    assert (first.headers["X-Document-Cache"], second.headers["X-Document-Cache"]) == ("miss", "hit")
    assert first.data == second.data and first.headers["ETag"] == second.headers["ETag"]
    assert "attachment" in first.headers["Content-Disposition"]
    preview = client.get(f"/tenders/{tender.reference}/document/en").get_data(as_text=True)
    assert "Special specifications" in preview and "Table of contents" in preview


@pytest.mark.parametrize("lang, kind, heading", [
    ("fr", "Cahier spécial des charges", "Critères d'attribution"),
    ("nl", "Bestek", "Gunningscriteria"),
    ("en", "Special specifications (tender documents)", "Award criteria"),
])
def test_each_language_has_its_own_document(cached_app, session, buyer, lang, kind, heading):
    tender = build_tender(session, buyer, cached_app.config)
    html = unescape(render(cached_app, session, tender, lang, "html").content.decode())
    assert kind in html and heading in html and f'<html lang="{lang}">' in html


def test_document_wording_exists_in_the_three_languages():
    for key, texts in TEXT.items():
        assert len(texts) == len(LANGS) and all(t.strip() for t in texts), key
        fields = [sorted(re.findall(r"\{(\w+)\}", t)) for t in texts]
        assert fields[0] == fields[1] == fields[2], key


def test_cli_tender_document_and_insertion_hours(cached_app, session, buyer, tmp_path):
    tender = build_tender(session, buyer, cached_app.config)
    runner = cached_app.test_cli_runner()
    out = tmp_path / "bestek.docx"
    result = runner.invoke(args=["tender", "document", tender.reference, "--lang", "nl",
                                 "--format", "docx", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert Document(str(out)).core_properties.title.startswith("Bestek – T-2026-001")
    pdf = tmp_path / "csc.pdf"
    result = runner.invoke(args=["tender", "document", tender.reference, "--format", "pdf",
                                 "-o", str(pdf)])
    assert result.exit_code == 0 and pdf.read_bytes().startswith(b"%PDF")
    missing = runner.invoke(args=["tender", "document", "NOPE", "-o", str(tmp_path / "x.pdf")])
    assert missing.exit_code != 0 and "NOPE" in missing.output
    hours = runner.invoke(args=["insertion-hours", "--amount", "1000000", "--labour-share", "0.5",
                                "--rate", "0.05", "--hourly-cost", "30"])
    assert hours.exit_code == 0 and hours.output.startswith("833 insertion hours")
    clause = runner.invoke(args=["clause", "show", "reporting-monthly-hours", "--lang", "en"])
    assert clause.exit_code == 0 and "Monthly report" in clause.output
