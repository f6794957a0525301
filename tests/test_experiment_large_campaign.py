"""A frozen cluster experiment read in large-campaign mode (issue 19, point 4): compliance
counted from the rollup unit_receipt_counts (queries/rollups/unit_receipt_counts.sql, through
the macro unit_counts(waves) of store/rollups.py) gives the native tables to the row, except the
distinct-recipient columns, which an additive rollup cannot give (NULL, and the page says
why). A design by numbers still needs the raw receipts (no rows, as before).

Two levels: the marts' contract on hand-made rows (the rows and hand-worked counts of
tests/test_experiment_marts.py, moved into the cluster's table), and the sample campaign
with its frozen regency experiment plus a province experiment frozen here, native against
attached (the folder DuckDB writes from the shared files: tests/test_cluster_attach.py),
with one regency counted from the raw sample file by this test's own reading of it."""

from __future__ import annotations

import csv
import gzip
import json
from pathlib import Path

import pandas as pd
import pytest

from dashboard import config, reference
from dashboard.experiment import plan
from dashboard.experiment.assignment import assign_clusters
from dashboard.experiment.strata import stratum_of
from dashboard.store import db
from tests.test_cluster_attach import attached_database, write_folder
from tests.test_experiment_marts import (
    COMPLIANCE_COLUMNS,
    UNIT_COLUMNS,
    load_experiments,
    rows,
)

RECIPIENT_COLUMNS = ("recipients_sent", "recipients_delivered")  # distinct numbers


# --- the marts' contract on hand-made rows ----------------------------------------------------

def to_large_mode(conn, *, with_unit_counts: bool = True, keep_receipts: bool = False
                  ) -> None:
    """The hand-made database as `cluster attach` leaves one: the rollup's rows computed from
    the receipts (the shared file), the receipts gone, cluster_rollups naming the source. A
    manifest without unit_receipt_counts: rollups attached before the rollup existed.
    keep_receipts: receipts left beside the rollup (attach and ingest never allow it)."""
    from dashboard.store.rollups import UNIT_COUNTS, rollup_sql

    shared = rollup_sql(UNIT_COUNTS, "SELECT * FROM receipts")
    conn.execute(f"INSERT INTO {UNIT_COUNTS} {shared}")  # noqa: S608 - our own query text
    if not keep_receipts:
        conn.execute("DELETE FROM receipts")
    rollups = {UNIT_COUNTS: {"path": UNIT_COUNTS, "rows": 1}} if with_unit_counts else {}
    conn.execute("INSERT INTO cluster_rollups VALUES ('spark', '/lake', now(), true, '/f', "
                 "$manifest, now())", {"manifest": json.dumps({"rollups": rollups})})


@pytest.mark.parametrize(("experiment", "expected"), [
    # tests/test_experiment_marts.py's rows, worked by hand there; distinct numbers unknown
    ("E1", [
        ("telkomsel", "holdout", 2, 1, None, None, 1, 1),
        ("telkomsel", "blast", 3, 3, None, None, 1, 2),
        ("xl", "holdout", 0, 0, None, None, 0, 1),
        ("xl", "blast", 1, 1, None, None, 1, 2),
        ("xl", "unplaced", 2, 2, None, None, 0, None),  # no regency; a regency outside
    ]),
    ("E2", [  # province units
        ("indosat", "holdout", 1, 0, None, None, 0, 1),
        ("indosat", "blast", 1, 1, None, None, 1, 2),
    ]),
    ("E3", []),  # a design by numbers: its buckets come from the raw numbers
    ("nope", []),
])
def test_large_mode_compliance_is_the_native_count_without_distinct_numbers(
        conn, experiment, expected):
    load_experiments(conn)
    to_large_mode(conn)
    frame = db.run(conn, "marts/experiment_compliance", experiment_id=experiment)
    assert list(frame.columns) == COMPLIANCE_COLUMNS
    assert rows(frame, COMPLIANCE_COLUMNS) == expected


def test_receipts_beside_the_cluster_s_rows_are_never_counted_twice(conn):
    load_experiments(conn)
    to_large_mode(conn, keep_receipts=True)
    frame = db.run(conn, "marts/experiment_compliance", experiment_id="E2")
    assert rows(frame, COMPLIANCE_COLUMNS) == [("indosat", "holdout", 1, 0, None, None, 0, 1),
                                               ("indosat", "blast", 1, 1, None, None, 1, 2)]


