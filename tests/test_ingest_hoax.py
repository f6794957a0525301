"""Hoax register validation: every row accounted for, reasons that say what is wrong, platform
and province normalisation, and the committed sample register."""

from __future__ import annotations

import csv
import io

import pandas as pd
import pytest

from dashboard import config, reference
from dashboard.ingest import ingest_file
from dashboard.ingest.hoax import (
    HOAX_COLUMNS,
    count_outcomes,
    explode_platforms,
    split_platforms,
    validate_hoax_file,
    validate_hoax_register,
)
from dashboard.ingest.privacy import MASK
from dashboard.sample import hoax as sample
from dashboard.store import db

HEADER = ",".join(HOAX_COLUMNS)
GOOD = dict(zip(HOAX_COLUMNS, ["H1", "2024-02-14", "[HOAKS] Video A", "Politik", "yes", "sara",
                               "Facebook", "10", "4", "", "https://x.test/1"], strict=True))


def read(lines: list[str], header: str = HEADER) -> pd.DataFrame:
    """The file as all-text columns with the physical line (header = line 1), as ingest reads
    it."""
    frame = pd.read_csv(io.StringIO("\n".join([header, *lines]) + "\n"), dtype="string",
                        keep_default_na=False)
    frame.insert(0, "line", range(2, len(frame) + 2))
    return frame


