"""Sample receipts generator: deterministic, honest manifest, exact streamed row counts."""

from __future__ import annotations

import csv
import gzip
import io
import json
import re
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from dashboard import reference
from dashboard.ingest.profiles import load_profile, match_profile
from dashboard.sample import receipts as gen

WIB = timezone(timedelta(hours=7))
SAMPLE_NAMES = [gen.WAVES_NAME, *(s.name for s in gen.SAMPLE_FILES), gen.LATE_NAME]
RECEIPT_KEYS = re.compile(r"(?i)^id:(\S+) sub:\d{3} dlvrd:(\d{3}) submit date:(\d{10}|\d{12}) "
                          r"done date:(\d{10}|\d{12}) stat:([A-Z]+) err:(\d{3}) text:.{1,20}$")


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("sample")
    gen.generate_sample_receipts(folder)
    return folder


@pytest.fixture(scope="module")
def manifest(sample: Path) -> dict:
    return json.loads((sample / gen.MANIFEST_NAME).read_text(encoding="utf-8"))


def raw_lines(path: Path) -> list[bytes]:
    """Physical lines without line ends (gzip transparent)."""
    data = gzip.decompress(path.read_bytes()) if path.name.endswith(".gz") else path.read_bytes()
    return [line.removesuffix(b"\r") for line in data.split(b"\n")[:-1]]


def entry(manifest: dict, name: str) -> dict:
    return next(e for e in manifest["files"] if e["file"] == name)


def test_same_seed_writes_identical_bytes_and_another_seed_does_not(sample, tmp_path):
    again = gen.generate_sample_receipts(tmp_path / "again")
    assert sorted(p.name for p in again) == sorted([*SAMPLE_NAMES, gen.MANIFEST_NAME])
    for path in again:
        assert path.read_bytes() == (sample / path.name).read_bytes(), path.name
    other = gen.generate_sample_receipts(tmp_path / "other", seed=1)
    assert other[1].read_bytes() != (sample / other[1].name).read_bytes()


@pytest.mark.parametrize("name", SAMPLE_NAMES)
def test_manifest_row_count_matches_the_file(sample, manifest, name):
    described = entry(manifest, name)
    lines = raw_lines(sample / name)
    has_header = described["format"] != "smpp_jsonl"
    assert described["rows"] == len(lines) - has_header
    expected = described["expected"]
    accounted = sum(expected.get(k, 0) for k in ("loaded", "duplicate", "superseded", "rejected"))
    assert expected["rows_read"] == described["rows"] == accounted


def test_manifest_lists_every_file_once_in_load_order(manifest):
    names = [e["file"] for e in manifest["files"]]
    assert names == SAMPLE_NAMES
    assert names[1:] == sorted(names[1:])  # receipts load in name order, late file last


@pytest.mark.parametrize("name", [s.name for s in gen.SAMPLE_FILES if not s.smpp])
def test_export_defects_are_visible_in_the_file(sample, manifest, name):
    described = entry(manifest, name)
    dialect = gen._dialect(described["operator"])
    text_lines = [line.decode("utf-8") for line in raw_lines(sample / name)[1:]
                  if gen.BAD_UTF8 not in line]
    status_cell = [line for line in text_lines
                   if dialect.habits.unknown_status in line.split(dialect.delimiter)
                   or f'"{dialect.habits.unknown_status}"' in line.split(dialect.delimiter)]
    assert len(status_cell) == described["defects"]["unknown_status"]
    assert len(text_lines) - len(set(text_lines)) == described["defects"]["exact_duplicate"]
    invalid = [line for line in raw_lines(sample / name) if gen.BAD_UTF8 in line]
    assert len(invalid) == described["defects"].get("invalid_utf8", 0)


def test_smpp_lines_parse_except_the_deliberately_broken_ones(sample, manifest):
    name = next(s.name for s in gen.SAMPLE_FILES if s.smpp)
    described = entry(manifest, name)
    broken = 0
    for line in raw_lines(sample / name):
        try:
            record = json.loads(line.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError):
            broken += 1
            continue
        assert set(record) == {"operator", "msisdn", "region", "wave_id", "receipt"}
    assert broken == described["defects"]["malformed_json"] + described["defects"]["invalid_utf8"]


STREAMS = [
    ("canonical", "r.csv", lambda p, n, **kw: gen.stream_canonical_receipts(p, n, **kw), 1),
    ("smpp", "r.jsonl", lambda p, n, **kw: gen.stream_smpp_receipts(p, n, **kw), 0),
    ("smpp xl gzip", "r.jsonl.gz",
     lambda p, n, **kw: gen.stream_smpp_receipts(p, n, operator="xl", **kw), 0),
    *[(op, f"r_{op}.csv.gz",
       lambda p, n, op=op, **kw: gen.stream_profile_receipts(p, n, op, **kw), 1)
      for op in gen.OPERATORS],
]


@pytest.mark.parametrize(("case", "file_name", "write", "header"), STREAMS,
                         ids=[s[0] for s in STREAMS])
def test_stream_writes_exactly_n_rows_in_chunks(tmp_path, case, file_name, write, header):
    path = write(tmp_path / file_name, 10_000, chunk_rows=3_000)
    assert len(raw_lines(path)) == 10_000 + header
    again = write(tmp_path / ("again_" + file_name), 10_000, chunk_rows=3_000)
    assert again.read_bytes() == path.read_bytes()


