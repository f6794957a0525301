"""How fast can someone guess the pseudonymisation key (PEMILU_SECRET)?

The attacker of SECURITY.md "The pseudonym key": they hold the database (or an export with
recipient keys) and know one number that is in it with its pseudonym, e.g. their own phone.
Each guess of the secret then costs one MD5 (the recipient_key macro of queries/ddl/macros.sql,
ingest/privacy.py), compared with the known pseudonym; no rate limit applies offline. The
stored key check (pseudonym_key) is another target: scrypt now, an unsalted SHA-256 before.

Measured on this machine (all cores DuckDB uses; Python loops on one core):
  md5 duckdb   the recipient_key macro itself over a table of candidate secrets (vectorised)
  md5 python   hashlib, one candidate at a time
  sha256 old   the old unsalted key check, hashlib
  scrypt       the key check now (ingest/privacy.key_matches), one guess per thread, --threads

    .venv/bin/python benchmarks/bench_key_guessing.py [--candidates 10000000]

Prints a markdown table of guesses per second and what they mean for a dictionary word and for
a random secret of 32 characters.
"""

from __future__ import annotations

import argparse
import hashlib
import math
import os
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from dashboard import db  # noqa: E402
from dashboard.ingest import privacy  # noqa: E402

KNOWN_NUMBER = "6281234567890"  # the attacker's own number, in 62 form
WEAK_SECRET = "merdeka"  # a dictionary word
DICTIONARY = 14_344_391  # entries of the rockyou leaked-password list, a common first try
ALPHABET = 62  # letters and digits
STRONG_LENGTH = 32
YEAR = 365.25 * 86_400


def pseudonym(secret: str, msisdn62: str) -> int:
    """recipient_key(secret, msisdn62) in Python: the upper 64 bits of md5_number, which are
    bytes 8..15 of the digest read little-endian."""
    return int.from_bytes(hashlib.md5(f"{secret}:{msisdn62}".encode()).digest()[8:], "little")


def candidates(count: int) -> list[str]:
    """count wrong guesses, then the secret (the search ends at the last candidate)."""
    return [f"kata{i}" for i in range(count - 1)] + [WEAK_SECRET]


def md5_duckdb(count: int) -> tuple[float, str]:
    """Guesses per second of the recipient_key macro over a table of candidates, and the
    secret it found."""
    conn = db.memory_connection()  # with queries/ddl/macros.sql, so the macro is the real one
    target = pseudonym(WEAK_SECRET, KNOWN_NUMBER)
    conn.execute("CREATE TABLE guesses AS SELECT 'kata' || i AS word FROM range($n) t(i) "
                 "UNION ALL SELECT $weak", {"n": count - 1, "weak": WEAK_SECRET})
    start = time.perf_counter()
    found = conn.execute("SELECT word FROM guesses WHERE recipient_key(word, $number) = $target",
                         {"number": KNOWN_NUMBER, "target": target}).fetchall()
    seconds = time.perf_counter() - start
    conn.close()
    return count / seconds, found[0][0]


def md5_python(count: int) -> tuple[float, str]:
    target = pseudonym(WEAK_SECRET, KNOWN_NUMBER)
    words = candidates(count)
    start = time.perf_counter()
    found = next(w for w in words if pseudonym(w, KNOWN_NUMBER) == target)
    return count / (time.perf_counter() - start), found


def sha256_old(count: int) -> tuple[float, str]:
    target = hashlib.sha256(f"pemilu-pseudonym-key-check:{WEAK_SECRET}".encode()).hexdigest()
    words = candidates(count)
    start = time.perf_counter()
    found = next(w for w in words if hashlib.sha256(
        f"pemilu-pseudonym-key-check:{w}".encode()).hexdigest() == target)
    return count / (time.perf_counter() - start), found


def scrypt_now(count: int, threads: int) -> tuple[float, str]:
    stored = privacy.key_check(WEAK_SECRET)
    words = candidates(count)
    matches = privacy.key_matches.__wrapped__  # without the cache: every guess computed
    start = time.perf_counter()
    with ThreadPoolExecutor(threads) as pool:  # hashlib.scrypt releases the GIL
        results = list(pool.map(lambda w: matches(stored, w), words))
    seconds = time.perf_counter() - start
    return count / seconds, words[results.index(True)]


def duration(seconds: float) -> str:
    if seconds < 120:
        return f"{seconds:.2g} s"
    if seconds < 2 * 86_400:
        return f"{seconds / 3600:.2g} h"
    if seconds < 2 * YEAR:
        return f"{seconds / 86_400:.2g} days"
    return f"10^{math.log10(seconds / YEAR):.0f} years"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--candidates", type=int, default=10_000_000,
                        help="guesses for DuckDB's MD5 (a tenth of them for Python's)")
    parser.add_argument("--scrypt-guesses", type=int, default=40)
    parser.add_argument("--threads", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args(argv)

    rows = [
        ("pseudonym (MD5), DuckDB macro", *md5_duckdb(args.candidates)),
        ("pseudonym (MD5), Python hashlib, 1 core", *md5_python(args.candidates // 10)),
        ("old key check (SHA-256, unsalted), 1 core", *sha256_old(args.candidates // 10)),
        (f"key check now (scrypt n={privacy.SCRYPT_N} r={privacy.SCRYPT_R}), "
         f"{args.threads} threads", *scrypt_now(args.scrypt_guesses, args.threads)),
    ]
    space = ALPHABET ** STRONG_LENGTH / 2  # expected guesses: half the space
    print(f"{os.cpu_count()} CPUs; a secret of {STRONG_LENGTH} random letters and digits: "
          f"{ALPHABET}^{STRONG_LENGTH} = 2^{math.log2(ALPHABET ** STRONG_LENGTH):.0f} "
          "possibilities\n")
    print(f"| target | guesses per second | found | {DICTIONARY:,}-word list | "
          f"random {STRONG_LENGTH} characters (expected) |")
    print("|---|---:|---|---:|---:|")
    for name, rate, found in rows:
        assert found == WEAK_SECRET, (name, found)
        print(f"| {name} | {rate:,.0f} | {found} | {duration(DICTIONARY / rate)} | "
              f"{duration(space / rate)} |")


if __name__ == "__main__":
    main()
