"""Mailed briefs (issue 16, point 3) through a real local SMTP server (aiosmtpd) that offers
STARTTLS and requires a login over TLS: the message, its PDF attachment, each recipient's
language and province scope (nothing outside it in the attachment), 'last' week."""

from __future__ import annotations

import datetime as dt
import re
import subprocess

import pytest

pytest.importorskip("aiosmtpd", reason="pip install -r requirements-dev.txt")

from dashboard import reference  # noqa: E402
from dashboard.cli import main  # noqa: E402
from dashboard.export.figures import chromium_available  # noqa: E402
from dashboard.service.deliver import last_complete_week  # noqa: E402
from dashboard.store import db

pytestmark = pytest.mark.skipif(not chromium_available(), reason="the PDF brief needs Chromium")
def _pdf_text(part, tmp_path) -> str:
    path = tmp_path / part.get_filename()
    path.write_bytes(part.get_content())
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True,
                          text=True, check=True).stdout


def test_each_recipient_gets_the_brief_in_their_language_and_scope(smtp, sample_db, tmp_path):
    schedule = tmp_path / "schedule.toml"
    schedule.write_text('[[recipient]]\nto = "menteri@example.go.id"\nlang = "id"\n\n'
                        '[[recipient]]\nto = "jabar@example.go.id"\nlang = "en"\n'
                        'provinces = [32]\n', encoding="utf-8")
    assert main(["deliver", "--week", "2024-W07", "--schedule", str(schedule),
                 "--db", str(sample_db)]) == 0
    by_address = {str(m["To"]): m for m in smtp.messages}
    assert set(by_address) == {"menteri@example.go.id", "jabar@example.go.id"}
    national, west_java = by_address["menteri@example.go.id"], by_address["jabar@example.go.id"]
    assert national["Subject"] == "Ringkasan Mingguan Pemilu Damai 2024 · 2024-W07"
    assert west_java["Subject"] == "Weekly Summary Pemilu Damai 2024 · 2024-W07"
    for mail, marker in ((national, "SMS terkirim"), (west_java, "SMS sent")):
        body = mail.get_body(("html",)).get_content()
        assert marker in body and "DATA" in body  # the KPIs, and the sample says so
        (pdf,) = [p for p in mail.iter_attachments()]
        assert pdf.get_content_type() == "application/pdf"
        assert pdf.get_content()[:5] == b"%PDF-"
    national_text = _pdf_text(next(national.iter_attachments()), tmp_path)
    scoped_text = _pdf_text(next(west_java.iter_attachments()), tmp_path)
    assert "Jawa Barat" in scoped_text
    # the provinces the national brief gives numbers for (top and bottom five): outside the
    # scope, the scoped brief may name one on the map's grid, never on a line with a number
    names = [n for n in reference.provinces()["name"] if n != "Jawa Barat"]
    numbered = [n for n in names if any(n in line and re.search(r"\d", line)
                                        for line in national_text.splitlines())]
    assert len(numbered) >= 5, numbered
    for name in numbered:
        assert all(not re.search(r"\d", line) for line in scoped_text.splitlines()
                   if name in line), name


def test_an_access_file_decides_the_scope_and_who_gets_anything(smtp, sample_db, tmp_path,
                                                                 monkeypatch):
    rules = tmp_path / "access.toml"
    rules.write_text('[[users]]\nemail = "jabar@example.go.id"\nroles = ["leadership"]\n'
                     'provinces = [32]\n', encoding="utf-8")
    monkeypatch.setenv("PEMILU_ACCESS", str(rules))
    assert main(["deliver", "--week", "2024-W07", "--to", "jabar@example.go.id",
                 "stranger@example.com", "--db", str(sample_db)]) == 0
    assert [str(m["To"]) for m in smtp.messages] == ["jabar@example.go.id"]
    text = _pdf_text(next(smtp.messages[0].iter_attachments()), tmp_path)
    assert "Jawa Barat" in text
    assert all(not re.search(r"\d", line) for line in text.splitlines() if "Aceh" in line)


