"""Every output says where its numbers come from, read from the data it shows (issue 15, point
1): the source per kind of data, the days covered, the as-of stamp, and a visible mark when any
of it is sample data. Expected values are read from the sample's files with the csv module,
not from our queries."""

from __future__ import annotations

import csv
import datetime as dt
import json
import re

import pytest

from dashboard import config
from dashboard.export.provenance import (
    Provenance,
    data_of_figure,
    data_of_table,
    filter_parts,
    provenance,
)
from dashboard.filters import Filters
from dashboard.ingest import ingest_file
from dashboard.reports import figures_registry
from dashboard.store import db
from tests.conftest import HEADER, receipt, write

MANIFEST = json.loads((config.SAMPLE_DIR / "MANIFEST.json").read_text(encoding="utf-8"))


def _column(name: str, column: str) -> list[str]:
    return _column_of(config.SAMPLE_DIR / name, column)


def _column_of(path, column: str) -> list[str]:
    with path.open(encoding="utf-8", newline="") as handle:
        return [row[column] for row in csv.DictReader(handle)]


def _indonesian(day: str) -> str:
    months = ["Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des"]
    value = dt.date.fromisoformat(day)
    return f"{value.day} {months[value.month - 1]} {value.year}"


SMS_DAYS = sorted(d for d, c in zip(_column("waves.csv", "sent_date"),
                                    _column("waves.csv", "channel"), strict=True)
                  if c.lower() == "sms")
def _parses(day: str) -> bool:
    try:
        dt.date.fromisoformat(day)
    except ValueError:
        return False
    return True


HOAX_DAYS = [d for d in sorted(_column("hoax_register.csv", "identified_date")) if _parses(d)]
SURVEY_DAYS = sorted(_column("survey_responses.csv", "interview_date"))

# (figure, language, source words, first day, last day): the period is the data's own; the
# sample's source line says synthetic and names the real source only as what it is not
FIGURE_CASES = [
    ("wave_trend", "id", "Sumber: DATA CONTOH SINTETIS (pengiriman gelombang SMS01–",
     SMS_DAYS[0], SMS_DAYS[-1]),
    ("hoax_weekly", "id", "Sumber: DATA CONTOH SINTETIS (isu hoaks pemilu), bukan register "
     "hoaks Kominfo (kini Komdigi) di komdigi.go.id.", HOAX_DAYS[0], HOAX_DAYS[-1]),
    ("survey_shares", "id", "Sumber: DATA CONTOH SINTETIS (survei survey_responses.csv), bukan "
     "survei lapangan.", SURVEY_DAYS[0], SURVEY_DAYS[-1]),
    ("participation_scatter", "id", "Sumber: DATA CONTOH SINTETIS (pengiriman gelombang "
     "SMS01–SMS11; hasil pemilu presiden 2019 dan 2024, sebagian angka KPU), bukan laporan "
     "operator atau rekap resmi KPU.", SMS_DAYS[0], SMS_DAYS[-1]),
]


@pytest.mark.parametrize(("name", "lang", "source", "first", "last"), FIGURE_CASES,
                         ids=[c[0] for c in FIGURE_CASES])
def test_each_figure_names_its_own_source_and_period(sample_db, name, lang, source, first,
                                                    last):
    with db.connect(sample_db, read_only=True) as conn:
        origin = provenance(conn, data_of_figure(name), Filters(), lang)
    assert source in origin.footer
    assert f"Periode: {_indonesian(first)} – {_indonesian(last)}" in origin.period
    if name.startswith("hoax") or name.startswith("survey"):  # not the operators' reports
        assert "pengiriman" not in origin.footer


# (language, subtitle mark, what the source line opens with, the watermark, words of a real
# source line that must not credit the sample: operators' reports, the hoax register)
PRESS_MARK_CASES = [
    ("id", "DATA CONTOH", "Sumber: DATA CONTOH SINTETIS (", "DATA CONTOH / SAMPLE DATA",
     ("laporan pengiriman", "Sumber: register hoaks", "synthetic")),
    ("en", "SAMPLE DATA", "Source: SYNTHETIC SAMPLE DATA (", "SAMPLE DATA / DATA CONTOH",
     ("delivery reports of", "Source: election hoax register", "Sumber")),
]


@pytest.mark.parametrize(("lang", "mark", "source", "watermark", "never"), PRESS_MARK_CASES)
def test_press_figures_of_the_sample_are_marked(sample_db, lang, mark, source, watermark,
                                               never):
    """Every press figure of the sample says so in its source line itself and inside its
    image (review item 2): a crop of the subtitle must not leave a real-looking credit."""
    with db.connect(sample_db, read_only=True) as conn:
        for name in figures_registry.FIGURES:
            press = figures_registry.press(conn, name, None, lang, "social")
            texts = {a.name: str(a.text) for a in press.layout.annotations if a.name}
            assert texts["press_subtitle"].startswith(mark), name
            footer = texts["press_source"].replace("<br>", " ")
            assert footer.startswith(source), (name, footer)
            assert not [word for word in never if word in footer], (name, footer)
            assert watermark in texts["press_watermark"], name


