"""Issue 18 at ingest: a receipt's optional regency in every receipts format, the hold-out
bucket of each number in a frozen individual experiment's waves, and the survey
respondent's number pseudonymised as receipts are (never stored raw)."""

from __future__ import annotations

import hashlib
import hmac
import json
from pathlib import Path

import pytest

from dashboard import config
from dashboard.experiment import holdout
from dashboard.ingest import ingest_file
from dashboard.ingest.survey import SURVEY_COLUMNS
from tests.conftest import HEADER, receipt, write
from tests.test_privacy import digits_of, text_values

REGENCY_HEADER = HEADER + ",regency"
SALT = "5a" * 16 + "0f" * 16  # 32 bytes, as holdout.new_salt() draws them
OTHER_SALT = "c3" * 32


def regency_receipt(message_id: str, regency: str, province: str = "32", **more) -> str:
    """A canonical CSV line with a regency cell (quoted: a name may hold a comma)."""
    return receipt(message_id, province=province, **more) + ',"' + regency + '"'


def regencies(conn) -> dict[str, int | None]:
    return dict(conn.execute("SELECT message_id, regency_code FROM receipts").fetchall())


def warnings(conn, ingest_id: int) -> list[tuple[int, str, str, str]]:
    return conn.execute(
        "SELECT line, kind, field, value FROM load_warnings WHERE ingest_id = $id "
        "AND kind LIKE '%regency%' ORDER BY line, kind", {"id": ingest_id}).fetchall()


def tally(conn, ingest_id: int) -> dict[str, int]:
    return dict(conn.execute("SELECT kind, rows FROM warning_tally WHERE ingest_id = $id",
                             {"id": ingest_id}).fetchall())


def adds_up(result) -> bool:
    c = result.counts
    return c.rows_read == c.loaded + c.duplicate + c.superseded + c.rejected


# Codes of Kepmendagri 100.1.1-6117/2022 (the province codes' system, province x 100 + number)
SPELLINGS = [
    # (written, expected code)
    ("3204", 3204), ("32.04", 3204), ("32 04", 3204), ("KABUPATEN BANDUNG", 3204),
    ("Kab. Bandung", 3204), ("kab bandung", 3204), ("Kabupaten  Bandung", 3204),
    ("Bandung Regency", 3204),
    ("3273", 3273), ("Kota Bandung", 3273), ("KOTA BANDUNG", 3273), ("Bandung City", 3273),
    ("Kotamadya Bandung", 3273), ("Kodya Bandung", 3273),
    ("Kota Adm. Jakarta Selatan", 3174), ("Jakarta Selatan", 3174), ("31.74", 3174),
    ("Kab. Adm. Kep. Seribu", 3101), ("Kepulauan Seribu", 3101),
    ("Kabupaten Toba Samosir", 1212),  # Toba's name until 2020
]


