"""The rewrite migration 0014 owes: message ids stored before 7 Dec 2026 that are shaped like
a phone number become the keyed stand-in that loads store since, so a later state of such a
message finds its receipt instead of counting as a new message. It needs the database's own
pseudonymisation key, so it runs before a receipts load and in `init` (both write with the
key), not in the migration; verify, read-only, says when it is still owed."""

from __future__ import annotations

import duckdb

from dashboard import config
from dashboard.ingest.privacy import (
    PHONE_SHAPE_SQL,
    PSEUDONYM_LETTER_PAIRS,
    PSEUDONYM_PREFIX,
    key_matches,
    stored_key_check,
)
from dashboard.store import db

OWED = "message_id_stand_ins"


def owes_message_id_stand_ins(conn: duckdb.DuckDBPyConnection) -> bool:
    """Whether stored message ids may still be written as the operator sent them."""
    return bool(conn.execute("SELECT 1 FROM owed_rewrites WHERE name = $name",
                             {"name": OWED}).fetchall())


def settle_message_id_stand_ins(conn: duckdb.DuckDBPyConnection) -> int | None:
    """Rewrite the stored message ids shaped like a number, once, if the database owes it and
    the configured key is the database's own; return how many were rewritten (None: nothing
    owed, or not with this key: a load with another key is refused anyway)."""
    if not owes_message_id_stand_ins(conn):
        return None
    secret = config.pseudonym_secret()
    stored = stored_key_check(conn)
    if stored is not None and not key_matches(stored, secret):
        return None
    with db.transaction(conn):
        rewritten = conn.execute(db.sql_text("staging/rewrite_message_id_stand_ins"), {
            "secret": secret, "phone_shape": PHONE_SHAPE_SQL,
            "pseudonym_prefix": PSEUDONYM_PREFIX, "letter_pairs": PSEUDONYM_LETTER_PAIRS,
        }).fetchall()[0][0]
        conn.execute("DELETE FROM owed_rewrites WHERE name = $name", {"name": OWED})
    return rewritten
