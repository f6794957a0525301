"""Truth test for the survey (issue 14, point 5): a reference count written without our code
(the csv module over the same file, the rules of DESIGN.md and ingest/survey.py typed again)
must equal the n's the pages and exports show: per group (received_sms yes / no) and per
test, on the committed sample and on tests/corpus/survey/ (odd-but-valid files: other
age-band schemes, gender coded 1/2, L/P or M/F, kota/desa, BOM, CRLF, gzip, quoted cells,
extra columns in another order, decimal-comma weights, no weight column, odd answers).
The survey rows of both tables are checked: survey_tests (Partisipasi) and the
survey_difference rows of hoax_tests (Hoaks)."""

from __future__ import annotations

import csv
import datetime as dt
import gzip
import io
import math
import re
from collections import Counter
from pathlib import Path

import pandas as pd
import pytest

from dashboard import config
from dashboard.filters import Filters
from dashboard.ingest import ingest_file
from dashboard.reports import tables
from dashboard.store import db

CORPUS = Path(__file__).parent / "corpus" / "survey"
SAMPLE = config.SAMPLE_DIR / "survey_responses.csv"
HOAX_REGISTER = config.SAMPLE_DIR / "hoax_register.csv"
APP = str(Path(__file__).resolve().parents[1] / "dashboard" / "web" / "app.py")

# --- the reference: no import from dashboard below this line's functions --------------------
YES, NO = {"yes", "ya", "1", "true"}, {"no", "tidak", "0", "false"}
DONT_KNOW = {"dont_know", "tidak_tahu", "do_not_know"}
OUTCOMES = ("voted", "knows_valid_ballot", "saw_hoax", "believed_hoax")
ELECTION_DAY = dt.date(2024, 2, 14)


def _answer(cell: str) -> str | None:
    """'yes', 'no', 'dont_know', '' (blank) or None (an answer outside the vocabulary)."""
    key = re.sub(r"[\s\-]+", "_", cell.strip().lower().replace("'", ""))
    if key == "":
        return ""
    for word, spellings in (("yes", YES), ("no", NO), ("dont_know", DONT_KNOW)):
        if key in spellings:
            return word
    return None


def _weight(cell: str) -> bool:
    try:
        value = float(cell.strip().replace(",", "."))
    except ValueError:
        return False
    return math.isfinite(value) and value > 0


# DESIGN.md's dates as people write them in Indonesia: ISO (a time after it ignored), day
# first with / or -, or the day, the month's name (Indonesian or English, full or short), year
MONTH_NAMES = {name: month for month, names in enumerate([
    "januari january jan", "februari february feb", "maret march mar", "april apr",
    "mei may", "juni june jun", "juli july jul", "agustus august agu agt aug",
    "september sep sept", "oktober october okt oct", "november nov nop",
    "desember december des dec"], start=1) for name in names.split()}


def _numeric_day(cell: str) -> tuple[int, int] | None:
    """The two numbers before the year of a D/M/YYYY or D-M-YYYY day, else None."""
    found = re.fullmatch(r"([0-9]{1,2})([/-])([0-9]{1,2})\2[0-9]{4}", " ".join(cell.split()))
    return None if found is None else (int(found.group(1)), int(found.group(3)))


def _written_month_first(cells: list[str]) -> bool:
    """A file's interview dates are month first when one reads only so and none only day
    first (Excel with US settings); Indonesian day first otherwise."""
    pairs = [p for cell in cells if (p := _numeric_day(cell))]
    return any(b > 12 for _, b in pairs) and not any(a > 12 for a, _ in pairs)