@pytest.fixture(scope="module")
def spelled(tmp_path_factory):
    """One canonical file holding every spelling (line 2 + i: SPELLINGS[i]), loaded once."""
    from dashboard.store import db

    conn = db.memory_connection()
    lines = [REGENCY_HEADER] + [regency_receipt(f"M{i}", written, str(code // 100))
                                for i, (written, code) in enumerate(SPELLINGS)]
    result = ingest_file(conn, write(tmp_path_factory.mktemp("spelled"), "r.csv", lines))
    assert result.outcome == "loaded", result.message
    yield conn, result
    conn.close()


@pytest.mark.parametrize(("index", "written", "code"),
                         [(i, *s) for i, s in enumerate(SPELLINGS)],
                         ids=[s[0] for s in SPELLINGS])
def test_canonical_csv_reads_a_regency_in_any_spelling(spelled, index, written, code):
    conn, result = spelled
    assert regencies(conn)[f"M{index}"] == code
    assert [w for w in warnings(conn, result.ingest_id) if w[0] == index + 2] == []


# An operator export: the profile names its regency column, or leaves it out and a column
# headed 'regency' is read (a shipped profile need not change for a file that adds one)
PROFILE = """operator = "telkomsel"
delimiter = ";"
timestamp_format = "%d/%m/%Y %H:%M:%S"
[columns]
message_id = "ID_PESAN"
wave_id = "KAMPANYE"
msisdn = "NO_TUJUAN"
province = "WILAYAH"
submitted_at = "WAKTU_KIRIM"
done_at = "WAKTU_TERIMA"
status = "STATUS"
error_code = "KODE_ERROR"
"""
PROFILE_CASES = [
    # (case, regency line of the profile or None, header of the file's regency column)
    ("named by the profile", 'regency = "KAB_KOTA"', "KAB_KOTA"),
    ("named, header in other case", 'regency = "KAB_KOTA"', "kab_kota"),
    ("not named: a column headed regency", None, "Regency"),
]


@pytest.mark.parametrize(("case", "named", "column"), PROFILE_CASES,
                         ids=[c[0] for c in PROFILE_CASES])
def test_operator_export_reads_its_regency_column(conn, tmp_path, case, named, column):
    profile = tmp_path / "tsel.toml"
    profile.write_text(PROFILE + (named + "\n" if named else ""), encoding="utf-8")
    header = ("ID_PESAN;KAMPANYE;NO_TUJUAN;WILAYAH;WAKTU_KIRIM;WAKTU_TERIMA;STATUS;KODE_ERROR;"
              + column)
    rows = ["T1;SMS01;081234567890;JAWA BARAT;05/12/2023 10:00:00;05/12/2023 10:00:30;"
            "DELIVRD;000;Kab. Bandung",
            "T2;SMS01;081234567891;JAWA BARAT;05/12/2023 10:00:00;05/12/2023 10:00:30;"
            "DELIVRD;000;32.73",
            "T3;SMS01;081234567892;JAWA BARAT;05/12/2023 10:00:00;05/12/2023 10:00:30;"
            "DELIVRD;000;",
            "T4;SMS01;081234567893;JAWA BARAT;05/12/2023 10:00:00;05/12/2023 10:00:30;"
            "DELIVRD;000;Gotham"]
    result = ingest_file(conn, write(tmp_path, "t.csv", [header, *rows]), profile=str(profile))
    assert result.outcome == "loaded", result.message
    assert regencies(conn) == {"T1": 3204, "T2": 3273, "T3": None, "T4": None}
    assert warnings(conn, result.ingest_id) == [(5, "unknown_regency", "regency", "Gotham")]


def test_a_profile_without_the_regency_column_still_matches_its_files(tmp_path):
    """A profile naming a regency column matches a file without one (the column is
    optional), and the canonical layout matches a file with one."""
    from dashboard.ingest.profiles import CANONICAL, load_profile, match_profile

    profile = tmp_path / "tsel.toml"
    profile.write_text(PROFILE + 'regency = "KAB_KOTA"\n', encoding="utf-8")
    assert load_profile(profile).columns["regency"] == "KAB_KOTA"
    assert match_profile(REGENCY_HEADER) is CANONICAL
    assert match_profile(HEADER) is CANONICAL


def smpp_line(message_id: str, **more) -> str:
    receipt_text = (f"id:{message_id} sub:001 dlvrd:001 submit date:2312051030 "
                    "done date:2312051031 stat:DELIVRD err:000 text:Pemilu Damai")
    return json.dumps({"operator": "xl", "msisdn": "6281712345678", "region": "JABAR",
                       "wave_id": "SMS01", "receipt": receipt_text, **more})


SMPP_CASES = [
    # (case, the line's extra keys, expected code, expected regency warnings)
    ("code as text", {"regency": "3204"}, 3204, []),
    ("code as a JSON number", {"regency": 3273}, 3273, []),
    ("dotted code", {"regency": "32.73"}, 3273, []),
    ("name", {"regency": "Kab. Bandung"}, 3204, []),
    ("no regency key", {}, None, []),
    ("null", {"regency": None}, None, []),
    ("empty", {"regency": "  "}, None, []),
    ("unknown", {"regency": "Narnia"}, None, [(1, "unknown_regency", "regency", "Narnia")]),
    # Bandung alone is two regencies (Kabupaten and Kota): not guessed
    ("ambiguous bare name", {"regency": "Bandung"}, None,
     [(1, "unknown_regency", "regency", "Bandung")]),
    ("in another province", {"regency": "3578"}, 3578,
     [(1, "regency_province_mismatch", "regency", "3578")]),
]


@pytest.fixture(scope="module")
def smpp_log(tmp_path_factory):
    """One SMPP log holding every case (line 1 + i: SMPP_CASES[i]), loaded once."""
    from dashboard.store import db

    conn = db.memory_connection()
    lines = [smpp_line(f"X{i}", **extra) for i, (_, extra, _, _) in enumerate(SMPP_CASES)]
    result = ingest_file(conn, write(tmp_path_factory.mktemp("smpp"), "dlr.jsonl", lines))
    assert result.outcome == "loaded", result.message
    yield conn, result
    conn.close()


@pytest.mark.parametrize(("index", "case", "extra", "code", "expected"),
                         [(i, *c) for i, c in enumerate(SMPP_CASES)],
                         ids=[c[0] for c in SMPP_CASES])
def test_smpp_log_reads_a_regency_key_beside_region(smpp_log, index, case, extra, code,
                                                    expected):
    conn, result = smpp_log
    assert regencies(conn)[f"X{index}"] == code
    # the region (JABAR) is kept as given, also beside a regency of another province
    assert conn.execute("SELECT province_code FROM receipts WHERE message_id = $id",
                        {"id": f"X{index}"}).fetchall() == [(32,)]
    assert [w for w in warnings(conn, result.ingest_id) if w[0] == index + 1] == [
        (index + 1, *w[1:]) for w in expected]


def test_unknown_and_mismatched_regencies_load_warned_and_the_counts_add_up(conn, tmp_path):
    lines = [
        REGENCY_HEADER,
        regency_receipt("M1", "3204"),                      # line 2: known
        regency_receipt("M2", "Atlantis"),                  # 3: unknown, loaded without
        regency_receipt("M3", "3204", province="31"),       # 4: Bandung is not in Jakarta
        regency_receipt("M4", "Kota Surabaya", province="Jawa Timur"),  # 5: known
        regency_receipt("M5", "Atlantis", msisdn="0812"),   # 6: rejected (its number)
        regency_receipt("M6", "Atlantis", province="Mordor"),  # 7: both unknown
        regency_receipt("M1", "3204"),                      # 8: duplicate of line 2
        regency_receipt("M7", "081299998888"),              # 9: a number in the cell
        regency_receipt("M8", ""),                          # 10: not given
    ]
    result = ingest_file(conn, write(tmp_path, "r.csv", lines))
    assert result.outcome == "loaded", result.message
    assert adds_up(result)
    c = result.counts
    assert (c.rows_read, c.loaded, c.duplicate, c.rejected) == (9, 7, 1, 1)
    assert regencies(conn) == {"M1": 3204, "M2": None, "M3": 3204, "M4": 3578, "M6": None,
                               "M7": None, "M8": None}
    # both kept as given: the province the file says, the regency it says
    assert conn.execute("SELECT province_code FROM receipts WHERE message_id = 'M3'"
                        ).fetchall() == [(31,)]
    assert warnings(conn, result.ingest_id) == [
        (3, "unknown_regency", "regency", "Atlantis"),
        (4, "regency_province_mismatch", "regency", "3204"),
        (7, "unknown_regency", "regency", "Atlantis"),
        (9, "unknown_regency", "regency", "[nomor disamarkan]"),
    ]
    counted = tally(conn, result.ingest_id)
    assert (counted["unknown_regency"], counted["regency_province_mismatch"]) == (3, 1)
    assert counted["unknown_province"] == 1
    # the rejected line's raw text keeps its regency cell, as every other cell
    assert conn.execute("SELECT line, raw_line FROM rejects").fetchall() == [
        (6, "telkomsel | M5 | SMS01 | 0812 | 32 | 2023-12-05 10:00:00 | 2023-12-05 10:00:30 "
            "| DELIVRD | 000 | Atlantis")]


@pytest.mark.parametrize("fmt", ["canonical", "smpp"])
def test_a_file_without_regencies_stores_none_and_warns_of_none(conn, tmp_path, fmt):
    if fmt == "canonical":
        path = write(tmp_path, "r.csv", [HEADER, receipt("M1"), receipt("M2", province="xx")])
    else:
        path = write(tmp_path, "r.jsonl", [smpp_line("M1"), smpp_line("M2", region="xx")])
    result = ingest_file(conn, path)
    assert result.outcome == "loaded" and result.counts.loaded == 2
    assert regencies(conn) == {"M1": None, "M2": None}
    assert warnings(conn, result.ingest_id) == []
    assert set(tally(conn, result.ingest_id)) == {"unknown_wave", "unknown_province"}


# ---- hold-out buckets ------------------------------------------------------------------


def bucket_by_hand(salt_hex: str, msisdn62: str) -> int:
    """The contract's rule written out with Python's hmac module, independent of the code
    under test: HMAC-SHA256 under the salt's bytes of the 62 number, first 8 bytes as an
    unsigned big-endian integer, modulo 10,000."""
    digest = hmac.new(bytes.fromhex(salt_hex), msisdn62.encode("ascii"),
                      hashlib.sha256).digest()
    return int.from_bytes(digest[:8], "big") % 10_000


def freeze(conn, experiment_id: str, design: str, waves: list[str], salt: str | None) -> None:
    """A frozen plan as plan.freeze stores it (only what ingest reads)."""
    plan = {"experiment_id": experiment_id, "design": design, "waves": waves,
            **({"salt": salt} if salt else {})}
    conn.execute(
        "INSERT INTO experiments VALUES ($id, $design, $unit, $plan, 'sha', 'Tester', "
        "TIMESTAMPTZ '2023-11-30 00:00:00+00', true)",
        {"id": experiment_id, "design": design,
         "unit": "number" if design == "individual" else "regency",
         "plan": json.dumps(plan)})
    for wave in waves:
        conn.execute("INSERT INTO experiment_waves VALUES ($wave, $id)",
                     {"wave": wave, "id": experiment_id})


def key_of(conn, msisdn62: str) -> int:
    return conn.execute("SELECT recipient_key($secret, $n)",
                        {"secret": config.pseudonym_secret(), "n": msisdn62}).fetchall()[0][0]


def stored_buckets(conn) -> dict[tuple[str, int], int]:
    return {(e, k): b for e, k, b in conn.execute(
        "SELECT experiment_id, recipient_key, bucket FROM holdout_buckets").fetchall()}


# (the number as the receipt writes it, the same number in 62 form written out by hand)
NUMBERS = [
    ("081234567890", "6281234567890"), ("+62 812-3456-7891", "6281234567891"),
    ("6281234567892", "6281234567892"), ("(0812) 3456 7893", "6281234567893"),
    ("85712345678", "6285712345678"), ("0857.1234.5679", "6285712345679"),
    ("62 878 0000 1111", "6287800001111"), ("0811-000-2222", "628110002222"),
    # a low bucket (7 under SALT): a number near either end of 0..9999 is kept like any other
    ("0812-0000-0553", "6281200000553"),
]


def test_buckets_of_the_experiments_waves_are_the_rule_computed_by_hand(conn, tmp_path):
    freeze(conn, "EXP-IND", "individual", ["EXP1", "EXP2"], SALT)
    freeze(conn, "EXP-CL", "cluster", ["CL1"], None)
    lines = [HEADER]
    for i, (written, _) in enumerate(NUMBERS):
        lines.append(receipt(f"A{i}", msisdn=written, wave="EXP1" if i % 2 else "EXP2"))
        lines.append(receipt(f"B{i}", msisdn=written, wave="SMS01"))  # not an experiment's
        lines.append(receipt(f"C{i}", msisdn=written, wave="CL1"))    # a cluster design's
    lines.append(receipt("R1", msisdn="0812", wave="EXP1"))           # rejected: no number
    lines.append(receipt("S1", msisdn="0813 0000 1234", wave="SMS01"))  # only another wave
    result = ingest_file(conn, write(tmp_path, "r.csv", lines))
    assert result.outcome == "loaded" and adds_up(result)
    expected = {("EXP-IND", key_of(conn, n62)): bucket_by_hand(SALT, n62) for _, n62 in NUMBERS}
    assert stored_buckets(conn) == expected
    # the contract's Python rule agrees on each number as written
    assert sorted(expected.values()) == sorted(holdout.bucket(SALT, w) for w, _ in NUMBERS)


def test_no_bucket_without_a_frozen_individual_experiment(conn, tmp_path):
    freeze(conn, "EXP-CL", "cluster", ["EXP1"], None)
    path = write(tmp_path, "r.csv", [HEADER, receipt("M1", wave="EXP1")])
    assert ingest_file(conn, path).outcome == "loaded"
    assert stored_buckets(conn) == {}


@pytest.mark.parametrize("salt", [None, "not hex"])
def test_an_individual_experiment_without_a_usable_salt_stops_the_load(conn, tmp_path, salt):
    """Buckets that cannot be computed are not skipped in silence: the file fails, naming
    the experiment, and nothing is stored."""
    freeze(conn, "EXP-BAD", "individual", ["EXP1"], salt)
    result = ingest_file(conn, write(tmp_path, "r.csv", [HEADER, receipt("M1", wave="EXP1")]))
    assert result.outcome == "failed"
    assert "the frozen experiment EXP-BAD has no usable salt" in result.message
    assert conn.execute("SELECT count(*) FROM receipts").fetchall() == [(0,)]


def test_a_later_file_adds_its_new_recipients_and_keeps_the_earlier_ones(conn, tmp_path):
    freeze(conn, "EXP-IND", "individual", ["EXP1"], SALT)
    first = write(tmp_path, "a.csv", [HEADER, receipt("M1", msisdn="081234567890",
                                                      wave="EXP1")])
    second = write(tmp_path, "b.csv", [
        HEADER, receipt("M2", msisdn="+62 812 3456 7890", wave="EXP1"),  # same number
        receipt("M3", msisdn="081234567899", wave="EXP1")])
    assert ingest_file(conn, first).ok and ingest_file(conn, second).ok
    assert stored_buckets(conn) == {
        ("EXP-IND", key_of(conn, n)): bucket_by_hand(SALT, n)
        for n in ("6281234567890", "6281234567899")}


def test_smpp_receipts_of_an_experiment_wave_get_their_bucket(conn, tmp_path):
    freeze(conn, "EXP-IND", "individual", ["SMS01"], SALT)
    path = write(tmp_path, "r.jsonl", [smpp_line("X1"), smpp_line("X2", msisdn="081712345679")])
    assert ingest_file(conn, path).ok
    assert stored_buckets(conn) == {
        ("EXP-IND", key_of(conn, n)): bucket_by_hand(SALT, n)
        for n in ("6281712345678", "6281712345679")}


# ---- survey respondents ----------------------------------------------------------------

SURVEY_ROW = {"interview_date": "2024-02-20", "province": "Jawa Barat", "age_group": "25-34",
              "gender": "female", "urban_rural": "urban", "operator": "telkomsel",
              "received_sms": "yes", "recalled_theme": "anti_hoax", "voted": "yes",
              "knows_valid_ballot": "no", "saw_hoax": "yes", "believed_hoax": "no",
              "weight": "1.5"}


def survey_file(folder: Path, numbers: list[str | None], name: str = "s.csv",
                changes: dict[int, dict] | None = None) -> Path:
    """Respondents S1, S2 ... with these numbers (None: no msisdn column at all when every
    one is None); changes: respondent index (from 1) -> cells written otherwise."""
    columns = [*SURVEY_COLUMNS, *(["msisdn"] if any(n is not None for n in numbers) else [])]
    lines = [",".join(columns)]
    for i, number in enumerate(numbers, start=1):
        row = {**SURVEY_ROW, "respondent_id": f"S{i}", "msisdn": number or "",
               **(changes or {}).get(i, {})}
        lines.append(",".join(f'"{row[c]}"' for c in columns))
    return write(folder, name, lines)


def respondent_keys(conn) -> dict[str, int | None]:
    return dict(conn.execute(
        "SELECT respondent_id, respondent_key FROM survey_responses").fetchall())


def test_a_respondent_is_keyed_as_the_receipts_sent_to_the_same_number(conn, tmp_path):
    receipts = write(tmp_path, "r.csv", [HEADER, receipt("M1", msisdn="081234567890"),
                                         receipt("M2", msisdn="+62 857-1234-5678")])
    assert ingest_file(conn, receipts).ok
    numbers = ["+62 812 3456 7890", "0857.1234.5678", "0813-9999-0000", "not a number",
               "0812", None]
    result = ingest_file(conn, survey_file(tmp_path, numbers))
    assert result.outcome == "loaded" and result.counts.loaded == 6 and adds_up(result)
    sent = dict(conn.execute("SELECT message_id, recipient_key FROM receipts").fetchall())
    keys = respondent_keys(conn)
    assert (keys["S1"], keys["S2"]) == (sent["M1"], sent["M2"])
    assert keys["S3"] == key_of(conn, "6281399990000")
    assert (keys["S4"], keys["S5"], keys["S6"]) == (None, None, None)
    # the two cells that are not numbers: one warning, no value (a mistyped number is still
    # someone's), and the respondents counted in every other test
    assert conn.execute(
        "SELECT line, kind, field, value FROM load_warnings WHERE kind = 'bad_msisdn'"
    ).fetchall() == [(5, "bad_msisdn", "msisdn", None)]
    assert tally(conn, result.ingest_id)["bad_msisdn"] == 2
    assert conn.execute("SELECT count(*) FROM survey_responses WHERE voted = 'yes'"
                        ).fetchall() == [(6,)]


def test_a_survey_keyed_with_another_secret_is_refused(conn, tmp_path, monkeypatch):
    """One database, one pseudonym key: respondents keyed otherwise would never match."""
    assert ingest_file(conn, write(tmp_path, "r.csv", [HEADER, receipt("M1")])).ok
    monkeypatch.setenv(config.SECRET_ENV, "another-secret")
    result = ingest_file(conn, survey_file(tmp_path, ["081234567890"]))
    assert result.outcome == "failed" and "pseudonyms were made with another" in result.message
    assert conn.execute("SELECT count(*) FROM survey_responses").fetchall() == [(0,)]


def test_a_survey_without_numbers_has_no_keys_and_no_warning(conn, tmp_path):
    result = ingest_file(conn, survey_file(tmp_path, [None, None]))
    assert result.outcome == "loaded" and result.counts.loaded == 2
    assert respondent_keys(conn) == {"S1": None, "S2": None}
    assert "bad_msisdn" not in tally(conn, result.ingest_id)


def test_respondents_get_a_bucket_in_every_frozen_individual_experiment(conn, tmp_path):
    freeze(conn, "EXP-A", "individual", ["EXP1"], SALT)
    freeze(conn, "EXP-B", "individual", ["EXP2"], OTHER_SALT)
    freeze(conn, "EXP-CL", "cluster", ["CL1"], None)
    result = ingest_file(conn, survey_file(tmp_path, [w for w, _ in NUMBERS] + ["x"]))
    assert result.outcome == "loaded"
    assert stored_buckets(conn) == {
        (experiment, key_of(conn, n62)): bucket_by_hand(salt, n62)
        for experiment, salt in (("EXP-A", SALT), ("EXP-B", OTHER_SALT))
        for _, n62 in NUMBERS}


def test_a_respondent_who_was_a_recipient_keeps_one_bucket(conn, tmp_path):
    freeze(conn, "EXP-A", "individual", ["EXP1"], SALT)
    assert ingest_file(conn, write(tmp_path, "r.csv", [
        HEADER, receipt("M1", msisdn="081234567890", wave="EXP1")])).ok
    assert ingest_file(conn, survey_file(tmp_path, ["+6281234567890"])).ok
    assert stored_buckets(conn) == {
        ("EXP-A", key_of(conn, "6281234567890")): bucket_by_hand(SALT, "6281234567890")}


def test_no_raw_number_in_any_table(conn, tmp_path):
    """Numbers in the receipts' number and regency cells and in the survey's number column,
    accepted and rejected, then every text value of every table searched by digits."""
    freeze(conn, "EXP-A", "individual", ["EXP1"], SALT)
    cores = ["81234560001", "81234560002", "81234560003", "81234560004", "81234560005"]
    receipts = write(tmp_path, "r.csv", [
        REGENCY_HEADER,
        regency_receipt("M1", "0" + cores[0], msisdn="0" + cores[1], wave="EXP1"),
        regency_receipt("M2", "3204", msisdn="+62 " + cores[2], wave="EXP1", status="??"),
    ])
    # S4 is rejected (no weight): its number must not reach the reject's raw line either
    survey = survey_file(tmp_path, ["0" + cores[3], "+62 " + cores[4][:5], "abc",
                                    "+62" + cores[4]], changes={4: {"weight": ""}})
    for path in (receipts, survey):
        assert ingest_file(conn, path).outcome == "loaded"
    assert conn.execute("SELECT count(*) FROM rejects").fetchall() == [(2,)]
    assert conn.execute("SELECT count(*) FROM holdout_buckets").fetchall() == [(2,)]
    values = text_values(conn)
    assert len(values) > 50  # the scan saw the data, warnings and rejects included
    leaks = [(table, column, value) for table, column, value in values
             for core in cores if core[:9] in digits_of(str(value))]
    assert leaks == []
