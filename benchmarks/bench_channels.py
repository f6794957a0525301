"""Channel benchmark (issue 17): the Kanal page and the weekly channel numbers at 10 M receipts
plus a year of daily status-bar rows for 38 provinces x 4 operators and a year of the WhatsApp
Channel, each against bare DuckDB answering the same question in the same run.

Inputs (generated once, fixed seed, cached in benchmarks/out/):
  - the canonical receipts file of run_suite.py (receipts_<N>.csv);
  - status_bar_year.csv: 366 days (1 Mar 2023 - 29 Feb 2024) x 38 provinces x 4 operators,
    one status-bar text a month (twelve waves YB01-YB12, added to the catalogue);
  - wa_updates_year.csv (two posts a week) and wa_daily_year.csv (one row a day).
Steps:
  1. loads: our ingest_file of each channel file into the receipts database, against bare
     DuckDB's `CREATE TABLE ... AS SELECT * FROM read_csv(file)` into a scratch database;
  2. queries: every table the Kanal page reads (tables.table, the registry the page and the
     CLI use) over four filter sets, p50 and p95, against bare DuckDB grouping the raw rows
     (for SMS: the 10 M raw receipts a bare load gives; ours reads the reach rollups).

Usage: .venv/bin/python benchmarks/bench_channels.py [--rows 10000000] [--repeat 7]
Prints markdown tables to paste into BENCHMARKS.md (and writes them to out/channels_<N>.md).
"""

from __future__ import annotations

import argparse
import csv
import os
import platform
import random
import statistics
import sys
import time
from datetime import date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("PEMILU_SECRET", "benchmark-secret")

import run_suite  # noqa: E402  benchmarks/ is the script's folder

OUT = run_suite.DEFAULT_OUT
OPERATORS = ("telkomsel", "indosat", "xl", "smartfren")
FIRST_DAY, DAYS = date(2023, 3, 1), 366
KANAL_TABLES = ("channel_wave", "status_bar_province", "wa_updates", "wa_daily")

# Bare DuckDB's answers to the same questions, from the raw rows (no rollups, no validation).
BARE_QUERIES = {
    "channel_wave": [
        "SELECT wave_id, count(*) AS sent, count(*) FILTER (WHERE status = 'DELIVRD') AS "
        "delivered, count(DISTINCT msisdn) FILTER (WHERE status = 'DELIVRD') AS unique_reach "
        "FROM receipts GROUP BY wave_id",
        "SELECT wave_id, sum(impressions), sum(unique_devices), sum(clicks) FROM status_bar "
        "GROUP BY wave_id",
        "SELECT wave_id, count(*), sum(views), sum(reactions), sum(forwards) FROM wa_updates "
        "GROUP BY wave_id",
    ],
    "status_bar_province": [
        "SELECT wave_id, operator, province, sum(impressions), sum(unique_devices), "
        "sum(clicks) FROM status_bar GROUP BY ALL"],
    "wa_updates": ["SELECT * FROM wa_updates ORDER BY posted_at"],
    "wa_daily": ["SELECT * FROM wa_daily ORDER BY date"],
}


