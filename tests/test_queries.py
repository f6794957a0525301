"""Contract tests for every SQL file in queries/marts: it runs, has its columns, and its
numbers obey the metric definitions (DESIGN.md)."""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest

from dashboard import config
from dashboard.filters import Filters
from dashboard.ingest import ingest_file
from dashboard.reports import tables
from dashboard.store import db
from tests.conftest import HEADER, receipt, write

MARTS = sorted(p.stem for p in (config.QUERIES_DIR / "marts").glob("*.sql"))
FILTER_PARAMS = {"date_from": None, "date_to": None, "waves": None, "operators": None,
                 "provinces": None}
EXTRA_PARAMS = {"limit": 10, "ingest_id": None, "sample_hashes": [], "by": "operator",
                "as_of": date(2024, 3, 30), "approximate": False,
                # the experiment marts (issue 18); their rows: tests/test_experiment_marts.py
                "experiment_id": "E1", "baseline_year": 2019, "outcome_year": 2024,
                "unit": "province"}
REACH_COLUMNS = {"sent", "delivered", "delivery_rate", "unique_reach", "pending"}
EXPECTED_COLUMNS = {
    "reach_totals": REACH_COLUMNS,
    "reach_operator": REACH_COLUMNS | {"operator", "latency_p50_s", "latency_p90_s",
                                       "latency_p99_s"},
    "reach_province": REACH_COLUMNS | {"province_code", "delivered_per_voter",
                                       "unique_reach_per_voter", "dpt_2024"},
    "reach_operator_province": REACH_COLUMNS | {"operator", "province_code"},
    "reach_wave": REACH_COLUMNS | {"wave_id", "sent_date"},
    "reach_wave_operator_province": REACH_COLUMNS | {"wave_id", "sent_date", "operator",
                                                     "province_code", "province_name"},
    "reach_daily": {"send_date", "operator", "sent", "delivered", "delivery_rate"},
    "error_codes_top": {"error_code", "meaning_id", "meaning_en", "receipts"},
    "data_quality": {"file", "kind", "rows_read", "loaded", "duplicate", "superseded",
                     "rejected"},
    "rejects_recent": {"file", "line", "reason", "raw_line"},
    "reject_reasons": {"file", "reason_code", "rows"},
    "filter_options": {"wave_id", "first_send_date", "last_send_date"},
    "filter_period": {"first_day", "last_day"},
    "waves_catalogue": {"wave_id", "channel", "sent_date", "theme", "message_text"},
    "hoax_register": {"hoax_id", "identified_date", "theme", "platforms", "content_items",
                      "taken_down"},
    "survey_responses": {"respondent_id", "received_sms", "voted", "weight"},
    "election_results": {"year", "province_code", "dpt", "ballots_cast", "invalid_votes"},
    "election_warnings": {"year", "province_code", "warning"},
    "exposure_province": {"province_code", "delivered", "status_bar_impressions"},
    "reach_unit_2019": {"province_code", "delivered", "unique_reach"},
    "weekly_weeks": {"iso_week", "first_send_date", "last_send_date", "sent"},
    "weekly_waves": {"wave_id", "channel", "sent_date", "theme"},
    "weekly_hoax": {"new_issues", "content_items", "taken_down", "takedown_unknown"},
    "weekly_freshness": {"operator", "receipts", "last_send_date", "last_loaded_at"},
    "weekly_last_load": {"last_loaded_at", "files"},
    "weekly_reach": {"iso_week", "week_start", "sent", "delivered", "delivery_rate"},
    "weekly_operators_expected": {"operator", "operator_name", "receipts", "expected", "waves"},
    "weekly_hoax_coverage": {"issues", "first_date", "last_date"},
    "weekly_channels": {"span", "channel", "source_rows", "loaded", "impressions",
                        "unique_devices", "views", "followers", "followers_date", "waves"},
    "reach_not_kept": {"wave_id", "delivered"},
    "warning_kinds": {"file", "warning", "rows"},
    "waves_missing": {"wave_id", "first_send_date", "last_send_date", "sent", "delivered"},
    "warnings_recent": {"ingest_id", "file", "line", "warning", "field", "value"},
    "provenance_loads": {"kind", "last_loaded_at", "files", "sample", "file_names"},
    "provenance_receipts": {"operators", "waves", "first_day", "last_day", "receipts"},
    "provenance_hoax": {"sites", "first_day", "last_day", "reports"},
    "provenance_survey": {"files", "first_day", "last_day", "respondents"},
    "provenance_election": {"sources", "years"},
    "provenance_election_regency": {"sources", "years"},
    # the Kanal page (issue 17); their rows and numbers: tests/test_channel_marts.py
    "channel_wave": {"channel", "wave_id", "in_catalogue", "sent_date", "theme", "impressions",
                     "unique_devices", "clicks", "click_rate", "updates", "views",
                     "reactions", "forwards"},
    "status_bar_province": {"wave_id", "operator", "province_code", "impressions",
                            "unique_devices", "clicks", "impressions_with_link", "click_rate"},
    "wa_updates": {"update_id", "wave_id", "in_catalogue", "posted_at", "posted_date", "views",
                   "reactions", "forwards"},
    "wa_daily": {"insight_date", "followers", "gained", "lost", "accounts_reached_30d",
                 "updates_posted"},
    "channels_loaded": {"sms", "status_bar", "whatsapp_channel"},
    "provenance_status_bar": {"operators", "waves", "first_day", "last_day", "source_rows"},
    "provenance_whatsapp": {"updates", "first_post", "last_post", "insight_days",
                            "first_insight", "last_insight"},
    "alert_delivery_rates": {"subject", "rate", "previous_rate", "final_receipts"},
    "alert_missing_operator_files": {"wave_id", "sent_date", "operator"},
    # the experiment (issue 18); their rows and numbers: tests/test_experiment_marts.py
    "experiment_units_outcome": {"unit_code", "stratum", "arm", "baseline_turnout", "turnout",
                                 "baseline_invalid_rate", "invalid_rate", "delivered"},
    "experiment_compliance": {"operator", "arm", "sent", "delivered", "units_reached"},
    "experiment_respondents": {"respondent_id", "arm", "voted", "weight", "reached"},
    "experiment_regency_coverage": {"regency_code", "province_code", "has_baseline",
                                    "has_outcome"},
    "experiment_candidates": {"unit_code", "province_code", "dpt", "baseline_turnout",
                              "turnout", "baseline_from_parent"},
    "experiment_election_years": {"level", "year", "units"},
}
# empty unless waves missing from the catalogue outgrew their allowance of reach slots (its
# rows: tests/test_attack_reach_slots.py)
MAY_BE_EMPTY = {"reach_not_kept", "waves_missing", "alert_missing_operator_files",
                "alert_delivery_rates",
                # the campaign below has no status-bar or WhatsApp rows
                "channel_wave", "status_bar_province", "wa_updates", "wa_daily",
                # no experiment is frozen in it (issue 18)
                "experiment_units_outcome", "experiment_compliance", "experiment_respondents",
                "experiment_regency_coverage"}
