"""Operator export profiles and SMPP delivery-receipt logs: each dialect reads to the same
canonical receipts."""

from __future__ import annotations

import json

import pytest

from dashboard.ingest import ingest_file
from dashboard.ingest.profiles import (
    ProfileError,
    available_profiles,
    load_profile,
    match_profile,
)
from tests.conftest import write


def stored(conn) -> dict[str, tuple]:
    rows = conn.execute(
        "SELECT message_id, operator, status, province_code, "
        "strftime(timezone('UTC', submitted_at), '%Y-%m-%d %H:%M:%S'), "
        "strftime(timezone('UTC', done_at), '%Y-%m-%d %H:%M:%S'), error_code FROM receipts"
    ).fetchall()
    return {r[0]: r[1:] for r in rows}


def test_every_shipped_profile_loads_and_differs():
    profiles = [load_profile(name) for name in available_profiles()]
    assert {p.operator for p in profiles} == {"telkomsel", "indosat", "xl", "smartfren"}
    dialects = {(p.delimiter, p.timestamp_format) for p in profiles}
    assert len(dialects) == len(profiles)


@pytest.mark.parametrize("operator", ["telkomsel", "indosat", "xl", "smartfren"])
def test_profile_export_reads_to_canonical_receipts(conn, tmp_path, operator):
    profile = load_profile(operator)
    columns = profile.columns
    words = {state: word for word, state in profile.status_words.items() if word != state}
    delivered = words.get("DELIVRD", "DELIVRD")
    failed = words.get("UNDELIV", "UNDELIV")

    def stamp(text: str) -> str:  # an instant given in UTC, written in the profile's zone
        from datetime import datetime, timedelta

        moment = datetime.fromisoformat(text) + timedelta(seconds=profile.utc_offset_seconds)
        return moment.strftime(profile.timestamp_format)

    header = [columns[c] for c in ("message_id", "wave_id", "msisdn", "province",
                                   "submitted_at", "done_at", "status", "error_code")]
    rows = [
        ["A1", "SMS01", "081234567890", "JAWA BARAT", stamp("2023-12-05 03:00:00"),
         stamp("2023-12-05 03:05:00"), delivered, "000"],
        ["A2", "SMS01", "081234567891", "Jabar", stamp("2023-12-05 03:00:00"),
         stamp("2023-12-05 04:00:00"), failed.lower(), "27"],
        ["A3", "SMS01", "081234567892", "Jabar", "31/31/2023", stamp("2023-12-05 03:05:00"),
         delivered, "000"],
    ]
    lines = [profile.delimiter.join(h.upper() for h in header) + profile.delimiter + "EXTRA"]
    lines += [profile.delimiter.join(r) + profile.delimiter + "x" for r in rows]
    path = write(tmp_path, f"{operator}.txt", lines)
    assert match_profile(lines[0]) == profile
    result = ingest_file(conn, path)
    assert (result.counts.loaded, result.counts.rejected) == (2, 1)
    got = stored(conn)
    minutes = "%H:%M" in profile.timestamp_format and "%S" not in profile.timestamp_format
    assert got["A1"][:3] == (operator, "DELIVRD", 32)
    assert got["A1"][3].startswith("2023-12-05 03:00")
    assert got["A1"][4].startswith("2023-12-05 03:05") or minutes
    assert got["A2"][1] == "UNDELIV" and got["A2"][5] == "027"
    reason = conn.execute("SELECT reason FROM rejects").fetchall()[0][0]
    assert reason.startswith("bad_submitted_at")


@pytest.mark.parametrize(("toml", "message"), [
    ('operator = "x"\n[columns]\nmessage_id = "a"\n', "missing"),
    ('operator = "x"\ndelimiter = ";;"\n[columns]\nmessage_id="a"\nmsisdn="b"\n'
     'submitted_at="c"\nstatus="d"\n', "one character"),
    ('operator = "x"\ntimezone = "Mars/Olympus"\n[columns]\nmessage_id="a"\nmsisdn="b"\n'
     'submitted_at="c"\nstatus="d"\n', "unknown timezone"),
    ('operator = "x"\n[columns]\nmessage_id="a"\nmsisdn="b"\nsubmitted_at="c"\nstatus="d"\n'
     '[status]\nOK = "FINE"\n', "non-SMPP"),
    ("not toml at all [", "not valid TOML"),
])
def test_bad_profile_is_refused_with_a_reason(tmp_path, toml, message):
    path = tmp_path / "bad.toml"
    path.write_text(toml)
    with pytest.raises(ProfileError, match=message):
        load_profile(path)


def smpp_line(message_id: str, stat: str = "DELIVRD", submit: str = "2312051030",
              done: str = "231205103112", region: str = "JABAR", err: str = "000",
              msisdn: str = "6281712345678", key_case: str = "lower") -> str:
    receipt = (f"id:{message_id} sub:001 dlvrd:001 submit date:{submit} done date:{done} "
               f"stat:{stat} err:{err} text:Pemilu Damai")
    if key_case == "upper":
        receipt = receipt.replace("submit date", "Submit Date").replace("stat:", "STAT:")
    return json.dumps({"operator": "xl", "msisdn": msisdn, "region": region, "wave_id": "SMS01",
                       "receipt": receipt})


def test_smpp_log_reads_receipts_and_rejects_bad_lines_with_exact_line_numbers(conn, tmp_path):
    lines = [
        smpp_line("X1"),
        "",  # blank line: not a row
        smpp_line("X2", stat="UNDELIV", err="027", key_case="upper", submit="231205103000"),
        '{"operator": "xl", "msisdn": "6281712345679"',  # truncated JSON
        "this is not json 081712345670",
        smpp_line("X3", submit="23120510"),  # 8-digit date
        smpp_line("X4", done="2312051020"),  # done before submitted
        smpp_line("X5", region="Prov. Jawa Tengah", msisdn="+62 817-1234-5670"),
    ]
    result = ingest_file(conn, write(tmp_path, "dlr.jsonl.gz", lines, compress=True))
    c = result.counts
    assert (c.rows_read, c.loaded, c.rejected) == (7, 3, 4)
    got = stored(conn)
    assert got["X1"][:3] == ("xl", "DELIVRD", 32)
    assert got["X1"][3:5] == ("2023-12-05 03:30:00", "2023-12-05 03:31:12")
    assert got["X2"][1] == "UNDELIV" and got["X5"][2] == 33
    rejects = conn.execute("SELECT line, split_part(reason, ':', 1), raw_line FROM rejects "
                           "ORDER BY line").fetchall()
    assert [(line, reason) for line, reason, _ in rejects] == [
        (4, "malformed_json"), (5, "malformed_json"), (6, "bad_submitted_at"),
        (7, "done_before_submitted")]
    assert all("0817123456" not in raw for _, _, raw in rejects)
