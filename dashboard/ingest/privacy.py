"""Phone numbers: normalisation to 62..., the keyed pseudonym, and masking in free text.

The pseudonym is the lower 64 bits of MD5(secret || ':' || number in 62 form). MD5 here is a
keyed fingerprint, not a signature: what protects the ~10^10 possible numbers from being
enumerated is the secret. We measured SHA-256 in DuckDB at 3x MD5's cost on 10 M rows, which
would put ingest outside its speed target for no gain in this use. 64 bits keep the chance of
any collision among 350 M numbers near 0.3 %; a collision merges two recipients in unique reach.
"""

from __future__ import annotations

import hashlib
import re

import duckdb

# A number as written in files: +62 812-3456-7890, 0812..., 62812..., 812...
PHONE_SHAPE = re.compile(r"(?:\+?62|0)?[ .\-]?8(?:[ .\-()]?\d){7,11}")
MASK = "[nomor disamarkan]"
# The same pattern for DuckDB's RE2 (no look-around used, so it is portable).
PHONE_SHAPE_SQL = PHONE_SHAPE.pattern
MOBILE_62 = re.compile(r"^628\d{7,11}$")
# For scanning stored data and exports for leaks: a whole token written as an Indonesian
# mobile number (+62 / 62 / 0 then 8...). Stricter than PHONE_SHAPE, which masks generously
# and would also match digits inside hashes and long decimals.
PHONE_IN_TEXT = re.compile(r"(?<![\w.])(?:\+?62|0)[ .\-]?8\d{2}(?:[ .\-]?\d){6,10}(?![\w.])")


def normalise_msisdn(raw: str | None) -> str | None:
    """A mobile number in 62... form, or None when the text is not a valid Indonesian mobile."""
    if raw is None:
        return None
    text = str(raw).strip()
    if not text or not re.fullmatch(r"\+?[0-9 ().\-]+", text):
        return None
    digits = re.sub(r"\D", "", text)
    if digits.startswith("62"):
        number = digits
    elif digits.startswith("0"):
        number = "62" + digits[1:]
    elif digits.startswith("8"):
        number = "62" + digits
    else:
        return None
    return number if MOBILE_62.match(number) else None


def mask_phone_numbers(text: str | None) -> str | None:
    """Replace anything shaped like an Indonesian mobile number with a mask."""
    if text is None:
        return None
    return PHONE_SHAPE.sub(MASK, text)


def contains_phone_number(text: str) -> bool:
    return PHONE_SHAPE.search(text) is not None


def key_check(secret: str) -> str:
    """A value that tells whether two secrets are the same without storing either. It gives
    away no more than the pseudonyms do: both are keyed hashes of the secret."""
    return hashlib.sha256(f"pemilu-pseudonym-key-check:{secret}".encode()).hexdigest()


class KeyMismatch(ValueError):
    """The database's pseudonyms were made with another key."""


def check_pseudonym_key(conn: duckdb.DuckDBPyConnection) -> None:
    """Refuse to mix pseudonyms of two keys in one database: unique reach would count one
    person twice. The first receipts file records the key's check value."""
    from dashboard import config

    check = key_check(config.pseudonym_secret())
    stored = conn.execute("SELECT key_check FROM pseudonym_key").fetchall()
    if not stored:
        conn.execute("INSERT INTO pseudonym_key VALUES ($check)", {"check": check})
    elif stored[0][0] != check:
        raise KeyMismatch(
            f"this database's pseudonyms were made with another {config.SECRET_ENV}; load "
            "with that key, or build a new database with the new one (SECURITY.md: rotating "
            "the key)")
