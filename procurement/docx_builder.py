"""The tender document as DOCX (python-docx), from the same data as the PDF.

Real Word heading styles (Heading 1-3) so the navigation pane and the table of contents work; a
TOC field that Word / LibreOffice fill in on opening; running header with the reference; footer
with the version, the date and "page X / Y" fields. Every user-typed text goes in as a plain text
run (never parsed as markup). Pure module: no Flask, no database.
"""
from __future__ import annotations

from datetime import datetime, timezone
from io import BytesIO
from typing import Any, Mapping

from docx import Document
from docx.enum.text import WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt

from procurement.document_text import t


def _field(paragraph, instruction: str, placeholder: str = "") -> None:
    """A Word field (PAGE, NUMPAGES, TOC ...) in ``paragraph``."""
    run = paragraph.add_run()
    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    begin.set(qn("w:dirty"), "true")  # ask the reader to update it on opening
    code = OxmlElement("w:instrText")
    code.set(qn("xml:space"), "preserve")
    code.text = f" {instruction} "
    separate = OxmlElement("w:fldChar")
    separate.set(qn("w:fldCharType"), "separate")
    run._r.extend([begin, code, separate])
    paragraph.add_run(placeholder)
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    paragraph.add_run()._r.append(end)


def _table(doc, header: list[str], rows: list[list[str]]):
    table = doc.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, header):
        cell.text = ""
        cell.paragraphs[0].add_run(text).bold = True
    for row in rows:
        cells = table.add_row().cells
        for cell, text in zip(cells, row):
            cell.text = text  # plain text
    return table


def _pairs(doc, pairs: list[tuple[str, str]]) -> None:
    """"Label: value" paragraphs (French puts a space before the colon); empty values skipped."""
    for label, value in pairs:
        if value:
            paragraph = doc.add_paragraph()
            if label:
                paragraph.add_run(f"{label} : " if doc.core_properties.language == "fr"
                                  else f"{label}: ").bold = True
            paragraph.add_run(value)


