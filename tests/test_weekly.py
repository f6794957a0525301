"""The weekly summary: ISO week bounds, KPIs equal to direct counts, and the narrative."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from dashboard import config, db, weekly
from dashboard.i18n import format_number, format_percent
from dashboard.ingest import ingest_file
from dashboard.weekly import Kpi, week_bounds

# catalogues, then two operators' receipts for waves 6-10 (weeks 2024-W03 to 2024-W07):
# Indosat and XL have no receipts in the database, so they are flagged as missing
SAMPLE_FILES = ("waves.csv", "election_results.csv", "survey_responses.csv",
                "hoax_register.csv", "receipts_telkomsel_sms08-10.csv.gz",
                "receipts_smartfren_sms06-10.csv.gz")


def build_db(path: Path) -> Path:
    with db.connect(path) as conn:
        for name in SAMPLE_FILES:
            result = ingest_file(conn, config.SAMPLE_DIR / name)
            assert result.ok, result.summary()
    return path


@pytest.fixture(scope="module")
def sample_conn(tmp_path_factory):
    path = build_db(tmp_path_factory.mktemp("weekly") / "weekly.duckdb")
    with db.connect(path, read_only=True) as conn:
        yield conn


@pytest.mark.parametrize(("iso_week", "monday", "sunday"), [
    ("2024-W07", dt.date(2024, 2, 12), dt.date(2024, 2, 18)),  # the voting week
    ("2024-W01", dt.date(2024, 1, 1), dt.date(2024, 1, 7)),
    ("2025-W01", dt.date(2024, 12, 30), dt.date(2025, 1, 5)),  # starts in the old year
    ("2020-W53", dt.date(2020, 12, 28), dt.date(2021, 1, 3)),  # a 53-week year
    ("2023-W52", dt.date(2023, 12, 25), dt.date(2023, 12, 31)),
    ("2027-W01", dt.date(2027, 1, 4), dt.date(2027, 1, 10)),  # 2026 has 53 weeks
])
def test_week_bounds_are_monday_to_sunday_across_the_new_year(iso_week, monday, sunday):
    assert week_bounds(iso_week) == (monday, sunday)
    assert weekly.week_of(monday) == iso_week == weekly.week_of(sunday)


@pytest.mark.parametrize(("iso_week", "previous"), [
    ("2024-W01", "2023-W52"),
    ("2021-W01", "2020-W53"),
    ("2025-W01", "2024-W52"),
    ("2024-W07", "2024-W06"),
])
def test_previous_week_crosses_the_year(iso_week, previous):
    assert weekly.previous_week(iso_week) == previous


@pytest.mark.parametrize("bad", ["2023-W53", "2024-W00", "2024-W54", "2024-7", "W07", ""])
def test_impossible_weeks_are_refused(bad):
    with pytest.raises(ValueError):
        week_bounds(bad)


def test_latest_week_is_the_last_week_with_receipts(sample_conn):
    assert weekly.latest_week(sample_conn) == "2024-W07"
    assert weekly.weeks_with_data(sample_conn)[-1] == "2024-W03"  # SMS06, 15 Jan 2024


def test_latest_week_of_an_empty_database_says_so(conn):
    with pytest.raises(weekly.NoWeekData):
        weekly.latest_week(conn)


def direct_counts(conn, iso_week: str) -> dict[str, float]:
    """The KPIs counted straight from the stored rows, not through the rollups."""
    monday, sunday = week_bounds(iso_week)
    sent, delivered, final, reach = conn.execute(
        "SELECT count(*), count(*) FILTER (WHERE status = 'DELIVRD'), "
        "count(*) FILTER (WHERE status NOT IN ('ENROUTE', 'SCHEDLD')), "
        "count(DISTINCT recipient_key) FILTER (WHERE status = 'DELIVRD') "
        "FROM receipts WHERE send_date BETWEEN ? AND ?", [monday, sunday]).fetchone()
    cumulative = conn.execute(
        "SELECT count(DISTINCT recipient_key) FROM receipts "
        "WHERE status = 'DELIVRD' AND send_date <= ?", [sunday]).fetchone()[0]
    waves = conn.execute("SELECT count(*) FROM waves WHERE sent_date BETWEEN ? AND ?",
                         [monday, sunday]).fetchone()[0]
    issues, taken = conn.execute(
        "SELECT count(*), coalesce(sum(taken_down), 0) FROM hoax_reports "
        "WHERE identified_date BETWEEN ? AND ? AND coalesce(election_related, TRUE)",
        [monday, sunday]).fetchone()
    return {"sent": sent, "delivered": delivered,
            "delivery_rate": delivered / final if final else None, "unique_reach": reach,
            "cumulative_reach": cumulative, "waves_sent": waves, "hoax_new": issues,
            "takedowns": taken}


@pytest.mark.parametrize("iso_week", ["2024-W02", "2024-W05", "2024-W07", "2024-W01"])
def test_kpis_equal_direct_sql_counts(sample_conn, iso_week):
    summary = weekly.weekly_summary(sample_conn, iso_week, "id")
    expected = direct_counts(sample_conn, iso_week)
    previous = direct_counts(sample_conn, weekly.previous_week(iso_week))
    for key, value in expected.items():
        assert summary.kpis[key].value == pytest.approx(value), key
        assert summary.kpis[key].previous == pytest.approx(previous[key]), key


def test_the_voting_week_has_receipts_waves_and_hoaxes(sample_conn):
    summary = weekly.weekly_summary(sample_conn, "2024-W07", "id")
    assert summary.kpis["sent"].value > 0
    assert summary.waves["wave_id"].tolist() == ["WA04", "SMS10"]
    assert summary.kpis["hoax_new"].value > 0


@pytest.mark.parametrize("lang", ["id", "en"])
@pytest.mark.parametrize("iso_week", ["2024-W07", "2024-W02", "2024-W01", "2023-W40"])
def test_narrative_has_the_formatted_kpis_and_never_nan(sample_conn, iso_week, lang):
    summary = weekly.weekly_summary(sample_conn, iso_week, lang)
    text = summary.narrative_text
    assert 4 <= len(summary.narrative) <= 7
    assert "nan" not in text.lower().split() and "NaN" not in text and "None" not in text
    k = summary.kpis
    expected = [format_number(k["sent"].value, 0, lang), iso_week,
                format_number(k["cumulative_reach"].value, 0, lang),
                format_number(k["hoax_new"].value, 0, lang),
                format_number(k["takedowns"].value, 0, lang)]
    if k["sent"].value:
        expected += [format_number(k["delivered"].value, 0, lang),
                     format_percent(k["delivery_rate"].value, 1, lang)]
    for number in expected:
        assert number in text, (number, text)


@pytest.mark.parametrize(("lang", "words"), [
    ("id", ["SMS dikirim", "pekan sebelumnya", "nomor unik", "isu hoaks"]),
    ("en", ["SMS were sent", "week before", "unique numbers", "hoax issues"]),
])
def test_narrative_is_in_the_chosen_language(sample_conn, lang, words):
    text = weekly.weekly_summary(sample_conn, "2024-W06", lang).narrative_text
    for word in words:
        assert word in text


def test_operators_without_receipts_in_the_week_are_flagged(sample_conn):
    summary = weekly.weekly_summary(sample_conn, "2024-W07", "id")
    assert sorted(summary.operators_missing) == ["Indosat Ooredoo Hutchison", "XL Axiata"]
    assert "XL Axiata" in weekly.freshness_text(summary)
    assert summary.last_loaded_at is not None


def test_top_and_bottom_provinces_are_ranked_by_delivered_per_voter(sample_conn):
    summary = weekly.weekly_summary(sample_conn, "2024-W06", "id")
    top, bottom = summary.top_provinces, summary.bottom_provinces
    assert len(top) == len(bottom) == weekly.TOP_N
    assert top["delivered_per_voter"].is_monotonic_decreasing
    assert bottom["delivered_per_voter"].is_monotonic_increasing
    assert top["delivered_per_voter"].iloc[-1] >= bottom["delivered_per_voter"].iloc[-1]
    assert set(top["province_code"]).isdisjoint(bottom["province_code"])


@pytest.mark.parametrize("lang", ["id", "en"])
def test_headline_finding_carries_the_caveat(sample_conn, lang):
    summary = weekly.weekly_summary(sample_conn, "2024-W07", lang)
    assert "Pearson" in summary.finding
    assert ("bukan sebab-akibat" if lang == "id" else "not causation") in summary.caveat


@pytest.mark.parametrize(("kpi", "lang", "expected"), [
    (Kpi("sent", 110, 100), "id", "+10,0%"),
    (Kpi("sent", 90, 100), "id", "-10,0%"),
    (Kpi("sent", 1500, 1000), "en", "+50.0%"),
    (Kpi("sent", 100, 100), "id", "0,0%"),
    (Kpi("sent", 5, 0), "id", "baru"),
    (Kpi("sent", 5, 0), "en", "new"),
    (Kpi("sent", 0, 0), "id", "–"),
    (Kpi("delivery_rate", 0.95, 0.94, "rate"), "id", "+1,0 poin"),
    (Kpi("delivery_rate", 0.90, 0.95, "rate"), "en", "-5.0 pts"),
    (Kpi("delivery_rate", None, 0.95, "rate"), "id", "–"),
])
def test_kpi_change_is_written_for_the_reader(kpi, lang, expected):
    assert kpi.formatted_change(lang) == expected


@pytest.mark.parametrize(("values", "factor"), [
    ([0.5, 1.2], 1),  # a national campaign: per voter, as on the Jangkauan page
    ([0.02, 0.011], 1),
    ([0.005, 0.001], 1_000),  # 5 per 1,000 voters
    ([0.000098, 0.000054], 1_000_000),  # the sample: 98 per million voters
    ([0.0], 1),
    ([], 1),
])
def test_per_voter_scale_keeps_numbers_readable(values, factor):
    import pandas as pd

    assert weekly.per_voter_factor(pd.Series(values, dtype="float64")) == factor


@pytest.mark.parametrize(("value", "factor", "lang", "expected"), [
    (0.000098, 1_000_000, "id", "98"),
    (0.0054, 1_000, "en", "5.4"),
    (1.234, 1, "id", "1,23"),
    (float("nan"), 1, "id", "–"),
])
def test_per_voter_values_are_formatted(value, factor, lang, expected):
    assert weekly.format_per_voter(value, factor, lang) == expected
