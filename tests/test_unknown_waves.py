"""A receipt of a wave the catalogue does not list (issue 14): loaded, counted in every total,
warned about per record, shown as an unknown wave on the wave chart and listed on Kualitas
data as missing from the catalogue."""

from __future__ import annotations

from dashboard.charts.reach import wave_trend
from dashboard.filters import Filters
from dashboard.ingest import ingest_file
from dashboard.store import db
from tests.conftest import HEADER, receipt, write


def load(conn, tmp_path):
    waves = ["wave_id,channel,sent_date,theme,message_text",
             "SMS01,sms,2023-12-05,turnout,Ayo memilih"]
    ingest_file(conn, write(tmp_path, "waves.csv", waves))
    return ingest_file(conn, write(tmp_path, "r.csv", [
        HEADER, receipt("M1"), receipt("M2", msisdn="081234567891", wave="SMS99"),
        receipt("M3", msisdn="081234567892", wave="SMS99", status="UNDELIV", error="027")]))


def test_an_unknown_wave_is_loaded_counted_and_warned_about(conn, tmp_path):
    result = load(conn, tmp_path)
    assert (result.counts.loaded, result.counts.rejected, result.counts.warnings) == (3, 0, 2)
    assert conn.execute("SELECT line, kind, field, value FROM load_warnings "
                        "WHERE ingest_id = $id ORDER BY line", {"id": result.ingest_id}
                        ).fetchall() == [(3, "unknown_wave", "wave_id", "SMS99"),
                                         (4, "unknown_wave", "wave_id", "SMS99")]
    totals = db.run(conn, "marts/reach_totals", approximate=False, **Filters().params())
    assert (int(totals["sent"][0]), int(totals["delivered"][0])) == (3, 2)
    missing = db.run(conn, "marts/waves_missing")
    assert missing[["wave_id", "sent", "delivered"]].values.tolist() == [["SMS99", 2, 1]]


def test_the_wave_chart_names_an_unknown_wave_as_such(conn, tmp_path):
    load(conn, tmp_path)
    waves = db.run(conn, "marts/reach_wave", approximate=False, **Filters().params())
    assert dict(zip(waves["wave_id"], waves["in_catalogue"], strict=True)) == {
        "SMS01": True, "SMS99": False}
    for lang, label in (("id", "SMS99 (tak dikenal)"), ("en", "SMS99 (unknown)")):
        categories = list(wave_trend(waves, lang).data[0].x)
        # on two short lines under its bar: "SMS99<br>(tak dikenal)"
        assert [c.replace("<br>", " ") for c in categories] == ["SMS01", label]
