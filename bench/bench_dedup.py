"""Duplicate detection measured on real French SIAE records.

    .venv/bin/python bench/bench_dedup.py [--threshold 90] [--link-threshold 85]

1. Within one source: fr-siae-2019-07-sample.csv (1,978 rows). The detector
   (registry.dedup.find_duplicates) sees only names and postal codes, never
   the SIRET. Ground truth, two levels:
     * SIRET (establishment): rows sharing a SIRET are duplicates;
     * SIREN (legal entity, first 9 digits of the SIRET): rows of the same
       organisation, including its branches in other towns.
   Precision and recall are computed on pairs.
2. Across sources: each row of fr-siae-bas-rhin-67-2019.csv (65 rows, SIRET
   written with spaces) is linked (registry.dedup.link_records) to a row of the
   big file's department 067 (57 rows). A link is right when the SIRET (or
   SIREN) is equal; recall counts Bas-Rhin rows that have such a counterpart.

tests/test_dedup_real_data.py computes the same figures and asserts floors.
"""

from __future__ import annotations

import argparse
import csv
import itertools
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from registry.dedup import find_duplicates, link_records  # noqa: E402

DATA = ROOT.parent / "shared" / "data" / "registry"
SIAE = DATA / "fr-siae-2019-07-sample.csv"
BAS_RHIN = DATA / "fr-siae-bas-rhin-67-2019.csv"
LEVELS = {"SIRET": 14, "SIREN": 9}


def read_semicolon_csv(path: Path) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f, delimiter=";"))


def truth_pairs(sirets: list[str], digits: int) -> set[frozenset]:
    groups: dict[str, list[int]] = defaultdict(list)
    for i, siret in enumerate(sirets):
        groups[siret[:digits]].append(i)
    return {frozenset(p) for members in groups.values() for p in itertools.combinations(members, 2)}


def siae_metrics(threshold: float = 90.0, area_threshold: float | None = None) -> dict:
    rows = read_semicolon_csv(SIAE)
    records = [{"id": i, "name": r["DENOMINATION_SOCIALE"], "postal_code": r["CODE_POSTAL"]}
               for i, r in enumerate(rows)]  # no SIRET given to the detector
    t0 = time.perf_counter()
    pairs = find_duplicates(records, threshold, area_threshold=area_threshold)
    elapsed = time.perf_counter() - t0
    found = {frozenset((p.a, p.b)) for p in pairs}
    out = {"rows": len(rows), "predicted": len(found), "seconds": elapsed}
    sirets = [r["SIRET"] for r in rows]
    for level, digits in LEVELS.items():
        truth = truth_pairs(sirets, digits)
        hits = len(found & truth)
        out[level] = {"truth": len(truth), "hits": hits,
                      "precision": hits / len(found) if found else 0.0,
                      "recall": hits / len(truth)}
    return out


def link_metrics(threshold: float = 85.0) -> dict:
    big = [r for r in read_semicolon_csv(SIAE) if r["CODE_DEPARTEMENT"] == "067"]
    small = read_semicolon_csv(BAS_RHIN)
    right = [{"id": i, "name": r["DENOMINATION_SOCIALE"], "postal_code": r["CODE_POSTAL"]}
             for i, r in enumerate(big)]
    left = [{"id": i, "name": r["nom"], "postal_code": r["Code postal"]}
            for i, r in enumerate(small)]
    left_siret = [r["SIRET"].replace(" ", "") for r in small]
    right_siret = [r["SIRET"] for r in big]
    links = link_records(left, right, threshold)
    out = {"left": len(left), "right": len(right), "links": len(links)}
    for level, digits in LEVELS.items():
        known = {s[:digits] for s in right_siret}
        linkable = sum(s[:digits] in known for s in left_siret)
        hits = sum(left_siret[a][:digits] == right_siret[b][:digits] for a, b, _, _ in links)
        out[level] = {"linkable": linkable, "hits": hits,
                      "precision": hits / len(links) if links else 0.0,
                      "recall": hits / linkable}
    return out


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--threshold", type=float, default=90.0)
    ap.add_argument("--area-threshold", type=float, default=None)
    ap.add_argument("--link-threshold", type=float, default=85.0)
    args = ap.parse_args(argv)

    m = siae_metrics(args.threshold, args.area_threshold)
    print(f"find_duplicates on {SIAE.name}: {m['rows']} rows, threshold {args.threshold}, "
          f"area_threshold {args.area_threshold}: {m['predicted']} pairs in {m['seconds']:.2f} s")
    for level in LEVELS:
        r = m[level]
        print(f"  truth = same {level}: {r['truth']} pairs; found {r['hits']}; "
              f"precision {r['precision']:.3f}, recall {r['recall']:.3f}")
    k = link_metrics(args.link_threshold)
    print(f"link_records {BAS_RHIN.name} ({k['left']} rows) -> dept 067 of {SIAE.name} "
          f"({k['right']} rows), threshold {args.link_threshold}: {k['links']} links")
    for level in LEVELS:
        r = k[level]
        print(f"  right when same {level}: {r['hits']} of {k['links']} links; "
              f"{r['linkable']} rows have a counterpart; "
              f"precision {r['precision']:.3f}, recall {r['recall']:.3f}")


if __name__ == "__main__":
    main()
