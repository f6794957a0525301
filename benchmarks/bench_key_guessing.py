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

Prints a markdown table of guesses per second (wall clock, and per CPU-second, which other jobs
on a shared machine do not lower) and what they mean on all this machine's cores for a
dictionary word and for a random secret of 32 characters.
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

from dashboard.ingest import privacy  # noqa: E402
from dashboard.store import db  # noqa: E402

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


class Clock:
    """Wall and CPU seconds (all threads of this process) of a block."""

    def __enter__(self) -> Clock:
        self.wall, self.cpu = time.perf_counter(), time.process_time()
        return self

    def __exit__(self, *exc: object) -> None:
        self.wall = time.perf_counter() - self.wall
        self.cpu = time.process_time() - self.cpu


def md5_duckdb(count: int) -> tuple[Clock, str]:
    """The recipient_key macro over a table of candidates: its clock and the secret found."""
    conn = db.memory_connection()  # with queries/ddl/macros.sql, so the macro is the real one
    target = pseudonym(WEAK_SECRET, KNOWN_NUMBER)
    conn.execute("CREATE TABLE guesses AS SELECT 'kata' || i AS word FROM range($n) t(i) "
                 "UNION ALL SELECT $weak", {"n": count - 1, "weak": WEAK_SECRET})
    with Clock() as clock:
        found = conn.execute("SELECT word FROM guesses WHERE recipient_key(word, $number) = "
                             "$target", {"number": KNOWN_NUMBER, "target": target}).fetchall()
    conn.close()
    return clock, found[0][0]


def md5_python(count: int) -> tuple[Clock, str]:
    target = pseudonym(WEAK_SECRET, KNOWN_NUMBER)
    words = candidates(count)
    with Clock() as clock:
        found = next(w for w in words if pseudonym(w, KNOWN_NUMBER) == target)
    return clock, found


def sha256_old(count: int) -> tuple[Clock, str]:
    target = hashlib.sha256(f"pemilu-pseudonym-key-check:{WEAK_SECRET}".encode()).hexdigest()
    words = candidates(count)
    with Clock() as clock:
        found = next(w for w in words if hashlib.sha256(
            f"pemilu-pseudonym-key-check:{w}".encode()).hexdigest() == target)
    return clock, found


def scrypt_now(count: int, threads: int) -> tuple[Clock, str]:
    stored = privacy.key_check(WEAK_SECRET)
    words = candidates(count)
    matches = privacy.key_matches.__wrapped__  # without the cache: every guess computed
    with Clock() as clock, ThreadPoolExecutor(threads) as pool:  # scrypt releases the GIL
        results = list(pool.map(lambda w: matches(stored, w), words))
    return clock, words[results.index(True)]


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
        ("pseudonym (MD5), DuckDB macro", args.candidates, *md5_duckdb(args.candidates)),
        ("pseudonym (MD5), Python hashlib, 1 thread", args.candidates // 10,
         *md5_python(args.candidates // 10)),
        ("old key check (SHA-256, unsalted), 1 thread", args.candidates // 10,
         *sha256_old(args.candidates // 10)),
        (f"key check now (scrypt n={privacy.SCRYPT_N} r={privacy.SCRYPT_R}), "
         f"{args.threads} threads", args.scrypt_guesses,
         *scrypt_now(args.scrypt_guesses, args.threads)),
    ]
    cores = os.cpu_count() or 1
    space = ALPHABET ** STRONG_LENGTH / 2  # expected guesses: half the space
    print(f"{cores} CPUs, load average {os.getloadavg()[0]:.1f}; a secret of {STRONG_LENGTH} "
          f"random letters and digits: {ALPHABET}^{STRONG_LENGTH} = "
          f"2^{math.log2(ALPHABET ** STRONG_LENGTH):.0f} possibilities\n")
    print(f"| target | guesses per second (wall) | per CPU-second | found | "
          f"{DICTIONARY:,}-word list, {cores} cores | random {STRONG_LENGTH} characters, "
          f"{cores} cores (expected) |")
    print("|---|---:|---:|---|---:|---:|")
    for name, guesses, clock, found in rows:
        assert found == WEAK_SECRET, (name, found)
        per_cpu = guesses / max(clock.cpu, 1e-9)
        print(f"| {name} | {guesses / clock.wall:,.0f} | {per_cpu:,.0f} | {found} | "
              f"{duration(DICTIONARY / per_cpu / cores)} | "
              f"{duration(space / per_cpu / cores)} |")


if __name__ == "__main__":
    main()
