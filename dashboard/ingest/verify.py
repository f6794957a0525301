"""Check a loaded file against its log entry, counting its records again without the reader.

Databases loaded before the reader fix (issue 13) may hold files logged as loaded with rows
missing; loading such a file again is skipped by its SHA-256. `verify` finds them and
`ingest --reload` repairs them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from dashboard.ingest import (
    CR_ONLY_NOTE,
    FilePlan,
    LineEndsSeenLate,
    counted_cr_line_ends,
    planned,
    records,
)
from dashboard.ingest.files import FileProblem, safe_file_name
from dashboard.ingest.receipts import RowsUnaccounted, drop_staging, stage_accounted
from dashboard.ingest.stand_ins import owes_message_id_stand_ins
from dashboard.store import large_campaign


@dataclass
class Verification:
    file_name: str
    records: int | None = None  # counted now
    ingest_id: int | None = None  # the load that holds the file's content
    problems: list[str] = field(default_factory=list)
    messages_checked: bool = True  # False: large-campaign mode, the receipts are not here

    @property
    def ok(self) -> bool:
        return not self.problems

    def summary(self) -> str:
        if self.ok:
            return (f"{self.file_name}: ok: {self.records:,} records, as logged by ingest "
                    f"{self.ingest_id}" + ("" if self.messages_checked else
                                           " (the cluster read it: its receipts are in the "
                                           "lake, not in this database, so only the count "
                                           "was checked)"))
        return f"{self.file_name}: " + "; ".join(self.problems)


def verify_file(conn: duckdb.DuckDBPyConnection, path: Path, kind: str | None = None,
                profile: str | None = None) -> Verification:
    """Recount the file's records and compare them with its log entry; for receipts, also
    check that every valid record's message is stored (a later file may have replaced its
    state, never removed it)."""
    name = safe_file_name(path.name)
    mend: tuple[str, ...] = ()
    while True:
        try:
            with planned(path, kind, profile, name, mend) as (plan, notes):  # as ingest reads
                return _verify_planned(conn, plan, name, CR_ONLY_NOTE in notes)
        except LineEndsSeenLate:
            mend = ("cr_only",)
        except FileProblem as exc:
            return Verification(name, problems=[str(exc).removeprefix(f"{name}: ")])


def _verify_planned(conn: duckdb.DuckDBPyConnection, plan: FilePlan, name: str,
                    line_ends_mended: bool) -> Verification:
    result = Verification(name)
    sha256, counted = records.fingerprint(plan.info.path, plan.info.compression, plan.layout)
    # the rule the native load and the cluster ask (counted_cr_line_ends), not a copy of it
    if not line_ends_mended and counted_cr_line_ends(counted):
        raise LineEndsSeenLate
    result.records = counted.records
    logged = conn.execute(
        "SELECT ingest_id, rows_read, loaded + duplicate + superseded + rejected "
        "FROM ingest_log WHERE sha256 = $sha AND outcome = 'loaded' "
        "ORDER BY ingest_id DESC LIMIT 1", {"sha": sha256}).fetchall()
    if not logged:
        result.problems.append("not loaded: no load of this content is logged")
        return result
    result.ingest_id, rows_read, outcomes = logged[0]
    if rows_read != counted.records or outcomes != counted.records:
        result.problems.append(
            f"the file has {counted.records:,} records but ingest {result.ingest_id} logged "
            f"{rows_read:,} read and {outcomes:,} outcomes")
    # large-campaign mode: the file was read by the cluster and its accounting attached, its
    # receipts are in the lake; "not stored" would be true of every record and say nothing
    result.messages_checked = plan.kind != "receipts" or not large_campaign.is_large(conn)
    if plan.kind == "receipts" and result.messages_checked and owes_message_id_stand_ins(conn):
        result.problems.append(
            "stored message ids shaped like a phone number are still to be rewritten as "
            "stand-ins (migration 0014), so stored messages cannot be compared yet: run "
            "`python -m dashboard init` on this database once, then verify again")
        return result
    if plan.kind == "receipts" and result.messages_checked:
        try:
            missing = _messages_not_stored(conn, plan, counted)
        except RowsUnaccounted as exc:  # the reader and the count disagree now
            result.problems.append(str(exc).removesuffix("; nothing was stored"))
            missing = 0
        if missing:
            result.problems.append(f"{missing:,} valid records' messages are not stored")
    if result.problems:
        result.problems.append(f"repair: python -m dashboard ingest --reload {name}")
    return result


def _messages_not_stored(conn: duckdb.DuckDBPyConnection, plan: FilePlan,
                         counted: records.RecordCount) -> int:
    try:  # staged as ingest stages it (Windows-1252 records too); temp tables only
        stage_accounted(conn, plan.info, plan.profile, counted)
        return conn.execute(
            """
            SELECT count(*) FROM (
                SELECT DISTINCT operator::VARCHAR AS operator, message_id
                FROM validated WHERE reject_reason IS NULL) AS v
            ANTI JOIN receipts AS r ON r.operator = v.operator AND r.message_id = v.message_id
            """).fetchall()[0][0]
    finally:
        drop_staging(conn)