def test_as_of_names_the_last_load_and_the_last_send_day(sample_db):
    with db.connect(sample_db, read_only=True) as conn:
        loaded = conn.execute("SELECT max(finished_at) FROM ingest_log WHERE kind = 'receipts' "
                              "AND outcome = 'loaded'").fetchall()[0][0]
        origin = provenance(conn, ("receipts",), Filters(), "en")
    wib = loaded.astimezone(dt.timezone(dt.timedelta(hours=7)))
    assert f"{wib:%H:%M} WIB" in origin.as_of
    last = dt.date.fromisoformat(SMS_DAYS[-1])
    assert origin.as_of.endswith(f"last sent {last.day} {last:%b} {last.year}")


def test_filters_narrow_the_period_and_are_named(sample_db):
    chosen = Filters(date_from=dt.date(2024, 1, 1), operators=("xl",), provinces=(32,))
    after = [d for d in SMS_DAYS if d >= "2024-01-01"]
    with db.connect(sample_db, read_only=True) as conn:
        origin = provenance(conn, ("receipts",), chosen, "en")
    first, last = dt.date.fromisoformat(after[0]), dt.date.fromisoformat(after[-1])
    assert origin.period == (f"Period: {first.day} {first:%b} {first.year} – {last.day} "
                             f"{last:%b} {last.year} · Operator: XL Axiata · "
                             "Province: Jawa Barat")
    assert "Source: SYNTHETIC SAMPLE DATA (deliveries of waves SMS" in origin.footer


@pytest.mark.parametrize(("filters", "lang", "expected"), [
    (Filters(), "id", []),
    (Filters(operators=("xl",)), "en", ["Operator: XL Axiata"]),
    (Filters(provinces=(32,), waves=("SMS10",)), "id",
     ["Gelombang: SMS10", "Provinsi: Jawa Barat"]),
    (Filters(date_from=dt.date(2024, 2, 1)), "en", ["Period: 1 Feb 2024 – …"]),
])
def test_filter_words(filters, lang, expected):
    assert filter_parts(filters, lang) == expected


def _real_receipts(tmp_path):
    """A receipts file that is not the sample's (its hash is in no manifest)."""
    return write(tmp_path, "real.csv", [
        "operator,message_id,wave_id,msisdn,province,submitted_at,done_at,status,error_code",
        receipt("m1"), receipt("m2", msisdn="081234567891")])


# (declared sample at load, language, the source line, the watermark): real data keeps its
# real source; the same file declared sample says synthetic in its source line
DECLARED_CASES = [
    (False, "id", "Sumber: laporan pengiriman Telkomsel (SMS01).", ""),
    (False, "en", "Source: delivery reports of Telkomsel (SMS01).", ""),
    (True, "id", "Sumber: DATA CONTOH SINTETIS (pengiriman gelombang SMS01), bukan laporan "
                 "operator.", "DATA CONTOH / SAMPLE DATA"),
    (True, "en", "Source: SYNTHETIC SAMPLE DATA (deliveries of waves SMS01), not operators' "
                 "reports.", "SAMPLE DATA / DATA CONTOH"),
]


@pytest.mark.parametrize(("declared", "lang", "source", "watermark"), DECLARED_CASES)
def test_a_file_is_sample_data_only_when_declared_or_listed(conn, tmp_path, declared, lang,
                                                            source, watermark):
    assert ingest_file(conn, _real_receipts(tmp_path), sample=declared).ok
    origin = provenance(conn, ("receipts",), Filters(), lang)
    mark = "DATA CONTOH" if lang == "id" else "SAMPLE DATA"
    assert origin.sample is declared
    assert origin.subtitle.startswith(mark) is declared
    assert (mark in " ".join(origin.lines())) is declared
    assert origin.source_line == source
    assert origin.footer.startswith(source)
    assert origin.watermark == watermark


def test_a_sample_file_is_known_by_its_hash_also_in_an_old_database(conn, tmp_path):
    """Renamed and loaded without --sample, the sample's waves file is still sample data, and
    so it stays when the flag is missing (a database loaded before the flag existed)."""
    copy = tmp_path / "katalog.csv"
    copy.write_bytes((config.SAMPLE_DIR / "waves.csv").read_bytes())
    assert ingest_file(conn, _real_receipts(tmp_path)).ok
    assert not provenance(conn, ("receipts",), Filters(), "id").sample
    assert ingest_file(conn, copy).ok
    conn.execute("UPDATE ingest_log SET sample = false")
    assert provenance(conn, ("receipts",), Filters(), "id").sample


