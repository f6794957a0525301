"""Delivery receipts into DuckDB: read, validate, account for every row, merge, roll up.

The heavy lifting is SQL over the whole file inside DuckDB (queries/staging/), so ingest runs
near DuckDB's own CSV speed; Python only orchestrates and writes the accounting.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

import duckdb
import pandas as pd

from dashboard import config, reference
from dashboard.ingest import identifiers, reach_slots, read_progress, records
from dashboard.ingest.dates import WIB
from dashboard.ingest.files import FileInfo, split_header
from dashboard.ingest.privacy import (
    MASK_SQL,
    MSISDN_FLOAT_SQL,
    MSISDN_SHAPE_SQL,
    PSEUDONYM_LETTER_PAIRS,
    PSEUDONYM_PREFIX,
    mask_phone_numbers,
    mask_raw_line,
)
from dashboard.ingest.profiles import CANONICAL, OPTIONAL_COLUMNS, Profile, smpp_params
from dashboard.store import backup, db, reach_cells, rollups, sketch

# a load's progress: (fraction of the whole load, stage, rows read when known) -> None; the
# stage is an i18n key (progress.reading ...); service.progress.Clock puts it into words
Progress = Callable[..., None]
# the reading stage's share of a load, filled as DuckDB reads the file (_read_watched), and
# where the later stages start: their shares of the time (measured at 1 M and 10 M rows: read
# 65-77 %, match 2 %, write 12-18 %, rollups 8-13 %), so the time left comes out right
READING = (0.05, 0.70)
WRITING, ROLLUPS = 0.72, 0.88
OUTCOMES = ("loaded", "duplicate", "superseded", "rejected")


@dataclass
class ReceiptCounts:
    rows_read: int = 0
    loaded: int = 0
    duplicate: int = 0
    superseded: int = 0
    rejected: int = 0
    replaced: int = 0
    unknown_province: int = 0
    operator_mismatch: int = 0
    warnings: int = 0  # records loaded with something odd (ingest_log.warnings)


class RowsUnaccounted(ValueError):
    """The file's records and what the reader returned do not add up: nothing is stored."""


class ReaderLostRecords(RowsUnaccounted):
    """The reader returned fewer records than census() accepts, next to broken ones (DuckDB
    2.0.1 drops every record after a cell like '"q"z') or records in Windows-1252 (it skips
    what is not UTF-8): stage the file again from records.accepted_copy."""


@dataclass(frozen=True)
class Staged:
    """What stage_receipts read: the file's record layout and its first data line, whether
    it read records.accepted_copy, and the records it read as Windows-1252 there."""

    layout: records.Layout
    first_data_line: int
    delimiter: str | None
    columns: int
    from_copy: bool = False
    windows_1252: records.LegacyLines = field(default_factory=records.LegacyLines)


@dataclass
class Findings:
    """A file's rejects (samples: line, reason, raw_line) or warnings (samples: line, kind,
    field, value): the first records.STORED_REJECTS kept with their line, every one counted
    by its code (the reason or kind before the colon)."""

    samples: pd.DataFrame
    counts: dict[str, int] = field(default_factory=dict)

    @staticmethod
    def of(samples: pd.DataFrame, counts: Counter | dict[str, int]) -> Findings:
        """The first STORED_REJECTS samples by line, phone numbers masked in every text
        (a reason or warning of a tabular kind may quote a value)."""
        kept = samples.sort_values("line", kind="stable").head(records.STORED_REJECTS)
        kept = kept.reset_index(drop=True)
        for column in kept.columns.drop("line"):
            # a raw line may be JSON whose escapes write a number (mask_raw_line)
            mask = mask_raw_line if column == "raw_line" else mask_phone_numbers
            kept[column] = [mask(v) if isinstance(v, str) else v for v in kept[column]]
        return Findings(kept, {k: int(v) for k, v in counts.items() if v})

    @property
    def total(self) -> int:
        return sum(self.counts.values())


