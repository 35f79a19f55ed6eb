"""Tagged PDF on top of PDF/A-3b (issue 8, docs/pdf-accessibility.md): the structure tree is there,
the document says it is tagged, it stays PDF/A-3 and keeps its embedded file."""
from io import BytesIO

from pypdf import PdfReader

from common.pdf import PdfAttachment, embedded_files, render_pdf

TEMPLATE = """<!doctype html><html lang="{{ lang }}"><head><meta charset="utf-8">{% include "pdf/_fonts.html" %}</head>
<body><h1>{{ title }}</h1><p>Économie sociale</p>
<table><thead><tr><th>Offre</th><th>Prix</th></tr></thead><tbody><tr><td>A</td><td>1</td></tr></tbody></table>
</body></html>"""


def structure_types(node, seen=None, depth=0):
    seen = set() if seen is None else seen
    if depth > 40:
        return seen
    node = node.get_object() if hasattr(node, "get_object") else node
    if isinstance(node, dict):
        if "/S" in node:
            seen.add(str(node["/S"]))
        kids = node.get("/K")
        if kids is not None:
            kids = kids.get_object() if hasattr(kids, "get_object") else kids
            for kid in (kids if isinstance(kids, list) else [kids]):
                structure_types(kid, seen, depth + 1)
    return seen


def test_pdf_is_tagged_and_still_pdfa3_with_its_attachment(app, tmp_path):
    (tmp_path / "tagged.html").write_text(TEMPLATE)
    with app.test_request_context():
        app.jinja_loader.searchpath.append(str(tmp_path))
        pdf = render_pdf("tagged.html", lang="fr", title="Rapport", author="Commune",
                         attachments=[PdfAttachment("input.json", b'{"a": 1}')])
    root = PdfReader(BytesIO(pdf)).trailer["/Root"]
    assert bool(root["/MarkInfo"]["/Marked"]) is True
    tree = root["/StructTreeRoot"].get_object()
    types = structure_types(tree)
    assert {"/H1", "/P", "/Table", "/TH", "/TD"} <= types, types
    assert str(root["/Lang"]) == "fr"
    xmp = root["/Metadata"].get_object().get_data()
    assert b"pdfaid:part" in xmp and b"3" in xmp.split(b"pdfaid:part")[1][:8]
    assert b"pdfaid:conformance" in xmp and b"B" in xmp.split(b"pdfaid:conformance")[1][:8]
    assert embedded_files(pdf) == {"input.json": b'{"a": 1}'}