def write_channel_inputs(out: Path) -> dict[str, Path]:
    """The year of status-bar rows, WhatsApp updates and insights (same bytes every run)."""
    from dashboard import reference

    rng = random.Random(17)
    dpt = reference.dpt_2024().set_index("province_code")["dpt_2024"]
    share = (dpt / dpt.sum()).to_dict()
    subscribers = {"telkomsel": 159.3, "indosat": 98.8, "xl": 57.5, "smartfren": 36.4}
    paths = {"waves": out / "waves_year.csv", "status_bar": out / "status_bar_year.csv",
             "wa_updates": out / "wa_updates_year.csv", "wa_daily": out / "wa_daily_year.csv"}
    if all(p.exists() for p in paths.values()):
        return paths
    days = [FIRST_DAY + timedelta(days=i) for i in range(DAYS)]
    with paths["waves"].open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["wave_id", "channel", "sent_date", "theme", "message_text"])
        for month in range(12):
            first = date(2023 + (2 + month) // 12, (2 + month) % 12 + 1, 1)  # Mar 2023 on
            w.writerow([f"YB{month + 1:02d}", "status_bar", first.isoformat(), "turnout",
                        "Pemilu Damai 2024"])
        for week in range(0, DAYS, 7):
            w.writerow([f"YW{week // 7 + 1:02d}", "whatsapp_channel",
                        days[week].isoformat(), "anti_hoax", "Saring sebelum sharing"])
    with paths["status_bar"].open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["operator", "wave_id", "date", "province", "impressions", "unique_devices",
                    "clicks"])
        for day in days:
            wave = f"YB{(day.year - 2023) * 12 + day.month - 2:02d}"  # the month's text
            for operator in OPERATORS:
                for code, part in share.items():
                    impressions = int(subscribers[operator] * 1e6 * part * rng.uniform(0.2, 0.4))
                    devices = int(impressions * rng.uniform(0.4, 0.7))
                    w.writerow([operator, wave, day.isoformat(), code, impressions, devices,
                                int(impressions * rng.uniform(0.001, 0.004))])
    with paths["wa_updates"].open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["update_id", "wave_id", "posted_at", "views", "reactions", "forwards"])
        for i, day in enumerate(days[::3]):
            views = rng.randint(20_000, 400_000)
            w.writerow([f"U{i:04d}", f"YW{(i * 3) // 7 + 1:02d}", f"{day.isoformat()}T10:00:00",
                        views, views // rng.randint(20, 80), views // rng.randint(50, 200)])
    with paths["wa_daily"].open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["date", "followers", "gained", "lost", "accounts_reached_30d"])
        followers = 100_000
        for i, day in enumerate(days):
            gained, lost = rng.randint(500, 5_000) * (4 if i % 3 == 0 else 1), rng.randint(50, 600)
            followers += gained - lost
            w.writerow([day.isoformat(), followers, gained, lost, followers * 3])
    return paths


def _timed(step, repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        step()
        times.append((time.perf_counter() - start) * 1000)
    return times


def _p95(values: list[float]) -> float:
    return sorted(values)[max(0, round(0.95 * len(values)) - 1)]


def main(argv: list[str] | None = None) -> int:
    import duckdb

    from dashboard import config
    from dashboard.filters import Filters
    from dashboard.ingest import ingest_file
    from dashboard.reports import tables
    from dashboard.store import db

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    out = args.out.resolve()
    out.mkdir(parents=True, exist_ok=True)
    receipts = out / f"receipts_{args.rows}.csv"
    if not receipts.exists():
        run_suite._write_canonical(receipts, args.rows)
    inputs = write_channel_inputs(out)
    ours_path = out / f"channels_{args.rows}.duckdb"
    bare_path = out / f"channels_bare_{args.rows}.duckdb"
    lines = [f"Run {datetime.now().isoformat(timespec='minutes')} on {platform.node()}, "
             f"{os.cpu_count()} CPUs; {args.rows:,} receipts; repeat {args.repeat}.", ""]

    # the receipts are loaded once (untimed here: run_suite.py measures that load)
    for path in (ours_path, bare_path):
        path.unlink(missing_ok=True)
    with db.connect(ours_path) as conn:
        for name in ("waves.csv",):
            ingest_file(conn, config.SAMPLE_DIR / name)
        ingest_file(conn, inputs["waves"])
        result = ingest_file(conn, receipts)
        assert result.outcome == "loaded", result.message
    bare = duckdb.connect(str(bare_path), config=config.duckdb_settings())
    bare.execute("CREATE TABLE receipts AS SELECT * FROM read_csv($path)", {"path": str(receipts)})

    # 1. loads
    lines += ["| file | rows | bare DuckDB (s) | dashboard ingest (s) | ours / bare |",
              "|---|---:|---:|---:|---:|"]
    with db.connect(ours_path) as conn:
        for kind, table in (("status_bar", "status_bar"), ("wa_updates", "wa_updates"),
                            ("wa_daily", "wa_daily")):
            start = time.perf_counter()
            bare.execute(f"CREATE TABLE {table} AS SELECT * FROM read_csv($path)",  # noqa: S608  literal names
                         {"path": str(inputs[kind])})
            bare_s = time.perf_counter() - start
            start = time.perf_counter()
            result = ingest_file(conn, inputs[kind], kind=kind)
            ours_s = time.perf_counter() - start
            assert result.outcome == "loaded", result.message
            lines.append(f"| {inputs[kind].name} | {result.counts.rows_read:,} | {bare_s:.3f} | "
                         f"{ours_s:.3f} | {ours_s / bare_s:.1f}x |")

    # 2. queries
    filter_sets = {
        "no filter": Filters(),
        "one operator": Filters(operators=("telkomsel",)),
        "3 provinces + operator": Filters(operators=("xl",), provinces=(31, 32, 33)),
        "period": Filters(date_from=date(2024, 1, 1), date_to=date(2024, 2, 10)),
    }
    lines += ["", "| table (4 filter sets) | ours p50 ms | ours p95 ms | bare p50 ms | "
              "bare p95 ms | ours / bare (p50) |", "|---|---:|---:|---:|---:|---:|"]
    page, bare_page = [], []
    with db.connect(ours_path, read_only=True) as conn:
        for name in KANAL_TABLES:
            ours, theirs = [], []
            for filters in filter_sets.values():
                tables.table(conn, name, filters)  # warm
                ours += _timed(lambda f=filters, n=name: tables.table(conn, n, f), args.repeat)
            for query in BARE_QUERIES[name]:
                bare.execute(query).fetchall()
            for _ in filter_sets:
                theirs += _timed(lambda n=name: [bare.execute(q).fetchall()
                                                 for q in BARE_QUERIES[n]], args.repeat)
            lines.append(f"| {name} | {statistics.median(ours):.1f} | {_p95(ours):.1f} | "
                         f"{statistics.median(theirs):.1f} | {_p95(theirs):.1f} | "
                         f"{statistics.median(ours) / statistics.median(theirs):.2f}x |")
        for filters in filter_sets.values():
            page += _timed(lambda f=filters: [tables.table(conn, n, f) for n in KANAL_TABLES],
                           args.repeat)
            bare_page += _timed(lambda: [bare.execute(q).fetchall() for n in KANAL_TABLES
                                         for q in BARE_QUERIES[n]], args.repeat)
    lines.append(f"| Kanal page (all four) | {statistics.median(page):.1f} | {_p95(page):.1f} | "
                 f"{statistics.median(bare_page):.1f} | {_p95(bare_page):.1f} | "
                 f"{statistics.median(page) / statistics.median(bare_page):.2f}x |")
    bare.close()
    text = "\n".join(lines) + "\n"
    (out / f"channels_{args.rows}.md").write_text(text, encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
