"""Ingest and reach-query benchmark, canonical CSV only: a thin wrapper over run_suite.py.

Generates N canonical receipts (streamed, fixed seed, cached in benchmarks/out/), then measures,
each in a fresh process so peak memory is its own:
  - bare DuckDB: CREATE TABLE AS SELECT * FROM read_csv(file)  (the practical limit)
  - our ingest: validation, pseudonymisation, accounting, merge and rollups
  - page queries: every table the pages read, over five filter sets, p50 and p95.
The full suite (three input formats, pandas, several sizes, plot) is run_suite.py.

Usage: .venv/bin/python benchmarks/bench_ingest.py --rows 10000000 [--repeat 7]
       .venv/bin/python benchmarks/bench_ingest.py --step queries --db PATH [--repeat 7]
Writes a markdown table to stdout and to benchmarks/out/results_<rows>.md (--out DIR).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
from datetime import UTC, datetime
from pathlib import Path

import run_suite  # benchmarks/ is the script's folder, so it is on sys.path

OUT = run_suite.DEFAULT_OUT
PAGE_TABLES = run_suite.PAGE_TABLES
step_bare = run_suite.step_bare
step_ingest = run_suite.step_ingest
step_queries = run_suite.step_queries


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--step", choices=("bare", "ingest", "queries"))
    parser.add_argument("--file", type=Path)
    parser.add_argument("--db", type=Path)
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    if args.step == "bare":
        print(json.dumps(step_bare(run_suite.FORMATS["canonical"], args.file, args.db)))
        return
    if args.step == "ingest":
        print(json.dumps(step_ingest(args.file, args.db)))
        return
    if args.step == "queries":
        print(json.dumps(step_queries(args.db, args.repeat)))
        return

    settings = run_suite.Settings(
        out=args.out.resolve(), repeat=args.repeat, load_repeat=1,
        memory_limit=os.environ.get(run_suite.MEMORY_ENV),
        temp_dir=Path(os.environ[run_suite.TEMP_ENV]) if os.environ.get(run_suite.TEMP_ENV)
        else None,
        cap_bytes=int(run_suite._ram_bytes() * 0.6), pandas=False, delete_inputs=False,
        keep_databases=True)
    args.out.mkdir(parents=True, exist_ok=True)
    run_id = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    entry = run_suite.measure_size(args.rows, ["canonical"], settings, run_id)
    canonical = entry["formats"]["canonical"]
    bare, ours = canonical["bare"], canonical["ours"]
    for name, result in (("bare DuckDB", bare), ("dashboard ingest", ours),
                         ("page queries", entry.get("queries", {}))):
        if "error" in result:
            raise SystemExit(f"{name} failed: {result['error']}")
    queries = entry["queries"]

    lines = [
        f"### {args.rows:,} receipts ({canonical['file_mb']:,.0f} MB canonical CSV, "
        f"database {queries['database_mb']:,.0f} MB)",
        "",
        f"Machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}",
        "",
        "| ingest | seconds | rows/s | peak memory (MB) | vs bare DuckDB |",
        "|---|---:|---:|---:|---:|",
        f"| bare DuckDB CTAS read_csv | {bare['seconds']:.2f} | "
        f"{bare['rows_per_s']:,.0f} | {bare['peak_mb']:,.0f} | 1.00x |",
        f"| dashboard ingest | {ours['seconds']:.2f} | {ours['rows_per_s']:,.0f} | "
        f"{ours['peak_mb']:,.0f} | {ours['seconds'] / bare['seconds']:.2f}x time |",
        "",
        "| query (5 filter sets) | p50 ms | p95 ms |",
        "|---|---:|---:|",
    ]
    lines += [f"| {name} | {v['p50_ms']:.1f} | {v['p95_ms']:.1f} |"
              for name, v in queries["tables"].items()]
    report = "\n".join(lines) + "\n"
    (args.out / f"results_{args.rows}.md").write_text(report)
    print(report)


if __name__ == "__main__":
    sys.exit(main())