def row(**changes: str) -> str:
    """A CSV line: the good row with some cells changed."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="").writerow({**GOOD, **changes}.values())
    return buffer.getvalue()


# (case, data rows, loaded, duplicate, rejected, {line: reason text expected in the reason})
BAD_INPUTS = [
    ("exact duplicate id", [row(), row()], 1, 1, 0,
     {3: "duplicate_hoax_id: hoax_id already on line 2 (the first is kept)"}),
    ("duplicate id, other values", [row(), row(title="[HOAKS] Foto B")], 1, 1, 0,
     {3: "; the rows differ"}),
    ("duplicate of a rejected row is loaded", [row(identified_date="2024-02-30"), row()],
     1, 0, 1, {2: "bad_identified_date"}),
    ("taken_down > content_items", [row(content_items="12", taken_down="15")], 0, 0, 1,
     {2: "taken_down_exceeds_content_items: taken_down is more than content_items"}),
    ("impossible date", [row(identified_date="2024-02-30")], 0, 0, 1,
     {2: "bad_identified_date: identified_date is not a date written YYYY-MM-DD"}),
    ("day-first date", [row(identified_date="14/02/2024")], 1, 0, 0, {}),
    # month first, shown by the day itself (dates.month_first): read as 14 February
    ("month-first date", [row(identified_date="02/14/2024")], 1, 0, 0, {}),
    ("no 14th month either way", [row(identified_date="14/14/2024")], 0, 0, 1,
     {2: "bad_identified_date"}),
    ("missing date", [row(identified_date="")], 0, 0, 1, {2: "bad_identified_date"}),
    ("negative content items", [row(content_items="-4")], 0, 0, 1,
     {2: "negative_content_items: content_items is below 0"}),
    ("negative take-downs", [row(taken_down="-1")], 0, 0, 1,
     {2: "negative_taken_down: taken_down is below 0"}),
    ("fractional count", [row(content_items="12.5")], 0, 0, 1,
     {2: "bad_content_items: content_items is not a whole number"}),
    ("missing content items", [row(content_items="")], 0, 0, 1,
     {2: "missing_content_items: content_items is empty"}),
    ("missing take-down count is loaded as NULL", [row(taken_down="")], 1, 0, 0, {}),
    ("missing id", [row(hoax_id="")], 0, 0, 1, {2: "missing_hoax_id"}),
    ("missing title", [row(title="  ")], 0, 0, 1, {2: "missing_title"}),
    ("bad election flag", [row(election_related="maybe")], 0, 0, 1,
     {2: "bad_election_related: election_related is not yes or no"}),
    ("no platform", [row(platforms=" ; ")], 0, 0, 1, {2: "missing_platforms"}),
    ("two problems, both named", [row(content_items="-1", identified_date="2024-13-01")],
     0, 0, 1, {2: "bad_identified_date: identified_date is not a date"}),
    ("mixed file", [row(), row(hoax_id="H2", taken_down="99"), row(),
                    row(hoax_id="H3", taken_down=""), row(hoax_id="H4", content_items="x")],
     2, 1, 2, {3: "taken_down_exceeds_content_items", 4: "duplicate_hoax_id",
               6: "bad_content_items: content_items is not a whole number"}),
]


@pytest.mark.parametrize(("lines", "loaded", "duplicate", "rejected", "reasons"),
                         [case[1:] for case in BAD_INPUTS], ids=[c[0] for c in BAD_INPUTS])
def test_bad_inputs_are_accounted_for(lines, loaded, duplicate, rejected, reasons):
    clean, set_aside = validate_hoax_register(read(lines), reference.province_code)
    counts = count_outcomes(clean, set_aside)
    assert counts == {"rows_read": len(lines), "loaded": loaded, "duplicate": duplicate,
                      "rejected": rejected}
    assert counts["loaded"] + counts["duplicate"] + counts["rejected"] == len(lines)
    by_line = dict(zip(set_aside["line"], set_aside["reason"], strict=True))
    for line, text in reasons.items():
        assert text in by_line[line]
    assert set(set_aside["line"]).isdisjoint(set(clean["line"]))


# (content_items as written, the count loaded or None, the reject reason or None)
COUNTS = [
    ("1234", 1234, None),
    # thousands grouped as Indonesian (dots) and English (commas) spreadsheets write them,
    # read as election and channel counts are (numbers.py); '1.000' is a thousand
    ("1.234", 1234, None), ("1,234", 1234, None), ("1.000", 1000, None),
    ("12.345.678", 12345678, None),
    # pandas/R write a count column that holds a blank (taken_down often does) as floats
    ("12.0", 12, None), ("12.00", 12, None), ("1,234.00", 1234, None),
    ("12.5", None, "bad_content_items: content_items is not a whole number"),
    ("1.2345", None, "bad_content_items: content_items is not a whole number"),
    # other scripts' digits: int() reads them, the shared rule (and election counts) do not
    ("\u0661\u0662", None, "bad_content_items: content_items is not a whole number"),
    ("\uff11\uff12", None, "bad_content_items: content_items is not a whole number"),
    ("+5", None, "bad_content_items: content_items is not a whole number"),
    ("-4", None, "negative_content_items: content_items is below 0"),
    ("-1.234", None, "negative_content_items: content_items is below 0"),
    ("", None, "missing_content_items: content_items is empty"),
    ("2147483647", 2147483647, None),  # hoax_reports.content_items is an INTEGER
    ("2.147.483.648", None, "bad_content_items: content_items is too large (at most "
                            "2147483647)"),
    ("9" * 30, None, "bad_content_items: content_items is too large (at most 2147483647)"),
]


@pytest.mark.parametrize(("cell", "value", "reason"), COUNTS)
def test_counts_follow_the_shared_rule(cell, value, reason):
    clean, set_aside = validate_hoax_register(read([row(content_items=cell, taken_down="0")]),
                                              reference.province_code)
    assert set_aside["reason"].tolist() == ([reason] if reason else [])
    assert clean["content_items"].tolist() == ([value] if reason is None else [])


@pytest.mark.parametrize(("cell", "value", "reason"), [
    ("1.000", 1000, None), ("1,000", 1000, None), ("3.0", 3, None), ("", None, None),
    ("x", None, "bad_taken_down: taken_down is not a whole number"),
    ("-1", None, "negative_taken_down: taken_down is below 0"),
])
def test_taken_down_follows_the_shared_rule(cell, value, reason):
    clean, set_aside = validate_hoax_register(
        read([row(content_items="1.234", taken_down=cell)]), reference.province_code)
    assert set_aside["reason"].tolist() == ([reason] if reason else [])
    if reason is None:
        loaded = clean.loc[0, "taken_down"]
        assert (pd.isna(loaded) if value is None else loaded == value)


PHONE = "081234567890"  # a phone number pasted into the wrong column


@pytest.mark.parametrize("changes", [
    {"identified_date": PHONE}, {"election_related": PHONE}, {"content_items": PHONE},
    {"taken_down": PHONE}, {"taken_down": "0812345678"},  # 812345678: more than content
    {"hoax_id": "", "title": "", "platforms": "", "content_items": "-" + PHONE},
])
def test_reasons_never_quote_the_cell(changes):
    _, set_aside = validate_hoax_register(read([row(**changes)]), reference.province_code)
    reason = set_aside.loc[0, "reason"]
    assert "12345" not in reason and "0812" not in reason, reason


# (identified_date as written, the day loaded, or None: rejected)
IDENTIFIED_DATES = [
    ("2024-01-05", "2024-01-05"),
    # written by people: Kominfo's weekly reports and Indonesian registers spell the month
    ("5 Januari 2024", "2024-01-05"), ("14 Feb 2024", "2024-02-14"),
    ("17 Agustus 2023", "2023-08-17"), ("3 Oct 2023", "2023-10-03"),
    # a spreadsheet's date-and-time cell; the time is ignored
    ("2024-01-05 10:00", "2024-01-05"),
    # day first, as Indonesian spreadsheets write it
    ("05/01/2024", "2024-01-05"), ("05-01-2024", "2024-01-05"),
    ("01/13/2024", "2024-01-13"),  # month first, shown by the day itself
    ("13/13/2024", None), ("5 Jan", None), ("2024-02-30", None), ("Kamis", None),
]


@pytest.mark.parametrize(("written", "day"), IDENTIFIED_DATES)
def test_identified_date_forms(written, day):
    clean, set_aside = validate_hoax_register(read([row(identified_date=written)]),
                                              reference.province_code)
    if day is None:
        assert set_aside["reason"].tolist() == [
            "bad_identified_date: identified_date is not a date written YYYY-MM-DD (a time "
            "after it is ignored; with an offset, its day in WIB), D Month YYYY (5 Januari "
            "2024, 14 Feb 2024) or DD/MM/YYYY, "
            "DD-MM-YYYY (day first, or month first where the file shows it)"]
    else:
        assert set_aside.empty
        assert clean["identified_date"].tolist() == [pd.Timestamp(day)]


def test_several_problems_are_all_named():
    _, set_aside = validate_hoax_register(
        read([row(content_items="-1", identified_date="2024-13-01")]), reference.province_code)
    reason = set_aside.loc[0, "reason"]
    assert reason.startswith("bad_identified_date")
    assert "negative_content_items" in reason


def test_missing_takedown_is_null_not_zero():
    clean, _ = validate_hoax_register(read([row(taken_down="")]), reference.province_code)
    assert clean["taken_down"].isna().all()
    assert str(clean["taken_down"].dtype) == "Int64"


def test_set_aside_keeps_the_raw_row_and_outcome():
    clean, set_aside = validate_hoax_register(read([row(), row(), row(hoax_id="H9",
                                                                      taken_down="-3")]),
                                              reference.province_code)
    assert list(set_aside.columns) == ["line", "outcome", "reason", "raw"]
    assert list(set_aside["outcome"]) == ["duplicate", "rejected"]
    assert set_aside.loc[1, "raw"].startswith("H9,2024-02-14,[HOAKS] Video A,")
    assert ",-3," in set_aside.loc[1, "raw"]


def test_line_numbers_come_from_the_file():
    frame = read([row(), row(hoax_id="H2", content_items="-1")])
    frame["line"] = [2, 5]  # blank lines 3-4 were skipped by the reader
    _, set_aside = validate_hoax_register(frame, reference.province_code)
    assert list(set_aside["line"]) == [5]
    no_line = frame.drop(columns="line")  # without the column, row i is line i + 2
    _, set_aside = validate_hoax_register(no_line, reference.province_code)
    assert list(set_aside["line"]) == [3]


@pytest.mark.parametrize(("cell", "platforms", "unknown"), [
    ("Facebook", ["Facebook"], []),
    ("fb; Twitter ;TIKTOK", ["Facebook", "X (Twitter)", "TikTok"], []),
    ("X (Twitter);x;twitter", ["X (Twitter)"], []),
    ("Snack Video;YT;WA", ["YouTube", "SnackVideo", "WhatsApp"], []),
    ("IG;Facebook", ["Facebook", "Instagram"], []),
    ("Lainnya", ["Other"], []),
    ("Telegram;Facebook", ["Facebook", "Other"], ["Telegram"]),
    ("", [], []),
])
def test_platform_names_are_normalised(cell, platforms, unknown):
    assert split_platforms(cell) == (platforms, unknown)


def test_multi_platform_rows_and_unknown_platform_warning():
    clean, _ = validate_hoax_register(
        read([row(platforms="FB; twitter"), row(hoax_id="H2", platforms="Telegram")]),
        reference.province_code)
    assert list(clean["platforms"]) == ["Facebook;X (Twitter)", "Other"]
    assert list(clean["platform_count"]) == [2, 1]
    assert clean["warning"].isna().tolist() == [True, False]
    assert "unknown_platform: 'Telegram' counted as Other" in clean.loc[1, "warning"]


# (rows' changes, each loaded row's warnings as (kind, field, value)): the contract every
# kind's warnings share (ingest/receipts.WARNING_COLUMNS), the value the cell as written
WARNINGS = [
    ([{}], [[]]),
    ([{"province": "Jawa Bart"}], [[("unknown_province", "province", "Jawa Bart")]]),
    ([{"platforms": "Facebook;Friendster"}],
     [[("unknown_platform", "platforms", "Friendster")]]),
    ([{"platforms": "Threads; Friendster ;fb"}],  # one warning per unknown spelling
     [[("unknown_platform", "platforms", "Threads"),
       ("unknown_platform", "platforms", "Friendster")]]),
    ([{}, {"hoax_id": "H2", "title": "[hoaks]  video a"}],
     [[], [("repeated_title", "title", "[hoaks]  video a")]]),
    # a phone number pasted into a cell is masked, as survey and channel warnings are
    ([{"province": "081234567890", "platforms": "WA 0812-3456-7890"}],
     [[("unknown_platform", "platforms", f"WA {MASK}"),
       ("unknown_province", "province", MASK)]]),
]


@pytest.mark.parametrize(("changes", "expected"), WARNINGS)
def test_warnings_name_their_field_and_value(changes, expected):
    clean, _ = validate_hoax_register(read([row(**c) for c in changes]),
                                      reference.province_code)
    assert clean["warnings"].tolist() == expected
    assert "0812" not in " ".join(clean["warning"].dropna())


def test_a_loaded_file_stores_warnings_by_field(tmp_path):
    conn = db.memory_connection()
    path = tmp_path / "register.csv"
    path.write_text("\n".join([HEADER, row(province="Jawa Bart", platforms="fb;Friendster"),
                               row(hoax_id="H2", title="[HOAKS] video a")]) + "\n")
    ingest_file(conn, path, kind="hoax")
    assert conn.execute("SELECT line, kind, field, value FROM load_warnings ORDER BY ALL"
                        ).fetchall() == [(2, "unknown_platform", "platforms", "Friendster"),
                                         (2, "unknown_province", "province", "Jawa Bart"),
                                         (3, "repeated_title", "title", "[HOAKS] video a")]


def test_repeated_titles_are_kept_and_flagged():
    clean, set_aside = validate_hoax_register(
        read([row(), row(hoax_id="H2", title="[hoaks]  video a"), row(hoax_id="H3",
                                                                      title="Video B")]),
        reference.province_code)
    assert len(clean) == 3 and set_aside.empty
    assert clean["warning"].isna().tolist() == [True, False, True]
    assert clean.loc[1, "warning"] == "repeated_title: same title as H1 (line 2)"


@pytest.mark.parametrize(("spelling", "code", "warned"), [
    ("", None, False),  # national
    ("Jabar", 32, False),
    ("Prov. Jawa Timur", 35, False),
    ("32", 32, False),
    ("Atlantis", None, True),
])
def test_province_is_looked_up(spelling, code, warned):
    clean, _ = validate_hoax_register(read([row(province=spelling)]), reference.province_code)
    value = clean.loc[0, "province_code"]
    assert (pd.isna(value) if code is None else value == code)
    assert pd.notna(clean.loc[0, "warning"]) == warned


def test_header_case_and_extra_columns_and_missing_column():
    frame = read([row()], header=HEADER.upper()).assign(notes="ignored")
    clean, _ = validate_hoax_register(frame, reference.province_code)
    assert clean.loc[0, "hoax_id"] == "H1"
    with pytest.raises(ValueError, match="taken_down"):
        validate_hoax_register(read([row()]).drop(columns="taken_down"),
                               reference.province_code)


def test_clean_types():
    clean, _ = validate_hoax_register(read([row(election_related="Ya", theme="Electoral Fraud")]),
                                      reference.province_code)
    first = clean.iloc[0]
    assert first["identified_date"] == pd.Timestamp("2024-02-14")
    assert bool(first["election_related"]) is True
    assert first["theme"] == "electoral_fraud"
    assert first["content_items"] == 10 and first["taken_down"] == 4


# (taken_down_date as written, the day kept or None, the warning or None): no count needs the
# take-down day, so one that cannot be used is left blank with a warning, never the row lost
# (attack 3, finding 03: the column was not read at all by a load)
@pytest.mark.parametrize(("taken_down_date", "kept", "warning"), [
    ("2024-02-20", "2024-02-20", None),
    ("", None, None),
    ("2024-02-10", None, "taken_down_date_before_identified"),
    ("2024-02-31", None, "bad_taken_down_date"),
    ("20 Februari 2024", "2024-02-20", None),  # the forms identified_date takes
    ("20/02/2024", "2024-02-20", None),
])
def test_optional_takedown_date(taken_down_date, kept, warning):
    frame = read([row()]).assign(taken_down_date=taken_down_date)
    clean, set_aside = validate_hoax_register(frame, reference.province_code)
    assert len(clean) == 1 and set_aside.empty
    stored = clean.loc[0, "taken_down_date"]
    assert (None if pd.isna(stored) else stored) == (kept and pd.Timestamp(kept))
    assert [w[0] for w in clean.loc[0, "warnings"]] == ([warning] if warning else [])


def test_a_load_keeps_the_takedown_date_and_reads_the_files_day_order(conn, tmp_path):
    """Through ingest_file, the optional column is read; its days share identified_date's
    order, which either column may show (attack 3, findings 03 and 04)."""
    from dashboard.ingest import ingest_file

    header = HEADER + ",taken_down_date"
    lines = [header,
             row(hoax_id="H1", identified_date="01/05/2024") + ",01/20/2024",  # month first
             row(hoax_id="H2", identified_date="02/09/2024") + ",02/10/2024",
             row(hoax_id="H3", identified_date="02/09/2024") + ",01/02/2024"]  # before
    path = tmp_path / "hoax.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = ingest_file(conn, path)
    assert (result.counts.loaded, result.counts.rejected) == (3, 0)
    assert conn.execute("SELECT hoax_id, strftime(identified_date, '%Y-%m-%d'), "
                        "strftime(taken_down_date, '%Y-%m-%d') FROM hoax_reports ORDER BY 1"
                        ).fetchall() == [("H1", "2024-01-05", "2024-01-20"),
                                         ("H2", "2024-02-09", "2024-02-10"),
                                         ("H3", "2024-02-09", None)]
    warned = conn.execute("SELECT line, kind, field FROM load_warnings ORDER BY line, kind"
                          ).fetchall()
    assert ((4, "taken_down_date_before_identified", "taken_down_date") in warned
            and (2, "month_first", "identified_date") in warned)


def test_validate_hoax_file_splits_duplicates_from_rejects():
    clean, rejects, duplicates = validate_hoax_file(
        read([row(), row(), row(hoax_id="H2", identified_date="x")]), reference.province_code)
    assert (len(clean), len(rejects), duplicates) == (1, 1, 1)
    assert list(rejects.columns) == ["line", "reason", "raw"]


def test_explode_platforms_apportions_totals():
    clean, _ = validate_hoax_register(
        read([row(platforms="Facebook;TikTok;IG", content_items="9", taken_down="3"),
              row(hoax_id="H2", platforms="X", content_items="5", taken_down="")]),
        reference.province_code)
    long = explode_platforms(clean)
    assert list(long["platform"]) == ["Facebook", "TikTok", "Instagram", "X (Twitter)"]
    assert list(long["content_items_apportioned"]) == [3.0, 3.0, 3.0, 5.0]
    assert long["content_items_apportioned"].sum() == clean["content_items"].sum()
    assert long["taken_down_apportioned"].isna().tolist() == [False, False, False, True]
    assert long.groupby("hoax_id")["platform_share"].sum().tolist() == [1.0, 1.0]


# ------------------------------------------------------------------------------------------
# The committed sample register
# ------------------------------------------------------------------------------------------

SAMPLE_PATH = config.SAMPLE_DIR / sample.FILE_NAME


@pytest.fixture(scope="module")
def validated_sample():
    frame = pd.read_csv(SAMPLE_PATH, dtype="string", keep_default_na=False)
    frame.insert(0, "line", range(2, len(frame) + 2))
    return validate_hoax_register(frame, reference.province_code)


def test_sample_file_is_reproducible(tmp_path):
    path = sample.generate_hoax_register(tmp_path)
    assert path.read_bytes() == SAMPLE_PATH.read_bytes()


def test_sample_defects_end_as_documented(validated_sample):
    clean, set_aside = validated_sample
    _, defects = sample.build_register()
    assert count_outcomes(clean, set_aside) == {"rows_read": 545, "loaded": 541,
                                                "duplicate": 1, "rejected": 3}
    by_line = {r.line: r for r in set_aside.itertuples(index=False)}
    loaded = clean.set_index("line")
    for defect in defects:
        if defect.expected_outcome == "loaded":
            assert defect.line in loaded.index
            if defect.kind == "missing_taken_down":
                assert pd.isna(loaded.loc[defect.line, "taken_down"])
            else:
                assert defect.expected_reason in loaded.loc[defect.line, "warning"]
        else:
            assert by_line[defect.line].outcome == defect.expected_outcome
            assert by_line[defect.line].reason.startswith(defect.expected_reason)
    assert {d.kind for d in defects} == {"duplicate_id", "taken_down_exceeds_content_items",
                                         "bad_date", "missing_taken_down", "negative_count",
                                         "repeated_title", "unknown_platform",
                                         "unknown_province"}


def test_sample_reproduces_kominfo_2023(validated_sample):
    clean, _ = validated_sample
    election = clean[clean["election_related"].astype(bool)]
    in_2023 = election[election["identified_date"].dt.year == 2023]
    # Kominfo 2023: 203 issues, 2,882 content items, 1,399 taken down
    assert (len(in_2023), in_2023["content_items"].sum(), in_2023["taken_down"].sum()) == (
        203, 2882, 1399)
    monthly = in_2023.groupby(in_2023["identified_date"].dt.month).size()
    assert monthly.loc[1:11].tolist() == [1, 1, 6, 1, 5, 9, 14, 18, 13, 18, 39]
    mix = explode_platforms(in_2023).groupby("platform")["content_items_apportioned"].sum()
    share = mix / mix.sum()
    for platform, items in sample.PLATFORM_ITEMS_2023.items():
        assert share[platform] == pytest.approx(items / 2882, abs=0.01)
    assert set(election["theme"]) == set(sample.THEMES)
    assert (~clean["election_related"].astype(bool)).sum() == sample.NON_ELECTION_ROWS
