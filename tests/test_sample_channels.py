"""The sample's status-bar and WhatsApp Channel files (dashboard/sample/channels.py, issue 17):
regenerating them gives the committed bytes; loading them as `init --sample` does gives the
counts, warnings and rejects the MANIFEST lists; and a count over the committed files with the
csv module alone (no dashboard code) equals what the database then holds."""

from __future__ import annotations

import csv
import gzip
import hashlib
import io
import json
import re
from collections import Counter
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from dashboard import cli, config
from dashboard.ingest import ingest_file
from dashboard.sample import channels
from dashboard.sample.manifest import sample_hashes
from dashboard.store import db

MANIFEST = json.loads((config.SAMPLE_DIR / "MANIFEST.json").read_text(encoding="utf-8"))
SECTION = MANIFEST["channels"]
ENTRIES = {e["file"]: e for e in SECTION["files"]}
COUNTS = ("rows_read", "loaded", "duplicate", "superseded", "rejected", "replaced",
          "unknown_province")
REFERENCE = config.REPO_ROOT / "dashboard" / "reference"

# What each file was designed to hold, counted by hand: 38 provinces (36 for Smartfren, absent
# in Papua Tengah and Papua Pegunungan) x 24 status-bar days (SB01 10, SB02 8, SB03 6), plus
# each file's odd rows; WhatsApp: 91 days (1 Dec 2023 - 29 Feb 2024), 7 then 8 posts.
DESIGNED = [
    # file, rows_read, loaded, duplicate, superseded, rejected, replaced
    ("status_bar_indosat_sb01-03.csv", 913, 913, 0, 0, 0, 0),  # + a row of SB04
    ("status_bar_smartfren_sb01-03.csv", 829, 829, 0, 0, 0, 0),  # 23 days; + a 2023 row
    ("status_bar_smartfren_sb01_late.csv", 36, 33, 0, 0, 3, 0),  # SB01's last day
    ("status_bar_telkomsel_sb01-03.csv.gz", 913, 912, 0, 1, 0, 0),  # + a corrected row
    ("status_bar_xl_sb01-03.csv", 914, 913, 1, 0, 0, 0),  # + Luar Negeri, + a repeated line
    ("wa_daily.csv", 91, 91, 0, 0, 0, 0),
    ("wa_updates_2024-02-16.csv", 7, 7, 0, 0, 0, 0),
    ("wa_updates_2024-02-29.csv.gz", 8, 8, 0, 0, 0, 7),  # the 7 earlier posts, one newer
]


def read_rows(path: Path) -> list[dict[str, str]]:
    """A file's data rows as the csv module reads them (gzip and CRLF transparent)."""
    data = path.read_bytes()
    if path.name.endswith(".gz"):
        data = gzip.decompress(data)
    return list(csv.DictReader(io.StringIO(data.decode("utf-8"), newline="")))


@pytest.fixture(scope="module")
def loaded():
    """waves.csv and the channel files loaded as `init --sample` loads the sample folder."""
    files = [p for p in cli.sample_files() if p.name == "waves.csv" or p.name in ENTRIES]
    conn = db.memory_connection()
    results = {p.name: ingest_file(conn, p, sample=True) for p in files}
    yield conn, results
    conn.close()


def test_regenerating_writes_the_committed_bytes(tmp_path):
    paths = channels.generate_channels(tmp_path)
    assert [p.name for p in paths] == list(ENTRIES)
    for path in paths:
        assert path.read_bytes() == (config.SAMPLE_DIR / path.name).read_bytes(), path.name
    written = json.loads((tmp_path / "MANIFEST.json").read_text(encoding="utf-8"))
    assert written["channels"] == SECTION


def test_another_seed_writes_other_counts(tmp_path):
    channels.generate_channels(tmp_path, seed=1)
    name = "status_bar_xl_sb01-03.csv"
    assert (tmp_path / name).read_bytes() != (config.SAMPLE_DIR / name).read_bytes()


@pytest.mark.parametrize(("name", "rows_read", "loaded", "duplicate", "superseded", "rejected",
                          "replaced"), DESIGNED, ids=[d[0] for d in DESIGNED])
def test_manifest_counts_are_the_designed_ones(name, rows_read, loaded, duplicate, superseded,
                                               rejected, replaced):
    expected = ENTRIES[name]["expected"]
    assert (expected["rows_read"], expected["loaded"], expected["duplicate"],
            expected["superseded"], expected["rejected"], expected["replaced"]) == (
        rows_read, loaded, duplicate, superseded, rejected, replaced)
    assert len(read_rows(config.SAMPLE_DIR / name)) == rows_read


