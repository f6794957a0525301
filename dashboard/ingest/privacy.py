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
import unicodedata
from collections.abc import Iterator
from functools import lru_cache

import duckdb

# A number as written, however written. The parsers (normalise_msisdn, and
# stg_receipts_validated.sql, which also takes '+' anywhere) read a number as its digits with
# any separators in between, then require 8 + 7..11 digits after a 62/0 prefix: so anything
# with an 8 and 7 or more digits after it, separated by runs of separators of any length, is
# a number to mask. Files also write digits in other scripts (full-width), other spaces (NBSP,
# thin, zero-width), other dashes, invisible marks (variation selectors, the combining
# grapheme joiner, keycaps), dots and bullets between groups (0812·3456·7890) and a
# spreadsheet's thousands grouping (81,234,567,890): fold_text maps those to ASCII first,
# character for character. A match starts at a digit, never at a separator: with separators
# in between at any length, a match that could start on one would rescan every run from each
# of its characters (quadratic on a hostile line); a leading '+' stays, it says nothing.
# An 8 without its 0 or 62 never starts a number right after a digit: a parser reads a
# number from the first digit of its run, so the 8 inside a count (28289413.0, as a
# spreadsheet writes it) starts none; with a prefix it does (x1081234567890 stays masked).
_SEPARATOR = r"[ .,_()/+\-]"
PHONE_SHAPE = re.compile(
    rf"(?:(?:6{_SEPARATOR}*2{_SEPARATOR}*|0{_SEPARATOR}*)8|(?<![0-9])8)"
    rf"(?:{_SEPARATOR}*[0-9]){{7,}}")
MASK = "[nomor disamarkan]"
# A number in a file name becomes MASK's words in the characters a file name keeps (no
# brackets, no spaces): the name stays one word in a shell or a URL, and cleaning it again
# (files.safe_file_name: the upload page cleans a name, then ingest does) changes nothing.
FILE_NAME_MASK = "nomor-disamarkan"
PSEUDONYM_PREFIX = FILE_NAME_MASK + "-"  # before a key's stand-in (text_pseudonym)
# Visible marks some write between a number's groups (middle dots, bullets): separators too.
DOT_SEPARATORS = "\u00b7\u0387\u2022\u2027\u2219\u22c5\u2e31\u30fb\uff65"
# The same pattern for DuckDB's RE2 (masking exports, the wave-id rule), equal to PHONE_SHAPE
# on ASCII text (tests/test_privacy.py checks it). RE2 has no fold_text, so it says the same
# with Unicode classes: any non-ASCII number character (\p{N}) may stand for any digit and
# every space, format character, nonspacing or enclosing mark, connector and dash is a
# separator; on other scripts it masks at least what mask_phone_numbers does (tested), never
# less. RE2 has no look-behind either: for an 8 without a prefix the pattern's first group
# takes the character before it (or the start; empty after a prefix), so a replacement
# writes it back: regexp_replace(text, PHONE_SHAPE_SQL, MASK_SQL, 'g').
# (the \x{..}: the other characters fold_text reads as a minus, plus, dot, comma, slash or
# parenthesis)
_SQL_SEPARATOR = (r"[ .,_()/+\-\p{Zs}\p{Zl}\p{Zp}\p{Cf}\p{Mn}\p{Me}\p{Pc}\p{Pd}\x{2212}"
                  r"\x{2024}\x{207A}\x{207D}\x{207E}\x{208A}\x{208D}\x{208E}\x{FB29}\x{FE10}"
                  r"\x{FE35}\x{FE36}\x{FE50}\x{FE52}\x{FE59}\x{FE5A}\x{FE62}\x{FF08}\x{FF09}"
                  r"\x{FF0B}\x{FF0C}\x{FF0E}\x{FF0F}"
                  + "".join(f"\\x{{{ord(c):04X}}}" for c in DOT_SEPARATORS) + "]")


def _sql_digit(ascii_digit: str) -> str:
    return rf"(?:{ascii_digit}|[^\x00-\x7F\P{{N}}])"


PHONE_SHAPE_SQL = (
    rf"(?:(?:{_sql_digit('6')}{_SQL_SEPARATOR}*{_sql_digit('2')}{_SQL_SEPARATOR}*"
    rf"|{_sql_digit('0')}{_SQL_SEPARATOR}*){_sql_digit('8')}|(^|[^0-9]){_sql_digit('8')})"
    rf"(?:{_SQL_SEPARATOR}*\p{{N}}){{7,}}")
