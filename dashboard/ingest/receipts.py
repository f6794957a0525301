"""Delivery receipts into DuckDB: read, validate, account for every row, merge, roll up.

The heavy lifting is SQL over the whole file inside DuckDB (queries/staging/), so ingest runs
near DuckDB's own CSV speed; Python only orchestrates and writes the accounting.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable
from dataclasses import dataclass

import duckdb
import pandas as pd

from dashboard import config, db, reach_cells, reference, sketch
from dashboard.ingest.files import FileInfo, split_header
from dashboard.ingest.privacy import mask_phone_numbers
from dashboard.ingest.profiles import CANONICAL, Profile

Progress = Callable[[float, str], None]
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


class LineMap:
    """Maps the index of an accepted record to its physical line, given the lines the reader
    rejected. Exact for line-per-record files; for CSV it assumes no blank lines and no quoted
    line breaks before the record (a reader that skips them does not tell us where)."""

    def __init__(self, rejected_lines: list[int], first_data_line: int) -> None:
        self.rejected = sorted(set(rejected_lines))
        self.first = first_data_line

    def line(self, record_index: int) -> int:
        candidate = self.first + record_index
        while True:  # shift past every rejected line at or before the candidate
            skipped = bisect.bisect_right(self.rejected, candidate)
            target = self.first + record_index + skipped
            if target == candidate:
                return candidate
            candidate = target


def _reader_rejects(conn: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Structural errors DuckDB's CSV reader set aside: one row per physical line."""
    return conn.execute(
        """
        SELECT line, string_agg(DISTINCT error_type, ', ') AS error_type,
               any_value(csv_line) AS csv_line
        FROM raw_reject_errors GROUP BY line ORDER BY line
        """
    ).df()


def drop_staging(conn: duckdb.DuckDBPyConnection) -> None:
    """Drop the temp tables of one receipts load (safe to repeat)."""
    conn.execute("DROP VIEW IF EXISTS file_loaded")
    for table in ("raw_reject_errors", "raw_reject_scans", "validated", "outcomes", "touched",
                  "replaced", "touched_slots", "touched_recipients", "file_cells",
                  "merged_counts", "merged_latency", "merged_reach", "cells_change",
                  "cells_merged"):
        conn.execute(f"DROP TABLE IF EXISTS {table}")  # names from the fixed list above
    _drop_lookups(conn)


def delimited_source(info: FileInfo, profile: Profile) -> dict[str, object]:
    """The values of src_receipts_delimited.sql for a file: its header cells mapped to
    canonical column names (a cell the profile does not know kept as extra_<position>)."""
    header = split_header(info.first_line, profile.delimiter)
    by_header = {v.lower(): k for k, v in profile.columns.items()}
    names: list[str] = []
    for position, cell in enumerate(header):
        canonical = by_header.get(cell)
        names.append(canonical if canonical and canonical not in names else f"extra_{position}")
    return {"path": str(info.path), "columns": {name: "VARCHAR" for name in names},
            "delimiter": profile.delimiter, "quote": profile.quote,
            "compression": info.compression}


# lookup name -> its parameters in stg_receipts_validated.sql. Small lookups are two lists
# (the spellings, and the value of each in the same order) read with list_position: measured
# on 1 M rows, a 40-entry list is half the CPU of an ENUM cast. The province spellings (400)
# are temp ENUM types (a hash lookup) whose list gives the value in the type's order. No
# join: a join does not keep the file's row order in the validated copy.
LIST_LOOKUPS = {
    "operator_alias": ("operator_aliases", "operator_of_alias"),
    "status_word": ("status_words", "state_of_word"),
    "error_spelling": ("error_spellings", "code_of_error_spelling"),
    "number_prefix": ("number_prefixes", "operator_of_prefix"),
}
ENUM_LOOKUPS = {
    "province_spelling": "code_of_province_spelling",
    "province_alias": "code_of_province_alias",
}
# the staged operator, prefix operator, SMPP state and error code are temp ENUM types of the
# values they can take, not text: a one- or two-byte code is cheaper to copy into the staged
# table and to group by in every rollup (measured at 10 M: the whole ingest 17.4-17.6 s ->
# 15.6-15.7 s for the first three, about 0.35 s more for the error code). The receipts table
# keeps text; the insert casts.
# type name -> (the lookups whose values it holds, values beyond them): an error code not
# spelled as listed is kept as its number, zero-padded to three digits
VALUE_TYPES = {"operator_name": (("operator_alias", "number_prefix"), ()),
               "state_name": (("status_word",), ()),
               "error_code_name": (("error_spelling",),
                                   tuple(f"{number:03d}" for number in range(10_000)))}