REJECT_COLUMNS = ["line", "reason", "raw_line"]
WARNING_COLUMNS = ["line", "kind", "field", "value"]


def windows_1252_warnings(lines: list[int]) -> pd.DataFrame:
    """A warning (WARNING_COLUMNS) for each line read as Windows-1252, in any kind: its text
    may differ from what the file's writer meant."""
    return pd.DataFrame({"line": pd.Series(lines, dtype="int64"),
                         **records.WINDOWS_1252_WARNING})

def drop_staging(conn: duckdb.DuckDBPyConnection) -> None:
    """Drop the temp tables of one receipts load (safe to repeat). merge_reach_cells.sql's
    own temp tables are not here: it drops them itself, and a failure inside it rolls them
    back with the load's transaction (tests/test_mutation_ingest.py provokes one)."""
    for view in ("file_loaded", "bucketed"):
        conn.execute(f"DROP VIEW IF EXISTS {view}")  # names from the fixed list
    for table in ("validated", "outcomes", "touched",
                  "replaced", "touched_recipients", "file_cells",
                  "merged_counts", "merged_latency", "merged_reach", "regency_spellings",
                  "province_spellings", "late_placed"):
        conn.execute(f"DROP TABLE IF EXISTS {table}")  # names from the fixed list above
    _drop_lookups(conn)


def delimited_source(info: FileInfo, profile: Profile) -> dict[str, object]:
    """The values of src_receipts_delimited.sql for a file: its header cells mapped to
    canonical column names (a cell the profile does not know kept as extra_<position>; a
    cell named after an optional column the profile does not name read as that column)."""
    header = split_header(info.first_line, profile.delimiter, profile.quote)
    # an optional column the profile does not name is read under its canonical name
    by_header = {c: c for c in OPTIONAL_COLUMNS if c not in profile.columns}
    by_header |= {v.lower(): k for k, v in profile.columns.items()}
    names: list[str] = []
    for position, cell in enumerate(header):
        canonical = by_header.get(cell)
        names.append(canonical if canonical and canonical not in names else f"extra_{position}")
    return {"path": str(info.path), "columns": {name: "VARCHAR" for name in names},
            "delimiter": profile.delimiter, "quote": profile.quote,
            "compression": info.compression, "max_line_size": records.MAX_LINE_BYTES}


# lookup name -> its parameters in stg_receipts_validated.sql. Lookups are two lists (the
# spellings, and the value of each in the same order) read with list_position: measured on
# 1 M rows, a 40-entry list is half the CPU of an ENUM cast. No join: a join does not keep the
# file's row order in the validated copy. The province spellings (400) are looked up once per
# distinct spelling after the file is read (stg_province_spellings.sql).
LIST_LOOKUPS = {
    "operator_alias": ("operator_aliases", "operator_of_alias"),
    "status_word": ("status_words", "state_of_word"),
    "error_spelling": ("error_spellings", "code_of_error_spelling"),
    "number_prefix": ("number_prefixes", "operator_of_prefix"),
}
# the staged operator, prefix operator and SMPP state are temp ENUM types of the values they
# can take, not text: a one- or two-byte code is cheaper to copy into the staged table and to
# group by in every rollup (measured at 10 M: the whole ingest 17.4-17.6 s -> 15.6-15.7 s).
# The error code stays text: any spelling is kept (issue 14), so its values are not known
# before the file is read. The receipts table keeps text; the insert casts.
# type name -> (the lookups whose values it holds, values beyond them)
VALUE_TYPES = {"operator_name": (("operator_alias", "number_prefix"), ()),
               "state_name": (("status_word",), ())}


