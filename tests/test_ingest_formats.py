"""Operator export profiles and SMPP delivery-receipt logs: each dialect reads to the same
canonical receipts."""

from __future__ import annotations

import json
import shutil

import pytest

from dashboard import reference
from dashboard.ingest import ingest_file, profiles
from dashboard.ingest.profiles import (
    ProfileError,
    available_profiles,
    load_profile,
    match_profile,
    smpp_params,
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
    ('operator = "x"\nmessage_id_form = "octal"\n[columns]\nmessage_id="a"\nmsisdn="b"\n'
     'submitted_at="c"\nstatus="d"\n', "message_id_form must be one of"),
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


# --------------------------------------------------------------------------------------------
# SMPP receipts as SMSCs write them (issue 14, point 2). Real receipts: test_smpp_corpus.py;
# these tables vary one thing at a time.
# --------------------------------------------------------------------------------------------

def outcome(conn, tmp_path, text: str, operator: str = "xl") -> tuple | str:
    """Ingest one receipt; its stored (message_id, status, submitted, done, error_code), times
    in UTC, or its reject reason code."""
    line = json.dumps({"operator": operator, "msisdn": "6281712345678", "region": "JABAR",
                       "wave_id": "SMS01", "receipt": text})
    ingest_file(conn, write(tmp_path, "dlr.jsonl", [line]))
    reasons = conn.execute("SELECT reason FROM rejects").fetchall()
    if reasons:
        return reasons[0][0].split(":")[0]
    ((message_id, row),) = stored(conn).items()
    return (message_id, row[1], row[3], row[4], row[5])


DATES = "submit date:2312051030 done date:2312051031"
# (what the receipt shows, its text, expected stored (id, state, submitted UTC, done UTC, err)
# or reject reason)
SMPP_SHAPES = [
    ("lower-case keys", f"id:K1 sub:001 dlvrd:001 {DATES} stat:DELIVRD err:000 text:Hai",
     ("K1", "DELIVRD", "2023-12-05 03:30:00", "2023-12-05 03:31:00", "000")),
    ("upper-case keys, the id keeps its case",
     "ID:Kx2 SUB:001 DLVRD:001 SUBMIT DATE:2312051030 DONE DATE:2312051031 STAT:DELIVRD "
     "ERR:000 TEXT:Hai", ("Kx2", "DELIVRD", "2023-12-05 03:30:00", "2023-12-05 03:31:00",
                          "000")),
    ("keys out of order, the id not first",
     f"stat:UNDELIV err:027 sub:001 id:K3 dlvrd:000 {DATES} text:Hai",
     ("K3", "UNDELIV", "2023-12-05 03:30:00", "2023-12-05 03:31:00", "027")),
    ("the text holds stat: and err: words",
     f"id:K4 {DATES} stat:UNDELIV err:001 text:stat:DELIVRD err:999",
     ("K4", "UNDELIV", "2023-12-05 03:30:00", "2023-12-05 03:31:00", "001")),
    ("no err before the text: the text's is not read",
     f"id:K5 {DATES} stat:DELIVRD text:err:5 Pemilu",
     ("K5", "DELIVRD", "2023-12-05 03:30:00", "2023-12-05 03:31:00", None)),
    ("no stat before the text: the text's is not read", f"id:K6 {DATES} err:000 text:stat:DELIVRD",
     "unknown_status"),
    ("an empty text that more keys follow", f"id:K7 {DATES} err:000 text: stat:EXPIRED",
     ("K7", "EXPIRED", "2023-12-05 03:30:00", "2023-12-05 03:31:00", "000")),
    ("sub and dlvrd of any width", f"id:K8 sub:0000001 dlvrd:1 {DATES} stat:DELIVRD err:0",
     ("K8", "DELIVRD", "2023-12-05 03:30:00", "2023-12-05 03:31:00", "000")),
    ("dates with seconds",
     "id:K9 submit date:231205103005 done date:231205103107 stat:DELIVRD err:000",
     ("K9", "DELIVRD", "2023-12-05 03:30:05", "2023-12-05 03:31:07", "000")),
    ("12-digit dates that are YYYYMMDDhhmm",
     "id:K10 submit date:202312051030 done date:202312051031 stat:DELIVRD err:000",
     ("K10", "DELIVRD", "2023-12-05 03:30:00", "2023-12-05 03:31:00", "000")),
    ("14-digit dates", "id:K11 submit date:20231205103005 done date:20231205103107 "
     "stat:DELIVRD err:000",
     ("K11", "DELIVRD", "2023-12-05 03:30:05", "2023-12-05 03:31:07", "000")),
    ("SMPP absolute times, UTC+7 and UTC-3",
     "id:K12 submit date:231205103005028+ done date:231205003107012- stat:DELIVRD err:000",
     ("K12", "DELIVRD", "2023-12-05 03:30:05", "2023-12-05 03:31:07", "000")),
    ("a done date of zeros is no done date",
     "id:K13 submit date:2312051030 done date:0000000000 stat:UNDELIV err:000",
     ("K13", "UNDELIV", "2023-12-05 03:30:00", None, "000")),
    ("a submit date of zeros is no submit date",
     "id:K14 submit date:0000000000 done date:2312051031 stat:DELIVRD err:000",
     "bad_submitted_at"),
    ("an 8-digit date is no date", "id:K15 submit date:23120510 done date:2312051031 "
     "stat:DELIVRD err:000", "bad_submitted_at"),
    ("err ending in a C string's NUL", f"id:K16 {DATES} stat:UNDELIV err:021\x00",
     ("K16", "UNDELIV", "2023-12-05 03:30:00", "2023-12-05 03:31:00", "021")),
    ("no id", f"sub:001 {DATES} stat:DELIVRD err:000", "missing_message_id"),
    # the NUL that ends a C string is the receipt's, whichever key is last (keys come in any
    # order: finding 05, an id or a date with the NUL did not match or did not read)
    ("id last, ending in a C string's NUL", f"{DATES} stat:DELIVRD err:000 id:K17\x00",
     ("K17", "DELIVRD", "2023-12-05 03:30:00", "2023-12-05 03:31:00", "000")),
    ("done date last, ending in a C string's NUL",
     "id:K18 stat:DELIVRD err:000 submit date:2312051030 done date:2312051031\x00",
     ("K18", "DELIVRD", "2023-12-05 03:30:00", "2023-12-05 03:31:00", "000")),
    ("submit date last, ending in a C string's NUL",
     "id:K19 stat:DELIVRD err:000 done date:2312051031 submit date:2312051030\x00",
     ("K19", "DELIVRD", "2023-12-05 03:30:00", "2023-12-05 03:31:00", "000")),
    # controls for the per-field stripping this replaced
    ("stat last, ending in two NULs", f"id:K20 {DATES} err:000 stat:DELIVRD\x00\x00",
     ("K20", "DELIVRD", "2023-12-05 03:30:00", "2023-12-05 03:31:00", "000")),
    ("err of letters last, ending in a C string's NUL", f"id:K21 {DATES} stat:UNDELIV err:Xq9\x00",
     ("K21", "UNDELIV", "2023-12-05 03:30:00", "2023-12-05 03:31:00", "Xq9")),
]


@pytest.mark.parametrize(("shape", "text", "expected"), SMPP_SHAPES,
                         ids=[row[0] for row in SMPP_SHAPES])
def test_smpp_receipt_shapes(conn, tmp_path, shape, text, expected):
    assert outcome(conn, tmp_path, text) == expected


def test_an_id_ending_in_a_nul_is_the_same_message(conn, tmp_path):
    """The final receipt of a message whose id is its last key, C string NUL and all, replaces
    the earlier ENROUTE receipt (finding 05: it was stored beside it, sent 2, pending 1)."""
    first = json.dumps({"operator": "xl", "msisdn": "6281712345678", "region": "JABAR",
                        "wave_id": "SMS01", "receipt": f"{DATES} stat:ENROUTE err:000 id:M1"})
    later = json.loads(first)
    later["receipt"] = "submit date:2312051030 done date:2312051035 stat:DELIVRD id:M1\x00"
    ingest_file(conn, write(tmp_path, "a.jsonl", [first]))
    result = ingest_file(conn, write(tmp_path, "b.jsonl", [json.dumps(later)]))
    assert (result.counts.loaded, result.counts.replaced) == (1, 1)
    assert conn.execute("SELECT message_id, status FROM receipts").fetchall() == [
        ("M1", "DELIVRD")]


def test_smpp_err_of_letters_is_kept_as_written(conn, tmp_path):
    got = outcome(conn, tmp_path, f"id:E1 {DATES} stat:UNDELIV err:Xq9Z text:a")
    assert got == ("E1", "UNDELIV", "2023-12-05 03:30:00", "2023-12-05 03:31:00", "Xq9Z")


# (stat as written, the SMPP state stored or None: rejected as unknown_status); every word of
# reference/smpp_states.csv is here, some in other cases
STATE_WORDS = [
    ("DELIVRD", "DELIVRD"), ("delivrd", "DELIVRD"), ("UNDELIV", "UNDELIV"),
    ("EXPIRED", "EXPIRED"), ("DELETED", "DELETED"), ("ACCEPTD", "ACCEPTD"),
    ("UNKNOWN", "UNKNOWN"), ("REJECTD", "REJECTD"), ("ENROUTE", "ENROUTE"),
    ("SCHEDLD", "SCHEDLD"),
    ("DELIVERED", "DELIVRD"), ("Delivered", "DELIVRD"), ("UNDELIVERABLE", "UNDELIV"),
    ("undeliverable", "UNDELIV"), ("ACCEPTED", "ACCEPTD"), ("REJECTED", "REJECTD"),
    ("SCHEDULED", "SCHEDLD"),
    ("0", "SCHEDLD"), ("1", "ENROUTE"), ("2", "DELIVRD"), ("3", "EXPIRED"), ("4", "DELETED"),
    ("5", "UNDELIV"), ("6", "ACCEPTD"), ("7", "UNKNOWN"), ("8", "REJECTD"),
    ("BUFFRED", "ENROUTE"), ("BUFFERD", "ENROUTE"), ("ACKED", "ENROUTE"),
    ("9", None), ("02", None), ("TERBANG", None), ("DND_REJECTED", None), ("DELIVERED2", None),
    ("FAILED", "UNDELIV"), ("Failed", "UNDELIV"),
]


@pytest.mark.parametrize(("word", "state"), [
    pytest.param(word, state, id=word) for word, state in STATE_WORDS])
def test_smpp_state_words(conn, tmp_path, word, state):
    got = outcome(conn, tmp_path, f"id:S1 {DATES} stat:{word} err:000 text:Hai")
    expected = ("S1", state, "2023-12-05 03:30:00", "2023-12-05 03:31:00", "000")
    assert got == (expected if state else "unknown_status")


def test_every_listed_state_word_is_in_the_table():
    listed = reference.smpp_state_words()
    assert set(listed["word"]) <= {word for word, _ in STATE_WORDS}
    assert set(listed["state"]) <= set(profiles.SMPP_STATES)
    assert listed["word"].is_unique


def profile_folder(tmp_path, monkeypatch, forms: dict[str, str]):
    """Copies of the shipped profiles, those of `forms` (operator -> message_id_form) changed,
    used in their place."""
    folder = tmp_path / "profiles"
    shutil.copytree(profiles._profile_dir(), folder)
    for operator, form in forms.items():
        path = folder / f"{operator}.toml"
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace('message_id_form = "as_written"',
                                     f'message_id_form = "{form}"'), encoding="utf-8")
        assert load_profile(path).message_id_form == form
    monkeypatch.setattr(profiles, "_profile_dir", lambda: folder)