def test_every_manifest_file_carries_its_hash():
    import gzip
    import hashlib

    entries = [*MANIFEST["files"], MANIFEST["survey"], MANIFEST["election"], MANIFEST["hoax"],
               *MANIFEST["channels"]["files"], *MANIFEST["experiment"]["files"]]
    for entry in entries:
        data = (config.SAMPLE_DIR / entry["file"]).read_bytes()
        unpacked = gzip.decompress(data) if entry["file"].endswith(".gz") else data
        assert entry["sha256"] == hashlib.sha256(data).hexdigest(), entry["file"]
        assert entry["content_sha256"] == hashlib.sha256(unpacked).hexdigest(), entry["file"]


def _gunzipped(data: bytes) -> bytes:
    import gzip

    return gzip.decompress(data)


def _gzipped(data: bytes) -> bytes:
    import gzip

    return gzip.compress(data, compresslevel=1, mtime=12345)


def _regzipped(data: bytes) -> bytes:
    return _gzipped(_gunzipped(data))


def _own_gzipped(data: bytes) -> bytes:
    """The file with one line more (no longer the sample's), gzipped."""
    return _gzipped(data + data.splitlines(keepends=True)[-1].replace(b"SMS", b"SMT"))


# (shipped file, what is done to its bytes before loading, the data it is, sample mark):
# the same content packed another way is still the sample (attack 5, finding 01)
PACKED_CASES = [
    ("receipts_telkomsel_sms01-03.csv.gz", _gunzipped, "receipts", True),
    ("receipts_telkomsel_sms01-03.csv.gz", _regzipped, "receipts", True),
    ("receipts_z_late_canonical.csv", _gzipped, "receipts", True),
    ("wa_updates_2024-02-29.csv.gz", _gunzipped, "wa_updates", True),
    ("wa_updates_2024-02-29.csv.gz", _regzipped, "wa_updates", True),
    ("waves.csv", _gzipped, "waves", True),
    ("waves.csv", _own_gzipped, "waves", False),
]


@pytest.mark.parametrize(("name", "change", "data", "sample"), PACKED_CASES,
                         ids=[f"{c[0]}-{c[1].__name__}" for c in PACKED_CASES])
def test_the_sample_is_known_by_its_content_packed_or_not(conn, tmp_path, name, change, data,
                                                         sample):
    packed = change((config.SAMPLE_DIR / name).read_bytes())
    changed = tmp_path / ("kiriman.csv.gz" if packed[:2] == b"\x1f\x8b" else "kiriman.csv")
    changed.write_bytes(packed)
    assert ingest_file(conn, changed).ok
    assert provenance(conn, (data,), Filters(), "id").sample is sample


def test_no_data_no_source(conn):
    origin = provenance(conn, ("receipts", "hoax", "survey", "election"), Filters(), "en")
    assert (origin.sources, origin.period, origin.as_of, origin.sample) == ((), "", "", False)


@pytest.mark.parametrize(("name", "data"), [
    ("reach_operator", ("receipts",)), ("hoax_weekly", ("hoax",)),
    ("hoax_wave_rate_ratios", ("hoax", "waves")), ("survey_tests", ("survey",)),
    ("hoax_tests", ("hoax", "waves", "survey")),
    ("participation_provinces", ("receipts", "status_bar", "election")),
    ("participation_tests", ("receipts", "status_bar", "election")),
    ("data_quality", ("receipts", "election", "election_regency", "survey", "hoax", "status_bar",
                      "wa_updates", "wa_daily")),
    ("channel_wave", ("receipts", "status_bar", "wa_updates")),
    ("status_bar_province", ("status_bar",)), ("wa_daily", ("wa_daily", "wa_updates")),
    ("weekly_operators_2024-W06", ("receipts",)),
])
def test_a_table_s_data_is_told_by_its_name(name, data):
    from dashboard.export.provenance import data_of_table

    assert data_of_table(name) == data


