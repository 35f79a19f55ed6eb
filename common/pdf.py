"""The one PDF renderer: Jinja template -> HTML -> WeasyPrint -> PDF/A-3b bytes.

Fonts come from the pinned ``font-source-sans-pro`` package, so output does not depend on the
server's fonts. The URL fetcher refuses every URL except the app's own files (print CSS, static
images, the bundled fonts) and ``data:`` URLs: a user-typed ``<img src="http://...">`` can never make
the server fetch anything (it is escaped anyway; this is the second lock).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from urllib.parse import unquote, urlsplit

import font_source_sans_pro
from flask import current_app, render_template
from weasyprint import HTML, Attachment, URLFetcher

FONT_DIR = Path(font_source_sans_pro.__file__).resolve().parent / "files"
PDF_VARIANT = "pdf/a-3b"
# Tagged PDF (structure tree + MarkInfo) on top of PDF/A-3b: screen readers get headings, tables and
# reading order; the PDF/A-3b conformance and the embedded files are unchanged (docs/pdf-accessibility.md).
PDF_TAGS = True


class SafeFetcher(URLFetcher):
    """Serves only files inside the allowed folders, and data: URLs."""

    def __init__(self, roots: list[Path]):
        super().__init__(allowed_protocols={"file", "data"})
        self.roots = [root.resolve() for root in roots]

    def fetch(self, url, headers=None):
        parts = urlsplit(url)
        if parts.scheme == "data":
            return super().fetch(url, headers)
        if parts.scheme != "file":
            raise ValueError(f"refused to fetch {parts.scheme!r} URL")
        path = Path(unquote(parts.path)).resolve()
        if not any(path.is_relative_to(root) for root in self.roots):
            raise ValueError("refused to fetch a file outside the app's own folders")
        return super().fetch(url, headers)


@dataclass
class PdfAttachment:
    name: str
    content: bytes
    description: str = ""
    relationship: str = "Source"  # PDF/A-3 AFRelationship: the data the document was made from


def allowed_roots() -> list[Path]:
    root = Path(current_app.root_path)
    return [root / "templates" / "pdf", root / "static", FONT_DIR]


def render_pdf(
    template_name: str,
    *,
    lang: str,
    title: str,
    author: str = "",
    attachments: list[PdfAttachment] | tuple = (),
    created: datetime | None = None,
    **context,
) -> bytes:
    """Render ``templates/<template_name>`` to a PDF/A-3b document with title, author, language
    metadata and optional embedded files. Templates get plain data, not ORM objects."""
    html_text = render_template(template_name, lang=lang, title=title, font_dir=FONT_DIR.as_uri(), **context)
    fetcher = SafeFetcher(allowed_roots())
    base_url = (Path(current_app.root_path) / "templates" / "pdf").as_uri() + "/"
    document = HTML(string=html_text, base_url=base_url, url_fetcher=fetcher).render()
    document.metadata.title = title
    document.metadata.authors = [author] if author else []
    document.metadata.lang = lang
    if created is not None:
        stamp = created.isoformat(timespec="seconds")
        document.metadata.created = stamp
        document.metadata.modified = stamp
    files = [
        Attachment(string=a.content, name=a.name, description=a.description, relationship=a.relationship,
                   url_fetcher=fetcher)
        for a in attachments
    ]
    return document.write_pdf(pdf_variant=PDF_VARIANT, pdf_tags=PDF_TAGS, attachments=files or None)


def embedded_files(pdf_bytes: bytes) -> dict[str, bytes]:
    """The files embedded in a PDF (for verification), by name."""
    from io import BytesIO

    from pypdf import PdfReader

    reader = PdfReader(BytesIO(pdf_bytes))
    return {name: contents[0] for name, contents in reader.attachments.items()}
