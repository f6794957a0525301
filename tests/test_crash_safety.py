"""Crash safety of the command line, each run in its own process as a scheduled job would be.

- SIGKILL at seeded random points of `ingest` (and of `init --sample`): the database opens,
  a file is either wholly present (ingest_log entry, receipts, rejects, rollups) or not at all,
  the rollups equal counts recomputed from receipts, and running the same command again ends
  in exactly the state of a clean run.
- A full disk (simulated with RLIMIT_FSIZE: Python ignores SIGXFSZ, so writes fail with EFBIG),
  an unwritable database path and a database held by another process (the running app) each
  end with a non-zero exit and one line on stderr that names the database and says what is
  wrong; the database keeps its previous contents.
"""

from __future__ import annotations

import ctypes
import os
import random
import resource
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import duckdb
import pytest

from dashboard.cli import sample_files
from dashboard.sample.receipts import stream_canonical_receipts
from dashboard.store import db
from tests.test_ingest_receipts import ROLLUPS_RECOUNTED  # recounted without our rollup SQL

ROOT = Path(__file__).resolve().parents[1]
ROWS = 250_000  # about 2 s of ingest on a 2-core machine: room for kill points inside it
BAD_SHARE = 0.001  # 250 rejected rows, so rejects are part of what must be all-or-nothing
SEED = 20240214
# the reasons below are asserted in English: the CLI's language when no --lang is given
ENV = {**os.environ, "PEMILU_SECRET": "test-secret", "PYTHONUNBUFFERED": "1",
       "PEMILU_LANG": "en"}
ENV.pop("PEMILU_DB", None)  # every run names its --db
# differ between equivalent runs (key_check: scrypt with a random salt per database)
VOLATILE = {"ingest_id", "started_at", "finished_at", "key_check", "applied_at"}
# an election file's rows go to election_results, or per regency to election_results_regency
KIND_TABLES = {"waves": ("waves",), "election": ("election_results", "election_results_regency"),
               "survey": ("survey_responses",), "hoax": ("hoax_reports",)}

# Kill points: a fraction of the CPU time of a clean run, drawn from each range (CPU time, not
# wall time: other jobs on the machine would stretch wall time and move the point). Of the
# ingest's CPU time, start-up (imports, connect) is about the first 30 %, then reading,
# validating, matching, writing and rollups; commit and close are the last few percent, which
# the "right after commit" case below hits exactly.
KILL_RANGES = [(0.0, 0.12), (0.3, 0.5), (0.5, 0.7), (0.7, 0.85), (0.85, 1.0)]
SAMPLE_KILL_RANGES = [(0.3, 0.6), (0.6, 0.95)]


def cli(*args: str | Path, preexec_fn: Callable[[], None] | None = None,
        ) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "dashboard", *map(str, args)], cwd=ROOT,
                          env=ENV, capture_output=True, text=True, timeout=300,
                          preexec_fn=preexec_fn, check=False)


def cpu_seconds(pid: int) -> float:
    """CPU time a running process used so far, all its threads (utime + stime of
    /proc/<pid>/stat). Progress measured in CPU time does not stretch on a busy machine."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def run_then_kill(args: list[str | Path], at_cpu_seconds: float) -> bool:
    """Run the CLI and SIGKILL it once it has used at_cpu_seconds of CPU; True when it was
    killed (not finished first)."""
    proc = subprocess.Popen([sys.executable, "-m", "dashboard", *map(str, args)], cwd=ROOT,
                            env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            text=True)
    try:
        while proc.poll() is None:
            if cpu_seconds(proc.pid) >= at_cpu_seconds:
                proc.send_signal(signal.SIGKILL)
                break
            time.sleep(0.002)
    except FileNotFoundError:  # exited between poll() and reading /proc
        pass
    _, err = proc.communicate()
    assert proc.returncode in (0, -signal.SIGKILL), err
    return proc.returncode == -signal.SIGKILL


def timed_clean_run(args: list[str | Path]) -> float:
    """Run the CLI to completion; the CPU seconds it used."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    done = cli(*args)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    assert done.returncode == 0, done.stderr
    return (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)


