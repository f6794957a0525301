"""The individual hold-out rule (dashboard/experiment/holdout.py): one bucket per number in
every implementation (Python, the SQL macro, the operators' reference Python, DuckDB and
PostgreSQL texts), the HMAC construction against RFC 4231, shares and thresholds, uniformity."""

from __future__ import annotations

import csv
import glob
import hashlib
import hmac
import os
import random
import shutil
import socket
import subprocess
import sys
import tempfile
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pytest
from scipy import stats

from dashboard.experiment import holdout
from dashboard.ingest import privacy
from dashboard.ingest.privacy import normalise_msisdn

SALTS = (
    "00" * 32,
    "ff" * 32,  # every key byte has its high bit set: the XOR pads differ from a zero key's
    "3f9c1d27a0b84e65c2d7f1e09a3b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d",
    "4a656665",  # "Jefe": a short key, zero-padded to 64 bytes
)
# (spelling, why): numbers the ingest reads, and ones it refuses, in the same table
SPELLINGS = [
    ("081234567890", "0 prefix"),
    ("6281234567890", "62 prefix"),
    ("+62 812-3456-7890", "+62 with space and dashes"),
    ("(0812) 3456.789", "parentheses and dots"),
    ("8123456789", "bare 8, shortest valid (628 + 7 digits)"),
    ("62812345678901", "longest valid (628 + 11 digits)"),
    ("628123456789012", "one digit too many"),
    ("0812345", "too short"),
    ("\u00a0 0813 2222 1111\u3000", "no-break and ideographic spaces at the ends"),
    ("\t+6285712345678\n", "tab and line end at the ends"),
    ("\u200b081234567890", "zero-width space: not white space, refused"),
    ("62+81234567890", "a '+' inside: refused"),
    ("０８１２３４５６７８９０", "full-width digits: refused by normalise_msisdn"),
    ("0712345678", "not a mobile (07)"),
    ("", "empty"),
    ("abc", "letters"),
    ("62 0812 3456 789", "62 then 0: refused"),
    ("08-99-12345678", "Tri prefix 0899"),
    ("6281234567890.0", "written as a float (pandas): the digits before the point"),
    ("'81234567890.00", "a float after the text marker"),
    ("0812.3456.7800", "dots between groups: a written number, not a float"),
    ("+6281234567890.0", "a plus before a float"),
]
# (operator, province_code) -> threshold; province 99 and the operator 'axis' have no stratum
THRESHOLDS = {("telkomsel", 32): 1000, ("telkomsel", 11): 5000, ("xl", 32): 2500,
              ("xl", 11): 0, ("indosat", 32): 10_000}
PROVINCES = ("32", "11", "99", "")


def _random_spellings(count: int, seed: int) -> list[str]:
    """Numbers written as lists write them: a prefix, separators between the digits, white
    space at the ends; some with a stray character or a wrong length (refused)."""
    rng = random.Random(seed)
    out = []
    for _ in range(count):
        digits = "8" + "".join(rng.choice("0123456789") for _ in range(rng.randint(6, 12)))
        text = rng.choice(["0", "62", "+62", "", "620", "+62 "]) + digits
        for _ in range(rng.randint(0, 4)):
            at = rng.randint(1, len(text) - 1)
            text = text[:at] + rng.choice(" ().-") + text[at:]
        if rng.random() < 0.15:
            at = rng.randint(0, len(text))
            text = text[:at] + rng.choice(["x", "+", "\u00a0", "\t", "/"]) + text[at:]
        if rng.random() < 0.3:
            ends = [" ", "\t", "\u00a0", "\u3000", "\n", "\u2009"]
            text = rng.choice(ends) + text + rng.choice(ends)
        out.append(text)
    return out