def _lookups(conn: duckdb.DuckDBPyConnection, profile: Profile) -> dict[str, list]:
    """The validation's lookup parameters; creates the VALUE_TYPES temp types."""
    aliases = conn.execute(
        """
        SELECT DISTINCT alias, operator FROM (
            SELECT operator AS alias, operator FROM operators
            UNION ALL SELECT lower(name), operator FROM operators
            UNION ALL SELECT lower(brand), operator FROM operator_prefixes)
        """
    ).fetchall()
    mappings = {
        "operator_alias": dict(aliases),
        "status_word": dict(profile.status_words),
        "error_spelling": dict(reference.error_code_spellings().itertuples(index=False)),
        "number_prefix": dict(conn.execute(
            "SELECT prefix, operator FROM operator_prefixes").fetchall()),
    }
    params: dict[str, list] = {}
    for name, (keys, values) in LIST_LOOKUPS.items():
        params[keys], params[values] = list(mappings[name]), list(mappings[name].values())
    for type_name, (lookups, more) in VALUE_TYPES.items():
        _create_enum(conn, type_name, sorted(
            {value for name in lookups for value in mappings[name].values()} | set(more)))
    return params


def holdout_pads(conn: duckdb.DuckDBPyConnection) -> dict[str, tuple[str, str]]:
    """experiment_id -> (ipad_hex, opad_hex) of every frozen individual experiment: the
    HMAC pads of its salt (plan_json's "salt") for the SQL macro holdout_bucket."""
    from dashboard.experiment.holdout import pads

    found = conn.execute(
        "SELECT experiment_id, plan_json->>'salt' FROM experiments "
        "WHERE design = 'individual' ORDER BY experiment_id").fetchall()
    padded = {}
    for experiment, salt in found:
        try:
            padded[experiment] = pads(salt)
        except ValueError as exc:  # plan.freeze checks the salt: a damaged database
            raise ValueError(f"the frozen experiment {experiment} has no usable salt ({exc}): "
                             "its hold-out buckets cannot be computed") from exc
    return padded


def _holdout_params(conn: duckdb.DuckDBPyConnection) -> dict[str, object]:
    """The hold-out values of stg_receipts_validated.sql: the waves of frozen individual
    experiments and their experiment's pads, in the same order."""
    experiments = holdout_pads(conn)
    waves = conn.execute(
        "SELECT wave_id, experiment_id FROM experiment_waves "
        "WHERE list_contains($experiments, experiment_id) ORDER BY wave_id",
        {"experiments": list(experiments)}).fetchall()
    return {"holdout": bool(waves), "holdout_waves": [wave for wave, _ in waves],
            "holdout_ipads": [experiments[e][0] for _, e in waves],
            "holdout_opads": [experiments[e][1] for _, e in waves]}


def _kept_from(conn: duckdb.DuckDBPyConnection) -> dt.datetime | None:
    """00:00 WIB of the first send day retention kept (None: it never ran): a record sent
    earlier is rejected (stg_receipts_validated.sql)."""
    day = backup.deleted_before(conn)
    return None if day is None else dt.datetime.combine(day, dt.time(), WIB)


def _create_enum(conn: duckdb.DuckDBPyConnection, name: str, keys: list[str]) -> list[str]:
    """Create temp ENUM type `name` (a fixed name from VALUE_TYPES) of the keys; return them
    in the type's order."""
    conn.register("lookup_keys", pd.DataFrame({"key": keys}, dtype=object))
    conn.execute(f"CREATE TEMP TYPE {name} AS ENUM (SELECT key FROM lookup_keys)")  # noqa: S608
    conn.unregister("lookup_keys")
    order = conn.execute(f"SELECT unnest(enum_range(NULL::{name}))").fetchall()  # noqa: S608
    return [key for (key,) in order]


def _drop_lookups(conn: duckdb.DuckDBPyConnection) -> None:
    for name in VALUE_TYPES:
        conn.execute(f"DROP TYPE IF EXISTS {name}")  # names from the fixed dicts above


