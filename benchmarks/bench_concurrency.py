"""Page latency while a 10 M-row load runs beside the app: the measured cost of the snapshot
design (issue 16; dashboard/store/snapshots.py).

A reader process plays the app: it runs the pages one after another with Streamlit's AppTest
(each page's script with its queries, statistics and charts), clearing the data cache before
every run so that every run queries the database, as a new filter would. It opens the
database the way the app does (the newest published snapshot). Meanwhile this process
alternates three phases, each --rounds times (idle, bare, ours, idle, bare, ours, ...), so
that drift on the machine falls on all three alike:
  idle   nothing else runs
  bare   bare DuckDB loads the round's new file into a scratch database
         (CREATE TABLE AS SELECT * FROM read_csv: any load of that size on these cores)
  ours   `python -m dashboard ingest FILE --db DB` loads a new file into the app's database
         (write lock, validation, pseudonymisation, rollups, checkpoint, snapshot publish),
         once per --nice value ($PEMILU_CLI_NICE: 0 = the app's priority; 10, the default)
A page run counts for a phase when it began and ended inside it. Every run on Ringkasan also
reads the 'Terkirim' tile: readers must see the whole load or none of it, never a part.

The database starts with --rows receipts (plus the sample's election results, survey and hoax
register); each of our loads adds --rows more (disjoint message ids), so the database grows
by --rows per load.

Usage: .venv/bin/python benchmarks/bench_concurrency.py --rows 10000000 [--rounds 2] [--nice 0 10]
Writes a markdown table to stdout and benchmarks/out/concurrency_<rows>.md (--out DIR).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import run_suite  # benchmarks/ is the script's folder, so it is on sys.path

REPO = Path(__file__).resolve().parents[1]
APP = REPO / "dashboard" / "web" / "app.py"
PAGES = ("app_pages/ringkasan.py", "app_pages/jangkauan.py", "app_pages/partisipasi.py",
         "app_pages/hoaks.py", "app_pages/kualitas_data.py",
         "app_pages/ringkasan_mingguan.py")
SETTLE_S = 3.0  # between phases, so a run does not straddle two


def step_reader(db_path: Path, samples: Path, stop: Path) -> None:
    """Run the pages in turn until `stop` exists; one JSON line per page run."""
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    os.environ["PEMILU_DB"] = str(db_path)
    at = AppTest.from_file(str(APP), default_timeout=600)
    at.run()  # imports and the first connection: not measured
    with samples.open("a") as out:
        while not stop.exists():
            for page in PAGES:
                st.cache_data.clear()
                began = time.time()
                at.switch_page(page).run()
                ended = time.time()
                failed = bool(at.exception) or any(e.value for e in at.error)
                sent = None
                if page.endswith("ringkasan.py"):
                    sent = next((int(m.value.replace(".", "")) for m in at.metric
                                 if m.label == "Terkirim"), None)
                out.write(json.dumps({"page": page, "began": began, "ended": ended,
                                      "failed": failed, "sent": sent}) + "\n")
                out.flush()


def _cli(*args: str, nice: int = 10) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "dashboard", *args], cwd=REPO, check=True,
                   stdout=subprocess.DEVNULL, env={**os.environ, "PEMILU_CLI_NICE": str(nice)})
    return time.perf_counter() - start


def _bare(path: Path, scratch: Path) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, str(Path(run_suite.__file__).resolve()), "--step", "bare",
                    "--format", "canonical", "--file", str(path), "--db", str(scratch)],
                   check=True, stdout=subprocess.DEVNULL)
    seconds = time.perf_counter() - start
    scratch.unlink(missing_ok=True)
    return seconds


def _input(out: Path, rows: int, index: int) -> Path:
    """File `index` of rows receipts: message ids index*rows .. (index+1)*rows - 1."""
    path = out / f"receipts_{rows}_part{index}.csv"
    if not path.exists():
        subprocess.run([sys.executable, "-c", (
            "import sys; from pathlib import Path; "
            "from dashboard.sample.receipts import stream_canonical_receipts, STREAM_SEED; "
            "stream_canonical_receipts(Path(sys.argv[1]), int(sys.argv[2]), "
            "seed=STREAM_SEED + int(sys.argv[3]), first_message=int(sys.argv[2]) * "
            "int(sys.argv[3]))"), str(path), str(rows), str(index)], cwd=REPO, check=True)
    return path


def _sent_total(db_path: Path) -> int:
    out = subprocess.run([sys.executable, "-c", (
        "import sys; from pathlib import Path; from dashboard.store import db; "
        "c = db.connect(Path(sys.argv[1]), read_only=True); "
        "print(c.execute('SELECT sum(receipts) FROM receipt_counts').fetchall()[0][0])"),
        str(db_path)], cwd=REPO, check=True, capture_output=True, text=True)
    return int(out.stdout.strip())


def _p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[18] if len(values) >= 20 else max(values)


def measure(rows: int, rounds: int, nices: list[int], out: Path) -> dict:
    work = out / f"concurrency_{rows}"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    db_path = work / "app.duckdb"
    files = [_input(out, rows, i) for i in range(rounds * len(nices) + 1)]
    _cli("ingest", str(files[0]), "--db", str(db_path))
    for name in ("election_results.csv", "survey_responses.csv", "hoax_register.csv"):
        _cli("ingest", str(REPO / "sample_data" / name), "--db", str(db_path))
    totals = [_sent_total(db_path)]

    samples, stop = work / "samples.jsonl", work / "stop"
    reader = subprocess.Popen([sys.executable, __file__, "--step", "reader", "--db",
                               str(db_path), "--samples", str(samples), "--stop", str(stop)],
                              cwd=REPO)
    phases: list[dict] = []
    try:
        while not samples.exists() or len(samples.read_text().splitlines()) < len(PAGES):
            time.sleep(1)  # the reader's first full pass: warm, not measured
        for k in range(1, rounds + 1):
            mine = files[1 + (k - 1) * len(nices):1 + k * len(nices)]
            time.sleep(SETTLE_S)
            began = time.time()
            bare_s = _bare(mine[0], work / "bare.duckdb")
            phases.append({"phase": "bare", "round": k, "began": began, "ended": time.time(),
                           "load_s": bare_s})
            longest = bare_s
            for nice, file in zip(nices, mine, strict=True):
                time.sleep(SETTLE_S)
                began = time.time()
                ours_s = _cli("ingest", str(file), "--db", str(db_path), nice=nice)
                phases.append({"phase": f"ours_{nice}", "round": k, "began": began,
                               "ended": time.time(), "load_s": ours_s})
                totals.append(_sent_total(db_path))
                longest = max(longest, ours_s)
            time.sleep(SETTLE_S)
            began = time.time()
            time.sleep(longest)  # as long as the longest load
            phases.append({"phase": "idle", "round": k, "began": began, "ended": time.time()})
        stop.touch()
        reader.wait(timeout=900)
        alone_s, ours_alone_s = [], []
        for k in range(1, rounds + 1):  # the same loads with no reader: the readers' cost
            alone_s.append(_bare(files[k], work / "bare.duckdb"))
            alone = work / "alone.duckdb"  # a fresh database: the base's size aside
            ours_alone_s.append(_cli("ingest", str(files[k]), "--db", str(alone), nice=0))
            shutil.rmtree(alone.with_name(alone.name + ".snapshots"), ignore_errors=True)
            alone.unlink()
    finally:
        stop.touch()
        if reader.poll() is None:
            reader.kill()
    runs = [json.loads(line) for line in samples.read_text().splitlines()]
    return {"rows": rows, "rounds": rounds, "nices": nices, "phases": phases, "runs": runs,
            "totals": totals, "bare_alone_s": alone_s,
            "ours_alone_s": ours_alone_s}


def summarise(result: dict) -> dict:
    by_phase: dict[str, list[dict]] = {"idle": [], "bare": [],
                                       **{f"ours_{n}": [] for n in result["nices"]}}
    for run in result["runs"]:
        for phase in result["phases"]:
            if phase["began"] <= run["began"] and run["ended"] <= phase["ended"]:
                by_phase[phase["phase"]].append({**run, "round": phase["round"]})
    summary: dict = {}
    idle_median = {p: statistics.median([r["ended"] - r["began"] for r in by_phase["idle"]
                                         if r["page"] == p] or [float("nan")]) for p in PAGES}
    for name, runs in by_phase.items():
        seconds = [r["ended"] - r["began"] for r in runs]
        summary[name] = {
            "runs": len(runs), "failed": sum(r["failed"] for r in runs),
            "p50_s": statistics.median(seconds) if seconds else None,
            "p95_s": _p95(seconds) if seconds else None,
            "per_page_p50_s": {p: statistics.median([r["ended"] - r["began"] for r in runs
                                                     if r["page"] == p])
                               for p in PAGES if any(r["page"] == p for r in runs)},
            # each run against its page's idle median: slow pages do not hide fast ones
            "p95_ratio_to_idle": _p95([(r["ended"] - r["began"]) / idle_median[r["page"]]
                                       for r in runs]) if runs else None,
            "sent_seen": sorted({r["sent"] for r in runs if r["sent"] is not None}),
        }
    loads = {name: [p["load_s"] for p in result["phases"] if p["phase"] == name]
             for name in by_phase if name != "idle"}
    summary["loads"] = {**loads, "bare_alone": result["bare_alone_s"],
                        "ours_alone": result["ours_alone_s"]}
    summary["totals"] = result["totals"]
    summary["whole_or_none"] = all(
        set(by_phase_sent) <= set(result["totals"])
        for by_phase_sent in (summary[n]["sent_seen"] for n in by_phase))
    return summary


def render(result: dict, summary: dict) -> str:
    rows = result["rows"]
    lines = [
        f"## Pages during a {rows:,}-receipt load ({datetime.now(UTC):%d %b %Y %H:%M} UTC)",
        "",
        f"`benchmarks/bench_concurrency.py --rows {rows} --rounds {result['rounds']}`; "
        f"{platform.python_version()}, {os.cpu_count()} cores. Database: "
        + ", ".join(f"{t:,}" for t in summary["totals"])
        + " receipts before and after each round. A page run: AppTest, cache cleared.",
        "",
        "| phase | page runs | failed | p50 (s) | p95 (s) | p95 of run / page's idle median |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    labels = [("idle", "idle"), ("bare", "during bare DuckDB's load (control)")] + [
        (f"ours_{n}", f"during `dashboard ingest` at nice {n}"
         + (" (the app's priority)" if n == 0 else "")) for n in result["nices"]]
    for name, label in labels:
        s = summary[name]
        lines.append(f"| {label} | {s['runs']} | {s['failed']} | "
                     f"{run_suite._num(s['p50_s'])} | {run_suite._num(s['p95_s'])} | "
                     f"{run_suite._ratio(s['p95_ratio_to_idle'])} |")
    names = [name for name, _ in labels]
    lines += ["", "| page | " + " | ".join(f"{n} p50 (s)" for n in names) + " |",
              "|---|" + "---:|" * len(names)]
    for page in PAGES:
        cells = [summary[n]["per_page_p50_s"].get(page) for n in names]
        lines.append(f"| {Path(page).stem} | "
                     + " | ".join(run_suite._num(c) for c in cells) + " |")
    loads = summary["loads"]

    def seconds(values: list[float]) -> str:
        return ", ".join(f"{v:.1f}" for v in values)

    lines += ["", "Loads (s): bare DuckDB beside the reader " + seconds(loads["bare"])
              + "; alone " + seconds(loads["bare_alone"]) + "; `dashboard ingest` beside the "
              "reader (CLI start to exit, snapshot included) "
              + "; ".join(f"at nice {n}: {seconds(loads[f'ours_{n}'])}" for n in result["nices"])
              + "; alone at nice 0, into a new database " + seconds(loads["ours_alone"]) + ".",
              "Totals the Ringkasan tile showed: "
              + "; ".join(f"{n} {summary[n]['sent_seen']}" for n in names)
              + f"; every one a whole state: {summary['whole_or_none']}."]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--nice", type=int, nargs="+", default=[0, 10],
                        help="PEMILU_CLI_NICE values for our loads, one load each per round")
    parser.add_argument("--out", type=Path, default=run_suite.DEFAULT_OUT)
    parser.add_argument("--step", choices=("reader",))
    parser.add_argument("--db", type=Path)
    parser.add_argument("--samples", type=Path)
    parser.add_argument("--stop", type=Path)
    args = parser.parse_args()
    if args.step == "reader":
        step_reader(args.db, args.samples, args.stop)
        return
    args.out.mkdir(parents=True, exist_ok=True)
    result = measure(args.rows, args.rounds, args.nice, args.out.resolve())
    summary = summarise(result)
    (args.out / f"concurrency_{args.rows}.json").write_text(
        json.dumps({"result": result, "summary": summary}, indent=1))
    text = render(result, summary)
    (args.out / f"concurrency_{args.rows}.md").write_text(text)
    print(text)


if __name__ == "__main__":
    main()
