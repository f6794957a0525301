"""The committed sample loads with exactly the counts its generator says it injected
(sample_data/MANIFEST.json): every defect is rejected with the right reason, duplicates and
superseded states are set aside, every odd-but-valid spelling loads with the warnings the
manifest lists, and the final receipts match the manifest's end state."""

from __future__ import annotations

import json

import pytest

from dashboard import config
from dashboard.ingest import ingest_file
from dashboard.store import db

MANIFEST = json.loads((config.SAMPLE_DIR / "MANIFEST.json").read_text())
COUNTS = ("rows_read", "loaded", "duplicate", "superseded", "rejected", "replaced",
          "unknown_province", "operator_mismatch")


# every file of the sample with its manifest entry, in load order (waves first)
ENTRIES = [*MANIFEST["files"], MANIFEST["election"], MANIFEST["survey"], MANIFEST["hoax"]]


@pytest.fixture(scope="module")
def sample():
    conn = db.memory_connection()
    results = {entry["file"]: ingest_file(conn, config.SAMPLE_DIR / entry["file"])
               for entry in ENTRIES}
    yield conn, results
    conn.close()


@pytest.mark.parametrize("entry", ENTRIES, ids=[e["file"] for e in ENTRIES])
def test_warnings_match_the_manifest(sample, entry):
    """Odd-but-valid records load and raise exactly the warnings the generator wrote them
    for; a file without odd records raises none."""
    conn, results = sample
    assert results[entry["file"]].outcome == "loaded"
    got = dict(conn.execute(
        "SELECT t.kind, t.rows FROM warning_tally t JOIN ingest_log l USING (ingest_id) "
        "WHERE l.file_name = $f", {"f": entry["file"]}).fetchall())
    want = entry["warnings"]
    if isinstance(want, list):  # the survey lists each warning with its first line
        want = {k: sum(w["count"] for w in want if w["kind"] == k) for k in {w["kind"]
                                                                               for w in want}}
    assert got == want


def test_every_sample_file_is_in_the_manifest():
    channels = MANIFEST["channels"]["files"]  # tests/test_sample_channels.py loads these
    experiment = MANIFEST["experiment"]["files"]  # and tests/test_sample_experiment.py these
    listed = ({e["file"] for e in [*ENTRIES, *channels, *experiment]}
              | {"MANIFEST.json", "README.md"})
    assert {p.name for p in config.SAMPLE_DIR.iterdir()} == listed


@pytest.mark.parametrize("entry", ENTRIES, ids=[e["file"] for e in ENTRIES])
def test_file_counts_match_the_manifest(sample, entry):
    conn, results = sample
    result = results[entry["file"]]
    assert result.outcome == "loaded", result.message
    got = {k: getattr(result.counts, k) for k in COUNTS if k in entry["expected"]}
    assert got == entry["expected"]
    c = result.counts
    assert c.rows_read == c.loaded + c.duplicate + c.superseded + c.rejected


@pytest.mark.parametrize("entry", [e for e in MANIFEST["files"] if e["format"] != "waves"],
                         ids=lambda e: e["file"])
def test_reject_reasons_match_the_injected_defects(sample, entry):
    conn, _ = sample
    got = dict(conn.execute(
        "SELECT split_part(reason, ':', 1), count(*) FROM rejects WHERE file_name = $f "
        "GROUP BY 1", {"f": entry["file"]}).fetchall())
    want: dict[str, int] = {}
    for defect, count in entry["defects"].items():
        if reason := MANIFEST["reject_reasons"].get(defect):
            want[reason] = want.get(reason, 0) + count
    assert got == want


def test_end_state_matches_the_manifest(sample):
    conn, _ = sample
    end = MANIFEST["end_state"]
    receipts, numbers = conn.execute(
        "SELECT count(*), count(DISTINCT recipient_key) FROM receipts").fetchall()[0]
    assert (receipts, numbers) == (end["receipts"], end["distinct_numbers"])
    by_status = dict(conn.execute("SELECT status, count(*) FROM receipts GROUP BY 1").fetchall())
    assert by_status == end["by_status"]
    for query, key in (("SELECT operator, count(*) FROM receipts GROUP BY 1", "by_operator"),
                       ("SELECT wave_id, count(*) FROM receipts GROUP BY 1", "by_wave")):
        assert dict(conn.execute(query).fetchall()) == end[key], key
    delivered = dict(conn.execute(
        "SELECT operator, count(*) FROM receipts WHERE status = 'DELIVRD' GROUP BY 1").fetchall())
    assert delivered == end["delivered_by_operator"]
