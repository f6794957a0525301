"""Where one receipts ingest spends its time: wall and process CPU seconds per SQL statement.

    .venv/bin/python benchmarks/profile_ingest.py FILE [FILE ...] [--db PATH] [--top 12]

Loads each FILE in turn into a new database (default benchmarks/out/profile.duckdb, deleted
first) with dashboard.ingest.ingest_file, timing every statement that staging and loading
run and printing each load's profile (several files: how a load grows with what is stored); the
DuckDB memory limit and temp directory follow PEMILU_DUCKDB_MEMORY / PEMILU_DUCKDB_TEMP as
in the app. BENCHMARKS.md's per-statement tables come from this script.
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the package is imported in main, once ROOT is on the path
    from dashboard.ingest import IngestResult

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


class TimedConnection:
    """A DuckDB connection that records (wall s, CPU s, statement) for each execute."""

    def __init__(self, conn: object, log: list[tuple[float, float, str]]) -> None:
        self._conn = conn
        self.log = log

    def execute(self, sql: str, params: object = None) -> object:
        wall, cpu = time.perf_counter(), _cpu()
        result = self._conn.execute(sql) if params is None else self._conn.execute(sql, params)
        self.log.append((time.perf_counter() - wall, _cpu() - cpu, " ".join(sql.split())))
        return result

    def __getattr__(self, name: str) -> object:
        return getattr(self._conn, name)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", type=Path, nargs="+")
    parser.add_argument("--db", type=Path, default=ROOT / "benchmarks/out/profile.duckdb")
    parser.add_argument("--top", type=int, default=12)
    args = parser.parse_args()
    for stale in (args.db, Path(f"{args.db}.wal")):
        stale.unlink(missing_ok=True)

    import dashboard.ingest as ingest
    from dashboard.store import db

    log: list[tuple[float, float, str]] = []
    stage, load = ingest.stage_receipts, ingest.load_receipts
    ingest.stage_receipts = lambda conn, *a, **k: stage(TimedConnection(conn, log), *a, **k)
    ingest.load_receipts = lambda conn, *a, **k: load(TimedConnection(conn, log), *a, **k)
    conn = db.connect(args.db)
    for path in args.files:
        log.clear()
        wall, cpu = time.perf_counter(), _cpu()
        result = ingest.ingest_file(conn, path)
        wall, cpu = time.perf_counter() - wall, _cpu() - cpu
        _report(result, wall, cpu, log, args.top)
    conn.close()


def _report(result: IngestResult, wall: float, cpu: float,
            log: list[tuple[float, float, str]], top: int) -> None:
    # the name as ingest cleaned it: a phone number in a file name is masked
    print(f"{result.file_name}, {result.outcome}: {result.counts.rows_read:,} read, "
          f"{result.counts.loaded:,} loaded, {result.counts.replaced:,} stored ones replaced")
    print(f"{'wall s':>7} {'CPU s':>7}  statement (first words)")
    for seconds, cpu_seconds, sql in sorted(log, reverse=True)[:top]:
        print(f"{seconds:7.2f} {cpu_seconds:7.2f}  {sql[:100]}")
    in_sql = sum(seconds for seconds, _, _ in log)
    print(f"total wall {wall:.2f} s, CPU {cpu:.2f} s; in SQL {in_sql:.2f} s; "
          f"the rest (Python, fingerprint, commit) {wall - in_sql:.2f} s; "
          f"peak memory {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:,.0f} MiB",
          flush=True)


if __name__ == "__main__":
    main()
