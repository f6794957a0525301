"""The rule for identifiers that files give and pages show, written once for Python and SQL.

A wave id places a receipt in a wave and reaches filters, charts, exports, folder names of
the Parquet lake and the brief: it must be 1-32 letters, digits, '-' or '_' (no markup, no
control characters) and must not be shaped like a phone number (it would be shown as is).
"""

from __future__ import annotations

import re

from dashboard.ingest.privacy import PHONE_SHAPE_SQL, contains_phone_number

WAVE_ID_SHAPE = r"[A-Za-z0-9_-]{1,32}"  # the same in Python's re and DuckDB's RE2
BAD_WAVE_ID = "bad_wave_id: not 1-32 letters, digits, - or _, or shaped like a phone number"


def usable_identifier(text: str, shape: str) -> bool:
    """The rule of every identifier a file or plan gives: `shape` (letters, digits, '-', '_'
    at some length), and not shaped like a phone number."""
    return re.fullmatch(shape, text) is not None and not contains_phone_number(text)


def usable_wave_id(text: str) -> bool:
    return usable_identifier(text, WAVE_ID_SHAPE)


def sql_params() -> dict[str, str]:
    """The $wave_id_shape, $phone_shape and $bad_wave_id of stg_receipts_validated.sql."""
    return {"wave_id_shape": WAVE_ID_SHAPE, "phone_shape": PHONE_SHAPE_SQL,
            "bad_wave_id": BAD_WAVE_ID}