@pytest.mark.parametrize(("table", "fmt", "lang", "source"), [
    ("hoax_weekly", "xlsx", "id", "Sumber: DATA CONTOH SINTETIS (isu hoaks pemilu)"),
    ("reach_operator", "xlsx", "en", "Source: SYNTHETIC SAMPLE DATA (deliveries of waves"),
    ("survey_tests", "csv", "en", "Source: SYNTHETIC SAMPLE DATA (survey survey_responses.csv)"),
])
def test_cli_exports_carry_their_provenance(sample_db, tmp_path, table, fmt, lang, source):
    from openpyxl import load_workbook

    from dashboard.cli import main

    out = tmp_path / f"{table}.{fmt}"
    assert main(["export", table, "--format", fmt, "--lang", lang, "--out", str(out),
                 "--db", str(sample_db)]) == 0
    mark = "DATA CONTOH" if lang == "id" else "SAMPLE DATA"
    if fmt == "xlsx":
        book = load_workbook(out)
        assert book.sheetnames == ["data", "sumber" if lang == "id" else "source"]
        lines = [row[0] for row in book.worksheets[1].iter_rows(values_only=True)]
    else:  # the rows alone, as the contract says; the notes beside them
        assert out.read_text(encoding="utf-8-sig").splitlines()[0].startswith("test,")
        lines = (tmp_path / f"{table}.{fmt}.txt").read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith(mark)
    assert any(line.startswith(source) for line in lines), lines


@pytest.mark.parametrize(("lang", "mark", "source", "foreign"), [
    ("id", "DATA CONTOH", "Sumber: DATA CONTOH SINTETIS (pengiriman gelombang", "Source:"),
    ("en", "SAMPLE DATA", "Source: SYNTHETIC SAMPLE DATA (deliveries of waves", "Sumber:"),
])
def test_the_brief_says_its_sources_and_marks_sample_data(sample_db, lang, mark, source,
                                                          foreign):
    from dashboard.reports.brief import brief_html
    from dashboard.reports.weekly import weekly_summary

    with db.connect(sample_db, read_only=True) as conn:
        summary = weekly_summary(conn, "2024-W07", lang)
    page = brief_html(summary, static=False).decode("utf-8")  # plotly charts, no Chromium
    page = re.sub(r"<script.*?</script>", "", page, flags=re.DOTALL)  # plotly.js itself
    cover = page.split('<section class="page">')[1]
    assert mark in cover.split('class="masthead"')[0]  # above the title
    assert source in page
    assert foreign not in page


# --- a table of whole waves states their days (attack 5, finding 08) ----------------------
# W1 on 15 Jan; W2 sent on Sunday 21 Jan (23:00 WIB) and Monday 22 Jan
WHOLE_WAVE_LINES = [
    HEADER,
    receipt("m1", wave="W1", submitted="2024-01-15 10:00:00", done="2024-01-15 10:00:30"),
    receipt("m2", wave="W2", msisdn="081234567891", submitted="2024-01-21 23:00:00",
            done="2024-01-21 23:00:30"),
    receipt("m3", wave="W2", msisdn="081234567892", submitted="2024-01-22 10:00:00",
            done="2024-01-22 10:00:30"),
]


@pytest.mark.parametrize(("table", "day_from", "day_to", "period"), [
    # a filter on 22 Jan picks W2, counted whole: its notes state both its days
    ("reach_wave_operator_province", "2024-01-22", "2024-01-22",
     "Periode: 21 Jan 2024 – 22 Jan 2024 · Gelombang: W2"),
    ("reach_wave_operator_province", "2024-01-21", "2024-01-21",
     "Periode: 21 Jan 2024 – 22 Jan 2024 · Gelombang: W2"),
    # a table of days keeps to the filter's
    ("reach_wave", "2024-01-22", "2024-01-22", "Periode: 22 Jan 2024"),
])
def test_a_table_of_whole_waves_states_the_days_of_its_waves(tmp_path, table, day_from, day_to,
                                                             period):
    from dashboard.cli import main

    database = tmp_path / "w.duckdb"
    assert main(["init", "--db", str(database)]) == 0
    assert main(["ingest", "--db", str(database),
                 str(write(tmp_path, "receipts.csv", WHOLE_WAVE_LINES))]) == 0
    out = tmp_path / "t.csv"
    assert main(["export", table, "--db", str(database), "--from", day_from, "--to", day_to,
                 "--out", str(out)]) == 0
    notes = (tmp_path / "t.csv.txt").read_text(encoding="utf-8").splitlines()
    assert [line for line in notes if line.startswith("Periode")] == [period]


# --- a source line names the waves in the numbers, no more (attack 5, finding 07) ---------
@pytest.mark.parametrize(("waves", "written"), [
    (["W1", "W2", "W4"], "W1, W2, W4"),  # W3 has no receipts: no range over it
    (["SMS01", "SMS05", "SMS10"], "SMS01, SMS05, SMS10"),
    (["SMS01", "SMS02", "SMS03", "SMS04", "SMS05", "SMS07"], "SMS01–SMS05, SMS07"),
    (["SMS09", "SMS10", "SMS11"], "SMS09–SMS11"),
    (["SMS01", "SMS02"], "SMS01, SMS02"),
    (["W1", "W10", "W2", "W3"], "W1–W3, W10"),  # as the database sorts text: in wave order
    (["SB01", "SB02", "SB99"], "SB01, SB02, SB99"),
    (["SMS01", "SMS02", "SB03"], "SB03, SMS01, SMS02"),  # another prefix is another run
    ([], ""),
])
def test_source_lines_write_a_range_only_over_waves_all_in_the_numbers(waves, written):
    from dashboard.export.provenance import wave_span

    assert wave_span(waves) == written