def _lookups(conn: duckdb.DuckDBPyConnection, profile: Profile) -> dict[str, list]:
    """The validation's lookup parameters; creates the ENUM_LOOKUPS temp types."""
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
        "province_spelling": dict(reference.province_spellings().itertuples(index=False)),
        "province_alias": dict(conn.execute(
            "SELECT alias_key, province_code FROM province_aliases").fetchall()),
        "number_prefix": dict(conn.execute(
            "SELECT prefix, operator FROM operator_prefixes").fetchall()),
    }
    params: dict[str, list] = {}
    for name, (keys, values) in LIST_LOOKUPS.items():
        params[keys], params[values] = list(mappings[name]), list(mappings[name].values())
    for name, values in ENUM_LOOKUPS.items():
        order = _create_enum(conn, name, list(mappings[name]))
        params[values] = [mappings[name][key] for key in order]
    for type_name, (lookups, more) in VALUE_TYPES.items():
        _create_enum(conn, type_name, sorted(
            {value for name in lookups for value in mappings[name].values()} | set(more)))
    return params


def _create_enum(conn: duckdb.DuckDBPyConnection, name: str, keys: list[str]) -> list[str]:
    """Create temp ENUM type `name` (a fixed name from ENUM_LOOKUPS or VALUE_TYPES) of the
    keys; return them in the type's order."""
    conn.register("lookup_keys", pd.DataFrame({"key": keys}, dtype=object))
    conn.execute(f"CREATE TEMP TYPE {name} AS ENUM (SELECT key FROM lookup_keys)")  # noqa: S608
    conn.unregister("lookup_keys")
    order = conn.execute(f"SELECT unnest(enum_range(NULL::{name}))").fetchall()  # noqa: S608
    return [key for (key,) in order]


def _drop_lookups(conn: duckdb.DuckDBPyConnection) -> None:
    for name in (*ENUM_LOOKUPS, *VALUE_TYPES):
        conn.execute(f"DROP TYPE IF EXISTS {name}")  # names from the fixed dicts above


def stage_receipts(
    conn: duckdb.DuckDBPyConnection,
    info: FileInfo,
    profile: Profile | None,
    progress: Progress | None = None,
) -> int:
    """Read, parse and validate one receipts file into temp table `validated` (one row per
    record, in file order, each with its reject reason), outside any transaction; return the
    file's first data line. profile None means SMPP JSON Lines.

    Outside the transaction because DuckDB scans a table made inside an open transaction on
    one thread: the writes that read `validated` (load_receipts) ran at half speed. Temp
    tables are the connection's own, so nothing stored changes here; drop_staging clears them.
    """
    step = progress or (lambda fraction, message: None)
    drop_staging(conn)
    step(0.05, "reading and validating")
    if profile is None:
        source = "staging/src_receipts_lines"
        source_params = {"path": str(info.path), "compression": info.compression}
        parser, params, first_data_line = "staging/stg_receipts_smpp", {}, 1
    else:
        source, source_params = "staging/src_receipts_delimited", delimited_source(info, profile)
        parser, first_data_line = "staging/stg_receipts_delimited", 2
        params = {"operator": profile.operator, "timestamp_format": profile.timestamp_format,
                  "utc_offset_s": profile.utc_offset_seconds}
    lookups = _lookups(conn, profile or CANONICAL)
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
    values = {"secret": config.pseudonym_secret(), **source_params, **params, **lookups}
    used = set().union(*(db.query_params(name) for name in
                         (source, parser, "staging/stg_receipts_validated")))
    conn.execute(statement, {name: value for name, value in values.items() if name in used})
    return first_data_line


