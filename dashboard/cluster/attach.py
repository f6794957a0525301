"""Large-campaign mode: a dashboard database built from the rollups a cluster computed
(`python -m dashboard cluster rollups`, cluster/spark_rollups.py), without the raw receipts.

    python -m dashboard cluster attach --rollups FOLDER --db PATH

receipt_counts, latency_histogram, reach_cells, unit_receipt_counts and number_arm_counts are
copied from the Parquet, number_reached with its keys unshifted (the lake's signed keys); the
(wave,
send day) pairs get this database's slots (reach_slots) as the native ingest would have given
them, file by file in load order (reach_pair_files, reach_slots.replay: the cap on uncatalogued
waves included), and the cluster's sketch rows (reach_registers) of the pairs with a slot
become reach_sketch's planes through the native macro sketch_planes
(queries/cluster/attach_sketch.sql); the waves left without slots leave reach_cells, as
natively. receipts and reach_recipients stay empty; table cluster_rollups (migration 0010)
records the manifest, so pages estimate unique reach from the sketch and say so, the
provenance of receipts names the engine, lake and time, and views that need the raw receipts
say so (store/large_campaign.py). Imports neither Spark nor sqlglot.
Other files (KPU results, survey, hoax register) are loaded as usual, before or after; the
waves catalogue before, as natively before the receipts (the cap on uncatalogued waves is
decided against it); receipts files are not (the database has no raw receipts to merge them
with).
With --accounting (the accounting.json `cluster ingest` wrote beside the lake) the files the
cluster read are logged as the native ingest logs its own (ingest_log, the first rejects and
warnings, their tallies), so the data-quality page shows what became of every record; it is
refused unless its stored receipts (loaded minus replaced) equal the rollups' receipts.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import duckdb
import pandas as pd

from dashboard.filters import Filters
from dashboard.i18n import Translatable, t
from dashboard.ingest import KINDS, failed_kind, write_findings, write_log
from dashboard.ingest.reach_slots import UNCATALOGUED_PAIRS, replay, store
from dashboard.ingest.receipts import (
    OUTCOMES,
    REJECT_COLUMNS,
    WARNING_COLUMNS,
    Findings,
    ReceiptCounts,
)
from dashboard.store import db, large_campaign
from dashboard.store.lake import individual_plans
from dashboard.store.rollups import SHARED
from dashboard.store.sketch import PRECISION

MANIFEST = "manifest.json"  # as cluster/spark_rollups.py writes it
# an accounting file's entries as cluster/spark_ingest.py writes them: the files it wrote the
# lake from, and those it could not read; a file already read earlier in the run is left out
# (the native ingest logs no row for one either)
LOGGED_OUTCOMES = ("loaded", "failed")
# the kinds an entry may give its file (ingest_log.kind): a file the cluster read is receipts;
# one it could not read has the kind the native ingest logs for it (ingest.failed_kind)
LOGGED_KINDS = (*KINDS, failed_kind(None))
COUNT_FIELDS = tuple(ReceiptCounts.__dataclass_fields__)
# the tables copied as they are, with their columns (the rest of a Parquet file is ignored)
COPIED = {
    "receipt_counts": ("send_date", "wave_id", "operator", "province_code", "status",
                       "error_code", "receipts"),
    "latency_histogram": ("send_date", "wave_id", "operator", "province_code", "bucket",
                          "receipts"),
    "reach_cells": ("wave_id", "operator", "province_code", "recipients"),
    # a cluster experiment's compliance (marts/experiment_compliance.sql, unit_counts(waves))
    "unit_receipt_counts": ("wave_id", "operator", "province_code", "regency_code",
                            "delivered", "receipts"),
    # an individual experiment's compliance (number_counts(experiment))
    "number_arm_counts": ("experiment_id", "operator", "arm", "sent", "delivered",
                          "recipients_sent", "recipients_delivered"),
}
# the numbers an individual experiment's waves delivered to (number_reached(experiment)): the
# cluster writes the lake's signed key (key - 2^63), stored as the key, as receipts hold it
REACHED_COLUMNS = ("experiment_id", "recipient_key_signed")
REACHED_COPY = ("INSERT INTO number_reached (experiment_id, recipient_key) "
                "SELECT experiment_id, unsigned_key(recipient_key_signed) "
                "FROM cluster_number_reached")
REGISTER_COLUMNS = ("wave_id", "send_date", "operator", "province_code", "register", "rank")
PAIR_FILE_COLUMNS = ("wave_id", "send_date", "ingest_id")
# what a database in large-campaign mode holds of the receipts: emptied, then filled here
CLEARED = ("receipt_counts", "latency_histogram", "reach_cells", "reach_sketch", "reach_slots",
           "reach_recipients", "unit_receipt_counts", "number_arm_counts", "number_reached",
           "cluster_rollups")


class AttachError(Translatable, ValueError):
    """The rollups cannot be attached; message(lang) says why, in the reader's language."""