def _table(operators: tuple[str, ...] = ("telkomsel", "xl", "indosat", "axis")) -> pd.DataFrame:
    """One row per distinct spelling, each with a province and an operator (both cycled)."""
    numbers = list(dict.fromkeys([s for s, _ in SPELLINGS] + _random_spellings(300, 18)))
    return pd.DataFrame({
        "msisdn": numbers,
        "province_code": [PROVINCES[i % len(PROVINCES)] for i in range(len(numbers))],
        "operator": [operators[(i // len(PROVINCES)) % len(operators)]
                     for i in range(len(numbers))],
    })


def _expected(frame: pd.DataFrame, salt: str, operator: str | None) -> dict[str, tuple]:
    """msisdn -> (bucket, held_out) by holdout.bucket and the thresholds (None: none)."""
    out = {}
    for number, province, op in frame[["msisdn", "province_code", "operator"]].itertuples(
            index=False):
        value = holdout.bucket(salt, number)
        limit = THRESHOLDS.get((operator or op, int(province) if province else -1))
        out[number] = (value, None if value is None or limit is None
                       else holdout.held_out(value, limit))
    return out


def test_the_spellings_cover_valid_and_invalid_numbers():
    valid = [s for s, _ in SPELLINGS if normalise_msisdn(s) is not None]
    assert 7 <= len(valid) <= len(SPELLINGS) - 8
    random_valid = sum(normalise_msisdn(s) is not None for s in _random_spellings(300, 18))
    assert 30 <= random_valid <= 270  # the random table mixes both too


# --- the HMAC construction --------------------------------------------------------------


def test_rfc_4231_test_case_2_in_python_and_in_the_sql_macro(conn):
    """RFC 4231, 4.3 (test case 2): key "Jefe", data "what do ya want for nothing?",
    HMAC-SHA-256 = 5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843; the
    bucket is its first 8 bytes, 0x5bdcc146bf60754e, modulo 10,000."""
    expected = int("5bdcc146bf60754e", 16) % 10_000
    data = "what do ya want for nothing?"
    assert holdout.bucket_of_62("4a656665", data) == expected
    ipad, opad = holdout.pads("4a656665")
    got = conn.execute("SELECT holdout_bucket($ipad, $opad, $m)",
                       {"ipad": ipad, "opad": opad, "m": data}).fetchall()[0][0]
    assert got == expected


def test_pads_are_the_key_zero_padded_xor_0x36_and_0x5c():
    # "Jefe" = 4a 65 66 65; 4a^36 = 7c, 65^36 = 53, 66^36 = 50; 4a^5c = 16, 65^5c = 39,
    # 66^5c = 3a; the 60 zero bytes of padding become 36 and 5c
    assert holdout.pads("4a656665") == ("7c535053" + "36" * 60, "16393a39" + "5c" * 60)
    assert holdout.pads("ff" * 64) == ("c9" * 64, "a3" * 64)


def test_a_bucket_is_the_standard_hmac_of_the_62_form():
    """Against the standard library's HMAC, computed here on the number written by hand."""
    salt = SALTS[2]
    digest = hmac.new(bytes.fromhex(salt), b"6281234567890", hashlib.sha256).digest()
    expected = int.from_bytes(digest[:8], "big") % 10_000
    for spelling in ("081234567890", "+62 812-3456-7890", "(0812) 3456 7890", "8123456789 0"):
        assert holdout.bucket(salt, spelling) == expected


@pytest.mark.parametrize("salt", ["", "xyz", "0", "00" * 65, None, "4a 65", "4a65\n"])
def test_a_salt_that_is_not_1_to_64_bytes_of_hex_is_refused(salt):
    with pytest.raises(ValueError):
        holdout.bucket_of_62(salt, "6281234567890")
    with pytest.raises(ValueError):
        holdout.pads(salt)


def test_a_new_salt_is_32_random_bytes_in_hex():
    salts = {holdout.new_salt() for _ in range(20)}
    assert len(salts) == 20
    assert all(len(s) == 64 and bytes.fromhex(s) for s in salts)


def test_the_space_ranges_are_what_str_strip_removes():
    listed = {c for lo, hi in privacy.SPACE_RANGES for c in range(lo, hi + 1)}
    assert listed == {c for c in range(sys.maxunicode + 1) if chr(c).isspace()}


# --- shares and thresholds ---------------------------------------------------------------


@pytest.mark.parametrize(("share", "threshold"), [
    (0, 0), (0.1, 1000), (0.5, 5000), (1, 10_000), (0.25, 2500),
    (0.12345, 1235),  # half up on the share as written (round() would give 1234)
    (0.00005, 1), (0.00004, 0), (0.33333, 3333), (0.07, 700),
])
def test_threshold_for_share(share, threshold):
    assert holdout.threshold_for_share(share) == threshold


@pytest.mark.parametrize("share", [-0.01, 1.01, float("nan"), float("inf"), "a tenth"])
def test_a_share_outside_0_to_1_is_refused(share):
    with pytest.raises(ValueError):
        holdout.threshold_for_share(share)


@pytest.mark.parametrize(("bucket", "threshold", "out"), [
    (0, 0, False), (0, 1, True), (999, 1000, True), (1000, 1000, False),
    (9999, 10_000, True), (9999, 9999, False),
])
def test_held_out_is_bucket_below_threshold(bucket, threshold, out):
    assert holdout.held_out(bucket, threshold) is out


def test_buckets_are_uniform_over_many_numbers():
    """200,000 distinct numbers, one fixed seed: chi-square over the 10,000 buckets (20
    expected in each) and over 100 bands of 100; a threshold of 1,000 holds out 10 %."""
    rng = np.random.default_rng(20240214)
    numbers = {f"628{n}" for n in rng.integers(10 ** 9, 10 ** 10, 200_000)}
    buckets = np.array([holdout.bucket_of_62(SALTS[2], n) for n in numbers])
    counts = np.bincount(buckets, minlength=10_000)
    assert stats.chisquare(counts).pvalue > 0.001
    assert stats.chisquare(np.bincount(buckets // 100, minlength=100)).pvalue > 0.001
    share = np.mean(buckets < 1000)
    assert abs(share - 0.1) < 4 * np.sqrt(0.1 * 0.9 / len(numbers))


def test_two_salts_assign_independently():
    """The same 100,000 numbers under two salts, 20 % held out each: about 4 % held out by
    both (independence), not 20 % (the same assignment) nor 0 %."""
    numbers = [f"62812{n:07d}" for n in range(100_000)]
    first = np.array([holdout.bucket_of_62(SALTS[0], n) < 2000 for n in numbers])
    second = np.array([holdout.bucket_of_62(SALTS[2], n) < 2000 for n in numbers])
    both = np.mean(first & second)
    assert abs(both - 0.04) < 4 * np.sqrt(0.04 * 0.96 / len(numbers))


# --- every implementation gives the same buckets -----------------------------------------


@pytest.mark.parametrize("salt", SALTS)
def test_the_sql_macro_gives_the_python_buckets(conn, salt):
    frame = _table()
    frame["msisdn62"] = frame["msisdn"].map(normalise_msisdn)
    valid = frame.dropna(subset=["msisdn62"])
    ipad, opad = holdout.pads(salt)
    conn.register("numbers_frame", valid)
    got = conn.execute("SELECT msisdn, holdout_bucket($ipad, $opad, msisdn62) FROM numbers_frame",
                       {"ipad": ipad, "opad": opad}).fetchall()
    assert len(got) == len(valid) > 100
    assert dict(got) == {n: holdout.bucket(salt, n) for n in valid["msisdn"]}


def _check(got: dict[str, tuple], expected: dict[str, tuple]) -> None:
    assert got.keys() == expected.keys()
    wrong = {n: (got[n], expected[n]) for n in expected if got[n] != expected[n]}
    assert not wrong
    values = [e[1] for e in expected.values()]
    assert True in values and False in values and None in values  # all three outcomes seen


def _read_csv_result(text: str, true: str, false: str) -> dict[str, tuple]:
    out = {}
    for row in csv.DictReader(text.splitlines(keepends=True)):
        held = {true: True, false: False, "": None}[row["held_out"]]
        out[row["msisdn"]] = (int(row["bucket"]) if row["bucket"] else None, held)
    return out


@pytest.mark.parametrize("operator", ["telkomsel", None])
@pytest.mark.parametrize("salt", SALTS)
def test_the_reference_python_script_gives_the_same_buckets(tmp_path, salt, operator):
    """Run as an operator would: a separate Python with the standard library only (-I -S)."""
    frame = _table()
    columns = ["msisdn", "province_code"] + ([] if operator else ["operator"])
    frame[columns].to_csv(tmp_path / "numbers.csv", index=False)
    script = tmp_path / "holdout.py"
    script.write_text(holdout.reference_python(salt, THRESHOLDS, operator=operator),
                      encoding="utf-8")
    subprocess.run([sys.executable, "-I", "-S", str(script), str(tmp_path / "numbers.csv"),
                    str(tmp_path / "out.csv")], check=True, capture_output=True, timeout=60)
    got = _read_csv_result((tmp_path / "out.csv").read_text(encoding="utf-8"), "1", "0")
    _check(got, _expected(frame, salt, operator))


@pytest.mark.parametrize("operator", ["xl", None])
@pytest.mark.parametrize("salt", SALTS)
def test_the_reference_duckdb_sql_gives_the_same_buckets(salt, operator):
    """In a bare DuckDB connection: none of the dashboard's macros."""
    frame = _table()
    columns = ["msisdn", "province_code"] + ([] if operator else ["operator"])
    with duckdb.connect() as bare:
        bare.register("frame", frame[columns])
        bare.execute("CREATE TABLE numbers AS SELECT * FROM frame")
        rows = bare.execute(holdout.reference_duckdb_sql(salt, THRESHOLDS, operator=operator)
                            ).fetchall()
    got = {m: (b, h) for m, _, b, h in rows}
    assert len(rows) == len(frame)
    _check(got, _expected(frame, salt, operator))


# --- PostgreSQL ---------------------------------------------------------------------------


def _postgres_bin() -> Path | None:
    found = shutil.which("initdb")
    if found:
        return Path(found).resolve().parent
    versions = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    return Path(versions[-1]).parent if versions else None


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def postgres():
    """A throwaway PostgreSQL cluster (initdb + pg_ctl in a temp folder, a Unix socket on a
    free port, trust auth) with pgcrypto; yields the psql command that reaches it. Root runs
    the server as the 'postgres' user (PostgreSQL refuses to run as root). Without PostgreSQL
    installed the test skips with the reason (scripts/test.sh installs it); a PostgreSQL
    that is installed but does not start fails the test."""
    binaries = _postgres_bin()
    if binaries is None:
        pytest.skip("PostgreSQL is not installed (Debian: apt-get install postgresql; "
                    "scripts/test.sh does it): the PostgreSQL reference is NOT tested")
    folder = Path(tempfile.mkdtemp(prefix="pemilu-pg-"))
    as_user: list[str] = []
    if os.geteuid() == 0:
        shutil.chown(folder, user="postgres")
        as_user = ["runuser", "-u", "postgres", "--"]
    data, port = folder / "data", _free_port()
    subprocess.run(as_user + [str(binaries / "initdb"), "-D", str(data), "-E", "UTF8",
                              "--locale=C.UTF-8", "--auth=trust", "-U", "postgres"],
                   check=True, capture_output=True, timeout=120)
    options = f"-k {folder} -c listen_addresses= -p {port} -c fsync=off"
    subprocess.run(as_user + [str(binaries / "pg_ctl"), "-D", str(data), "-o", options,
                              "-l", str(folder / "log"), "-w", "start"],
                   check=True, capture_output=True, timeout=120)
    psql = [shutil.which("psql") or str(binaries / "psql"), "-X", "-q", "-v", "ON_ERROR_STOP=1",
            "-h", str(folder), "-p", str(port), "-U", "postgres", "-d", "postgres"]
    try:
        subprocess.run(psql + ["-c", "CREATE EXTENSION pgcrypto"], check=True,
                       capture_output=True, timeout=60)
        yield psql
    finally:
        subprocess.run(as_user + [str(binaries / "pg_ctl"), "-D", str(data), "-m", "immediate",
                                  "stop"], capture_output=True, timeout=60)
        shutil.rmtree(folder, ignore_errors=True)


@pytest.mark.parametrize("operator", ["telkomsel", None])
@pytest.mark.parametrize("salt", SALTS)
def test_the_reference_postgres_sql_gives_the_same_buckets(postgres, tmp_path, salt, operator):
    frame = _table()
    columns = ["msisdn", "province_code"] + ([] if operator else ["operator"])
    frame[columns].to_csv(tmp_path / "numbers.csv", index=False)
    extra = "" if operator else ", operator text"
    setup = (f"DROP TABLE IF EXISTS numbers; CREATE TABLE numbers (msisdn text, "
             f"province_code integer{extra});")
    subprocess.run(postgres + ["-c", setup, "-c",
                               f"\\copy numbers FROM '{tmp_path / 'numbers.csv'}' "
                               "WITH (FORMAT csv, HEADER)"],
                   check=True, capture_output=True, timeout=60)
    (tmp_path / "holdout.sql").write_text(
        holdout.reference_postgres_sql(salt, THRESHOLDS, operator=operator), encoding="utf-8")
    done = subprocess.run(postgres + ["--csv", "-f", str(tmp_path / "holdout.sql")],
                          check=True, capture_output=True, timeout=60)
    got = _read_csv_result(done.stdout.decode("utf-8"), "t", "f")
    # \copy reads an empty CSV field as NULL, which the query returns as an empty field
    _check(got, _expected(frame, salt, operator))


def test_postgres_bigint_sign_is_handled(postgres):
    """bit(64)::bigint is signed: a number whose HMAC starts with a byte >= 0x80 must still
    get the unsigned bucket. Checked on numbers chosen here for such a first byte."""
    salt = SALTS[1]
    high = [n for n in (f"62812{i:07d}" for i in range(200))
            if hmac.new(bytes.fromhex(salt), n.encode(), hashlib.sha256).digest()[0] >= 0x80]
    assert len(high) > 50
    values = ", ".join(f"('{n}', 32)" for n in high)
    query = holdout.reference_postgres_sql(salt, {("xl", 32): 5000}, operator="xl").replace(
        "FROM numbers AS n", f"FROM (VALUES {values}) AS n(msisdn, province_code)")
    done = subprocess.run(postgres + ["--csv", "-c", query], check=True, capture_output=True,
                          timeout=60)
    got = _read_csv_result(done.stdout.decode(), "t", "f")
    assert {n: b for n, (b, _) in got.items()} == {n: holdout.bucket(salt, n) for n in high}


# --- the texts themselves ----------------------------------------------------------------


@pytest.mark.parametrize("make", [holdout.reference_python, holdout.reference_duckdb_sql,
                                  holdout.reference_postgres_sql])
def test_a_reference_says_its_salt_rule_and_normalisation(make):
    text = make(SALTS[2], THRESHOLDS, operator="telkomsel")
    assert SALTS[2] in text
    assert "HMAC-SHA256" in text and "modulo 10000" in text
    assert "628" in text and "normalised" in text
    assert "'xl'" not in text  # only the operator's own strata


@pytest.mark.parametrize("make", [holdout.reference_python, holdout.reference_duckdb_sql,
                                  holdout.reference_postgres_sql])
@pytest.mark.parametrize(("thresholds", "operator"), [
    ({}, None),
    (THRESHOLDS, "axis"),  # no stratum of that operator
    ({("x'; DROP TABLE numbers; --", 32): 1000}, None),  # not an operator id
    ({("xl", 32): 10_001}, None),
])
def test_a_reference_refuses_what_it_cannot_write(make, thresholds, operator):
    with pytest.raises(ValueError):
        make(SALTS[2], thresholds, operator=operator)
