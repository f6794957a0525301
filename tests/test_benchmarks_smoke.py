"""Smoke test of the benchmark suite (benchmarks/run_suite.py): the whole suite at a tiny N,
into a temporary folder. Outputs must exist and be well formed; timings are not checked
(speed is measured in BENCHMARKS.md, not in tests)."""

from __future__ import annotations

import importlib.util
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from dashboard.export.figures import chromium_available

ROOT = Path(__file__).resolve().parents[1]
SUITE = ROOT / "benchmarks" / "run_suite.py"
ROWS = 20_000
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def _load_suite():
    spec = importlib.util.spec_from_file_location("run_suite", SUITE)
    module = importlib.util.module_from_spec(spec)
    sys.modules["run_suite"] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return sys.modules["run_suite"]


suite = _load_suite()
FORMAT_KEYS = tuple(suite.FORMATS)
LABELS = {key: fmt.label for key, fmt in suite.FORMATS.items()}


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, subprocess.CompletedProcess]:
    out = tmp_path_factory.mktemp("suite")
    env = {**os.environ, "PEMILU_SECRET": "test-secret"}
    for name in (suite.MEMORY_ENV, suite.TEMP_ENV):
        env.pop(name, None)
    done = subprocess.run(
        [sys.executable, str(SUITE), "--sizes", str(ROWS), "--repeat", "1", "--load-repeat", "1",
         "--memory-limit", "1GB", "--temp-dir", str(out / "spill"), "--out", str(out)],
        capture_output=True, text=True, env=env, timeout=600, check=False)
    return out, done


@pytest.fixture(scope="module")
def results(run: tuple[Path, subprocess.CompletedProcess]) -> dict:
    out, done = run
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads((out / suite.RESULTS_JSON).read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def markdown(run: tuple[Path, subprocess.CompletedProcess], results: dict) -> str:
    return (run[0] / suite.RESULTS_MD).read_text(encoding="utf-8")


def _table_rows(markdown: str, heading: str) -> list[list[str]]:
    """The body rows of the first table after the heading line."""
    lines = markdown.splitlines()
    start = lines.index(heading)
    rows, seen_table = [], False
    for line in lines[start + 1:]:
        if line.startswith("|"):
            seen_table = True
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            if not all(set(c) <= set("-:") for c in cells):
                rows.append(cells)
        elif seen_table:
            break
    return rows[1:]  # without the header row


@pytest.mark.parametrize("key", FORMAT_KEYS)
@pytest.mark.parametrize("tool", suite.TOOLS)
def test_every_step_measured_every_row(results: dict, key: str, tool: str) -> None:
    measured = results["sizes"][str(ROWS)]["formats"][key][tool]
    assert "error" not in measured, measured
    assert measured["rows"] == ROWS
    assert measured["seconds"] > 0 and measured["rows_per_s"] > 0 and measured["peak_mb"] > 0


@pytest.mark.parametrize("key", FORMAT_KEYS)
def test_throughput_ratios_and_database(results: dict, key: str) -> None:
    entry = results["sizes"][str(ROWS)]["formats"][key]
    for tool in ("ours", "pandas"):
        expected = entry[tool]["rows_per_s"] / entry["bare"]["rows_per_s"]
        assert entry[f"{tool}_vs_bare_throughput"] == pytest.approx(expected)
    assert entry["ours"]["loaded"] == ROWS  # the streamed rows are all valid
    assert entry["ours"]["database_mb"] > 0
    assert (entry["file_mb"] > 0) and entry["file"].endswith((".csv", ".jsonl"))


@pytest.mark.parametrize("table", [*suite.PAGE_TABLES, suite.PAGE_P95])
def test_page_queries_have_percentiles(results: dict, table: str) -> None:
    queries = results["sizes"][str(ROWS)]["queries"]
    timing = queries["tables"][table]
    assert 0 < timing["p50_ms"] <= timing["p95_ms"]
    assert queries["database_mb"] > 0


@pytest.mark.parametrize("field", ["cpu", "cores", "ram_gb", "python", "duckdb", "pandas",
                                   "date"])
def test_run_describes_the_machine(results: dict, field: str) -> None:
    (run,) = results["runs"].values()
    assert run["machine"][field]
    assert run["command"].startswith(".venv/bin/python benchmarks/run_suite.py --sizes 20000")
    assert run["settings"]["memory_limit"] == "1GB"


@pytest.mark.parametrize(("heading", "rows_per_format"), [
    (f"## {ROWS:,} receipts", 3),  # the loading table: bare, ours, pandas
    ("### Per format", 1),
    ("## Scaling", 1),
])
def test_markdown_tables_have_a_row_per_format(markdown: str, heading: str,
                                               rows_per_format: int) -> None:
    rows = _table_rows(markdown, heading)
    labels = [cells[0] if heading != "## Scaling" else cells[1] for cells in rows]
    assert sorted(labels) == sorted(label for label in LABELS.values()
                                    for _ in range(rows_per_format))
    assert all("failed" not in cells for cells in rows)


def test_markdown_gives_the_command_and_query_table(markdown: str) -> None:
    assert f".venv/bin/python benchmarks/run_suite.py --sizes {ROWS}" in markdown
    rows = _table_rows(markdown, next(line for line in markdown.splitlines()
                                      if line.startswith("### Page queries")))
    assert [r[0] for r in rows][:len(suite.PAGE_TABLES)] == list(suite.PAGE_TABLES)
    assert all(re.fullmatch(r"[\d,]+\.\d", cell) for r in rows for cell in r[1:])


def test_plot_written(run: tuple[Path, subprocess.CompletedProcess], results: dict) -> None:
    out = run[0]
    if chromium_available():
        assert (out / suite.PLOT_PNG).read_bytes()[:8] == PNG_SIGNATURE
    else:
        assert (out / suite.PLOT_PNG).with_suffix(".html").stat().st_size > 0


def _entry(run: str, formats: tuple[str, ...], queries: bool) -> dict:
    entry = {"formats": {k: {"run": run, "label": k} for k in formats}}
    if queries:
        entry["queries"] = {"run": run}
    return entry


@pytest.mark.parametrize(("n", "formats", "queries", "kept_formats", "kept_runs"), [
    # another size: both sizes stay, both runs stay
    (5, ("canonical", "smpp"), True, {"1": {"canonical": "old", "smpp": "old"},
                                      "5": {"canonical": "new", "smpp": "new"}}, {"old", "new"}),
    # the same size, all formats and queries again: the old run is no longer referenced
    (1, ("canonical", "smpp"), True, {"1": {"canonical": "new", "smpp": "new"}}, {"new"}),
    # the same size, one format: the other format and the old queries stay
    (1, ("smpp",), False, {"1": {"canonical": "old", "smpp": "new"}}, {"old", "new"}),
])
def test_merge_updates_only_what_was_measured(n: int, formats: tuple[str, ...], queries: bool,
                                              kept_formats: dict, kept_runs: set) -> None:
    results = {"schema": suite.SCHEMA, "runs": {}, "sizes": {}}
    suite.merge(results, "old", {"command": "a"}, 1, _entry("old", ("canonical", "smpp"), True))
    merged = suite.merge(results, "new", {"command": "b"}, n, _entry("new", formats, queries))
    assert {size: {k: f["run"] for k, f in s["formats"].items()}
            for size, s in merged["sizes"].items()} == kept_formats
    assert set(merged["runs"]) == kept_runs
    assert merged["sizes"]["1"]["queries"]["run"] == ("new" if n == 1 and queries else "old")