def load_receipts(
    conn: duckdb.DuckDBPyConnection,
    first_data_line: int,
    ingest_id: int,
    progress: Progress | None = None,
) -> tuple[ReceiptCounts, pd.DataFrame]:
    """Store the receipts staged by stage_receipts inside the caller's transaction: decide
    each valid record's outcome against the file and the stored receipts, write, update the
    rollups; return counts and rejects (line, reason, masked raw line)."""
    step = progress or (lambda fraction, message: None)
    step(0.55, "matching against stored receipts")
    # the file's operators bound the stored receipts to compare with; found only when there
    # are stored receipts (a first load skips the scan)
    file_operators: list[str] = []
    if conn.execute("SELECT EXISTS (SELECT 1 FROM receipts)").fetchall()[0][0]:
        file_operators = conn.execute("SELECT list(DISTINCT operator) FROM validated "
                                      "WHERE reject_reason IS NULL").fetchall()[0][0] or []
    conn.execute("CREATE TEMP TABLE outcomes AS " + db.sql_text("staging/stg_receipts_outcome"),
                 {"file_operators": file_operators})

    counts = ReceiptCounts()
    reader_rejects = _reader_rejects(conn)
    valid, validation_rejected, unknown_province, mismatch = conn.execute(
        """
        SELECT count(*) FILTER (WHERE reject_reason IS NULL),
               count(*) FILTER (WHERE reject_reason IS NOT NULL AND NOT is_blank),
               count(*) FILTER (WHERE reject_reason IS NULL AND province_unrecognised),
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
    counts.rejected = validation_rejected + len(reader_rejects)
    counts.rows_read = counts.loaded + counts.duplicate + counts.superseded + counts.rejected
    # counted over loaded rows only: duplicates and superseded states are not stored
    not_loaded = conn.execute(
        """
        SELECT count(*) FILTER (WHERE v.province_unrecognised),
               count(*) FILTER (WHERE v.prefix_operator IS DISTINCT FROM v.operator)
        FROM outcomes AS o JOIN validated AS v ON v.rowid = o.row_id
        WHERE o.outcome <> 'loaded'
        """
    ).fetchall()[0]
    counts.unknown_province = unknown_province - not_loaded[0]
    counts.operator_mismatch = mismatch - not_loaded[1]

    step(0.7, "writing")
    # (wave, operator) partitions whose stored receipts the file replaces are recounted too
    # (a newer state may carry another wave), and so is the reach of their recipients (it may
    # carry another number); stored receipts are read only when there are any
    conn.execute("CREATE TEMP TABLE touched (wave_id VARCHAR, operator VARCHAR)")
    replacing = conn.execute(
        "SELECT count(*) FROM outcomes WHERE outcome = 'loaded' AND has_stored").fetchall()[0][0]
    if replacing:
        conn.execute(
            """
            CREATE TEMP TABLE replaced AS
            SELECT DISTINCT r.wave_id, r.operator, r.recipient_key
            FROM receipts AS r
            SEMI JOIN (SELECT operator, message_id FROM outcomes
                       WHERE outcome = 'loaded' AND has_stored) AS o
                ON o.operator = r.operator AND o.message_id = r.message_id
            """
        )
        conn.execute("INSERT INTO touched SELECT DISTINCT wave_id, operator FROM replaced")
    counts.replaced = conn.execute(
        """
        DELETE FROM receipts WHERE (operator, message_id) IN (
            SELECT operator, message_id FROM outcomes WHERE outcome = 'loaded' AND has_stored)
        """
    ).fetchall()[0][0]
    # the file's receipts that are stored: valid, and neither duplicate nor superseded
    conn.execute(
        """
        CREATE TEMP VIEW file_loaded AS
        SELECT v.* FROM validated AS v
        ANTI JOIN (SELECT row_id FROM outcomes WHERE outcome <> 'loaded') AS n
            ON n.row_id = v.rowid
        WHERE v.reject_reason IS NULL
        """
    )
    conn.execute(
        """
        INSERT INTO receipts
        SELECT operator, message_id, wave_id, recipient_key, province_code, submitted_at,
               done_at, status, error_code, prefix_operator, $ingest_id, send_date
        FROM file_loaded
        """,
        {"ingest_id": ingest_id},
    )
    step(0.85, "updating rollups")
    conn.execute(db.sql_text("staging/stg_file_cells"))
    conn.execute("INSERT INTO touched SELECT DISTINCT wave_id, operator FROM file_cells "
                 "EXCEPT SELECT wave_id, operator FROM touched")
    _check_reach_slots(conn)
    conn.execute(db.sql_text("staging/assign_reach_slots"))
    if counts.replaced == 0:  # the file only added receipts: add its counts to the rollups
        conn.execute(db.sql_text("staging/merge_rollups"))
        conn.execute(db.sql_text("staging/merge_reach"))
        reach_cells.update(conn, ingest_id)
        sketch.merge_file(conn, ingest_id)
    else:  # stored receipts were replaced: recount what the file touched
        conn.execute(db.sql_text("staging/refresh_rollups"))
        conn.execute(  # the file's recipients and those of the receipts it replaced
            "CREATE TEMP TABLE touched_recipients AS SELECT recipient_key "
            "FROM validated WHERE reject_reason IS NULL "
            "UNION SELECT recipient_key FROM replaced")
        conn.execute(db.sql_text("staging/refresh_reach"))
        reach_cells.update(conn, ingest_id)
        sketch.refresh_touched(conn, ingest_id)

    line_map = LineMap(reader_rejects["line"].tolist(), first_data_line)
    rejects = _collect_rejects(conn, reader_rejects, line_map)
    step(1.0, "done")
    return counts, rejects


MAX_REACH_SLOTS = 127  # bits of a HUGEINT below the sign bit


def _check_reach_slots(conn: duckdb.DuckDBPyConnection) -> None:
    """Temp table touched_slots: the (wave, send day) pairs of the file's delivered receipts;
    refuse a file that would need more slots than the reach rollup's bitmask holds."""
    conn.execute(
        "CREATE TEMP TABLE touched_slots AS SELECT DISTINCT wave_id, send_date FROM file_cells "
        "WHERE status = 'DELIVRD'")
    slots = conn.execute(
        "SELECT count(*) FROM (SELECT wave_id, send_date FROM reach_slots UNION "
        "SELECT wave_id, send_date FROM touched_slots)").fetchall()[0][0]
    if slots > MAX_REACH_SLOTS:
        raise ValueError(f"the campaign would have {slots} (wave, send day) pairs; unique reach "
                         f"is kept for at most {MAX_REACH_SLOTS}")


def _collect_rejects(conn: duckdb.DuckDBPyConnection, reader_rejects: pd.DataFrame,
                     line_map: LineMap) -> pd.DataFrame:
    structural = pd.DataFrame({
        "line": reader_rejects["line"].astype("int64"),
        "reason": [_reader_reason(t) for t in reader_rejects["error_type"]],
        "raw_line": reader_rejects["csv_line"],
    })
    validation = conn.execute(
        # rows are in file order (blank JSON lines included): the rowid gives the record index
        "SELECT rowid - (SELECT min(rowid) FROM validated) AS record_index, "
        "reject_reason AS reason, raw_line FROM validated "
        "WHERE reject_reason IS NOT NULL AND NOT is_blank ORDER BY record_index"
    ).df()
    validation["line"] = [line_map.line(int(i)) for i in validation["record_index"]]
    rejects = pd.concat([structural, validation[["line", "reason", "raw_line"]]])
    rejects["raw_line"] = [mask_phone_numbers(r) if isinstance(r, str) else r
                           for r in rejects["raw_line"]]
    return rejects.sort_values("line").reset_index(drop=True)


def _reader_reason(error_type: str) -> str:
    reasons = {
        "MISSING COLUMNS": "wrong_column_count: fewer columns than the header (truncated line?)",
        "TOO MANY COLUMNS": "wrong_column_count: more columns than the header",
        "INVALID ENCODING": "invalid_utf8: the line is not valid UTF-8 text",
        "UNQUOTED VALUE": "bad_quoting: a quote is not closed or not escaped",
        "LINE SIZE OVER MAXIMUM": "line_too_long: the line exceeds the maximum line size",
    }
    return "; ".join(reasons.get(t.strip(), f"unreadable_line: {t.strip()}")
                     for t in error_type.split(","))