@dataclass(frozen=True)
class Manifest:
    """A checked manifest: the source and each rollup's Parquet files and rows."""

    engine: str
    lake: str
    created_at: datetime
    sample: bool
    files: dict[str, list[Path]]
    rows: dict[str, int]
    text: str
    # the individual experiments' plan hashes the lake's arms were placed by (None: not said)
    plans: dict[str, str] | None = None


def read_manifest(folder: Path) -> Manifest:
    """The rollups folder's manifest, checked (AttachError when it is missing or wrong)."""
    folder = Path(folder).resolve()
    try:
        text = (folder / MANIFEST).read_text(encoding="utf-8")
    except OSError as exc:
        raise AttachError("cluster.attach.no_manifest", folder=str(folder)) from exc
    try:
        said = json.loads(text)
    except ValueError as exc:
        raise AttachError("cluster.attach.bad_manifest", folder=str(folder),
                          field="JSON") from exc
    if not isinstance(said, dict):
        raise AttachError("cluster.attach.bad_manifest", folder=str(folder), field="JSON")

    def field(name: str, kind: type) -> object:
        value = said.get(name)
        if not isinstance(value, kind) or (isinstance(value, str) and not value.strip()):
            raise AttachError("cluster.attach.bad_manifest", folder=str(folder), field=name)
        return value

    engine, lake = field("engine", str), field("lake", str)
    try:
        created = datetime.fromisoformat(str(field("created_at", str)))
    except ValueError as exc:
        raise AttachError("cluster.attach.bad_manifest", folder=str(folder),
                          field="created_at") from exc
    if created.tzinfo is None:
        raise AttachError("cluster.attach.bad_manifest", folder=str(folder), field="created_at")
    if not isinstance(said.get("sample"), bool):  # never guess whether data is synthetic
        raise AttachError("cluster.attach.sample_unknown", folder=str(folder))
    if said.get("sketch_precision") != PRECISION:
        raise AttachError("cluster.attach.precision", folder=str(folder),
                          found=str(said.get("sketch_precision")), wanted=PRECISION)
    rollups = field("rollups", dict)
    files, rows = {}, {}
    for table in SHARED:
        entry = rollups.get(table)
        path = entry.get("path") if isinstance(entry, dict) else None
        count = entry.get("rows") if isinstance(entry, dict) else None
        if (not isinstance(path, str) or not isinstance(count, int) or isinstance(count, bool)
                or count < 0):
            raise AttachError("cluster.attach.bad_manifest", folder=str(folder),
                              field=f"rollups.{table}")
        where = (folder / path).resolve()
        found = sorted(where.glob("*.parquet")) if where.parent == folder else []
        if not found:  # Spark writes a file with the columns even for no rows
            raise AttachError("cluster.attach.missing_files", folder=str(folder), table=table)
        files[table], rows[table] = found, count
    plans = said.get("experiments")
    if plans is not None and (not isinstance(plans, dict) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in plans.items())):
        raise AttachError("cluster.attach.bad_manifest", folder=str(folder), field="experiments")
    return Manifest(str(engine), str(lake), created, said["sample"], files, rows, text, plans)


def check_plans(conn: duckdb.DuckDBPyConnection, manifest: Manifest) -> None:
    """AttachError when the database holds an individual experiment under an id the lake's
    arms were placed by, with another plan: its arms would be counted by the other plan."""
    if not manifest.plans:
        return
    for experiment, sha in individual_plans(conn).items():
        if manifest.plans.get(experiment, sha) != sha:
            raise AttachError("cluster.attach.plan_differs", experiment=experiment,
                              lake=manifest.plans[experiment][:12], database=sha[:12])