def _interview_day(cell: str, month_first: bool = False) -> dt.date | None:
    text = " ".join(cell.split())
    iso = text[:10]
    if len(text) == 10 or text[10:11] in ("T", "t", " "):
        try:  # an instant (a time with an offset, Python's own ISO reader): its day in WIB
            instant = dt.datetime.fromisoformat(text.upper())
        except ValueError:
            instant = None
        if instant is not None and instant.tzinfo is not None:
            return instant.astimezone(dt.timezone(dt.timedelta(hours=7))).date()
        try:
            return dt.datetime.strptime(iso, "%Y-%m-%d").date()
        except ValueError:
            pass
    for layout in (("%m/%d/%Y", "%m-%d-%Y") if month_first else ("%d/%m/%Y", "%d-%m-%Y")):
        try:
            day = dt.datetime.strptime(text, layout).date()
        except ValueError:
            continue
        if len(text.split(layout[2])[-1]) == 4:  # a four-digit year only
            return day
    words = text.replace("-", " ").split()
    if len(words) == 3 and words[1].lower().rstrip(".") in MONTH_NAMES and \
            words[0].isdigit() and len(words[2]) == 4 and words[2].isdigit():
        try:
            return dt.date(int(words[2]), MONTH_NAMES[words[1].lower().rstrip(".")],
                           int(words[0]))
        except ValueError:
            return None
    return None


def _interviewed_after_election(cell: str, month_first: bool) -> bool:
    day = _interview_day(cell, month_first)
    return day is not None and day >= ELECTION_DAY


def reference_counts(path: Path) -> dict[str, object]:
    """Loaded and rejected respondents, and n per (outcome, group) for group yes / no."""
    data = path.read_bytes()
    if data[:2] == b"\x1f\x8b":
        data = gzip.decompress(data)
    reader = csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""))
    header = [h.strip().lower() for h in next(reader)]
    kept, seen, rejected = [], set(), 0
    records = list(reader)
    at = header.index("interview_date")
    month_first = _written_month_first([r[at] for r in records if len(r) > at])
    for cells in records:
        if not cells:  # a blank line is not a record
            continue
        row = dict(zip(header, cells, strict=True))
        answers = {c: _answer(row[c]) for c in OUTCOMES}
        if (not row["respondent_id"].strip()
                or ("weight" in row and not _weight(row["weight"]))
                or _answer(row["received_sms"]) is None
                or (None in answers.values()
                    and not {"yes", "no", "dont_know"} & set(answers.values()))
                or row["respondent_id"].strip() in seen):
            rejected += 1
            continue
        seen.add(row["respondent_id"].strip())
        if not _interviewed_after_election(row["interview_date"], month_first):
            answers["voted"] = ""
        kept.append((_answer(row["received_sms"]), answers))
    n = Counter((outcome, group) for group, answers in kept for outcome in OUTCOMES
                if group in ("yes", "no") and answers[outcome] in ("yes", "no"))
    return {"loaded": len(kept), "rejected": rejected, "n": n}


# --- what the pages show ------------------------------------------------------------------

FILES = sorted(p.name for p in CORPUS.iterdir() if p.name.endswith((".csv", ".csv.gz")))


def page_counts(path: Path) -> tuple[object, dict[tuple[str, str], int], pd.DataFrame]:
    """Ingest result, n per (outcome, group) and the survey_tests table, from a fresh
    database holding the sample hoax register (hoax_tests needs one) and this survey."""
    conn = db.memory_connection()
    try:
        assert ingest_file(conn, HOAX_REGISTER).ok
        result = ingest_file(conn, path, kind="survey")
        assert result.ok, result.message
        survey = tables.table(conn, "survey_tests", Filters())
        hoax = tables.table(conn, "hoax_tests", Filters())
    finally:
        conn.close()
    n: dict[tuple[str, str], int] = {}
    proportions = survey[survey["test"] == "weighted_proportion"]
    for row in proportions.itertuples():
        n[(row.outcome, {"recipients": "yes", "non_recipients": "no"}[row.group])] = row.n
    for row in hoax[hoax["test"] == "survey_difference"].itertuples():
        n[(row.outcome, "both")] = row.n
    return result, n, survey


