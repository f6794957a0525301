"""Tables on screen: labels in the page language, ids written out, dates as dates, missing as
"–"; the frame itself (what is downloaded) keeps its snake_case names."""

from __future__ import annotations

import datetime as dt
import re

import numpy as np
import pandas as pd
import pytest

from dashboard.export.tables import to_csv_bytes
from dashboard.i18n import TRANSLATIONS, t
from dashboard.reports import display

SNAKE = re.compile(r"^[a-z0-9]+(_[a-z0-9]+)+$")
# every column of the tables the Partisipasi, Hoaks, Kualitas data and Jangkauan pages show
SHOWN_COLUMNS = {
    "participation_tests": ["test", "exposure", "outcome", "estimate", "ci_low", "ci_high",
                            "p_value", "p_adjusted", "n", "method_note"],
    "survey_tests": ["test", "group", "outcome", "estimate", "ci_low", "ci_high", "p_value",
                     "p_adjusted", "n", "method_note"],
    "election_warnings": ["year", "province_code", "province_name", "warning", "line"],
    "hoax_register": ["hoax_id", "identified_date", "title", "category", "election_related",
                      "theme", "platforms", "content_items", "taken_down", "province_code",
                      "source_url", "taken_down_date"],
    "data_quality": ["file", "kind", "rows_read", "loaded", "duplicate", "superseded",
                     "rejected", "ingest_id", "format", "loaded_at", "replaced",
                     "unknown_province", "operator_mismatch", "outcome", "message"],
    "reject_reasons": ["file", "reason_code", "rows"],
    "rejects_recent": ["ingest_id", "file", "line", "reason", "raw_line"],
    "reach_province": ["province_code", "province_name", "province_short", "dpt_2024", "sent",
                       "delivered", "delivery_rate", "unique_reach", "pending",
                       "delivered_per_voter", "unique_reach_per_voter", "latency_p50_s",
                       "latency_p90_s", "latency_p99_s"],
}


@pytest.mark.parametrize("lang", ["id", "en"])
@pytest.mark.parametrize("table", sorted(SHOWN_COLUMNS))
def test_every_shown_column_has_a_label_in_the_page_language(table, lang):
    labels = display.column_labels(SHOWN_COLUMNS[table], lang)
    for column, label in labels.items():
        assert not SNAKE.match(label), (column, label)
        assert f"col.{column}" in TRANSLATIONS or f"metric.{column}" in TRANSLATIONS, column
    assert len(set(labels.values())) == len(labels)


@pytest.mark.parametrize(
    ("column", "lang", "expected"),
    [
        ("p_adjusted", "id", "p terkoreksi (BH)"),
        ("ci_low", "en", "95% CI low"),
        ("identified_date", "id", "Tanggal teridentifikasi"),
        ("delivery_rate", "id", "Tingkat keberhasilan"),  # metric.* labels
        ("loaded_at", "en", "Loaded at (WIB)"),
        ("some_new_column", "id", "Some new column"),  # never snake_case, even unknown
    ],
)
def test_column_label(column, lang, expected):
    assert display.column_label(column, lang) == expected


@pytest.mark.parametrize(
    ("column", "value", "lang", "expected"),
    [
        ("theme", "electoral_fraud", "id", "Kecurangan pemilu"),
        ("theme", "electoral_fraud", "en", "Electoral fraud"),
        ("group", "disqualification", "id", "Diskualifikasi calon"),  # hoax tests by theme
        ("group", "recipients", "id", "Menerima SMS"),
        ("group", "all_waves", "en", "All waves"),
        ("group", "SMS03", "id", "SMS03"),  # wave ids stay
        ("test", "mann_kendall_sen", "id", "Tren Mann-Kendall / Sen"),
        ("test", "pearson", "en", "Pearson correlation"),
        ("exposure", "delivered_per_voter", "id", "Pesan diterima per 1.000 pemilih"),
        ("outcome", "turnout_change", "en", "Turnout change 2019-2024 (points)"),
        ("outcome", "knows_valid_ballot", "id", "Tahu cara mencoblos sah"),
        ("outcome", "issues_7d_after_vs_before", "id", "Isu 7 hari sesudah vs sebelum"),
        ("outcome", "loaded", "id", "Dimuat"),  # the load log
        ("kind", "receipts", "en", "Delivery receipts"),
        # reason codes and warning kinds in the page's language (issue 14), unknown ones as
        # written
        ("reason_code", "bad_msisdn", "id", "Nomor penerima bukan nomor seluler Indonesia"),
        ("reason_code", "bad_msisdn", "en", "Recipient not an Indonesian mobile number"),
        ("reason_code", "some_new_code", "id", "some_new_code"),
        ("reason", "unknown_status: not a delivery state of the profile", "id",
         "Status pengiriman tidak dikenal"),
        ("reason", "odd_code: text", "en", "odd_code: text"),
        ("warning", "unknown_wave", "id", "Gelombang tidak ada di katalog"),
        ("warning", "hex_error_code", "en", "Hexadecimal error code, read as its number"),
        ("theme", None, "id", None),
    ],
)
def test_display_value(column, value, lang, expected):
    assert display.display_value(column, value, lang) == expected