def kill_point(index: int, ranges: list[tuple[float, float]], cpu_total: float) -> float:
    low, high = ranges[index]
    return random.Random(SEED + index).uniform(low, high) * cpu_total


def fingerprint(path: Path) -> dict[str, tuple[int, int]]:
    """Row count and an order-free checksum of every table, leaving out run-specific ids
    and times."""
    with db.connect(path) as conn:
        tables = [r[0] for r in conn.execute(
            "SELECT table_name FROM duckdb_tables() WHERE schema_name = 'main' "
            "AND NOT temporary ORDER BY 1").fetchall()]
        result = {}
        for table in tables:
            columns = [r[0] for r in conn.execute(
                "SELECT column_name FROM duckdb_columns() WHERE table_name = $t "
                "ORDER BY column_index", {"t": table}).fetchall() if r[0] not in VOLATILE]
            # names from the catalogue; a table of run-specific ids only (reach_cells_state)
            # is fingerprinted by its row count
            listed = ", ".join(f'"{c}"' for c in columns) or "NULL AS nothing"
            result[table] = conn.execute(
                f"SELECT count(*), coalesce(sum(hash(r)), 0) "  # noqa: S608
                f"FROM (SELECT {listed} FROM {table}) AS r").fetchall()[0]
    return result


def assert_rollups_match_receipts(conn: duckdb.DuckDBPyConnection) -> None:
    for table, query in ROLLUPS_RECOUNTED.items():
        differing = conn.execute(
            f"SELECT count(*) FROM ((SELECT * FROM {table} EXCEPT ALL {query}) "  # noqa: S608
            f"UNION ALL ({query} EXCEPT ALL SELECT * FROM {table}))").fetchall()[0][0]
        assert differing == 0, f"{table} differs from receipts in {differing} rows"
    # every delivered (wave, day) has a slot; slots are 0..n-1 without gaps or repeats
    missing = conn.execute(
        "SELECT count(*) FROM (SELECT DISTINCT wave_id, send_date FROM receipts "
        "WHERE status = 'DELIVRD' EXCEPT SELECT wave_id, send_date FROM reach_slots)"
    ).fetchall()[0][0]
    assert missing == 0
    slots = conn.execute("SELECT count(*), count(DISTINCT slot), coalesce(max(slot), -1) "
                         "FROM reach_slots").fetchall()[0]
    assert slots[0] == slots[1] == slots[2] + 1


def assert_file_all_or_nothing(path: Path, file_name: str) -> bool:
    """The database opens and holds the file completely or not at all; True when loaded."""
    with db.connect(path) as conn:
        log = conn.execute(
            "SELECT ingest_id, outcome, rows_read, loaded, rejected FROM ingest_log "
            "WHERE file_name = $f", {"f": file_name}).fetchall()
        receipts, rejects = conn.execute(
            "SELECT (SELECT count(*) FROM receipts), (SELECT count(*) FROM rejects)"
        ).fetchall()[0]
        assert_rollups_match_receipts(conn)
        if not log:
            rollup_rows = conn.execute(
                "SELECT (SELECT count(*) FROM receipt_counts) + (SELECT count(*) FROM "
                "latency_histogram) + (SELECT count(*) FROM reach_slots) + "
                "(SELECT count(*) FROM reach_recipients) + "
                "(SELECT count(*) FROM reach_cells)").fetchall()[0][0]
            assert (receipts, rejects, rollup_rows) == (0, 0, 0)
            return False
        assert len(log) == 1, log
        ingest_id, outcome, rows_read, loaded, rejected = log[0]
        assert (outcome, rows_read) == ("loaded", ROWS)
        assert (receipts, rejects) == (loaded, rejected) == (ROWS - int(ROWS * BAD_SHARE),
                                                              int(ROWS * BAD_SHARE))
        other_ids = conn.execute(
            "SELECT count(*) FROM receipts WHERE ingest_id <> $id", {"id": ingest_id}
        ).fetchall()[0][0]
        assert other_ids == 0
        return True