OPERATOR_NUMBERS = {"telkomsel": "0812", "indosat": "0815", "xl": "0817", "smartfren": "0881"}
STATES = ["DELIVRD"] * 7 + ["UNDELIV", "EXPIRED", "ENROUTE"]


@pytest.fixture(scope="module")
def loaded(tmp_path_factory):
    """A small campaign: 4 operators x 5 provinces x 3 waves, recipients reused across waves."""
    rng = np.random.default_rng(5)
    folder = tmp_path_factory.mktemp("campaign")
    conn = db.memory_connection()
    lines = [HEADER]
    for n in range(600):
        operator = list(OPERATOR_NUMBERS)[n % 4]
        wave = n % 3 + 1
        status = STATES[int(rng.integers(len(STATES)))]
        person = int(rng.integers(150))
        lines.append(receipt(
            f"M{n}", msisdn=f"{OPERATOR_NUMBERS[operator]}{person:08d}", status=status,
            operator=operator, province=str([11, 31, 32, 53, 94][n % 5]),
            submitted=f"2024-0{wave}-0{wave + 1} 10:00:00",
            done=f"2024-0{wave}-0{wave + 1} 10:{int(rng.integers(59)):02d}:00",
            wave=f"SMS0{wave}", error="000" if status == "DELIVRD" else "027"))
    lines.append(receipt("BAD", msisdn="08ABC"))
    result = ingest_file(conn, write(folder, "campaign.csv", lines))
    assert (result.counts.loaded, result.counts.rejected) == (600, 1)
    waves = ["wave_id,channel,sent_date,theme,message_text"] + [
        f"SMS0{w},sms,2024-0{w}-0{w + 1},turnout,Ayo memilih {w}" for w in (1, 2, 3)]
    assert ingest_file(conn, write(folder, "waves.csv", waves)).counts.loaded == 3
    for name in ("hoax_register.csv", "election_results.csv", "survey_responses.csv"):
        assert ingest_file(conn, config.SAMPLE_DIR / name).outcome == "loaded"
    yield conn
    conn.close()


def test_every_mart_has_a_contract():
    assert set(MARTS) == set(EXPECTED_COLUMNS)