def stage_receipts(
    conn: duckdb.DuckDBPyConnection,
    info: FileInfo,
    profile: Profile | None,
    progress: Progress | None = None,
    accepted_only: bool = False,
) -> Staged:
    """Read, parse and validate one receipts file into temp table `validated` (one row per
    record the reader took, in file order, each with its reject reason), outside any
    transaction; return how its records are laid out. A JSON Lines file is an SMPP log; its
    profile (None: each line's operator's) decides the form its message ids are stored in.
    accepted_only: read records.accepted_copy of the file (after ReaderLostRecords).

    Outside the transaction: temp tables are the connection's own, so nothing stored changes
    here; drop_staging clears them. (It was put there when DuckDB scanned a table made inside
    an open transaction on one thread; with DuckDB 2.0.1 a 10 M-row load staged inside the
    transaction measured the same, BENCHMARKS.md "Staging inside the load's transaction".)
    """
    step = progress or (lambda fraction, message, rows=None: None)
    drop_staging(conn)
    step(READING[0], "progress.reading")
    reading = read_progress.Stretch(*READING)
    if info.looks_like_json:
        source = "staging/src_receipts_lines"
        source_params = {"path": str(info.path), "compression": info.compression,
                         "max_line_size": records.MAX_LINE_BYTES}
        parser, params = "staging/stg_receipts_smpp", {}
        staged = Staged(records.Layout.smpp(), 1, None, 1)
    else:
        source, source_params = "staging/src_receipts_delimited", delimited_source(info, profile)
        parser = "staging/stg_receipts_delimited"
        staged = Staged(records.Layout.delimited(profile.quote, profile.delimiter), 2,
                        profile.delimiter, len(source_params["columns"]))
        params = {"operator": profile.operator, "timestamp_format": profile.timestamp_format,
                  "utc_offset_s": profile.utc_offset_seconds}
    # an SMPP log's states are SMPP's (stg_receipts_smpp maps them), not a profile's words
    lookups = _lookups(conn, CANONICAL if info.looks_like_json or profile is None else profile)
    # one statement reads, parses and validates: the reader is CTE `source`, the parser CTE
    # `parsed` of the validation, so the file is read once and every value stays bound.
    # The copy keeps file order, so its rowid order is the record index: DuckDB preserves
    # insertion order through a parallel scan and scalar expressions, but not through joins
    # (hence the ENUM lookups); numbering rows in the reader (WITH ORDINALITY) reads on one
    # thread. test_line_numbers_of_rejects_in_a_large_file keeps this honest.
    statement = " ".join([  # three query files composed
        "CREATE TEMP TABLE validated AS WITH source AS (", db.sql_text(source),
        "), parsed AS (", db.sql_text(parser), ")",
        "SELECT * FROM (", db.sql_text("staging/stg_receipts_validated"), ")"])
    values = {"secret": config.pseudonym_secret(), "mask": MASK_SQL,
              "pseudonym_prefix": PSEUDONYM_PREFIX, "letter_pairs": PSEUDONYM_LETTER_PAIRS,
              "msisdn_shape": MSISDN_SHAPE_SQL, "msisdn_float": MSISDN_FLOAT_SQL,
              **identifiers.sql_params(),
              **source_params, **params, **lookups, **smpp_params(profile),
              **_holdout_params(conn), "kept_from": _kept_from(conn)}
    used = set().union(*(db.query_params(name) for name in
                         (source, parser, "staging/stg_receipts_validated")))
    bound = {name: value for name, value in values.items() if name in used}
    read_copy = accepted_only
    if not read_copy:
        try:
            _read_watched(conn, statement, bound, progress, reading, info.path)
        except duckdb.InvalidInputException as exc:
            if "state machine" not in str(exc):
                raise
            read_copy = True
    if read_copy:
        # DuckDB's reader refuses a whole file that mixes line endings (a CRLF file with one
        # LF line, a stray CR), and loses the records after some broken ones: read a copy of
        # the records records.census accepts instead, one LF line each; census names the rest
        with tempfile.TemporaryDirectory(dir=config.temp_dir()) as folder:
            copy = Path(folder) / "records.txt"
            legacy = records.accepted_copy(info.path, info.compression, staged.layout,
                                           staged.columns, copy)
            staged = replace(staged, from_copy=True, windows_1252=legacy)
            _read_watched(conn, statement, {**bound, "path": str(copy), "compression": "none"},
                          progress, reading, info.path)
    spellings = reference.province_spellings()
    conn.execute(db.sql_text("staging/stg_province_spellings"),
                 {"spellings": spellings["spelling"].tolist(),
                  "spelling_codes": spellings["province_code"].tolist()})
    # a delimited file without a regency column has none to look up; an SMPP log may have
    # the key on any line
    given = info.looks_like_json or "regency" in source_params["columns"]
    conn.execute(db.sql_text("staging/stg_regency_spellings"), {"given": given})
    return staged


