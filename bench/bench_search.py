"""Benchmark: registry name search with typos, three engines.

    .venv/bin/python bench/bench_search.py [--n 100000] [--queries 1000] [--seed 7]

Builds a synthetic but realistic registry of N social-economy profiles
(seeded RNG; Belgian municipality names from the shared geo data; FR/NL
vocabulary by region; invented brand words; legal forms), all with distinct
normalised names. Then runs Q queries made from known targets with realistic
damage (deleted letter, swapped neighbours, accents lost, word order changed,
legal form dropped or added) against:

  (a) registry.search.SearchIndex (in memory);
  (b) PostgreSQL pg_trgm: ``norm % q ORDER BY similarity(norm, q)`` with a
      GIN gin_trgm_ops index on a normalised-name column, in a temporary
      schema of database ``test`` (dropped afterwards). DSN from
      PROCURE_BENCH_PG_DSN or --pg-dsn; skipped if no server answers;
  (c) SQLite FTS5, trigram tokenizer (in memory), OR of the query trigrams
      ranked by bm25.

Prints p50/p95 latency per query, recall@5 (target in the top 5) and build
time for each engine.
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import sqlite3
import statistics
import sys
import time
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from registry.normalise import normalise_name  # noqa: E402
from registry.search import SearchIndex  # noqa: E402

GEO = ROOT.parent / "shared" / "data" / "geo" / "be-municipalities-581-2020.csv"

FR_TYPES = ["Atelier", "Ressourcerie", "Recyclerie", "Repair Café", "Entreprise de Travail Adapté",
            "Épicerie Sociale", "Restaurant Social", "Titres-Services", "Boutique Seconde Main",
            "Coopérative", "Jardin Partagé", "Vélo-Atelier", "Menuiserie Sociale",
            "Conserverie Solidaire", "Boulangerie", "Régie de Quartier", "Entreprise d'Insertion",
            "Centre de Formation", "Maison de l'Emploi", "Friperie", "Blanchisserie", "Traiteur"]
NL_TYPES = ["Kringwinkel", "Maatwerkbedrijf", "Sociale Werkplaats", "Repair Café", "Fietsatelier",
            "Wijkrestaurant", "Strijkatelier", "Dienstenchequebedrijf", "Buurtwerking",
            "Tweedehandswinkel", "Coöperatie", "Groendienst", "Herstelatelier", "Sociale Kruidenier",
            "Werkervaringsproject", "Bakkerij", "Schrijnwerkerij", "Wasserij", "Moestuin"]
FR_WORDS = ["Solidaire", "Durable", "Vert", "du Cœur", "de Quartier", "Circulaire", "L'Abeille",
            "Le Colibri", "La Fourmi", "Le Tremplin", "La Source", "Les Petits Riens", "Terre",
            "L'Étincelle", "Le Pont", "La Ruche", "Horizon", "Avenir", "Ensemble", "Renouveau",
            "Le Trèfle", "La Boussole", "L'Escale", "Le Relais", "Récup'"]
NL_WORDS = ["Samen", "Nieuw", "Groen", "Circulair", "Inclusief", "De Bij", "De Vlinder", "Het Anker",
            "De Brug", "De Sleutel", "'t Werkhuis", "De Kade", "Den Azalee", "De Overstap",
            "Het Veer", "De Kiem", "Duurzaam", "Buurt", "De Springplank", "Weverij", "Oxfam"]
SYLLABLES = ["ka", "li", "mo", "ra", "ve", "to", "lu", "na", "si", "bo", "de", "mi", "zo", "an",
             "el", "or", "ty", "pa", "ri", "go", "ul", "ne", "fa", "ko", "ja", "wi"]
FR_FORMS = ["ASBL", "SRL", "SC", "SCRL", "SA", "SPRL", "SCRL-FS", "SCS"]
NL_FORMS = ["VZW", "BV", "CV", "CVBA", "NV", "BVBA", "CommV"]
ALL_FORMS = FR_FORMS + NL_FORMS


def municipalities() -> list[tuple[str, str]]:
    with GEO.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    out = []
    for r in rows:
        if r["region_FR"] == "Région flamande":
            out.append(("nl", r["municipality_NL"]))
        elif r["region_FR"] == "Région wallonne":
            out.append(("fr", r["municipality_FR"]))
        else:  # Brussels: both languages
            out.append(("fr", r["municipality_FR"]))
            out.append(("nl", r["municipality_NL"]))
    return out


def brand(rng: random.Random) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))).capitalize()


def make_name(rng: random.Random, lang: str, town: str) -> str:
    types, words, forms = (FR_TYPES, FR_WORDS, FR_FORMS) if lang == "fr" else (
        NL_TYPES, NL_WORDS, NL_FORMS)
    t, w = rng.choice(types), rng.choice(words)
    pattern = rng.randrange(6)
    if pattern == 0:
        core = f"{t} {brand(rng)} {town}"
    elif pattern == 1:
        core = f"{t} {w} {town}"
    elif pattern == 2:
        core = f"{w} {brand(rng)}"
    elif pattern == 3:
        core = f"{brand(rng)} {t}"
    elif pattern == 4:
        core = f"{t} {w} {brand(rng)}"
    else:
        core = f"{w} {t} {town}"
    roll = rng.random()
    if roll < 0.65:
        return f"{core} {rng.choice(forms)}"
    if roll < 0.75:
        return f"{rng.choice(forms)} {core}"
    return core


def generate(n: int, seed: int) -> list[dict]:
    rng = random.Random(seed)
    towns = municipalities()
    seen: set[str] = set()
    out: list[dict] = []
    while len(out) < n:
        lang, town = rng.choice(towns)
        name = make_name(rng, lang, rng.choice(towns)[1] if rng.random() < 0.3 else town)
        key = normalise_name(name)
        if key in seen:
            continue
        seen.add(key)
        out.append({"id": len(out), "name": name, "town": town})
    return out


def strip_accents(s: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", s) if not unicodedata.combining(c))


def damage(rng: random.Random, name: str) -> str:
    """Two kinds of damage; at least one is a letter-level typo."""
    def typo(s: str) -> str:
        words = s.split()
        idx = [i for i, w in enumerate(words) if len(w) >= 4 and w not in ALL_FORMS]
        if not idx:
            return s
        i = rng.choice(idx)
        w = words[i]
        p = rng.randrange(1, len(w) - 1)
        if rng.random() < 0.5:
            w = w[:p] + w[p + 1:]  # deletion
        else:
            w = w[:p - 1] + w[p] + w[p - 1] + w[p + 1:]  # transposition
        words[i] = w
        return " ".join(words)

    def accents(s: str) -> str:
        return strip_accents(s).lower()

    def order(s: str) -> str:
        words = s.split()
        if len(words) >= 2:
            i, j = rng.sample(range(len(words)), 2)
            words[i], words[j] = words[j], words[i]
        return " ".join(words)

    def legal(s: str) -> str:
        words = s.split()
        kept = [w for w in words if w not in ALL_FORMS]
        if len(kept) < len(words):
            return " ".join(kept)
        return f"{s} {rng.choice(ALL_FORMS)}"

    q = typo(name)
    return rng.choice([typo, accents, order, legal])(q)


def percentile(values: list[float], p: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[int(p) - 1]


def run(label: str, queries: list[tuple[int, str]], fn, in_process: bool = True) -> dict:
    """Wall-clock latency per query; for in-process engines also this thread's
    CPU time, which other load on the machine does not inflate."""
    times, cpu, hits = [], [], 0
    for target, q in queries:
        t0, c0 = time.perf_counter(), time.thread_time()
        ids = fn(q)
        times.append((time.perf_counter() - t0) * 1000)
        cpu.append((time.thread_time() - c0) * 1000)
        hits += target in ids[:5]
    res = {"engine": label, "p50_ms": percentile(times, 50), "p95_ms": percentile(times, 95),
           "recall5": hits / len(queries)}
    cpu_text = (f"  (CPU p50 {percentile(cpu, 50):.2f} ms, p95 {percentile(cpu, 95):.2f} ms)"
                if in_process else "")
    print(f"{label:22s} p50 {res['p50_ms']:7.2f} ms  p95 {res['p95_ms']:7.2f} ms  "
          f"recall@5 {res['recall5']:.3f}{cpu_text}", flush=True)
    return res


def rss_mb() -> float:
    try:
        with open("/proc/self/status", encoding="ascii") as f:
            return next(int(line.split()[1]) for line in f if line.startswith("VmRSS")) / 1024
    except (OSError, StopIteration):
        return float("nan")


def machine() -> str:
    model = "?"
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            model = next(line.split(":", 1)[1].strip() for line in f if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    return f"{os.cpu_count()} CPUs, {model}, load average {load}"


def bench_index(rows, queries):
    before = rss_mb()
    t0 = time.perf_counter()
    index = SearchIndex()
    for r in rows:
        index.add(r["id"], r["name"], extra=r["town"], extra_label="municipality")
    print(f"SearchIndex build: {time.perf_counter() - t0:.1f} s for {len(rows)} entries, "
          f"+{rss_mb() - before:.0f} MB RSS", flush=True)
    return run("SearchIndex", queries, lambda q: [m.id for m in index.search(q, limit=5)])


def bench_pg(rows, queries, dsn):
    try:
        import psycopg
        conn = psycopg.connect(dsn, autocommit=True, connect_timeout=3)
    except Exception as exc:  # noqa: BLE001 - report and skip
        print(f"pg_trgm: skipped ({exc.__class__.__name__}: {exc})")
        return None
    schema = f"bench_search_{os.getpid()}"
    try:
        conn.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        conn.execute(f"CREATE SCHEMA {schema}")
        conn.execute(f"CREATE TABLE {schema}.profile (id int PRIMARY KEY, name text, norm text)")
        t0 = time.perf_counter()
        with conn.cursor() as cur, cur.copy(f"COPY {schema}.profile (id, name, norm) FROM STDIN") as cp:
            for r in rows:
                cp.write_row((r["id"], r["name"], normalise_name(r["name"])))
        conn.execute(f"CREATE INDEX ON {schema}.profile USING gin (norm gin_trgm_ops)")
        conn.execute(f"ANALYZE {schema}.profile")
        print(f"pg_trgm build (COPY + GIN): {time.perf_counter() - t0:.1f} s", flush=True)
        sql = (f"SELECT id FROM {schema}.profile WHERE norm %% %s "
               "ORDER BY similarity(norm, %s) DESC, id LIMIT 5")
        cur = conn.cursor()

        def query(q):
            key = normalise_name(q)
            return [r[0] for r in cur.execute(sql, (key, key), prepare=True).fetchall()]
        return run("PostgreSQL pg_trgm", queries, query, in_process=False)
    finally:
        conn.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
        conn.close()


def bench_sqlite(rows, queries):
    conn = sqlite3.connect(":memory:")
    t0 = time.perf_counter()
    conn.execute("CREATE VIRTUAL TABLE profile USING fts5(norm, tokenize='trigram')")
    conn.executemany("INSERT INTO profile (rowid, norm) VALUES (?, ?)",
                     ((r["id"], normalise_name(r["name"])) for r in rows))
    conn.commit()
    print(f"SQLite FTS5 build: {time.perf_counter() - t0:.1f} s", flush=True)

    def query(q):
        grams = sorted({w[i:i + 3] for w in normalise_name(q).split() for i in range(len(w) - 2)})
        if not grams:
            return []
        match = " OR ".join(f'"{g}"' for g in grams)
        return [r[0] for r in conn.execute(
            "SELECT rowid FROM profile WHERE profile MATCH ? ORDER BY bm25(profile) LIMIT 5",
            (match,))]
    try:
        return run("SQLite FTS5 trigram", queries, query)
    finally:
        conn.close()


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, default=100_000)
    ap.add_argument("--queries", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--pg-dsn", default=os.environ.get(
        "PROCURE_BENCH_PG_DSN", "host=127.0.0.1 dbname=test user=postgres"))
    ap.add_argument("--skip-pg", action="store_true")
    ap.add_argument("--skip-sqlite", action="store_true")
    args = ap.parse_args(argv)

    print(f"machine: {machine()}")
    t0 = time.perf_counter()
    rows = generate(args.n, args.seed)
    rng = random.Random(args.seed + 1)
    targets = rng.sample(range(len(rows)), args.queries)
    queries = [(t, damage(rng, rows[t]["name"])) for t in targets]
    print(f"generated {len(rows)} profiles and {len(queries)} queries "
          f"in {time.perf_counter() - t0:.1f} s; examples:")
    for t, q in queries[:5]:
        print(f"  {rows[t]['name']!r:55s} <- {q!r}")
    bench_index(rows, queries)
    if not args.skip_pg:
        bench_pg(rows, queries, args.pg_dsn)
    if not args.skip_sqlite:
        bench_sqlite(rows, queries)
    print(f"machine at the end: {machine()}")


if __name__ == "__main__":
    main()
