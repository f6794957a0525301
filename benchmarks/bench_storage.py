"""Native DuckDB table or partitioned Parquet for the receipts: write time, size, and the
receipts-level queries the dashboard runs (issue 6: storage chosen by measurement).

    .venv/bin/python benchmarks/bench_storage.py --db benchmarks/out/ours_canonical_10000000.duckdb

From a loaded database (opened read-only), it writes the receipts twice, as a new DuckDB file
(one table) and as the hive-partitioned Parquet lake of dashboard/store/lake.py, then times, warm,
median of --repeat, the same SQL on both: the portable per-operator query of docs/LAKE.md (a
full scan with a distinct count) and the recount of one (wave, operator) partition that a
file replacing stored receipts triggers (refresh_rollups.sql's shape).
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

# one (wave, operator) partition recounted per (send day, province, status), as a refresh does
PARTITION_RECOUNT = """
SELECT send_date, province_code, status, count(*) AS receipts
FROM lake_receipts
WHERE wave_id = $wave AND operator = $operator
GROUP BY ALL
"""


def _size_mb(path: Path) -> float:
    files = [path] if path.is_file() else [p for p in path.rglob("*") if p.is_file()]
    return sum(p.stat().st_size for p in files) / 1e6


def _median_ms(conn: object, sql: str, params: dict, repeat: int) -> float:
    conn.execute(sql, params).fetchall()  # warm
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        conn.execute(sql, params).fetchall()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks/out/storage")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    from dashboard.store import db, lake

    shutil.rmtree(args.out, ignore_errors=True)
    args.out.mkdir(parents=True)
    native_path, lake_path = args.out / "receipts.duckdb", args.out / "lake"
    conn = db.memory_connection()
    conn.execute("ATTACH $path AS source (READ_ONLY)", {"path": str(args.db)})
    conn.execute("USE source")
    rows = conn.execute("SELECT count(*) FROM receipts").fetchall()[0][0]
    wave, operator = conn.execute("SELECT wave_id, operator FROM receipts GROUP BY ALL "
                                  "ORDER BY count(*) DESC LIMIT 1").fetchall()[0]

    start = time.perf_counter()
    conn.execute("ATTACH $path AS native", {"path": str(native_path)})
    for table in lake.LAKE_SOURCE_TABLES:  # the receipts; the others are a plan's few rows
        conn.execute(f"CREATE TABLE native.{table} AS SELECT * FROM source.{table}")  # noqa: S608
    conn.execute("DETACH native")
    native_write = time.perf_counter() - start
    start = time.perf_counter()
    lake.write_lake(conn, lake_path)
    lake_write = time.perf_counter() - start
    conn.close()

    native = db.memory_connection()
    native.execute("ATTACH $path AS native (READ_ONLY)", {"path": str(native_path)})
    # the native tables first, then the in-memory catalogue's macros (holdout_arm)
    native.execute("SET search_path = 'native.main,memory.main'")
    native.execute("CREATE TEMP VIEW lake_receipts AS " + db.sql_text("lake/lake_receipts"))
    parquet = lake.lake_connection(lake_path)
    portable = db.sql_text("lake/reach_operator_lake")
    partition = {"wave": wave, "operator": operator}
    results = {
        "native": (native_write, _size_mb(native_path),
                   _median_ms(native, portable, {}, args.repeat),
                   _median_ms(native, PARTITION_RECOUNT, partition, args.repeat)),
        "parquet": (lake_write, _size_mb(lake_path),
                    _median_ms(parquet, portable, {}, args.repeat),
                    _median_ms(parquet, PARTITION_RECOUNT, partition, args.repeat)),
    }
    print(f"{rows:,} receipts; partition recounted: wave {wave}, operator {operator}")
    print("| storage | write s | size MB | per-operator query ms | one-partition recount ms |")
    print("|---|---:|---:|---:|---:|")
    for name, (write, size, scan, recount) in results.items():
        print(f"| {name} | {write:.2f} | {size:,.1f} | {scan:,.1f} | {recount:,.1f} |")


if __name__ == "__main__":
    main()
