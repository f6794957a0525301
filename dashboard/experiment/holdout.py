"""The individual hold-out rule: which numbers an operator withholds a blast from.

A number's bucket is HMAC-SHA256(key = the experiment's salt, message = the number in 62...
form as ASCII), its first 8 bytes read as an unsigned big-endian integer, modulo 10,000. A
number is held out when its bucket is below its stratum's threshold (operator x province):
a threshold of 1,000 withholds 10 % of the stratum.

Why this rule: the operator applies it at send time on its own list, and our ingest applies
it to the same numbers before pseudonymising them (the SQL macro holdout_bucket in
queries/ddl/macros.sql), so both sides agree on each number's arm without exchanging lists.
A keyed hash under a fresh salt per experiment is unpredictable before the salt is drawn and
independent of the number's digits (prefixes, regions) and of every earlier experiment. 64
bits modulo 10,000 is uniform to within 10^-15, far below any effect we could measure.

The salt is not a secret key for pseudonyms: it goes to the operators with the plan. Knowing
it tells whether a given number is held out, nothing more (SECURITY.md, "The experiment").

The reference implementations (Python, DuckDB SQL, PostgreSQL SQL) are texts an operator runs
on its own list; tests/test_holdout.py runs all three against bucket() and the SQL macro.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from dashboard.i18n import Translatable
from dashboard.ingest.privacy import normalise_msisdn, space_class

BUCKETS = 10_000
SALT_BYTES = 32
HMAC_BLOCK = 64  # SHA-256's block size: HMAC pads (or hashes) the key to it (RFC 2104)
Thresholds = dict[tuple[str, int], int]


def new_salt() -> str:
    """A fresh salt: 32 random bytes from the system's CSPRNG, as 64 hex characters."""
    return secrets.token_hex(SALT_BYTES)


class HoldoutError(Translatable, ValueError):
    """A salt or a stratum the hold-out rule cannot take; said through i18n (exp.holdout.*)."""


def _key(salt_hex: str) -> bytes:
    """The salt's bytes; a salt that is not hex or is longer than HMAC's block (which the
    SQL macro's padding cannot take) is refused."""
    if not isinstance(salt_hex, str) or not re.fullmatch(r"[0-9a-fA-F]+", salt_hex):
        raise HoldoutError("exp.holdout.salt_hex")
    key = bytes.fromhex(salt_hex)
    if not 1 <= len(key) <= HMAC_BLOCK:
        raise HoldoutError("exp.holdout.salt_bytes", most=HMAC_BLOCK)
    return key


def pads(salt_hex: str) -> tuple[str, str]:
    """(ipad_hex, opad_hex) for the SQL macro holdout_bucket: the salt zero-padded to 64
    bytes, XOR 0x36 and XOR 0x5c (RFC 2104). DuckDB has no HMAC, so the macro writes it out."""
    key = _key(salt_hex).ljust(HMAC_BLOCK, b"\0")
    return bytes(b ^ 0x36 for b in key).hex(), bytes(b ^ 0x5C for b in key).hex()


def bucket_of_62(salt_hex: str, msisdn62: str) -> int:
    """The bucket of a number already in 62 form (or of any ASCII text)."""
    digest = hmac.new(_key(salt_hex), msisdn62.encode("ascii"), hashlib.sha256).digest()
    return int.from_bytes(digest[:8], "big") % BUCKETS


def bucket(salt_hex: str, msisdn: str) -> int | None:
    """A number's bucket (0..9999) in any spelling ingest reads; None if it is not an
    Indonesian mobile number."""
    number = normalise_msisdn(msisdn)
    return None if number is None else bucket_of_62(salt_hex, number)