def read_accounting(path: Path) -> list[dict]:
    """The entries of a cluster ingest's accounting.json that the ingest log keeps, checked
    (AttachError when the file is missing or not one)."""
    path = Path(path).resolve()
    try:
        said = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise AttachError("cluster.attach.bad_accounting", path=str(path), field="JSON") from exc
    if not isinstance(said, list) or not all(isinstance(entry, dict) for entry in said):
        raise AttachError("cluster.attach.bad_accounting", path=str(path), field="JSON")
    kept = [entry for entry in said if entry.get("outcome") in LOGGED_OUTCOMES]
    for entry in kept:
        if not isinstance(entry.get("file_name"), str) or not entry["file_name"]:
            raise AttachError("cluster.attach.bad_accounting", path=str(path),
                              field="file_name")
        if entry.get("kind", "receipts") not in (
                ("receipts",) if entry["outcome"] == "loaded" else LOGGED_KINDS):
            raise AttachError("cluster.attach.bad_accounting", path=str(path),
                              field=f"{entry['file_name']}: kind")
        if entry["outcome"] == "loaded":
            for name in COUNT_FIELDS:
                value = entry.get(name)
                if not isinstance(value, int) or isinstance(value, bool) or value < 0:
                    raise AttachError("cluster.attach.bad_accounting", path=str(path),
                                      field=f"{entry['file_name']}: {name}")
            outcomes = sum(entry[k] for k in OUTCOMES)
            if outcomes != entry["rows_read"]:  # as ingest_file's RowsUnaccounted
                raise AttachError("cluster.attach.bad_accounting", path=str(path),
                                  field=f"{entry['file_name']}: rows_read")
    return kept


def stored_by_accounting(entries: list[dict]) -> int:
    """The receipts the accounted files left stored: each loaded record, less the stored
    records a later one replaced."""
    return sum(e["loaded"] - e["replaced"] for e in entries if e["outcome"] == "loaded")


def _log_accounting(conn: duckdb.DuckDBPyConnection, entries: list[dict],
                    sample: bool) -> None:
    """The accounted files written to the ingest log with the native ingest's own writers;
    each with the kind the cluster gave it (a file it could not read: as the native log has
    it, mostly unknown; an accounting that does not say: receipts) and sample data as the
    cluster told it by the native rule (its `sample`; not said: as the manifest says of the
    whole lake)."""
    for entry in entries:
        ingest_id = conn.execute("SELECT nextval('ingest_id_seq')").fetchall()[0][0]
        counts = ReceiptCounts(**{k: entry.get(k) or 0 for k in COUNT_FIELDS})
        said = entry.get("sample")
        write_log(conn, ingest_id, entry["file_name"], entry.get("sha256"),
                  entry.get("kind", "receipts"),
                  entry.get("format"), counts, entry["outcome"], str(entry.get("message", "")),
                  sample=said if isinstance(said, bool) else sample)
        if entry["outcome"] == "loaded":
            write_findings(conn, ingest_id, entry["file_name"],
                           Findings.of(pd.DataFrame(entry.get("rejects") or [],
                                                    columns=REJECT_COLUMNS),
                                       entry.get("reject_reasons") or {}),
                           Findings.of(pd.DataFrame(entry.get("load_warnings") or [],
                                                    columns=WARNING_COLUMNS),
                                       entry.get("warning_kinds") or {}))


def _forget_accounting(conn: duckdb.DuckDBPyConnection) -> None:
    """The files an earlier attach logged, with their findings: every receipts row (in
    large-campaign mode every receipts row of the ingest log came from one: ingest refuses
    receipts files), and the files it logged as failed with another kind (unknown: unreadable
    files), told by their time: the attach's transaction wrote them and its cluster_rollups
    row, so both have its now() (a native load of another file is another transaction)."""
    logged_by_attach = ("kind = 'receipts' OR (outcome = 'failed' AND started_at IN "
                        "(SELECT attached_at FROM cluster_rollups))")
    for table in ("rejects", "reject_tally", "warning_tally", "load_warnings"):
        conn.execute(f"DELETE FROM {table} WHERE ingest_id IN (SELECT ingest_id "  # noqa: S608
                     f"FROM ingest_log WHERE {logged_by_attach})")  # names from the tuple above
    conn.execute(f"DELETE FROM ingest_log WHERE {logged_by_attach}")  # noqa: S608 - a constant


