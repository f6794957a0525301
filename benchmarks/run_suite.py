"""Benchmark suite: ingest and page-query cost against N, for three input formats, one command.

For each N and each input format (canonical CSV; Telkomsel's export profile; SMPP JSON Lines)
the file is generated once (streamed with the sample generator, fixed seed, cached in the
output folder by name), then each step runs in a fresh process, so its peak memory (ru_maxrss)
is its own:
  - bare DuckDB: CREATE TABLE receipts AS SELECT * FROM read_csv(file), or read_ndjson(file)
    for JSON Lines, into a database file - the practical limit;
  - our ingest: dashboard.ingest.ingest_file (validation, pseudonymisation, accounting, merge,
    rollups) into a fresh database;
  - pandas, what an analyst would do without us: read the whole file (read_csv, or
    read_json(lines=True)) and group sent and delivered per operator and province.
Then, on the canonical file's database, every page's tables over five filter sets (p50/p95).

Results are merged into <out>/suite_results.json (a run updates the sizes and formats it
measured and keeps the rest), rewritten as <out>/suite_results.md, and drawn as a log-log plot
<out>/scaling.png (plotly + Kaleido with the system Chromium).

Usage:
  .venv/bin/python benchmarks/run_suite.py --sizes 1000000 10000000 [100000000]
      [--formats canonical telkomsel smpp] [--repeat 7] [--load-repeat 1]
      [--memory-limit 3GB --temp-dir /big/disk/tmp] [--delete-inputs] [--out DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shlex
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
DEFAULT_OUT = ROOT / "benchmarks" / "out"
RESULTS_JSON = "suite_results.json"
RESULTS_MD = "suite_results.md"
PLOT_PNG = "scaling.png"
SCHEMA = 1
MEMORY_ENV = "PEMILU_DUCKDB_MEMORY"  # the names dashboard/config.py reads
TEMP_ENV = "PEMILU_DUCKDB_TEMP"
BENCH_SECRET = "benchmark-secret"
POLL_S = 0.2
PAGE_P95 = "Jangkauan page (4 tables)"

PAGE_TABLES = ("reach_totals", "reach_wave", "reach_daily", "reach_operator", "reach_province",
               "reach_operator_province", "error_codes")
TOOLS = ("bare", "ours", "pandas")
TOOL_LABELS = {"bare": "bare DuckDB", "ours": "dashboard ingest", "pandas": "pandas"}

# Literal statements (no formatting): the reader is the only difference.
BARE_CSV = "CREATE TABLE receipts AS SELECT * FROM read_csv($path)"
BARE_NDJSON = "CREATE TABLE receipts AS SELECT * FROM read_ndjson($path)"


# --------------------------------------------------------------------------------------------
# Input formats
# --------------------------------------------------------------------------------------------

def _pandas_canonical(path: Path) -> tuple[Any, Callable[[Any], Any]]:
    import pandas as pd

    frame = pd.read_csv(path)

    def group(df: Any) -> Any:
        return (df.assign(delivered=df["status"].eq("DELIVRD"))
                .groupby(["operator", "province"], dropna=False)
                .agg(sent=("status", "size"), delivered=("delivered", "sum")))

    return frame, group


def _pandas_telkomsel(path: Path) -> tuple[Any, Callable[[Any], Any]]:
    import pandas as pd

    frame = pd.read_csv(path, sep=";")

    def group(df: Any) -> Any:  # one operator per export: no operator column
        return (df.assign(operator="telkomsel", delivered=df["STATUS"].eq("TERKIRIM"))
                .groupby(["operator", "WILAYAH"], dropna=False)
                .agg(sent=("STATUS", "size"), delivered=("delivered", "sum")))

    return frame, group


def _pandas_smpp(path: Path) -> tuple[Any, Callable[[Any], Any]]:
    import pandas as pd

    frame = pd.read_json(path, lines=True)

    def group(df: Any) -> Any:  # the state is inside the receipt text; keys vary in case
        state = df["receipt"].str.extract(r"(?i)\bstat:(\w+)", expand=False).str.upper()
        return (df.assign(delivered=state.eq("DELIVRD"))
                .groupby(["operator", "region"], dropna=False)
                .agg(sent=("receipt", "size"), delivered=("delivered", "sum")))

    return frame, group


def _write_canonical(path: Path, n: int) -> Path:
    from dashboard.sample.receipts import stream_canonical_receipts

    return stream_canonical_receipts(path, n)


def _write_telkomsel(path: Path, n: int) -> Path:
    from dashboard.sample.receipts import stream_profile_receipts

    return stream_profile_receipts(path, n, "telkomsel")


def _write_smpp(path: Path, n: int) -> Path:
    from dashboard.sample.receipts import stream_smpp_receipts

    return stream_smpp_receipts(path, n)


@dataclass(frozen=True)
class InputFormat:
    key: str
    label: str
    file_pattern: str  # {n}: the number of receipts
    bare_sql: str
    bare_label: str
    pandas_label: str
    write: Callable[[Path, int], Path]
    pandas_read: Callable[[Path], tuple[Any, Callable[[Any], Any]]]

    def file_name(self, n: int) -> str:
        return self.file_pattern.format(n=n)


FORMATS: dict[str, InputFormat] = {f.key: f for f in (
    InputFormat("canonical", "canonical CSV", "receipts_{n}.csv", BARE_CSV, "read_csv",
                "read_csv + groupby(operator, province)", _write_canonical, _pandas_canonical),
    InputFormat("telkomsel", "Telkomsel export (profile)", "receipts_telkomsel_{n}.csv",
                BARE_CSV, "read_csv", "read_csv(sep=';') + groupby(WILAYAH)",
                _write_telkomsel, _pandas_telkomsel),
    InputFormat("smpp", "SMPP JSON Lines", "receipts_smpp_{n}.jsonl", BARE_NDJSON,
                "read_ndjson", "read_json(lines=True) + str.extract(stat) + "
                "groupby(operator, region)", _write_smpp, _pandas_smpp),
)}


# --------------------------------------------------------------------------------------------
# Steps: each runs in its own process (--step) and prints one JSON line
# --------------------------------------------------------------------------------------------

def _peak_mb() -> float:
    """ru_maxrss. On Linux a child starts with its parent's high-water mark (exec keeps it), so
    the orchestrating process stays small: it never generates files or imports pandas,
    DuckDB or plotly before the last step has run."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux


