"""Alert rules (issue 16, point 4) on crafted data, each at a day it fires and a day it does
not: data time, never the wall clock. The rates expected are counted in the test."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from dashboard.cli import main
from dashboard.ingest import ingest_file
from dashboard.service.alerts import AlertRulesError, Rule, evaluate, load_rules
from tests.conftest import HEADER, receipt, write
from tests.test_app import APP

WAVES = ("wave_id,channel,sent_date,theme,message_text\n"
         "SMS01,sms,2024-01-01,turnout,Ayo memilih\n"
         "SMS02,sms,2024-01-08,anti_hoax,Saring sebelum sharing\n")
PREFIX = {"telkomsel": "0812", "xl": "0817"}


def _lines(operator: str, wave: str, day: str, sent: int, delivered: int) -> list[str]:
    return [receipt(f"{operator}-{wave}-{n}", msisdn=f"{PREFIX[operator]}{n:08d}",
                    operator=operator, wave=wave, submitted=f"{day} 10:00:00",
                    done=f"{day} 10:00:30", status="DELIVRD" if n < delivered else "UNDELIV")
            for n in range(sent)]


@pytest.fixture
def campaign(conn, tmp_path):
    """Week 1 (SMS01, 1 Jan 2024): Telkomsel 200 of 200 delivered, XL 150 of 200 (75 %).
    Week 2 (SMS02, 8 Jan): Telkomsel 190 of 200 (95 %), XL sends nothing."""
    assert ingest_file(conn, write(tmp_path, "waves.csv", WAVES.encode())).ok
    lines = [HEADER, *_lines("telkomsel", "SMS01", "2024-01-01", 200, 200),
             *_lines("xl", "SMS01", "2024-01-01", 200, 150),
             *_lines("telkomsel", "SMS02", "2024-01-08", 200, 190)]
    assert ingest_file(conn, write(tmp_path, "receipts.csv", lines)).ok
    return conn


def _fired(conn, rule: Rule, day: str) -> list[str]:
    return [a.subject for a in evaluate(conn, [rule], "en", dt.date.fromisoformat(day))]


@pytest.mark.parametrize(("rule", "day", "fired"), [
    (Rule("delivery_rate_below", threshold=0.90), "2024-01-03", ["xl"]),  # 75 % < 90 %
    (Rule("delivery_rate_below", threshold=0.70), "2024-01-03", []),
    (Rule("delivery_rate_below", threshold=0.96), "2024-01-10", ["telkomsel"]),  # 95 %
    (Rule("delivery_rate_below", threshold=0.90), "2024-01-10", []),  # XL: no receipts
    (Rule("delivery_rate_drop", points=3), "2024-01-10", ["telkomsel"]),  # 100 -> 95: 5 pts
    (Rule("delivery_rate_drop", points=6), "2024-01-10", []),
    (Rule("delivery_rate_drop", points=3), "2024-01-03", []),  # no week before
    (Rule("delivery_rate_below", by="province", threshold=0.90), "2024-01-03", ["32"]),
    (Rule("operator_file_missing"), "2024-01-10", ["SMS02/xl"]),  # due 9 Jan, XL silent
    (Rule("operator_file_missing"), "2024-01-09", []),  # not yet past send day + 1
    (Rule("operator_file_missing"), "2024-01-03", []),
])
def test_receipt_rules(campaign, rule, day, fired):
    assert _fired(campaign, rule, day) == fired


@pytest.fixture
def two_provinces(conn, tmp_path):
    """Week of 1 Jan 2024, Telkomsel only: Jawa Barat (32) 200 of 200 delivered, Papua
    Tengah (94) 100 of 200: 300 of 400 (75 %) in the whole country."""
    lines = [HEADER, *(receipt(f"a{n}", msisdn=f"0812{n:08d}", province="32",
                               submitted="2024-01-01 10:00:00", done="2024-01-01 10:00:30")
                       for n in range(200)),
             *(receipt(f"b{n}", msisdn=f"0813{n:08d}", province="94",
                       submitted="2024-01-01 10:00:00", done="2024-01-01 10:00:30",
                       status="DELIVRD" if n < 100 else "UNDELIV") for n in range(200))]
    assert ingest_file(conn, write(tmp_path, "receipts.csv", lines)).ok
    return conn


@pytest.mark.parametrize(("by", "scope", "fired"), [
    # a reader scoped to some provinces is told about their receipts only: neither another
    # province's rate nor a national operator rate beside their own (attack of 7 Dec 2026:
    # a Jawa Barat reader was sent Papua Tengah's 50 % and Telkomsel's national 75 %)
    ("operator", (), [("telkomsel", "75.0%")]),
    ("operator", (32,), []),  # 100 %
    ("operator", (94,), [("telkomsel", "50.0%")]),
    ("operator", (32, 94), [("telkomsel", "75.0%")]),
    ("province", (), [("94", "50.0%")]),
    ("province", (32,), []),
    ("province", (94,), [("94", "50.0%")]),
])
def test_rate_alerts_follow_the_reader_s_scope(two_provinces, by, scope, fired):
    alerts = evaluate(two_provinces, [Rule("delivery_rate_below", by=by, threshold=0.9)], "en",
                      dt.date(2024, 1, 3), scope)
    assert [(a.subject, re.search(r"\d+\.\d%", a.message)[0]) for a in alerts] == fired
    # a scope's rate is another number: mailed once per scope, apart from the national one
    assert all(a.key.endswith(":" + "+".join(map(str, scope))) == bool(scope) for a in alerts)


@pytest.mark.parametrize(("scope", "rates"), [
    ((), ["Telkomsel's delivery rate is 75.0%"]),
    ((32,), []),
    ((94,), ["Telkomsel's delivery rate is 50.0%"]),
])
def test_the_weekly_brief_s_alerts_follow_its_scope(two_provinces, monkeypatch, scope, rates):
    from dashboard.reports.weekly import weekly_summary

    monkeypatch.delenv("PEMILU_ALERTS", raising=False)  # the default rules
    alerts = weekly_summary(two_provinces, "2024-W01", "en", scope=scope).alerts
    assert [a.split(",")[0] for a in alerts if "delivery rate" in a] == rates


def test_an_alert_says_what_and_who(campaign):
    (alert,) = evaluate(campaign, [Rule("delivery_rate_below", threshold=0.9)], "en",
                        dt.date(2024, 1, 3))
    assert alert.message == ("XL Axiata's delivery rate is 75.0%, below 90.0% (week to "
                             "3 Jan 2024).")
    (alert,) = evaluate(campaign, [Rule("operator_file_missing")], "id", dt.date(2024, 1, 10))
    assert "XL Axiata" in alert.message and "SMS02" in alert.message
    assert alert.key == "operator_file_missing:SMS02:xl"


@pytest.mark.parametrize(("lang", "message"), [
    # Telkomsel: 200 of 200 in week 1, 190 of 200 in week 2: 5 points down
    ("en", "Telkomsel's delivery rate fell 5.0 points, from 100.0% to 95.0%, on the week "
           "before."),
    ("id", "Tingkat keberhasilan Telkomsel turun 5,0 poin, dari 100,0% menjadi 95,0%, "
           "dibanding pekan sebelumnya."),
])
def test_a_drop_says_how_far_from_what_to_what(campaign, lang, message):
    (alert,) = evaluate(campaign, [Rule("delivery_rate_drop", points=3)], lang,
                        dt.date(2024, 1, 10))
    assert (alert.kind, alert.subject, alert.message) == ("delivery_rate_drop", "telkomsel",
                                                          message)
    assert alert.key == "delivery_rate_drop:operator:telkomsel:2024-W02"
    scoped = evaluate(campaign, [Rule("delivery_rate_drop", points=3)], lang,
                      dt.date(2024, 1, 10), (32,))
    assert [a.key for a in scoped] == ["delivery_rate_drop:operator:telkomsel:2024-W02:32"]


def test_without_a_day_the_latest_send_day_is_today(campaign):
    # data time: 8 Jan, SMS02's own day; the wall clock (years later) would fire
    assert evaluate(campaign, [Rule("operator_file_missing")], "en") == []


@pytest.mark.parametrize(("threshold", "fired"), [(0.05, ["odd.csv"]), (0.25, [])])
def test_reject_rate(conn, tmp_path, threshold, fired):
    # 10 records, 2 rejected (20 %)
    lines = [HEADER, *(receipt(f"m{n}", msisdn=f"0812{n:08d}") for n in range(8)),
             receipt("bad1", msisdn="0812"), receipt("bad2", msisdn="08ABC")]
    assert ingest_file(conn, write(tmp_path, "odd.csv", lines)).ok
    assert _fired(conn, Rule("reject_rate_above", threshold=threshold), "2023-12-05") == fired


@pytest.mark.parametrize(("threshold", "fired"), [(0.10, ["far.csv"]), (0.60, [])])
def test_warning_rate(conn, tmp_path, threshold, fired):
    # 4 records of a known wave, 2 with a province no alias knows (2 warnings: 50 %)
    assert ingest_file(conn, write(tmp_path, "waves.csv", WAVES.encode())).ok
    lines = [HEADER, receipt("a", msisdn="081200000001"), receipt("b", msisdn="081200000002"),
             receipt("c", msisdn="081200000003", province="LUAR NEGERI"),
             receipt("d", msisdn="081200000004", province="LUAR NEGERI")]
    assert ingest_file(conn, write(tmp_path, "far.csv", lines)).ok
    assert _fired(conn, Rule("warning_rate_above", threshold=threshold), "2023-12-05") == fired


HOAX = ("hoax_id,identified_date,title,category,election_related,theme,platforms,"
        "content_items,taken_down,province,source_url\n"
        "HX1,2023-12-20,[HOAKS] Uji,Politik,yes,endorsement,Facebook,3,1,,\n")


@pytest.mark.parametrize(("day", "fired"), [
    ("2024-01-10", ["hoax"]),  # 21 days since 20 Dec: more than two weeks
    ("2024-01-03", []),  # 14 days: not more than two weeks
])
def test_hoax_data_stale(campaign, tmp_path, day, fired):
    assert ingest_file(campaign, write(tmp_path, "hoax.csv", HOAX.encode())).ok
    assert _fired(campaign, Rule("hoax_data_stale", weeks=2), day) == fired


def test_rules_file_and_cli(campaign, tmp_path, monkeypatch, capsys):
    rules = tmp_path / "alerts.toml"
    rules.write_text('[[rule]]\nkind = "delivery_rate_below"\nby = "operator"\n'
                     'threshold = 0.9\n', encoding="utf-8")
    assert load_rules(rules) == [Rule("delivery_rate_below", "operator", 0.9)]
    (tmp_path / "bad.toml").write_text('[[rule]]\nkind = "nonsense"\n', encoding="utf-8")
    with pytest.raises(AlertRulesError, match="unknown rule kind"):
        load_rules(tmp_path / "bad.toml")
    assert len(load_rules()) == 5  # the defaults


def test_cli_alerts(tmp_path, capsys):
    db_path = tmp_path / "a.duckdb"
    receipts = write(tmp_path, "r.csv", [HEADER, *_lines("xl", "SMS01", "2024-01-01", 200,
                                                         150)])
    assert main(["ingest", str(receipts), "--db", str(db_path)]) == 0
    capsys.readouterr()
    assert main(["alerts", "--as-of", "2024-01-03", "--lang", "en", "--db", str(db_path)]) == 0
    out = capsys.readouterr().out
    assert "XL Axiata's delivery rate is 75.0%, below 90.0%" in out


def test_alerts_show_in_the_brief_and_on_ringkasan(campaign, tmp_path, monkeypatch):
    from streamlit.testing.v1 import AppTest

    from dashboard.reports.brief import brief_html
    from dashboard.reports.weekly import weekly_summary
    from dashboard.store import db

    # 1-7 Jan, evaluated at its Sunday: XL delivered 75 %; 8-14 Jan, evaluated at the latest
    # send day (8 Jan, data time): SMS02 is not yet overdue, so no missing-file alert
    summary = weekly_summary(campaign, "2024-W01", "en")
    said = "XL Axiata&#x27;s delivery rate is 75.0%, below 90.0% (week to 7 Jan 2024)."
    assert said.replace("&#x27;", "'") in summary.alerts
    assert said in brief_html(summary, static=False).decode("utf-8")
    later = weekly_summary(campaign, "2024-W02", "en")
    assert not any("SMS02" in a for a in later.alerts)
    path = tmp_path / "app.duckdb"
    with db.connect(path) as conn:
        assert ingest_file(conn, write(tmp_path, "waves.csv", WAVES.encode())).ok
        lines = [HEADER, *_lines("xl", "SMS01", "2024-01-01", 200, 150)]
        assert ingest_file(conn, write(tmp_path, "xl.csv", lines)).ok
    monkeypatch.setenv("PEMILU_DB", str(path))
    import streamlit as st

    st.cache_resource.clear()
    st.cache_data.clear()
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    assert not at.exception
    # Markdown-escaped text: "75\,0\%"
    assert any("Tingkat keberhasilan XL Axiata 75" in w.value for w in at.warning), [
        w.value for w in at.warning]
    st.cache_resource.clear()
    st.cache_data.clear()