def build_docx(data: Mapping[str, Any], *, title: str, author: str,
               created: datetime | None = None) -> bytes:
    lang = data["lang"]
    doc = Document()
    doc.styles["Normal"].font.name = "Source Sans Pro"
    doc.styles["Normal"].font.size = Pt(10.5)
    props = doc.core_properties
    props.title, props.author, props.language = title, author, lang
    props.subject, props.identifier = t("doc_kind", lang), data["reference"]
    props.last_modified_by, props.revision = author, 1
    stamp = (created or datetime(2000, 1, 1, tzinfo=timezone.utc)).replace(tzinfo=None)
    props.created = props.modified = stamp
    section = doc.sections[0]
    section.header.paragraphs[0].text = f"{data['reference']} – {data['title']}"
    footer = section.footer.paragraphs[0]
    footer.add_run(f"{t('version', lang)} {data['version']} – {data['generated']} – "
                   f"{t('page', lang)} ")
    _field(footer, "PAGE", "1")
    footer.add_run(" / ")
    _field(footer, "NUMPAGES", "1")

    # Cover page
    doc.add_paragraph(t("doc_kind", lang), style="Subtitle")
    doc.add_paragraph(data["title"], style="Title")
    _pairs(doc, [(t("reference", lang), data["reference"]),
                 (t("authority", lang), data["authority"]["name"]),
                 (t("procedure", lang), data["procedure"]["label"]),
                 (t("version", lang), data["version"]), (t("generated", lang), data["generated"])])
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    doc.add_heading(t("toc", lang), level=1)
    _field(doc.add_paragraph(), 'TOC \\o "1-3" \\h \\z \\u', t("toc_docx", lang))
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)

    # 1. Administrative part
    doc.add_heading(f"1. {t('part_admin', lang)}", level=1)
    doc.add_heading(f"1.1 {t('authority_section', lang)}", level=2)
    authority = data["authority"]
    _pairs(doc, [(t("authority", lang), authority["name"]),
                 (t("enterprise_number", lang), authority["enterprise_number"]),
                 (t("municipality", lang), authority["municipality"])])
    if data.get("joint"):
        joint = data["joint"]
        doc.add_heading(t("joint_title", lang), level=3)
        doc.add_paragraph(t("joint_intro", lang))
        _table(doc, [t("joint_participant", lang), t("lot_number", lang), t("joint_share", lang),
                     t("estimated_value", lang), t("joint_quantity", lang)],
               [[p["name"], s["lot"], s["share"], s["value"], s["quantity"]]
                for p in joint["participants"] for s in p["shares"]]
               + [[p["name"], "", "", "", ""] for p in joint["participants"] if not p["shares"]])
        doc.add_paragraph(t("joint_lead_rest", lang))
        _pairs(doc, [(t("joint_group_value", lang), f"{joint['group_value']} EUR")])
    doc.add_heading(f"1.2 {t('subject', lang)}", level=2)
    for paragraph in data["description"]:
        doc.add_paragraph(paragraph)
    _pairs(doc, [(t("nature", lang), data["nature"]), ("", data["social_services"]),
                 (t("cpv", lang), data["cpv"]), (t("place", lang), data["place"]),
                 (t("duration", lang), data["duration"]),
                 (t("estimated_value", lang), data["estimated_value"])])
    doc.add_heading(f"1.3 {t('procedure_section', lang)}", level=2)
    procedure = data["procedure"]
    _pairs(doc, [(t("procedure", lang), procedure["label"]),
                 (t("legal_basis", lang), "; ".join(procedure["legal_basis"])),
                 (t("publication", lang), procedure["publication"])])
    if procedure["differs"]:
        paragraph = doc.add_paragraph(procedure["differs"])
        paragraph.add_run(procedure["justification"])
    doc.add_heading(f"1.4 {t('lots', lang)}", level=2)
    _table(doc, [t("lot_number", lang), t("title", lang), t("cpv", lang),
                 t("estimated_value", lang), t("reservation", lang)],
           [[str(lot["number"]), lot["title"], lot["cpv"], lot["value"],
             lot["reservation"]] for lot in data["lots"]])
    doc.add_heading(f"1.5 {t('timeline', lang)}", level=2)
    _table(doc, [t("timeline", lang), t("brussels_time", lang)], [list(r) for r in data["timeline"]])

    # 2. Award criteria
    doc.add_heading(f"2. {t('part_criteria', lang)}", level=1)
    for index, lot in enumerate(data["lots"], start=1):
        doc.add_heading(f"2.{index} {lot['label']} – {lot['title']}", level=2)
        if lot["weighted"]:
            doc.add_paragraph(t("criteria_weighted", lang))
        else:
            doc.add_paragraph(t("criteria_order", lang)).add_run(lot["justification"])
        if not lot["criteria"]:
            doc.add_paragraph(t("no_criteria", lang))
            continue
        _table(doc, [t("criterion", lang), t("kind", lang),
                     t("weight", lang) if lot["weighted"] else t("rank", lang)],
               [[c["label"], c["kind"], c["weight"] or str(rank)]
                for rank, c in enumerate(lot["criteria"], start=1)])
        for c in lot["criteria"]:
            doc.add_heading(c["label"], level=3)
            _pairs(doc, [(t("formula", lang), c["formula"])])
            doc.add_paragraph(c["example"])
            if c["grid"]:
                doc.add_paragraph().add_run(t("scoring_grid", lang)).bold = True
                for line in c["grid"]:
                    doc.add_paragraph(line)
            _pairs(doc, [(t("link_to_subject", lang), c["link"])])

    # 3. Clauses
    doc.add_heading(f"3. {t('part_clauses', lang)}", level=1)
    if not data["clauses"]:
        doc.add_paragraph(t("no_clauses", lang))
    for index, clause in enumerate(data["clauses"], start=1):
        doc.add_heading(f"3.{index} {clause['title']}", level=2)
        doc.add_paragraph(f"{clause['scope']} – {'; '.join(clause['legal_basis'])} – "
                          f"{clause['version']}", style="Caption")
        for paragraph in clause["paragraphs"]:
            doc.add_paragraph(paragraph)
    if data["insertion"]:
        doc.add_heading(f"3.{len(data['clauses']) + 1} {t('insertion_section', lang)}", level=2)
        doc.add_paragraph(data["insertion"])
    if data["social_clause_justification"]:
        doc.add_heading(t("social_clause_justification", lang), level=2)
        doc.add_paragraph(data["social_clause_justification"])

    # 4. Annexes
    doc.add_heading(f"4. {t('part_annexes', lang)}", level=1)
    doc.add_heading(t("annex_bid_form", lang), level=2)
    doc.add_paragraph(t("bid_form_intro", lang))
    _table(doc, [t("bidder_identity", lang), t("answer", lang)], [["", ""]])
    for lot in data["lots"]:
        doc.add_heading(f"{lot['label']} – {lot['title']}", level=3)
        _table(doc, [t("criterion", lang), t("bidder_states", lang), t("answer", lang)],
               [[c["label"], c["states"], ""] for c in lot["criteria"]])
    doc.add_heading(t("annex_plan", lang), level=2)
    doc.add_paragraph(t("plan_intro", lang))
    _table(doc, [t("plan_heading", lang), t("answer", lang)], [[row, ""] for row in data["plan_rows"]])

    buffer = BytesIO()
    doc.save(buffer)
    return buffer.getvalue()