def test_a_wrong_password_is_one_clear_line(smtp, sample_db, monkeypatch, capsys):
    monkeypatch.setenv("PEMILU_SMTP_PASSWORD", "salah")
    assert main(["deliver", "--week", "2024-W07", "--to", "a@example.go.id",
                 "--db", str(sample_db)]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("error: the mail server 127.0.0.1:") and len(err.splitlines()) == 1
    assert smtp.messages == []


@pytest.mark.parametrize(("today", "week"), [
    (dt.date(2024, 2, 19), "2024-W07"),  # Monday after the last sends: W07 is complete
    (dt.date(2024, 2, 18), "2024-W06"),  # W07's Sunday: not complete yet
    (dt.date(2026, 12, 5), "2024-W07"),
])
def test_last_is_the_latest_complete_week_with_receipts(sample_db, today, week):
    with db.connect(sample_db, read_only=True) as conn:
        assert last_complete_week(conn, today) == week


def test_alerts_are_mailed_once_when_they_first_fire(smtp, tmp_path):
    from dashboard.ingest import ingest_file
    from tests.conftest import HEADER, receipt, write

    db_path = tmp_path / "alerts.duckdb"
    lines = [HEADER, *(receipt(f"x{n}", msisdn=f"0817{n:08d}", operator="xl",
                               status="DELIVRD" if n < 150 else "UNDELIV")
                       for n in range(200))]  # 75 % delivered: below the default 90 %
    with db.connect(db_path) as conn:
        assert ingest_file(conn, write(tmp_path, "xl.csv", lines)).ok
    args = ["deliver", "--alerts", "--to", "ops@example.go.id", "--lang", "en",
            "--db", str(db_path)]
    assert main(args) == 0
    assert len(smtp.messages) == 1
    assert "XL Axiata's delivery rate is 75.0%" in smtp.messages[0].get_content()
    assert main(args) == 0  # nothing new: nothing mailed
    assert len(smtp.messages) == 1


def test_alerts_are_mailed_to_each_reader_for_their_provinces(smtp, tmp_path, monkeypatch):
    from dashboard.ingest import ingest_file
    from tests.conftest import HEADER, receipt, write

    db_path = tmp_path / "alerts.duckdb"
    lines = [HEADER, *(receipt(f"a{n}", msisdn=f"0812{n:08d}", province="32")
                       for n in range(200)),
             *(receipt(f"b{n}", msisdn=f"0813{n:08d}", province="94",
                       status="DELIVRD" if n < 100 else "UNDELIV") for n in range(200))]
    with db.connect(db_path) as conn:  # Jawa Barat 100 %, Papua Tengah 50 %: 75 % in all
        assert ingest_file(conn, write(tmp_path, "t.csv", lines)).ok
    rules = tmp_path / "access.toml"
    rules.write_text('[[users]]\nemail = "jabar@example.go.id"\nroles = ["leadership"]\n'
                     'provinces = [32]\n\n[[users]]\nemail = "pusat@example.go.id"\n'
                     'roles = ["leadership"]\n', encoding="utf-8")
    monkeypatch.setenv("PEMILU_ACCESS", str(rules))
    assert main(["deliver", "--alerts", "--to", "jabar@example.go.id", "pusat@example.go.id",
                 "--lang", "en", "--db", str(db_path)]) == 0
    # Jawa Barat's reader is told no rate (theirs is 100 %; both are told the hoax register
    # is stale, a national fact); the national reader gets Telkomsel's 75 % (before: both did)
    mails = {str(m["To"]): m.get_content() for m in smtp.messages}
    assert "delivery rate" not in mails["jabar@example.go.id"]
    assert "Telkomsel's delivery rate is 75.0%" in mails["pusat@example.go.id"]
