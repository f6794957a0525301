import datetime as dt
import re
import string

import numpy as np
import pandas as pd
import pytest

from dashboard import i18n
from dashboard.i18n import (
    TRANSLATIONS,
    format_compact,
    format_date,
    format_datetime,
    format_duration,
    format_number,
    format_percent,
    iso_week_label,
    t,
)

MISSING_VALUES = [None, float("nan"), np.nan, pd.NA, pd.NaT, np.float64("nan")]


@pytest.mark.parametrize(
    ("x", "decimals", "lang", "expected"),
    [
        (1234567, 0, "id", "1.234.567"),
        (1234567, 0, "en", "1,234,567"),
        (1234.5, 1, "id", "1.234,5"),
        (1234.5, 1, "en", "1,234.5"),
        (1234.5, 0, "id", "1.235"),  # half up, as readers round
        (-1234.5, 0, "id", "-1.235"),
        (2.675, 2, "en", "2.68"),  # binary float would give 2.67
        (0, 0, "id", "0"),
        (-0.0001, 2, "id", "0,00"),  # never "-0,00"
        (999, 0, "id", "999"),
        (np.int64(205_000_000), 0, "id", "205.000.000"),
        (np.float64(0.5), 2, "id", "0,50"),
        (float("inf"), 0, "id", "∞"),
    ],
)
def test_format_number(x, decimals, lang, expected):
    assert format_number(x, decimals, lang) == expected


# Decimal's default context holds 28 digits, so quantizing 1e26 to two decimals (29 digits)
# raised decimal.InvalidOperation and took the page down (attack finding 04: an odds ratio's
# interval end of 3.389403e32). Such a number is written with three significant digits, by
# hand: 3.389403e32 = 3.389403 x 10^32 -> 3.39 x 10^32.
@pytest.mark.parametrize(
    ("x", "decimals", "lang", "expected"),
    [
        (3.389403e32, 2, "id", "3,39 × 10^32"),
        (3.389403e32, 2, "en", "3.39 × 10^32"),
        (1e26, 2, "en", "1.00 × 10^26"),  # 29 digits at two decimals: the first that failed
        (1e25, 2, "en", "10,000,000,000,000,000,000,000,000.00"),  # 28 digits: as before
        (-1e30, 0, "id", "-1,00 × 10^30"),
        (9.996e30, 2, "en", "1.00 × 10^31"),  # the mantissa rounds up to 10
        (1.7976931348623157e308, 2, "id", "1,80 × 10^308"),  # the largest float
    ],
)
def test_format_number_of_a_number_too_long_for_decimal_is_scientific(x, decimals, lang,
                                                                        expected):
    assert format_number(x, decimals, lang) == expected


@pytest.mark.parametrize("formatter", [format_percent, format_compact])
def test_other_formatters_of_a_huge_number_do_not_crash(formatter):
    assert "10^" in formatter(1.7976931348623157e308, 1, "en")


@pytest.mark.parametrize(
    ("x", "decimals", "lang", "expected"),
    [
        (0.125, 1, "id", "12,5%"),
        (0.125, 1, "en", "12.5%"),
        (0.145, 1, "id", "14,5%"),  # 0.145 * 100 is 14.499999... in floating point
        (1, 0, "id", "100%"),
        (0.9349, 0, "en", "93%"),
        (1.2345, 1, "id", "123,5%"),
        (12.5, 0, "id", "1.250%"),
        (0, 1, "id", "0,0%"),
        # a share that is neither none nor all never reads 100 % or 0 %: decimals are added
        (2000 / 2001, 1, "id", "99,95%"),  # 1 of 2001 failed: 99,950...%
        (9999 / 10000, 1, "en", "99.99%"),
        (199 / 200, 0, "id", "99,5%"),  # the heatmap's whole percents
        (1 / 3000, 1, "id", "0,03%"),  # 0,0333...%
        (1 / 1_000_000, 1, "en", "0.0001%"),
    ],
)
def test_format_percent(x, decimals, lang, expected):
    assert format_percent(x, decimals, lang) == expected


@pytest.mark.parametrize(
    ("x", "lang", "expected"),
    [
        (950, "id", "950"),
        (1_000, "id", "1 rb"),
        (1_500, "id", "1,5 rb"),
        (12_345_678, "id", "12,3 jt"),
        (12_345_678, "en", "12.3M"),
        (999_960, "id", "1 jt"),  # not "1.000 rb"
        (2_500_000_000, "id", "2,5 M"),  # miliar
        (2_500_000_000, "en", "2.5B"),
        (-4_200, "en", "-4.2K"),
    ],
)
def test_format_compact(x, lang, expected):
    assert format_compact(x, 1, lang) == expected


