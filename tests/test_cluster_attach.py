"""Large-campaign mode: a database attached from the rollups a cluster computed serves every
page's table as the native database does with the sketch in use, to the row, without the raw
receipts (dashboard/cluster/attach.py). The attach path is proven without Spark on a folder
that DuckDB writes from the same shared files (queries/rollups/), and with Spark (marker
`spark`) on the folder `cluster rollups` writes; the sketch's registers merge across engines."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from dashboard import config
from dashboard.filters import Filters
from dashboard.store import db, large_campaign
from dashboard.store.rollups import SHARED, rollup_sql
from dashboard.store.sketch import PRECISION

# fixtures: the small odd campaign and the sample read by Spark (spark: tests/conftest.py)
from tests.test_cluster_ingest import sample_cluster  # noqa: F401
from tests.test_cluster_rollups import odd_db  # noqa: F401

# the default filters and one case per filter (an operator, a province, a wave, a period)
FILTERS = {
    "all": Filters(),
    "operator": Filters(operators=("telkomsel",)),
    "province": Filters(provinces=(32,)),
    "wave": Filters(waves=("SMS03",)),
    "period": Filters(date_from=pd.Timestamp("2024-01-20").date(),
                      date_to=pd.Timestamp("2024-02-05").date()),
}
# tables left out of the comparisons per filter: the experiment's results are national (no
# filter narrows them) and slow to recount; compared once, below
NEEDS_RAW = {"experiment_results"}
# the stored planes with their slot's (wave, day): slots are local to a database
PLANES = ("SELECT sl.wave_id, sl.send_date, s.operator, s.province_code, s.plane, "
          "s.bits::VARCHAR AS bits FROM reach_sketch AS s JOIN reach_slots AS sl USING (slot) "
          "ORDER BY ALL NULLS FIRST")


def _shared_rows(conn: duckdb.DuckDBPyConnection, table: str) -> pd.DataFrame:
    return conn.execute(rollup_sql(table, "SELECT * FROM receipts")).df()


def _replay_inputs(native: duckdb.DuckDBPyConnection, conn: duckdb.DuckDBPyConnection
                   ) -> None:
    """What attach's build_sketch reads besides the register rows, from a native database:
    the files per (wave, day) pair (temp table cluster_reach_pair_files) and the waves
    catalogue (the cap on uncatalogued waves is decided against it)."""
    pair_files = _shared_rows(native, "reach_pair_files")  # noqa: F841 - read by DuckDB
    catalogue = native.execute("SELECT * FROM waves").df()  # noqa: F841 - read by DuckDB
    conn.execute("CREATE TEMP TABLE cluster_reach_pair_files AS SELECT * FROM pair_files")
    conn.execute("INSERT INTO waves BY NAME SELECT * FROM catalogue")


def write_folder(database: Path, folder: Path, *, sample: bool = True) -> Path:
    """A rollups folder as `cluster rollups` writes it (one Parquet file per rollup and a
    manifest), computed by DuckDB from the same shared files over the stored receipts."""
    folder.mkdir(parents=True)
    rows = {}
    with db.connect(database, read_only=True) as conn:
        for table in SHARED:
            (folder / table).mkdir()
            frame = _shared_rows(conn, table)  # noqa: F841 - read by DuckDB below
            conn.execute(f"COPY frame TO '{folder / table / 'part-0.parquet'}' (FORMAT parquet)")
            rows[table] = len(frame)
    manifest = {"engine": "duckdb", "lake": str(database), "master": None,
                "created_at": "2026-12-06T05:00:00+00:00", "sample": sample,
                "sketch_precision": PRECISION,
                "rollups": {table: {"path": table, "rows": n} for table, n in rows.items()},
                "definitions": {table: f"queries/rollups/{table}.sql" for table in SHARED}}
    (folder / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    return folder


def attached_database(path: Path, folder: Path, accounting: Path | None = None) -> Path:
    """The sample's other files loaded natively (waves catalogue, KPU results, survey, hoax
    register, other channels, the frozen plan), then the receipts' rollups attached (with the
    cluster's accounting of the receipts files when given)."""
    from dashboard.cli import sample_files
    from dashboard.cluster.attach import attach
    from dashboard.ingest import ingest_file
    from dashboard.sample.experiment import freeze_sample_plan

    with db.connect(path) as conn:
        freeze_sample_plan(conn)
        for file in sample_files(config.SAMPLE_DIR):
            if not file.name.startswith("receipts_"):
                assert ingest_file(conn, file).ok, file.name
        attach(conn, folder, accounting)
    return path


@pytest.fixture(scope="module")
def attached_db(tmp_path_factory, sample_db):
    folder = tmp_path_factory.mktemp("attach")
    rollups = write_folder(sample_db, folder / "rollups")
    return attached_database(folder / "attached.duckdb", rollups)


@pytest.fixture
def sketch_in_use(monkeypatch):
    """The native database shows estimated unique reach, as the attached one always does."""
    monkeypatch.setenv(config.EXACT_REACH_ENV, "approximate")


def _tables(database: Path, filters: Filters) -> dict[str, pd.DataFrame]:
    from dashboard.reports.tables import TABLES, table

    with db.connect(database, read_only=True) as conn:
        return {name: table(conn, name, filters) for name in TABLES if name not in NEEDS_RAW}


@pytest.mark.parametrize("case", list(FILTERS))
def test_every_table_of_the_attached_database_is_the_native_one(sample_db, attached_db,
                                                                sketch_in_use, case):
    native, attached = _tables(sample_db, FILTERS[case]), _tables(attached_db, FILTERS[case])
    assert attached["reach_totals"]["unique_reach_approximate"].all()  # the sketch, said so
    assert len(attached["reach_operator"]) >= 1
    # the load accounting: the files loaded here; the receipts files were read by the cluster
    # (the page says so), so the native log has those rows besides
    log = native.pop("data_quality")
    assert (log["kind"] == "receipts").sum() >= 5
    pd.testing.assert_frame_equal(
        attached.pop("data_quality").drop(columns=["ingest_id", "loaded_at"]),
        log[log["kind"] != "receipts"].drop(columns=["ingest_id", "loaded_at"]
                                            ).reset_index(drop=True))
    assert native.keys() == attached.keys()
    for name, frame in native.items():
        pd.testing.assert_frame_equal(attached[name], frame, obj=name)


def test_the_attached_rollups_are_the_native_tables(sample_db, attached_db):
    with db.connect(sample_db, read_only=True) as native, \
            db.connect(attached_db, read_only=True) as attached:
        for table in ("receipt_counts", "latency_histogram", "reach_cells"):
            query = f"SELECT * FROM {table} ORDER BY ALL NULLS FIRST"  # noqa: S608
            assert attached.execute(query).fetchall() == native.execute(query).fetchall()
        assert attached.execute(PLANES).fetchall() == native.execute(PLANES).fetchall()
        for table in ("receipts", "reach_recipients"):
            assert attached.execute(f"SELECT count(*) FROM {table}").fetchall() == [(0,)]  # noqa: S608


@pytest.mark.parametrize("name", ["reach_totals", "reach_operator", "reach_wave"])
def test_an_exact_export_gets_the_labelled_estimate_never_zero(sample_db, attached_db, name,
                                                               sketch_in_use):
    """The CLI export asks for exact unique reach (approximate=False); without
    reach_recipients the attached database gives the estimate, marked as one."""
    from dashboard.reports.tables import table

    with db.connect(sample_db, read_only=True) as native, \
            db.connect(attached_db, read_only=True) as attached:
        estimated = table(native, name, Filters(), approximate=True)
        exported = table(attached, name, Filters(), approximate=False)
    assert exported["unique_reach_approximate"].all()
    assert (exported["unique_reach"] > 0).all()
    pd.testing.assert_frame_equal(exported, estimated)


