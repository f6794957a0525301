"""Mailed subscriptions (issue 16, point 3): the weekly brief as a PDF attachment with a short
HTML body of the week's KPIs, over SMTP (STARTTLS and login from the environment), one message
per recipient, each built for the recipient's own language and province scope.

Settings: PEMILU_SMTP_HOST, PEMILU_SMTP_PORT (587), PEMILU_SMTP_USER and PEMILU_SMTP_PASSWORD
(login when set), PEMILU_SMTP_FROM, PEMILU_SMTP_STARTTLS (1; 0 only for a relay on the same
host), PEMILU_SMTP_CAFILE (a CA to trust besides the system's, e.g. an internal relay's).
A schedule file lists the recipients:

    [[recipient]]
    to = "menteri@example.go.id"
    lang = "id"                  # id | en
    provinces = []               # empty: the whole country

With an access file (PEMILU_ACCESS) a recipient's provinces are the file's for that address,
whatever the schedule says, and an address the file does not know gets nothing.
"""

from __future__ import annotations

import datetime as dt
import html
import os
import smtplib
import ssl
import tomllib
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path

import duckdb

from dashboard import access, config, reference
from dashboard.i18n import normalize_lang, t
from dashboard.reports.weekly import WeeklySummary, week_bounds, weekly_summary, weeks_with_data

SMTP_ENV = "PEMILU_SMTP_"


class DeliveryError(config.ConfigError):
    """A delivery that cannot be made, in one line."""


@dataclass(frozen=True)
class Recipient:
    to: str
    lang: str = "id"
    provinces: tuple[int, ...] = ()  # empty: the whole country


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int = 587
    user: str | None = None
    password: str | None = None
    sender: str = "pemilu-damai@localhost"
    starttls: bool = True
    cafile: str | None = None

    @classmethod
    def from_env(cls) -> SmtpSettings:
        env = {k.removeprefix(SMTP_ENV): v for k, v in os.environ.items()
               if k.startswith(SMTP_ENV)}
        if not env.get("HOST"):
            raise DeliveryError("no mail server: set PEMILU_SMTP_HOST (and PEMILU_SMTP_PORT, "
                                "PEMILU_SMTP_USER, PEMILU_SMTP_PASSWORD, PEMILU_SMTP_FROM)")
        return cls(host=env["HOST"], port=int(env.get("PORT") or 587),
                   user=env.get("USER") or None, password=env.get("PASSWORD") or None,
                   sender=env.get("FROM") or cls.sender,
                   starttls=(env.get("STARTTLS") or "1") not in ("0", "false", "no"),
                   cafile=env.get("CAFILE") or None)


def read_schedule(path: Path) -> list[Recipient]:
    """The recipients of a schedule file (TOML, [[recipient]] tables)."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise DeliveryError(f"cannot read the schedule {path}: {exc}") from None
    known = set(reference.provinces()["province_code"].astype(int))
    recipients = []
    for number, entry in enumerate(data.get("recipient", []), start=1):
        to = str(entry.get("to") or "").strip()
        provinces = tuple(int(p) for p in entry.get("provinces", []))
        if "@" not in to or any(p not in known for p in provinces):
            raise DeliveryError(f"{path}: recipient {number} needs an address in 'to' and "
                                "known province codes in 'provinces'")
        recipients.append(Recipient(to, normalize_lang(entry.get("lang", "id")), provinces))
    return recipients


def scoped(recipients: list[Recipient]) -> list[Recipient]:
    """With an access file, each address gets the file's provinces; unknown ones nothing."""
    path = access.access_file()
    if path is None:
        return recipients
    rules = access.load_rules(path, set(reference.provinces()["province_code"].astype(int)))
    return [Recipient(r.to, r.lang, rules[r.to.lower()].provinces)
            for r in recipients if r.to.lower() in rules]


def last_complete_week(conn: duckdb.DuckDBPyConnection, today: dt.date) -> str:
    """The latest ISO week with receipts whose Sunday is before today."""
    for week in weeks_with_data(conn):  # latest first
        if week_bounds(week)[1] < today:
            return week
    raise DeliveryError(f"no complete week with receipts before {today}")


