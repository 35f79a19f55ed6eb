"""Benchmark: the auditor's scoring report (PDF/A-3b, input embedded) for a lot with 200 bids.

    .venv/bin/python bench/bench_report.py [--bids 200] [--runs 5] [--seed 7]

Builds a throw-away SQLite database with one tender and one lot (price 40, insertion hours 35,
plan rating 25), N firms and enterprises, and goes through the real services: N sealed bids,
the opening, N ratings with justifications, a written justification for each abnormally low
price, finalisation. Then times ``procurement.report.scoring_report`` (load the frozen
evaluation, decisions and audit excerpt, render the template, WeasyPrint to PDF/A-3b with two
attached files) R times and prints the median, min and max wall time and the median CPU time
(on a shared machine the CPU time is what a quiet machine's wall time would be), and checks
that the last report verifies (``report_verify.verify_report``, timed separately).
Target: under 5 s.
"""
from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from decimal import Decimal
from io import BytesIO
from pathlib import Path

from pypdf import PdfReader

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def build(session, app, n: int, seed: int):
    from accounts.models import Authority, User
    from common.timeutil import utcnow
    from procurement import bids as bid_service
    from procurement import evaluation as evaluation_service
    from procurement.evaluation_state import current_evaluation, load_state
    from procurement.models import AwardCriterion, Lot, Tender
    from procurement.opening import open_bids
    from registry.models import Enterprise, EnterpriseMember

    rng = random.Random(seed)
    authority = Authority(name="Bench commune")
    session.add(authority)
    session.flush()
    buyer = User(email="buyer@bench", role="buyer", password_hash="x" * 20, authority_id=authority.id, name="Buyer")
    session.add(buyer)
    now = utcnow()
    tender = Tender(reference="BENCH-1", authority_id=authority.id, status="published", title_en="Bench tender",
                    bid_deadline=now + timedelta(days=1), opening_at=now + timedelta(days=1, hours=1))
    session.add(tender)
    session.flush()
    lot = Lot(tender_id=tender.id, number=1, title_en="Lot 1")
    session.add(lot)
    session.flush()
    session.add_all([
        AwardCriterion(lot_id=lot.id, code="price", kind="price", position=1, label_en="Price", weight=Decimal(40),
                       formula="proportional"),
        AwardCriterion(lot_id=lot.id, code="hours", kind="quantity", position=2, label_en="Insertion hours",
                       weight=Decimal(35), better="higher", unit="h"),
        AwardCriterion(lot_id=lot.id, code="plan", kind="rating", position=3, label_en="Insertion plan",
                       weight=Decimal(25), scale=10)])
    session.commit()
    for i in range(n):
        firm = User(email=f"firm{i}@bench", role="firm", password_hash="x" * 20)
        enterprise = Enterprise(legal_name=f"Entreprise d'insertion {i:03d}", status="validated")
        session.add_all([firm, enterprise])
        session.flush()
        session.add(EnterpriseMember(enterprise_id=enterprise.id, user_id=firm.id))
        bid_service.submit_bid(session, tender=tender, lot=lot, enterprise_id=enterprise.id, user=firm,
                               price=str(rng.randint(60_000, 160_000)), values={"hours": str(rng.randint(100, 1500))},
                               declaration=True, uploads=[], upload_dir=tempfile.gettempdir(), max_bytes=1,
                               now=now)
    later = now + timedelta(days=1, hours=2)
    open_bids(session, tender, buyer, now=later)
    evaluation = current_evaluation(session, lot)
    for bid in bid_service.lot_bids(session, lot.id):
        evaluation_service.record_rating(session, evaluation, buyer, bid_id=bid.id, criterion="plan",
                                         value=str(rng.randint(2, 10)), now=later,
                                         justification="Plan with a named tutor, a calendar and training hours.")
    rule = {"threshold_pct": 15, "min_bids": 4}
    state = load_state(session, evaluation, buyer, lang="en", abnormal_rule=rule, now=later)
    for code in state.flagged():
        bid_id = state.row(code).bid.id
        evaluation_service.request_justification(session, evaluation, buyer, bid_id=bid_id, request_text="Why?",
                                                 now=later)
        evaluation_service.decide_justification(session, evaluation, buyer, bid_id=bid_id, answer_text="Subsidies.",
                                                decision="accepted", reason="Lawful wages.", now=later)
    state = load_state(session, evaluation, buyer, lang="en", abnormal_rule=rule, now=later)
    evaluation_service.finalise(session, state, buyer, reasons="Best price-quality ratio.", now=later)
    return tender, lot


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bids", type=int, default=200)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()

    from flask_babel import force_locale

    from app import create_app
    from common.db import get_session, make_engine
    from common.migrate import models_metadata
    from procurement.report import scoring_report
    from procurement.report_verify import verify_report

    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/bench.sqlite"
        app = create_app({"DATABASE_URL": url, "UPLOAD_DIR": tmp, "SECRET_KEY": "bench"})
        models_metadata().create_all(make_engine(url))
        with app.test_request_context(), force_locale("en"):
            session = get_session()
            started = time.perf_counter()
            tender, lot = build(session, app, args.bids, args.seed)
            print(f"setup: {args.bids} bids submitted, opened, rated and finalised in "
                  f"{time.perf_counter() - started:.1f} s")
            times, cpu, pdf = [], [], b""
            for _ in range(args.runs):
                started, started_cpu = time.perf_counter(), time.process_time()
                pdf = scoring_report(session, tender, lot, lang="en")
                times.append(time.perf_counter() - started)
                cpu.append(time.process_time() - started_cpu)
            started = time.perf_counter()
            outcome = verify_report(pdf)
            verify_time = time.perf_counter() - started
    pages = len(PdfReader(BytesIO(pdf)).pages)
    print(f"report, {args.bids} bids ({pages} pages, {len(pdf) / 1024:.0f} KiB): wall median "
          f"{statistics.median(times):.2f} s (min {min(times):.2f}, max {max(times):.2f}), CPU median "
          f"{statistics.median(cpu):.2f} s, over {args.runs} runs")
    print(f"verify-report: {outcome.message} in {verify_time:.2f} s")
    if not outcome.ok:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
