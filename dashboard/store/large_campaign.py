"""Large-campaign mode: a database served from rollups a cluster computed from the Parquet
lake (`python -m dashboard cluster attach`, dashboard/cluster/attach.py), without the raw
receipts. Table cluster_rollups (migration 0010) holds the attached rollups' source; pages
then estimate unique reach from the sketch (store/sketch.py use_sketch) and say which views
need the raw receipts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import duckdb


@dataclass(frozen=True)
class Source:
    """Where an attached database's numbers come from (the rollups' manifest)."""

    engine: str
    lake: str
    created_at: datetime
    sample: bool
    folder: str


def source(conn: duckdb.DuckDBPyConnection) -> Source | None:
    """The attached rollups' source; None: a native database (receipts loaded here)."""
    try:
        rows = conn.execute("SELECT engine, lake, created_at, sample, folder "
                            "FROM cluster_rollups").fetchall()
    except duckdb.CatalogException:  # a read-only database from before migration 0010
        return None
    return Source(*rows[0]) if rows else None


def is_large(conn: duckdb.DuckDBPyConnection) -> bool:
    """Whether the database is in large-campaign mode (no raw receipts, cluster rollups)."""
    return source(conn) is not None


def note(conn: duckdb.DuckDBPyConnection, key: str, lang: str) -> str | None:
    """A page's plain note (i18n key, with {created} and {engine}) that what it shows needs the
    raw receipts; None on a native database."""
    from dashboard.i18n import format_datetime, t

    found = source(conn)
    if found is None:
        return None
    return t(key, lang, created=format_datetime(found.created_at, lang), engine=found.engine)
