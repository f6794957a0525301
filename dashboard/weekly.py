"""The leadership's weekly summary: one ISO week's KPIs against the week before, the best and
worst provinces, the operators, the headline statistical finding with its caveat, data
freshness and a short narrative written from the numbers. Pure: no streamlit.

Weeks are ISO 8601 weeks (Monday to Sunday) of WIB send days, named '2024-W07'.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass, field
from typing import Literal

import duckdb
import pandas as pd

from dashboard import db, reference, sketch, tables
from dashboard.filters import Filters
from dashboard.i18n import (
    MISSING,
    format_date,
    format_datetime,
    format_number,
    format_percent,
    is_missing,
    normalize_lang,
)

WEEK_PATTERN = re.compile(r"^(\d{4})-W(\d{2})$")
KPI_KEYS = ("sent", "delivered", "delivery_rate", "unique_reach", "cumulative_reach",
            "waves_sent", "hoax_new", "takedowns")
TOP_N = 5
HOAX_WEEKS = 12  # weeks of the hoax chart, ending with the chosen week

KpiKind = Literal["count", "rate"]


class NoWeekData(LookupError):
    """There are no receipts at all, so there is no week to summarise."""


@dataclass(frozen=True)
class Kpi:
    """One KPI of the week beside the previous week's value."""

    key: str
    value: float | None
    previous: float | None
    kind: KpiKind = "count"
    approximate: bool = False  # an estimate (unique reach from the HyperLogLog sketch)

    @property
    def change(self) -> float | None:
        """The absolute change (a rate's change is in fractions: 0.012 = 1.2 points)."""
        if is_missing(self.value) or is_missing(self.previous):
            return None
        return float(self.value) - float(self.previous)

    @property
    def relative_change(self) -> float | None:
        """The change as a fraction of last week's value (counts only; None from zero)."""
        change = self.change
        if change is None or self.kind != "count" or not self.previous:
            return None
        return change / float(self.previous)

    def formatted(self, lang: str = "id") -> str:
        if self.kind == "rate":
            return format_percent(self.value, 1, lang)
        return sketch.mark(format_number(self.value, 0, lang), self.approximate)

    def formatted_change(self, lang: str = "id") -> str:
        """'+12,5%' for counts, '+1,2 poin' for rates, '–' when there is nothing to compare."""
        lang = normalize_lang(lang)
        if self.kind == "rate":
            change = self.change
            if change is None:
                return MISSING
            points = format_number(change * 100, 1, lang)
            unit = "poin" if lang == "id" else "pts"
            return f"{_sign(change, points)}{points} {unit}"
        relative = self.relative_change
        if relative is None:
            if self.change is not None and self.change > 0 and not self.previous:
                return "baru" if lang == "id" else "new"
            return MISSING
        text = format_percent(relative, 1, lang)
        return f"{_sign(relative, text)}{text}"


def _sign(value: float, text: str) -> str:
    # format_* already writes the minus; a plus only when the rounded value is not zero
    return "+" if value > 0 and text.strip("0,.%") else ""


@dataclass
class WeeklySummary:
    iso_week: str
    lang: str
    monday: dt.date
    sunday: dt.date
    previous_week: str
    kpis: dict[str, Kpi]
    waves: pd.DataFrame  # wave_id, channel, sent_date, theme
    top_provinces: pd.DataFrame  # province_name, delivered, delivered_per_voter, ...
    bottom_provinces: pd.DataFrame
    provinces: pd.DataFrame  # reach_province for the week (every row)
    operators: pd.DataFrame  # reach_operator for the week
    daily: pd.DataFrame  # reach_daily for the week
    hoax_weekly: pd.DataFrame  # issues per week by theme, HOAX_WEEKS weeks up to the week
    hoax_waves: pd.DataFrame  # waves sent in those weeks (markers on the hoax chart)
    trend: pd.DataFrame  # weekly_reach: sent and delivered per ISO week up to the week
    finding: str
    caveat: str
    last_loaded_at: pd.Timestamp | None
    operators_missing: list[str]  # operator display names without receipts in the week
    freshness: pd.DataFrame  # weekly_freshness
    narrative: list[str] = field(default_factory=list)
    reach_approximate: bool = False  # unique reach estimated (HyperLogLog): say so
    generated_at: dt.datetime = field(
        default_factory=lambda: dt.datetime.now(dt.UTC))

    @property
    def filters(self) -> Filters:
        return Filters(self.monday, self.sunday)

    @property
    def period_text(self) -> str:
        return f"{format_date(self.monday, self.lang)} – {format_date(self.sunday, self.lang)}"

    @property
    def per_voter_factor(self) -> int:
        """1, or 1,000 or 1,000,000 when the week's values are too small to read per voter."""
        return per_voter_factor(self.provinces.get("delivered_per_voter"))

    @property
    def narrative_text(self) -> str:
        return " ".join(self.narrative)


