"""Benchmark of the scoring engine: 10,000 bids x 12 criteria.

Scores a synthetic tender (1 proportional price criterion, 6 quantity criteria, 3 "better
higher" and 3 "better lower", and 5 ratings on a 0-10 scale in half points) with everything
the engine computes: ranking, abnormal prices, lowest-price counterfactual, weight stability
of all 12 criteria and the rank reversal check. Prices are uniform between 80,000 and
160,000 EUR (so about a quarter of the bids get an abnormal-price flag), quantities are
integers from 1 to 5,000. Repeats 7 times and prints the median and minimum wall-clock time
in milliseconds (and the process CPU time, which is what to compare when the machine is
busy with other work) for:

* engine: ``score(parse_input(document))``: validation plus every analysis; the figure the
  200 ms target applies to;
* score only: ``score(inp)`` on an already validated input;
* json: ``score_json(document)``, which also hashes the input and writes the whole result
  document (12 rounded points and 12 rounded scores for each of the 10,000 bids).

Why rank reversal is not quadratic: removing a bid changes the other bids' scores only if it
is the only bid at the lowest or highest figure of a criterion whose formula uses it, so at
most two bids per criterion need checking, each in one pass over the ranking (see
procurement/scoring_reversal.py).

Run: ``.venv/bin/python bench/bench_scoring.py`` from the repository root.
"""

from __future__ import annotations

import os
import random
import statistics
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from procurement.scoring import parse_input, score, score_json  # noqa: E402

N_BIDS = 10_000
REPEATS = 7


def make_document(n_bids: int = N_BIDS, seed: int = 2026) -> dict:
    """A reproducible synthetic tender with 12 criteria (weights add up to 100)."""
    rng = random.Random(seed)
    criteria = [{"id": "price", "type": "price", "weight": 30, "formula": "proportional"}]
    for k in range(6):
        criteria.append({"id": f"q{k}", "type": "quantity", "weight": 8,
                         "better": "higher" if k < 3 else "lower"})
    for k in range(5):
        criteria.append({"id": f"r{k}", "type": "rating", "weight": 4.4, "scale": 10})
    bids = []
    for i in range(n_bids):
        bids.append({
            "id": f"B{i:05d}",
            "bidder": f"Bidder {i}",
            "price": round(rng.uniform(80_000, 160_000), 2),
            "values": {f"q{k}": rng.randint(1, 5_000) for k in range(6)},
            "ratings": {f"r{k}": rng.randint(0, 20) / 2 for k in range(5)},
        })
    return {"format": "procure-scoring/1",
            "tender": {"reference": "BENCH", "lot": "1", "currency": "EUR"},
            "criteria": criteria, "bids": bids, "tie_break": ["r0", "price"],
            "abnormal_price": {"threshold_pct": 15, "min_bids": 4}}


def timed(fn, repeats: int = REPEATS) -> tuple[list[float], list[float]]:
    """Wall-clock and CPU (process) times of ``repeats`` calls, in milliseconds."""
    wall, cpu = [], []
    for _ in range(repeats):
        w0, c0 = time.perf_counter(), time.process_time()
        fn()
        cpu.append((time.process_time() - c0) * 1000)
        wall.append((time.perf_counter() - w0) * 1000)
    return wall, cpu


def main() -> None:
    document = make_document()
    result = score(parse_input(document))
    print(f"{N_BIDS} bids x {len(document['criteria'])} criteria; winner {result.winner}; "
          f"{len(result.stability)} stability intervals; "
          f"{sum(w.code == 'rank_reversal' for w in result.warnings)} rank reversal warnings; "
          f"lowest price {result.lowest_price.bid}")
    inp = parse_input(document)
    for name, fn in (("engine: score(parse_input(doc))", lambda: score(parse_input(document))),
                     ("score only: score(inp)", lambda: score(inp)),
                     ("json: score_json(doc)", lambda: score_json(document))):
        wall, cpu = timed(fn)
        print(f"{name}: median {statistics.median(wall):.1f} ms, min {min(wall):.1f} ms "
              f"(CPU time: median {statistics.median(cpu):.1f} ms, min {min(cpu):.1f} ms) "
              f"over {REPEATS} runs")


if __name__ == "__main__":
    main()