# --- a weekly chart's press export names its own data (attack 5, finding 11) --------------
W06_MONDAY, W06_SUNDAY = dt.date(2024, 2, 5), dt.date(2024, 2, 11)
HOAX_CHART_FIRST = W06_MONDAY - dt.timedelta(weeks=11)  # twelve weeks ending with W06
HOAX_IN_CHART = [d for d in HOAX_DAYS if str(HOAX_CHART_FIRST) <= d <= str(W06_SUNDAY)]
OTHER_CHANNELS = ("status bar", "WhatsApp")

# (chart, the one source its line opens with, the period its subtitle names or None: the
# week's charts say the week alone)
WEEKLY_CHART_CASES = [
    ("weekly_trend", "Sumber: DATA CONTOH SINTETIS (pengiriman gelombang",
     f"Periode: {_indonesian(SMS_DAYS[0])} – "),
    ("hoax", "Sumber: DATA CONTOH SINTETIS (isu hoaks pemilu)",
     f"Periode: {_indonesian(HOAX_IN_CHART[0])} – {_indonesian(HOAX_IN_CHART[-1])}"),
    ("operators", "Sumber: DATA CONTOH SINTETIS (pengiriman gelombang", None),
    ("tile_map", "Sumber: DATA CONTOH SINTETIS (pengiriman gelombang", None),
]


@pytest.mark.parametrize(("chart", "source", "period"), WEEKLY_CHART_CASES)
def test_a_weekly_chart_s_press_export_names_its_own_sources_and_days(sample_db, chart,
                                                                      source, period):
    from dashboard.reports.weekly import weekly_summary

    with db.connect(sample_db, read_only=True) as conn:
        summary = weekly_summary(conn, "2024-W06", "id")
    origin = summary.chart_provenance[chart]
    assert len(origin.sources) == 1 and origin.sources[0].startswith(source)
    assert not [c for c in OTHER_CHANNELS if c in origin.footer]
    subtitle = summary.press_subtitle(chart)
    assert subtitle.startswith("DATA CONTOH · Pekan 2024-W06 · 5 Feb 2024 – 11 Feb 2024")
    assert (period in subtitle) if period else ("Periode" not in subtitle)


# --- the brief's headline finding cites the data it reads (attack 5, finding 14) -----------
def _receipts_in_every_province(tmp_path):
    """Own receipts (no manifest hash) in every province of 2024-W04, a different count in
    each, so the finding's Pearson correlation with the turnout change is defined."""
    codes = _column_of(config.REPO_ROOT / "dashboard" / "reference" / "provinces.csv", "code")
    lines = ["operator,message_id,wave_id,msisdn,province,submitted_at,done_at,status,"
             "error_code"]
    for j, code in enumerate(codes):
        lines += [receipt(f"m{j}-{i}", msisdn=f"0812{j:03d}{i:05d}", province=code,
                          submitted="2024-01-23 10:00:00", done="2024-01-23 10:00:10")
                  for i in range(1 + j % 5)]
    return write(tmp_path, "receipts_own.csv", lines)


def _own_election(tmp_path):
    """The sample's election results with every row's source 'KPU': another file."""
    text = (config.SAMPLE_DIR / "election_results.csv").read_text(encoding="utf-8")
    return write(tmp_path, "kpu.csv", text.replace("KPU+synthetic", "KPU").splitlines())


# (election file loaded beside own receipts, language, the election source the brief must
# cite (None: none loaded, the finding reads the hoax register or nothing), sample mark)
BRIEF_FINDING_CASES = [
    # the sample's results beside own receipts: one synthetic sentence, the receipts' real
    ("sample", "id", "Sumber: DATA CONTOH SINTETIS (hasil pemilu presiden 2019 dan 2024, "
                     "sebagian angka KPU), bukan rekap resmi KPU.", True),
    ("sample", "en", "Source: SYNTHETIC SAMPLE DATA (presidential election results 2019 and "
                     "2024, partly KPU figures), not the official KPU count.", True),
    ("own", "id", "Sumber: hasil pemilu presiden 2019 dan 2024 (KPU).", False),
    (None, "en", None, False),
]


