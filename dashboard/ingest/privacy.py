"""Phone numbers: normalisation to 62..., the keyed pseudonym, and masking in free text.

The pseudonym is the lower 64 bits of MD5(secret || ':' || number in 62 form). MD5 here is a
keyed fingerprint, not a signature: what protects the ~10^10 possible numbers from being
enumerated is the secret. We measured SHA-256 in DuckDB at 3x MD5's cost on 10 M rows, which
would put ingest outside its speed target for no gain in this use. 64 bits keep the chance of
any collision among 350 M numbers near 0.3 %; a collision merges two recipients in unique reach.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re
from functools import lru_cache

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


# scrypt's cost: 2^15 x 8 takes 32 MiB and 0.13 s per guess on the 2-core server (measured,
# SECURITY.md "The pseudonym key"), once per database open at most (results are cached).
# Stored with each value, so a later, costlier setting still reads the old ones.
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2 ** 15, 8, 1
_SCRYPT_MAX_MEMORY = 2 ** 28  # refuse absurd parameters read from a database file
_KEY_CHECK_LABEL = "pemilu-pseudonym-key-check:"


def key_check(secret: str) -> str:
    """A value that tells whether a secret is the one a database's pseudonyms were made with,
    without storing it: `scrypt$n$r$p$salt$hash` (hex) with a random salt per database, so
    the stored value is a slow, unshared target for guessing a weak secret. (The pseudonyms
    themselves stay a fast one: SECURITY.md, "The pseudonym key".)"""
    salt = os.urandom(16)
    digest = _scrypt(secret, salt, SCRYPT_N, SCRYPT_R, SCRYPT_P)
    return f"scrypt${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}${salt.hex()}${digest.hex()}"


def _scrypt(secret: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    return hashlib.scrypt((_KEY_CHECK_LABEL + secret).encode(), salt=salt, n=n, r=r, p=p,
                          maxmem=_SCRYPT_MAX_MEMORY, dklen=32)


def _legacy_key_check(secret: str) -> str:
    """The unsalted SHA-256 databases stored before key_check used scrypt."""
    return hashlib.sha256(f"{_KEY_CHECK_LABEL}{secret}".encode()).hexdigest()


def is_legacy_key_check(stored: str) -> bool:
    return not stored.startswith("scrypt$")


@lru_cache(maxsize=32)  # scrypt is slow by design: a page run must not repeat it
def key_matches(stored: str, secret: str) -> bool:
    """Whether a stored check value (scrypt, or the old unsalted SHA-256) was made from
    secret; a damaged value matches nothing."""
    if is_legacy_key_check(stored):
        return hmac.compare_digest(stored, _legacy_key_check(secret))
    try:
        _, n, r, p, salt, digest = stored.split("$")
        if int(p) > 16:  # scrypt bounds memory (maxmem), not the time p multiplies
            raise ValueError(p)
        made = _scrypt(secret, bytes.fromhex(salt), int(n), int(r), int(p))
    except ValueError:  # wrong field count, not hex or numbers, parameters out of range
        return False
    return hmac.compare_digest(made.hex(), digest)


def stored_key_check(conn: duckdb.DuckDBPyConnection) -> str | None:
    """The database's key check value; None before its first receipts file."""
    stored = conn.execute("SELECT key_check FROM pseudonym_key").fetchall()
    return stored[0][0] if stored else None


def built_with_dev_key(conn: duckdb.DuckDBPyConnection) -> bool:
    """Whether the database's pseudonyms were made with the public development key."""
    from dashboard import config

    stored = stored_key_check(conn)
    return stored is not None and key_matches(stored, config.DEV_SECRET)


class KeyMismatch(ValueError):
    """The database's pseudonyms were made with another key."""


def dev_key_database_message(path: object = None) -> str:
    from dashboard import config

    where = f"the database {path}" if path else "this database"
    return (f"{where} was built with the development key, which is public (the key used "
            f"when {config.SECRET_ENV} is not set), and {config.MODE_ENV} is production: "
            f"build a new database with the production {config.SECRET_ENV} from the original "
            "files (SECURITY.md: rotating the key)")


def check_database_key(conn: duckdb.DuckDBPyConnection, writable: bool,
                       path: object = None) -> None:
    """On opening a database: in production, refuse one built with the development key (a
    ConfigError); when writable, replace an old unsalted check value by a salted one."""
    from dashboard import config

    stored = stored_key_check(conn)
    if stored is None:
        return
    if config.production() and key_matches(stored, config.DEV_SECRET):
        raise config.DevKeyDatabase(dev_key_database_message(path))
    if writable and is_legacy_key_check(stored):
        # the development key is public, so its value can always be upgraded; another key
        # only by a process that holds it
        for secret in (config.DEV_SECRET, config.current_secret()):
            if secret is not None and key_matches(stored, secret):
                _replace_key_check(conn, stored, secret)
                return


def _replace_key_check(conn: duckdb.DuckDBPyConnection, stored: str, secret: str) -> None:
    conn.execute("UPDATE pseudonym_key SET key_check = $new WHERE key_check = $old",
                 {"new": key_check(secret), "old": stored})


def check_pseudonym_key(conn: duckdb.DuckDBPyConnection) -> None:
    """Refuse to mix pseudonyms of two keys in one database: unique reach would count one
    person twice. The first receipts file records the key's check value; an old unsalted
    one is replaced by a salted one (in the ingest's transaction)."""
    from dashboard import config

    secret = config.pseudonym_secret()
    stored = stored_key_check(conn)
    if stored is None:
        conn.execute("INSERT INTO pseudonym_key VALUES ($check)", {"check": key_check(secret)})
    elif not key_matches(stored, secret):
        if config.production() and key_matches(stored, config.DEV_SECRET):
            raise KeyMismatch(dev_key_database_message())
        raise KeyMismatch(
            f"this database's pseudonyms were made with another {config.SECRET_ENV}; load "
            "with that key, or build a new database with the new one (SECURITY.md: rotating "
            "the key)")
    elif is_legacy_key_check(stored):
        _replace_key_check(conn, stored, secret)