def mark_reach_current(conn: duckdb.DuckDBPyConnection) -> None:
    """Mark the sketch and reach_cells as including every receipts file logged here (the
    accounted ones, or none): else a writable open would rebuild them from the receipts,
    which large-campaign mode does not hold."""
    last = db.last_receipts_ingest(conn)
    conn.execute("DELETE FROM reach_sketch_state")
    conn.execute("INSERT INTO reach_sketch_state VALUES ($p, $last)",
                 {"p": PRECISION, "last": last})
    conn.execute("DELETE FROM reach_cells_state")
    conn.execute("INSERT INTO reach_cells_state VALUES ($last)", {"last": last})


def attach(conn: duckdb.DuckDBPyConnection, folder: Path,
           accounting: Path | None = None) -> dict[str, int]:
    """Fill the database's rollups from the cluster's folder, in one transaction, and mark it
    as in large-campaign mode; the rows of each table. With accounting (a cluster ingest's
    accounting.json), log the files the cluster read. Refuses (AttachError) a folder without
    a valid manifest, one whose files do not hold the rows it says, accounting that does not
    give the rollups' receipts, and a database that holds raw receipts (a database already in
    large-campaign mode takes the new rollups and accounting in place of the old)."""
    manifest = read_manifest(folder)
    entries = read_accounting(accounting) if accounting is not None else None
    loaded = db.last_receipts_ingest(conn)
    stored = conn.execute("SELECT count(*) FROM receipts").fetchall()[0][0]
    if stored or (loaded is not None and not large_campaign.is_large(conn)):
        raise AttachError("cluster.attach.has_receipts", receipts=stored)
    check_plans(conn, manifest)
    with db.transaction(conn):
        for table in SHARED:
            conn.execute(f"CREATE OR REPLACE TEMP TABLE cluster_{table} AS "  # noqa: S608
                         "SELECT * FROM read_parquet($files)",  # table from SHARED
                         {"files": [str(f) for f in manifest.files[table]]})
            found = conn.execute(f"SELECT count(*) FROM cluster_{table}").fetchall()[0][0]  # noqa: S608
            if found != manifest.rows[table]:
                raise AttachError("cluster.attach.rows_differ", table=table,
                                  expected=manifest.rows[table], found=found)
            have = {row[0] for row in conn.execute(f"DESCRIBE cluster_{table}").fetchall()}
            lacking = [c for c in {**COPIED, "reach_registers": REGISTER_COLUMNS,
                                   "reach_pair_files": PAIR_FILE_COLUMNS,
                                   "number_reached": REACHED_COLUMNS}[table]
                       if c not in have]
            if lacking:
                raise AttachError("cluster.attach.columns", table=table,
                                  columns=", ".join(lacking))
        if entries is not None:
            counted = conn.execute("SELECT coalesce(sum(receipts), 0) "
                                   "FROM cluster_receipt_counts").fetchall()[0][0]
            if stored_by_accounting(entries) != counted:
                raise AttachError("cluster.attach.accounting_differs", path=str(accounting),
                                  accounted=stored_by_accounting(entries), counted=counted)
        _forget_accounting(conn)
        for table in CLEARED:
            conn.execute(f"DELETE FROM {table}")  # noqa: S608 - names from CLEARED
        for table, columns in COPIED.items():
            names = ", ".join(columns)
            conn.execute(f"INSERT INTO {table} ({names}) "  # noqa: S608 - names from COPIED
                         f"SELECT {names} FROM cluster_{table}")
        conn.execute(REACHED_COPY)
        build_sketch(conn)
        conn.execute("INSERT INTO cluster_rollups VALUES "
                     "($engine, $lake, $created_at, $sample, $folder, $manifest, now())",
                     {"engine": manifest.engine, "lake": manifest.lake,
                      "created_at": manifest.created_at, "sample": manifest.sample,
                      "folder": str(Path(folder).resolve()), "manifest": manifest.text})
        if entries is not None:
            _log_accounting(conn, entries, manifest.sample)
        mark_reach_current(conn)
        for table in SHARED:
            conn.execute(f"DROP TABLE cluster_{table}")  # noqa: S608 - names from SHARED
    return {table: conn.execute(f"SELECT count(*) FROM {table}").fetchall()[0][0]  # noqa: S608
            for table in (*COPIED, "number_reached", "reach_slots", "reach_sketch")}