def assert_sample_prefix_loaded(path: Path) -> int:
    """After an interrupted `init --sample`: the loaded files are the first k of the sample,
    each complete; returns k."""
    order = [p.name for p in sample_files()]
    with db.connect(path) as conn:
        log = conn.execute(
            "SELECT ingest_id, file_name, kind, outcome, loaded, rejected, replaced "
            "FROM ingest_log ORDER BY ingest_id").fetchall()
        assert {row[3] for row in log} <= {"loaded"}, log
        assert [row[1] for row in log] == order[:len(log)]
        for ingest_id, name, kind, _, loaded, rejected, _ in log:
            stored_rejects = conn.execute("SELECT count(*) FROM rejects WHERE ingest_id = $i",
                                          {"i": ingest_id}).fetchall()[0][0]
            assert stored_rejects == rejected, name
            if kind in KIND_TABLES:
                stored = sum(conn.execute(
                    f"SELECT count(*) FROM {table} "  # noqa: S608
                    "WHERE ingest_id = $i", {"i": ingest_id}).fetchall()[0][0]
                    for table in KIND_TABLES[kind])
                assert stored == loaded, name
        receipts_log = [row for row in log if row[2] == "receipts"]
        stored = conn.execute("SELECT count(*) FROM receipts").fetchall()[0][0]
        assert stored == sum(r[4] for r in receipts_log) - sum(r[6] for r in receipts_log)
        strays = conn.execute(
            "SELECT count(*) FROM receipts WHERE ingest_id NOT IN (SELECT ingest_id FROM "
            "ingest_log WHERE outcome = 'loaded')").fetchall()[0][0]
        assert strays == 0
        assert_rollups_match_receipts(conn)
    return len(log)


# ---------------------------------------------------------------------------------------------
# SIGKILL
# ---------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def big_file(tmp_path_factory) -> Path:
    return stream_canonical_receipts(tmp_path_factory.mktemp("crash") / "receipts_big.csv",
                                     ROWS, bad_share=BAD_SHARE)


@pytest.fixture(scope="module")
def clean_ingest(big_file, tmp_path_factory) -> tuple[float, dict]:
    """CPU seconds and end state of one uninterrupted ingest of big_file."""
    path = tmp_path_factory.mktemp("clean") / "clean.duckdb"
    cpu_total = timed_clean_run(["ingest", "--db", path, big_file])
    assert assert_file_all_or_nothing(path, big_file.name)
    return cpu_total, fingerprint(path)


@pytest.fixture(scope="module")
def clean_sample(tmp_path_factory) -> tuple[float, dict]:
    path = tmp_path_factory.mktemp("clean_sample") / "sample.duckdb"
    cpu_total = timed_clean_run(["init", "--sample", "--db", path])
    assert assert_sample_prefix_loaded(path) == len(sample_files())
    return cpu_total, fingerprint(path)


@pytest.mark.parametrize("index", range(len(KILL_RANGES)),
                         ids=[f"{low:.2f}-{high:.2f}" for low, high in KILL_RANGES])
def test_ingest_killed_at_a_random_point_leaves_all_or_nothing(index, big_file, clean_ingest,
                                                               tmp_path):
    cpu_total, clean_state = clean_ingest
    at = kill_point(index, KILL_RANGES, cpu_total)
    for attempt in range(3):
        # CPU time of one run still varies with the machine's load (DuckDB's threads wait
        # busily): when this run finished before the point, try again a little earlier
        path = tmp_path / f"killed_{attempt}.duckdb"
        killed = run_then_kill(["ingest", "--db", path, big_file], at * 0.85 ** attempt)
        if killed or KILL_RANGES[index][1] > 0.9:
            break
    assert killed or KILL_RANGES[index][1] > 0.9, "the ingest finished before the kill point"
    assert_file_all_or_nothing(path, big_file.name)

    done = cli("ingest", "--db", path, big_file)
    assert done.returncode == 0, done.stderr
    assert fingerprint(path) == clean_state