def _read_watched(conn: duckdb.DuckDBPyConnection, statement: str, params: dict,
                  progress: Progress | None, reading: read_progress.Stretch,
                  path: Path) -> None:
    """Run the statement that reads the file, telling progress how far it is every
    POLL_S: DuckDB's own estimate for the running statement (query_progress: its reader's
    place in the file, plain or gzip) fills the reading stage's share, and the rows are that
    share of the file's records as records.fingerprint counts them beside the load. The
    statement runs on a helper thread and progress is called on this one (the app's
    progress bar must be drawn from the script's thread). Without progress: just run it."""
    if progress is None:
        conn.execute(statement, params)
        return

    def tick() -> None:
        percent = conn.query_progress()  # -1 until DuckDB can tell
        if percent < 0:
            return
        if reading.advance(percent, records_passed(percent, records.tally_of(path))):
            progress(reading.fraction, "progress.reading", reading.rows)

    # query_progress reads nothing unless the progress bar is on (it is not drawn)
    conn.execute("SET enable_progress_bar = true")
    conn.execute("SET enable_progress_bar_print = false")
    try:
        read_progress.while_running(lambda: conn.execute(statement, params), tick,
                                     conn.interrupt)
    finally:
        conn.execute("RESET enable_progress_bar")
        conn.execute("RESET enable_progress_bar_print")


def records_passed(percent: float, tally: records.Tally | None) -> int | None:
    """The records a reader has passed at percent done: that share of the file's records
    (counted, or while counting extrapolated from the stored bytes counted so far), never
    more than are counted so far; None before the count starts."""
    if tally is None:
        return None
    read_bytes, counted = tally.read
    if tally.total is not None:
        total = float(tally.total)
    elif read_bytes:
        total = counted * tally.size / read_bytes
    else:
        return None
    return min(counted, int(total * min(percent, 100.0) / 100))