ID_FORMS = {"telkomsel": "as_written", "indosat": "decimal", "xl": "hex",
            "smartfren": "hex_upper"}
# (operator field: its profile's form above, the id as written, the id stored or the reject
# reason code)
MESSAGE_IDS = [
    ("telkomsel", "0A1B2C", "0A1B2C"),
    ("indosat", "0A1B2C", "662316"),
    ("Indosat Ooredoo Hutchison", "0a1b2d", "662317"),
    ("indosat", "38601fa", "59113978"),
    ("indosat", "0x1F", "bad_message_id"),
    ("indosat", "4a38dc46-5125", "bad_message_id"),
    ("indosat", "F" * 32, str(2**128 - 1)),
    ("indosat", "1" + "0" * 32, "bad_message_id"),
    ("xl", "0059113978", "38601fa"),
    ("Axis", "0416342074", "18d0e03a"),
    ("xl", "0", "0"),
    ("xl", "12a", "bad_message_id"),
    ("xl", "+12", "bad_message_id"),
    ("xl", "1e3", "bad_message_id"),
    ("xl", "1_000", "bad_message_id"),
    ("smartfren", "0489708364", "1D305B4C"),
]


@pytest.mark.parametrize(("operator", "written", "expected"), MESSAGE_IDS,
                         ids=[f"{o}-{w[:12]}" for o, w, _ in MESSAGE_IDS])