def build_sketch(conn: duckdb.DuckDBPyConnection) -> None:
    """reach_slots and reach_sketch from the temp tables cluster_reach_pair_files
    (PAIR_FILE_COLUMNS) and cluster_reach_registers (REGISTER_COLUMNS; rows of several engines
    may be mixed): the (wave, send day) pairs get slots as the native ingest gives them, file
    by file in load order with its cap on uncatalogued waves (reach_slots.replay, against this
    database's waves catalogue); the planes of the pairs with a slot are built by
    sketch_planes (queries/cluster/attach_sketch.sql; it joins reach_slots, so the pairs left
    out stay out, as natively), and the waves left without any slot leave reach_cells (the
    native rollup counts slots only). Refuses (AttachError) register rows of a pair no file
    (no ingest_id) delivered in, and a wave that the native ingest counts only in part: an
    uncatalogued wave with some pairs kept and others left out (the native reach_cells count
    its kept days; the cluster's cells count the whole wave). A pair placed by a later file
    than the first that delivered in it counts every file's receipts in both."""
    stray = conn.execute("SELECT count(*) FROM (SELECT DISTINCT wave_id, send_date "
                         "FROM cluster_reach_registers EXCEPT SELECT wave_id, send_date "
                         "FROM cluster_reach_pair_files WHERE ingest_id IS NOT NULL)"
                         ).fetchall()[0][0]
    if stray:  # a pair without its file would get no slot: its reach silently dropped
        raise AttachError("cluster.attach.pairs_differ", pairs=stray)
    rows = conn.execute("SELECT ingest_id, wave_id, send_date FROM cluster_reach_pair_files "
                        "ORDER BY ingest_id, send_date, wave_id").fetchall()
    files: dict[int, list[tuple[str, object]]] = {}
    for ingest_id, wave, day in rows:
        files.setdefault(ingest_id, []).append((wave, day))
    catalogued = {row[0] for row in conn.execute("SELECT wave_id FROM waves").fetchall()}
    slots = replay(files.values(), catalogued)
    kept = {(wave, day) for _, wave, day in slots}
    split = sorted({wave for _, wave, day in rows if (wave, day) not in kept}
                   & {wave for _, wave, _ in slots})
    if split:
        raise AttachError("cluster.attach.reach_split", cap=UNCATALOGUED_PAIRS,
                          count=len(split), waves=", ".join(split[:10]))
    store(conn, slots)
    conn.execute(db.sql_text("cluster/attach_sketch"))
    conn.execute("DELETE FROM reach_cells WHERE wave_id NOT IN (SELECT wave_id FROM reach_slots)")


def run_attach(folder: Path, database: Path | None, lang: str = "id",
               accounting: Path | None = None) -> int:
    """Attach and say what was written; the exit code."""
    try:
        read_manifest(folder)  # said before the database is opened
        if accounting is not None:
            read_accounting(accounting)
        with db.connect(database) as conn:
            rows = attach(conn, folder, accounting)
            # the mart the pages' note reads: the waves whose delivered receipts have no slot
            left_out = len(db.run(conn, "marts/reach_not_kept", **Filters().params()))
            catalogue = conn.execute("SELECT count(*) FROM waves").fetchall()[0][0]
    except AttachError as exc:
        print(f"error: {exc.message(lang)}", file=sys.stderr)
        return 1
    for table, count in rows.items():
        print(f"{table}: {count:,}")
    if left_out:  # as the native ingest's note: the cap on uncatalogued waves left them out
        print(t("cluster.attach.left_out", lang, waves=left_out, cap=UNCATALOGUED_PAIRS,
                catalogue=catalogue))
    return 0