@pytest.mark.parametrize(("experiment", "expected"), [
    # unit, arm, sent, delivered, distinct numbers (tests/test_experiment_marts.py's counts)
    ("E1", [(3171, "blast", 1, 1, None), (3201, "holdout", 2, 1, None),
            (3202, "blast", 3, 3, None)]),
    ("E2", [(32, "blast", 0, 0, None), (91, "holdout", 1, 0, None),
            (93, "blast", 1, 1, None)]),
])
def test_large_mode_units_outcome_counts_each_unit_s_receipts(conn, experiment, expected):
    load_experiments(conn)
    to_large_mode(conn)
    frame = db.run(conn, "marts/experiment_units_outcome", experiment_id=experiment,
                   baseline_year=2019, outcome_year=2024)
    assert list(frame.columns) == UNIT_COLUMNS
    assert rows(frame, ["unit_code", "arm", "sent", "delivered", "recipients_delivered"]) == (
        expected)


@pytest.mark.parametrize("experiment", ["E1", "E2"])
def test_rollups_attached_before_the_unit_counts_give_no_count_never_zero(conn, experiment):
    load_experiments(conn)
    to_large_mode(conn, with_unit_counts=False)
    compliance = db.run(conn, "marts/experiment_compliance", experiment_id=experiment)
    units = db.run(conn, "marts/experiment_units_outcome", experiment_id=experiment,
                   baseline_year=2019, outcome_year=2024)
    assert compliance.empty  # the page's compliance: unknown (NaN)
    assert len(units) == 3
    assert units[["sent", "delivered", "recipients_delivered"]].isna().all().all()


def test_an_empty_attached_rollup_counts_zero_for_every_unit(conn):
    """Attached, but no receipt in the experiment's waves: zeros, as natively (the units
    are there, nothing was sent)."""
    load_experiments(conn)
    conn.execute("DELETE FROM receipts")
    to_large_mode(conn)
    units = db.run(conn, "marts/experiment_units_outcome", experiment_id="E2",
                   baseline_year=2019, outcome_year=2024)
    assert rows(units, ["unit_code", "sent", "delivered"]) == [(32, 0, 0), (91, 0, 0),
                                                                (93, 0, 0)]
    assert db.run(conn, "marts/experiment_compliance", experiment_id="E2").empty


def test_native_mode_never_reads_the_cluster_table(conn):
    """A stray row in unit_receipt_counts of a native database is not counted: only the
    stored receipts are (and they are counted once)."""
    load_experiments(conn)
    conn.execute("INSERT INTO unit_receipt_counts VALUES ('W2', 'indosat', 93, NULL, true, 50)")
    frame = db.run(conn, "marts/experiment_compliance", experiment_id="E2")
    assert rows(frame, COMPLIANCE_COLUMNS) == [("indosat", "holdout", 1, 0, 1, 0, 0, 1),
                                               ("indosat", "blast", 1, 1, 1, 1, 1, 2)]


# --- the sample campaign: native against attached -------------------------------------------

PROVINCE_ID = "PROV-SMS06-07"


def province_plan() -> dict:
    """A province hold-out over SMS06 and SMS07 (the sample's plan holds SMS08 and SMS09)."""
    provinces = reference.provinces()["province_code"].astype(int)
    units = pd.DataFrame({"unit_code": provinces,
                          "stratum": [stratum_of("province", p) for p in provinces]})
    return plan.build_plan(
        experiment_id=PROVINCE_ID, title="Test: province hold-out", design="cluster",
        unit="province", waves=["SMS06", "SMS07"], outcomes=["turnout", "invalid_rate"],
        holdout_share=0.3, seed=11, baseline_year=2019, outcome_year=2024,
        signed_off_by={"name": "Tester", "role": "analyst", "date": "2024-01-01"},
        assignment=assign_clusters(units, 0.3, 11), synthetic=True,
        created_at="2024-01-01T00:00:00+00:00")