@pytest.mark.parametrize(
    ("seconds", "lang", "expected"),
    [
        (12, "id", "12 dtk"),
        (12.4, "id", "12 dtk"),
        (3.5, "id", "3,5 dtk"),
        (3.0, "id", "3 dtk"),
        (0.4, "en", "0.4 s"),
        (59.6, "id", "1 mnt"),  # rounds to a minute, not "60 dtk"
        (60, "id", "1 mnt"),
        (204, "id", "3,4 mnt"),
        (204, "en", "3.4 min"),
        (3599, "id", "1 jam"),
        (7560, "id", "2,1 jam"),
        (7560, "en", "2.1 h"),
        (86_000, "id", "23,9 jam"),
        (129_600, "id", "1,5 hari"),
        (-5, "id", "-5 dtk"),
    ],
)
def test_format_duration(seconds, lang, expected):
    assert format_duration(seconds, lang) == expected


@pytest.mark.parametrize(
    ("d", "lang", "expected"),
    [
        (dt.date(2024, 2, 14), "id", "14 Feb 2024"),
        (dt.date(2024, 2, 14), "en", "14 Feb 2024"),
        (dt.date(2024, 5, 1), "id", "1 Mei 2024"),
        (dt.date(2024, 5, 1), "en", "1 May 2024"),
        (dt.date(2024, 8, 17), "id", "17 Agu 2024"),
        (dt.date(2024, 10, 5), "id", "5 Okt 2024"),
        (dt.date(2024, 12, 25), "id", "25 Des 2024"),
        (dt.datetime(2024, 2, 14, 9, 30), "id", "14 Feb 2024"),
        # 20:00 UTC on the 13th is 03:00 WIB on the 14th: dates are shown in WIB
        (pd.Timestamp("2024-02-13T20:00Z"), "id", "14 Feb 2024"),
        ("2024-03-20", "id", "20 Mar 2024"),
        (np.datetime64("2024-04-10"), "id", "10 Apr 2024"),
        ("not a date", "id", "–"),
    ],
)
def test_format_date(d, lang, expected):
    assert format_date(d, lang) == expected


def test_format_date_without_year():
    assert format_date(dt.date(2024, 8, 17), "id", with_year=False) == "17 Agu"


@pytest.mark.parametrize(
    ("ts", "expected"),
    [
        ("2024-02-14T02:05:00Z", "14 Feb 2024 09:05 WIB"),
        ("2024-02-14T09:05:00", "14 Feb 2024 09:05 WIB"),  # naive is WIB already
        (None, "–"),
    ],
)
def test_format_datetime(ts, expected):
    assert format_datetime(ts, "id") == expected


@pytest.mark.parametrize(
    ("d", "expected"),
    [
        (dt.date(2024, 2, 6), "2024-W06"),
        (dt.date(2024, 2, 14), "2024-W07"),  # election day, a Wednesday
        (dt.date(2024, 12, 30), "2025-W01"),  # ISO year, not calendar year
        (dt.date(2021, 1, 3), "2020-W53"),
        (pd.Timestamp("2024-01-01"), "2024-W01"),
        (None, "–"),
    ],
)
def test_iso_week_label(d, expected):
    assert iso_week_label(d) == expected


@pytest.mark.parametrize("missing", MISSING_VALUES)
@pytest.mark.parametrize(
    "formatter",
    [format_number, format_percent, format_compact, format_duration, format_date,
     format_datetime, iso_week_label],
)
def test_missing_values_show_a_dash_never_nan(formatter, missing):
    assert formatter(missing) == "–"


