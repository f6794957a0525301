"""HyperLogLog reach sketch benchmark: the unique-reach tables on the exact and approximate
paths, the sketch's rebuild and merge, and where the exact path crosses the latency target.

Runs on a COPY of a large database (it writes the sketch into it; the threshold step swaps
reach_recipients for samples and puts it back):

    cp benchmarks/out/ours_canonical_100000000.duckdb benchmarks/out/sketch_100m.duckdb
    PEMILU_DUCKDB_MEMORY=3GB .venv/bin/python benchmarks/bench_sketch.py \\
        --db benchmarks/out/sketch_100m.duckdb --steps rebuild tables merge threshold
    rm benchmarks/out/sketch_100m.duckdb

Steps:
  rebuild    rebuild_sketch (whole sketch from receipts), --rebuilds times
  tables     the six unique-reach tables over FILTER_SETS, warm, --repeat runs each, on the
             approximate path (and the exact path with --exact-repeat runs); p50/p95 per table
             and the estimate's error against the exact count
  merge      merge_file for --merge-rows delivered receipts given new recipients (a file of
             that many delivered rows), and refresh_touched for one (wave, operator); each in a
             transaction that is rolled back
  threshold  the exact tables with reach_recipients cut to samples of --sizes rows (whole
             recipients), p50 over FILTER_SETS per table and the slowest table's p50 and p95:
             where the exact path crosses 150 ms
  accuracy   bias and RMSE of the estimate (reach_unique_approx) and of the 2007 estimator it
             replaced, over --sketches simulated sketches at each size of tests/test_sketch.py
             (no database needed: .venv/bin/python benchmarks/bench_sketch.py --steps accuracy)
Prints markdown tables; timings in milliseconds unless stated.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("PEMILU_SECRET", "benchmark-secret")

from dashboard import config  # noqa: E402
from dashboard.filters import Filters  # noqa: E402
from dashboard.reports import tables  # noqa: E402
from dashboard.store import db, sketch  # noqa: E402

JAVA = (31, 32, 33, 34, 35, 36)
SUMATRA = (11, 12, 13, 14, 15, 16, 17, 18, 19, 21)
JAN = (date(2024, 1, 1), date(2024, 1, 31))
FILTER_SETS: dict[str, Filters] = {
    "none": Filters(),
    "op telkomsel": Filters(operators=("telkomsel",)),
    "op smartfren": Filters(operators=("smartfren",)),
    "ops indosat+xl": Filters(operators=("indosat", "xl")),
    "prov 32": Filters(provinces=(32,)),
    "provs Java": Filters(provinces=JAVA),
    "provs Sumatra": Filters(provinces=SUMATRA),
    "prov 94": Filters(provinces=(94,)),
    "wave SMS05": Filters(waves=("SMS05",)),
    "waves SMS01-03": Filters(waves=("SMS01", "SMS02", "SMS03")),
    "January": Filters(*JAN),
    "from 1 Feb": Filters(date_from=date(2024, 2, 1)),
    "op+prov": Filters(operators=("telkomsel",), provinces=(32,)),
    "ops+provs": Filters(operators=("indosat", "xl"), provinces=JAVA),
    "wave+op": Filters(waves=("SMS07",), operators=("xl",)),
    "January+prov": Filters(*JAN, provinces=(35,)),
    "January+ops+provs": Filters(*JAN, operators=("telkomsel", "xl"), provinces=SUMATRA),
    "waves+prov": Filters(waves=("SMS08", "SMS09"), provinces=(94,)),
    "wave+op+prov": Filters(waves=("SMS10",), operators=("smartfren",), provinces=(51,)),
    "to 31 Dec+op": Filters(date_to=date(2023, 12, 31), operators=("telkomsel",)),
}
TABLES = ("reach_totals", "reach_wave", "reach_operator", "reach_province",
          "reach_operator_province", "reach_unit_2019")
KEYS = {"reach_totals": [], "reach_wave": ["wave_id"], "reach_operator": ["operator"],
        "reach_province": ["province_code"], "reach_operator_province": ["operator",
                                                                          "province_code"],
        "reach_unit_2019": ["province_code"]}


def ms(seconds: float) -> str:
    return f"{seconds * 1000:,.0f}"


def load() -> str:
    """The 1-minute load average: the machine is shared, so say how busy it was."""
    return f"{os.getloadavg()[0]:.1f}"


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def time_table(conn, name: str, filters: Filters, approximate: bool, repeat: int):
    tables.reach_table(conn, name, filters, approximate)  # warm
    seconds, frame = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        frame = tables.reach_table(conn, name, filters, approximate)
        seconds.append(time.perf_counter() - started)
    return seconds, frame


def step_rebuild(conn, runs: int) -> None:
    seconds = []
    for _ in range(runs):
        started = time.perf_counter()
        sketch.rebuild_sketch(conn)
        seconds.append(time.perf_counter() - started)
    rows, size = conn.execute(
        "SELECT count(*), sum(octet_length(bits)) FROM reach_sketch").fetchall()[0]
    print(f"\nrebuild_sketch: {', '.join(f'{s:.1f}' for s in seconds)} s; reach_sketch "
          f"{rows:,} rows, {size / 1e6:.1f} MB of planes (p = {sketch.PRECISION})")


def step_tables(conn, repeat: int, exact_repeat: int) -> None:
    print("\n| table | approximate p50 | p95 | max | exact p50 | p95 | max | "
          "median abs. error | max abs. error | groups | load |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    everything: dict[str, list[float]] = {"approx": [], "exact": []}
    for name in TABLES:
        approx_s, exact_s, errors, groups = [], [], [], 0
        for filters in FILTER_SETS.values():
            seconds, estimated = time_table(conn, name, filters, True, repeat)
            approx_s.append(statistics.median(seconds))
            if exact_repeat:
                seconds, exact = time_table(conn, name, filters, False, exact_repeat)
                exact_s.append(statistics.median(seconds))
                keys = KEYS[name]
                if keys:
                    both = exact.merge(estimated, on=keys, suffixes=("", "_hll"))
                else:
                    both = exact.assign(unique_reach_hll=estimated["unique_reach"].to_numpy())
                both = both[both["unique_reach"] >= 1000]  # relative error of small counts
                rel = (both["unique_reach_hll"] / both["unique_reach"] - 1).abs()
                errors.extend(rel.tolist())
                groups += len(both)
        everything["approx"] += approx_s
        everything["exact"] += exact_s
        exact_cols = (f"{ms(statistics.median(exact_s))} | {ms(p95(exact_s))} | "
                      f"{ms(max(exact_s))}" if exact_s else "– | – | –")
        error_cols = (f"{statistics.median(errors):.2%} | {max(errors):.2%} | {groups}"
                      if errors else "– | – | –")
        print(f"| {name} | {ms(statistics.median(approx_s))} | {ms(p95(approx_s))} | "
              f"{ms(max(approx_s))} | {exact_cols} | {error_cols} | {load()} |", flush=True)
    for path, values in everything.items():
        if values:
            print(f"all {path}: p50 {ms(statistics.median(values))} ms, p95 {ms(p95(values))} "
                  f"ms over {len(values)} (table, filter) medians")


def step_merge(conn, rows: int) -> None:
    last = conn.execute("SELECT max(ingest_id) FROM ingest_log").fetchall()[0][0] or 0
    conn.execute("BEGIN TRANSACTION")
    try:
        # a file of `rows` delivered receipts to recipients not seen before, spread over the
        # stored (wave, day, operator, province) groups as the stored receipts are
        delivered = conn.execute(
            "SELECT count(*) FROM receipts WHERE status = 'DELIVRD'").fetchall()[0][0]
        conn.execute(
            """
            CREATE OR REPLACE TEMP TABLE bench_file AS
            SELECT hash(recipient_key, 'bench') AS recipient_key, operator, province_code,
                   wave_id, send_date, status
            FROM receipts
            WHERE status = 'DELIVRD' AND hash(message_id, 'pick') < $cut
            """, {"cut": min(int(rows / max(delivered, 1) * 2**64), 2**64 - 1)})
        rows = conn.execute("SELECT count(*) FROM bench_file").fetchall()[0][0]
        conn.execute("CREATE OR REPLACE TEMP VIEW file_loaded AS SELECT * FROM bench_file")
        started = time.perf_counter()
        sketch.merge_file(conn, last + 1)
        merged = time.perf_counter() - started
    finally:
        conn.execute("ROLLBACK")
    conn.execute("BEGIN TRANSACTION")
    try:
        conn.execute("CREATE OR REPLACE TEMP TABLE touched AS "
                     "SELECT 'SMS05' AS wave_id, 'telkomsel' AS operator")
        started = time.perf_counter()
        sketch.refresh_touched(conn, last + 1)
        refreshed = time.perf_counter() - started
    finally:
        conn.execute("ROLLBACK")
    print(f"\nmerge_file of {rows:,} delivered receipts: {merged:.2f} s; refresh_touched of "
          f"(SMS05, telkomsel): {refreshed:.2f} s (both rolled back)")


def step_threshold(conn, sizes: list[int], repeat: int) -> None:
    total = conn.execute("SELECT count(*) FROM reach_recipients").fetchall()[0][0]
    conn.execute("ALTER TABLE reach_recipients RENAME TO bench_reach_full")
    try:
        print("\n| reach_recipients rows | " + " | ".join(TABLES) + " | slowest p50 | "
              "slowest p95 | load |")
        print("|---:|" + "---:|" * (len(TABLES) + 3))
        for size in sizes:
            conn.execute(
                "CREATE TABLE reach_recipients AS SELECT * FROM bench_reach_full "
                "WHERE recipient_key < $cut",
                {"cut": min(int(size / total * 2**64), 2**64 - 1)})
            rows = conn.execute("SELECT count(*) FROM reach_recipients").fetchall()[0][0]
            medians, p95s = [], []
            for name in TABLES:
                per_filter = [statistics.median(time_table(conn, name, f, False, repeat)[0])
                              for f in FILTER_SETS.values()]
                medians.append(statistics.median(per_filter))
                p95s.append(p95(per_filter))
            print(f"| {rows:,} | " + " | ".join(ms(m) for m in medians)
                  + f" | {ms(max(medians))} | {ms(max(p95s))} | {load()} |", flush=True)
            conn.execute("DROP TABLE reach_recipients")
    finally:
        conn.execute("DROP TABLE IF EXISTS reach_recipients")
        conn.execute("ALTER TABLE bench_reach_full RENAME TO reach_recipients")


def step_accuracy(sketches: int) -> None:
    from tests import test_sketch as t  # the simulation and both estimators, as tested

    conn = db.memory_connection()
    print(f"\n{sketches:,} simulated sketches per size (p = {sketch.PRECISION}), relative "
          "error of the estimate: mean (bias) and root mean square")
    print("\n| recipients | 2007 bias | 2007 RMSE | Ertl bias | Ertl RMSE |")
    print("|---:|---:|---:|---:|---:|")
    for n in t.SIZES:
        counts = t.simulated_plane_counts(n, sketches, seed=n)
        old = t.bias_and_rmse([t.ref_estimate_2007(t.histogram_of_planes(row.tolist()))
                               for row in counts], n)
        new = t.bias_and_rmse(t.page_estimates(conn, counts), n)
        print(f"| {n:,} | {old[0]:+.2%} | {old[1]:.2%} | {new[0]:+.2%} | {new[1]:.2%} |",
              flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, help="a COPY of a large database (every step but "
                                                    "accuracy)")
    parser.add_argument("--steps", nargs="+", default=["rebuild", "tables", "merge"],
                        choices=("rebuild", "tables", "merge", "threshold", "accuracy"))
    parser.add_argument("--sketches", type=int, default=1_000,
                        help="simulated sketches per size (accuracy)")
    parser.add_argument("--rebuilds", type=int, default=2)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--exact-repeat", type=int, default=1)
    parser.add_argument("--merge-rows", type=int, default=1_000_000)
    parser.add_argument("--sizes", type=int, nargs="+",
                        default=[250_000, 500_000, 1_000_000, 2_000_000, 4_000_000])
    args = parser.parse_args(argv)
    if "accuracy" in args.steps:
        step_accuracy(args.sketches)
        args.steps = [step for step in args.steps if step != "accuracy"]
        if not args.steps:
            return 0
    if args.db is None:
        parser.error("--db is required for the steps rebuild, tables, merge and threshold")
    if args.db.resolve() == (ROOT / "benchmarks/out/ours_canonical_100000000.duckdb").resolve():
        raise SystemExit("work on a copy: this benchmark writes into the database")
    print(f"database {args.db}, memory limit {config.duckdb_settings().get('memory_limit')}")
    with db.connect(args.db) as conn:  # init_schema: builds the sketch if it has none
        for step in args.steps:
            if step == "rebuild":
                step_rebuild(conn, args.rebuilds)
            elif step == "tables":
                step_tables(conn, args.repeat, args.exact_repeat)
            elif step == "merge":
                step_merge(conn, args.merge_rows)
            else:
                step_threshold(conn, args.sizes, args.repeat)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