def account_for_records(conn: duckdb.DuckDBPyConnection, info: FileInfo, staged: Staged,
                        counted: records.RecordCount) -> tuple[Findings, Findings]:
    """The file's rejects and warnings, every record accounted for: the records the reader
    did not return (counted independently) are named by records.census; raise
    RowsUnaccounted when they do not add up. Reads temp table `validated`; runs outside the
    transaction (a file pass)."""
    reader_rows = conn.execute("SELECT count(*) FROM validated").fetchall()[0][0]
    # the JSON Lines reader returns blank lines as rows (is_blank); the CSV reader skips them
    expected = counted.records + (counted.blank_lines if staged.layout.json_lines else 0)
    broken = expected - reader_rows
    rejected, by_reason = _validation_findings(conn, "staging/stg_receipt_rejects", {})
    catalogue = [w for (w,) in conn.execute("SELECT wave_id FROM waves").fetchall()]
    warned, by_kind = _validation_findings(conn, "staging/stg_receipt_warnings",
                                           {"catalogue": catalogue})
    warned = warned.rename(columns={"code": "kind"})
    indices = sorted({*rejected["record_index"], *warned["record_index"]})
    structural = pd.DataFrame(columns=REJECT_COLUMNS)
    # a record's line is its index after the header only when no line is skipped: the CSV
    # reader skips blank lines (the JSON Lines reader returns them as rows, so they count)
    if broken == 0 and counted.one_line_each and (staged.layout.json_lines
                                                  or counted.blank_lines == 0):
        line_of = {i: staged.first_data_line + i for i in indices}
    elif broken or indices:
        found = records.census(info.path, info.compression, staged.layout, staged.delimiter,
                               staged.columns, indices)
        if found.broken != broken:
            # records census accepts that the reader skipped are read from the copy of those
            # records (its accounting checked again); more than the reader skipped: nothing
            lost = ReaderLostRecords if found.broken < broken else RowsUnaccounted
            raise lost(
                f"the file has {expected:,} records; the reader returned {reader_rows:,} and "
                f"{found.broken:,} are unreadable, so {broken - found.broken:,} cannot be "
                "accounted for; nothing was stored")
        line_of = found.lines_of
        structural = pd.DataFrame(found.samples, columns=REJECT_COLUMNS)
        by_reason.update(found.by_reason)
    else:
        line_of = {}
    for frame in (rejected, warned):
        frame["line"] = frame["record_index"].map(line_of).astype("int64")
    rejects = pd.concat([structural, rejected[REJECT_COLUMNS]]).astype({"line": "int64"})
    warnings, legacy = warned[WARNING_COLUMNS], staged.windows_1252
    if legacy.count:
        by_kind[records.WINDOWS_1252_WARNING["kind"]] += legacy.count
        warnings = pd.concat([warnings, windows_1252_warnings(legacy.lines)]
                             ).astype({"line": "int64"})
    return Findings.of(rejects, by_reason), Findings.of(warnings, by_kind)


def stage_accounted(conn: duckdb.DuckDBPyConnection, info: FileInfo, profile: Profile | None,
                    counted: records.RecordCount, staged: Staged | None = None,
                    progress: Progress | None = None) -> tuple[Staged, Findings, Findings]:
    """stage_receipts (unless staged is given) and account_for_records, staging once more
    from the copy of the records census accepts when the file is not all UTF-8 (DuckDB's
    reader checks only the columns a load reads, census whole lines) or the reader skipped
    records census accepts (ReaderLostRecords). Every path that stages a file (ingest,
    verify, the cluster's task) goes through here, so each reads the same records."""
    staged = staged or stage_receipts(conn, info, profile, progress)
    if counted.not_utf8 and not staged.from_copy:
        staged = stage_receipts(conn, info, profile, progress, accepted_only=True)
    try:
        return staged, *account_for_records(conn, info, staged, counted)
    except ReaderLostRecords:
        staged = stage_receipts(conn, info, profile, progress, accepted_only=True)
        return staged, *account_for_records(conn, info, staged, counted)


def _validation_findings(conn: duckdb.DuckDBPyConnection, query: str, params: dict
                         ) -> tuple[pd.DataFrame, Counter]:
    """The first STORED_REJECTS rows of a query over validated (columns row and code) in
    file order, with their record index, and all of them counted by code."""
    found = db.sql_text(query)
    first = conn.execute(
        f"WITH found AS ({found}) SELECT found.* EXCLUDE (row), "  # noqa: S608 - a query file
        "row - (SELECT min(rowid) FROM validated) AS record_index FROM found "
        "ORDER BY row LIMIT $limit", {**params, "limit": records.STORED_REJECTS}).df()
    counts = Counter(dict(conn.execute(
        f"WITH found AS ({found}) SELECT code, count(*) FROM found GROUP BY code",  # noqa: S608
        params).fetchall()))
    return first, counts