def expected_n(reference: dict[str, object]) -> dict[tuple[str, str], int]:
    n = reference["n"]
    out = {(o, g): n[(o, g)] for o in ("voted", "knows_valid_ballot") for g in ("yes", "no")}
    return out | {(o, "both"): n[(o, "yes")] + n[(o, "no")] for o in ("saw_hoax",
                                                                        "believed_hoax")}


@pytest.mark.parametrize("name", FILES)
def test_corpus_counts_equal_the_reference(name):
    path = CORPUS / name
    reference = reference_counts(path)
    result, n, survey = page_counts(path)
    assert (result.counts.loaded, result.counts.rejected) == (reference["loaded"],
                                                              reference["rejected"])
    assert n == expected_n(reference)
    for outcome in ("voted", "knows_valid_ballot"):  # difference and power use both groups
        rows = survey[(survey["outcome"] == outcome)
                      & survey["test"].isin(["difference", "minimum_detectable_difference"])]
        assert set(rows["n"]) == {n[(outcome, "yes")] + n[(outcome, "no")]}
    assert survey["method_note"].str.contains("unweighted").any() == (name ==
                                                                      "no_weight_column.csv")


def test_sample_counts_equal_the_reference(sample_db, tmp_path):
    """The committed sample, through the CLI export (what `python -m dashboard export` writes
    is what the page shows)."""
    from dashboard.cli import main

    reference = reference_counts(SAMPLE)
    assert reference["loaded"] == 5_000
    out = tmp_path / "survey_tests.csv"
    assert main(["export", "survey_tests", "--format", "csv", "--out", str(out),
                 "--db", str(sample_db)]) == 0
    exported = pd.read_csv(out)
    proportions = exported[exported["test"] == "weighted_proportion"]
    got = {(r.outcome, {"recipients": "yes", "non_recipients": "no"}[r.group]): r.n
           for r in proportions.itertuples()}
    assert got == {k: v for k, v in expected_n(reference).items() if k[1] != "both"}
    _, n, _ = page_counts(SAMPLE)
    assert n == expected_n(reference)


def test_the_corpus_exercises_what_it_claims():
    """The corpus holds the odd-but-valid variants the issue names (so the test above cannot
    pass on plain files)."""
    raw = {name: (CORPUS / name).read_bytes() for name in FILES}
    assert any(b.startswith(b"\xef\xbb\xbf") for b in raw.values())  # BOM
    assert any(b"\r\n" in b for b in raw.values())  # CRLF
    assert any(b[:2] == b"\x1f\x8b" for b in raw.values())  # gzip
    text = {k: (gzip.decompress(v) if v[:2] == b"\x1f\x8b" else v).decode("utf-8-sig")
            for k, v in raw.items()}
    columns = {k: next(csv.reader(io.StringIO(v))) for k, v in text.items()}
    assert any("weight" not in [c.lower() for c in cells] for cells in columns.values())
    assert any(len(cells) > 14 for cells in columns.values())  # extra columns
    assert any(cells[0].lower() != "respondent_id" for cells in columns.values())  # order
    for spelling in ("25-39", ",1,", ",L,", ",M,", ",kota,", ",desa,"):
        assert any(spelling in v.replace('"', "") for v in text.values()), spelling
    for name in FILES:  # every file has both groups and a usable answer to every test
        n = reference_counts(CORPUS / name)["n"]
        assert all(n[(o, g)] > 0 for o in OUTCOMES for g in ("yes", "no")), name


# --- same numbers whatever the spelling ----------------------------------------------------

RESPELL = {
    "age_group": {"17-24": "<25", "25-34": "25 - 34 th", "35-44": "35-44 th",
                  "45-54": "45-54 th", "55+": ">=55"},
    "gender": {"female": "2", "male": "1"},  # one to one: the sample has P/L already
    "urban_rural": {"urban": "Perkotaan", "rural": "Perdesaan"},
    "received_sms": {"yes": "Ya", "no": "Tidak", "dont_know": "Tidak Tahu"},
}