def test_ingest_killed_right_after_commit_keeps_the_file(big_file, clean_ingest, tmp_path):
    """The summary line is printed after COMMIT, before close (the checkpoint): kill there."""
    _, clean_state = clean_ingest
    path = tmp_path / "committed.duckdb"
    proc = subprocess.Popen([sys.executable, "-m", "dashboard", "ingest", "--db", str(path),
                             str(big_file)], cwd=ROOT, env=ENV, stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL, text=True)
    line = proc.stdout.readline()
    proc.send_signal(signal.SIGKILL)
    proc.communicate()
    assert "rows read" in line  # killed during close, or (rarely) just after it
    assert proc.returncode in (-signal.SIGKILL, 0)
    assert assert_file_all_or_nothing(path, big_file.name)

    done = cli("ingest", "--db", path, big_file)
    assert done.returncode == 0 and "already loaded" in done.stdout
    assert fingerprint(path) == clean_state


@pytest.mark.parametrize("index", range(len(SAMPLE_KILL_RANGES)),
                         ids=[f"{low:.2f}-{high:.2f}" for low, high in SAMPLE_KILL_RANGES])
def test_init_sample_killed_at_a_random_point_loads_a_prefix(index, clean_sample, tmp_path):
    cpu_total, clean_state = clean_sample
    path = tmp_path / "killed_sample.duckdb"
    killed = run_then_kill(["init", "--sample", "--db", path],
                           kill_point(index, SAMPLE_KILL_RANGES, cpu_total))
    assert killed or SAMPLE_KILL_RANGES[index][1] > 0.9, "init finished before the kill point"
    assert_sample_prefix_loaded(path)

    done = cli("init", "--sample", "--db", path)
    assert done.returncode == 0, done.stderr
    assert fingerprint(path) == clean_state


@pytest.mark.parametrize("kept_bytes", [0, 4096], ids=["empty", "first header only"])
def test_database_whose_creation_was_killed_gives_a_clear_error(kept_bytes, tmp_path):
    """DuckDB creates the file, then writes its headers: a kill in between (a window too short
    to hit with a timer) leaves a file DuckDB refuses to open. Say so, and what to do."""
    whole = tmp_path / "whole.duckdb"
    duckdb.connect(str(whole)).close()
    path = tmp_path / "cut.duckdb"
    path.write_bytes(whole.read_bytes()[:kept_bytes])
    waves = ROOT / "sample_data" / "waves.csv"

    done = cli("ingest", "--db", path, waves)
    assert_one_line_error(done, f"the database {path} is incomplete", "creation was interrupted",
                          "delete the file")
    path.unlink()
    assert cli("ingest", "--db", path, waves).returncode == 0


# ---------------------------------------------------------------------------------------------
# Full disk, unwritable path, database in use
# ---------------------------------------------------------------------------------------------

def assert_one_line_error(done: subprocess.CompletedProcess[str], *wanted: str) -> str:
    err = done.stderr.strip()
    assert done.returncode != 0
    assert "Traceback" not in done.stderr
    assert len(err.splitlines()) == 1 and err.startswith("error: "), err
    for text in wanted:
        assert text in err, err
    return err


def file_size_limit(limit: int) -> Callable[[], None]:
    def limit_writes() -> None:  # runs in the child between fork and exec
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
    return limit_writes


@pytest.mark.parametrize("existing", [True, False], ids=["existing database", "new database"])
def test_full_disk_gives_a_clear_error_and_keeps_the_database(existing, big_file, tmp_path):
    path = tmp_path / "full.duckdb"
    if existing:
        first = cli("ingest", "--db", path, ROOT / "sample_data" / "waves.csv",
                    ROOT / "sample_data" / "receipts_smartfren_sms01-05.csv")
        assert first.returncode == 0, first.stderr
        before = fingerprint(path)
        limit = path.stat().st_size + 256 * 1024  # the big file needs several MB more
    else:
        limit = 1024 * 1024

    done = cli("ingest", "--db", path, big_file, preexec_fn=file_size_limit(limit))
    assert_one_line_error(done, f"could not write the database {path}: the disk is full")

    after = fingerprint(path)  # opens
    with db.connect(path) as conn:
        loaded = conn.execute("SELECT file_name FROM ingest_log WHERE outcome = 'loaded' "
                              "ORDER BY ingest_id").fetchall()
        assert_rollups_match_receipts(conn)
    if existing:
        assert loaded == [("waves.csv",), ("receipts_smartfren_sms01-05.csv",)]
        # the failed attempt may be noted in ingest_log; every other table is as before
        assert {k: v for k, v in after.items() if k != "ingest_log"} == {
            k: v for k, v in before.items() if k != "ingest_log"}
        retry = cli("ingest", "--db", path, big_file)  # space freed: the same command works
        assert retry.returncode == 0, retry.stderr
        assert fingerprint(path)["receipts"][0] == (
            before["receipts"][0] + ROWS - int(ROWS * BAD_SHARE))
    else:
        assert loaded == [] and after["receipts"][0] == 0


