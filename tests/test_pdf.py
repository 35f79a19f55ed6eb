"""The shared PDF renderer: PDF/A-3b metadata, embedded files, bundled fonts, no outside fetches."""
from io import BytesIO

from flask import render_template_string
from pypdf import PdfReader

from common.pdf import SafeFetcher, allowed_roots, embedded_files, render_pdf

TEMPLATE = """<!doctype html><html lang="{{ lang }}"><head><meta charset="utf-8">{% include "pdf/_fonts.html" %}</head>
<body><h1>{{ title }}</h1><p>{{ text }}</p><img src="http://127.0.0.1:9/x.png" alt=""></body></html>"""


def test_render_pdf_metadata_fonts_and_attachment(app, tmp_path):
    (tmp_path / "t.html").write_text(TEMPLATE)
    with app.test_request_context():
        app.jinja_loader.searchpath.append(str(tmp_path))
        pdf = render_pdf("t.html", lang="fr", title="Rapport <test>", author="Commune",
                         text="<script>alert(1)</script> Économie sociale",
                         attachments=[__import__("common.pdf").pdf.PdfAttachment("input.json", b'{"a": 1}')])
    reader = PdfReader(BytesIO(pdf))
    assert reader.metadata.title == "Rapport <test>"
    text = reader.pages[0].extract_text()
    assert "<script>alert(1)</script>" in text  # shown as text, never interpreted
    assert "Économie sociale" in text
    fonts = {str(f.get_object()["/BaseFont"]) for f in reader.pages[0]["/Resources"]["/Font"].values()}
    assert fonts and all("Source-Sans-Pro" in name for name in fonts), fonts
    xmp = reader.trailer["/Root"]["/Metadata"].get_object().get_data()
    assert b"pdfaid:part" in xmp and b"3" in xmp.split(b"pdfaid:part")[1][:8]  # PDF/A-3
    assert "/OutputIntents" in reader.trailer["/Root"]
    assert embedded_files(pdf) == {"input.json": b'{"a": 1}'}


def test_fetcher_refuses_outside_urls(app):
    import pytest

    with app.app_context():
        fetcher = SafeFetcher(allowed_roots())
        for url in ("http://127.0.0.1:9/x.png", "https://example.org/a.css", "file:///etc/passwd"):
            with pytest.raises(ValueError):
                fetcher.fetch(url)
        response = fetcher.fetch((allowed_roots()[0] / "print.css").as_uri())
        assert b"@page" in response.read()
        response.close()