@pytest.mark.parametrize(("election", "lang", "source", "sample"), BRIEF_FINDING_CASES)
def test_the_brief_cites_and_marks_the_election_results_of_its_finding(conn, tmp_path, election,
                                                                      lang, source, sample):
    from dashboard.reports.weekly import weekly_summary

    assert ingest_file(conn, _receipts_in_every_province(tmp_path)).ok
    if election:
        assert ingest_file(conn, config.SAMPLE_DIR / "election_results.csv" if election ==
                           "sample" else _own_election(tmp_path)).ok
    summary = weekly_summary(conn, "2024-W04", lang)
    assert ("Pearson" in summary.finding) is bool(election)
    elections = [s for s in summary.provenance.sources if "pemilu" in s or "election" in s]
    assert [s for s in summary.provenance.sources if "Telkomsel" in s]  # own receipts: real
    assert elections == ([source] if source else [])
    assert summary.provenance.sample is sample


# --- the hoax tests rest on the register, the waves and the survey (attack 5, finding 15) ---
def _own_copy(tmp_path, name: str, old: str, new: str):
    """A sample file with one value changed: a file of one's own (no manifest hash)."""
    text = (config.SAMPLE_DIR / name).read_text(encoding="utf-8")
    assert old in text
    return write(tmp_path, f"own_{name}", text.replace(old, new, 1).splitlines())


OWN_EDITS = {"hoax_register.csv": ("HX2023-0001,2023-01-15", "HX2023-0001,2023-01-16"),
             "survey_responses.csv": (",1.5436\n", ",1.5437\n"),
             "waves.csv": ("SMS01,sms,2023-12-04", "SMS01,sms,2023-12-05")}
SURVEY_SOURCE = ("Sumber: survei {file}, wawancara "
                 f"{_indonesian(SURVEY_DAYS[0])} – {_indonesian(SURVEY_DAYS[-1])}.")
SAMPLE_SURVEY = ("Sumber: DATA CONTOH SINTETIS (survei survey_responses.csv), bukan survei "
                 "lapangan.")
# the sample's waves catalogue has no sentence of its own: the line still says synthetic
SAMPLE_BEHIND = ("Sumber: sebagian data di balik angka ini DATA CONTOH SINTETIS, bukan data "
                 "sebenarnya.")

# (survey file, waves file, sample mark, survey sentence, the sentence that says synthetic)
# beside a register of one's own
HOAX_TEST_CASES = [
    ("sample", "own", True, SAMPLE_SURVEY, SAMPLE_SURVEY),
    ("own", "sample", True, SURVEY_SOURCE.format(file="own_survey_responses.csv"),
     SAMPLE_BEHIND),
    ("own", "own", False, SURVEY_SOURCE.format(file="own_survey_responses.csv"), None),
    (None, "own", False, None, None),
]


@pytest.mark.parametrize(("survey", "waves", "sample", "survey_source", "synthetic"),
                         HOAX_TEST_CASES)
def test_the_hoax_tests_cite_and_mark_the_survey_and_waves_they_hold(conn, tmp_path, survey,
                                                                     waves, sample,
                                                                     survey_source, synthetic):
    files = {"hoax_register.csv": "own", "survey_responses.csv": survey, "waves.csv": waves}
    for name, which in files.items():
        if which:
            path = (config.SAMPLE_DIR / name if which == "sample"
                    else _own_copy(tmp_path, name, *OWN_EDITS[name]))
            assert ingest_file(conn, path).ok, name
    origin = provenance(conn, data_of_table("hoax_tests"), Filters(), "id")
    # the register of Kominfo, the ministry in 2024, now published by Komdigi (item 19)
    assert origin.sources[0] == ("Sumber: register hoaks pemilu Kominfo (kini Komdigi): "
                                 "komdigi.go.id.")
    assert [s for s in origin.sources if "survei" in s] == (
        [survey_source] if survey_source else [])
    assert [s for s in origin.sources if "SINTETIS" in s] == ([synthetic] if synthetic else [])
    assert origin.sample is sample
    assert origin.subtitle.startswith("DATA CONTOH") is sample


# --- election data told apart by what each load stored (issue 18) ---------------------------
# A real-looking province file (its hash in no manifest) and the sample's synthetic regency
# file (known by its manifest hash; its rows all name a regency, source 'SINTETIS / synthetic
# sample'). Their load times are set by hand so the as-of stamps differ: the province file
# 10 Jan 2026 03:00 UTC = 10:00 WIB, the regency file 20 Feb 2026 05:30 UTC = 12:30 WIB.
PROVINCE_LINES = ["year,province,dpt,ballots_cast,valid_votes,invalid_votes,source",
                  "2019,ACEH,3523774,2889859,2804934,84925,KPU",
                  "2024,ACEH,3742037,3051239,2947329,103910,KPU"]
