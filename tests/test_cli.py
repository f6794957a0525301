"""The command line: exit codes, one-line reasons, and exports with the page's numbers."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from dashboard.cli import main
from dashboard.filters import Filters
from dashboard.reports import tables
from dashboard.store import db
from tests.conftest import HEADER, receipt, write


@pytest.fixture
def loaded_db(tmp_path):
    path = tmp_path / "cli.duckdb"
    files = write(tmp_path, "r.csv", [HEADER, receipt("M1"), receipt("M2", operator="xl",
                  msisdn="081712345678"), receipt("M3", status="UNDELIV", error="027")])
    assert main(["ingest", str(files), "--db", str(path)]) == 0
    return path


def test_ingest_reports_counts_and_succeeds(tmp_path, capsys):
    path = write(tmp_path, "r.csv", [HEADER, receipt("M1"), receipt("M2", msisdn="08ABC")])
    assert main(["ingest", str(path), "--db", str(tmp_path / "x.duckdb")]) == 0
    assert "2 rows read: 1 loaded, 0 duplicate, 0 superseded, 1 rejected" in capsys.readouterr().out


def test_ingest_of_a_bad_file_exits_non_zero_with_a_reason(tmp_path, capsys):
    path = tmp_path / "empty.csv"
    path.write_bytes(b"")
    assert main(["ingest", str(path), "--db", str(tmp_path / "x.duckdb"), "--lang", "en"]) == 1
    captured = capsys.readouterr()
    assert "empty.csv: the file is empty" in captured.out
    assert captured.err.strip().startswith("error: 1 of 1 file(s) failed")


@pytest.mark.parametrize("table", ["reach_operator", "reach_province",
                                   "reach_operator_province", "reach_wave", "data_quality"])
@pytest.mark.parametrize("fmt", ["csv", "json", "xlsx"])
def test_export_writes_the_same_numbers_as_the_table(loaded_db, tmp_path, table, fmt):
    out = tmp_path / f"{table}.{fmt}"
    # English: the contract's names in every format (Indonesian headers: test_export_headers)
    assert main(["export", table, "--format", fmt, "--out", str(out), "--db",
                 str(loaded_db), "--lang", "en"]) == 0
    with db.connect(loaded_db, read_only=True) as conn:
        expected = tables.table(conn, table, Filters())
    if fmt == "csv":
        got = pd.read_csv(out, encoding="utf-8-sig")
    elif fmt == "json":
        got = pd.DataFrame(json.loads(out.read_text(encoding="utf-8")))
    else:
        got = pd.read_excel(out)
    assert list(got.columns) == list(expected.columns)
    for column in ("sent", "delivered", "unique_reach", "rows_read", "loaded"):
        if column in expected:
            assert got[column].tolist() == expected[column].tolist()


def test_export_applies_filters(loaded_db, tmp_path):
    out = tmp_path / "op.json"
    assert main(["export", "reach_operator", "--format", "json", "--out", str(out),
                 "--db", str(loaded_db), "--operator", "xl"]) == 0
    rows = json.loads(out.read_text())
    assert [(r["operator"], r["sent"]) for r in rows] == [("xl", 1)]


@pytest.mark.parametrize(("args", "message"), [
    (["export", "nope", "--out", "x.csv", "--lang", "en"], "unknown table"),
    (["export", "reach_operator", "--out", "x.csv", "--db", "/nonexistent/x.duckdb",
      "--lang", "en"], "no database"),
])
def test_export_errors_are_one_line(args, message, capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main(args) != 0
    err = capsys.readouterr().err.strip()
    assert message in err and len(err.splitlines()) == 1


def test_sql_injection_in_a_cli_filter_has_no_effect(loaded_db, tmp_path):
    out = tmp_path / "x.json"
    assert main(["export", "reach_operator", "--format", "json", "--out", str(out), "--db",
                 str(loaded_db), "--operator", "xl' OR 1=1 --"]) == 2  # an unknown operator
    assert not out.exists()


# loaded_db: telkomsel sent M1 and M3, xl sent M2; all wave SMS01, province 32, 5 Dec 2023
@pytest.mark.parametrize(("flags", "sent"), [
    (["--operator", "Telkomsel"], 2),               # the display name every chart writes
    (["--operator", "TELKOMSEL"], 2),               # a spelling ingest accepts
    (["--operator", "XL Axiata"], 1),
    (["--wave", "sms01"], 3),                       # a wave id in another case
    (["--province", "Jawa Barat"], 3),              # a province by its name
    (["--province", "31"], 0),                      # known, no receipts there: a true 0
    (["--from", "2024-01-01"], 0),                  # a known period without receipts
    (["--from", "2023-12-05", "--to", "2023-12-05"], 3),
])
def test_export_reads_filter_values_as_people_write_them(loaded_db, tmp_path, flags, sent):
    out = tmp_path / "t.json"
    assert main(["export", "reach_totals", "--format", "json", "--out", str(out), "--db",
                 str(loaded_db), *flags]) == 0
    assert json.loads(out.read_text())[0]["sent"] == sent


@pytest.mark.parametrize(("flags", "lang", "reason"), [
    (["--operator", "Telkomsel Pro"], "en",
     "--operator 'Telkomsel Pro' is not known and matches no data; known: telkomsel "
     "(Telkomsel), "),
    (["--wave", "SMS09"], "en", "--wave 'SMS09' is not known and matches no data; known: SMS01"),
    (["--province", "99"], "id", "--province '99' tidak dikenal dan tidak cocok dengan data "
     "apa pun; yang dikenal: 11 Aceh, 12 Sumatera Utara, "),
    (["--from", "2023-12-06", "--to", "2023-12-05"], "en",
     "reversed period: --from 2023-12-06 is after --to 2023-12-05"),
    (["--from", "2023-12-06", "--to", "2023-12-05"], "id",
     "periode terbalik: --from 2023-12-06 jatuh setelah --to 2023-12-05"),
])
@pytest.mark.parametrize("command", ["export", "figure"])
def test_a_filter_value_that_matches_nothing_known_is_refused(loaded_db, tmp_path, capsys,
                                                              command, flags, lang, reason):
    out = tmp_path / "x.html"
    what = ["reach_totals", "--format", "json"] if command == "export" else [
        "daily_trend", "--format", "html"]
    assert main([command, *what, "--out", str(out), "--db", str(loaded_db), "--lang", lang,
                 *flags]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith(f"error: {reason}") and len(err.splitlines()) == 1
    assert not out.exists()


def test_hoax_exports_reconcile_with_the_register(tmp_path):
    from dashboard import config

    path = tmp_path / "hoax.duckdb"
    assert main(["ingest", str(config.SAMPLE_DIR / "hoax_register.csv"), "--db", str(path)]) == 0
    weekly_out, tests_out = tmp_path / "weekly.json", tmp_path / "tests.csv"
    assert main(["export", "hoax_weekly", "--format", "json", "--out", str(weekly_out),
                 "--db", str(path)]) == 0
    assert main(["export", "hoax_tests", "--out", str(tests_out), "--db", str(path)]) == 0
    weekly = json.loads(weekly_out.read_text())
    with db.connect(path, read_only=True) as conn:
        election_issues = conn.execute(
            "SELECT count(*) FROM hoax_reports WHERE election_related").fetchall()[0][0]
    assert sum(row["issues"] for row in weekly) == election_issues
    assert {"week_start", "issues", "content_items", "taken_down"} <= set(weekly[0])
    tests = pd.read_csv(tests_out, encoding="utf-8-sig")
    assert list(tests.columns) == ["test", "group", "outcome", "estimate", "ci_low", "ci_high",
                                   "p_value", "p_adjusted", "n"]


def test_participation_export_for_a_period_without_receipts_is_empty_not_a_crash(tmp_path):
    from dashboard import config

    path = tmp_path / "p.duckdb"
    assert main(["ingest", str(config.SAMPLE_DIR / "election_results.csv"), "--db",
                 str(path)]) == 0
    out = tmp_path / "p.csv"
    assert main(["export", "participation_tests", "--to", "2023-11-01", "--out", str(out),
                 "--db", str(path)]) == 0
    assert pd.read_csv(out, encoding="utf-8-sig").empty


def test_participation_export_can_leave_out_the_noken_provinces(tmp_path):
    from dashboard import config

    path = tmp_path / "n.duckdb"
    assert main(["ingest", str(config.SAMPLE_DIR / "election_results.csv"), str(
        config.SAMPLE_DIR / "receipts_xl_sms01-07.txt.gz"), "--db", str(path)]) == 0
    counts = {}
    for flag in ([], ["--exclude-noken"]):
        out = tmp_path / f"p{len(flag)}.csv"
        assert main(["export", "participation_tests", "--out", str(out), "--db", str(path),
                     *flag]) == 0
        counts[bool(flag)] = set(pd.read_csv(out, encoding="utf-8-sig")["n"])
    assert counts == {False: {34}, True: {33}}  # Papua (91) is the noken unit of 2019


@pytest.mark.parametrize(("mode", "secret", "loads"), [
    ("production", "", False),        # real data: the key is required
    ("production", "a-real-key-of-32-or-more-characters", True),
    ("development", "", True),        # the development key, announced
    (None, "", True),                 # no mode set means development
])
def test_the_pseudonym_key_is_required_outside_development(tmp_path, capsys, caplog,
                                                           monkeypatch, mode, secret, loads):
    from dashboard import config

    config._warn_dev_secret.cache_clear()
    if mode is None:
        monkeypatch.delenv("PEMILU_ENV", raising=False)
    else:
        monkeypatch.setenv("PEMILU_ENV", mode)
    monkeypatch.setenv("PEMILU_SECRET", secret)
    path = write(tmp_path, "r.csv", [HEADER, receipt("M1")])
    code = main(["ingest", str(path), "--db", str(tmp_path / "k.duckdb"), "--lang", "en"])
    err = capsys.readouterr().err
    if loads:
        assert code == 0
        assert ("development secret" in caplog.text) == (secret == "")
    else:
        assert code == 2
        assert err.strip().startswith("error: PEMILU_SECRET must be set when PEMILU_ENV is "
                                      "production: use a random value of 32 or more")
        assert len(err.strip().splitlines()) == 1
        with db.connect(tmp_path / "k.duckdb", read_only=True) as conn:
            assert conn.execute("SELECT count(*) FROM receipts").fetchall()[0][0] == 0