def without_dac_override() -> None:
    """Run the child as root without the capabilities that let root write any file: dropped
    from the bounding set, so they are gone after exec too (PR_CAPBSET_DROP)."""
    libc = ctypes.CDLL(None, use_errno=True)
    for capability in (1, 2):  # CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH
        if libc.prctl(24, capability, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP)")


def read_only_file(tmp_path: Path) -> tuple[Path, Callable[[], None] | None]:
    path = tmp_path / "read_only.duckdb"
    done = cli("ingest", "--db", path, ROOT / "sample_data" / "waves.csv")
    assert done.returncode == 0, done.stderr
    path.chmod(0o444)
    if os.geteuid() != 0:
        return path, None
    probe = subprocess.run(["true"], preexec_fn=without_dac_override, check=False)
    if probe.returncode != 0:
        pytest.skip("cannot drop CAP_DAC_OVERRIDE here, and root writes any file")
    return path, without_dac_override


def under_proc(tmp_path: Path) -> tuple[Path, None]:
    return Path("/proc/pemilu-test/x.duckdb"), None


def under_a_file(tmp_path: Path) -> tuple[Path, None]:
    (tmp_path / "not_a_folder").write_text("x")
    return tmp_path / "not_a_folder" / "x.duckdb", None


@pytest.mark.parametrize("place", [under_proc, under_a_file, read_only_file],
                         ids=lambda f: f.__name__)
def test_unwritable_database_path_gives_a_clear_error(place, tmp_path):
    path, preexec_fn = place(tmp_path)
    before = path.read_bytes() if path.exists() else None

    done = cli("ingest", "--db", path, ROOT / "sample_data" / "hoax_register.csv",
               preexec_fn=preexec_fn)
    assert_one_line_error(done, f"cannot open the database {path} for writing")
    if before is not None:
        assert path.read_bytes() == before


HOLDER = """
import sys, time
import duckdb
conn = duckdb.connect(sys.argv[1], read_only=sys.argv[2] == "read_only")
print("ready", flush=True)
time.sleep(120)
"""


@pytest.mark.parametrize(("holder_mode", "command", "hint"), [
    ("read_write", "ingest", "stop it and run this command again"),
    ("read_only", "ingest", "stop it and run this command again"),
])
def test_database_held_by_another_process_gives_a_clear_error(holder_mode, command, hint,
                                                              tmp_path):
    """Another program (not this dashboard, whose processes take turns) holds the file: a
    load says so in one line and changes nothing."""
    path = tmp_path / "held.duckdb"
    first = cli("ingest", "--db", path, ROOT / "sample_data" / "waves.csv")
    assert first.returncode == 0, first.stderr
    before = fingerprint(path)
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(path), holder_mode],
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "ready"
        args = (["ingest", "--db", path, ROOT / "sample_data" / "hoax_register.csv"]
                if command == "ingest" else
                ["export", "reach_operator", "--out", tmp_path / "reach.csv", "--db", path])
        done = cli(*args)
    finally:
        holder.kill()
        holder.communicate()
    assert_one_line_error(done, str(path), "in use by another process",
                          f"PID {holder.pid}", hint)
    assert fingerprint(path) == before


