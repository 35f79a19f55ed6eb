"""Tender documents: HTML preview in the page, and PDF / DOCX / HTML downloads per language."""
from __future__ import annotations

from io import BytesIO

from flask import current_app, render_template, send_file

from accounts.access import login_required
from common.db import get_session
from procurement.document_text import t
from procurement.documents import cache_for, content_hash, document_data, get_document
from procurement.views import bp
from procurement.view_support import settings, tender_for_read

LANGS = "any(fr,nl,en)"
FORMATS = "any(pdf,docx,html)"


@bp.route(f"/tenders/<reference>/document/<{LANGS}:lang>")
@login_required
def document_preview(reference: str, lang: str):
    tender = tender_for_read(reference)
    data = document_data(get_session(), tender, lang, settings=settings())
    return render_template("procurement/document_preview.html", tender=tender, doc=data, t=t,
                           content_hash=content_hash(data))


@bp.route(f"/tenders/<reference>/document/<{LANGS}:lang>.<{FORMATS}:fmt>")
@login_required
def document_download(reference: str, lang: str, fmt: str):
    tender = tender_for_read(reference)
    cache = cache_for(settings(), current_app.instance_path)
    document = get_document(get_session(), tender, lang, fmt, settings=settings(), cache=cache)
    response = send_file(BytesIO(document.content), mimetype=document.mimetype,
                         as_attachment=True, download_name=document.filename,
                         etag=document.content_hash, max_age=0)
    response.headers["X-Document-Cache"] = "hit" if document.cache_hit else "miss"
    return response
