"""Alerts (issue 16, point 4): rules in a small TOML file, evaluated in data time.

    [[rule]]
    kind = "delivery_rate_below"     # an operator's or province's rate this week below
    by = "operator"                  # operator | province
    threshold = 0.90
    [[rule]]
    kind = "delivery_rate_drop"      # ... or down by more than `points` on last week
    by = "province"
    points = 5
    [[rule]]
    kind = "operator_file_missing"   # an expected operator sent nothing for a wave by its
                                     # send day + 1 (expected: it delivered earlier waves)
    [[rule]]
    kind = "reject_rate_above"       # a file's rejected (or warned) share of its records
    threshold = 0.05
    [[rule]]
    kind = "warning_rate_above"
    threshold = 0.10
    [[rule]]
    kind = "hoax_data_stale"         # no new hoax report for `weeks` weeks
    weeks = 2

Data time: `as_of` is the latest send day in the data unless given, never the wall clock, so
a historical campaign does not raise the same alert for ever. Without a rules file the
defaults below apply ($PEMILU_ALERTS names another file).
"""

from __future__ import annotations

import datetime as dt
import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pandas as pd

from dashboard import config
from dashboard.i18n import format_date, format_number, format_percent, t
from dashboard.reports import tables
from dashboard.store import db

ALERTS_ENV = "PEMILU_ALERTS"
KINDS = ("delivery_rate_below", "delivery_rate_drop", "operator_file_missing",
         "reject_rate_above", "warning_rate_above", "hoax_data_stale")
DEFAULT_RULES = (
    {"kind": "delivery_rate_below", "by": "operator", "threshold": 0.90},
    {"kind": "delivery_rate_drop", "by": "operator", "points": 5},
    {"kind": "operator_file_missing"},
    {"kind": "reject_rate_above", "threshold": 0.05},
    {"kind": "hoax_data_stale", "weeks": 2},
)
MIN_RECEIPTS = 100  # a rate on fewer final receipts says too little to alert on


class AlertRulesError(config.ConfigError):
    """A rules file that cannot be used, in one line."""


@dataclass(frozen=True)
class Rule:
    kind: str
    by: str = "operator"
    threshold: float = 0.0
    points: float = 0.0
    weeks: int = 2


@dataclass(frozen=True)
class Alert:
    kind: str
    subject: str  # what it is about: an operator, a province, a file, a wave
    message: str  # one sentence in the reader's language
    key: str = field(default="")  # identifies the alert across runs (sent once)


def load_rules(path: Path | None = None) -> list[Rule]:
    """The rules of path, of $PEMILU_ALERTS, or the defaults."""
    path = path or (Path(os.environ[ALERTS_ENV]) if os.environ.get(ALERTS_ENV) else None)
    if path is None:
        return [Rule(**r) for r in DEFAULT_RULES]
    try:
        entries = tomllib.loads(path.read_text(encoding="utf-8")).get("rule", [])
        rules = [Rule(**entry) for entry in entries]
    except (OSError, tomllib.TOMLDecodeError, TypeError) as exc:
        raise AlertRulesError(f"cannot read the alert rules {path}: {exc}") from None
    for rule in rules:
        if rule.kind not in KINDS or rule.by not in ("operator", "province"):
            raise AlertRulesError(f"{path}: unknown rule kind {rule.kind!r} or 'by' {rule.by!r}"
                                  f"; kinds: {', '.join(KINDS)}")
    return rules


def data_day(conn: duckdb.DuckDBPyConnection) -> dt.date | None:
    """The latest send day in the data: the alerts' 'today'."""
    day = conn.execute("SELECT max(send_date) FROM receipt_counts").fetchall()[0][0]
    return day


def evaluate(conn: duckdb.DuckDBPyConnection, rules: list[Rule], lang: str = "id",
             as_of: dt.date | None = None, scope: tuple[int, ...] = ()) -> list[Alert]:
    """The alerts that fire on the data as of `as_of` (default: the latest send day) for a
    reader whose province scope is `scope` (empty: the whole country): delivery rates count
    the scope's receipts only, so a scoped reader sees neither another province's rate nor a
    national operator rate beside the scope's own. The other rules are about whole files, waves
    and the national hoax register, the same for every reader."""
    as_of = as_of or data_day(conn)
    if as_of is None:
        return []
    found: list[Alert] = []
    for rule in rules:
        if rule.kind in _SCOPED_RULES:
            found.extend(_SCOPED_RULES[rule.kind](conn, rule, lang, as_of, scope))
        else:
            found.extend(_RULES[rule.kind](conn, rule, lang, as_of))
    return found


