"""Weekly brief benchmark: how long the brief for one week takes, end to end.

Builds a database from every file of sample_data/ (untimed), then times, cold (a fresh
connection each run) and repeated:
  - the weekly summary (queries, statistics, narrative);
  - the brief as PDF (summary, charts to SVG in one Kaleido/Chromium session, Chromium
    printing the HTML to A4 pages);
  - the brief as HTML with SVG charts, and as HTML with interactive charts (no Chromium).
The issue's bound is 20 s for the PDF.

Usage: .venv/bin/python benchmarks/bench_brief.py [--week 2024-W07] [--repeat 3] [--db PATH]
Prints a markdown table (seconds) to paste into BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("PEMILU_SECRET", "benchmark-secret")
LIMIT_S = 20.0


def build_sample_db(path: Path) -> Path:
    from dashboard import cli
    from dashboard.ingest import ingest_file
    from dashboard.store import db

    with db.connect(path) as conn:
        for file in cli.sample_files():
            result = ingest_file(conn, file)
            if not result.ok:
                raise SystemExit(f"sample file failed to load: {result.summary()}")
    return path


def timed(step: Callable[[], object], repeat: int) -> list[float]:
    seconds = []
    for _ in range(repeat):
        started = time.perf_counter()
        step()
        seconds.append(time.perf_counter() - started)
    return seconds


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--week", default="2024-W07", help="ISO week (default: voting week)")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--lang", choices=("id", "en"), default="id")
    parser.add_argument("--db", type=Path, help="an existing database (default: build one)")
    args = parser.parse_args(argv)

    from dashboard.export.figures import chromium_available
    from dashboard.reports import brief, weekly
    from dashboard.store import db

    with tempfile.TemporaryDirectory(prefix="bench-brief-") as folder:
        out = Path(folder)
        started = time.perf_counter()
        path = args.db or build_sample_db(out / "sample.duckdb")
        build_s = time.perf_counter() - started

        def summary() -> weekly.WeeklySummary:
            with db.connect(path, read_only=True) as conn:
                return weekly.weekly_summary(conn, args.week, args.lang)

        steps: dict[str, Callable[[], object]] = {"weekly summary": summary}
        if chromium_available():
            steps["brief PDF (summary + charts + print)"] = (
                lambda: brief.brief_pdf(summary(), out / "brief.pdf"))
            steps["brief HTML, SVG charts"] = (
                lambda: brief.brief_html(summary(), static=True))
        steps["brief HTML, interactive charts (no Chromium)"] = (
            lambda: brief.brief_html(summary(), static=False))

        rows = []
        for name, step in steps.items():
            seconds = timed(step, args.repeat)
            rows.append((name, statistics.median(seconds), max(seconds)))

        pages = ""
        if (out / "brief.pdf").exists():
            import subprocess

            info = subprocess.run(["pdfinfo", str(out / "brief.pdf")], capture_output=True,
                                  text=True, check=False).stdout
            pages = next((line.split()[-1] for line in info.splitlines()
                          if line.startswith("Pages:")), "")

    print(f"Weekly brief {args.week} ({args.lang}), {args.repeat} runs each; "
          f"{platform.python_implementation()} {platform.python_version()}, "
          f"{os.cpu_count()} cores; database built in {build_s:.1f} s"
          + (f"; PDF {pages} pages" if pages else "") + ".\n")
    print("| step | median (s) | max (s) | under 20 s |")
    print("|---|---:|---:|:---:|")
    for name, median, worst in rows:
        print(f"| {name} | {median:.2f} | {worst:.2f} | {'yes' if worst < LIMIT_S else 'NO'} |")
    if not chromium_available():
        print("\nChromium not found: PDF and SVG steps skipped (apt-get install -y chromium).")
    return 0 if all(worst < LIMIT_S for _, _, worst in rows) else 1


if __name__ == "__main__":
    raise SystemExit(main())
