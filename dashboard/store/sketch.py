"""HyperLogLog unique reach: keeping the sketch of queries/ddl/sketch.sql current, and choosing
between exact and approximate unique reach for the pages.

Exact unique reach counts distinct recipients in reach_recipients, whose cost grows with the
campaign (about 2 s per table at 100 M receipts). The sketch answers any filter in a few tens of
milliseconds with a standard error of 1.04 / sqrt(2^PRECISION) (1.6 %): estimated with Ertl's
improved estimator, its measured RMSE is 1.1-1.6 % and its mean error at most 0.2 % at every
size from 100 to 10^7 recipients (tests/test_sketch.py; the 2007 estimator it replaced was
2.4 % high near 10,000). Pages use it once reach_recipients has more rows than
config.exact_reach_max_rows(), and say so; where the filter selects exactly one whole wave, the
operator x province table reads exact counts from the rollup reach_cells instead
(dashboard/store/reach_cells.py) and says nothing.

The sketch is only used while it includes every loaded receipts file: reach_sketch_state
records the last one (ingest_log.ingest_id). Ingest keeps it so with merge_file (a file that
only added receipts) or refresh_touched (a file that replaced stored receipts); a database
whose sketch is missing, stale or built with another precision is rebuilt from receipts by
ensure_sketch, which db.init_schema runs on every writable connect. Not in large-campaign mode
(store/large_campaign.py): there are no receipts, and a sketch rebuilt from none would make
every unique reach 0. There such a sketch (or a stale reach_cells) is never rebuilt and never
read: check_served refuses the read-only open (and use_sketch any page's unique reach), saying
that `cluster rollups` and `cluster attach` must run again (NeedsClusterRollups).
"""

from __future__ import annotations

import logging
import math

import duckdb

from dashboard import config
from dashboard.i18n import MISSING, format_percent, t
from dashboard.store import db, large_campaign, reach_cells

PRECISION = 12  # p: m = 2^p registers; must equal hll_p() in queries/ddl/sketch.sql
REGISTERS = 1 << PRECISION
STANDARD_ERROR = 1.04 / math.sqrt(REGISTERS)  # relative: 0.01625, the largest RMSE measured
APPROXIMATE_COLUMN = "unique_reach_approximate"

log = logging.getLogger(__name__)


class NeedsClusterRollups(config.ConfigError):
    """A database in large-campaign mode whose sketch or reach_cells is not the one its last
    attach wrote for this version (another precision, or missing or stale state): without the
    raw receipts only `cluster rollups` and `cluster attach` can give it again. str() says it
    in English and Indonesian (the CLI's one line); message(lang) in the reader's language."""

    KEY = "cluster.rollups_stale"

    def __init__(self, found: object) -> None:
        self.params = {"found": "-" if found is None else str(found), "wanted": PRECISION}
        super().__init__(f"{self.message('en')} / {self.message('id')}")

    def message(self, lang: str = "id") -> str:
        return t(self.KEY, lang, **self.params)


def check_served(conn: duckdb.DuckDBPyConnection) -> None:
    """In large-campaign mode, raise NeedsClusterRollups unless the sketch has this version's
    precision and includes the last attach, and reach_cells does too; nothing on a native
    database (its sketch and cells are rebuilt from receipts, or exact counts are used)."""
    if not large_campaign.is_large(conn):
        return
    if not is_current(conn) or not reach_cells.is_current(conn):
        state = _state(conn)
        raise NeedsClusterRollups(state[0] if state is not None else None)


def ensure_sketch(conn: duckdb.DuckDBPyConnection) -> None:
    """Create the sketch's tables and macros; rebuild the sketch from receipts when it does not
    include every loaded receipts file (a database from before the sketch, or one loaded by a
    version that did not keep it) or was built with another precision. In large-campaign mode
    it is left as it is, never rebuilt from the absent receipts (check_served refuses to read
    it; `cluster attach` replaces it)."""
    conn.execute(db.sql_text("ddl/sketch"))
    if not is_current(conn):
        if large_campaign.is_large(conn):
            state = _state(conn)
            log.warning("%s", NeedsClusterRollups(state[0] if state is not None else None))
            return
        if _state(conn) is not None:
            log.warning("the unique-reach sketch is stale: rebuilding it from receipts")
        rebuild_sketch(conn)


def rebuild_sketch(conn: duckdb.DuckDBPyConnection) -> None:
    """Rebuild the whole sketch from receipts, in one transaction."""
    with db.transaction(conn):
        _rebuild(conn, db.last_receipts_ingest(conn))