def test_a_receipts_file_is_refused_in_large_campaign_mode(tmp_path, odd_db):  # noqa: F811
    from dashboard.cluster.attach import attach
    from dashboard.ingest import ingest_file
    from tests.conftest import HEADER, write
    from tests.test_cluster_rollups import SECOND

    path = tmp_path / "attached.duckdb"
    with db.connect(path) as conn:
        attach(conn, write_folder(odd_db, tmp_path / "rollups", sample=False))
        before = conn.execute("SELECT * FROM receipt_counts ORDER BY ALL").fetchall()
        result = ingest_file(conn, write(tmp_path, "receipts_more.csv", [HEADER, *SECOND]))
        assert result.outcome == "failed"
        assert "large-campaign mode" in result.message
        assert conn.execute("SELECT * FROM receipt_counts ORDER BY ALL").fetchall() == before
        assert conn.execute("SELECT count(*) FROM receipts").fetchall() == [(0,)]


def test_the_waves_already_sent_are_known_without_receipts(sample_db, attached_db):
    """Freezing a plan warns about its waves that have receipts: the rollup tells them."""
    from dashboard.experiment.plan import waves_with_receipts

    plan = {"waves": ["SMS08", "SMS09", "SMS99"]}
    with db.connect(sample_db, read_only=True) as native, \
            db.connect(attached_db, read_only=True) as conn:
        assert waves_with_receipts(conn, plan) == waves_with_receipts(native, plan) == [
            "SMS08", "SMS09"]


def test_the_last_load_is_the_time_the_cluster_computed(tmp_path, odd_db):  # noqa: F811
    from dashboard.cluster.attach import attach

    path = tmp_path / "attached.duckdb"
    with db.connect(path) as conn:
        attach(conn, write_folder(odd_db, tmp_path / "rollups", sample=False))
        found = db.run(conn, "marts/weekly_last_load").iloc[0]
    assert found["last_loaded_at"] == pd.Timestamp("2026-12-06T05:00:00Z")
    assert found["files"] == 0
    with db.connect(path, read_only=True) as conn:
        fresh = db.run(conn, "marts/weekly_freshness", date_from=None, date_to=None,
                       provinces=None).set_index("operator")["last_loaded_at"]
    # the odd campaign's operators: their numbers arrived with the rollups; the others none
    assert fresh[["indosat", "telkomsel"]].tolist() == [pd.Timestamp("2026-12-06T05:00Z")] * 2
    assert fresh.drop(["indosat", "telkomsel"]).isna().all()


def test_the_experiment_s_compliance_comes_from_the_cluster_s_rollup(sample_db, attached_db):
    """The sample's frozen regency experiment: compliance and the complier effect from the
    rollup unit_receipt_counts, as natively (tests/test_experiment_large_campaign.py has the
    marts' rows; a design by numbers still needs the raw receipts)."""
    from dashboard.reports.tables import table

    found = []
    for path in (sample_db, attached_db):
        with db.connect(path, read_only=True) as conn:
            found.append(table(conn, "experiment_results"))
    native, results = found
    assert len(results) > 0
    assert results["compliance_blast"].notna().all()
    assert results["complier_estimate"].notna().any()
    pd.testing.assert_frame_equal(results, native)


def test_the_provenance_of_receipts_names_the_cluster_and_marks_sample_data(attached_db,
                                                                           sample_db):
    from dashboard.export.provenance import provenance

    # the manifest's engine, lake and time (05:00 UTC is 12:00 WIB)
    said_by_lang = {
        "en": f"Delivery numbers computed by duckdb from the lake {sample_db} (6 Dec 2026 "
              "12:00 WIB); this database holds no raw receipts.",
        "id": f"Angka laporan pengiriman dihitung oleh duckdb dari lake {sample_db} (6 Des "
              "2026 12:00 WIB); basis data ini tidak memuat laporan mentah."}
    with db.connect(attached_db, read_only=True) as conn:
        for lang, words in said_by_lang.items():
            said = provenance(conn, ("receipts",), Filters(), lang)
            assert said.sample  # the manifest says sample: the outputs are marked
            assert any(line.endswith(words) for line in said.sources), said.sources


# --- the sketch from register rows ----------------------------------------------------------

@pytest.mark.parametrize("rank", range(1, 64 - PRECISION + 2))
@pytest.mark.parametrize("register", [0, 1, 2 ** PRECISION - 1])
def test_a_register_row_gives_its_register_and_rank_back(register, rank):
    """The representative key of attach_sketch.sql has the row's register and rank."""
    from dashboard.cluster.attach import build_sketch

    conn = db.memory_connection()
    conn.execute("CREATE TEMP TABLE cluster_reach_registers AS SELECT 'W' AS wave_id, "
                 "DATE '2024-02-01' AS send_date, 'xl' AS operator, 32::SMALLINT AS "
                 "province_code, $register AS register, $rank AS rank",
                 {"register": register, "rank": rank})
    conn.execute("CREATE TEMP TABLE cluster_reach_pair_files AS SELECT 'W' AS wave_id, "
                 "DATE '2024-02-01' AS send_date, 1 AS ingest_id")
    build_sketch(conn)
    assert conn.execute("SELECT register, rank FROM sketch_registers(NULL, NULL, NULL, NULL, "
                        "NULL)").fetchall() == [(register, rank)]


@pytest.mark.parametrize("database", ["sample_db", "odd_db"])
def test_the_register_rows_of_the_stored_receipts_build_the_stored_sketch(request, database):
    from dashboard.cluster.attach import build_sketch

    path = request.getfixturevalue(database)
    with db.connect(path, read_only=True) as native:
        registers = _shared_rows(native, "reach_registers")  # noqa: F841 - read by DuckDB
        expected = native.execute(PLANES).fetchall()
        conn = db.memory_connection()
        _replay_inputs(native, conn)
    conn.execute("CREATE TEMP TABLE cluster_reach_registers AS SELECT * FROM registers")
    build_sketch(conn)
    assert len(expected) > 3
    assert conn.execute(PLANES).fetchall() == expected


# --- refusals ---------------------------------------------------------------------------------

def _edit_manifest(change):
    def edit(folder: Path) -> None:
        said = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
        change(said)
        (folder / "manifest.json").write_text(json.dumps(said), encoding="utf-8")
    return edit


def _drop_rollup(folder: Path) -> None:
    (folder / "reach_cells" / "part-0.parquet").unlink()


def _drop_column(folder: Path) -> None:
    """reach_cells rewritten without its recipients (as many rows as the manifest says)."""
    part = folder / "reach_cells" / "part-0.parquet"
    with duckdb.connect() as conn:
        conn.execute(f"COPY (SELECT * EXCLUDE (recipients) FROM '{part}') TO "  # noqa: S608
                     f"'{part}.new' (FORMAT parquet)")  # the test's own temporary path
    Path(f"{part}.new").replace(part)