@pytest.mark.parametrize(("name", "compression", "line_end"), [
    ("status_bar_telkomsel_sb01-03.csv.gz", "gzip", b"\n"),
    ("status_bar_smartfren_sb01-03.csv", "none", b"\r\n"),
    ("status_bar_xl_sb01-03.csv", "none", b"\n"),
    ("wa_updates_2024-02-29.csv.gz", "gzip", b"\n"),
])
def test_files_are_written_as_described(name, compression, line_end):
    data = (config.SAMPLE_DIR / name).read_bytes()
    if compression == "gzip":
        assert data[:2] == b"\x1f\x8b"
        data = gzip.decompress(data)
    lines = data.split(b"\n")[:-1]
    assert all(line.endswith(b"\r") == (line_end == b"\r\n") for line in lines)
    assert ENTRIES[name]["compression"] == compression


def test_the_sample_loads_waves_first_and_the_earlier_export_before_the_later():
    order = [p.name for p in cli.sample_files()]
    mine = [n for n in order if n in ENTRIES]
    assert mine == list(ENTRIES)  # the manifest's order is the load order
    assert order.index("waves.csv") < order.index(mine[0])
    assert mine.index("wa_updates_2024-02-16.csv") < mine.index("wa_updates_2024-02-29.csv.gz")


@pytest.mark.parametrize("name", list(ENTRIES))
def test_every_file_is_known_as_sample_data_by_its_hash(name):
    digest = hashlib.sha256((config.SAMPLE_DIR / name).read_bytes()).hexdigest()
    assert ENTRIES[name]["sha256"] == digest
    assert digest in sample_hashes(config.SAMPLE_DIR / "MANIFEST.json")


@pytest.mark.parametrize("name", list(ENTRIES))
def test_loading_gives_the_manifest_counts(loaded, name):
    _, results = loaded
    result = results[name]
    assert result.outcome == "loaded", result.message
    want = ENTRIES[name]["expected"]
    assert {k: getattr(result.counts, k) for k in COUNTS if k in want} == want


@pytest.mark.parametrize("name", list(ENTRIES))
def test_loading_gives_the_manifest_warnings_and_reject_reasons(loaded, name):
    conn, _ = loaded
    warnings = dict(conn.execute(
        "SELECT t.kind, t.rows FROM warning_tally t JOIN ingest_log l USING (ingest_id) "
        "WHERE l.file_name = $f", {"f": name}).fetchall())
    assert warnings == ENTRIES[name]["warnings"]
    reasons = dict(conn.execute(
        "SELECT split_part(reason, ':', 1), count(*) FROM rejects WHERE file_name = $f "
        "GROUP BY 1", {"f": name}).fetchall())
    assert reasons == ENTRIES[name]["reject_reasons"]


# ---- an independent count: the csv module and the contract's rules, no dashboard code ----

GROUPED = re.compile(r"^\d{1,3}(\.\d{3})+$")


def _count(text: str) -> int | None:
    """A whole number >= 0 ('1234' or '1.234'); None when unusable."""
    text = text.strip()
    if GROUPED.match(text):
        text = text.replace(".", "")
    return int(text) if text.isdigit() else None


def _day(text: str) -> date | None:
    try:
        return date.fromisoformat(text) if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text) else None
    except ValueError:
        return None


def _province_codes() -> dict[str, int]:
    """The operators' spellings in the sample: the code, the name in capitals, the short name,
    'Prov. ' + the name (dashboard/reference/provinces.csv, read with csv)."""
    with (REFERENCE / "provinces.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    return {spelled: int(r["code"]) for r in rows
            for spelled in (r["code"], r["name"].upper(), r["short"], f"Prov. {r['name']}")}


def reference_state() -> dict[str, object]:
    """What the tables must hold after the channel files load in name order."""
    codes = _province_codes()
    stored: dict[tuple[str, str, date], dict[object, tuple[int, int]]] = {}
    views: dict[str, int] = {}
    daily: list[dict[str, str]] = []
    for name in sorted(ENTRIES):
        rows = read_rows(config.SAMPLE_DIR / name)
        if name.startswith("status_bar_"):
            this_file: dict[tuple[str, str, date], dict[object, tuple[int, int]]] = {}
            for row in rows:
                shown, unique, day = (_count(row["impressions"]),
                                      _count(row["unique_devices"]), _day(row["date"]))
                if shown is None or unique is None or day is None or unique > shown:
                    continue  # rejected
                key = (row["operator"], row["wave_id"], day)
                province = codes.get(row["province"], f"?{row['province']}")
                this_file.setdefault(key, {})[province] = (shown, unique)  # later line wins
            stored.update(this_file)  # a later file replaces its (operator, wave, day)
        elif name.startswith("wa_updates_"):
            views.update({row["update_id"]: int(row["views"]) for row in rows})
        else:
            daily = rows
    by_operator: Counter[tuple[str, str]] = Counter()
    by_province: Counter[tuple[object, str]] = Counter()
    for (operator, _, _), provinces in stored.items():
        for province, (shown, unique) in provinces.items():
            code = province if isinstance(province, int) else None
            by_operator[operator, "impressions"] += shown
            by_operator[operator, "unique_devices"] += unique
            by_province[code, "impressions"] += shown
            by_province[code, "unique_devices"] += unique
    last = max(daily, key=lambda r: r["date"])
    return {"by_operator": dict(by_operator), "by_province": dict(by_province),
            "views": views, "followers_last_day": (last["date"], int(last["followers"])),
            "daily": daily}


