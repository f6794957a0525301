"""Delivery receipts into DuckDB: read, validate, account for every row, merge, roll up.

The heavy lifting is SQL over the whole file inside DuckDB (queries/staging/), so ingest runs
near DuckDB's own CSV speed; Python only orchestrates and writes the accounting.
"""

from __future__ import annotations

import bisect
import contextlib
from collections.abc import Callable
from dataclasses import dataclass

import duckdb
import pandas as pd

from dashboard import config, db
from dashboard.ingest.files import FileInfo, split_header
from dashboard.ingest.privacy import mask_phone_numbers
from dashboard.ingest.profiles import CANONICAL, CANONICAL_COLUMNS, Profile

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


def _drop_reader_tables(conn: duckdb.DuckDBPyConnection) -> None:
    conn.execute("DROP VIEW IF EXISTS file_loaded")
    for table in ("raw_reject_errors", "raw_reject_scans", "raw_file", "raw_lines",
                  "validated", "outcomes", "touched", "status_words",
                  "operator_names", "province_names", "province_spellings", "touched_slots",
                  "touched_recipients", "merged_counts", "merged_latency", "merged_reach"):
        conn.execute(f"DROP TABLE IF EXISTS {table}")  # names from the fixed list above


def read_delimited(conn: duckdb.DuckDBPyConnection, info: FileInfo, profile: Profile) -> None:
    """Temp table raw_file: the file's records with canonical column names, in file order."""
    header = split_header(info.first_line, profile.delimiter)
    by_header = {v.lower(): k for k, v in profile.columns.items()}
    names: list[str] = []
    for position, cell in enumerate(header):
        canonical = by_header.get(cell)
        names.append(canonical if canonical and canonical not in names else f"extra_{position}")
    conn.execute(
        """
        CREATE TEMP TABLE raw_file AS
        SELECT * FROM read_csv($path, columns = $columns, header = false, skip = 1,
                               delim = $delimiter, quote = $quote, escape = $quote,
                               compression = $compression, auto_detect = false,
                               strict_mode = true, store_rejects = true,
                               rejects_table = 'raw_reject_errors',
                               rejects_scan = 'raw_reject_scans')
        """,
        {
            "path": str(info.path),
            "columns": {name: "VARCHAR" for name in names},
            "delimiter": profile.delimiter,
            "quote": profile.quote,
            "compression": info.compression,
        },
    )
    for column in CANONICAL_COLUMNS:
        if column not in names:  # allow-listed identifier
            conn.execute(f"ALTER TABLE raw_file ADD COLUMN {column} VARCHAR")


def read_lines(conn: duckdb.DuckDBPyConnection, info: FileInfo) -> None:
    """Temp table raw_lines: one row per physical line (NULL for a blank one)."""
    conn.execute(
        """
        CREATE TEMP TABLE raw_lines AS
        SELECT * FROM read_csv($path, columns = {'line': 'VARCHAR'}, header = false,
                               delim = chr(31), quote = '', escape = '',
                               compression = $compression, auto_detect = false,
                               strict_mode = true, store_rejects = true,
                               rejects_table = 'raw_reject_errors',
                               rejects_scan = 'raw_reject_scans')
        """,
        {"path": str(info.path), "compression": info.compression},
    )


def _province_names(conn: duckdb.DuckDBPyConnection) -> None:
    """Temp table province_names: each distinct province spelling of the file (temp table
    province_spellings) with its code (NULL when unknown), normalised as
    reference.province_key does."""
    conn.execute(
        """
        CREATE TEMP TABLE province_names AS
        SELECT d.province_raw, a.province_code
        FROM province_spellings AS d
        LEFT JOIN province_aliases AS a
            ON a.alias_key = regexp_replace(regexp_replace(lower(trim(d.province_raw)),
                                            '[^a-z0-9]', '', 'g'), '^(provinsi|prov)', '')
        """
    )


def _lookup_tables(conn: duckdb.DuckDBPyConnection, profile: Profile) -> None:
    words = pd.DataFrame(list(profile.status_words.items()), columns=["word", "state"])
    conn.register("status_words_frame", words)
    conn.execute("CREATE TEMP TABLE status_words AS SELECT * FROM status_words_frame")
    conn.unregister("status_words_frame")
    conn.execute(
        """
        CREATE TEMP TABLE operator_names AS
        SELECT DISTINCT alias, operator FROM (
            SELECT operator AS alias, operator FROM operators
            UNION ALL SELECT lower(name), operator FROM operators
            UNION ALL SELECT lower(brand), operator FROM operator_prefixes)
        """
    )