def register() -> pd.DataFrame:
    return pd.DataFrame({
        "hoax_id": ["HX1", "HX2"],
        "identified_date": pd.to_datetime(["2024-04-30", "2024-04-29"]),
        "theme": pd.Series(["sara", None], dtype="str"),
        "taken_down": pd.array([3, None], dtype="Int32"),
        "taken_down_date": pd.to_datetime([None, "2024-05-02"]),
        "loaded_at": pd.to_datetime(["2024-05-01 02:00:00.123456+00:00"] * 2),
    })


def test_display_frame_shows_dates_as_dates_and_times_in_wib():
    shown = display.display_frame(register(), "id")
    assert shown["identified_date"].tolist() == [dt.date(2024, 4, 30), dt.date(2024, 4, 29)]
    assert shown["taken_down_date"].tolist() == [None, dt.date(2024, 5, 2)]
    assert str(shown["loaded_at"].iloc[0]) == "2024-05-01 09:00:00"  # WIB, to the second
    assert shown["theme"].tolist() == ["SARA", None]


def test_styled_labels_columns_and_writes_missing_as_a_dash():
    frame = register().assign(p_value=[np.nan, 0.0004], year=[2024, 2024])
    html = display.styled(frame, "id").to_html()
    assert "Tanggal teridentifikasi" in html and "identified_date" not in html
    assert "None" not in html and "nan" not in html.lower().replace("nanggroe", "")
    assert "–" in html and "< 0,001" in html
    assert ">2024<" in html  # a year is not written 2.024


def test_the_downloaded_table_keeps_its_snake_case_names():
    frame = register()
    display.styled(frame, "id")
    header = to_csv_bytes(frame).decode("utf-8-sig").splitlines()[0]
    assert header.split(",") == list(register().columns)


@pytest.mark.parametrize(("column", "value", "lang", "expected"), [
    # per-voter values keep two significant digits (a sample's are about 0.001): '0,0' hid them
    ("delivered_per_voter", 0.00123, "id", "1,2"),  # per 1,000 voters (style.PER_VOTERS)
    ("unique_reach_per_voter", 1.2345, "en", "1,235"),
    ("delivered_per_voter", 0.0, "id", "0"),
    ("delivery_rate", 0.9731, "id", "97,3%"),
])
def test_table_numbers_as_the_page_writes_them(column, value, lang, expected):
    formats = display.value_formats(pd.DataFrame({column: [value]}), lang)
    assert formats[column](value) == expected


# (row, lang, expected cells): the phone form of a statistics table (visual review: at 390 px
# the interval's upper bound and p lay beyond the screen's edge)
@pytest.mark.parametrize(("row", "lang", "expected"), [
    ({"test": "pearson", "exposure": "delivered_per_voter", "outcome": "turnout_change",
      "estimate": 0.3211, "ci_low": 0.01, "ci_high": 0.58, "p_value": 0.04,
      "p_adjusted": 0.21}, "id",
     ["Korelasi Pearson", "Pesan diterima per 1.000 pemilih · Perubahan partisipasi "
      "2019-2024 (poin)", "0,321 (0,010 sampai 0,580); p = 0,040; p terkoreksi (BH) = 0,210"]),
    ({"test": "pearson", "exposure": "delivered_per_voter", "outcome": "turnout_change",
      "estimate": -0.5, "ci_low": -0.8, "ci_high": -0.1, "p_value": 0.0001,
      "p_adjusted": 0.0005}, "en",
     ["Pearson correlation", "Messages delivered per 1,000 voters · Turnout change 2019-2024 "
      "(points)", "-0.500 (-0.800 to -0.100); p < 0.001; Adjusted p (BH) < 0.001"]),
    # a missing bound and p: the dash, never "nan"; no subject columns: an empty cell
    ({"test": "pearson", "estimate": 0.2, "ci_low": None, "ci_high": 0.4,
      "p_value": None}, "id", ["Korelasi Pearson", "", "0,200 (– sampai 0,400); p = –"]),
    # no p column at all: the effect and interval alone
    ({"test": "pearson", "group": "SMS03", "estimate": 0.2, "ci_low": 0.1, "ci_high": 0.4},
     "en", ["Pearson correlation", "SMS03", "0.200 (0.100 to 0.400)"]),
])
def test_phone_statistics_puts_effect_interval_and_p_in_one_cell(row, lang, expected):
    from dashboard.reports.display import phone_statistics

    frame = phone_statistics(pd.DataFrame([row]), lang)
    assert frame.iloc[0].to_list() == expected
    assert list(frame.columns) == [t("col.test", lang), t("col.subject", lang),
                                   t("col.effect_ci_p", lang)]


@pytest.mark.parametrize(("columns", "expected"), [
    (["test", "estimate", "ci_low", "ci_high", "p_value"], True),
    (["test", "estimate", "ci_low", "ci_high"], True),
    (["test", "estimate", "ci_low"], False),
    (["estimate", "ci_low", "ci_high"], False),
    ([], False),
])
def test_is_statistics_table(columns, expected):
    from dashboard.reports.display import is_statistics_table

    assert is_statistics_table(pd.DataFrame(columns=columns)) is expected
