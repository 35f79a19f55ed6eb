"""HTTP benchmark: the app under gunicorn (2 workers) on loopback, measured with wrk.

    .venv/bin/python bench/bench_http.py [--profiles 100000] [--tenders 1000] [--duration 15]
                                         [--connections 50] [--keep DIR]      # or: make bench-http

1. Builds a throw-away SQLite database (a temporary folder, or --keep DIR): the demo data (accounts,
   registry, the opened and evaluated tender DEMO-2026-001), then N generated validated registry
   profiles (names from bench/bench_search.py's generator: realistic FR/NL names and Belgian
   municipalities) and M published tenders, inserted in bulk (executemany in one transaction).
2. Starts ``gunicorn -w 2`` on a free loopback port serving bench/http_app.py: the real app plus a
   minimal Flask app at ``/__ceiling`` in the same workers (the ceiling: no database, no template).
3. Logs in as the demo buyer (the tender and results pages need an account) and warms up each
   worker (the in-memory search index is built per worker on first use).
4. Runs ``wrk --latency`` with C connections for D seconds on: the directory search page, a tender
   page, the results page, and the ceiling. Prints requests/s, p50, p99, errors, and each page's
   throughput as a share of the ceiling's.

Needs the Debian package ``wrk`` (``apt-get install wrk``): without it the script says so and exits
with status 2. Not run in CI (a benchmark, not a test; figures in BENCHMARKS.md).
"""
from __future__ import annotations

import argparse
import http.cookiejar
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

SEARCH_URL = "/registry/?q=atelier+namur"
PAGES = [("directory search", SEARCH_URL), ("tender page", "/tenders/DEMO-2026-001"),
         ("results page", "/tenders/DEMO-2026-001/lots/1/results"), ("ceiling (minimal route)", "/__ceiling/")]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def build_database(folder: Path, profiles: int, tenders: int) -> str:
    """The demo data plus the generated profiles and tenders; returns the database URL."""
    from sqlalchemy import insert
    from sqlmodel import Session, select

    from accounts.models import Authority
    from app import create_app
    from bench_search import generate
    from common.db import get_session
    from common.migrate import models_metadata
    from common.timeutil import utcnow
    from demo import load_all
    from procurement.models import Tender
    from registry.models import Enterprise

    url = f"sqlite:///{folder / 'bench.sqlite'}"
    app = create_app({"DATABASE_URL": url, "SECRET_KEY": "bench", "UPLOAD_DIR": str(folder / "uploads"),
                      "DOCUMENT_CACHE_DIR": str(folder / "cache")})
    engine = app.extensions["procure.engine"]
    models_metadata().create_all(engine)
    started = time.perf_counter()
    with app.app_context():
        load_all(get_session())
    print(f"demo data loaded in {time.perf_counter() - started:.1f} s", flush=True)
    started = time.perf_counter()
    now = utcnow()
    rows = []
    for row in generate(profiles, seed=11):
        e = Enterprise(legal_name=row["name"], status="validated", municipality=row["town"], postal_code="",
                       region="BE3", legal_form="asbl", created_at=now, updated_at=now, validated_at=now,
                       description="Entreprise d'économie sociale (profil généré pour le benchmark).")
        rows.append(e.model_dump(exclude={"id"}))
    with Session(engine) as session:
        authority = session.exec(select(Authority).order_by(Authority.id)).first()
        session.execute(insert(Enterprise), rows)
        tender_rows = [Tender(reference=f"BENCH-{i:05d}", authority_id=authority.id, status="published",
                              title_fr=f"Marché de test {i}", title_nl=f"Testopdracht {i}",
                              title_en=f"Test tender {i}", cpv_main="90910000", published_at=now,
                              bid_deadline=now + timedelta(days=30), opening_at=now + timedelta(days=30, hours=1),
                              created_at=now, updated_at=now).model_dump(exclude={"id"})
                       for i in range(tenders)]
        session.execute(insert(Tender), tender_rows)
        session.commit()
    engine.dispose()
    print(f"{profiles} profiles and {tenders} tenders inserted in {time.perf_counter() - started:.1f} s", flush=True)
    return url


def wait_until_up(base: str, timeout: float = 60) -> None:
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            urllib.request.urlopen(base + "/health", timeout=5).read()
            return
        except OSError:
            time.sleep(0.3)
    raise SystemExit("gunicorn did not answer on /health")