@pytest.mark.parametrize(("spoil", "key", "english"), [
    (lambda f: (f / "manifest.json").unlink(), "cluster.attach.no_manifest",
     r"has no manifest\.json"),
    (lambda f: (f / "manifest.json").write_text("{not json"), "cluster.attach.bad_manifest",
     r"field JSON is missing or wrong"),
    (_edit_manifest(lambda m: m.pop("engine")), "cluster.attach.bad_manifest",
     r"field engine is"),
    (_edit_manifest(lambda m: m.update(created_at="yesterday")), "cluster.attach.bad_manifest",
     r"field created_at is"),
    (_edit_manifest(lambda m: m.update(sample=None)), "cluster.attach.sample_unknown",
     r"does not say whether the lake holds sample data"),
    (_edit_manifest(lambda m: m.update(sketch_precision=14)), "cluster.attach.precision",
     r"precision 14, this dashboard uses 12"),
    (_edit_manifest(lambda m: m["rollups"].pop("reach_registers")),
     "cluster.attach.bad_manifest", r"field rollups\.reach_registers is"),
    # rollups of a version before compliance's rollup: computed again, never attached
    (_edit_manifest(lambda m: m["rollups"].pop("unit_receipt_counts")),
     "cluster.attach.bad_manifest", r"field rollups\.unit_receipt_counts is"),
    (_edit_manifest(lambda m: m["rollups"]["reach_cells"].update(path="../elsewhere")),
     "cluster.attach.missing_files", r"no Parquet files for reach_cells"),
    (_drop_rollup, "cluster.attach.missing_files", r"no Parquet files for reach_cells"),
    (_drop_column, "cluster.attach.columns",
     r"reach_cells: its Parquet files lack the columns recipients"),
    (_edit_manifest(lambda m: m["rollups"]["receipt_counts"].update(rows=1)),
     "cluster.attach.rows_differ", r"receipt_counts: the manifest says 1 rows, the files hold"),
    (_edit_manifest(lambda m: m.update(experiments=["NOMOR-X"])),
     "cluster.attach.bad_manifest", r"field experiments is"),
])
def test_a_folder_without_a_valid_manifest_is_refused_and_nothing_changes(
        tmp_path, odd_db, spoil, key, english):  # noqa: F811
    from dashboard.cluster.attach import AttachError, attach

    folder = write_folder(odd_db, tmp_path / "rollups", sample=False)
    spoil(folder)
    path = tmp_path / "attached.duckdb"
    with db.connect(path) as conn, pytest.raises(AttachError) as refused:
        attach(conn, folder)
    assert refused.value.key == key
    assert re.search(english, refused.value.message("en"))
    assert "Tidak ada yang diubah" in refused.value.message("id")
    with db.connect(path, read_only=True) as conn:
        assert conn.execute("SELECT count(*) FROM cluster_rollups").fetchall() == [(0,)]


def _freeze_individual(conn: duckdb.DuckDBPyConnection, experiment: str, sha: str) -> None:
    """A frozen individual experiment as plan.freeze stores it (what attach reads of it)."""
    conn.execute("INSERT INTO experiments VALUES ($id, 'individual', 'number', '{}', $sha, "
                 "'Tester', TIMESTAMPTZ '2023-11-30 00:00:00+00', true)",
                 {"id": experiment, "sha": sha})


# the lake's plans as its marker says them, the database's plan of NOMOR-X -> refused?
PLAN_CASES = [
    ({"NOMOR-X": "a" * 64, "NOMOR-Y": "c" * 64}, "b" * 64, True),  # another plan, same id
    ({"NOMOR-X": "b" * 64}, "b" * 64, False),  # the same plan
    ({"NOMOR-Y": "c" * 64}, "b" * 64, False),  # the lake knows no NOMOR-X: its arms unknown
    ({}, "b" * 64, False),  # no individual experiment when the lake was written
    (None, "b" * 64, False),  # a lake written before the marker said its plans
]


@pytest.mark.parametrize(("plans", "database_sha", "refused"), PLAN_CASES)
def test_rollups_whose_arms_another_plan_placed_are_refused(tmp_path, odd_db, plans,  # noqa: F811
                                                           database_sha, refused):
    from dashboard.cluster.attach import AttachError, attach

    folder = write_folder(odd_db, tmp_path / "rollups", sample=False)
    if plans is not None:
        _edit_manifest(lambda m: m.update(experiments=plans))(folder)
    path = tmp_path / "attached.duckdb"
    with db.connect(path) as conn:
        _freeze_individual(conn, "NOMOR-X", database_sha)
        if not refused:
            attach(conn, folder)
            assert conn.execute("SELECT count(*) FROM cluster_rollups").fetchall() == [(1,)]
            return
        with pytest.raises(AttachError) as error:
            attach(conn, folder)
        assert conn.execute("SELECT count(*) FROM cluster_rollups").fetchall() == [(0,)]
    assert error.value.key == "cluster.attach.plan_differs"
    assert "NOMOR-X were placed by plan aaaaaaaaaaaa…, but this database holds plan " \
           "bbbbbbbbbbbb…" in error.value.message("en")
    assert "Tidak ada yang diubah" in error.value.message("id")


def test_a_database_with_raw_receipts_is_refused(tmp_path, odd_db):  # noqa: F811
    from dashboard.cluster.attach import AttachError, attach

    folder = write_folder(odd_db, tmp_path / "rollups", sample=False)
    with db.connect(odd_db) as conn, pytest.raises(AttachError) as refused:
        attach(conn, folder)
    assert refused.value.key == "cluster.attach.has_receipts"
    assert "(12 rows)" in refused.value.message("en")  # T4 stored once


def test_attaching_again_replaces_the_rollups(tmp_path, odd_db):  # noqa: F811
    from dashboard.cluster.attach import attach

    folder = write_folder(odd_db, tmp_path / "rollups", sample=False)
    path = tmp_path / "attached.duckdb"
    for _ in range(2):
        with db.connect(path) as conn:
            rows = attach(conn, folder)
    assert rows["receipt_counts"] == 7 and rows["reach_cells"] == 4
    with db.connect(path, read_only=True) as conn:
        assert conn.execute("SELECT count(*) FROM cluster_rollups").fetchall() == [(1,)]
        assert conn.execute("SELECT sum(recipients) FROM reach_cells").fetchall() == [(9,)]
        # compliance's rollup: the odd campaign's stored receipts once (none without a wave)
        assert conn.execute("SELECT sum(receipts) FROM unit_receipt_counts").fetchall() == [
            (_stored_with_a_wave(odd_db),)]
    assert rows["unit_receipt_counts"] > 0


def _stored_with_a_wave(database: Path) -> int:
    with db.connect(database, read_only=True) as conn:
        return conn.execute("SELECT count(*) FROM receipts WHERE wave_id IS NOT NULL"
                            ).fetchall()[0][0]


def test_the_cli_attaches_and_refuses_in_the_chosen_language(tmp_path, odd_db, capsys):  # noqa: F811
    from dashboard.cli import main

    folder = write_folder(odd_db, tmp_path / "rollups", sample=False)
    path = tmp_path / "attached.duckdb"
    assert main(["cluster", "attach", "--rollups", str(folder), "--db", str(path)]) == 0
    said = capsys.readouterr().out
    assert "reach_cells: 4" in said
    assert "catatan" not in said  # the odd campaign's two waves keep their slots
    assert main(["cluster", "attach", "--rollups", str(tmp_path), "--db", str(path),
                 "--lang", "en"]) == 1
    assert "has no manifest.json" in capsys.readouterr().err


# --- the cluster's accounting: every file the cluster read in the load log ----------------------