# --- weeks ---------------------------------------------------------------------------------


def week_bounds(iso_week: str) -> tuple[dt.date, dt.date]:
    """Monday and Sunday of an ISO week: '2025-W01' -> (2024-12-30, 2025-01-05)."""
    match = WEEK_PATTERN.match(str(iso_week).strip())
    if not match:
        raise ValueError(f"not an ISO week {iso_week!r}; write it like 2024-W06")
    year, week = int(match.group(1)), int(match.group(2))
    try:
        monday = dt.date.fromisocalendar(year, week, 1)
    except ValueError as error:
        raise ValueError(f"{year} has no ISO week {week}") from error
    return monday, monday + dt.timedelta(days=6)


def week_of(day: dt.date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def previous_week(iso_week: str) -> str:
    monday, _ = week_bounds(iso_week)
    return week_of(monday - dt.timedelta(days=7))


def weeks_with_data(conn: duckdb.DuckDBPyConnection) -> list[str]:
    """ISO weeks with receipts, latest first."""
    return db.run(conn, "marts/weekly_weeks")["iso_week"].astype(str).tolist()


def latest_week(conn: duckdb.DuckDBPyConnection) -> str:
    """The latest ISO week with receipts."""
    weeks = weeks_with_data(conn)
    if not weeks:
        raise NoWeekData("no receipts loaded yet; load operator files first")
    return weeks[0]


# --- the summary ---------------------------------------------------------------------------


def weekly_summary(conn: duckdb.DuckDBPyConnection, iso_week: str, lang: str = "id",
                   scope: tuple[int, ...] = ()) -> WeeklySummary:
    """Everything the weekly page and brief show for `iso_week`, in `lang`; `scope` limits
    every receipt and election figure to a user's provinces (the hoax register and the wave
    catalogue are national)."""
    lang = normalize_lang(lang)
    monday, sunday = week_bounds(iso_week)
    before = previous_week(iso_week)
    prev_monday, prev_sunday = week_bounds(before)
    week = Filters(monday, sunday).within(scope)
    last_week = Filters(prev_monday, prev_sunday).within(scope)

    reach_frames = [tables.table(conn, "reach_totals", f) for f in (
        week, last_week, Filters(None, sunday).within(scope),
        Filters(None, prev_sunday).within(scope))]
    totals, prev_totals, cumulative, prev_cumulative = (f.iloc[0] for f in reach_frames)
    estimated = any(sketch.is_approximate(f) for f in reach_frames)
    waves = db.run(conn, "marts/weekly_waves", date_from=monday, date_to=sunday)
    prev_waves = db.run(conn, "marts/weekly_waves", date_from=prev_monday, date_to=prev_sunday)
    hoax = db.run(conn, "marts/weekly_hoax", date_from=monday, date_to=sunday).iloc[0]
    prev_hoax = db.run(conn, "marts/weekly_hoax", date_from=prev_monday,
                       date_to=prev_sunday).iloc[0]

    def count(value: object) -> float | None:
        return None if is_missing(value) else float(value)

    kpis = {
        "sent": Kpi("sent", count(totals["sent"]), count(prev_totals["sent"])),
        "delivered": Kpi("delivered", count(totals["delivered"]),
                         count(prev_totals["delivered"])),
        "delivery_rate": Kpi("delivery_rate", count(totals["delivery_rate"]),
                             count(prev_totals["delivery_rate"]), "rate"),
        "unique_reach": Kpi("unique_reach", count(totals["unique_reach"]),
                            count(prev_totals["unique_reach"]), approximate=estimated),
        "cumulative_reach": Kpi("cumulative_reach", count(cumulative["unique_reach"]),
                                count(prev_cumulative["unique_reach"]), approximate=estimated),
        "waves_sent": Kpi("waves_sent", float(len(waves)), float(len(prev_waves))),
        "hoax_new": Kpi("hoax_new", count(hoax["new_issues"]), count(prev_hoax["new_issues"])),
        "takedowns": Kpi("takedowns", count(hoax["taken_down"]),
                         count(prev_hoax["taken_down"])),
    }

    provinces = tables.table(conn, "reach_province", week)
    ranked = _province_ranking(provinces, scope)
    top = ranked.head(TOP_N).reset_index(drop=True)
    bottom = ranked.tail(TOP_N).iloc[::-1].reset_index(drop=True)
    operators = tables.table(conn, "reach_operator", week)
    daily = tables.table(conn, "reach_daily", week)
    hoax_start = monday - dt.timedelta(weeks=HOAX_WEEKS - 1)
    hoax_weekly = tables.hoax_weekly(conn, Filters(hoax_start, sunday), by="theme")
    hoax_waves = db.run(conn, "marts/weekly_waves", date_from=hoax_start, date_to=sunday)
    trend = db.run(conn, "marts/weekly_reach", **Filters(None, sunday).within(scope).params())

    finding, caveat = headline_finding(conn, sunday, lang, scope)
    freshness = db.run(conn, "marts/weekly_freshness", date_from=monday, date_to=sunday,
                       provinces=week.params()["provinces"])
    missing = freshness.loc[freshness["receipts"] == 0, "operator_name"].astype(str).tolist()
    last_load = db.run(conn, "marts/weekly_last_load").iloc[0]["last_loaded_at"]

    summary = WeeklySummary(
        iso_week=week_of(monday), lang=lang, monday=monday, sunday=sunday,
        previous_week=before, kpis=kpis, waves=waves, top_provinces=top,
        bottom_provinces=bottom, provinces=provinces, operators=operators, daily=daily,
        hoax_weekly=hoax_weekly, hoax_waves=hoax_waves, trend=trend, finding=finding, caveat=caveat,
        last_loaded_at=None if is_missing(last_load) else pd.Timestamp(last_load),
        operators_missing=missing, freshness=freshness, reach_approximate=estimated,
    )
    summary.narrative = narrative(summary)
    return summary


def _province_ranking(provinces: pd.DataFrame, scope: tuple[int, ...] = ()) -> pd.DataFrame:
    """Every province of the reference list, or of the scope (no receipts = 0 delivered),
    best first by delivered per registered voter; receipts of unknown province are left out."""
    names = reference.provinces()[["province_code", "name"]]
    if scope:
        names = names[names["province_code"].isin(scope)]
    dpt = reference.dpt_2024()
    frame = names.merge(dpt, on="province_code", how="left")
    known = provinces.dropna(subset=["province_code"]).assign(
        province_code=lambda d: d["province_code"].astype("int64"))
    frame = frame.assign(province_code=frame["province_code"].astype("int64")).merge(
        known[["province_code", "sent", "delivered", "delivery_rate", "unique_reach"]],
        on="province_code", how="left")
    frame["sent"] = frame["sent"].fillna(0).astype("int64")
    frame["delivered"] = frame["delivered"].fillna(0).astype("int64")
    frame["unique_reach"] = frame["unique_reach"].fillna(0).astype("int64")
    frame["delivered_per_voter"] = frame["delivered"] / frame["dpt_2024"]
    frame = frame.rename(columns={"name": "province_name"})
    frame = frame.dropna(subset=["delivered_per_voter"])
    ordered = frame.sort_values(["delivered_per_voter", "province_code"],
                                ascending=[False, True], kind="stable")
    return ordered[["province_code", "province_name", "sent", "delivered", "delivery_rate",
                    "unique_reach", "dpt_2024", "delivered_per_voter"]].reset_index(drop=True)


def headline_finding(conn: duckdb.DuckDBPyConnection, until: dt.date, lang: str = "id",
                     scope: tuple[int, ...] = ()) -> tuple[str, str]:
    """(sentence, caveat): the province-level Pearson correlation of delivered messages per
    voter (campaign up to `until`) with the turnout change 2019-2024, as on the Partisipasi
    page; without election results, the trend of weekly hoax issues up to `until`."""
    from dashboard.analysis.hoax import describe_trend, trend_test
    from dashboard.analysis.participation import CAVEATS, interpret_participation_row

    lang = normalize_lang(lang)
    campaign = Filters(None, until).within(scope)
    delivered = tables.table(conn, "reach_totals", campaign).iloc[0]["delivered"]
    # no exposure yet (a week before the first wave): nothing to correlate
    results = tables.participation_tests(conn, campaign) if delivered else pd.DataFrame()
    chosen = results[(results["test"] == "pearson")
                     & (results["exposure"] == "delivered_per_voter")
                     & (results["outcome"] == "turnout_change")] if len(results) else results
    if len(chosen):
        return (interpret_participation_row(chosen.iloc[0], lang),
                CAVEATS["association"][lang])
    weekly = tables.hoax_weekly(conn, Filters(None, until))
    caveat = ("Ini asosiasi, bukan sebab-akibat." if lang == "id"
              else "This is an association, not causation.")
    if len(weekly):
        return describe_trend(trend_test(weekly, "issues"), lang), caveat
    return (("Belum ada data hasil pemilu atau register hoaks untuk diuji." if lang == "id"
             else "No election results or hoax register loaded to test yet."), caveat)


# --- narrative -----------------------------------------------------------------------------


def _change_words(kpi: Kpi, lang: str) -> str:
    """'naik 12,5% dari pekan sebelumnya' / 'up 12.5% on the previous week'."""
    relative = kpi.relative_change
    if relative is None:
        if kpi.previous == 0:
            return ("pekan sebelumnya tidak ada pengiriman" if lang == "id"
                    else "nothing was sent the week before")
        return ""
    size = format_percent(abs(relative), 1, lang)
    if size in ("0,0%", "0.0%"):
        return "sama dengan pekan sebelumnya" if lang == "id" else "level with the week before"
    if lang == "id":
        return f"{'naik' if relative > 0 else 'turun'} {size} dari pekan sebelumnya"
    return f"{'up' if relative > 0 else 'down'} {size} on the week before"


def narrative(summary: WeeklySummary) -> list[str]:
    """About five sentences from the numbers, in the summary's language; never 'nan'."""
    lang = summary.lang
    k = summary.kpis

    def n(key: str) -> str:
        return k[key].formatted(lang)

    sentences: list[str] = []
    change = _change_words(k["sent"], lang)
    if not k["sent"].value:
        sentences.append(
            f"Pada pekan {summary.iso_week} ({summary.period_text}) tidak ada SMS yang "
            "tercatat terkirim." if lang == "id" else
            f"No SMS were recorded as sent in week {summary.iso_week} ({summary.period_text}).")
    elif lang == "id":
        sentences.append(
            f"Pada pekan {summary.iso_week} ({summary.period_text}), {n('sent')} SMS dikirim "
            f"dan {n('delivered')} diterima (tingkat keberhasilan {n('delivery_rate')})"
            + (f", {change}." if change else "."))
    else:
        sentences.append(
            f"In week {summary.iso_week} ({summary.period_text}), {n('sent')} SMS were sent "
            f"and {n('delivered')} delivered (delivery rate {n('delivery_rate')})"
            + (f", {change}." if change else "."))

    sentences.append(
        f"Pesan pekan ini menjangkau {n('unique_reach')} nomor unik; sejak awal kampanye "
        f"jangkauan kumulatif mencapai {n('cumulative_reach')} nomor unik."
        if lang == "id" else
        f"This week's messages reached {n('unique_reach')} unique numbers; since the start of "
        f"the campaign, cumulative reach stands at {n('cumulative_reach')} unique numbers.")

    if len(summary.waves):
        listed = ", ".join(f"{w} ({format_date(d, lang, with_year=False)})" for w, d in
                           zip(summary.waves["wave_id"], summary.waves["sent_date"],
                               strict=True))
        sentences.append(f"Gelombang yang dikirim pekan ini: {listed}." if lang == "id"
                         else f"Waves sent this week: {listed}.")
    else:
        sentences.append("Tidak ada gelombang baru yang dikirim pekan ini." if lang == "id"
                         else "No new wave was sent this week.")

    top, bottom = summary.top_provinces, summary.bottom_provinces
    if k["delivered"].value and len(top) and len(bottom):
        factor = summary.per_voter_factor
        unit = per_voter_unit(factor, lang)

        def per_voter(row: pd.Series) -> str:
            return format_per_voter(row["delivered_per_voter"], factor, lang)

        high, low = top.iloc[0], bottom.iloc[0]
        sentences.append(
            f"Dibanding jumlah pemilih terdaftar, pesan diterima paling banyak di "
            f"{high['province_name']} ({per_voter(high)} {unit}) dan paling sedikit di "
            f"{low['province_name']} ({per_voter(low)})."
            if lang == "id" else
            f"Relative to registered voters, most messages were delivered in "
            f"{high['province_name']} ({per_voter(high)} {unit}) and fewest in "
            f"{low['province_name']} ({per_voter(low)}).")

    hoax_change = _change_words(k["hoax_new"], lang) if k["hoax_new"].previous else ""
    sentences.append(
        f"Tercatat {n('hoax_new')} isu hoaks pemilu baru"
        + (f" ({hoax_change})" if hoax_change else "")
        + f" dan {n('takedowns')} konten hoaks diturunkan."
        if lang == "id" else
        f"{n('hoax_new')} new election-hoax issues were logged"
        + (f" ({hoax_change})" if hoax_change else "")
        + f" and {n('takedowns')} hoax content items were taken down.")

    if summary.operators_missing:
        names = ", ".join(summary.operators_missing)
        sentences.append(f"Belum ada laporan pengiriman pekan ini dari: {names}."
                         if lang == "id" else
                         f"No delivery receipts this week yet from: {names}.")
    return sentences


def per_voter_factor(values: pd.Series | None) -> int:
    """Per voter (1) as on the Jangkauan page, or per 1,000 or per million voters when the
    largest value is below 0.01 (a small campaign, or the sample): '98 per 1 juta pemilih'
    reads, '0,000098 per pemilih' does not."""
    if values is None:
        return 1
    numbers = pd.to_numeric(values, errors="coerce").dropna()
    largest = float(numbers.abs().max()) if len(numbers) else 0.0
    if largest == 0 or largest >= 0.01:
        return 1
    return 1_000 if largest * 1_000 >= 1 else 1_000_000


def per_voter_unit(factor: int, lang: str) -> str:
    """'per pemilih' / 'per 100.000 pemilih' (and in English)."""
    lang = normalize_lang(lang)
    if factor == 1:
        return "per pemilih" if lang == "id" else "per voter"
    if factor == 1_000_000:
        return "per 1 juta pemilih" if lang == "id" else "per million voters"
    voters = "pemilih" if lang == "id" else "voters"
    return f"per {format_number(factor, 0, lang)} {voters}"


def format_per_voter(value: object, factor: int, lang: str) -> str:
    """A per-voter ratio at `factor`, with at least two significant digits."""
    if is_missing(value) or not math.isfinite(float(value)):
        return MISSING
    scaled = float(value) * factor
    size = abs(scaled)
    if factor != 1:
        decimals = 0 if size >= 10 else 1
    else:
        decimals = 2 if size >= 0.1 or size == 0 else min(8, 1 - math.floor(math.log10(size)))
    return format_number(scaled, decimals, lang)


def freshness_text(summary: WeeklySummary) -> str:
    """'Data terakhir dimuat 29 Nov 2024 10:17 WIB.' (and the operators without data)."""
    lang = summary.lang
    when = format_datetime(summary.last_loaded_at, lang)
    text = (f"Data terakhir dimuat {when}." if lang == "id" else f"Data last loaded {when}.")
    if summary.operators_missing:
        names = ", ".join(summary.operators_missing)
        text += (f" Tanpa laporan pekan ini: {names}." if lang == "id"
                 else f" No receipts this week: {names}.")
    else:
        text += (" Semua operator melaporkan data pekan ini." if lang == "id"
                 else " Every operator reported receipts this week.")
    return text