@pytest.mark.parametrize(("n", "bad_share", "bad_rows"), [
    (10_000, 0.0, 0),
    (10_000, 0.001, 10),
    (10_000, 0.0125, 125),
    (999, 0.01, 9),
])
def test_stream_bad_share_gives_an_exact_number_of_bad_rows(tmp_path, n, bad_share, bad_rows):
    path = gen.stream_canonical_receipts(tmp_path / "r.csv", n, bad_share=bad_share,
                                         chunk_rows=400)
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))
    bad = [r for r in rows if r["status"] == "TERBANG" or r["msisdn"] == "08ABC"]
    assert (len(rows), len(bad)) == (n, bad_rows)
    assert len({r["message_id"] for r in rows}) == n


def test_streamed_smpp_lines_parse_and_carry_a_receipt(tmp_path):
    path = gen.stream_smpp_receipts(tmp_path / "r.jsonl", 10_000, chunk_rows=4_000)
    states = set()
    for line in raw_lines(path):
        record = json.loads(line)
        match = RECEIPT_KEYS.match(record["receipt"])
        assert match, record["receipt"]
        assert (match.group(2) == "001") == (match.group(5).upper() == "DELIVRD")
        states.add(match.group(5).upper())
    assert {"DELIVRD", "UNDELIV", "EXPIRED"} <= states <= set(gen.STATES)


def test_streamed_receipts_are_sent_on_their_wave_day_between_8_and_20_wib(tmp_path):
    path = gen.stream_canonical_receipts(tmp_path / "r.csv", 10_000)
    sent_on = {w.wave_id: w.sent_date for w in gen.SMS_WAVES}
    for row in csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))):
        wib = datetime.fromisoformat(row["submitted_at"].replace("Z", "+00:00"))
        if wib.tzinfo is not None:  # naive times are WIB already
            wib = wib.astimezone(WIB).replace(tzinfo=None)
        assert wib.date() == sent_on[row["wave_id"]], row
        assert 8 <= wib.hour < 20, row


@pytest.mark.parametrize("wave", gen.WAVES, ids=[w.wave_id for w in gen.WAVES])
def test_no_wave_in_the_quiet_period_or_on_voting_day(wave):
    assert not date(2024, 2, 11) <= wave.sent_date <= date(2024, 2, 14)
    assert date(2023, 11, 28) <= wave.sent_date <= date(2024, 3, 20)


def test_waves_file_matches_the_catalogue(sample):
    rows = list(csv.DictReader(io.StringIO((sample / gen.WAVES_NAME).read_text("utf-8"))))
    assert [r["wave_id"] for r in rows] == [w.wave_id for w in gen.WAVES]
    for row in rows:
        assert not "2024-02-11" <= row["sent_date"] <= "2024-02-14", row
        if row["channel"].lower() == "sms":
            assert len(row["message_text"]) <= 160, row  # one SMS segment
    assert [r["wave_id"] for r in rows if r["channel"].lower() == "sms"] == \
        [f"SMS{k:02d}" for k in range(1, 11)]


@pytest.mark.parametrize("operator", gen.OPERATORS)
def test_each_export_header_is_recognised_as_its_operator(sample, operator):
    profile = load_profile(operator)
    assert profile.operator == operator
    for spec in gen.SAMPLE_FILES:
        if spec.operator == operator and not spec.smpp:
            header = raw_lines(sample / spec.name)[0].decode("utf-8").lstrip("\ufeff")
            assert match_profile(header).name == operator


@pytest.mark.parametrize("style", sorted(gen.province_spellings()))
def test_every_province_spelling_resolves_to_its_code(style):
    codes = [reference.province_code(str(c)) for c in gen._reference().codes]
    spelled = [reference.province_code(s) for s in gen.province_spellings()[style]]
    assert spelled == codes


@pytest.mark.parametrize("spelling", [*gen.UNKNOWN_PROVINCES, ""])
def test_unknown_province_spellings_stay_unknown(spelling):
    assert reference.province_code(spelling) is None


def test_error_codes_cover_every_code_the_generator_draws():
    table = reference.error_codes()
    codes = table["error_code"].tolist()
    assert len(codes) == len(set(codes)) and all(re.fullmatch(r"\d{3}", c) for c in codes)
    assert table[["meaning_id", "meaning_en"]].notna().all().all()
    drawn = {f"{code:03d}" for mix in gen.ERROR_MIX.values() for code in mix}
    assert drawn <= set(codes)
    assert max(gen.ERROR_MIX[gen.UNDELIV], key=gen.ERROR_MIX[gen.UNDELIV].get) == 27


def test_sample_end_state_reach_is_below_delivered(manifest):
    end = manifest["end_state"]
    delivered = end["by_status"]["DELIVRD"]
    assert end["distinct_numbers_delivered"] < delivered
    assert 150_000 <= end["receipts"] <= 250_000
    mismatch_share = end["operator_mismatch"] / end["receipts"]
    assert 0.001 < mismatch_share < 0.006


def test_committed_sample_stays_under_12_mb(sample):
    total = sum(p.stat().st_size for p in sample.iterdir())
    assert total <= 12 * 1024 * 1024