def accounting_file(database: Path, path: Path) -> Path:
    """An accounting.json as `cluster ingest` writes it (cluster/spark_ingest.py), here from the
    native database's own log of the same files: tests/test_cluster_ingest.py proves that
    Spark's accounting of the sample equals this, file for file."""
    from tests.test_cluster_ingest import _native_accounting

    with db.connect(database, read_only=True) as conn:
        messages = dict(conn.execute("SELECT file_name, message FROM ingest_log "
                                     "WHERE kind = 'receipts'").fetchall())
    entries = [{"file_order": order, "ingest_id": order, "file_name": name, "outcome": "loaded",
                "message": messages[name], **{k: v for k, v in found.items()
                                              if k not in ("rejects", "load_warnings")},
                "rejects": [dict(zip(("line", "reason", "raw_line"), row, strict=True))
                            for row in found["rejects"]],
                "load_warnings": [dict(zip(("line", "kind", "field", "value"), row,
                                           strict=True)) for row in found["load_warnings"]]}
               for order, (name, found) in enumerate(_native_accounting(database).items(), 1)]
    # a file the cluster could not read, and one it had read earlier in the run
    entries += [{"file_order": len(entries) + 1, "ingest_id": None, "file_name": "broken.csv",
                 "kind": "unknown", "sha256": None, "format": None, "outcome": "failed",
                 "message": "broken.csv: could not be loaded: no header"},
                {"file_order": len(entries) + 2, "ingest_id": None, "file_name": "again.csv",
                 "sha256": entries[0]["sha256"], "format": "canonical",
                 "outcome": "already_loaded", "message": "again.csv: already loaded"}]
    path.write_text(json.dumps(entries), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def accounted_db(tmp_path_factory, sample_db):
    from dashboard.cluster.attach import attach

    folder = tmp_path_factory.mktemp("accounted")
    rollups = write_folder(sample_db, folder / "rollups")
    path = attached_database(folder / "accounted.duckdb", rollups)
    with db.connect(path) as conn:  # attached again, now with the accounting
        attach(conn, rollups, accounting_file(sample_db, folder / "accounting.json"))
    return path


def test_the_attached_accounting_is_the_native_log_of_the_same_files(sample_db, accounted_db,
                                                                     attached_db,
                                                                     sketch_in_use):
    from tests.test_cluster_ingest import _native_accounting

    native, found = _native_accounting(sample_db), _native_accounting(accounted_db)
    # the receipts files' rows (broken.csv is logged as unknown, as natively: below)
    assert len(native) >= 8 and list(found) == list(native)
    assert found == native  # counts, tallies by code, the first rejects and warnings
    columns = ["file", "kind", "format", "rows_read", "loaded", "duplicate", "superseded",
               "rejected", "warnings", "replaced", "unknown_province", "operator_mismatch",
               "outcome", "message"]
    expected, attached = _tables(sample_db, Filters()), _tables(accounted_db, Filters())
    log = attached["data_quality"]
    assert log.loc[log["file"] == "broken.csv", ["kind", "outcome", "rows_read"]
                   ].values.tolist() == [["unknown", "failed", 0]]
    assert "again.csv" not in set(log["file"])  # as ingest logs no row for a repeat
    pd.testing.assert_frame_equal(
        log[log["file"] != "broken.csv"][columns].sort_values("file", ignore_index=True),
        expected["data_quality"][columns].sort_values("file", ignore_index=True))
    # every other table is the one attached without the accounting
    plain = _tables(attached_db, Filters())
    assert plain.keys() == attached.keys()
    for name, frame in plain.items():
        if name != "data_quality":
            pd.testing.assert_frame_equal(attached[name], frame, obj=name)
    with db.connect(accounted_db, read_only=True) as conn:  # kept current: nothing rebuilt
        assert conn.execute("SELECT count(*) FROM receipts").fetchall() == [(0,)]
        for state in ("reach_sketch_state", "reach_cells_state"):
            assert conn.execute(f"SELECT ingest_id FROM {state}").fetchall() == [  # noqa: S608
                (db.last_receipts_ingest(conn),)]


def _tamper(entries: list[dict]) -> list[dict]:
    entries[0]["loaded"] += 1  # and rows_read with it: the file adds up, the run does not
    entries[0]["rows_read"] += 1
    return entries


def _changed(field: str, value: object):
    def change(entries: list[dict]) -> list[dict]:
        entries[0][field] = value if not callable(value) else value(entries[0][field])
        return entries
    return change


@pytest.mark.parametrize(("change", "key"), [
    (lambda entries: {"files": entries}, "cluster.attach.bad_accounting"),  # not a list
    (lambda entries: [{"not": "an entry"}], "cluster.attach.accounting_differs"),  # no file
    (_tamper, "cluster.attach.accounting_differs"),
    (_changed("loaded", lambda n: n + 1), "cluster.attach.bad_accounting"),  # does not add up
    (_changed("replaced", -1), "cluster.attach.bad_accounting"),
    (_changed("duplicate", "2"), "cluster.attach.bad_accounting"),
    (_changed("file_name", ""), "cluster.attach.bad_accounting"),
])
def test_accounting_that_is_not_this_runs_is_refused_and_nothing_changes(
        tmp_path, odd_db, change, key):  # noqa: F811
    from dashboard.cluster.attach import AttachError, attach

    folder = write_folder(odd_db, tmp_path / "rollups", sample=False)
    path = tmp_path / "attached.duckdb"
    with db.connect(path) as conn:
        attach(conn, folder)
    accounting = accounting_file(odd_db, tmp_path / "accounting.json")
    entries = change(json.loads(accounting.read_text(encoding="utf-8")))
    accounting.write_text(json.dumps(entries), encoding="utf-8")
    with db.connect(path) as conn:
        before = [conn.execute(f"SELECT count(*) FROM {table}").fetchall()  # noqa: S608
                  for table in ("ingest_log", "reject_tally", "receipt_counts")]
        with pytest.raises(AttachError) as refused:
            attach(conn, folder, accounting)
        assert refused.value.key == key
        assert [conn.execute(f"SELECT count(*) FROM {table}").fetchall()  # noqa: S608
                for table in ("ingest_log", "reject_tally", "receipt_counts")] == before


def test_attaching_again_with_accounting_logs_each_file_once(tmp_path, odd_db):  # noqa: F811
    from dashboard.cluster.attach import attach

    folder = write_folder(odd_db, tmp_path / "rollups", sample=False)
    accounting = accounting_file(odd_db, tmp_path / "accounting.json")
    path = tmp_path / "attached.duckdb"
    for _ in range(2):
        with db.connect(path) as conn:
            attach(conn, folder, accounting)
    with db.connect(path, read_only=True) as conn:
        logged = conn.execute("SELECT file_name, count(*) FROM ingest_log "
                              "GROUP BY ALL ORDER BY ALL").fetchall()
        tallies = conn.execute("SELECT count(*) FROM reject_tally").fetchall()[0][0]
    from tests.test_cluster_ingest import _native_accounting

    native = _native_accounting(odd_db)
    assert [name for name, _ in logged] == sorted([*native, "broken.csv"])
    assert {n for _, n in logged} == {1}
    assert tallies == sum(len(a["reject_reasons"]) for a in native.values())


# the kind an accounting entry gives its file (absent: an accounting written before entries
# said it), its outcome -> the kind logged, or the refusal
KIND_CASES = [
    ("unknown", "failed", "unknown"),  # an unreadable file, as the native ingest logs it
    ("receipts", "failed", "receipts"),  # read by a profile, or failed after its planning
    (None, "failed", "receipts"),
    (None, "loaded", "receipts"),
    ("receipts", "loaded", "receipts"),
    ("unknown", "loaded", "cluster.attach.bad_accounting"),  # a loaded file is receipts
    ("pdf", "failed", "cluster.attach.bad_accounting"),  # no kind the log knows
]


@pytest.mark.parametrize(("kind", "outcome", "expected"), KIND_CASES)
def test_each_file_is_logged_with_the_kind_its_entry_gives(tmp_path, odd_db, kind, outcome,  # noqa: F811
                                                           expected):
    """Kualitas data and the data_quality export list a file the cluster could not read as
    the native log lists it; attaching again logs it once, and leaves a failed file of
    another kind that `ingest` logged here."""
    from dashboard.cluster.attach import AttachError, attach
    from dashboard.ingest import ingest_file

    folder = write_folder(odd_db, tmp_path / "rollups", sample=False)
    accounting = accounting_file(odd_db, tmp_path / "accounting.json")
    entries = json.loads(accounting.read_text(encoding="utf-8"))
    entry = entries[0] if outcome == "loaded" else entries[-2]
    assert entry["outcome"] == outcome
    entry.pop("kind", None)
    entry |= {} if kind is None else {"kind": kind}
    accounting.write_text(json.dumps(entries), encoding="utf-8")
    path = tmp_path / "attached.duckdb"
    with db.connect(path) as conn:
        empty = tmp_path / "local_empty.csv"
        empty.write_bytes(b"")
        assert ingest_file(conn, empty).outcome == "failed"  # logged here, kind unknown
        for _ in range(2):
            if expected.startswith("cluster."):
                with pytest.raises(AttachError) as refused:
                    attach(conn, folder, accounting)
                assert refused.value.key == expected
                return
            attach(conn, folder, accounting)
    with db.connect(path, read_only=True) as conn:
        logged = conn.execute("SELECT file_name, kind FROM ingest_log WHERE outcome = "
                              "$outcome ORDER BY ALL", {"outcome": outcome}).fetchall()
    named = dict(logged)
    assert named[entry["file_name"]] == expected
    assert len(logged) == len(named)  # each file once
    if outcome == "failed":
        assert logged == sorted([("broken.csv", expected), ("local_empty.csv", "unknown")])


def test_a_missing_accounting_file_is_refused_in_the_chosen_language(
        tmp_path, odd_db, capsys):  # noqa: F811
    from dashboard.cli import main

    folder = write_folder(odd_db, tmp_path / "rollups", sample=False)
    path = tmp_path / "attached.duckdb"
    assert main(["cluster", "attach", "--rollups", str(folder), "--db", str(path),
                 "--accounting", str(tmp_path / "none.json"), "--lang", "en"]) == 1
    assert "is not a readable `cluster ingest` report" in capsys.readouterr().err
    assert not path.exists() or db.connect(path, read_only=True).execute(
        "SELECT count(*) FROM cluster_rollups").fetchall() == [(0,)]


# --- every page ---------------------------------------------------------------------------------

# what each page says in large-campaign mode (Indonesian, the default language)
SAID = {"jangkauan": "≈ Jangkauan unik diperkirakan",
        "ringkasan_mingguan": "berasal dari data contoh (sintetis)",
        "kualitas_data": "Laporan pengiriman dibaca oleh klaster (duckdb",
        "rancang_uji": "Terkirim, diterima dan unit yang terjangkau dihitung dari rollup "
                       "klaster (duckdb",
        "ringkasan": "dihitung oleh duckdb dari lake",  # the source line of receipts
        # (charts carry it inside the figure); the manifest's sample flag gives the banner
        "kanal": "berasal dari data contoh (sintetis)",
        "partisipasi": "berasal dari data contoh (sintetis)", "hoaks": None}


@pytest.mark.parametrize("page", list(SAID))
def test_every_page_renders_from_the_attached_database(attached_db, monkeypatch, page):
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("PEMILU_DB", str(attached_db))
    app = Path(__file__).resolve().parents[1] / "dashboard" / "web" / "app.py"
    at = AppTest.from_file(str(app), default_timeout=120)
    at.run()
    at.switch_page(f"app_pages/{page}.py").run()
    assert not at.exception, [e.value for e in at.exception]
    shown = " ".join(str(element.value) for kind in ("caption", "markdown", "info", "warning",
                                                     "success", "error")
                     for element in getattr(at, kind))
    if SAID[page] is not None:
        assert SAID[page] in shown, shown[:3000]


# --- with Spark: the cluster's own output -------------------------------------------------------

@pytest.mark.spark
def test_the_database_attached_from_spark_serves_the_native_tables(
        spark, sample_db, tmp_path, sketch_in_use):  # noqa: F811
    from dashboard.cluster.spark_rollups import compute_rollups
    from dashboard.store.lake import write_lake

    with db.connect(sample_db, read_only=True) as conn:
        write_lake(conn, tmp_path / "lake")
    compute_rollups(spark, tmp_path / "lake", tmp_path / "rollups")
    attached = attached_database(tmp_path / "attached.duckdb", tmp_path / "rollups")
    with db.connect(sample_db, read_only=True) as native, \
            db.connect(attached, read_only=True) as conn:
        assert conn.execute(PLANES).fetchall() == native.execute(PLANES).fetchall()
        assert large_campaign.source(conn).engine == "spark"
    for case in ("all", "province"):
        native, found = _tables(sample_db, FILTERS[case]), _tables(attached, FILTERS[case])
        native.pop("data_quality"), found.pop("data_quality")
        for name, frame in native.items():
            pd.testing.assert_frame_equal(found[name], frame, obj=f"{name} ({case})")


@pytest.mark.spark
def test_sketch_registers_merge_across_engines(spark, sample_db, tmp_path):  # noqa: F811
    """Spark's register rows for the receipts sent at an even second, DuckDB's for the odd
    ones, merged by attach's build, give the sketch the native ingest stored from all."""
    from dashboard.cluster.attach import build_sketch
    from dashboard.cluster.spark_rollups import receipts_view, spark_sql
    from dashboard.store.lake import write_lake

    with db.connect(sample_db, read_only=True) as native:
        write_lake(native, tmp_path / "lake")
        odd = native.execute(rollup_sql(  # noqa: F841 - read by DuckDB below
            "reach_registers", "SELECT * FROM receipts WHERE second(submitted_at) % 2 = 1")
        ).df()
        expected = native.execute(PLANES).fetchall()
        conn = db.memory_connection()
        _replay_inputs(native, conn)
    receipts_view(spark.read.parquet(str(tmp_path / "lake")).where(
        "second(submitted_at) % 2 = 0"))
    spark.sql(spark_sql("reach_registers")).write.parquet(str(tmp_path / "even"))
    conn.execute("CREATE TEMP TABLE even AS SELECT * FROM read_parquet($files)",
                 {"files": [str(f) for f in (tmp_path / "even").glob("*.parquet")]})
    both = conn.execute("SELECT count(*) FROM (SELECT wave_id, send_date, operator, "
                        "province_code, register FROM even INTERSECT SELECT wave_id, "
                        "send_date, operator, province_code, register FROM odd)").fetchall()
    assert both[0][0] > 1000  # the halves share registers: the merge takes the larger rank
    conn.execute("CREATE TEMP TABLE cluster_reach_registers AS "
                 "SELECT * FROM even UNION ALL SELECT * FROM odd")
    build_sketch(conn)
    assert conn.execute(PLANES).fetchall() == expected


def test_the_data_quality_page_shows_the_attached_accounting(accounted_db, monkeypatch):
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("PEMILU_DB", str(accounted_db))
    app = Path(__file__).resolve().parents[1] / "dashboard" / "web" / "app.py"
    at = AppTest.from_file(str(app), default_timeout=120)
    at.run()
    at.switch_page("app_pages/kualitas_data.py").run()
    assert not at.exception, [e.value for e in at.exception]
    said = " ".join(str(element.value) for element in at.info)
    assert "dilampirkan dari laporan tugas klaster" in said, said
    assert "bukan di basis data ini" not in said
    log = at.dataframe[0].value  # in the page's language: the kind of a receipts file
    assert (log["Jenis"] == "Laporan pengiriman").sum() >= 8  # each file the cluster read


@pytest.mark.spark
def test_a_cluster_run_attached_with_its_accounting_is_the_native_database(
        spark, sample_db, sample_cluster, tmp_path, sketch_in_use):  # noqa: F811
    """The whole path on the sample: its receipts files read by Spark (`cluster ingest`), the
    rollups computed by Spark from that lake, attached with that run's accounting.json: the
    load log, its tallies and first rejects and warnings, and every table equal the native
    database's."""
    from dashboard.cluster.spark_rollups import compute_rollups
    from tests.test_cluster_ingest import _native_accounting

    out, _ = sample_cluster
    compute_rollups(spark, out / "lake", tmp_path / "rollups")
    path = attached_database(tmp_path / "attached.duckdb", tmp_path / "rollups",
                            out / "accounting.json")
    assert _native_accounting(path) == _native_accounting(sample_db)
    native, found = _tables(sample_db, Filters()), _tables(path, Filters())
    columns = ["file", "kind", "format", "rows_read", "loaded", "duplicate", "superseded",
               "rejected", "warnings", "replaced", "outcome", "message"]
    pd.testing.assert_frame_equal(
        found.pop("data_quality")[columns].sort_values("file", ignore_index=True),
        native.pop("data_quality")[columns].sort_values("file", ignore_index=True))
    for name, frame in native.items():
        pd.testing.assert_frame_equal(found[name], frame, obj=name)
    # the regency experiment's compliance: regencies read by Spark into the lake, counted by
    # Spark's unit_receipt_counts; as natively but for the distinct numbers
    from tests.test_experiment_large_campaign import RECIPIENT_COLUMNS, _marts, _sample_id

    (native_compliance, native_units), (large_compliance, large_units) = (
        _marts(database, _sample_id()) for database in (sample_db, path))
    assert native_compliance["delivered"].sum() > 1000
    pd.testing.assert_frame_equal(large_compliance.drop(columns=list(RECIPIENT_COLUMNS)),
                                  native_compliance.drop(columns=list(RECIPIENT_COLUMNS)))
    pd.testing.assert_frame_equal(large_units.drop(columns="recipients_delivered"),
                                  native_units.drop(columns="recipients_delivered"))


def test_verify_in_large_campaign_mode_checks_the_count_not_the_absent_receipts(accounted_db):
    """`verify` of a receipts file the cluster read: its records recounted against the
    attached accounting; its messages are in the lake, so they are not looked for here (they
    would all be 'not stored', and the repair it would suggest is refused in this mode)."""
    from dashboard.cli import sample_files
    from dashboard.ingest.verify import verify_file

    first = next(f for f in sample_files(config.SAMPLE_DIR) if f.name.startswith("receipts_"))
    with db.connect(accounted_db) as conn:
        found = verify_file(conn, first)
    assert found.ok, found.problems
    assert found.records > 0 and not found.messages_checked
    assert "only the count was checked" in found.summary()


# --- the cap on waves missing from the catalogue (reach_slots.UNCATALOGUED_PAIRS) -------------
# A campaign with 161 uncatalogued (wave, day) pairs over three files, loaded natively after
# the catalogue: junk_a's 100 pairs fit (100 held); the catalogue waves' 30 take no room;
# junk_b's 40 new ones would make 140, so none of them get a slot (J100-J139 left out), while
# its receipt of J000, a pair junk_a placed, is counted; junk_c's 21 new ones (J200-J219, J200
# on two days) fit beside the 100 (121 held).
CAP_FILES = ("junk_a", "campaign", "junk_b", "junk_c")


def _cap_campaign(folder: Path) -> list[Path]:
    from tests.conftest import receipt
    from tests.test_attack_reach_slots import campaign_file, junk_file

    junk_b = junk_file(folder, "junk_b", 40, first=100)
    junk_b.write_text(junk_b.read_text(encoding="utf-8")
                      + receipt("b-again", msisdn="081377770000", wave="J000") + "\n",
                      encoding="utf-8")
    junk_c = junk_file(folder, "junk_c", 20, first=200)
    junk_c.write_text(junk_c.read_text(encoding="utf-8")
                      + receipt("c-day2", msisdn="081377770001", wave="J200",
                                submitted="2023-12-06 10:00:00", done="2023-12-06 10:00:09")
                      + "\n", encoding="utf-8")
    return [junk_file(folder, "junk_a", 100), campaign_file(folder, "campaign", 3), junk_b,
            junk_c]


def _catalogue_file(folder: Path) -> Path:
    from tests.conftest import write
    from tests.test_attack_reach_slots import CATALOGUE

    return write(folder, "waves.csv", ["wave_id,channel,sent_date,theme,message_text",
                                        *(f"{w},sms,2023-12-04,ajakan memilih,Ayo memilih"
                                          for w in CATALOGUE)])


def _native_then_attached(folder: Path, files: list[Path]) -> tuple[Path, Path]:
    """The files loaded natively after the waves catalogue, and a database with the same
    catalogue attached from the rollups DuckDB computes over the native receipts."""
    from dashboard.cluster.attach import attach
    from dashboard.ingest import ingest_file

    native, attached = folder / "native.duckdb", folder / "attached.duckdb"
    with db.connect(native) as conn:
        assert ingest_file(conn, _catalogue_file(folder)).outcome == "loaded"
        for file in files:
            assert ingest_file(conn, file).outcome == "loaded", file.name
    rollups = write_folder(native, folder / "rollups", sample=False)
    with db.connect(attached) as conn:
        assert ingest_file(conn, _catalogue_file(folder)).outcome == "loaded"
        attach(conn, rollups)
    return native, attached


@pytest.fixture(scope="module")
def capped(tmp_path_factory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("capped")
    return _native_then_attached(folder, _cap_campaign(folder))


LEFT_OUT = [(f"J{n:03d}", 1) for n in range(100, 140)]  # one delivered receipt each


def test_the_cap_on_uncatalogued_waves_is_the_native_one(capped):
    native, attached = capped
    with db.connect(native, read_only=True) as conn:
        uncatalogued = conn.execute(
            "SELECT count(*) FROM (SELECT DISTINCT wave_id, send_date FROM receipts "
            "WHERE wave_id NOT IN (SELECT wave_id FROM waves))").fetchall()[0][0]
        held = conn.execute("SELECT count(*) FROM reach_slots WHERE wave_id LIKE 'J%'"
                            ).fetchall()[0][0]
    assert (uncatalogued, held) == (161, 121)  # beyond the cap: 40 pairs left out
    with db.connect(native, read_only=True) as one, \
            db.connect(attached, read_only=True) as other:
        for query in ("SELECT * FROM reach_slots", "SELECT * FROM reach_cells",
                      "SELECT * FROM receipt_counts", "SELECT * FROM latency_histogram",
                      PLANES):
            ordered = f"SELECT * FROM ({query}) ORDER BY ALL NULLS FIRST"  # noqa: S608
            assert other.execute(ordered).fetchall() == one.execute(ordered).fetchall(), query
        assert other.execute("SELECT count(*) FROM reach_cells WHERE wave_id BETWEEN 'J100' "
                             "AND 'J139'").fetchall() == [(0,)]
        for filters in (Filters(), Filters(waves=("J100", "J000")),
                        Filters(date_from=pd.Timestamp("2023-12-06").date())):
            found = [db.run(conn, "marts/reach_not_kept", **filters.params()
                            ).values.tolist() for conn in (one, other)]
            assert found[0] == found[1]
        assert found[0] == []  # 6 Dec: only J200's second day, kept
        assert db.run(other, "marts/reach_not_kept", **Filters().params()
                      ).values.tolist() == [list(row) for row in LEFT_OUT]


@pytest.mark.parametrize("filters", [Filters(), Filters(waves=("J000",)),
                                     Filters(waves=("J100", "SMS01")),
                                     Filters(operators=("telkomsel",))])
def test_past_the_cap_every_table_is_the_native_one(capped, sketch_in_use, filters):
    native, attached = (_tables(path, filters) for path in capped)
    native.pop("data_quality"), attached.pop("data_quality")  # receipts files: the cluster's
    assert native.keys() == attached.keys()
    for name, frame in native.items():
        pd.testing.assert_frame_equal(attached[name], frame, obj=name)


@pytest.mark.parametrize("page", ["ringkasan", "jangkauan"])
def test_past_the_cap_the_pages_name_the_native_waves_left_out(capped, monkeypatch, page):
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    said = []
    for path in capped:
        monkeypatch.setenv("PEMILU_DB", str(path))
        st.cache_resource.clear()
        st.cache_data.clear()
        app = Path(__file__).resolve().parents[1] / "dashboard" / "web" / "app.py"
        at = AppTest.from_file(str(app), default_timeout=120)
        at.run()
        at.switch_page(f"app_pages/{page}.py").run()
        assert not at.exception, [e.value for e in at.exception]
        said.append([c.value for c in at.caption if "Jangkauan unik tidak mencakup" in c.value])
    st.cache_resource.clear()
    assert len(said[0]) == 1 and "J100" in said[0][0] and "J139" in said[0][0]
    assert said[1] == said[0]


@pytest.mark.spark
def test_past_the_cap_the_database_attached_from_spark_is_the_native_one(
        spark, capped, tmp_path, sketch_in_use):
    """The same campaign's lake through `cluster rollups` on Spark: reach_pair_files carries
    the lake's ingest_id, and the attached slots, sketch and tables are the native ones."""
    from dashboard.cluster.attach import attach
    from dashboard.cluster.spark_rollups import compute_rollups
    from dashboard.ingest import ingest_file
    from dashboard.store.lake import write_lake

    native = capped[0]
    with db.connect(native, read_only=True) as conn:
        write_lake(conn, tmp_path / "lake")
    compute_rollups(spark, tmp_path / "lake", tmp_path / "rollups")
    attached = tmp_path / "attached.duckdb"
    with db.connect(attached) as conn:
        assert ingest_file(conn, _catalogue_file(tmp_path)).outcome == "loaded"
        attach(conn, tmp_path / "rollups")
    with db.connect(native, read_only=True) as one, \
            db.connect(attached, read_only=True) as other:
        for query in ("SELECT * FROM reach_slots", "SELECT * FROM reach_cells", PLANES):
            ordered = f"SELECT * FROM ({query}) ORDER BY ALL NULLS FIRST"  # noqa: S608
            assert other.execute(ordered).fetchall() == one.execute(ordered).fetchall(), query
    found, expected = _tables(attached, Filters()), _tables(native, Filters())
    found.pop("data_quality"), expected.pop("data_quality")
    for name, frame in expected.items():
        pd.testing.assert_frame_equal(found[name], frame, obj=name)


def test_the_cli_says_how_many_waves_the_cap_left_out(capped, tmp_path, capsys):
    from dashboard.cli import main
    from dashboard.ingest import ingest_file

    path = tmp_path / "attached.duckdb"
    with db.connect(path) as conn:
        assert ingest_file(conn, _catalogue_file(tmp_path)).outcome == "loaded"
    folder = capped[1].parent / "rollups"
    assert main(["cluster", "attach", "--rollups", str(folder), "--db", str(path),
                 "--lang", "en"]) == 0
    said = capsys.readouterr().out
    assert "unique reach leaves out 40 waves missing from the waves catalogue (the " \
        "catalogue holds 10 waves; waves missing from it keep at most 127" in said, said


def _refused_split(tmp_path, files: list[Path], wave: str) -> None:
    from dashboard.cluster.attach import AttachError, attach
    from dashboard.ingest import ingest_file

    native = tmp_path / "native.duckdb"
    with db.connect(native) as conn:
        assert ingest_file(conn, _catalogue_file(tmp_path)).outcome == "loaded"
        for file in files:
            assert ingest_file(conn, file).outcome == "loaded", file.name
    rollups = write_folder(native, tmp_path / "rollups", sample=False)
    with db.connect(tmp_path / "attached.duckdb") as conn:
        assert ingest_file(conn, _catalogue_file(tmp_path)).outcome == "loaded"
        with pytest.raises(AttachError) as refused:
            attach(conn, rollups)
        assert refused.value.key == "cluster.attach.reach_split"
        assert refused.value.params["waves"] == wave
        assert "Tambahkan gelombang ini ke katalog" in refused.value.message("id")
        for table in ("reach_slots", "reach_sketch", "receipt_counts", "cluster_rollups"):
            assert conn.execute(f"SELECT count(*) FROM {table}").fetchall() == [(0,)]  # noqa: S608


def test_a_wave_the_cap_splits_across_days_is_refused(tmp_path):
    """J000's first day is kept (junk_a); its second day comes with 40 new junk pairs, which
    do not fit: the native reach_cells count J000 over its first day only, which the
    cluster's whole-wave cells cannot give."""
    from tests.conftest import receipt
    from tests.test_attack_reach_slots import junk_file

    later = junk_file(tmp_path, "junk_b", 40, first=100)
    later.write_text(later.read_text(encoding="utf-8")
                     + receipt("b-day2", msisdn="081377770000", wave="J000",
                               submitted="2023-12-06 10:00:00", done="2023-12-06 10:00:09")
                     + "\n", encoding="utf-8")
    _refused_split(tmp_path, [junk_file(tmp_path, "junk_a", 100), later], "J000")


def test_a_pair_placed_after_a_file_left_it_out_is_the_native_one(tmp_path):
    """junk_a's 128 pairs do not fit (none kept); J000 comes again, from another recipient of
    another operator, and gets a slot: both receipts count, natively (load_receipts recounts
    the earlier one) and from the cluster's whole-pair rows."""
    from tests.conftest import HEADER, receipt, write
    from tests.test_attack_reach_slots import junk_file

    again = write(tmp_path, "again.csv", [HEADER, receipt(
        "again0", msisdn="085577770000", wave="J000", operator="indosat")])
    native, attached = _native_then_attached(
        tmp_path, [junk_file(tmp_path, "junk_a", 128), again])
    with db.connect(native, read_only=True) as one, \
            db.connect(attached, read_only=True) as other:
        for query in ("SELECT * FROM reach_slots", "SELECT * FROM reach_cells",
                      "SELECT * FROM receipt_counts", PLANES):
            ordered = f"SELECT * FROM ({query}) ORDER BY ALL NULLS FIRST"  # noqa: S608
            assert other.execute(ordered).fetchall() == one.execute(ordered).fetchall(), query
        assert one.execute("SELECT sum(recipients) FROM reach_cells WHERE wave_id = 'J000'"
                           ).fetchall() == [(2,)]


def test_register_rows_of_a_pair_no_file_delivered_in_are_refused(tmp_path, odd_db):  # noqa: F811
    """A reach_pair_files rollup of another run (here: without SMS99's pair) would leave a
    pair without a slot, its reach silently dropped: refused, nothing changed."""
    from dashboard.cluster.attach import AttachError, attach

    folder = write_folder(odd_db, tmp_path / "rollups", sample=False)
    part = folder / "reach_pair_files" / "part-0.parquet"
    with duckdb.connect() as conn:
        kept = conn.execute("SELECT * FROM read_parquet($f) WHERE wave_id <> 'SMS99'",  # noqa: F841
                            {"f": str(part)}).df()
        conn.execute(f"COPY kept TO '{part}' (FORMAT parquet)")
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    manifest["rollups"]["reach_pair_files"]["rows"] -= 1
    (folder / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    with db.connect(tmp_path / "attached.duckdb") as conn:
        with pytest.raises(AttachError) as refused:
            attach(conn, folder)
        assert (refused.value.key, refused.value.params) == ("cluster.attach.pairs_differ",
                                                             {"pairs": 1})
        assert conn.execute("SELECT count(*) FROM reach_slots").fetchall() == [(0,)]


# --- a sketch the attached database cannot rebuild (no raw receipts) ---------------------------
# Each way the stored sketch or reach_cells may stop being the one the last attach wrote for
# this version; natively they are rebuilt from receipts, here there are none (a rebuild would
# make every unique reach 0).
STALE = {
    "precision": "UPDATE reach_sketch_state SET p = p - 2",
    "no sketch state": "DELETE FROM reach_sketch_state",
    "sketch misses a file": "UPDATE reach_sketch_state SET ingest_id = 99",
    "cells miss a file": "UPDATE reach_cells_state SET ingest_id = 99",
}


@pytest.fixture
def stale_attached(request, tmp_path, odd_db):  # noqa: F811
    from dashboard.cluster.attach import attach

    path = tmp_path / "attached.duckdb"
    with db.connect(path) as conn:
        attach(conn, write_folder(odd_db, tmp_path / "rollups", sample=False))
        planes = conn.execute(PLANES).fetchall()
        cells = conn.execute("SELECT * FROM reach_cells ORDER BY ALL NULLS FIRST").fetchall()
        conn.execute(STALE[request.param])
    return path, planes, cells


@pytest.mark.parametrize("stale_attached", list(STALE), indirect=True)
def test_a_stale_sketch_in_large_campaign_mode_is_never_rebuilt_nor_shown(stale_attached):
    from dashboard.reports.tables import REACH_QUERIES, TABLES, reach_table, table
    from dashboard.store.sketch import NeedsClusterRollups

    path, planes, cells = stale_attached
    with pytest.raises(NeedsClusterRollups) as refused:  # the app's and the exports' open
        db.connect(path, read_only=True)
    for lang, words in (("id", "jalankan lagi"), ("en", "run")):
        said = refused.value.message(lang)
        assert f"{words} `python -m dashboard cluster rollups`" in said
        assert "`python -m dashboard cluster attach`" in said
    assert "jalankan lagi" in str(refused.value) and "run " in str(refused.value)
    with db.connect(path) as conn:  # a writable open (ingest, attach) rebuilds nothing
        assert conn.execute(PLANES).fetchall() == planes
        assert conn.execute("SELECT * FROM reach_cells ORDER BY ALL NULLS FIRST"
                            ).fetchall() == cells
        refused = []
        for name in TABLES:  # no table with unique reach comes from it
            if name in NEEDS_RAW:
                continue
            try:
                frame = table(conn, name, Filters())
            except NeedsClusterRollups:
                refused.append(name)
                continue
            assert not any("unique_reach" in column for column in frame.columns), name
        assert {*(set(REACH_QUERIES) & set(TABLES)), "reach_wave_operator_province"} <= set(refused)
        for name in REACH_QUERIES:  # estimated or asked for exact (the CLI export)
            for approximate in (True, False):
                with pytest.raises(NeedsClusterRollups):
                    reach_table(conn, name, Filters(), approximate=approximate)
    with pytest.raises(NeedsClusterRollups):  # still refused: the writable open fixed nothing
        db.connect(path, read_only=True)


@pytest.mark.parametrize("stale_attached", ["precision"], indirect=True)
def test_attaching_again_serves_a_stale_database(stale_attached, odd_db):  # noqa: F811
    from dashboard.cluster.attach import attach

    path, planes, _ = stale_attached
    with db.connect(path) as conn:
        attach(conn, path.parent / "rollups")
    with db.connect(path, read_only=True) as conn:
        assert conn.execute(PLANES).fetchall() == planes
        assert conn.execute("SELECT p FROM reach_sketch_state").fetchall() == [(PRECISION,)]


@pytest.mark.parametrize("stale_attached", ["precision"], indirect=True)
def test_the_app_says_the_cluster_must_run_again(stale_attached, monkeypatch):
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("PEMILU_DB", str(stale_attached[0]))
    st.cache_resource.clear()
    app = Path(__file__).resolve().parents[1] / "dashboard" / "web" / "app.py"
    at = AppTest.from_file(str(app), default_timeout=120)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    shown = " ".join(str(e.value) for kind in ("error", "warning", "info", "markdown")
                     for e in getattr(at, kind))
    assert "jalankan lagi `python -m dashboard cluster rollups`" in shown, shown[:2000]
    assert "Jangkauan unik" not in shown  # no page was served
    assert "pengaturan server salah" not in shown  # not a server setting: the cluster's step
    st.cache_resource.clear()


@pytest.mark.parametrize("change", ["precision", "no sketch state", "sketch misses a file"])
def test_a_native_database_still_rebuilds_its_sketch_from_receipts(tmp_path, odd_db, change):  # noqa: F811
    import shutil

    path = tmp_path / "native.duckdb"
    shutil.copy(odd_db, path)
    with db.connect(path) as conn:
        planes = conn.execute(PLANES).fetchall()
        conn.execute(STALE[change])
    with db.connect(path, read_only=True) as conn:  # read-only: opens; exact reach is used
        assert conn.execute("SELECT count(*) FROM cluster_rollups").fetchall() == [(0,)]
    with db.connect(path) as conn:  # writable: rebuilt from the receipts, as before
        assert conn.execute("SELECT p FROM reach_sketch_state").fetchall() == [(PRECISION,)]
        assert conn.execute(PLANES).fetchall() == planes


@pytest.mark.spark
def test_a_gzipped_sample_file_is_sample_data_in_large_campaign_mode(spark, tmp_path):
    """The sample's receipts re-packed with gzip (other bytes, the same content), read by
    Spark for a campaign's own catalogue (not sample data): every output of the run says
    sample, as the native ingest's do: the ingest's accounting and manifest, the lake's
    marker, the rollups' manifest, and the attached database's load log and provenance."""
    from dashboard.cluster.attach import attach
    from dashboard.cluster.spark_ingest import compute_ingest
    from dashboard.cluster.spark_rollups import compute_rollups
    from dashboard.export.provenance import provenance
    from dashboard.ingest import ingest_file
    from tests.test_cluster_ingest import _gzipped

    packed = _gzipped(config.SAMPLE_DIR / "receipts_z_late_canonical.csv", tmp_path)
    waves = tmp_path / "waves.csv"  # the sample's rows in other bytes: the campaign's own
    waves.write_bytes((config.SAMPLE_DIR / "waves.csv").read_bytes().replace(b"\r\n", b"\n")
                      .replace(b"\n", b"\r\n"))
    catalogue = tmp_path / "catalogue.duckdb"
    with db.connect(catalogue) as conn:
        assert ingest_file(conn, waves).ok
        assert conn.execute("SELECT sample FROM ingest_log").fetchall() == [(False,)]
    out, rollups = tmp_path / "out", tmp_path / "rollups"
    accounting = compute_ingest(spark, [packed], out, catalogue)
    compute_rollups(spark, out / "lake", rollups)
    said = {name: json.loads(path.read_text(encoding="utf-8"))["sample"] for name, path in {
        "ingest manifest": out / "manifest.json", "lake marker": out / "lake" / ".pemilu-lake",
        "rollups manifest": rollups / "manifest.json"}.items()}
    assert said == dict.fromkeys(said, True)
    assert [a["sample"] for a in accounting] == [True]
    large = tmp_path / "large.duckdb"
    shutil.copyfile(catalogue, large)
    with db.connect(large) as conn:
        attach(conn, rollups, out / "accounting.json")
        assert provenance(conn, ("receipts",), Filters(), "en").sample is True
        assert conn.execute("SELECT kind, sample FROM ingest_log ORDER BY ingest_id"
                            ).fetchall() == [("waves", False), ("receipts", True)]