@pytest.mark.parametrize("name", MARTS)
def test_mart_runs_and_has_its_columns(loaded, name):
    wanted = db.query_params(f"marts/{name}")
    params = {k: v for k, v in (FILTER_PARAMS | EXTRA_PARAMS).items() if k in wanted}
    frame = db.run(loaded, f"marts/{name}", **params)
    assert not frame.empty or name in MAY_BE_EMPTY
    assert EXPECTED_COLUMNS[name] <= set(frame.columns)


@pytest.mark.parametrize("name", MARTS)
def test_mart_header_states_params_and_grain(name):
    header = db.sql_text(f"marts/{name}").split("\n\n")[0]
    assert "Params:" in header and "Grain:" in header


@pytest.mark.parametrize("name", ["reach_totals", "reach_operator", "reach_province",
                                  "reach_operator_province", "reach_wave",
                                  "reach_wave_operator_province"])
@pytest.mark.parametrize("filters", [
    Filters(),
    Filters(operators=("xl",)),
    Filters(provinces=(32, 53)),
    Filters(waves=("SMS02",), date_from=date(2024, 1, 1)),
], ids=["none", "operator", "provinces", "wave+date"])
def test_reach_invariants(loaded, name, filters):
    frame = tables.table(loaded, name, filters)
    assert (frame["delivered"] <= frame["sent"]).all()
    assert (frame["unique_reach"] <= frame["delivered"]).all()
    assert (frame["pending"] <= frame["sent"]).all()
    assert frame["delivery_rate"].dropna().between(0, 1).all()


@pytest.mark.parametrize("filters", [Filters(), Filters(operators=("telkomsel", "xl")),
                                     Filters(provinces=(94,)), Filters(waves=("SMS01",))])
def test_totals_equal_direct_counts_from_receipts(loaded, filters):
    params = filters.params()
    expected = loaded.execute(
        """
        SELECT count(*), count(*) FILTER (WHERE status = 'DELIVRD'),
               count(DISTINCT recipient_key) FILTER (WHERE status = 'DELIVRD'),
               count(*) FILTER (WHERE status = 'ENROUTE')
        FROM receipts
        WHERE ($operators IS NULL OR list_contains($operators, operator))
          AND ($provinces IS NULL OR list_contains($provinces, province_code))
          AND ($waves IS NULL OR list_contains($waves, wave_id))
        """,
        {k: params[k] for k in ("operators", "provinces", "waves")},
    ).fetchone()
    totals = tables.table(loaded, "reach_totals", filters).iloc[0]
    assert (totals["sent"], totals["delivered"], totals["unique_reach"], totals["pending"]) \
        == expected


def test_parts_add_up_to_totals(loaded):
    totals = tables.table(loaded, "reach_totals").iloc[0]
    for name in ("reach_operator", "reach_province", "reach_wave", "reach_operator_province",
                 "reach_wave_operator_province"):
        frame = tables.table(loaded, name)
        assert frame["sent"].sum() == totals["sent"], name
        assert frame["delivered"].sum() == totals["delivered"], name


def test_delivered_per_voter_uses_dpt_2024(loaded):
    frame = tables.table(loaded, "reach_province").set_index("province_code")
    jabar = frame.loc[32]
    assert jabar["delivered_per_voter"] == pytest.approx(jabar["delivered"] / 35_714_901)


def test_latency_percentiles_are_ordered_and_bracket_the_truth(loaded):
    frame = tables.table(loaded, "reach_operator")
    assert (frame["latency_p50_s"] <= frame["latency_p90_s"]).all()
    assert (frame["latency_p90_s"] <= frame["latency_p99_s"]).all()
    true_median = loaded.execute(
        "SELECT median(epoch(done_at) - epoch(submitted_at)) FROM receipts "
        "WHERE status = 'DELIVRD'").fetchone()[0]
    overall = tables.table(loaded, "reach_operator")["latency_p50_s"].median()
    assert true_median / 1.5 < overall < true_median * 1.5  # quarter-octave buckets


def test_sql_injection_in_a_filter_value_matches_nothing(loaded):
    hostile = Filters(operators=("xl' OR '1'='1",), waves=("'; DROP TABLE receipts; --",))
    assert tables.table(loaded, "reach_totals", hostile).iloc[0]["sent"] == 0
    assert loaded.execute("SELECT count(*) FROM receipts").fetchone()[0] == 600


@pytest.mark.parametrize("filters", [Filters(), Filters(operators=("smartfren",)),
                                     Filters(provinces=(32, 53), waves=("SMS02", "SMS03"))])