def merge_file(conn: duckdb.DuckDBPyConnection, ingest_id: int) -> None:
    """Add the file being loaded (temp view file_loaded, slots already assigned) to the sketch.
    Runs inside the file's transaction."""
    _update(conn, ingest_id, "staging/merge_sketch")


def refresh_touched(conn: duckdb.DuckDBPyConnection, ingest_id: int) -> None:
    """Rebuild the sketch of the (wave, operator) pairs in temp table touched from receipts,
    after a file replaced stored receipts. Runs inside the file's transaction."""
    _update(conn, ingest_id, "staging/refresh_sketch")


def _update(conn: duckdb.DuckDBPyConnection, ingest_id: int, query: str) -> None:
    """Run the update query; if the sketch had missed an earlier file, rebuild it from
    receipts instead (they already hold this file's rows)."""
    if is_current(conn, ignoring=ingest_id):
        conn.execute(db.sql_text(query))
        _set_state(conn, ingest_id)
    else:
        log.warning("the unique-reach sketch had missed a file: rebuilding it from receipts")
        _rebuild(conn, ingest_id)


def is_current(conn: duckdb.DuckDBPyConnection, ignoring: int | None = None) -> bool:
    """True when the sketch has this module's precision and includes every loaded receipts
    file (leaving out the file `ignoring`, the one being loaded)."""
    state = _state(conn)
    if state is None:
        return False
    precision, covered = state
    return precision == PRECISION and covered == db.last_receipts_ingest(conn, ignoring)


def use_sketch(conn: duckdb.DuckDBPyConnection) -> bool:
    """Whether pages should show approximate unique reach: always on a database attached from
    cluster rollups (large-campaign mode, store/large_campaign.py); else when
    reach_recipients has more rows than config.exact_reach_max_rows() (None: never) and the
    sketch and reach_cells (which the approximate operator x province table reads for whole
    waves) are current (else exact, with a warning: slower, never wrong). In large-campaign
    mode a sketch or reach_cells that is not current raises NeedsClusterRollups."""
    if large_campaign.is_large(conn):  # no reach_recipients: the sketch is all there is
        check_served(conn)  # never a sketch of another precision, nor one rebuilt from nothing
        return True
    limit = config.exact_reach_max_rows()
    if limit is None:
        return False
    try:
        rows = conn.execute("SELECT count(*) FROM reach_recipients").fetchall()[0][0]
    except duckdb.CatalogException:
        return False
    if rows <= limit:
        return False
    if not is_current(conn):
        log.warning("unique reach: the sketch is missing or stale, so the exact count is used "
                    "(slow at this size); open the database for writing once to rebuild it")
        return False
    if not reach_cells.is_current(conn):  # the estimated operator x province table reads it
        log.warning("unique reach: the per-wave rollup reach_cells is missing or stale, so the "
                    "exact count is used; open the database for writing once to rebuild it")
        return False
    return True


def is_approximate(frame: object) -> bool:
    """Whether a result table's unique reach is an estimate (its approximate column is true)."""
    columns = getattr(frame, "columns", ())
    return APPROXIMATE_COLUMN in columns and bool(frame[APPROXIMATE_COLUMN].fillna(False).any())


def note(lang: str = "id") -> str:
    """The caption beside an estimated unique reach, with the standard error."""
    return t("ui.reach_approximate", lang, error=format_percent(STANDARD_ERROR, 1, lang))


def mark(text: str, approximate: bool) -> str:
    """A formatted unique reach, with "≈ " in front when it is an estimate."""
    return f"≈ {text}" if approximate and text != MISSING else text


def _state(conn: duckdb.DuckDBPyConnection) -> tuple[int, int | None] | None:
    try:
        rows = conn.execute("SELECT p, ingest_id FROM reach_sketch_state").fetchall()
    except duckdb.CatalogException:  # a read-only database from before the sketch
        return None
    return (int(rows[0][0]), rows[0][1]) if len(rows) == 1 else None


def _rebuild(conn: duckdb.DuckDBPyConnection, ingest_id: int | None) -> None:
    conn.execute(db.sql_text("staging/rebuild_sketch"))
    _set_state(conn, ingest_id)


def _set_state(conn: duckdb.DuckDBPyConnection, ingest_id: int | None) -> None:
    conn.execute("DELETE FROM reach_sketch_state")
    conn.execute("INSERT INTO reach_sketch_state VALUES ($p, $ingest_id)",
                 {"p": PRECISION, "ingest_id": ingest_id})