def load_receipts(
    conn: duckdb.DuckDBPyConnection,
    info: FileInfo,
    profile: Profile | None,
    ingest_id: int,
    progress: Progress | None = None,
) -> tuple[ReceiptCounts, pd.DataFrame]:
    """Load one receipts file inside the caller's transaction; return counts and rejects.

    profile None means SMPP JSON Lines. Rejects carry line, reason and the masked raw line.
    """
    step = progress or (lambda fraction, message: None)
    _drop_reader_tables(conn)
    is_jsonl = profile is None
    step(0.05, "reading")
    if is_jsonl:
        read_lines(conn, info)
        parser, params, first_data_line = "staging/stg_receipts_smpp", {}, 1
        conn.execute(
            "CREATE TEMP TABLE province_spellings AS SELECT DISTINCT "
            "nullif(trim(json_extract_string(line, '$.region')), '') AS province_raw "
            "FROM raw_lines WHERE json_valid(line)")
    else:
        read_delimited(conn, info, profile)
        parser, first_data_line = "staging/stg_receipts_delimited", 2
        params = {"operator": profile.operator, "timestamp_format": profile.timestamp_format,
                  "utc_offset_s": profile.utc_offset_seconds}
        conn.execute(
            "CREATE TEMP TABLE province_spellings AS SELECT DISTINCT "
            "nullif(trim(province), '') AS province_raw FROM raw_file")
    _lookup_tables(conn, profile or CANONICAL)
    _province_names(conn)
    step(0.35, "validating")
    # one statement: the parser is the CTE `parsed` of the validation, so values stay bound
    statement = " ".join([  # two query files composed; every value is bound
        "CREATE TEMP TABLE validated AS WITH parsed AS (", db.sql_text(parser), ")",
        "SELECT * FROM (", db.sql_text("staging/stg_receipts_validated"), ")"])
    # rows carry their record_index, so the validated copy need not keep file order
    conn.execute("SET preserve_insertion_order = false")
    try:
        conn.execute(statement, {"secret": config.pseudonym_secret(), **params})
    finally:
        # after a failed statement the transaction refuses every command: RESET once the
        # caller has rolled back (ingest_file), so the real error is the one reported
        with contextlib.suppress(duckdb.TransactionException):
            conn.execute("RESET preserve_insertion_order")
    step(0.55, "matching against stored receipts")
    conn.execute("CREATE TEMP TABLE outcomes AS " + db.sql_text("staging/stg_receipts_outcome"))

    counts = ReceiptCounts()
    reader_rejects = _reader_rejects(conn)
    valid, validation_rejected, unknown_province, mismatch = conn.execute(
        """
        SELECT count(*) FILTER (WHERE reject_reason IS NULL),
               count(*) FILTER (WHERE reject_reason IS NOT NULL),
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
        FROM outcomes AS o JOIN validated AS v USING (record_index)
        WHERE o.outcome <> 'loaded'
        """
    ).fetchall()[0]
    counts.unknown_province = unknown_province - not_loaded[0]
    counts.operator_mismatch = mismatch - not_loaded[1]

    step(0.7, "writing")
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
        SELECT * FROM validated
        ANTI JOIN (SELECT record_index FROM outcomes WHERE outcome <> 'loaded') USING (record_index)
        WHERE reject_reason IS NULL
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
    conn.execute(
        "CREATE TEMP TABLE touched AS SELECT DISTINCT wave_id, operator FROM validated "
        "WHERE reject_reason IS NULL")
    _check_reach_slots(conn)
    conn.execute(db.sql_text("staging/assign_reach_slots"))
    if counts.replaced == 0:  # the file only added receipts: add its counts to the rollups
        conn.execute(db.sql_text("staging/merge_rollups"))
        conn.execute(db.sql_text("staging/merge_reach"))
    else:  # stored receipts were replaced: recount what the file touched
        conn.execute(db.sql_text("staging/refresh_rollups"))
        conn.execute(
            "CREATE TEMP TABLE touched_recipients AS SELECT DISTINCT recipient_key "
            "FROM validated WHERE reject_reason IS NULL")
        conn.execute(db.sql_text("staging/refresh_reach"))

    line_map = LineMap(reader_rejects["line"].tolist(), first_data_line)
    rejects = _collect_rejects(conn, reader_rejects, line_map)
    _drop_reader_tables(conn)
    step(1.0, "done")
    return counts, rejects


MAX_REACH_SLOTS = 127  # bits of a HUGEINT below the sign bit


def _check_reach_slots(conn: duckdb.DuckDBPyConnection) -> None:
    """Temp table touched_slots: the (wave, send day) pairs of the file's delivered receipts;
    refuse a file that would need more slots than the reach rollup's bitmask holds."""
    conn.execute(
        "CREATE TEMP TABLE touched_slots AS SELECT DISTINCT wave_id, send_date FROM validated "
        "WHERE reject_reason IS NULL AND status = 'DELIVRD'")
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
        "SELECT record_index, reject_reason AS reason, raw_line FROM validated "
        "WHERE reject_reason IS NOT NULL ORDER BY record_index"
    ).df()
    if validation["raw_line"].isna().all() and not validation.empty:
        validation["raw_line"] = _delimited_raw_lines(conn, validation["record_index"].tolist())
    validation["line"] = [line_map.line(int(i)) for i in validation["record_index"]]
    rejects = pd.concat([structural, validation[["line", "reason", "raw_line"]]])
    rejects["raw_line"] = [mask_phone_numbers(r) if isinstance(r, str) else r
                           for r in rejects["raw_line"]]
    return rejects.sort_values("line").reset_index(drop=True)


def _delimited_raw_lines(conn: duckdb.DuckDBPyConnection, record_indexes: list[int]
                         ) -> list[str]:
    """The fields of the given records of raw_file, joined as they were read."""
    rows = dict(conn.execute(
        """
        WITH indexed AS (
            SELECT rowid - (SELECT min(rowid) FROM raw_file) AS record_index, *
            FROM raw_file)
        SELECT record_index, concat_ws(' | ', operator, message_id, wave_id, msisdn, province,
                                       submitted_at, done_at, status, error_code)
        FROM indexed WHERE list_contains($wanted, record_index)
        """,
        {"wanted": record_indexes},
    ).fetchall())
    return [rows.get(i) for i in record_indexes]


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