def _name(by: str, subject: str) -> str:
    from dashboard import reference
    from dashboard.charts.style import operator_name

    if by == "operator":
        return operator_name(subject)
    return reference.province_names().get(int(subject), subject) if subject.isdigit() \
        else subject


def _rates(conn: duckdb.DuckDBPyConnection, rule: Rule, as_of: dt.date,
           scope: tuple[int, ...]) -> pd.DataFrame:
    rates = db.run(conn, "marts/alert_delivery_rates", as_of=as_of, by=rule.by,
                   provinces=list(scope) or None)
    return rates[rates["final_receipts"] >= MIN_RECEIPTS]


def _rate_key(rule: Rule, subject: str, as_of: dt.date, scope: tuple[int, ...]) -> str:
    """A rate alert is sent once per reader's scope: a scope's rate is another number."""
    key = f"{rule.kind}:{rule.by}:{subject}:{as_of:%G-W%V}"
    return key + ":" + "+".join(map(str, sorted(scope))) if scope else key


def _rate_below(conn, rule: Rule, lang: str, as_of: dt.date,
                scope: tuple[int, ...]) -> list[Alert]:
    rows = _rates(conn, rule, as_of, scope)
    return [Alert(rule.kind, row.subject, t("alert.rate_below", lang,
                                            who=_name(rule.by, row.subject),
                                            rate=format_percent(row.rate, 1, lang),
                                            threshold=format_percent(rule.threshold, 1, lang),
                                            day=format_date(as_of, lang)),
                  _rate_key(rule, row.subject, as_of, scope))
            for row in rows.itertuples() if pd.notna(row.rate) and row.rate < rule.threshold]


def _rate_drop(conn, rule: Rule, lang: str, as_of: dt.date,
               scope: tuple[int, ...]) -> list[Alert]:
    rows = _rates(conn, rule, as_of, scope)
    drop = (rows["previous_rate"] - rows["rate"]) * 100
    return [Alert(rule.kind, row.subject, t("alert.rate_drop", lang,
                                            who=_name(rule.by, row.subject),
                                            points=format_number(d, 1, lang),
                                            before=format_percent(row.previous_rate, 1, lang),
                                            now=format_percent(row.rate, 1, lang)),
                  _rate_key(rule, row.subject, as_of, scope))
            for row, d in zip(rows.itertuples(), drop, strict=True)
            if pd.notna(d) and d > rule.points]


def _file_missing(conn, rule: Rule, lang: str, as_of: dt.date) -> list[Alert]:
    rows = db.run(conn, "marts/alert_missing_operator_files", as_of=as_of)
    return [Alert(rule.kind, f"{row.wave_id}/{row.operator}",
                  t("alert.file_missing", lang, who=_name("operator", row.operator),
                    wave=row.wave_id, day=format_date(row.sent_date, lang)),
                  f"{rule.kind}:{row.wave_id}:{row.operator}")
            for row in rows.itertuples()]


def _file_rate(column: str, message: str):
    def rule_check(conn, rule: Rule, lang: str, as_of: dt.date) -> list[Alert]:
        log = tables.table(conn, "data_quality")
        log = log[(log["outcome"] == "loaded") & (log["rows_read"] > 0)]
        share = log[column] / log["rows_read"]
        return [Alert(rule.kind, row.file, t(message, lang, file=row.file,
                                             share=format_percent(s, 1, lang),
                                             threshold=format_percent(rule.threshold, 1, lang)),
                      f"{rule.kind}:{row.ingest_id}")
                for row, s in zip(log.itertuples(), share, strict=True) if s > rule.threshold]

    return rule_check


def _hoax_stale(conn, rule: Rule, lang: str, as_of: dt.date) -> list[Alert]:
    last = conn.execute("SELECT max(identified_date) FROM hoax_reports").fetchall()[0][0]
    if last is not None and (as_of - last).days <= 7 * rule.weeks:
        return []
    return [Alert(rule.kind, "hoax", t("alert.hoax_stale", lang, weeks=rule.weeks,
                                       last=format_date(last, lang) if last else "–"),
                  f"{rule.kind}:{last}")]


_SCOPED_RULES = {
    "delivery_rate_below": _rate_below,
    "delivery_rate_drop": _rate_drop,
}
_RULES = {
    "operator_file_missing": _file_missing,
    "reject_rate_above": _file_rate("rejected", "alert.reject_rate"),
    "warning_rate_above": _file_rate("warnings", "alert.warning_rate"),
    "hoax_data_stale": _hoax_stale,
}
