"""Ingest and reach-query benchmark.

Generates N canonical receipts (streamed, fixed seed), then measures, each in a fresh
process so peak memory is its own:
  - bare DuckDB: CREATE TABLE AS SELECT * FROM read_csv(file)  (the practical limit)
  - our ingest: validation, pseudonymisation, accounting, merge and rollups
  - reach queries: every table the Ringkasan and Jangkauan pages read, over filter sets,
    p50 and p95 of repeated runs.

Usage: .venv/bin/python benchmarks/bench_ingest.py --rows 10000000 [--repeat 7]
Writes a markdown table to stdout and to benchmarks/out/results_<rows>.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
OUT = ROOT / "benchmarks" / "out"

PAGE_TABLES = ("reach_totals", "reach_wave", "reach_daily", "reach_operator", "reach_province",
               "reach_operator_province", "error_codes")


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux


def step_bare(path: Path, db_path: Path) -> dict:
    import duckdb

    conn = duckdb.connect(str(db_path))
    start = time.perf_counter()
    conn.execute("CREATE TABLE receipts AS SELECT * FROM read_csv($p)", {"p": str(path)})
    seconds = time.perf_counter() - start
    rows = conn.execute("SELECT count(*) FROM receipts").fetchall()[0][0]
    return {"seconds": seconds, "rows": rows, "peak_mb": _peak_mb()}


def step_ingest(path: Path, db_path: Path) -> dict:
    from dashboard import db
    from dashboard.ingest import ingest_file

    conn = db.connect(db_path)
    start = time.perf_counter()
    result = ingest_file(conn, path)
    seconds = time.perf_counter() - start
    assert result.outcome == "loaded", result.message
    from dashboard import config

    for name in ("election_results.csv", "survey_responses.csv", "hoax_register.csv"):
        ingest_file(conn, config.SAMPLE_DIR / name)  # for the page timings, not timed
    return {"seconds": seconds, "rows": result.counts.rows_read, "loaded": result.counts.loaded,
            "peak_mb": _peak_mb()}


def step_queries(db_path: Path, repeat: int) -> dict:
    from datetime import date

    from dashboard import db, tables
    from dashboard.filters import Filters

    conn = db.connect(db_path, read_only=True)
    waves = [r[0] for r in conn.execute(
        "SELECT DISTINCT wave_id FROM receipt_counts ORDER BY 1").fetchall()]
    filter_sets = {
        "no filter": Filters(),
        "one operator": Filters(operators=("telkomsel",)),
        "two waves": Filters(waves=tuple(waves[:2])),
        "3 provinces + operator": Filters(operators=("xl",), provinces=(31, 32, 33)),
        "period": Filters(date_from=date(2024, 1, 1), date_to=date(2024, 2, 10)),
    }
    timings: dict[str, list[float]] = {}
    for name in PAGE_TABLES:
        for filters in filter_sets.values():
            tables.table(conn, name, filters)  # warm
            for _ in range(repeat):
                start = time.perf_counter()
                tables.table(conn, name, filters)
                timings.setdefault(name, []).append((time.perf_counter() - start) * 1000)
    page = []  # the Jangkauan page: all its tables one after another, per filter set
    for filters in filter_sets.values():
        for _ in range(repeat):
            start = time.perf_counter()
            for name in ("reach_operator", "reach_province", "reach_operator_province",
                         "error_codes"):
                tables.table(conn, name, filters)
            page.append((time.perf_counter() - start) * 1000)
    timings["Jangkauan page (4 tables)"] = page
    # pages whose statistics do not grow with receipts but read the reach rollups
    for label, names in (("Partisipasi page (provinces, tests, survey)",
                          ("participation_tests", "survey_tests")),
                         ("Hoaks page (weekly, tests)", ("hoax_weekly", "hoax_tests"))):
        for name in names:  # warm: imports (statsmodels) are a once-per-process cost
            tables.table(conn, name, Filters())
        for filters in filter_sets.values():
            for _ in range(max(1, repeat // 2)):
                start = time.perf_counter()
                for name in names:
                    tables.table(conn, name, filters)
                timings.setdefault(label, []).append((time.perf_counter() - start) * 1000)
    return {name: {"p50_ms": statistics.median(v),
                   "p95_ms": statistics.quantiles(v, n=20)[18] if len(v) >= 20 else max(v)}
            for name, v in timings.items()}


def run_step(*args: str) -> dict:
    env = {**os.environ, "PEMILU_SECRET": os.environ.get("PEMILU_SECRET", "benchmark-secret")}
    done = subprocess.run([sys.executable, __file__, *args], capture_output=True, text=True,
                          env=env, check=False)
    if done.returncode != 0:
        raise SystemExit(f"step {args[:2]} failed:\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--step", choices=("bare", "ingest", "queries"))
    parser.add_argument("--file", type=Path)
    parser.add_argument("--db", type=Path)
    args = parser.parse_args()
    if args.step == "bare":
        print(json.dumps(step_bare(args.file, args.db)))
        return
    if args.step == "ingest":
        print(json.dumps(step_ingest(args.file, args.db)))
        return
    if args.step == "queries":
        print(json.dumps(step_queries(args.db, args.repeat)))
        return

    from dashboard.sample.receipts import stream_canonical_receipts

    OUT.mkdir(parents=True, exist_ok=True)
    data = OUT / f"receipts_{args.rows}.csv"
    if not data.exists():
        start = time.perf_counter()
        stream_canonical_receipts(data, args.rows)
        print(f"generated {args.rows:,} rows in {time.perf_counter() - start:.1f} s",
              file=sys.stderr)
    size_mb = data.stat().st_size / 1e6
    for stale in OUT.glob(f"*_{args.rows}.duckdb*"):
        stale.unlink()
    bare = run_step("--step", "bare", "--file", str(data), "--db",
                    str(OUT / f"bare_{args.rows}.duckdb"))
    ours_db = OUT / f"ours_{args.rows}.duckdb"
    ours = run_step("--step", "ingest", "--file", str(data), "--db", str(ours_db))
    queries = run_step("--step", "queries", "--db", str(ours_db), "--repeat", str(args.repeat))
    db_mb = ours_db.stat().st_size / 1e6

    lines = [
        f"### {args.rows:,} receipts ({size_mb:,.0f} MB canonical CSV, "
        f"database {db_mb:,.0f} MB)",
        "",
        f"Machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}",
        "",
        "| ingest | seconds | rows/s | peak memory (MB) | vs bare DuckDB |",
        "|---|---:|---:|---:|---:|",
        f"| bare DuckDB CTAS read_csv | {bare['seconds']:.2f} | "
        f"{bare['rows'] / bare['seconds']:,.0f} | {bare['peak_mb']:,.0f} | 1.00x |",
        f"| dashboard ingest | {ours['seconds']:.2f} | {ours['rows'] / ours['seconds']:,.0f} | "
        f"{ours['peak_mb']:,.0f} | {ours['seconds'] / bare['seconds']:.2f}x time |",
        "",
        "| query (5 filter sets) | p50 ms | p95 ms |",
        "|---|---:|---:|",
    ]
    lines += [f"| {name} | {v['p50_ms']:.1f} | {v['p95_ms']:.1f} |" for name, v in queries.items()]
    report = "\n".join(lines) + "\n"
    (OUT / f"results_{args.rows}.md").write_text(report)
    print(report)


if __name__ == "__main__":
    main()