@pytest.mark.parametrize(
    ("key", "lang", "expected"),
    [
        ("page.overview", "id", "Ringkasan"),
        ("page.reach", "id", "Jangkauan"),
        ("page.data_quality", "id", "Kualitas data"),
        ("page.participation", "id", "Partisipasi"),
        ("page.hoax", "id", "Hoaks"),
        ("page.weekly", "id", "Ringkasan mingguan"),
        ("page.weekly", "en", "Weekly summary"),
        ("metric.sent", "id", "Terkirim"),
        ("metric.delivered", "id", "Diterima"),
        ("metric.delivery_rate", "id", "Tingkat keberhasilan"),
        ("metric.unique_reach", "id", "Jangkauan unik"),
        ("metric.pending", "id", "Tertunda"),
        ("metric.delivery_rate", "en", "Delivery rate"),
        ("metric.delivered_per_voter", "id", "Diterima per 1.000 pemilih"),
        ("metric.delivered_per_voter", "en", "Delivered per 1,000 voters"),
        ("filter.period", "id", "Periode"),
        ("filter.wave", "id", "Gelombang"),
        ("filter.operator", "id", "Operator"),
        ("filter.province", "id", "Provinsi"),
        ("chart.no_data", "id", "Tidak ada data"),
        ("chart.no_data", "en", "No data"),
        ("page.reach", "en-GB", "Reach"),
        ("page.reach", "fr", "Jangkauan"),  # unknown languages fall back to Indonesian
    ],
)
def test_t_looks_up_both_languages(key, lang, expected):
    assert t(key, lang) == expected


@pytest.mark.parametrize(
    ("key", "lang", "kwargs", "expected"),
    [
        ("chart.operator_bars.title", "id", {"metric": "Diterima"}, "Diterima per operator"),
        ("chart.operator_bars.title", "en", {"metric": "Sent"}, "Sent by operator"),
        ("empty.no_week", "id", {"week": "2024-W07"}, "Tidak ada data untuk pekan 2024-W07."),
        ("empty.no_week", "en", {}, "No data for week {week}."),  # no crash on a missing value
        ("no.such.key", "id", {}, "no.such.key"),
        ("no.such.key", "en", {"x": 1}, "no.such.key"),
    ],
)
def test_t_fills_placeholders_and_returns_unknown_keys(key, lang, kwargs, expected):
    assert t(key, lang, **kwargs) == expected


def _placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


@pytest.mark.parametrize("key", sorted(TRANSLATIONS))
def test_every_key_exists_in_both_languages_with_the_same_placeholders(key):
    entry = TRANSLATIONS[key]
    assert set(entry) == set(i18n.LANGUAGES)
    assert all(entry[lang].strip() for lang in i18n.LANGUAGES)
    assert _placeholders(entry["id"]) == _placeholders(entry["en"])


def test_exposure_is_never_called_a_share_of_voters():
    # SIM cards outnumber voters: "per voter" can exceed 1 and is not a percentage (DESIGN.md)
    forbidden = re.compile(r"% of voters|percent of voters|% pemilih|persen pemilih", re.I)
    offenders = [
        (key, text) for key, entry in TRANSLATIONS.items() for text in entry.values()
        if forbidden.search(text)
    ]
    assert offenders == []


def test_month_tables_are_complete():
    assert {len(months) for months in i18n.MONTHS_ABBR.values()} == {12}
    assert i18n.MONTHS_ABBR["id"][4] == "Mei" and i18n.MONTHS_ABBR["id"][7] == "Agu"


def _sql_warning_kinds() -> list[str]:
    """The warning kinds the receipts' staging query writes ('unknown_regency', ...)."""
    import re
    from pathlib import Path

    sql = (Path(__file__).resolve().parents[1] / "queries" / "staging"
           / "stg_receipt_warnings.sql").read_text(encoding="utf-8")
    return sorted(set(re.findall(r"(?:THEN|ELSE) '([a-z_]+)'", sql)))


# every warning kind a query writes, in both languages: Kualitas data shows them by name, so
# an untranslated one showed the raw code in Indonesian (review item 14)
@pytest.mark.parametrize("kind", sorted({"unknown_regency", "regency_province_mismatch",
                                         *_sql_warning_kinds()}))
@pytest.mark.parametrize("lang", ["id", "en"])
def test_every_warning_kind_a_query_writes_is_translated(kind, lang):
    from dashboard.i18n import t

    text = t(f"warning.{kind}", lang)
    assert text != f"warning.{kind}" and "_" not in text


# (key, Indonesian text must not hold these English words): Indonesian views said "kolom
# source" and "uji chi-square" beside "khi-kuadrat" (review item 14)
@pytest.mark.parametrize(("key", "english"), [
    ("ui.synthetic_election", ("source", "synthetic")),
    ("ui.survey_table", ("chi-square",)),
    ("col.source", ("source",)),
])
def test_indonesian_texts_hold_no_english_words(key, english):
    from dashboard.i18n import t

    text = t(key, "id")
    assert text != key
    assert not [word for word in english if word in text.lower()], text