@pytest.fixture(scope="module")
def reference():
    return reference_state()


def test_the_database_holds_the_reference_count(loaded, reference):
    conn, _ = loaded
    by_operator, by_province = {}, {}
    for operator, shown, unique in conn.execute(
            "SELECT operator, sum(impressions), sum(unique_devices) "
            "FROM status_bar_impressions GROUP BY 1").fetchall():
        by_operator[operator, "impressions"] = shown
        by_operator[operator, "unique_devices"] = unique
    for code, shown, unique in conn.execute(
            "SELECT province_code, sum(impressions), sum(unique_devices) "
            "FROM status_bar_impressions GROUP BY 1").fetchall():
        by_province[code, "impressions"] = shown
        by_province[code, "unique_devices"] = unique
    assert by_operator == reference["by_operator"]
    assert by_province == reference["by_province"]
    assert dict(conn.execute("SELECT update_id, views FROM wa_updates").fetchall()) == \
        reference["views"]
    day, followers = conn.execute(
        "SELECT insight_date, followers FROM wa_daily ORDER BY insight_date DESC LIMIT 1"
    ).fetchall()[0]
    assert (day.isoformat(), followers) == reference["followers_last_day"]


def test_the_manifest_end_state_is_the_reference_count(reference):
    end = SECTION["end_state"]
    impressions = {op: n for (op, what), n in reference["by_operator"].items()
                   if what == "impressions"}
    devices = {op: n for (op, what), n in reference["by_operator"].items()
               if what == "unique_devices"}
    provinces = {("unknown" if code is None else str(code)): n
                 for (code, what), n in reference["by_province"].items() if what == "impressions"}
    assert end["status_bar"]["impressions_by_operator"] == impressions
    assert end["status_bar"]["unique_devices_by_operator"] == devices
    assert end["status_bar"]["impressions_by_province"] == provinces
    assert end["wa_updates"]["views_by_update"] == reference["views"]
    assert (end["wa_daily"]["last_date"], end["wa_daily"]["followers_last_day"]) == \
        reference["followers_last_day"]


def test_followers_add_up_day_by_day(reference):
    daily = reference["daily"]
    assert [r["date"] for r in daily] == [
        (date(2023, 12, 1) + timedelta(n)).isoformat() for n in range(91)]
    assert int(daily[0]["followers"]) == int(daily[0]["gained"]) - int(daily[0]["lost"])
    for before, row in zip(daily, daily[1:], strict=False):
        assert int(row["followers"]) == (int(before["followers"]) + int(row["gained"])
                                         - int(row["lost"])), row["date"]


@pytest.mark.parametrize(("wave_id", "with_clicks"), [("SB01", False), ("SB02", True),
                                                      ("SB03", True), ("SB04", True)])
def test_clicks_are_empty_only_where_the_placement_had_no_link(loaded, wave_id, with_clicks):
    conn, _ = loaded
    rows, empty = conn.execute(
        "SELECT count(*), count(*) FILTER (WHERE clicks IS NULL) FROM status_bar_impressions "
        "WHERE wave_id = $w", {"w": wave_id}).fetchall()[0]
    assert rows > 0
    assert empty == (0 if with_clicks else rows)


def test_devices_see_the_text_more_than_once(loaded):
    conn, _ = loaded
    assert conn.execute("SELECT count(*) FROM status_bar_impressions "
                        "WHERE unique_devices >= impressions").fetchall()[0][0] == 0


WIB = timezone(timedelta(hours=7))


@pytest.mark.parametrize(("update_id", "posted_wib"), [
    ("PDC-231201-01", datetime(2023, 12, 1, 10, 0, tzinfo=WIB)),  # "+07:00", then no offset
    ("PDC-240215-01", datetime(2024, 2, 15, 8, 0, tzinfo=WIB)),
    ("PDC-240220-01", datetime(2024, 2, 20, 10, 30, tzinfo=WIB)),  # only in the later export
])
def test_posts_keep_their_wib_time(loaded, update_id, posted_wib):
    conn, _ = loaded
    posted = conn.execute("SELECT posted_at FROM wa_updates WHERE update_id = $u",
                          {"u": update_id}).fetchall()[0][0]
    assert posted == posted_wib