REGENCY_FILE = "election_results_regency_synthetic.csv"
PROVINCE_AS_OF = {"id": "Data per 10 Jan 2026 10:00 WIB", "en": "Data as of 10 Jan 2026 10:00 WIB"}
REGENCY_AS_OF = {"id": "Data per 20 Feb 2026 12:30 WIB", "en": "Data as of 20 Feb 2026 12:30 WIB"}
PROVINCE_SOURCE = {"id": "Sumber: hasil pemilu presiden 2019 dan 2024 (KPU).",
                   "en": "Source: presidential election results 2019 and 2024 (KPU)."}
# the sample's regency file: synthetic, said by the line itself (not the file's English
# 'SINTETIS / synthetic sample' label)
REGENCY_SOURCE = {"id": "Sumber: DATA CONTOH SINTETIS (hasil pemilu presiden per "
                        "kabupaten/kota 2019 dan 2024), bukan rekap resmi KPU.",
                  "en": "Source: SYNTHETIC SAMPLE DATA (presidential election results by "
                        "regency 2019 and 2024), not the official KPU count."}


def _load_elections(conn, tmp_path, files: str) -> None:
    """Load the province file, the regency file or both ('province', 'regency', 'both')."""
    if files in ("province", "both"):
        result = ingest_file(conn, write(tmp_path, "kpu_provinsi.csv", PROVINCE_LINES))
        assert result.ok and result.counts.loaded == 2
        conn.execute("UPDATE ingest_log SET finished_at = TIMESTAMPTZ '2026-01-10 03:00:00+00' "
                     "WHERE file_name = 'kpu_provinsi.csv'")
    if files in ("regency", "both"):
        assert ingest_file(conn, config.SAMPLE_DIR / REGENCY_FILE).ok
        conn.execute("UPDATE ingest_log SET finished_at = TIMESTAMPTZ '2026-02-20 05:30:00+00' "
                     "WHERE file_name = $name", {"name": REGENCY_FILE})


# (database, output's data, language, its election source sentence or None, as-of, sample)
ELECTION_CASES = [
    # province results plus the synthetic regencies: the province outputs are the real file's
    ("both", data_of_table("participation_provinces"), "id", PROVINCE_SOURCE, PROVINCE_AS_OF,
     False),
    ("both", data_of_figure("participation_scatter"), "en", PROVINCE_SOURCE, PROVINCE_AS_OF,
     False),
    ("both", data_of_figure("experiment_mde_curve", "regency"), "id", REGENCY_SOURCE,
     REGENCY_AS_OF, True),
    ("both", data_of_figure("experiment_balance", "regency"), "en", REGENCY_SOURCE,
     REGENCY_AS_OF, True),
    ("both", data_of_figure("experiment_mde_curve", "province"), "en", PROVINCE_SOURCE,
     PROVINCE_AS_OF, False),
    ("both", data_of_figure("experiment_balance", "province"), "id", PROVINCE_SOURCE,
     PROVINCE_AS_OF, False),
    # regencies alone: nothing behind a province view
    ("regency", data_of_table("participation_tests"), "id", None, None, False),
    ("regency", data_of_figure("experiment_mde_curve", "province"), "en", None, None, False),
    ("regency", data_of_figure("experiment_mde_curve", "regency"), "en", REGENCY_SOURCE,
     REGENCY_AS_OF, True),
    # provinces alone: nothing behind a regency design
    ("province", data_of_table("participation_provinces"), "en", PROVINCE_SOURCE,
     PROVINCE_AS_OF, False),
    ("province", data_of_figure("experiment_balance", "regency"), "id", None, None, False),
    ("province", data_of_figure("experiment_balance", "province"), "id", PROVINCE_SOURCE,
     PROVINCE_AS_OF, False),
]


@pytest.mark.parametrize(("files", "data", "lang", "source", "as_of", "sample"), ELECTION_CASES,
                         ids=[f"{c[0]}-{'-'.join(c[1])}-{c[2]}" for c in ELECTION_CASES])
def test_election_outputs_rest_on_the_loads_of_the_rows_they_read(conn, tmp_path, files, data,
                                                                  lang, source, as_of, sample):
    _load_elections(conn, tmp_path, files)
    origin = provenance(conn, data, Filters(), lang)
    assert origin.sources == ((source[lang],) if source else ())
    assert origin.as_of == (as_of[lang] if as_of else "")
    assert origin.sample is sample
    assert origin.subtitle.startswith("DATA CONTOH" if lang == "id" else "SAMPLE DATA") is sample