def test_a_respelled_and_re_encoded_sample_shows_the_same_numbers(tmp_path):
    """The sample rewritten as another vendor would write it (other category codes, answers
    in Indonesian, columns in another order, an extra column, BOM, CRLF, gzip) gives the same
    survey_tests table."""
    frame = pd.read_csv(SAMPLE, dtype=str, keep_default_na=False)
    for column, spellings in RESPELL.items():
        frame[column] = frame[column].map(lambda v, s=spellings: s.get(v, v))
    frame.insert(3, "enumerator", "E1")
    frame = frame[list(reversed(frame.columns))]
    text = "\ufeff" + frame.to_csv(index=False, lineterminator="\r\n")
    respelled = tmp_path / "vendor_b.csv.gz"
    respelled.write_bytes(gzip.compress(text.encode("utf-8"), mtime=0))
    *_, original = page_counts(SAMPLE)
    *_, again = page_counts(respelled)
    pd.testing.assert_frame_equal(
        again.drop(columns="method_note"), original.drop(columns="method_note"),
        check_exact=False, rtol=1e-9, atol=1e-12)


# --- an unweighted survey says so -----------------------------------------------------------

def _mark_unweighted(conn, ingest_id: int) -> None:
    """What the load of a file without a weight column stores (survey_loads)."""
    conn.execute("INSERT OR REPLACE INTO survey_loads VALUES ($id, false)", {"id": ingest_id})


def test_an_unweighted_load_is_named_in_every_method_note(conn):
    result = ingest_file(conn, SAMPLE)
    weighted = tables.table(conn, "survey_tests", Filters())
    assert not weighted["method_note"].str.contains("unweighted").any()
    assert weighted.attrs["unweighted_respondents"] == 0
    _mark_unweighted(conn, result.ingest_id)
    unweighted = tables.table(conn, "survey_tests", Filters())
    assert unweighted["method_note"].str.contains(
        "unweighted: the survey file has no weight column", regex=False).all()
    assert unweighted.attrs["unweighted_respondents"] == 5_000
    assert unweighted.attrs["respondents"] == 5_000
    scoped = tables.table(conn, "survey_tests", Filters(provinces=(32,)))
    assert 0 < scoped.attrs["unweighted_respondents"] == scoped.attrs["respondents"] < 5_000


def test_a_partly_unweighted_survey_says_how_many(conn, tmp_path):
    sample = pd.read_csv(SAMPLE, dtype=str, keep_default_na=False)
    first, second = tmp_path / "a.csv", tmp_path / "b.csv"
    sample.iloc[:3_000].to_csv(first, index=False)
    sample.iloc[3_000:].to_csv(second, index=False)
    ingest_file(conn, first)
    _mark_unweighted(conn, ingest_file(conn, second).ingest_id)
    table = tables.table(conn, "survey_tests", Filters())
    assert table["method_note"].str.contains(
        "partly unweighted: 2000 of 5000 respondents", regex=False).all()


def test_the_participation_page_says_the_survey_is_unweighted(tmp_path, monkeypatch):
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    path = tmp_path / "unweighted.duckdb"
    with db.connect(path) as conn:
        for name in ("election_results.csv", "survey_responses.csv"):
            result = ingest_file(conn, config.SAMPLE_DIR / name)
        _mark_unweighted(conn, result.ingest_id)
    monkeypatch.setenv("PEMILU_DB", str(path))
    for lang, words in (("id", "tanpa bobot"), ("en", "unweighted")):
        st.cache_resource.clear()
        st.cache_data.clear()
        app = AppTest.from_file(APP, default_timeout=60)
        app.run()
        app.button_group(key="lang").set_value(lang).run()
        app.switch_page("app_pages/partisipasi.py").run()
        assert not app.exception, app.exception
        captions = " ".join(c.value for c in app.caption)
        assert words in captions.lower(), captions
        assert {"id": "5.000", "en": "5,000"}[lang] in captions, captions
    st.cache_resource.clear()