def test_smpp_message_id_form_of_the_operators_profile(conn, tmp_path, monkeypatch, operator,
                                                      written, expected):
    profile_folder(tmp_path, monkeypatch, {k: v for k, v in ID_FORMS.items()
                                           if v != "as_written"})
    got = outcome(conn, tmp_path, f"id:{written} {DATES} stat:DELIVRD err:000", operator)
    assert (got if isinstance(got, str) else got[0]) == expected


def test_smpp_params_take_a_given_profile_for_every_line(tmp_path):
    path = tmp_path / "dlr.toml"
    path.write_text('operator = "xl"\nmessage_id_form = "decimal"\n[columns]\nmessage_id="a"\n'
                    'msisdn="b"\nsubmitted_at="c"\nstatus="d"\n')
    assert smpp_params(load_profile(path))["smpp_id_form"] == "decimal"
    shipped = smpp_params()
    assert shipped["smpp_id_form"] == "as_written"  # every shipped profile keeps ids as written
    assert {"axis", "tri (3)", "smartfren", "xl axiata"} <= set(shipped["smpp_id_form_operators"])


def test_two_profiles_of_one_operator_must_agree(tmp_path, monkeypatch):
    profile_folder(tmp_path, monkeypatch, {"xl": "hex"})
    second = tmp_path / "profiles" / "xl_old.toml"
    second.write_text((tmp_path / "profiles" / "xl.toml").read_text().replace(
        'message_id_form = "hex"', 'message_id_form = "decimal"'))
    with pytest.raises(ProfileError, match="different message_id_form"):
        smpp_params()


@pytest.mark.parametrize(("form", "stored"), [
    ("as_written", "662316"), ("hex", "a1b2c"), ("hex_upper", "A1B2C")])
def test_a_profile_given_for_an_smpp_log_sets_its_message_id_form(conn, tmp_path, form, stored):
    """`ingest --profile` on a JSON Lines log: the profile's message_id_form applies to every
    line (an SMSC that reports in decimal the id its submit_sm_resp gave in hexadecimal)."""
    from dashboard.config import REPO_ROOT

    profile = tmp_path / "xl_hex.toml"
    xl = REPO_ROOT / "dashboard" / "ingest" / "profiles" / "xl.toml"
    profile.write_text(xl.read_text().replace(
        'message_id_form = "as_written"', f'message_id_form = "{form}"'))
    path = tmp_path / "log.jsonl"
    path.write_text(smpp_line("662316") + "\n")
    result = ingest_file(conn, path, profile=str(profile))
    assert (result.outcome, result.counts.loaded) == ("loaded", 1), result.message
    assert conn.execute("SELECT message_id FROM receipts").fetchall() == [(stored,)]
