"""Phone numbers in the small tabular inputs (findings 01, 02, 04, 05 of the privacy attack):
the free text of waves, election results, the survey and the hoax register is masked as it
is read, a key holding a number (a survey's respondent_id, a hoax_id) is stored as a stable
pseudonym with a warning, and counts, dates and the survey's msisdn are never touched.
The check is by digits (NFKC, any script's digits): independent of the mask under test."""

from __future__ import annotations

import duckdb
import pytest

from dashboard import config
from dashboard.ingest import ingest_file, tabular
from tests.conftest import write
from tests.test_privacy import digits_of, text_values

HEADERS = {kind: ",".join(columns) for kind, columns in tabular.KIND_COLUMNS.items()}
ROWS = {  # a valid row of each kind, {x} where the column under test goes
    "waves": {"wave_id": "SMS01", "channel": "sms", "sent_date": "2023-12-04",
              "theme": "turnout", "message_text": "Ayo memilih"},
    "election": {"year": "2024", "province": "JAWA TENGAH", "dpt": "28289413",
                 "ballots_cast": "23345678", "valid_votes": "22345678",
                 "invalid_votes": "1000000", "source": "KPU"},
    "survey": {"respondent_id": "S1", "interview_date": "2024-02-17",
               "province": "Jawa Barat", "age_group": "25-34", "gender": "female",
               "urban_rural": "urban", "operator": "telkomsel", "received_sms": "yes",
               "recalled_theme": "turnout", "voted": "yes", "knows_valid_ballot": "yes",
               "saw_hoax": "no", "believed_hoax": "no", "weight": "1.0"},
    "hoax": {"hoax_id": "HX1", "identified_date": "2024-01-10", "title": "[HOAKS] Bansos",
             "category": "Penipuan", "election_related": "yes", "theme": "bansos",
             "platforms": "WhatsApp;Facebook", "content_items": "4", "taken_down": "1",
             "province": "", "source_url": "https://example.id/x"},
}
WRITTEN = [  # how the number is written in the cell (core 812 3456 78NN)
    ("dashes", "hubungi 0812-3456-78{n}"), ("underscores", "0812_3456_78{n}"),
    ("+62 and spaces", "WA +62 812 3456 78{n} (Budi)"),
    ("middle dots", "0812\u00b73456\u00b778{n}"),
]
# (a hoax's platforms are stored as canonical names only: masked all the same, not tested here)
CASES = [(kind, column, spelling, template)
         for kind, columns in tabular.FREE_TEXT_COLUMNS.items() for column in columns
         if (kind, column) != ("hoax", "platforms") for spelling, template in WRITTEN]


def _file(tmp_path, kind: str, rows: list[dict[str, str]]):
    lines = [HEADERS[kind]] + [",".join(f'"{r[c]}"' for c in tabular.KIND_COLUMNS[kind])
                               for r in rows]
    return write(tmp_path, f"{kind}.csv", lines)


def _stored_digits(conn: duckdb.DuckDBPyConnection) -> str:
    return " ".join(digits_of(str(v)) for _, _, v in text_values(conn))


@pytest.mark.parametrize(("kind", "column", "spelling", "template"), CASES,
                         ids=[f"{k}-{c}-{s}" for k, c, s, _ in CASES])
def test_a_number_in_free_text_is_never_stored(conn, tmp_path, kind, column, spelling,
                                               template):
    serial = f"{CASES.index((kind, column, spelling, template)):02d}"
    row = ROWS[kind] | {column: template.format(n=serial)}
    result = ingest_file(conn, _file(tmp_path, kind, [row]), kind=kind)
    assert result.outcome == "loaded" and result.counts.loaded == 1, result.summary()
    assert f"8123456{78}{serial}" not in _stored_digits(conn)


def test_counts_dates_and_other_text_are_kept_as_written(conn, tmp_path):
    row = ROWS["election"] | {"source": "KPU 2024 (rekap 28289413.0)"}
    ingest_file(conn, _file(tmp_path, "election", [row]), kind="election")
    assert conn.execute("SELECT dpt, source FROM election_results").fetchall() == [
        (28289413, "KPU 2024 (rekap 28289413.0)")]


ID_CASES = [("survey", "respondent_id", "survey_responses"), ("hoax", "hoax_id", "hoax_reports")]
KEYS = {  # the key column of each table (fixed text, not from the test's input)
    "survey_responses": "SELECT respondent_id FROM survey_responses",
    "hoax_reports": "SELECT hoax_id FROM hoax_reports"}


@pytest.mark.parametrize(("kind", "column", "table"), ID_CASES, ids=[c[0] for c in ID_CASES])
def test_a_key_holding_a_number_is_a_stable_pseudonym(conn, tmp_path, kind, column, table):
    """Two keys that are numbers stay two rows (a mask would make them one key, the second a
    duplicate); loading the file again replaces them, and each one is a warning."""
    rows = [ROWS[kind] | {column: "0812-3456-7801"}, ROWS[kind] | {column: "0812 3456 7802"},
            ROWS[kind] | {column: "X3"}]
    if kind == "hoax":  # titles are told apart too
        rows = [r | {"title": f"[HOAKS] judul {i}"} for i, r in enumerate(rows)]
    path = _file(tmp_path, kind, rows)
    first = ingest_file(conn, path, kind=kind)
    assert (first.counts.loaded, first.counts.rejected, first.counts.duplicate) == (3, 0, 0)
    keys = sorted(k for (k,) in conn.execute(KEYS[table]).fetchall())
    assert len(set(keys)) == 3 and "X3" in keys
    assert not any(d in _stored_digits(conn) for d in ("81234567801", "81234567802"))
    warned = conn.execute("SELECT line, kind, field FROM load_warnings "
                          "WHERE kind = $kind ORDER BY line",
                          {"kind": tabular.PHONE_ID_WARNING}).fetchall()
    assert warned == [(2, tabular.PHONE_ID_WARNING, column), (3, tabular.PHONE_ID_WARNING, column)]
    again = write(tmp_path, f"again_{kind}.csv", path.read_bytes() + b"\n")
    ingest_file(conn, again, kind=kind)  # another file, the same keys: rows replaced
    assert sorted(k for (k,) in conn.execute(KEYS[table]).fetchall()) == keys


def test_the_survey_number_still_reaches_its_pseudonym(conn, tmp_path):
    """The msisdn column is never masked: the respondent gets the receipts' pseudonym."""
    header = HEADERS["survey"] + ",msisdn"
    row = ",".join(ROWS["survey"][c] for c in tabular.KIND_COLUMNS["survey"])
    path = write(tmp_path, "survey.csv", [header, row + ",0812-3456-7890"])
    ingest_file(conn, path, kind="survey")
    got = conn.execute("SELECT respondent_key = recipient_key($secret, '6281234567890') "
                       "FROM survey_responses", {"secret": config.pseudonym_secret()}).fetchall()
    assert got == [(True,)]