def test_an_export_reads_the_published_snapshot_while_the_file_is_held(tmp_path):
    """Readers never open the file itself once a snapshot is published: an export runs while
    another process holds the database for writing."""
    path = tmp_path / "held.duckdb"
    first = cli("ingest", "--db", path, ROOT / "sample_data" / "waves.csv",
                ROOT / "sample_data" / "receipts_smartfren_sms01-05.csv")
    assert first.returncode == 0, first.stderr
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(path), "read_write"],
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "ready"
        done = cli("export", "reach_operator", "--out", tmp_path / "reach.csv", "--db", path)
    finally:
        holder.kill()
        holder.communicate()
    assert done.returncode == 0, done.stderr
    assert "smartfren" in (tmp_path / "reach.csv").read_text(encoding="utf-8-sig")


# ---------------------------------------------------------------------------------------------
# Full disk while writing an output (issue 13, finding 10c): the output is named, the disk said
# full, the database not blamed
# ---------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def small_db(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("outputs") / "small.duckdb"
    done = cli("ingest", "--db", path, ROOT / "sample_data" / "waves.csv",
               ROOT / "sample_data" / "receipts_smartfren_sms01-05.csv")
    assert done.returncode == 0, done.stderr
    return path


# (command, its arguments besides --db and --out, --out, what the message calls the output,
# file size limit in bytes: below the output's size, above anything written before it)
OUTPUTS = [
    ("export", ["reach_operator"], "reach.csv", "the export", 64),
    ("export", ["reach_province", "--format", "xlsx"], "reach.xlsx", "the export", 1024),
    ("lake", [], "lake", "the lake", 256),
    ("figure", ["tile_map", "--format", "html"], "map.html", "the figure", 4096),
]


@pytest.mark.parametrize(("command", "args", "name", "what", "limit"), OUTPUTS,
                         ids=[f"{c} {n}" for c, _, n, _, _ in OUTPUTS])
def test_full_disk_while_writing_an_output_names_it(small_db, tmp_path, command, args, name,
                                                    what, limit):
    out = tmp_path / name
    done = cli(command, *args, "--db", small_db, "--out", out,
               preexec_fn=file_size_limit(limit))
    err = assert_one_line_error(done, f"could not write {what} {out}: the disk is full")
    assert "database" not in err, err  # the database was only read
    assert not out.exists()
    assert [p.name for p in tmp_path.iterdir()] == []  # no partial or temp file left


def limited_from_here(write: Callable, limit: int) -> Callable:
    """write, run under a file size limit: the disk fills up just as the output is written
    (Chromium, which renders the brief's charts first, would not start under the limit)."""
    def limited(*args: object, **kwargs: object) -> object:
        soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, hard))  # Python ignores SIGXFSZ
        try:
            return write(*args, **kwargs)
        finally:
            resource.setrlimit(resource.RLIMIT_FSIZE, (soft, hard))
    return limited


@pytest.mark.parametrize("fmt", ["html", "pdf"])
def test_full_disk_while_writing_the_brief_names_it(small_db, tmp_path, monkeypatch, capsys,
                                                    fmt):
    from dashboard.cli import main
    from dashboard.export import files
    from dashboard.export.figures import chromium_available
    from dashboard.reports import brief

    if not chromium_available():
        pytest.skip("the brief's charts need Chromium")
    for module in (brief, files):
        monkeypatch.setattr(module, "write_atomically",
                            limited_from_here(files.write_atomically, 4096))
    out = tmp_path / f"brief.{fmt}"
    assert main(["brief", "--format", fmt, "--db", str(small_db), "--out", str(out),
                 "--lang", "en"]) == 1
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1, err
    assert err.startswith(f"error: could not write the brief {out}: the disk is full"), err
    assert "database" not in err and not out.exists()
    assert [p.name for p in tmp_path.iterdir()] == []


def test_full_disk_keeps_the_previous_lake(small_db, tmp_path):
    lake = tmp_path / "lake"
    assert cli("lake", "--db", small_db, "--out", lake).returncode == 0
    before = {p: p.read_bytes() for p in lake.rglob("*") if p.is_file()}
    done = cli("lake", "--db", small_db, "--out", lake, preexec_fn=file_size_limit(256))
    assert_one_line_error(done, f"could not write the lake {lake}: the disk is full",
                          "the previous lake, if any, is kept")
    assert {p: p.read_bytes() for p in lake.rglob("*") if p.is_file()} == before
    assert [p.name for p in tmp_path.iterdir()] == ["lake"]
