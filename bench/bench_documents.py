"""Benchmark: tender document rendering (special specifications), cold and from the cache.

    .venv/bin/python bench/bench_documents.py [--lots 5] [--runs 5] [--lang fr]

Builds, in a temporary SQLite database, a tender big enough for a ~20-page PDF (many lots, each
with price, quantity and rated criteria with written grids, and every clause of the library that
applies to services), through the same services as the web forms. Then, for PDF and DOCX:

  * first render of the process (fonts and WeasyPrint warm-up included);
  * cold: median of N renders with the cache emptied before each;
  * cached: median of N requests for the unchanged tender (served by content hash).

Prints the page count and the figures as a Markdown table (paste into BENCHMARKS.md).
Target (issue 4): a 20-page document renders in under 3 s.
"""
from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from io import BytesIO
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

GRID = ("0: nothing relevant.\n\n2: a description without figures.\n\n4: target group and hours "
        "stated.\n\n6: tutor named, tasks and schedule described.\n\n8: partner organisation "
        "identified, training certified.\n\n10: complete plan with dedicated tutoring time, signed "
        "partnerships, monthly reporting and a fallback if candidates are lacking.")


def build(session, app, lots: int):
    from clauses.library import default_library
    from procurement import tender_queries as q
    from procurement import tender_services as services
    from tests.tender_builders import draft_data, make_authority, make_user

    buyer = make_user(session, "bench@bench.example", "buyer", make_authority(session, "Bench"))
    description = " ".join(["Entretien des espaces verts, nettoyage des bâtiments et petits "
                            "travaux d'aménagement des sites communaux."] * 12)
    tender = services.create_tender(session, buyer, draft_data(
        "BENCH-001", description_fr=description + "\n\n" + description,
        estimated_value=str(400000 * lots)), authority_id=buyer.authority_id, settings=app.config)
    services.save_lots(session, buyer, tender, [
        {"number": n, "title_fr": f"Lot {n} – secteur {n} : entretien et nettoyage",
         "title_nl": f"Perceel {n}", "title_en": f"Lot {n}", "cpv_codes": "77310000, 90910000",
         "estimated_value": "400000", "reservation": "art20" if n % 4 == 0 else "none"}
        for n in range(1, lots + 1)])
    criteria = [
        {"code": "price", "kind": "price", "label_fr": "Prix", "weight": "40", "formula": "linear"},
        {"code": "hours", "kind": "quantity", "label_fr": "Heures d'insertion offertes",
         "weight": "30", "better": "higher", "unit": "h", "is_social": True,
         "link_to_subject": "Seules les heures prestées pour ce lot comptent."},
        {"code": "plan", "kind": "rating", "label_fr": "Plan d'insertion et d'encadrement",
         "weight": "20", "scale": "10", "scoring_grid": GRID, "is_social": True,
         "link_to_subject": "Le plan porte sur les personnes affectées à ce lot."},
        {"code": "method", "kind": "rating", "label_fr": "Méthode de travail", "weight": "10",
         "scale": "10", "scoring_grid": GRID},
    ]
    for lot in q.lots_of(session, tender):
        services.save_criteria(session, buyer, tender, lot, mode="weighted", justification="",
                               criteria=criteria, settings=app.config)
    selections = []
    for clause in default_library().find(nature="services"):
        params = {"weight": "30"} if clause.category == "award_criterion" else {}
        if clause.id == "reserved-lot-art20":
            params = {"lot_number": "4"}
        selections.append({"clause_id": clause.id, "lot_number": None, "parameters": params})
    services.save_clauses(session, buyer, tender, selections)
    return tender


CPU: list[float] = []


def timed(fn):
    """Wall-clock seconds (and the process CPU seconds, kept in CPU: on a shared machine the
    wall clock also counts time spent waiting for a core)."""
    start, cpu = time.perf_counter(), time.process_time()
    result = fn()
    CPU.append(time.process_time() - cpu)
    return time.perf_counter() - start, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--lots", type=int, default=5)  # 5 lots: a 20-page PDF
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--lang", default="fr", choices=["fr", "nl", "en"])
    args = parser.parse_args()

    from pypdf import PdfReader
    from sqlmodel import Session

    from app import create_app
    from common.db import make_engine
    from common.migrate import models_metadata
    from procurement.documents import DocumentCache, get_document

    work = Path(tempfile.mkdtemp(prefix="bench-documents-"))
    try:
        url = f"sqlite:///{work / 'bench.sqlite'}"
        engine = make_engine(url)
        models_metadata().create_all(engine)
        engine.dispose()
        app = create_app({"DATABASE_URL": url, "TESTING": True})
        cache_dir = work / "cache"
        with app.app_context(), Session(app.extensions["procure.engine"],
                                         expire_on_commit=False) as session:
            tender = build(session, app, args.lots)
            rows = []
            for fmt in ("pdf", "docx"):
                def render(cache):
                    return get_document(session, tender, args.lang, fmt, settings=app.config,
                                        cache=cache)
                first, document = timed(lambda: render(None))
                cold = []
                for _ in range(args.runs):
                    shutil.rmtree(cache_dir, ignore_errors=True)
                    cold.append(timed(lambda: render(DocumentCache(cache_dir)))[0])
                cold_cpu = statistics.median(CPU[-args.runs:])
                cached = [timed(lambda: render(DocumentCache(cache_dir)))[0] for _ in range(args.runs)]
                pages = len(PdfReader(BytesIO(document.content)).pages) if fmt == "pdf" else "—"
                rows.append((fmt, pages, len(document.content), first, statistics.median(cold),
                             cold_cpu, statistics.median(cached)))
        print(f"Tender with {args.lots} lots, {args.lang}, median of {args.runs} runs")
        print("| format | pages | size (KiB) | first render | cold (median) | cold, CPU time "
              "(median) | cached (median) |")
        print("|---|---|---|---|---|---|---|")
        for fmt, pages, size, first, cold, cold_cpu, cached in rows:
            print(f"| {fmt.upper()} | {pages} | {size / 1024:.0f} | {first:.2f} s | {cold:.2f} s "
                  f"| {cold_cpu:.2f} s | {cached * 1000:.0f} ms |")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
