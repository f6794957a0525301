"""Every output that shows unique reach says what it leaves out and when it is an estimate,
as the pages do (attack 5, findings 12 and 02): the CLI export's notes, the press figures'
source line, the weekly summary (page, brief, mail), and the Kanal SMS wave chart's own
estimate mark. The left-out receipts here are worked out from the files: 128 uncatalogued
waves with one delivered receipt each, one (wave, send day) pair over the 127 kept for them,
so all 128 are left out."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from dashboard.charts.channels import channel_wave_bars
from dashboard.cli import main
from dashboard.i18n import t
from dashboard.reports import brief, figures_registry, weekly
from dashboard.service import deliver
from dashboard.store import db, sketch
from tests.conftest import HEADER, receipt, write

JUNK_WAVES = [f"J{n:03d}" for n in range(128)]  # sent 5 Dec 2023 (2023-W49)
LEFT_OUT = {lang: t("ui.reach_not_kept", lang, delivered="128", pairs=127,
                    waves=", ".join(JUNK_WAVES)) for lang in ("id", "en")}


@pytest.fixture(scope="module")
def database(tmp_path_factory):
    """A catalogued wave SMS01 sent 16 Jan 2024 (2024-W03) to three numbers, and a file of
    128 waves missing from the catalogue, one delivered receipt each, on 5 Dec 2023."""
    folder = tmp_path_factory.mktemp("left_out")
    waves = write(folder, "waves.csv", ["wave_id,channel,sent_date,theme,message_text",
                                        "SMS01,sms,2024-01-16,turnout,Ayo memilih"])
    campaign = write(folder, "campaign.csv", [HEADER, *(
        receipt(f"C{n}", msisdn=f"08131000000{n}", wave="SMS01",
                submitted="2024-01-16 09:00:00", done="2024-01-16 09:00:30")
        for n in range(3))])
    junk = write(folder, "junk.csv", [HEADER, *(
        receipt(f"J{n}", msisdn=f"0812{n:08d}", wave=wave)
        for n, wave in enumerate(JUNK_WAVES))])
    path = folder / "db.duckdb"
    assert main(["init", "--db", str(path)]) == 0
    assert main(["ingest", str(waves), str(campaign), str(junk), "--db", str(path)]) == 0
    return path


def flat(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("<br>", " ")).strip()


@pytest.mark.parametrize(("table", "says_left_out"), [
    ("reach_totals", True), ("reach_wave", True), ("reach_province", True),
    ("reach_operator_province", True), ("reach_wave_operator_province", True),
    ("channel_wave", True),
    ("reach_daily", False), ("error_codes", False),  # no unique reach: nothing to say
])
@pytest.mark.parametrize("lang", ["id", "en"])
def test_export_notes_say_what_unique_reach_leaves_out(database, tmp_path, table,
                                                       says_left_out, lang):
    out = tmp_path / f"{table}.csv"
    assert main(["export", table, "--db", str(database), "--out", str(out),
                 "--lang", lang]) == 0
    notes = (tmp_path / f"{table}.csv.txt").read_text(encoding="utf-8").splitlines()
    assert (LEFT_OUT[lang] in notes) is says_left_out


@pytest.mark.parametrize(("figure", "says_left_out"), [
    ("sms_waves", True), ("daily_trend", False), ("status_bar_waves", False)])
def test_press_figure_source_line_says_what_unique_reach_leaves_out(database, figure,
                                                                    says_left_out):
    with db.connect(database, read_only=True) as conn:
        press = figures_registry.press(conn, figure, None, "id")
    shown = flat(" ".join(str(a.text) for a in press.layout.annotations))
    assert (flat(LEFT_OUT["id"]) in shown) is says_left_out


@pytest.mark.parametrize(("week", "lang", "notes"), [
    # the junk's week: the week and the campaign to date leave out the same, said once
    ("2023-W49", "id", [LEFT_OUT["id"]]),
    # a later week leaves nothing out of its own reach; the cumulative reach does
    ("2024-W03", "id", [f"Jangkauan unik kumulatif: {LEFT_OUT['id']}"]),
    ("2024-W03", "en", [f"Cumulative unique reach: {LEFT_OUT['en']}"]),
])
def test_weekly_summary_brief_and_mail_say_what_unique_reach_leaves_out(database, week,
                                                                        lang, notes):
    with db.connect(database, read_only=True) as conn:
        summary = weekly.weekly_summary(conn, week, lang)
    assert summary.reach_notes == notes
    page = flat(re.sub(r"<[^>]+>", " ", brief.brief_html(summary, static=False).decode()))
    mail = deliver.message(summary, b"%PDF-1.4", "dari@example.go.id",
                           deliver.Recipient("ke@example.go.id", lang, ()))
    body = flat(mail.get_body(("plain",)).get_content())
    for note in notes:
        assert flat(note) in page and flat(note) in body


WAVE_ROWS = pd.DataFrame({
    "channel": ["sms", "sms"], "wave_id": ["SMS01", "SMS02"], "in_catalogue": [True, True],
    "sent_date": pd.to_datetime(["2024-01-08", "2024-01-15"]), "delivered": [1200, 1300],
    "unique_reach": [313, 298]})


@pytest.mark.parametrize(("approximate", "hover", "note"), [
    (True, ["SMS01<br>Jangkauan unik: ≈ 313", "SMS02<br>Jangkauan unik: ≈ 298"], True),
    (False, ["SMS01<br>Jangkauan unik: 313", "SMS02<br>Jangkauan unik: 298"], False),
    (None, ["SMS01<br>Jangkauan unik: 313", "SMS02<br>Jangkauan unik: 298"], False),
])
def test_sms_wave_chart_marks_an_estimated_unique_reach(approximate, hover, note):
    rows = WAVE_ROWS if approximate is None else WAVE_ROWS.assign(
        **{sketch.APPROXIMATE_COLUMN: approximate})
    fig = channel_wave_bars(rows, "sms", "id")
    reach = next(trace for trace in fig.data if "Jangkauan unik" in trace.name)
    assert [h.removesuffix("<extra></extra>") for h in reach.hovertemplate] == hover
    notes = [flat(str(a.text)) for a in fig.layout.annotations
             if a.name == "reach_estimate_note"]
    assert notes == ([flat(sketch.note("id"))] if note else [])


def test_press_sms_waves_of_a_large_campaign_carries_the_estimate_note(database, monkeypatch):
    monkeypatch.setenv("PEMILU_EXACT_REACH_MAX_ROWS", "1")  # stands for a large campaign
    with db.connect(database, read_only=True) as conn:
        press = figures_registry.press(conn, "sms_waves", None, "en")
    shown = flat(" ".join(str(a.text) for a in press.layout.annotations))
    assert flat(sketch.note("en")) in shown and flat(LEFT_OUT["en"]) in shown