MASK_SQL = r"\1" + MASK  # the character before the number, then the mask
# The characters Python's str.strip() removes (str.isspace), as code point ranges: the SQL of
# ingest (MSISDN_SHAPE_SQL) and of the hold-out references strip the same ones, so every
# implementation reads ' 0812 ...\u00a0' alike (tests/test_holdout.py checks the list
# against str.isspace over all of Unicode).
SPACE_RANGES: tuple[tuple[int, int], ...] = (
    (0x09, 0x0D), (0x1C, 0x20), (0x85, 0x85), (0xA0, 0xA0), (0x1680, 0x1680),
    (0x2000, 0x200A), (0x2028, 0x2029), (0x202F, 0x202F), (0x205F, 0x205F),
    (0x3000, 0x3000))



def space_class(escape: str) -> str:
    """A regular-expression class of the characters str.strip() removes; escape formats a
    code point ('\\x{%X}' for RE2, '\\u%04x' for PostgreSQL)."""
    parts = [escape % lo if lo == hi else f"{escape % lo}-{escape % hi}"
             for lo, hi in SPACE_RANGES]
    return "[" + "".join(parts) + "]"


_SPACE_RE2 = space_class(r"\x{%X}")
# normalise_msisdn's shape and its float form in RE2, for stg_receipts_validated.sql: white
# space at both ends as str.strip() takes it (a no-break space, as Excel and web pages leave)
MSISDN_SHAPE_SQL = rf"{_SPACE_RE2}*'?\+?[0-9 ()._\-]+{_SPACE_RE2}*"
MSISDN_FLOAT_SQL = rf"^({_SPACE_RE2}*'? *\+?[0-9]+)\.0+{_SPACE_RE2}*$"
MOBILE_62 = re.compile(r"^628\d{7,11}$")
# digits, one point, zeros: a number a spreadsheet or pandas wrote as a float, not a '.'
# between groups of digits (6281234567890.0 is 6281234567890, not 62812345678900)
FLOAT_WRITTEN = re.compile(r"^( *\+?[0-9]+)\.0+$")
# For scanning stored data and exports for leaks (tests): a whole token written as an
# Indonesian mobile number (+62 / 62 / 0 then 8...), in any of the spellings above (found in
# fold_text's view of the text: PHONE_IN_TEXT below). Stricter than PHONE_SHAPE, which masks
# generously and would also match digits inside hashes and long decimals.
# (a '+' takes at most two spaces or parentheses after it: a run of them after each '+' of
# a line of '+' would be rescanned from every one)
# (no comma here: in a CSV export the cells of a row would read as one number)
_TOKEN_SEPARATOR = r"[ .()/+_\-]"
_PHONE_TOKEN = re.compile(
    rf"(?<![\w.])(?:\+[ (]{{0,2}})?(?:62|0){_TOKEN_SEPARATOR}*8(?:{_TOKEN_SEPARATOR}*[0-9])"
    r"{7,11}"
    r"(?![\w.])")


def normalise_msisdn(raw: str | None) -> str | None:
    """A mobile number in 62... form, or None when the text is not a valid Indonesian mobile.
    The same rule as stg_receipts_validated.sql's (tests/test_mutation_ingest.py compares
    them): a spreadsheet's text marker (a leading apostrophe), the international call prefix
    (0062 ...), the trunk 0 kept after the country code (+62 (0)812 ...) and a number written
    as a float (6281234567890.0: pandas writes an integer column with a blank so) are read."""
    if raw is None:
        return None
    text = str(raw).strip().removeprefix("'")
    if not text or not re.fullmatch(r"\+?[0-9 ()._\-]+", text):
        return None
    digits = re.sub(r"\D", "", FLOAT_WRITTEN.sub(r"\1", text))
    if digits.startswith("0062"):
        digits = digits[2:]
    if digits.startswith("620"):
        digits = "62" + digits[3:]
    if digits.startswith("62"):
        number = digits
    elif digits.startswith("0"):
        number = "62" + digits[1:]
    elif digits.startswith("8"):
        number = "62" + digits
    else:
        return None
    return number if MOBILE_62.match(number) else None


# a pseudonym's 64 bits as letters: no digit in it reads as part of a number
_PSEUDONYM_LETTERS = "abcdefghijklmnop"
# each byte's two letters, by value: the SQL macro key_stand_in spells a key with them
PSEUDONYM_LETTER_PAIRS = [high + low for high in _PSEUDONYM_LETTERS for low in _PSEUDONYM_LETTERS]