@pytest.fixture(scope="module")
def campaign(tmp_path_factory) -> tuple[Path, Path]:
    """(native, attached): every sample file loaded here, and the same campaign attached from
    the rollups DuckDB writes from the native receipts; both with the sample's regency plan
    and the province plan frozen before the receipts."""
    from dashboard.cli import sample_files
    from dashboard.ingest import ingest_file
    from dashboard.sample.experiment import freeze_sample_plan

    folder = tmp_path_factory.mktemp("large_experiment")
    native, attached = folder / "native.duckdb", folder / "attached.duckdb"
    with db.connect(native) as conn:
        freeze_sample_plan(conn)
        plan.freeze(conn, province_plan())
        for file in sample_files(config.SAMPLE_DIR):
            assert ingest_file(conn, file).ok, file.name
    with db.connect(attached) as conn:
        plan.freeze(conn, province_plan())
    attached_database(attached, write_folder(native, folder / "rollups"))
    return native, attached


def _sample_id() -> str:
    said = json.loads((config.SAMPLE_DIR / "experiment_plan_sample.json").read_text("utf-8"))
    return said["experiment_id"]


def _marts(database: Path, experiment_id: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    with db.connect(database, read_only=True) as conn:
        frozen = json.loads(conn.execute("SELECT plan_json FROM experiments WHERE "
                                         "experiment_id = $id", {"id": experiment_id}
                                         ).fetchall()[0][0])
        compliance = db.run(conn, "marts/experiment_compliance", experiment_id=experiment_id)
        units = db.run(conn, "marts/experiment_units_outcome", experiment_id=experiment_id,
                       baseline_year=frozen["baseline_year"],
                       outcome_year=frozen["outcome_year"])
    return compliance, units


@pytest.mark.parametrize("experiment", ["regency", "province"])
def test_a_frozen_cluster_experiment_counts_as_natively_in_large_mode(campaign, experiment):
    experiment_id = _sample_id() if experiment == "regency" else PROVINCE_ID
    (native_compliance, native_units), (large_compliance, large_units) = (
        _marts(path, experiment_id) for path in campaign)
    assert native_compliance["delivered"].sum() > 1000  # the waves were sent
    assert (native_compliance["arm"] == "holdout").any()
    same = [c for c in COMPLIANCE_COLUMNS if c not in RECIPIENT_COLUMNS]
    pd.testing.assert_frame_equal(large_compliance[same], native_compliance[same])
    assert large_compliance[list(RECIPIENT_COLUMNS)].isna().all().all()
    assert native_compliance[list(RECIPIENT_COLUMNS)].notna().all().all()
    same = [c for c in UNIT_COLUMNS if c != "recipients_delivered"]
    pd.testing.assert_frame_equal(large_units[same], native_units[same])
    assert (native_units["delivered"] > 0).sum() > 10
    assert large_units["recipients_delivered"].isna().all()


@pytest.mark.parametrize("experiment", ["regency", "province"])
def test_the_results_with_compliance_are_the_native_ones(campaign, experiment):
    """The page's and the export's results table: compliance per arm and the complier
    effect too, as natively (the ITT never needed the receipts)."""
    from dashboard.reports.experiment import read_experiment

    experiment_id = _sample_id() if experiment == "regency" else PROVINCE_ID
    tables = []
    for path in campaign:
        with db.connect(path, read_only=True) as conn:
            tables.append(read_experiment(conn, experiment_id, permutations=50).table)
    native, large = tables
    assert native["compliance_blast"].notna().all()
    pd.testing.assert_frame_equal(large, native)


def _counted_from_the_file(code: str, name: str) -> tuple[int, int]:
    """Sent and delivered in one regency, read from the sample's regency file by this test's
    own rule (a code as '3201' or '32.01', the name with 'KABUPATEN' or 'Kab.', any case);
    the operators' other files of these waves name no regency."""
    path = config.SAMPLE_DIR / "receipts_zz_experiment_regency_sms08-09.csv.gz"
    sent = delivered = 0
    with gzip.open(path, "rt", encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            said = row["regency"].strip().upper()
            if said.startswith("KAB. "):
                said = "KABUPATEN " + said[5:]
            if said.replace(".", "") == code or said == name:
                sent += 1
                delivered += row["status"] == "DELIVRD"
    return sent, delivered


def test_one_regency_counted_from_the_raw_file(campaign):
    sent, delivered = _counted_from_the_file("3201", "KABUPATEN BOGOR")
    assert (sent, delivered) > (300, 300)  # 364 spelt four ways
    for path in campaign:
        _, units = _marts(path, _sample_id())
        row = units.set_index("unit_code").loc[3201]
        assert (int(row["sent"]), int(row["delivered"])) == (sent, delivered), path.name