def _hwm_mb() -> float | None:
    """VmHWM, this process's own peak resident memory (a cross-check of ru_maxrss)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except (OSError, ValueError, IndexError):
        pass
    return None


def step_bare(fmt: InputFormat, path: Path, db_path: Path) -> dict:
    import duckdb

    from dashboard import config

    # the same memory_limit / temp_directory as our ingest gets, so a bounded run is fair
    conn = duckdb.connect(str(db_path), config=config.duckdb_settings())
    start = time.perf_counter()
    conn.execute(fmt.bare_sql, {"path": str(path)})
    seconds = time.perf_counter() - start
    rows = conn.execute("SELECT count(*) FROM receipts").fetchall()[0][0]
    conn.close()
    return {"seconds": seconds, "rows": rows, "peak_mb": _peak_mb(), "hwm_mb": _hwm_mb()}


def step_ingest(path: Path, db_path: Path, extras: bool = True) -> dict:
    from dashboard.ingest import ingest_file
    from dashboard.store import db

    conn = db.connect(db_path)
    start = time.perf_counter()
    result = ingest_file(conn, path)
    seconds = time.perf_counter() - start
    if result.outcome != "loaded":
        raise RuntimeError(result.message)
    if extras:  # what the Partisipasi and Hoaks pages read; not timed
        from dashboard import config

        for name in ("election_results.csv", "survey_responses.csv", "hoax_register.csv"):
            ingest_file(conn, config.SAMPLE_DIR / name)
    conn.close()
    return {"seconds": seconds, "rows": result.counts.rows_read, "loaded": result.counts.loaded,
            "rejected": result.counts.rows_read - result.counts.loaded, "peak_mb": _peak_mb(),
            "hwm_mb": _hwm_mb()}


def step_pandas(fmt: InputFormat, path: Path) -> dict:
    start = time.perf_counter()
    frame, group = fmt.pandas_read(path)
    read_s = time.perf_counter() - start
    grouped = group(frame)
    seconds = time.perf_counter() - start
    return {"seconds": seconds, "read_seconds": read_s, "rows": len(frame),
            "groups": len(grouped), "delivered": int(grouped["delivered"].sum()),
            "peak_mb": _peak_mb(), "hwm_mb": _hwm_mb()}


def step_generate(fmt: InputFormat, path: Path, n: int) -> dict:
    start = time.perf_counter()
    fmt.write(path, n)
    return {"seconds": time.perf_counter() - start, "peak_mb": _peak_mb()}


def step_queries(db_path: Path, repeat: int) -> dict:
    from datetime import date

    from dashboard.filters import Filters
    from dashboard.reports import tables
    from dashboard.store import db

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
    timings[PAGE_P95] = page
    # pages whose statistics do not grow with receipts but read the reach rollups
    for label, names in (("Partisipasi page (provinces, tests, survey)",
                          ("participation_tests", "survey_tests")),
                         ("Hoaks page (weekly, tests)", ("hoax_weekly", "hoax_tests"))):
        for name in names:  # warm: imports (statsmodels) are a once-per-process cost
            tables.table(conn, name, Filters())
        for filters in filter_sets.values():
            # as many samples as the tables get (35 at --repeat 7): with fewer than 20, _p95
            # is the largest one, so one slow sample of 15 decided the page's target
            for _ in range(repeat):
                start = time.perf_counter()
                for name in names:
                    tables.table(conn, name, filters)
                timings.setdefault(label, []).append((time.perf_counter() - start) * 1000)
    conn.close()
    return {name: {"p50_ms": statistics.median(v), "p95_ms": _p95(v), "samples": len(v)}
            for name, v in timings.items()}


def _p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[18] if len(values) >= 20 else max(values)


def _run_step_here(args: argparse.Namespace) -> None:
    fmt = FORMATS[args.format] if args.format else None
    if args.step == "bare":
        result = step_bare(fmt, args.file, args.db)
    elif args.step == "ingest":
        result = step_ingest(args.file, args.db, extras=not args.no_extras)
    elif args.step == "pandas":
        result = step_pandas(fmt, args.file)
    elif args.step == "generate":
        result = step_generate(fmt, args.file, args.rows)
    else:
        result = step_queries(args.db, args.repeat)
    print(json.dumps(result))


# --------------------------------------------------------------------------------------------
# Running a step in a fresh process, with a memory guard
# --------------------------------------------------------------------------------------------

def _rss_bytes(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    return 0


def run_step(args: list[str], env: dict[str, str], cap_bytes: int) -> dict:
    """Run `run_suite.py --step ...` in a fresh process; its JSON, or {"error": why}.

    The child is killed if its resident memory passes cap_bytes (the machine is shared:
    pandas on a large JSON Lines file would otherwise take it all)."""
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        child = subprocess.Popen([sys.executable, str(Path(__file__).resolve()), *args],
                                 stdout=out, stderr=err, env=env, text=True)
        peak = 0
        while child.poll() is None:
            rss = _rss_bytes(child.pid)
            peak = max(peak, rss)
            if rss > cap_bytes:
                child.kill()
                child.wait()
                return {"error": f"stopped: resident memory passed the "
                                 f"{cap_bytes / 1e9:.1f} GB cap", "peak_mb": peak / 2**20}
            time.sleep(POLL_S)
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read(), err.read()
    if child.returncode != 0:
        last = [line for line in stderr.strip().splitlines() if line.strip()][-3:]
        return {"error": f"exit {child.returncode}: " + " | ".join(last)[-400:]}
    return json.loads(stdout.strip().splitlines()[-1])


def _remove_database(path: Path) -> None:
    for extra in (path, path.with_name(path.name + ".wal")):
        extra.unlink(missing_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    if tmp.is_dir():
        for child in tmp.iterdir():
            child.unlink()
        tmp.rmdir()


# --------------------------------------------------------------------------------------------
# The suite
# --------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Settings:
    out: Path
    repeat: int
    load_repeat: int
    memory_limit: str | None
    temp_dir: Path | None
    cap_bytes: int
    pandas: bool
    delete_inputs: bool
    keep_databases: bool

    def env(self) -> dict[str, str]:
        env = {**os.environ, "PEMILU_SECRET": os.environ.get("PEMILU_SECRET", BENCH_SECRET)}
        for name, value in ((MEMORY_ENV, self.memory_limit), (TEMP_ENV, self.temp_dir)):
            if value:
                env[name] = str(value)
            else:
                env.pop(name, None)  # a stray setting must not bound an unbounded run
        return env

    def described(self) -> dict[str, object]:
        return {"query_repeat": self.repeat, "load_repeat": self.load_repeat,
                "memory_limit": self.memory_limit,
                "temp_dir": str(self.temp_dir) if self.temp_dir else None,
                "step_memory_cap_gb": round(self.cap_bytes / 1e9, 1), "pandas": self.pandas}


def ensure_input(fmt: InputFormat, n: int, settings: Settings) -> tuple[Path, float | None]:
    """The cached input file, generated (streamed, in its own process) when missing; seconds
    spent generating."""
    path = settings.out / fmt.file_name(n)
    if path.exists():
        return path, None
    partial = path.with_name(path.name + ".part")  # an interrupted run leaves no bad cache
    done = run_step(["--step", "generate", "--format", fmt.key, "--file", str(partial),
                     "--rows", str(n)], settings.env(), settings.cap_bytes)
    if "error" in done:
        raise SystemExit(f"generating {path.name} failed: {done['error']}")
    seconds = done["seconds"]
    partial.replace(path)
    print(f"  generated {path.name} ({path.stat().st_size / 1e6:,.0f} MB) in {seconds:.1f} s",
          file=sys.stderr)
    return path, seconds


def _measure(step_args: list[str], settings: Settings, db_path: Path | None,
             repeat: int) -> dict:
    runs = []
    for _ in range(repeat):
        if db_path is not None:
            _remove_database(db_path)
        result = run_step(step_args, settings.env(), settings.cap_bytes)
        runs.append(result)
        if "error" in result:
            return result
    seconds = [r["seconds"] for r in runs]
    best = dict(runs[0])
    best.update(seconds=statistics.median(seconds), seconds_all=seconds,
                peak_mb=max(r["peak_mb"] for r in runs))
    best["rows_per_s"] = best["rows"] / best["seconds"] if best["seconds"] > 0 else None
    if db_path is not None and db_path.exists():
        best["database_mb"] = db_path.stat().st_size / 1e6
    return best


def measure_format(fmt: InputFormat, n: int, settings: Settings, run_id: str) -> dict:
    out = settings.out
    path, generate_s = ensure_input(fmt, n, settings)
    entry: dict[str, Any] = {"run": run_id, "label": fmt.label, "file": path.name,
                             "file_mb": path.stat().st_size / 1e6, "generate_seconds": generate_s,
                             "bare_sql": fmt.bare_sql.replace("$path", "file"),
                             "pandas_workflow": fmt.pandas_label}
    bare_db = out / f"bare_{fmt.key}_{n}.duckdb"
    ours_db = out / f"ours_{fmt.key}_{n}.duckdb"
    print(f"  {fmt.key}: bare DuckDB", file=sys.stderr)
    entry["bare"] = _measure(["--step", "bare", "--format", fmt.key, "--file", str(path),
                              "--db", str(bare_db)], settings, bare_db, settings.load_repeat)
    print(f"  {fmt.key}: dashboard ingest", file=sys.stderr)
    ingest_args = ["--step", "ingest", "--file", str(path), "--db", str(ours_db)]
    if fmt.key != "canonical":
        ingest_args.append("--no-extras")  # only the canonical database is queried
    entry["ours"] = _measure(ingest_args, settings, ours_db, settings.load_repeat)
    if settings.pandas:
        print(f"  {fmt.key}: pandas", file=sys.stderr)
        entry["pandas"] = _measure(["--step", "pandas", "--format", fmt.key, "--file",
                                    str(path)], settings, None, settings.load_repeat)
    bare_rate = entry["bare"].get("rows_per_s")
    for tool in ("ours", "pandas"):
        rate = entry.get(tool, {}).get("rows_per_s")
        entry[f"{tool}_vs_bare_throughput"] = rate / bare_rate if rate and bare_rate else None
    if not settings.keep_databases:
        _remove_database(bare_db)
        if fmt.key != "canonical":
            _remove_database(ours_db)
    if settings.delete_inputs:
        path.unlink()
    return entry


def measure_size(n: int, formats: list[str], settings: Settings, run_id: str) -> dict:
    entry: dict[str, Any] = {"formats": {}}
    for key in formats:
        entry["formats"][key] = measure_format(FORMATS[key], n, settings, run_id)
    if "canonical" in formats and "error" not in entry["formats"]["canonical"]["ours"]:
        ours_db = settings.out / f"ours_canonical_{n}.duckdb"
        print("  page queries", file=sys.stderr)
        tables = run_step(["--step", "queries", "--db", str(ours_db), "--repeat",
                           str(settings.repeat)], settings.env(), settings.cap_bytes)
        entry["queries"] = {"run": run_id, "database_mb": ours_db.stat().st_size / 1e6,
                            "repeat": settings.repeat, "filter_sets": 5,
                            **({"error": tables["error"]} if "error" in tables
                               else {"tables": tables})}
    return entry


# --------------------------------------------------------------------------------------------
# Machine, merging, report
# --------------------------------------------------------------------------------------------

def machine() -> dict[str, object]:
    cpu = platform.processor() or platform.machine()
    ram_gb = None
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                ram_gb = round(int(line.split()[1]) / 2**20, 1)
    except OSError:
        pass
    versions = {}
    for package in ("duckdb", "pandas", "pyarrow", "numpy", "plotly", "kaleido"):
        try:
            versions[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            versions[package] = None
    return {"cpu": cpu, "cores": os.cpu_count(), "ram_gb": ram_gb,
            "python": platform.python_version(), "os": platform.platform(), **versions,
            "date": datetime.now(UTC).isoformat(timespec="seconds"),
            "load_average_at_start": [round(x, 2) for x in os.getloadavg()]}


def command_line(argv: list[str]) -> str:
    return ".venv/bin/python benchmarks/run_suite.py " + shlex.join(argv)


def load_results(path: Path) -> dict:
    if path.exists():
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("schema") == SCHEMA:
            return data
    return {"schema": SCHEMA, "runs": {}, "sizes": {}}


def merge(results: dict, run_id: str, run: dict, n: int, entry: dict) -> dict:
    """Put one size's measurements into results: formats and queries measured now replace
    the old ones; everything else stays. Runs no entry refers to any more are dropped."""
    results["runs"][run_id] = run
    size = results["sizes"].setdefault(str(n), {"rows": n, "formats": {}})
    size["formats"].update(entry["formats"])
    if "queries" in entry:
        size["queries"] = entry["queries"]
    used = {f["run"] for s in results["sizes"].values() for f in s["formats"].values()}
    used |= {s["queries"]["run"] for s in results["sizes"].values() if "queries" in s}
    results["runs"] = {k: v for k, v in results["runs"].items() if k in used}
    return results


def write_atomically(path: Path, text: str) -> None:
    partial = path.with_name(path.name + ".part")
    partial.write_text(text, encoding="utf-8")
    partial.replace(path)


def _num(value: float | None, digits: int = 2) -> str:
    return "—" if value is None else f"{value:,.{digits}f}"


def _seconds(value: float | None) -> str:
    if value is None:
        return "—"
    return f"{value:,.2f}" if value >= 1 else f"{value:.3f}"


def _ratio(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}x"


def _sizes(results: dict) -> list[tuple[int, dict]]:
    return sorted(((int(k), v) for k, v in results["sizes"].items()), key=lambda kv: kv[0])


def _formats_in(size: dict) -> list[tuple[str, dict]]:
    return [(k, size["formats"][k]) for k in FORMATS if k in size["formats"]]


def render_markdown(results: dict, plot_note: str) -> str:
    sizes = _sizes(results)
    all_sizes = " ".join(str(n) for n, _ in sizes)
    lines = ["# Benchmark suite results", "",
             "Reproduce every size below with one command (each size's own run is listed "
             "under Runs):", "", "```bash",
             f".venv/bin/python benchmarks/run_suite.py --sizes {all_sizes}", "```", "",
             "Each step runs in a fresh process; peak memory is its ru_maxrss. Throughput "
             "ratios are rows/s over bare DuckDB's rows/s for the same file in the same run "
             "(1.00x = as fast as bare DuckDB; 0.45x = 45 % of its throughput).", "",
             "- **bare DuckDB**: `CREATE TABLE receipts AS SELECT * FROM read_csv(file)`; "
             "for JSON Lines `read_ndjson(file)` (newline-delimited `read_json`). Text is kept "
             "as text: no validation, no parsing of the SMPP receipt string.",
             "- **dashboard ingest**: `dashboard.ingest.ingest_file` into a fresh database "
             "(profile detected from the header; validation, pseudonymisation, duplicates, "
             "merge, rollups).",
             "- **pandas**: the whole file with `pandas.read_csv` (`sep=';'` for the "
             "Telkomsel export) or `pandas.read_json(lines=True)`, default engines, then "
             "sent and delivered per operator and province with `groupby`. Province spellings "
             "are grouped as written (no normalisation, no duplicate handling).", "",
             f"Plot: {plot_note}", "", "## Runs", ""]
    for run_id, run in sorted(results["runs"].items()):
        m = run["machine"]
        s = run["settings"]
        lines += [f"- `{run_id}`: `{run['command']}`",
                  f"  - {m['cpu']}, {m['cores']} cores, {m['ram_gb']} GB RAM; {m['os']}; "
                  f"Python {m['python']}, DuckDB {m['duckdb']}, pandas {m['pandas']} "
                  f"(pyarrow {m['pyarrow']}), numpy {m['numpy']}; {m['date']}; load average "
                  f"at start {', '.join(str(x) for x in m['load_average_at_start'])}, at end "
                  f"{', '.join(str(x) for x in run.get('load_average_at_end', [])) or '?'}",
                  f"  - the orchestrating process peaked at "
                  f"{_num(run.get('orchestrator_peak_mb'), 0)} MB (on Linux a step's ru_maxrss "
                  "starts from it, so it is the floor of the peak-memory column)",
                  f"  - DuckDB memory limit {s['memory_limit'] or 'default (80 % of RAM)'}, "
                  f"temp dir {s['temp_dir'] or 'default'}; load steps x{s['load_repeat']} "
                  f"(median), page queries x{s['query_repeat']}; a step is stopped above "
                  f"{s['step_memory_cap_gb']} GB resident"]
    lines += ["", "## Scaling", "",
              "| receipts | format | bare DuckDB s | dashboard ingest s | pandas s | "
              "ours vs bare (throughput) | Jangkauan page p95 ms |",
              "|---:|---|---:|---:|---:|---:|---:|"]
    for n, size in sizes:
        page = size.get("queries", {}).get("tables", {}).get(PAGE_P95, {}).get("p95_ms")
        for key, f in _formats_in(size):
            lines.append(
                f"| {n:,} | {f['label']} | {_seconds(f['bare'].get('seconds'))} | "
                f"{_seconds(f['ours'].get('seconds'))} | "
                f"{_seconds(f.get('pandas', {}).get('seconds'))} | "
                f"{_ratio(f.get('ours_vs_bare_throughput'))} | "
                f"{_num(page, 1) if key == 'canonical' else ''} |")
    for n, size in sizes:
        lines += ["", f"## {n:,} receipts", "", "### Loading", "",
                  "| format | step | seconds | rows/s | peak memory (MB) | "
                  "throughput vs bare DuckDB |", "|---|---|---:|---:|---:|---:|"]
        notes = []
        for _key, f in _formats_in(size):
            for tool in TOOLS:
                if tool not in f:
                    continue
                r = f[tool]
                what = {"bare": f"bare DuckDB CTAS {f['bare_sql'].split('FROM ')[1]}",
                        "ours": "dashboard ingest", "pandas": f"pandas {f['pandas_workflow']}"}
                ratio = {"bare": 1.0 if "error" not in r else None,
                         "ours": f.get("ours_vs_bare_throughput"),
                         "pandas": f.get("pandas_vs_bare_throughput")}[tool]
                if "error" in r:
                    notes.append(f"- {f['label']}, {TOOL_LABELS[tool]}: {r['error']}")
                    peak = r.get("peak_mb")
                    lines.append(f"| {f['label']} | {what[tool]} | failed | — | "
                                 f"{'>' + _num(peak, 0) if peak else '—'} | — |")
                    continue
                lines.append(f"| {f['label']} | {what[tool]} | {_seconds(r['seconds'])} | "
                             f"{_num(r['rows_per_s'], 0)} | {_num(r['peak_mb'], 0)} | "
                             f"{_ratio(ratio)} |")
        lines += ["", "### Per format", "",
                  "| format | file (MB) | bare DuckDB rows/s | dashboard rows/s | "
                  "ours vs bare (throughput) | pandas vs bare (throughput) | "
                  "our database (MB) | rows loaded / read |",
                  "|---|---:|---:|---:|---:|---:|---:|---:|"]
        for _key, f in _formats_in(size):
            ours = f["ours"]
            lines.append(
                f"| {f['label']} | {_num(f['file_mb'], 1)} | "
                f"{_num(f['bare'].get('rows_per_s'), 0)} | {_num(ours.get('rows_per_s'), 0)} | "
                f"{_ratio(f.get('ours_vs_bare_throughput'))} | "
                f"{_ratio(f.get('pandas_vs_bare_throughput'))} | "
                f"{_num(ours.get('database_mb'), 1)} | "
                f"{_num(ours.get('loaded'), 0)} / {_num(ours.get('rows'), 0)} |")
        if notes:
            lines += ["", *notes]
        queries = size.get("queries")
        if queries:
            lines += ["", f"### Page queries (canonical file's database, "
                          f"{queries['database_mb']:,.1f} MB on disk; "
                          f"{queries['filter_sets']} filter sets x {queries['repeat']} repeats, "
                          f"warm)", ""]
            if "error" in queries:
                lines.append(f"failed: {queries['error']}")
            else:
                lines += ["| page query | p50 ms | p95 ms |", "|---|---:|---:|"]
                lines += [f"| {name} | {v['p50_ms']:.1f} | {v['p95_ms']:.1f} |"
                          for name, v in queries["tables"].items()]
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------------------------
# Plot
# --------------------------------------------------------------------------------------------

COLORS = {"canonical": "#1f77b4", "telkomsel": "#d62728", "smpp": "#2ca02c"}
DASHES = {"ours": "solid", "bare": "dash", "pandas": "dot"}
SYMBOLS = {"ours": "circle", "bare": "square", "pandas": "diamond"}


def _log_ticks(low: float, high: float, label: Callable[[float], str]
               ) -> tuple[list[float], list[str]]:
    """Ticks at 1, 2 and 5 times each power of ten inside [low, high] (1 and 3 when the range
    spans more than four decades, so labels never crowd)."""
    import math

    steps = (1, 3) if high / low > 1e4 else (1, 2, 5)
    values = [m * 10.0 ** e for e in range(math.floor(math.log10(low)) - 1,
                                           math.ceil(math.log10(high)) + 1) for m in steps]
    values = [v for v in values if low <= v <= high]
    return values, [label(v) for v in values]


def _count_label(value: float) -> str:
    for power, suffix in ((1e9, "G"), (1e6, "M"), (1e3, "k")):
        if value >= power:
            return f"{value / power:g}{suffix}"
    return f"{value:g}"


def _seconds_label(value: float) -> str:
    if value < 1:
        return f"{value * 1000:g} ms"
    return f"{value:,.0f} s"


def scaling_figure(results: dict) -> Any:
    import math

    import plotly.graph_objects as go

    fig = go.Figure()
    sizes = _sizes(results)
    ys: list[float] = []
    for key, fmt in FORMATS.items():
        for tool in ("ours", "bare", "pandas"):
            points = [(n, s["formats"][key][tool]["seconds"]) for n, s in sizes
                      if key in s["formats"] and "seconds" in s["formats"][key].get(tool, {})]
            if not points:
                continue
            ys += [y for _, y in points]
            fig.add_trace(go.Scatter(
                x=[x for x, _ in points], y=[y for _, y in points], mode="lines+markers",
                name=f"{TOOL_LABELS[tool]} · {fmt.label}",
                line={"color": COLORS[key], "dash": DASHES[tool], "width": 2.5},
                marker={"symbol": SYMBOLS[tool], "size": 9}))
    page = [(n, s["queries"]["tables"][PAGE_P95]["p95_ms"] / 1000) for n, s in sizes
            if PAGE_P95 in s.get("queries", {}).get("tables", {})]
    if page:
        ys += [y for _, y in page]
        fig.add_trace(go.Scatter(
            x=[x for x, _ in page], y=[y for _, y in page], mode="lines+markers",
            name="Jangkauan page p95 (4 tables, canonical db)",
            line={"color": "black", "width": 3}, marker={"symbol": "x", "size": 10}))
    xs = [n for n, _ in sizes]
    if xs and ys:
        # a slope-1 guide through the first bare canonical point: parallel lines scale linearly
        anchor = next((s["formats"]["canonical"]["bare"]["seconds"] for _, s in sizes
                       if "seconds" in s["formats"].get("canonical", {}).get("bare", {})), None)
        if anchor is not None and len(xs) > 1:
            fig.add_trace(go.Scatter(
                x=[xs[0], xs[-1]], y=[anchor, anchor * xs[-1] / xs[0]], mode="lines",
                name="∝ N (linear guide)", line={"color": "#777777", "dash": "longdashdot",
                                                 "width": 2}))
            ys.append(anchor * xs[-1] / xs[0])
        x_lo, x_hi = min(xs) / 1.6, max(xs) * 1.6
        y_lo, y_hi = min(ys) / 2, max(ys) * 2
        x_ticks = _log_ticks(x_lo, x_hi, _count_label)
        y_ticks = _log_ticks(y_lo, y_hi, _seconds_label)
        fig.update_xaxes(range=[math.log10(x_lo), math.log10(x_hi)], tickvals=x_ticks[0],
                         ticktext=x_ticks[1])
        fig.update_yaxes(range=[math.log10(y_lo), math.log10(y_hi)], tickvals=y_ticks[0],
                         ticktext=y_ticks[1])
    runs = results["runs"].values()
    m = next(iter(runs))["machine"] if results["runs"] else {}
    subtitle = (f"{m.get('cpu', '')}, {m.get('cores', '')} cores, {m.get('ram_gb', '')} GB; "
                f"DuckDB {m.get('duckdb', '')}, pandas {m.get('pandas', '')}; "
                "solid: dashboard ingest, dashed: bare DuckDB, dotted: pandas")
    fig.update_xaxes(type="log", title={"text": "receipts in the file (N, log scale)"},
                     showgrid=True, gridcolor="#dddddd", ticks="outside", showline=True,
                     linecolor="#444444")
    fig.update_yaxes(type="log", title={"text": "wall time (log scale)"}, showgrid=True,
                     gridcolor="#dddddd", ticks="outside", showline=True, linecolor="#444444")
    fig.update_layout(
        title={"text": "Pemilu Damai 2024 dashboard: load and page cost against N<br>"
                       f"<sup>{subtitle}</sup>", "x": 0.01, "xanchor": "left"},
        template="plotly_white", width=1400, height=800,
        font={"family": "DejaVu Sans, Arial, sans-serif", "size": 16},
        legend={"x": 1.02, "y": 1, "xanchor": "left", "font": {"size": 14},
                "bordercolor": "#cccccc", "borderwidth": 1},
        margin={"l": 90, "r": 20, "t": 100, "b": 80})
    return fig


def write_plot(results: dict, path: Path) -> str:
    """Render the scaling plot; a sentence for the report saying what was written."""
    from dashboard.export.figures import ChromiumMissing, export_figures

    fig = scaling_figure(results)
    try:
        export_figures([(fig, path, "png")], scale=1.5)
        path.chmod(0o644)  # written through a private temp file (0600); others read it too
    except ChromiumMissing as exc:
        html = path.with_suffix(".html")
        export_figures([(fig, html, "html")])
        print(f"no PNG ({exc}); wrote {html}", file=sys.stderr)
        return f"`{html.name}` (interactive; no Chromium for the PNG)"
    return f"`{path.name}` (log-log: seconds against N)"


# --------------------------------------------------------------------------------------------
# Command line
# --------------------------------------------------------------------------------------------

def _ram_bytes() -> int:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 16 * 2**30


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", metavar="N",
                        help="numbers of receipts, e.g. 1000000 10000000")
    parser.add_argument("--formats", nargs="+", choices=tuple(FORMATS), default=list(FORMATS))
    parser.add_argument("--repeat", type=int, default=7, help="page-query repeats (default 7)")
    parser.add_argument("--load-repeat", type=int, default=1,
                        help="runs of each load step; the median is reported (default 1)")
    parser.add_argument("--memory-limit", help=f"DuckDB memory_limit, e.g. 3GB (sets "
                                               f"{MEMORY_ENV} for our ingest; bare DuckDB too)")
    parser.add_argument("--temp-dir", type=Path, help=f"DuckDB temp_directory ({TEMP_ENV})")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT,
                        help="folder for inputs, databases and results (default benchmarks/out)")
    parser.add_argument("--no-pandas", action="store_true", help="skip the pandas workflow")
    parser.add_argument("--step-memory-cap", type=float, default=None, metavar="GB",
                        help="stop a step whose resident memory passes this (default 60 %% of "
                             "RAM)")
    parser.add_argument("--delete-inputs", action="store_true",
                        help="delete each generated file after its measurements (disk space)")
    parser.add_argument("--keep-databases", action="store_true",
                        help="keep every database (default: only the canonical ingest's)")
    # internal: one step in this (fresh) process
    parser.add_argument("--step", choices=("bare", "ingest", "pandas", "queries", "generate"),
                        help=argparse.SUPPRESS)
    parser.add_argument("--rows", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--format", choices=tuple(FORMATS), help=argparse.SUPPRESS)
    parser.add_argument("--file", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--db", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--no-extras", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.step is None and not args.sizes:
        parser.error("--sizes is required")
    if args.sizes and min(args.sizes) < 1:
        parser.error("sizes must be positive")
    return args


def settings_from(args: argparse.Namespace) -> Settings:
    cap = args.step_memory_cap
    return Settings(out=args.out.resolve(), repeat=args.repeat, load_repeat=args.load_repeat,
                    memory_limit=args.memory_limit,
                    temp_dir=args.temp_dir.resolve() if args.temp_dir else None,
                    cap_bytes=int(cap * 1e9) if cap else int(_ram_bytes() * 0.6),
                    pandas=not args.no_pandas, delete_inputs=args.delete_inputs,
                    keep_databases=args.keep_databases)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    args = parse_args(argv)
    if args.step:
        _run_step_here(args)
        return 0
    settings = settings_from(args)
    settings.out.mkdir(parents=True, exist_ok=True)
    if settings.temp_dir:
        settings.temp_dir.mkdir(parents=True, exist_ok=True)
    run_id = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    run = {"command": command_line(argv), "machine": machine(), "settings": settings.described()}
    json_path = settings.out / RESULTS_JSON
    for n in sorted(set(args.sizes)):
        print(f"{n:,} receipts", file=sys.stderr)
        entry = measure_size(n, args.formats, settings, run_id)
        # merged and written after every size, so a long run keeps what it measured
        results = merge(load_results(json_path), run_id, run, n, entry)
        write_atomically(json_path, json.dumps(results, indent=2) + "\n")
    results = load_results(json_path)
    results["runs"][run_id]["orchestrator_peak_mb"] = round(_peak_mb(), 1)
    results["runs"][run_id]["load_average_at_end"] = [round(x, 2) for x in os.getloadavg()]
    write_atomically(json_path, json.dumps(results, indent=2) + "\n")
    note = write_plot(results, settings.out / PLOT_PNG)
    report = render_markdown(results, note)
    write_atomically(settings.out / RESULTS_MD, report)
    print(report)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