def text_pseudonym(text: str) -> str:
    """A stable stand-in for a key a file gives that holds a phone number (a survey's
    respondent_id, a hoax_id; a receipt's message_id, by the SQL macro key_stand_in): the
    recipient pseudonym's construction (the lower 64 bits of MD5(secret:text), the SQL macro
    recipient_key) over the text as written, as 16 letters after PSEUDONYM_PREFIX. The same
    text gives the same pseudonym in every file loaded with the database's key, so a later
    file still replaces its row."""
    from dashboard import config

    digest = hashlib.md5(f"{config.pseudonym_secret()}:{text}".encode(),
                         usedforsecurity=False).digest()
    low = int.from_bytes(digest[8:], "little")  # = recipient_key(secret, text) in SQL
    return PSEUDONYM_PREFIX + "".join(_PSEUDONYM_LETTERS[(low >> shift) & 15]
                                          for shift in range(60, -1, -4))


_ASCII_NUMBER_CHARACTERS = frozenset("0123456789 .,_()/+-")


@lru_cache(maxsize=4096)
def _fold_character(char: str) -> str:
    """One character as a number's reader sees it: any script's digit as its ASCII digit,
    NFKC's digits, spaces, dots, slashes, parentheses and plus signs (full-width, superscript)
    as theirs, any other space, invisible format character, nonspacing or enclosing mark
    (variation selectors, the combining grapheme joiner, a keycap), connector, middle dot or
    bullet as ' ', any dash as '-'."""
    if (value := unicodedata.decimal(char, None)) is not None:
        return "0123456789"[value]
    compatible = unicodedata.normalize("NFKC", char)
    if compatible in _ASCII_NUMBER_CHARACTERS:
        return compatible
    category = unicodedata.category(char)
    if category in ("Zs", "Zl", "Zp", "Cf", "Mn", "Me", "Pc") or char in DOT_SEPARATORS:
        return " "
    if category == "Pd" or char == "\u2212":  # the minus sign is a math symbol, not a dash
        return "-"
    return char


def fold_text(text: str, extra_separators: str = "") -> str:
    """The text with every character that writes a digit or a separator of a number as its
    ASCII one (and extra_separators as spaces): one character for one, so a match's position
    in the folded text is its position in the text."""
    table = {}
    if not text.isascii():
        table = {ord(c): _fold_character(c) for c in set(text) if not c.isascii()}
    table |= {ord(c): " " for c in extra_separators}  # over what a character folds to
    return text.translate(table) if table else text


def mask_phone_numbers(text: str | None, mask: str = MASK,
                       extra_separators: str = "") -> str | None:
    """The one masking of phone numbers, for every text that is stored, shown, logged or
    exported: anything a parser could read as an Indonesian mobile number, in any spelling
    (PHONE_SHAPE over fold_text), replaced by `mask`; everything else kept as written.
    extra_separators: characters that also separate a number's digits (U+FFFD, an
    undecodable byte, in raw lines)."""
    if text is None:
        return None
    folded = fold_text(text, extra_separators)
    parts, last = [], 0
    for match in PHONE_SHAPE.finditer(folded):
        parts += [text[last:match.start()], mask]
        last = match.end()
    return "".join(parts) + text[last:] if parts else text


# a JSON \uXXXX escape: a JSON Lines reader sees the character it stands for
_JSON_ESCAPE = re.compile(r"\\u([0-9a-fA-F]{4})")


def _unescaped_number_character(match: re.Match[str]) -> str:
    char = chr(int(match.group(1), 16))
    folded = fold_text(char)
    return char if folded.isdigit() or folded in " .,_()/+-" else match.group(0)


def mask_raw_line(text: str | None, mask: str = MASK) -> str | None:
    """mask_phone_numbers for a rejected record's line as read: a JSON line may write a
    number's digits and separators as \\u escapes (0812\\u002d3456...), which its reader
    decodes; those escapes are decoded first (only those: the rest stays as written). A
    U+FFFD (a byte no encoding reads: records.readable) may stand between digits as any
    separator does. For kept lines only: never on a per-row path."""
    if text is not None and "\\u" in text:
        text = _JSON_ESCAPE.sub(_unescaped_number_character, text)
    return mask_phone_numbers(text, mask, extra_separators="\ufffd")


def contains_phone_number(text: str) -> bool:
    """Whether mask_phone_numbers would mask anything in the text."""
    return PHONE_SHAPE.search(fold_text(text)) is not None


class _FoldedPattern:
    """A pattern searched in fold_text's view of a text, with re.Pattern's search, finditer
    and findall: spans are the text's own, matched text the folded (ASCII) one."""

    def __init__(self, pattern: re.Pattern[str]) -> None:
        self.pattern = pattern

    def search(self, text: str) -> re.Match[str] | None:
        return self.pattern.search(fold_text(text))

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        return self.pattern.finditer(fold_text(text))

    def findall(self, text: str) -> list[str]:
        return self.pattern.findall(fold_text(text))


PHONE_IN_TEXT = _FoldedPattern(_PHONE_TOKEN)


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