def threshold_for_share(share: float) -> int:
    """The threshold that withholds `share` of a stratum: share x 10,000, rounded half up on
    the share as written (0.12345 -> 1235), so 0.1 is exactly 1,000."""
    try:
        value = Decimal(str(share))
    except InvalidOperation as exc:
        raise ValueError(f"not a share: {share!r}") from exc
    if not value.is_finite() or not 0 <= value <= 1:
        raise ValueError(f"a hold-out share must be between 0 and 1, not {share!r}")
    return int((value * BUCKETS).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def held_out(bucket: int, threshold: int) -> bool:
    """Whether a number in `bucket` is withheld under `threshold`."""
    return bucket < threshold


# --- reference implementations for the operators -------------------------------------------


def _strata(thresholds: Thresholds, operator: str | None) -> list[tuple[str, int, int]]:
    rows = sorted((str(op), int(province), int(limit))
                  for (op, province), limit in thresholds.items()
                  if operator is None or op == operator)
    if not rows:
        raise (HoldoutError("exp.holdout.no_stratum", operator=repr(operator)) if operator
               else HoldoutError("exp.holdout.no_strata"))
    for op, _, limit in rows:
        if not 0 <= limit <= BUCKETS:
            raise HoldoutError("exp.holdout.threshold", threshold=limit, most=BUCKETS)
        if not op.replace("_", "").isalnum() or not op.isascii():
            raise HoldoutError("exp.holdout.operator_id", operator=repr(op))
    return rows


def _values(rows: list[tuple[str, int, int]], per_line: int = 4) -> str:
    items = [f"('{op}', {province}, {limit})" for op, province, limit in rows]
    lines = [", ".join(items[i:i + per_line]) for i in range(0, len(items), per_line)]
    return ",\n        ".join(lines)


def _header(comment: str, salt_hex: str, operator: str | None, input_text: str) -> str:
    """The opening comment every reference shares: what it does and what it expects."""
    who = (f"for operator '{operator}'" if operator
           else "for every operator (named in the input)")
    lines = [
        f"Hold-out rule of a Pemilu Damai randomised experiment, {who}.",
        "A number is WITHHELD (held_out = true: do not send it the experiment's waves) when",
        "  bucket = HMAC-SHA256(key = salt, message = the number as 628...)",
        "           first 8 bytes as an unsigned big-endian integer, modulo 10000",
        "is below the threshold of its stratum (operator, province_code) listed below.",
        f"Salt (hex): {salt_hex}",
        "Numbers are normalised as the dashboard's ingest does: white space at both ends and one",
        "leading apostrophe (a spreadsheet's text marker) removed; then digits with spaces, '(',",
        "')', '.', '-' between them and an optional leading '+'; a leading 0062 loses its 00 and",
        "a leading 620 its 0 (+62 (0)812...); digits (after an optional '+'), one '.' and zeros",
        "only (a number written as a float, 6281234567890.0) are the digits before the '.';",
        "then a leading 62, 0 or 8 gives 62...; valid when 628 and 7-11 more digits. A number that",
        "is not valid gets no bucket; one whose stratum is not listed gets held_out empty: both",
        "are outside the experiment (send as usual, and tell the analyst how many there were).",
        input_text,
    ]
    return "\n".join(f"{comment} {line}".rstrip()
                     for text in lines for line in text.split("\n"))


_PYTHON_BODY = '''
import argparse
import csv
import hashlib
import hmac
import re
import sys

BUCKETS = 10_000


def normalise(raw):
    """The number in 62... form, or None (dashboard.ingest.privacy.normalise_msisdn)."""
    text = (raw or "").strip()  # str.strip(): every Unicode space at both ends
    text = text[1:] if text.startswith("'") else text  # a spreadsheet's text marker
    if not text or not re.fullmatch(r"\\+?[0-9 ()._\\-]+", text):
        return None
    # digits, one point and zeros: a number written as a float (6281234567890.0)
    digits = re.sub(r"[^0-9]", "", re.sub(r"^( *\\+?[0-9]+)\\.0+$", r"\\1", text))
    if digits.startswith("0062"):  # the international call prefix
        digits = digits[2:]
    if digits.startswith("620"):  # the trunk 0 kept after the country code
        digits = "62" + digits[3:]
    if digits.startswith("62"):
        number = digits
    elif digits.startswith("0"):
        number = "62" + digits[1:]
    elif digits.startswith("8"):
        number = "62" + digits
    else:
        return None
    return number if re.fullmatch(r"628[0-9]{7,11}", number) else None


def bucket(number62):
    digest = hmac.new(SALT, number62.encode("ascii"), hashlib.sha256).digest()
    return int.from_bytes(digest[:8], "big") % BUCKETS  # unsigned, big-endian


def main():
    parser = argparse.ArgumentParser(description="hold-out bucket of each number")
    parser.add_argument("numbers", help="CSV with a header: msisdn, province_code[, operator]")
    parser.add_argument("out", help="CSV written: msisdn, province_code, bucket, held_out")
    parser.add_argument("--operator", default=OPERATOR,
                        help="operator id of every number (default: the operator column)")
    args = parser.parse_args()
    with open(args.numbers, newline="", encoding="utf-8-sig") as source, \\
            open(args.out, "w", newline="", encoding="utf-8") as target:
        writer = csv.writer(target)
        writer.writerow(["msisdn", "province_code", "bucket", "held_out"])
        for row in csv.DictReader(source):
            operator = args.operator or (row.get("operator") or "").strip()
            if not operator:
                sys.exit("no operator: give --operator or an operator column")
            number = normalise(row["msisdn"])
            value = None if number is None else bucket(number)
            try:
                province = int(row["province_code"])
            except (TypeError, ValueError):
                province = None
            limit = THRESHOLDS.get((operator, province))
            out = "" if value is None or limit is None else int(value < limit)
            writer.writerow([row["msisdn"], row["province_code"],
                             "" if value is None else value, out])


if __name__ == "__main__":
    main()
'''


def reference_python(salt_hex: str, thresholds: Thresholds, *,
                     operator: str | None = None) -> str:
    """A stdlib-only Python 3 script: reads a CSV of numbers (msisdn, province_code, and
    operator unless `operator` is given), writes msisdn, province_code, bucket, held_out (1:
    withhold, 0: send, empty: outside the experiment)."""
    _key(salt_hex)
    rows = _strata(thresholds, operator)
    table = ",\n    ".join(f"({op!r}, {province}): {limit}" for op, province, limit in rows)
    usage = ("Run: python3 holdout.py numbers.csv out.csv   (numbers.csv: msisdn,province_code"
             + (")" if operator else ",operator)"))
    return "\n".join([
        "#!/usr/bin/env python3",
        _header("#", salt_hex, operator, usage),
        "# Python 3.8 or later, standard library only.",
        _PYTHON_BODY.rstrip().replace(
            "BUCKETS = 10_000\n",
            "BUCKETS = 10_000\n"
            f'SALT = bytes.fromhex("{salt_hex}")\n'
            f"OPERATOR = {operator!r}\n"
            "# (operator, province_code): threshold out of 10,000\n"
            f"THRESHOLDS = {{\n    {table},\n}}\n", 1),
        "",
    ])


def reference_duckdb_sql(salt_hex: str, thresholds: Thresholds, *,
                         operator: str | None = None) -> str:
    """A DuckDB query over a table numbers(msisdn, province_code[, operator]): one row per
    number with its bucket and held_out. DuckDB has no HMAC function, so the HMAC is written
    out with sha256 as queries/ddl/macros.sql's holdout_bucket does."""
    ipad, opad = pads(salt_hex)
    rows = _strata(thresholds, operator)
    input_text = (f"Input: a table numbers(msisdn VARCHAR, province_code INTEGER"  # noqa: S608
                  f"{'' if operator else ', operator VARCHAR'}), e.g.\n"
                  "  CREATE TABLE numbers AS SELECT * FROM read_csv('numbers.csv', "
                  "all_varchar = true);\nDuckDB 1.1 or later. Output: msisdn, province_code, "
                  "bucket, held_out.")
    who = f"'{operator}'" if operator else "b.operator"
    space = space_class(r"\x{%X}")
    return f"""{_header("--", salt_hex, operator, input_text)}
-- HMAC (RFC 2104) written out: sha256(key XOR opad || sha256(key XOR ipad || message)), the
-- key zero-padded to 64 bytes; the two padded keys below are the salt XOR 0x36 and XOR 0x5c.
WITH thresholds(operator, province_code, threshold) AS (
    VALUES
        {_values(rows)}
),
normalised AS (
    SELECT n.*, regexp_replace(CAST(n.msisdn AS VARCHAR), '^{space}+|{space}+$', '', 'g')
                    AS stripped
    FROM numbers AS n
),
digits AS (
    SELECT *, CASE WHEN regexp_full_match(stripped, '''?\\+?[0-9 ()._\\-]+')
                   THEN regexp_replace(
                            regexp_replace(stripped, '^(''? *\\+?[0-9]+)\\.0+$', '\\1'),
                            '[^0-9]', '', 'g') END AS digits
    FROM normalised
),
numbers62 AS (
    SELECT *, CASE WHEN digits[1:3] = '620' THEN '62' || digits[4:]
                   WHEN digits[1:5] = '00620' THEN '62' || digits[6:]
                   WHEN digits[1:4] = '0062' THEN digits[3:]
                   WHEN digits[1:2] = '62' THEN digits
                   WHEN digits[1:1] = '0' THEN '62' || digits[2:]
                   WHEN digits[1:1] = '8' THEN '62' || digits END AS candidate
    FROM digits
),
buckets AS (
    SELECT *,
        CASE WHEN regexp_full_match(candidate, '628[0-9]{{7,11}}') THEN
            CAST(CAST('0x' || left(sha256(
                unhex('{opad}')
                || unhex(sha256(
                    unhex('{ipad}')
                    || encode(candidate)))), 16) AS UBIGINT) % 10000 AS INTEGER)
        END AS bucket
    FROM numbers62 AS n
)
SELECT b.msisdn, b.province_code, b.bucket, b.bucket < t.threshold AS held_out
FROM buckets AS b
LEFT JOIN thresholds AS t
    ON t.operator = {who}
   AND t.province_code = try_cast(b.province_code AS INTEGER);
"""  # noqa: S608 - a text for the operator, from checked values (_key, _strata), not run here


def reference_postgres_sql(salt_hex: str, thresholds: Thresholds, *,
                           operator: str | None = None) -> str:
    """A PostgreSQL query (pgcrypto's hmac) over a table numbers(msisdn, province_code[,
    operator]): one row per number with its bucket and held_out."""
    _key(salt_hex)
    rows = _strata(thresholds, operator)
    input_text = (f"Input: a table numbers(msisdn text, province_code integer"
                  f"{'' if operator else ', operator text'}). PostgreSQL 11 or later with "
                  "pgcrypto\n(CREATE EXTENSION pgcrypto;) in a UTF8 database. "
                  "Output: msisdn, province_code, bucket, held_out.")
    who = f"'{operator}'" if operator else "b.operator"
    space = space_class(r"\u%04x")
    return f"""{_header("--", salt_hex, operator, input_text)}
WITH thresholds(operator, province_code, threshold) AS (
    VALUES
        {_values(rows)}
),
normalised AS (
    SELECT n.*, regexp_replace(n.msisdn::text, '^{space}+|{space}+$', '', 'g') AS stripped
    FROM numbers AS n
),
digits AS (
    SELECT *, CASE WHEN stripped ~ '^''?\\+?[0-9 ()._\\-]+$'
                   THEN regexp_replace(
                            regexp_replace(stripped, '^(''? *\\+?[0-9]+)\\.0+$', '\\1'),
                            '[^0-9]', '', 'g') END AS digits
    FROM normalised
),
numbers62 AS (
    SELECT *, CASE WHEN digits LIKE '620%' THEN '62' || substr(digits, 4)
                   WHEN digits LIKE '00620%' THEN '62' || substr(digits, 6)
                   WHEN digits LIKE '0062%' THEN substr(digits, 3)
                   WHEN digits LIKE '62%' THEN digits
                   WHEN digits LIKE '0%' THEN '62' || substr(digits, 2)
                   WHEN digits LIKE '8%' THEN '62' || digits END AS candidate
    FROM digits
),
heads AS (
    -- the first 8 bytes of the HMAC as a signed bigint: bit(64)::bigint is two's complement
    SELECT *, CASE WHEN candidate ~ '^628[0-9]{{7,11}}$' THEN
        ('x' || encode(substr(hmac(convert_to(candidate, 'UTF8'),
                                   decode('{salt_hex}', 'hex'), 'sha256'), 1, 8), 'hex')
        )::bit(64)::bigint END AS signed_head
    FROM numbers62
),
buckets AS (
    -- unsigned: a head of 0x80... or more came out negative, so 2^64 is added back first
    SELECT *, (CASE WHEN signed_head < 0 THEN signed_head::numeric + 18446744073709551616
                    ELSE signed_head::numeric END % 10000)::integer AS bucket
    FROM heads
)
SELECT b.msisdn, b.province_code, b.bucket, b.bucket < t.threshold AS held_out
FROM buckets AS b
LEFT JOIN thresholds AS t
    ON t.operator = {who}
   AND t.province_code::text = btrim(b.province_code::text);
"""  # noqa: S608 - a text for the operator, from checked values (_key, _strata), not run here
