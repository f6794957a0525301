"""Smoke tests of the profiling and storage benchmarks at a tiny N: they run, account for every
row and print their tables. Timings are not checked (BENCHMARKS.md measures speed)."""

from __future__ import annotations

import importlib.util
import os
import re
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from dashboard.ingest.privacy import contains_phone_number

ROOT = Path(__file__).resolve().parents[1]
ROWS = 5_000


def _suite():
    spec = importlib.util.spec_from_file_location("run_suite", ROOT / "benchmarks/run_suite.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["run_suite"] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def _run(script: str, *args: str) -> str:
    env = {**os.environ, "PEMILU_SECRET": "test-secret"}
    done = subprocess.run([sys.executable, str(ROOT / "benchmarks" / script), *args],
                          capture_output=True, text=True, env=env, timeout=300, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


@pytest.fixture(scope="module")
def profiled(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    folder = tmp_path_factory.mktemp("profile")
    receipts = folder / "receipts.csv"
    _suite().FORMATS["canonical"].write(receipts, ROWS)
    database = folder / "profiled.duckdb"
    return database, _run("profile_ingest.py", str(receipts), "--db", str(database))


def test_profile_accounts_for_the_file_and_names_the_staging(profiled: tuple[Path, str]) -> None:
    _, output = profiled
    assert f"{ROWS:,} read" in output
    assert "CREATE TEMP TABLE validated" in output  # the staging statement is profiled
    assert re.search(r"total wall [\d.]+ s, CPU [\d.]+ s; in SQL [\d.]+ s", output)


def test_profile_of_several_files_loads_them_in_turn_into_one_database(tmp_path: Path) -> None:
    first, second = tmp_path / "first.csv", tmp_path / "blast_0812-3456-7890.csv"
    _suite().FORMATS["canonical"].write(first, ROWS)
    _suite().FORMATS["canonical"].write(second, 2_000)  # the same seed: many of the same ids
    database = tmp_path / "two.duckdb"
    output = _run("profile_ingest.py", str(first), str(second), "--db", str(database))
    loads = re.findall(r"^([\w-]+)\.csv, loaded: ([\d,]+) read, ([\d,]+) loaded, ([\d,]+) stored "
                       r"ones replaced$", output, re.MULTILINE)
    assert [(name, read) for name, read, _, _ in loads] == [("first", f"{ROWS:,}"),
                                                           ("blast_nomor-disamarkan", "2,000")]
    assert not contains_phone_number(output)  # the file's name is printed as ingest keeps it
    assert len(re.findall(r"total wall [\d.]+ s", output)) == 2
    loaded, replaced = ([int(load[i].replace(",", "")) for load in loads] for i in (2, 3))
    assert loaded[0] == ROWS and loaded[1] > 0
    assert replaced == [0, loaded[1]]  # the second's loaded receipts are newer states of its ids
    with duckdb.connect(str(database), read_only=True) as conn:
        stored = conn.execute("SELECT count(*) FROM receipts").fetchall()[0][0]
    assert stored == sum(loaded) - sum(replaced)


def test_storage_benchmark_writes_both_and_times_both(profiled: tuple[Path, str],
                                                      tmp_path: Path) -> None:
    database, _ = profiled
    output = _run("bench_storage.py", "--db", str(database), "--out", str(tmp_path / "storage"),
                  "--repeat", "1")
    assert output.startswith(f"{ROWS:,} receipts")
    rows = [line for line in output.splitlines() if re.match(r"\| (native|parquet) \|", line)]
    assert [row.split("|")[1].strip() for row in rows] == ["native", "parquet"]
    assert list((tmp_path / "storage" / "lake").rglob("*.parquet"))  # the lake was written


def test_channel_benchmark_loads_every_channel_file_and_times_the_kanal_tables(
        tmp_path: Path) -> None:
    output = _run("bench_channels.py", "--rows", str(ROWS), "--repeat", "1",
                  "--out", str(tmp_path))
    # a year of daily rows: 366 days x 38 provinces x 4 operators; posts every third day
    loads = {row.split("|")[1].strip(): row.split("|")[2].strip()
             for row in output.splitlines() if re.match(r"\| \w+_year\.csv \|", row)}
    assert loads == {"status_bar_year.csv": "55,632", "wa_updates_year.csv": "122",
                     "wa_daily_year.csv": "366"}
    tables = [row.split("|")[1].strip() for row in output.splitlines()
              if re.match(r"\| (channel_wave|status_bar_province|wa_updates|wa_daily|Kanal "
                          r"page \(all four\)) \|", row)]
    assert tables == ["channel_wave", "status_bar_province", "wa_updates", "wa_daily",
                      "Kanal page (all four)"]


def test_row_rule_benchmark_times_every_rule() -> None:
    output = _run("bench_row_rules.py", "--rows", str(ROWS), "--repeat", "1")
    timed = [row.split("|")[1].strip() for row in output.splitlines()
             if re.match(r"\| .+ \| [0-9,.]+ \|$", row)]
    assert len(timed) == 8 and timed[0] == "scan of the column (the floor)"