def message(summary: WeeklySummary, pdf: bytes, sender: str, recipient: Recipient) -> EmailMessage:
    """The brief's message: subject, the KPIs as text and HTML, the PDF attached."""
    lang = recipient.lang
    title = t("weekly.brief_title", lang)
    mail = EmailMessage()
    mail["Subject"] = f"{title} Pemilu Damai 2024 · {summary.iso_week}"
    mail["From"], mail["To"] = sender, recipient.to
    lines = [f"{t('weekly.week', lang)} {summary.iso_week} · {summary.period_text}"]
    if summary.provenance is not None and summary.provenance.sample:
        lines.insert(0, summary.provenance.sample_note)
    kpis = [(t(f"weekly.kpi.{kpi.key}", lang),
             f"{kpi.formatted(lang)} ({kpi.formatted_change(lang)} "
             f"{t('weekly.vs_previous', lang, week=summary.previous_week[-3:])})")
            for kpi in summary.kpis.values()]
    notes = summary.reach_notes  # what the unique reach above estimates or leaves out
    text = "\n".join([*lines, "", *(f"{label}: {value}" for label, value in kpis), *notes,
                      "", t("deliver.attached", lang)])
    mail.set_content(text)
    rows = "".join(f"<tr><td>{html.escape(label)}</td><td><b>{html.escape(value)}</b></td></tr>"
                   for label, value in kpis)
    mail.add_alternative(
        "<html><body>" + "".join(f"<p>{html.escape(line)}</p>" for line in lines)
        + f"<table>{rows}</table>" + "".join(f"<p>{html.escape(n)}</p>" for n in notes)
        + f"<p>{html.escape(t('deliver.attached', lang))}</p>"
        "</body></html>", subtype="html")
    mail.add_attachment(pdf, maintype="application", subtype="pdf",
                        filename=f"ringkasan-mingguan-{summary.iso_week}-{lang}.pdf")
    return mail


def send(messages: list[EmailMessage], settings: SmtpSettings) -> None:
    context = ssl.create_default_context(cafile=settings.cafile)
    try:
        with smtplib.SMTP(settings.host, settings.port, timeout=60) as smtp:
            smtp.ehlo()
            if settings.starttls:
                smtp.starttls(context=context)
                smtp.ehlo()
            if settings.user:
                smtp.login(settings.user, settings.password or "")
            for mail in messages:
                smtp.send_message(mail)
    except (OSError, smtplib.SMTPException) as exc:
        raise DeliveryError(f"the mail server {settings.host}:{settings.port} refused or "
                            f"failed: {exc}") from None


def deliver(conn: duckdb.DuckDBPyConnection, week: str, recipients: list[Recipient],
            settings: SmtpSettings) -> list[str]:
    """Build every recipient's brief (their language and scope) and send them; the addresses
    sent to."""
    from dashboard.reports.brief import brief_pdf_bytes

    messages = []
    for recipient in scoped(recipients):
        summary = weekly_summary(conn, week, recipient.lang, recipient.provinces)
        messages.append(message(summary, brief_pdf_bytes(summary), settings.sender, recipient))
    send(messages, settings)
    return [str(m["To"]) for m in messages]


def alert_message(alerts: list, sender: str, recipient: Recipient) -> EmailMessage:
    """New alerts, one per line, in one message."""
    mail = EmailMessage()
    mail["Subject"] = f"{t('alert.title', recipient.lang)} Pemilu Damai 2024 ({len(alerts)})"
    mail["From"], mail["To"] = sender, recipient.to
    mail.set_content("\n".join(f"- {a.message}" for a in alerts))
    return mail


def deliver_alerts(db_path: Path, recipients: list[Recipient], settings: SmtpSettings,
                   as_of: dt.date | None = None) -> int:
    """Mail the alerts that fire now and were never mailed (each once); how many were new.
    The database records what was sent, after the server accepted it."""
    from dashboard.service.alerts import evaluate, load_rules
    from dashboard.store import db

    with db.connect(db_path, read_only=True) as conn:
        sent = {r[0] for r in conn.execute("SELECT key FROM alerts_sent").fetchall()}
        rules = load_rules()
        # each reader's alerts in their language and for their provinces (a scoped reader
        # never gets another province's rate, nor a national rate beside the scope's own)
        fired = {(r.lang, r.provinces): [a for a in evaluate(conn, rules, r.lang, as_of,
                                                             r.provinces)
                                         if a.key not in sent]
                 for r in recipients}
    mails = [alert_message(fired[r.lang, r.provinces], settings.sender, r)
             for r in recipients if fired[r.lang, r.provinces]]
    if not mails:
        return 0
    send(mails, settings)
    new = {a.key for alerts in fired.values() for a in alerts}
    with db.connect(db_path) as conn:
        conn.executemany("INSERT OR IGNORE INTO alerts_sent VALUES ($key, now())",
                         [{"key": key} for key in sorted(new)])
    return len(new)