def drain(base: str, timeout: float = 600) -> None:
    """Wait until the server answers the ceiling route quickly again (wrk's connections are closed,
    but slow requests they queued may still be running in the sync workers)."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        started = time.perf_counter()
        try:
            urllib.request.urlopen(base + "/__ceiling/", timeout=60).read()
        except OSError:
            pass
        if time.perf_counter() - started < 0.2:
            return
        time.sleep(0.5)


def login_cookie(base: str, email: str = "buyer@demo.example", password: str = "demo-2026") -> str:
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    html = opener.open(base + "/login").read().decode()
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)
    data = urllib.parse.urlencode({"email": email, "password": password, "csrf_token": token}).encode()
    opener.open(base + "/login", data=data).read()
    cookies = "; ".join(f"{c.name}={c.value}" for c in jar)
    assert "session=" in cookies, "login failed"
    return cookies


def parse_wrk(output: str) -> dict:
    def ms(text: str) -> float:
        value, unit = re.match(r"([\d.]+)(us|ms|s|m)", text).groups()
        return float(value) * {"us": 0.001, "ms": 1, "s": 1000, "m": 60000}[unit]

    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    p50 = ms(re.search(r"\s50%\s+(\S+)", output).group(1))
    p99 = ms(re.search(r"\s99%\s+(\S+)", output).group(1))
    non2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    socket_err = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    errors = (int(non2xx.group(1)) if non2xx else 0) + (sum(map(int, socket_err.groups())) if socket_err else 0)
    total = int(re.search(r"(\d+) requests in", output).group(1))
    return {"rps": rps, "p50": p50, "p99": p99, "errors": errors, "requests": total}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--profiles", type=int, default=100_000)
    parser.add_argument("--tenders", type=int, default=1_000)
    parser.add_argument("--duration", type=int, default=15)
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--keep", help="build the database in this folder and keep it")
    args = parser.parse_args(argv)
    wrk = shutil.which("wrk")
    if wrk is None:
        print("bench-http: wrk is not installed. Install it with: sudo apt-get install wrk", file=sys.stderr)
        return 2
    folder = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="bench-http-"))
    folder.mkdir(parents=True, exist_ok=True)
    if (folder / "bench.sqlite").exists():  # --keep DIR of an earlier run: reuse its database
        url = f"sqlite:///{folder / 'bench.sqlite'}"
        print(f"reusing {folder / 'bench.sqlite'}", flush=True)
    else:
        url = build_database(folder, args.profiles, args.tenders)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = dict(os.environ, PROCURE_DATABASE_URL=url, PROCURE_SECRET_KEY="bench-secret",
               PROCURE_UPLOAD_DIR=str(folder / "uploads"), PROCURE_DOCUMENT_CACHE_DIR=str(folder / "cache"),
               PYTHONPATH=str(ROOT))
    # The app logs one line per request: to a file (an unread pipe would fill and block the workers).
    server_log = open(folder / "gunicorn.log", "w")
    server = subprocess.Popen([str(Path(sys.executable).parent / "gunicorn"), "-w", "2", "-b", f"127.0.0.1:{port}",
                               "--timeout", "120", "--log-level", "warning", "bench.http_app:application"],
                              cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=server_log,
                              start_new_session=True)
    try:
        wait_until_up(base)
        cookie = login_cookie(base)
        started = time.perf_counter()
        for _ in range(8):  # both workers build their search index and warm their caches
            for _label, path in PAGES:
                req = urllib.request.Request(base + path, headers={"Cookie": cookie})
                with urllib.request.urlopen(req, timeout=120) as response:
                    assert response.status == 200, (path, response.status)
        print(f"warm-up (index built in each worker) {time.perf_counter() - started:.1f} s", flush=True)
        load = os.getloadavg()
        results = {}
        for label, path in PAGES:
            out = subprocess.run([wrk, "-t2", f"-c{args.connections}", f"-d{args.duration}s", "--latency",
                                  "--timeout", "10s", "-H", f"Cookie: {cookie}", base + path],
                                 capture_output=True, text=True, check=True).stdout
            results[label] = parse_wrk(out)
            drain(base)  # requests still queued in the workers must not slow the next page's run
            r = results[label]
            print(f"  {label:<26} {r['rps']:8.1f} req/s  p50 {r['p50']:7.1f} ms  p99 {r['p99']:7.1f} ms  "
                  f"errors {r['errors']}  ({r['requests']} requests)", flush=True)
        ceiling = results["ceiling (minimal route)"]["rps"] or float("nan")
        print(f"\nload average before the runs: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}; "
              f"{os.cpu_count()} CPUs; wrk -t2 -c{args.connections} -d{args.duration}s")
        print("| page | URL | req/s | share of ceiling | p50 | p99 | errors |")
        print("|---|---|---|---|---|---|---|")
        for label, path in PAGES:
            r = results[label]
            print(f"| {label} | `{path}` | {r['rps']:.1f} | {100 * r['rps'] / ceiling:.1f} % | "
                  f"{r['p50']:.1f} ms | {r['p99']:.1f} ms | {r['errors']} |")
        search = results["directory search"]
        verdict = (search["rps"] >= 0.3 * ceiling, search["p99"] <= 150,
                   all(r["errors"] == 0 for r in results.values()))
        print(f"\ntargets: search >= 30 % of ceiling: {'met' if verdict[0] else 'MISSED'}; "
              f"search p99 <= 150 ms: {'met' if verdict[1] else 'MISSED'}; "
              f"zero errors: {'met' if verdict[2] else 'MISSED'}")
        return 0
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(20)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
        server_log.close()
        if not args.keep:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    raise SystemExit(main())