def load_receipts(
    conn: duckdb.DuckDBPyConnection,
    rows_read: int,
    rejected: int,
    ingest_id: int,
    progress: Progress | None = None,
    replaces: int | None = None,
) -> tuple[ReceiptCounts, list[str]]:
    """Store the receipts staged by stage_receipts inside the caller's transaction: decide
    each valid record's outcome against the file and the stored receipts, write, update the
    rollups; return the counts. rows_read and rejected come from account_for_records;
    replaces: the ingest_id of an earlier load of this file whose receipts this load
    replaces (ingest --reload). Also returns the waves whose receipts unique reach leaves
    out (reach_slots.assign). Raises RowsUnaccounted when the outcomes do not add up."""
    step = progress or (lambda fraction, message, rows=None: None)
    step(READING[1], "progress.reading", rows_read)  # all read: the file's records
    step(READING[1], "progress.matching")
    # (wave, operator) partitions whose stored receipts the file replaces are recounted too
    # (a newer state may carry another wave), and so is the reach of their recipients (it may
    # carry another number)
    conn.execute("CREATE TEMP TABLE replaced (wave_id VARCHAR, operator VARCHAR, "
                 "recipient_key UBIGINT)")
    removed = 0
    if replaces is not None:  # the earlier load's receipts go first: they are this file's
        conn.execute("INSERT INTO replaced SELECT DISTINCT wave_id, operator, recipient_key "
                     "FROM receipts WHERE ingest_id = $old", {"old": replaces})
        removed = conn.execute("DELETE FROM receipts WHERE ingest_id = $old",
                               {"old": replaces}).fetchall()[0][0]
    # the file's operators bound the stored receipts to compare with; found only when there
    # are stored receipts (a first load skips the scan)
    file_operators: list[str] = []
    if conn.execute("SELECT EXISTS (SELECT 1 FROM receipts)").fetchall()[0][0]:
        file_operators = conn.execute("SELECT list(DISTINCT operator) FROM validated "
                                      "WHERE reject_reason IS NULL").fetchall()[0][0] or []
    conn.execute("CREATE TEMP TABLE outcomes AS " + db.sql_text("staging/stg_receipts_outcome"),
                 {"file_operators": file_operators})

    counts = ReceiptCounts(rows_read=rows_read, rejected=rejected)
    # a province is unknown when its spelling has no code (stg_province_spellings.sql)
    valid, unknown_province, mismatch = conn.execute(
        """
        SELECT count(*) FILTER (WHERE reject_reason IS NULL),
               count(*) FILTER (WHERE reject_reason IS NULL AND province_raw IN (
                   SELECT province_raw FROM province_spellings WHERE province_code IS NULL)),
               count(*) FILTER (WHERE reject_reason IS NULL
                                AND prefix_operator IS DISTINCT FROM operator)
        FROM validated
        """
    ).fetchall()[0]
    per_outcome = dict(conn.execute(
        "SELECT outcome, count(*) FROM outcomes GROUP BY outcome").fetchall())
    contested = sum(per_outcome.values())
    counts.loaded = valid - contested + per_outcome.get("loaded", 0)
    counts.duplicate = per_outcome.get("duplicate", 0)
    counts.superseded = per_outcome.get("superseded", 0)
    outcomes = counts.loaded + counts.duplicate + counts.superseded + counts.rejected
    if outcomes != rows_read:
        raise RowsUnaccounted(f"the file has {rows_read:,} records but {outcomes:,} outcomes; "
                              "nothing was stored")
    # counted over loaded rows only: duplicates and superseded states are not stored
    not_loaded = conn.execute(
        """
        SELECT count(*) FILTER (WHERE v.province_raw IN (
                   SELECT province_raw FROM province_spellings WHERE province_code IS NULL)),
               count(*) FILTER (WHERE v.prefix_operator IS DISTINCT FROM v.operator)
        FROM outcomes AS o JOIN validated AS v ON v.rowid = o.row_id
        WHERE o.outcome <> 'loaded'
        """
    ).fetchall()[0]
    counts.unknown_province = unknown_province - not_loaded[0]
    counts.operator_mismatch = mismatch - not_loaded[1]

    step(WRITING, "progress.writing")
    # stored receipts are read only when there are any
    if conn.execute("SELECT count(*) FROM outcomes WHERE outcome = 'loaded' AND has_stored"
                    ).fetchall()[0][0]:
        conn.execute(
            """
            INSERT INTO replaced
            SELECT DISTINCT r.wave_id, r.operator, r.recipient_key
            FROM receipts AS r
            SEMI JOIN (SELECT operator, message_id FROM outcomes
                       WHERE outcome = 'loaded' AND has_stored) AS o
                ON o.operator = r.operator AND o.message_id = r.message_id
            """
        )
    conn.execute("CREATE TEMP TABLE touched AS SELECT DISTINCT wave_id, operator FROM replaced")
    counts.replaced = removed + conn.execute(
        db.sql_text("staging/delete_replaced_receipts")).fetchall()[0][0]
    conn.execute(db.sql_text("staging/stg_file_loaded"))
    inserted = conn.execute(db.sql_text("staging/insert_file_receipts"),
                            {"ingest_id": ingest_id}).fetchall()[0][0]
    if inserted != counts.loaded:
        raise RowsUnaccounted(f"{counts.loaded:,} records were to be stored but {inserted:,} "
                              "were written; nothing was stored")
    if _holdout_params(conn)["holdout"]:  # only when a frozen individual experiment exists
        _store_buckets(conn)
    step(ROLLUPS, "progress.rollups")
    conn.execute(db.sql_text("staging/stg_file_cells"))
    conn.execute("INSERT INTO touched SELECT DISTINCT wave_id, operator FROM file_cells "
                 "EXCEPT SELECT wave_id, operator FROM touched")
    slots = reach_slots.assign(conn)
    if slots.late:  # earlier files' receipts enter unique reach with this file: recounted
        conn.execute(db.sql_text("staging/stg_late_placed_receipts"),
                     {"waves": [wave for wave, _ in slots.late],
                      "days": [day for _, day in slots.late], "ingest_id": ingest_id})
        conn.execute("INSERT INTO touched SELECT DISTINCT wave_id, operator FROM late_placed "
                     "EXCEPT SELECT wave_id, operator FROM touched")
    if counts.replaced == 0 and not slots.late:  # only added: add its counts to the rollups
        conn.execute(db.sql_text("staging/merge_rollups"))
        conn.execute(db.sql_text("staging/merge_reach"))
        conn.execute(db.sql_text("staging/store_reach_rows"))
        reach_cells.update(conn, ingest_id)
        sketch.merge_file(conn, ingest_id)
    else:  # stored receipts were replaced or entered unique reach: recount what it touched
        rollups.refresh(conn)  # the shared rollup definitions (queries/rollups/)
        conn.execute(  # the file's recipients and those of the receipts it replaced
            "CREATE TEMP TABLE touched_recipients AS SELECT recipient_key "
            "FROM validated WHERE reject_reason IS NULL "
            "UNION SELECT recipient_key FROM replaced")
        if slots.late:  # and those of the earlier receipts that entered unique reach
            conn.execute("INSERT INTO touched_recipients SELECT recipient_key FROM late_placed "
                         "EXCEPT SELECT recipient_key FROM touched_recipients")
        conn.execute(db.sql_text("staging/refresh_reach"))
        conn.execute(db.sql_text("staging/store_reach_rows"))
        reach_cells.update(conn, ingest_id)
        sketch.refresh_touched(conn, ingest_id)

    step(1.0, "progress.done")
    return counts, slots.left_out


def _store_buckets(conn: duckdb.DuckDBPyConnection) -> None:
    """The hold-out bucket of every recipient of the file's valid receipts in the waves of
    frozen individual experiments (computed by the validation from the number before it was
    pseudonymised), once per experiment and recipient: a recipient seen before keeps its row
    (the same number under the same salt has the same bucket)."""
    conn.execute("CREATE OR REPLACE TEMP VIEW bucketed AS SELECT wave_id, recipient_key, "
                 "holdout_bucket FROM validated WHERE reject_reason IS NULL")
    conn.execute(db.sql_text("staging/store_holdout_buckets"))
