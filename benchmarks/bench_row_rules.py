"""What a per-receipt rule of the validation costs: each expression over 1 M values in bare
DuckDB, one thread, the best of --repeat runs, against a scan of the same column in the
same run. Prints a Markdown table (BENCHMARKS.md, "What the input rules of 7 Dec 2026 cost").

    .venv/bin/python benchmarks/bench_row_rules.py [--rows 1000000] [--repeat 5]

The values are the suite's shapes: message ids as the sample's operators write them (none
shaped like a phone number), and the same count of Smartfren-like ids that all are
(SF-0881...), whose stand-in is then spelled."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from dashboard.ingest.privacy import (  # noqa: E402 - after the path
    PHONE_SHAPE_SQL,
    PSEUDONYM_LETTER_PAIRS,
    PSEUDONYM_PREFIX,
)
from dashboard.store import db  # noqa: E402

# (what, the expression over column v; its table's values)
CASES = [
    ("scan of the column (the floor)", "count(v)", "ids"),
    ("message id shaped like a phone number? (regexp_matches, PHONE_SHAPE_SQL)",
     "count_if(regexp_matches(v, $shape))", "ids"),
    ("the same over ids that all are", "count_if(regexp_matches(v, $shape))", "phone_ids"),
    ("recipient_key (MD5) of each id", "sum(recipient_key('s', v))", "phone_ids"),
    ("stand-in spelled with translate(format(...))",
     "count(DISTINCT translate(format('{:016x}', recipient_key('s', v)), '0123456789abcdef', "
     "'abcdefghijklmnop'))", "phone_ids"),
    ("stand-in spelled with key_stand_in (byte pairs), key in a column",
     "count(DISTINCT key_stand_in(k, $prefix, $pairs))", "phone_keys"),
    ("distinct count of the keys (the floor of the two above's DISTINCT)",
     "count(DISTINCT k)", "phone_keys"),
    ("a number written as a float? (regexp_full_match of digits, point, zeros)",
     "count_if(regexp_full_match(v, '\\s*''?[0-9]+\\.0+\\s*'))", "numbers"),
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    conn = db.memory_connection()
    conn.execute("SET threads = 1")
    n = {"n": args.rows}
    conn.execute("CREATE TABLE ids AS SELECT CASE i % 4 WHEN 0 THEN 'TS' || lpad(i::VARCHAR, 10, "
                 "'0') WHEN 1 THEN printf('%012x', hash(i) % 281474976710656) WHEN 2 THEN 'XL' "
                 "|| lpad(i::VARCHAR, 10, '0') ELSE 'SF-' || lpad(i::VARCHAR, 9, '0') END AS v "
                 "FROM range($n) AS r(i)", n)
    conn.execute("CREATE TABLE phone_ids AS SELECT 'SF-0881' || lpad(i::VARCHAR, 7, '0') AS v "
                 "FROM range($n) AS r(i)", n)
    conn.execute("CREATE TABLE phone_keys AS SELECT recipient_key('s', v) AS k FROM phone_ids")
    conn.execute("CREATE TABLE numbers AS SELECT '0812' || lpad(i::VARCHAR, 8, '0') AS v "
                 "FROM range($n) AS r(i)", n)
    params = {"shape": PHONE_SHAPE_SQL, "prefix": PSEUDONYM_PREFIX,
              "pairs": PSEUDONYM_LETTER_PAIRS}
    # the two spellings timed below are one spelling: refuse to time them otherwise
    differ = conn.execute(
        "SELECT count(*) FROM phone_keys WHERE key_stand_in(k, '', $pairs) <> translate("
        "format('{:016x}', k), '0123456789abcdef', 'abcdefghijklmnop')",
        {"pairs": PSEUDONYM_LETTER_PAIRS}).fetchall()[0][0]
    if differ:
        sys.exit(f"key_stand_in and translate(format(...)) differ on {differ:,} keys")
    print(f"| expression over {args.rows:,} values, one thread (best of {args.repeat}) | ms |")
    print("|---|---:|")
    for what, expression, table in CASES:
        statement = f"SELECT {expression} FROM {table}"  # noqa: S608 - the cases above
        used = {k: v for k, v in params.items() if f"${k}" in statement}
        best = float("inf")
        for _ in range(args.repeat):
            start = time.perf_counter()
            conn.execute(statement, used).fetchall()
            best = min(best, time.perf_counter() - start)
        print(f"| {what} | {best * 1000:,.1f} |")


if __name__ == "__main__":
    main()