def test_unique_reach_rollup_equals_distinct_recipients_per_group(loaded, filters):
    params = filters.params()
    direct = dict(loaded.execute(
        """
        SELECT wave_id || '/' || operator, count(DISTINCT recipient_key) FROM receipts
        WHERE status = 'DELIVRD'
          AND ($operators IS NULL OR list_contains($operators, operator))
          AND ($provinces IS NULL OR list_contains($provinces, province_code))
          AND ($waves IS NULL OR list_contains($waves, wave_id))
        GROUP BY ALL
        """, {k: params[k] for k in ("operators", "provinces", "waves")}).fetchall())
    per_wave = tables.table(loaded, "reach_wave", filters).set_index("wave_id")["unique_reach"]
    for wave, reach in per_wave.items():
        assert reach == sum(v for k, v in direct.items() if k.startswith(f"{wave}/"))


def test_exposure_matches_reach_by_province(loaded):
    exposure = db.run(loaded, "marts/exposure_province", **FILTER_PARAMS)
    reach = tables.table(loaded, "reach_province")
    merged = exposure.merge(reach, on="province_code", suffixes=("", "_reach"),
                            validate="one_to_one")
    assert len(merged) == len(reach) == len(exposure)
    assert (merged["delivered"] == merged["delivered_reach"]).all()


@pytest.mark.parametrize("approximate", [False, True])
def test_unit_reach_is_the_reach_of_the_units_provinces_together(loaded, approximate):
    """Per 2019 unit, the distinct recipients of its provinces filtered together (reach_totals
    with those provinces; estimated: the same sketches merged): Papua (91) is 91 + 93 + 94 +
    95; the others are one province."""
    units = db.run(loaded, "marts/reach_unit_2019", approximate=approximate, **FILTER_PARAMS)
    members = {91: (91, 93, 94, 95)}
    for unit, reach in zip(units["province_code"], units["unique_reach"], strict=True):
        chosen = Filters(provinces=members.get(unit, (unit,)))
        totals = tables.reach_table(loaded, "reach_totals", chosen, approximate)
        assert reach == totals.iloc[0]["unique_reach"], unit
    assert set(units["province_code"]) == {11, 31, 32, 53, 91}  # 94 counts in Papua


@pytest.fixture(scope="module")
def failures(tmp_path_factory):
    """Delivered receipts with code 000 beside failed ones with 000, a blank code and 027."""
    folder = tmp_path_factory.mktemp("failures")
    conn = db.memory_connection()
    rows = ([("DELIVRD", "000")] * 5 + [("EXPIRED", "000")] * 3 + [("UNDELIV", "")] * 2
            + [("UNDELIV", "027")] * 4)
    lines = [HEADER] + [receipt(f"F{n}", msisdn=f"0812{n:08d}", status=status, error=error)
                        for n, (status, error) in enumerate(rows)]
    assert ingest_file(conn, write(folder, "failures.csv", lines)).counts.loaded == len(rows)
    yield tables.table(conn, "error_codes").set_index("error_code", drop=False)
    conn.close()


@pytest.mark.parametrize(
    ("code", "receipts", "meaning_id", "meaning_en"),
    [
        ("027", 4, "Pelanggan tidak aktif atau di luar jangkauan", "Absent subscriber"),
        # failed with 000 (3) and blank (2) are one reason, "no code": "no error" would be
        # false; the 5 delivered 000s are not counted at all
        (None, 5, "Gagal tanpa kode kesalahan", "Failed, no error code given"),
    ],
)
def test_error_codes_count_failures_only_and_label_a_missing_code_honestly(
        failures, code, receipts, meaning_id, meaning_en):
    row = failures[failures["error_code"].isna()].iloc[0] if code is None else failures.loc[code]
    assert row["receipts"] == receipts
    assert (row["meaning_id"], row["meaning_en"]) == (meaning_id, meaning_en)
    assert failures["receipts"].sum() == 9  # the failed receipts, none of the delivered
    assert "Tidak ada kesalahan" not in set(failures["meaning_id"])
    assert len(failures) == 2  # 027 and "no code": 000 is no row of its own


@pytest.mark.parametrize(
    ("done", "shown_seconds"),
    [
        # every message took `done` - 10:00:00; the quarter-octave bucket's middle (2 ** ((b +
        # 0.5) / 4): 5.1873..., 98.7014928..., 3756.04856...) to three significant digits
        ("2023-12-05 10:00:05", 5.19),
        ("2023-12-05 10:01:32", 98.7),
        ("2023-12-05 11:00:00", 3760.0),
    ],
)
def test_latency_percentiles_carry_no_more_digits_than_the_histogram_has(
        tmp_path, done, shown_seconds):
    conn = db.memory_connection()
    lines = [HEADER] + [receipt(f"L{n}", msisdn=f"0812{n:08d}", done=done) for n in range(3)]
    ingest_file(conn, write(tmp_path, "latency.csv", lines))
    row = tables.table(conn, "reach_operator").iloc[0]
    conn.close()
    assert [row[f"latency_p{q}_s"] for q in (50, 90, 99)] == [shown_seconds] * 3