def _freeze(conn, unit: str) -> None:
    """A frozen cluster plan of this unit, not synthetic itself (the sample's plan, changed):
    whether its outputs are sample data then rests on the election rows alone."""
    from dashboard.experiment import plan

    frozen = plan.read_plan(config.SAMPLE_DIR / "experiment_plan_sample.json")
    frozen = {**frozen, "experiment_id": f"NYATA-{unit}", "unit": unit, "synthetic": False}
    if unit == "province":
        frozen["assignment"] = [{"arm": "holdout", "stratum": "sumatera", "unit_code": 11},
                                {"arm": "blast", "stratum": "sumatera", "unit_code": 12}]
    plan.freeze(conn, frozen)


# (database, frozen experiments' units, export or figure data, election source, sample)
RESULT_CASES = [
    ("both", ("regency",), data_of_table("experiment_results"), REGENCY_SOURCE, True),
    ("both", ("regency",), data_of_figure("experiment_effect"), REGENCY_SOURCE, True),
    ("both", ("province",), data_of_table("experiment_results"), PROVINCE_SOURCE, False),
    ("both", ("province",), data_of_figure("experiment_effect"), PROVINCE_SOURCE, False),
    ("province", ("regency",), data_of_table("experiment_results"), None, False),
    ("regency", ("province",), data_of_figure("experiment_effect"), None, False),
    ("both", (), data_of_table("experiment_results"), None, False),
]


@pytest.mark.parametrize(("files", "units", "data", "source", "sample"), RESULT_CASES,
                         ids=[f"{c[0]}-{'+'.join(c[1]) or 'none'}-{i}"
                              for i, c in enumerate(RESULT_CASES)])
def test_experiment_results_rest_on_the_election_rows_of_their_unit(conn, tmp_path, files,
                                                                    units, data, source,
                                                                    sample):
    _load_elections(conn, tmp_path, files)
    for unit in units:
        _freeze(conn, unit)
    origin = provenance(conn, data, Filters(), "id")
    elections = [s for s in origin.sources if "hasil pemilu" in s]
    assert elections == ([source["id"]] if source else [])
    assert origin.sample is sample


def test_a_file_of_provinces_and_regencies_is_behind_both(conn, tmp_path):
    """One file with a province row and a regency row stored both: each view rests on it."""
    mixed = write(tmp_path, "campuran.csv", [
        "year,province,regency,dpt,ballots_cast,valid_votes,invalid_votes,source",
        "2024,ACEH,,3742037,3051239,2947329,103910,KPU",
        "2024,ACEH,KAB. ACEH SELATAN,251220,201323,194245,7078,KPU kab"])
    assert ingest_file(conn, mixed, sample=True).ok
    for data, source in ((data_of_table("participation_provinces"),
                          "Sumber: DATA CONTOH SINTETIS (hasil pemilu presiden 2024, sebagian "
                          "angka KPU), bukan rekap resmi KPU."),
                         (data_of_figure("experiment_mde_curve", "regency"),
                          "Sumber: DATA CONTOH SINTETIS (hasil pemilu presiden per "
                          "kabupaten/kota 2024), bukan rekap resmi KPU.")):
        origin = provenance(conn, data, Filters(), "id")
        assert origin.sources == (source,)
        assert origin.sample


@pytest.mark.parametrize(("name", "unit", "data"), [
    ("experiment_mde_curve", "regency", ("election_regency",)),
    ("experiment_balance", "province", ("election",)),
    ("experiment_effect", "regency", ("experiment", "election_regency", "receipts", "survey")),
    ("experiment_effect", "number", ("experiment", "receipts", "survey")),
    ("participation_scatter", "regency", ("receipts", "election")),
])
def test_an_experiment_figure_reads_the_election_results_of_its_unit(name, unit, data):
    assert data_of_figure(name, unit) == data


@pytest.mark.parametrize(("columns", "lang", "column_notes"), [
    (["operator", "sent", "latency_p50_s", "latency_p90_s"], "id",
     ["Persentil dari histogram (bisa meleset hingga sekitar 19%), hanya pesan yang diterima."]),
    (["province_code", "latency_p99_s"], "en",
     ["Percentiles from a histogram (accurate to about 19%), delivered messages only."]),
    (["operator", "sent", "delivery_rate"], "id", []),
])
def test_a_table_exports_notes_say_what_its_latency_columns_are(columns, lang, column_notes):
    origin = Provenance(sources=("Sumber: laporan operator.",), period="Periode: Jan 2024",
                        as_of="Data per 1 Feb 2024", sample=False, lang=lang)
    assert origin.table_lines(columns) == ["Sumber: laporan operator.", "Periode: Jan 2024",
                                           "Data per 1 Feb 2024", *column_notes]
