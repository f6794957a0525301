"""The leadership's weekly summary: one ISO week's KPIs against the week before, the best and
worst provinces, the operators, the headline statistical finding with its caveat, data
freshness and a short narrative written from the numbers. Pure: no streamlit.

Weeks are ISO 8601 weeks (Monday to Sunday) of WIB send days, named '2024-W07'.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass, field, replace
from typing import Literal, NamedTuple

import duckdb
import pandas as pd

from dashboard import reference
from dashboard.export.provenance import (
    Provenance,
    data_of_table,
    provenance,
    reach_left_out,
    wave_span,
)
from dashboard.filters import Filters
from dashboard.i18n import (
    MISSING,
    Translatable,
    format_date,
    format_datetime,
    format_number,
    format_percent,
    is_missing,
    normalize_lang,
    significant_decimals,
    t,
)
from dashboard.reports import tables
from dashboard.store import db, sketch

WEEK_PATTERN = re.compile(r"^(\d{4})-W(\d{2})$")
KPI_KEYS = ("sent", "delivered", "delivery_rate", "unique_reach", "cumulative_reach",
            "waves_sent", "hoax_new", "takedowns")
# how a week's change of a KPI reads, on the page's tiles and in the brief (good_news): a rise
# of these is bad news, and a change of these is news neither way (more or fewer new waves is
# the campaign's plan, not its result: a fall was shown red)
RISE_IS_BAD = frozenset({"hoax_new"})
CHANGE_IS_NO_NEWS = frozenset({"waves_sent"})
TOP_N = 5
HOAX_WEEKS = 12  # weeks of the hoax chart, ending with the chosen week
# days an event of the election calendar lasts when the calendar gives only its first day
# (KPU: the quiet period, masa tenang, is 11-13 Feb 2024)
EVENT_DAYS = {"quiet": 3}

KpiKind = Literal["count", "rate"]
# the kinds of data the summary shows (export/provenance.py): its source lines name each;
# the headline finding adds its own (Finding.data)
SUMMARY_DATA = ("receipts", "hoax", "status_bar", "wa_updates", "wa_daily")
# the kinds behind the all-channels block alone
CHANNEL_DATA = ("status_bar", "wa_updates", "wa_daily")
# the summary's charts (brief.brief_figures) and the data each shows: a press export of one
# names its own sources and days (WeeklySummary.chart_provenance), not the whole summary's
CHART_DATA = {"weekly_trend": ("receipts",), "operators": ("receipts",),
              "tile_map": ("receipts",), "hoax": ("hoax",)}
BEYOND_THE_WEEK = ("weekly_trend", "hoax")  # the charts that show weeks before the chosen one


class Finding(NamedTuple):
    """The headline statistical finding, its caveat and the kinds of data it rests on."""

    text: str
    caveat: str
    data: tuple[str, ...]


class NoWeekData(Translatable, LookupError):
    """There are no receipts at all, so there is no week to summarise."""


class NotAWeek(Translatable, ValueError):
    """A week that is not written as an ISO week, or that its year does not have."""


@dataclass(frozen=True)
class Kpi:
    """One KPI of the week beside the previous week's value."""

    key: str
    value: float | None
    previous: float | None
    kind: KpiKind = "count"
    approximate: bool = False  # an estimate (unique reach from the HyperLogLog sketch)
    # how many of the counted items (this week, last week) have no value yet: the count is
    # then only a lower bound (take-downs of issues the register has no count for)
    unknown: tuple[int, int] = (0, 0)

    @property
    def change(self) -> float | None:
        """The absolute change (a rate's change is in fractions: 0.012 = 1.2 points); none
        when either week's count is only a lower bound."""
        if is_missing(self.value) or is_missing(self.previous) or any(self.unknown):
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
        text = sketch.mark(format_number(self.value, 0, lang), self.approximate)
        return f"≥ {text}" if self.unknown[0] and not is_missing(self.value) else text

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


def good_news(key: str, rise: bool) -> bool | None:
    """Whether a KPI's rise (rise True) or fall reads as good news: True green, False red,
    None neither (CHANGE_IS_NO_NEWS)."""
    if key in CHANGE_IS_NO_NEWS:
        return None
    return rise != (key in RISE_IS_BAD)


def _sign(value: float, text: str) -> str:
    # format_* already writes the minus; a plus only when the rounded value is not zero
    return "+" if value > 0 and text.strip("0,.%") else ""


# --- every channel of the campaign (issue 17) ----------------------------------------------

CHANNELS = ("sms", "status_bar", "whatsapp_channel")
# the two numbers each channel shows, in order
CHANNEL_MEASURES: dict[str, tuple[str, str]] = {
    "sms": ("delivered", "unique_reach"),
    "status_bar": ("impressions", "unique_devices"),
    "whatsapp_channel": ("views", "followers"),
}
Span = Literal["period", "campaign"]
# The channel numbers the weekly page's headline already shows, (channel, measure, span):
# SMS delivered and unique reach of the week and the cumulative reach come from the same
# reach_totals rows as the KPIs delivered, unique_reach and cumulative_reach, so the page's
# "every channel" card points up to them instead of repeating them (review item 21).
IN_WEEKLY_HEADLINE = frozenset({("sms", "delivered", "period"),
                                ("sms", "unique_reach", "period"),
                                ("sms", "unique_reach", "campaign")})


@dataclass(frozen=True)
class ChannelFigures:
    """One channel's two numbers (CHANNEL_MEASURES) for a period and for the campaign up to
    the period's last day. None means no data, said in words and never shown as 0. Channels
    are shown side by side and never added up: SMS numbers, status-bar devices and WhatsApp
    accounts share no identifier, so a person reached by two channels cannot be counted once."""

    channel: str
    period: dict[str, float | None]
    campaign: dict[str, float | None]
    loaded: bool  # any data of this channel loaded at all
    waves: tuple[str, ...] = ()  # the channel's waves with data in the period
    approximate: bool = False  # SMS unique reach estimated (HyperLogLog)
    # the day of the WhatsApp followers count in each span (a count at a day, not a sum)
    followers_dates: dict[str, dt.date | None] = field(default_factory=dict)
    national: bool = False  # no province or operator in the data: those filters do not apply

    @property
    def has_data(self) -> bool:
        return any(value is not None for value in self.period.values())

    def name(self, lang: str) -> str:
        return channel_name(self.channel, lang)

    def label(self, measure: str, lang: str, span: Span = "period") -> str:
        """The measure's name; the followers with the day they were counted."""
        day = self.followers_dates.get(span)
        if measure == "followers" and day is not None:
            return t("allch.followers_on", lang, day=format_date(day, lang))
        return t(f"allch.measure.{measure}", lang)

    def value_text(self, measure: str, lang: str, span: Span = "period") -> str:
        """The formatted number, or 'tanpa data' / 'no data' (never 0 or a blank)."""
        value = (self.period if span == "period" else self.campaign).get(measure)
        if value is None:  # no update posted has no views (the followers may still count)
            return t("allch.no_update" if measure == "views" else "allch.no_value", lang)
        return sketch.mark(format_number(value, 0, lang),
                           self.approximate and measure == "unique_reach")

    def waves_text(self, lang: str) -> str:
        """'Gelombang dengan data: SB02, SB03', written as the source lines write waves
        (provenance.wave_span); '' without waves."""
        if not self.waves:
            return ""
        return t("allch.waves", lang, waves=wave_span(self.waves))

    def to_date_text(self, measure: str, lang: str) -> str:
        """'Sejak awal kampanye: 35.725' under a week's number; '' for the followers (a count
        on a day, not a sum: the week's number is already the latest) or without data."""
        if measure == "followers" or self.campaign.get(measure) is None:
            return ""
        return f"{t('allch.to_date', lang)}: {self.value_text(measure, lang, 'campaign')}"

    def absence(self, lang: str, week: bool = True) -> str:
        """Why the channel has no numbers in the period; '' when it has some."""
        if self.has_data:
            return ""
        if not self.loaded:
            return t("allch.not_loaded", lang)
        return t("allch.no_data_week" if week else "allch.no_data_period", lang)


def channel_name(channel: object, lang: str) -> str:
    """'SMS', 'Status bar', 'Saluran WhatsApp'; an unknown channel as written."""
    key = f"weekly.channel.{channel}"
    text = t(key, lang)
    return str(channel) if text == key else text


def channel_figures(conn: duckdb.DuckDBPyConnection, filters: Filters, sms: pd.Series,
                    sms_to_date: pd.Series | None = None, *, approximate: bool = False,
                    sms_loaded: bool = True, sms_waves: tuple[str, ...] = ()
                    ) -> list[ChannelFigures]:
    """Every channel's numbers under `filters` (a user's scope included), in CHANNELS order.

    SMS is the reach_totals row the page already shows (`sms`; `sms_to_date` for the campaign
    up to the period's end, else the campaign numbers are unknown), so there is one definition
    of delivered and unique reach. The status bar follows the days, operators and provinces
    of the filters; the WhatsApp Channel is national: only the days apply. The wave filter
    is SMS's alone (marts/weekly_channels.sql)."""
    params = filters.params()
    del params["waves"]
    rows = db.run(conn, "marts/weekly_channels", **params)

    def value(row: pd.Series, column: str) -> float | None:
        return None if is_missing(row[column]) else float(row[column])

    def sms_numbers(row: pd.Series | None) -> dict[str, float | None]:
        # a span without receipts has no SMS data; a sent message that failed is a real 0
        if row is None or not row["sent"]:
            return {"delivered": None, "unique_reach": None}
        return {"delivered": value(row, "delivered"), "unique_reach": value(row, "unique_reach")}

    figures = [ChannelFigures("sms", sms_numbers(sms), sms_numbers(sms_to_date), sms_loaded,
                              waves=tuple(sms_waves), approximate=approximate)]
    for channel in CHANNELS[1:]:
        spans = {str(r["span"]): r for _, r in rows[rows["channel"] == channel].iterrows()}
        period, campaign = spans["period"], spans["campaign"]
        measures = CHANNEL_MEASURES[channel]
        figures.append(ChannelFigures(
            channel, {m: value(period, m) for m in measures},
            {m: value(campaign, m) for m in measures}, bool(period["loaded"]),
            waves=wave_ids(period["waves"]),
            followers_dates={span: None if is_missing(spans[span]["followers_date"])
                             else pd.Timestamp(spans[span]["followers_date"]).date()
                             for span in spans} if channel == "whatsapp_channel" else {},
            national=channel == "whatsapp_channel"))
    return figures


def wave_ids(value: object) -> tuple[str, ...]:
    """A list column's ids; SQL NULL (no rows) as none."""
    return () if value is None or value is pd.NA else tuple(str(v) for v in value)


def channel_notes(figures: list[ChannelFigures], lang: str, filters: Filters | None = None
                  ) -> list[str]:
    """What a reader must know beside the channels' numbers: the caveat that they are not
    added up (always first), that the WhatsApp Channel is national, and, under a wave
    filter, that it applies to SMS only."""
    lang = normalize_lang(lang)
    notes = [t("allch.caveat", lang)]
    if any(f.national for f in figures):
        notes.append(t("allch.national", lang))
    if filters is not None and filters.waves:
        notes.append(t("allch.waves_sms_only", lang))
    return notes


@dataclass
class WeeklySummary:
    iso_week: str
    lang: str
    monday: dt.date
    sunday: dt.date
    previous_week: str
    kpis: dict[str, Kpi]
    waves: pd.DataFrame  # wave_id, channel, sent_date, theme
    # the provinces with deliveries, highest and lowest per voter (province_ranks)
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
    operators_missing: list[str]  # expected operators (see weekly_operators_expected) silent
    freshness: pd.DataFrame  # weekly_freshness
    narrative: list[str] = field(default_factory=list)
    reach_approximate: bool = False  # unique reach estimated (HyperLogLog): say so
    # what the week's and the campaign-to-date unique reach leave out (reach_left_out)
    reach_left_out: list[str] = field(default_factory=list)
    generated_at: dt.datetime = field(
        default_factory=lambda: dt.datetime.now(dt.UTC))
    # operator, operator_name, receipts, expected, waves (weekly_operators_expected)
    operators_expected: pd.DataFrame = field(default_factory=pd.DataFrame)
    events: pd.DataFrame = field(default_factory=pd.DataFrame)  # calendar events of the week
    hoax_first: dt.date | None = None  # the hoax register's first and last identified date
    hoax_last: dt.date | None = None
    last_send_week: str | None = None  # the latest week with receipts up to this one
    # where the week's numbers come from, and whether any is sample data (export.provenance)
    provenance: Provenance | None = None
    alerts: list[str] = field(default_factory=list)  # rules that fire at the week's end
    # every channel's week and campaign-to-date numbers, side by side (channel_figures)
    channels: list[ChannelFigures] = field(default_factory=list)
    # the sources of the numbers in the all-channels block (SMS and the other channels)
    channels_provenance: Provenance | None = None
    provinces_compared: int = 0  # the provinces ranked: 38, or those of a reader's scope
    provinces_without_deliveries: list[str] = field(default_factory=list)  # names, A-Z
    # each chart's own sources and days (CHART_DATA), for its press export
    chart_provenance: dict[str, Provenance] = field(default_factory=dict)

    @property
    def reach_notes(self) -> list[str]:
        """Every note beside the summary's unique reach: an estimate, receipts left out."""
        estimate = [sketch.note(self.lang)] if self.reach_approximate else []
        return estimate + self.reach_left_out

    @property
    def has_sends(self) -> bool:
        """Receipts in the week (else the brief says so and shows no empty charts or tables)."""
        return bool(self.kpis["sent"].value)

    @property
    def has_deliveries(self) -> bool:
        return bool(self.kpis["delivered"].value)

    @property
    def hoax_covered(self) -> bool:
        """The hoax register reaches into the week (else its counts are unknown, not zero)."""
        return (self.hoax_first is not None and self.hoax_last is not None
                and self.hoax_first <= self.sunday and self.hoax_last >= self.monday)

    @property
    def has_hoax_chart(self) -> bool:
        """Issues in the hoax chart's weeks."""
        weekly = self.hoax_weekly
        return weekly is not None and len(weekly) > 0 and float(weekly["issues"].sum()) > 0

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
    def ranks_provinces(self) -> bool:
        """The highest and lowest tables have a meaning: provinces to compare (not a scope of
        one) and deliveries in a known province."""
        return self.provinces_compared > 1 and not self.top_provinces.empty

    @property
    def narrative_text(self) -> str:
        return " ".join(self.narrative)

    def press_subtitle(self, chart: str) -> str:
        """A chart's subtitle in its press export: the sample mark, the week, and the chart's
        own days when it shows weeks before this one (BEYOND_THE_WEEK)."""
        origin = self.chart_provenance[chart]
        week = f"{t('weekly.week', self.lang)} {self.iso_week} · {self.period_text}"
        span = origin.period if chart in BEYOND_THE_WEEK else ""
        return " · ".join(p for p in (origin.mark, week, span) if p)


# --- weeks ---------------------------------------------------------------------------------


def week_bounds(iso_week: str) -> tuple[dt.date, dt.date]:
    """Monday and Sunday of an ISO week: '2025-W01' -> (2024-12-30, 2025-01-05)."""
    match = WEEK_PATTERN.match(str(iso_week).strip())
    if not match:
        raise NotAWeek("weekly.error.not_a_week", week=repr(iso_week))
    year, week = int(match.group(1)), int(match.group(2))
    try:
        monday = dt.date.fromisocalendar(year, week, 1)
    except ValueError as error:
        raise NotAWeek("weekly.error.no_such_week", year=year, week=week) from error
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


def weeks_to_choose(conn: duckdb.DuckDBPyConnection) -> list[tuple[str, bool]]:
    """(ISO week, has sends), latest first: every week from the first with receipts or a wave
    to the last with receipts, a wave or a hoax issue, so a week without sends can be chosen
    (and reads as such); empty without receipts."""
    with_sends = set(weeks_with_data(conn))
    if not with_sends:
        return []
    waves = db.run(conn, "marts/weekly_waves", date_from=None, date_to=None)
    hoax = db.run(conn, "marts/weekly_hoax_coverage").iloc[0]
    starts = [week_bounds(min(with_sends))[0]]
    ends = [week_bounds(max(with_sends))[0]]
    if len(waves):
        starts.append(pd.Timestamp(waves["sent_date"].min()).date())
        ends.append(pd.Timestamp(waves["sent_date"].max()).date())
    if not is_missing(hoax["last_date"]):
        ends.append(pd.Timestamp(hoax["last_date"]).date())
    first = week_bounds(week_of(min(starts)))[0]
    last = week_bounds(week_of(max(ends)))[0]
    mondays = [first + dt.timedelta(weeks=i) for i in range((last - first).days // 7 + 1)]
    return [(week_of(m), week_of(m) in with_sends) for m in reversed(mondays)]


def latest_week(conn: duckdb.DuckDBPyConnection) -> str:
    """The latest ISO week with receipts."""
    weeks = weeks_with_data(conn)
    if not weeks:
        raise NoWeekData("weekly.error.no_receipts")
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
    coverage = db.run(conn, "marts/weekly_hoax_coverage").iloc[0]
    hoax_first, hoax_last = (None if is_missing(coverage[c]) else pd.Timestamp(coverage[c]).date()
                             for c in ("first_date", "last_date"))

    def count(value: object) -> float | None:
        return None if is_missing(value) else float(value)

    def covered(first: dt.date, last: dt.date) -> bool:
        return (hoax_first is not None and hoax_last is not None and hoax_first <= last
                and hoax_last >= first)

    def hoax_count(row: pd.Series, column: str, first: dt.date, last: dt.date) -> float | None:
        # a week the register does not reach has unknown counts, not zero
        return count(row[column]) if covered(first, last) else None

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
        "hoax_new": Kpi("hoax_new", hoax_count(hoax, "new_issues", monday, sunday),
                        hoax_count(prev_hoax, "new_issues", prev_monday, prev_sunday)),
        "takedowns": Kpi("takedowns", hoax_count(hoax, "taken_down", monday, sunday),
                         hoax_count(prev_hoax, "taken_down", prev_monday, prev_sunday),
                         unknown=(int(hoax["takedown_unknown"]),
                                  int(prev_hoax["takedown_unknown"]))),
    }

    provinces = tables.table(conn, "reach_province", week)
    ranked = _province_ranking(provinces, scope)
    top, bottom = province_ranks(ranked)
    operators = tables.table(conn, "reach_operator", week)
    daily = tables.table(conn, "reach_daily", week)
    hoax_start = hoax_chart_start(monday)
    hoax_weekly = tables.hoax_weekly(conn, Filters(hoax_start, sunday), by="theme")
    hoax_waves = db.run(conn, "marts/weekly_waves", date_from=hoax_start, date_to=sunday)
    # every week up to this one, empty weeks at 0 (the mart fills them, as for the press
    # figure)
    trend = db.run(conn, "marts/weekly_reach", **Filters(None, sunday).within(scope).params())

    finding = headline_finding(conn, sunday, lang, scope)
    provinces_param = week.params()["provinces"]
    freshness = db.run(conn, "marts/weekly_freshness", date_from=monday, date_to=sunday,
                       provinces=provinces_param)
    expected = db.run(conn, "marts/weekly_operators_expected", date_from=monday,
                      date_to=sunday, provinces=provinces_param)
    missing = expected.loc[expected["expected"] & (expected["receipts"] == 0),
                           "operator_name"].astype(str).tolist()
    last_load = db.run(conn, "marts/weekly_last_load").iloc[0]["last_loaded_at"]
    to_date = Filters(None, sunday).within(scope)  # the channels' campaign-to-date numbers
    sms_waves = db.run(conn, "marts/provenance_receipts", **week.params()).iloc[0]["waves"]
    channels = channel_figures(conn, week, totals, cumulative, approximate=estimated,
                               sms_loaded=bool(weeks_with_data(conn)),
                               sms_waves=wave_ids(sms_waves))

    summary = WeeklySummary(
        iso_week=week_of(monday), lang=lang, monday=monday, sunday=sunday,
        previous_week=before, kpis=kpis, waves=waves, top_provinces=top,
        bottom_provinces=bottom, provinces=provinces, operators=operators, daily=daily,
        hoax_weekly=hoax_weekly, hoax_waves=hoax_waves, trend=trend, finding=finding.text,
        caveat=finding.caveat,
        last_loaded_at=None if is_missing(last_load) else pd.Timestamp(last_load),
        operators_missing=missing, freshness=freshness, reach_approximate=estimated,
        reach_left_out=_reach_left_out(conn, week, to_date, lang),
        operators_expected=expected, events=week_events(monday, sunday, lang),
        hoax_first=hoax_first, hoax_last=hoax_last,
        last_send_week=_last_send_week(trend),
        provenance=_summary_provenance(conn, week, to_date, lang, finding.data),
        alerts=_alerts_at(conn, sunday, lang, scope), channels=channels,
        channels_provenance=provenance(conn, ("receipts", *CHANNEL_DATA), to_date, lang),
        provinces_compared=len(ranked),
        provinces_without_deliveries=sorted(
            ranked.loc[ranked["delivered"] == 0, "province_name"].astype(str)),
    )
    summary.narrative = narrative(summary)
    summary.chart_provenance = _chart_provenance(conn, summary, scope)
    return summary


def _reach_left_out(conn: duckdb.DuckDBPyConnection, week: Filters, to_date: Filters,
                    lang: str) -> list[str]:
    """The left-out notes of the week's unique reach and the campaign's to date, each named
    by its KPI; one unnamed note when both leave out the same."""
    in_week, so_far = (reach_left_out(conn, f, lang) for f in (week, to_date))
    if in_week == so_far:
        return [in_week] if in_week else []
    return [f"{t(f'weekly.kpi.{key}', lang)}: {note}"
            for key, note in (("unique_reach", in_week), ("cumulative_reach", so_far)) if note]


def hoax_chart_start(monday: dt.date) -> dt.date:
    """The first day of the hoax chart: HOAX_WEEKS weeks ending with the chosen week."""
    return monday - dt.timedelta(weeks=HOAX_WEEKS - 1)


def trend_start(summary: WeeklySummary) -> dt.date | None:
    """The first day of the trend chart's weeks: the whole campaign's (None) up to the week;
    in a week without sends only the hoax chart's weeks, so the chart stays readable and
    shows what came just before the pause."""
    return None if summary.has_sends else hoax_chart_start(summary.monday)


def _chart_provenance(conn: duckdb.DuckDBPyConnection, summary: WeeklySummary,
                      scope: tuple[int, ...]) -> dict[str, Provenance]:
    """Each chart's provenance over the days it shows (the hoax register is national)."""
    week = summary.filters.within(scope)
    shown = {"weekly_trend": Filters(trend_start(summary), summary.sunday).within(scope),
             "operators": week, "tile_map": week,
             "hoax": Filters(hoax_chart_start(summary.monday), summary.sunday)}
    return {chart: provenance(conn, CHART_DATA[chart], shown[chart], summary.lang)
            for chart in CHART_DATA}


def _summary_provenance(conn: duckdb.DuckDBPyConnection, week: Filters, to_date: Filters,
                        lang: str, finding_data: tuple[str, ...] = ()) -> Provenance:
    """The summary's source line: the week's receipts and hoax register, the other channels
    up to the week's end (their cards show the campaign to date beside the week) and the
    data only the headline finding reads (the election results); the as-of stamp and the
    sample mark over every kind the summary shows."""
    finding_only = tuple(k for k in finding_data if k not in SUMMARY_DATA)
    shown = provenance(conn, SUMMARY_DATA + finding_only, week, lang)
    weeks = provenance(conn, ("receipts", "hoax"), week, lang)
    channels = provenance(conn, CHANNEL_DATA, to_date, lang)
    finding = provenance(conn, finding_only, to_date, lang).sources if finding_only else ()
    return replace(shown, sources=weeks.sources + channels.sources + finding)


def _alerts_at(conn: duckdb.DuckDBPyConnection, sunday: dt.date, lang: str,
               scope: tuple[int, ...] = ()) -> list[str]:
    """The alerts at the week's end, or at the latest send day when the data ends before it,
    for a reader of `scope`'s provinces (empty: the whole country)."""
    from dashboard.service.alerts import data_day, evaluate, load_rules

    latest = data_day(conn)
    if latest is None:
        return []
    return [a.message
            for a in evaluate(conn, load_rules(), lang, min(sunday, latest), scope)]


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
    # equals in name order: an order a reader sees is no ranking (not the codes' order)
    ordered = frame.sort_values(["delivered_per_voter", "province_name"],
                                ascending=[False, True], kind="stable")
    return ordered[["province_code", "province_name", "sent", "delivered", "delivery_rate",
                    "unique_reach", "dpt_2024", "delivered_per_voter"]].reset_index(drop=True)


def province_ranks(ranked: pd.DataFrame, n: int = TOP_N) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The highest and the lowest provinces per voter among those with deliveries (those
    without are a tie, said as one: provinces_text), highest and lowest first. Each list is n
    long, longer by the provinces tied with its last one, shorter when fewer provinces had
    deliveries; the lowest never repeat the highest."""
    reached = ranked[ranked["delivered"] > 0]
    top = _with_ties(reached, n)
    rest = reached[~reached["province_code"].isin(top["province_code"])].sort_values(
        ["delivered_per_voter", "province_name"], kind="stable")
    return top, _with_ties(rest, n)


def _with_ties(ordered: pd.DataFrame, n: int) -> pd.DataFrame:
    """The first n rows and every later row equal to the n-th: a tie is listed whole."""
    ordered = ordered.reset_index(drop=True)
    if len(ordered) <= n:
        return ordered
    last = ordered["delivered_per_voter"].iloc[n - 1]
    return ordered[(ordered.index < n) | (ordered["delivered_per_voter"] == last)
                   ].reset_index(drop=True)


def provinces_text(names: list[str], lang: str) -> str:
    """A group of provinces: up to three by name, more as their count."""
    if len(names) > 3:
        return t("weekly.n_provinces", lang, n=format_number(len(names), 0, lang))
    return _join(names, lang)


def without_deliveries_text(summary: WeeklySummary) -> str:
    """'36 provinsi tidak menerima pesan pekan ini.' ('' when every province did)."""
    names = summary.provinces_without_deliveries
    if not names or not summary.has_deliveries:
        return ""
    return t("weekly.story.provinces_none", summary.lang,
             provinces=provinces_text(names, summary.lang))


def _province_sentences(summary: WeeklySummary) -> list[str]:
    """Where delivery per voter was highest and lowest, each a tie said whole; a scope of one
    province is not ranked against itself."""
    lang, top = summary.lang, summary.top_provinces
    if not summary.has_deliveries or top.empty:
        return []
    factor = summary.per_voter_factor
    unit = per_voter_unit(factor, lang)

    def value(frame: pd.DataFrame, with_unit: bool = True) -> str:
        number = format_per_voter(frame["delivered_per_voter"].iloc[0], factor, lang)
        return f"{number} {unit}" if with_unit else number

    if summary.provinces_compared == 1:
        return [t("weekly.story.province_one", lang, province=top["province_name"].iloc[0],
                  value=value(top))]
    high = top[top["delivered_per_voter"] == top["delivered_per_voter"].iloc[0]]
    reached = pd.concat([top, summary.bottom_provinces])
    lowest = reached[reached["delivered_per_voter"] == reached["delivered_per_voter"].min()]
    high_text = provinces_text(high["province_name"].tolist(), lang)
    if summary.provinces_without_deliveries or set(lowest["province_code"]) == set(
            high["province_code"]):
        # the fewest is the tie at none, said in its own sentence
        sentences = [t("weekly.story.provinces_high", lang, high=high_text,
                       high_value=value(high))]
    else:
        sentences = [t("weekly.story.provinces", lang, high=high_text, high_value=value(high),
                       low=provinces_text(lowest["province_name"].tolist(), lang),
                       low_value=value(lowest, with_unit=False))]
    return [*sentences, *filter(None, [without_deliveries_text(summary)])]


def _last_send_week(trend: pd.DataFrame) -> str | None:
    sent = trend[trend["sent"] > 0] if len(trend) else trend
    return str(sent["iso_week"].max()) if len(sent) else None


def week_events(first: dt.date, last: dt.date, lang: str = "id") -> pd.DataFrame:
    """Events of the election calendar that fall in (or last into) the days first..last:
    date, end (its last day), kind, label, short (the chart's code: D1-D5 for the debates)."""
    lang = normalize_lang(lang)
    calendar = reference.election_calendar()
    rows = []
    for event in calendar.itertuples(index=False):
        start = pd.Timestamp(event.date).date()
        end = start + dt.timedelta(days=EVENT_DAYS.get(event.kind, 1) - 1)
        if start <= last and end >= first:
            rows.append({"date": start, "end": end, "kind": event.kind,
                         "label": getattr(event, f"label_{lang}"),
                         "short": getattr(event, f"short_{lang}")})
    return pd.DataFrame(rows, columns=["date", "end", "kind", "label", "short"])


def _event_days(event: object, lang: str, with_year: bool = True) -> str:
    """'14 Feb 2024', or '11–13 Feb 2024' for an event of several days."""
    start, end = event.date, event.end
    if end == start:
        return format_date(start, lang, with_year)
    if (start.year, start.month) == (end.year, end.month):
        return f"{start.day}–{format_date(end, lang, with_year)}"
    return f"{format_date(start, lang, False)} – {format_date(end, lang, with_year)}"


def event_description(event: object, lang: str) -> str:
    """What an event of the calendar is, in words within a sentence: 'debat ke-3 calon
    presiden dan wakil presiden' for 'Debat 3', the calendar's label otherwise."""
    if event.kind == "debate":
        number = re.sub(r"\D", "", str(event.short)) or str(event.label)
        return t("weekly.event.debate", lang, n=number)
    label = str(event.label)
    return label[:1].lower() + label[1:]


def _weekday_date(day: dt.date, lang: str) -> str:
    """'Rabu, 14 Feb 2024' / 'Wednesday, 14 Feb 2024'."""
    return f"{t('weekly.weekdays', lang).split()[day.weekday()]}, {format_date(day, lang)}"


def event_legend(events: pd.DataFrame, lang: str = "id") -> str:
    """The codes of the election events drawn on the hoax chart, explained:
    'D3 = debat calon presiden dan wakil presiden ke-3 (7 Jan 2024); ...'."""
    lang = normalize_lang(lang)
    if events is None or events.empty:
        return ""
    items = [f"{e.short} = {event_description(e, lang)} ({_event_days(e, lang)})"
             for e in events.itertuples(index=False)]
    return t("weekly.event_legend", lang, items="; ".join(items))


def hoax_chart_events(summary: WeeklySummary) -> pd.DataFrame:
    """The calendar events inside the hoax chart's weeks (the ones it draws and labels)."""
    weekly = summary.hoax_weekly
    if weekly is None or weekly.empty:
        return week_events(summary.sunday, summary.sunday, summary.lang).iloc[0:0]
    first = pd.Timestamp(weekly["week_start"].min()).date()
    last = pd.Timestamp(weekly["week_start"].max()).date() + dt.timedelta(days=6)
    events = week_events(first, last, summary.lang)
    # the chart draws an event on its first day
    return events[(events["date"] >= first) & (events["date"] <= last)].reset_index(drop=True)


def headline_finding(conn: duckdb.DuckDBPyConnection, until: dt.date, lang: str = "id",
                     scope: tuple[int, ...] = ()) -> Finding:
    """The province-level Pearson correlation of delivered messages per voter (campaign up
    to `until`) with the turnout change 2019-2024, as on the Partisipasi page; without
    election results, the trend of weekly hoax issues up to `until`."""
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
        return Finding(interpret_participation_row(chosen.iloc[0], lang),
                       CAVEATS["association"][lang], data_of_table("participation_tests"))
    weekly = tables.hoax_weekly(conn, Filters(None, until))
    caveat = ("Ini asosiasi, bukan sebab-akibat." if lang == "id"
              else "This is an association, not causation.")
    if len(weekly):
        return Finding(describe_trend(trend_test(weekly, "issues"), lang), caveat, ("hoax",))
    return Finding(("Belum ada data hasil pemilu atau register hoaks untuk diuji." if lang == "id"
                    else "No election results or hoax register loaded to test yet."), caveat, ())


# --- narrative -----------------------------------------------------------------------------


def change_clause(kpi: Kpi, lang: str) -> str:
    """One KPI's change, named with its subject and last week's value, so no reader has to
    guess what rose or fell: 'SMS terkirim turun 19,1% (dari 22.298)', 'tingkat keberhasilan
    turun 0,3 poin (dari 95,2%)'; '' when there is nothing to compare with."""
    lang = normalize_lang(lang)
    subject = t(f"weekly.subject.{kpi.key}", lang)
    change = kpi.change
    if change is None:
        return ""
    before = Kpi(kpi.key, kpi.previous, None, kpi.kind, kpi.approximate).formatted(lang)
    if kpi.kind == "rate":
        size = format_number(abs(change) * 100, 1, lang)
        level = size == format_number(0, 1, lang)
        key = "level" if level else ("points_up" if change > 0 else "points_down")
        return t(f"weekly.change.{key}", lang, what=subject, size=size, before=before)
    if not kpi.previous:
        return t("weekly.change.from_none", lang, what=subject) if change > 0 else ""
    relative = kpi.relative_change
    size = format_percent(abs(relative), 1, lang)
    if size == format_percent(0, 1, lang):
        return t("weekly.change.level", lang, what=subject, before=before)
    key = "up" if relative > 0 else "down"
    return t(f"weekly.change.{key}", lang, what=subject, size=size, before=before)


def _join(items: list[str], lang: str) -> str:
    """'a, b dan c' / 'a, b and c'."""
    items = [i for i in items if i]
    if len(items) < 2:
        return "".join(items)
    return f"{', '.join(items[:-1])} {t('weekly.and', lang)} {items[-1]}"


def narrative(summary: WeeklySummary) -> list[str]:
    """About five sentences from the numbers, in the summary's language; never 'nan'. Each
    change names what changed and from what; a week without sends, without hoax data or with
    an operator missing says so plainly; the election calendar's events of the week are named."""
    lang = summary.lang
    k = summary.kpis
    week, period = summary.iso_week, summary.period_text

    def n(key: str) -> str:
        return k[key].formatted(lang)

    sentences: list[str] = []
    if summary.has_sends:
        sentences.append(t("weekly.story.sent", lang, week=week, period=period, sent=n("sent"),
                           delivered=n("delivered"), rate=n("delivery_rate")))
        changes = [change_clause(k[key], lang) for key in ("sent", "delivered", "delivery_rate")]
        if any(changes):
            sentences.append(t("weekly.story.compare", lang, week=summary.previous_week,
                               changes=_join(changes, lang)))
        elif not k["sent"].previous:
            sentences.append(t("weekly.story.none_before", lang, week=summary.previous_week))
    elif summary.last_send_week:
        sentences.append(t("weekly.story.no_sends", lang, week=week, period=period,
                           last=summary.last_send_week))
    else:
        sentences.append(t("weekly.story.no_sends_yet", lang, week=week, period=period))

    if len(summary.events):
        events = _join([f"{event_description(e, lang)} ("
                        + (_weekday_date(e.date, lang) if e.date == e.end
                           else _event_days(e, lang)) + ")"
                        for e in summary.events.itertuples(index=False)], lang)
        key = ("weekly.story.vote_week" if (summary.events["kind"] == "vote").any()
               else "weekly.story.events")
        sentences.append(t(key, lang, events=events))

    if summary.has_deliveries:
        sentences.append(t("weekly.story.reach", lang, reach=n("unique_reach"),
                           cumulative=n("cumulative_reach")))
    elif k["cumulative_reach"].value:
        sentences.append(t("weekly.story.reach_unchanged", lang,
                           cumulative=n("cumulative_reach")))

    if len(summary.waves):
        # each wave with its channel, as the waves table lists them: 'WA04 (Saluran WhatsApp,
        # 15 Feb)'
        listed = ", ".join(
            f"{w} ({channel_name(c, lang)}, {format_date(d, lang, with_year=False)})"
            for w, c, d in zip(summary.waves["wave_id"], summary.waves["channel"],
                               summary.waves["sent_date"], strict=True))
        sentences.append(t("weekly.story.waves", lang, waves=listed))
    elif summary.has_sends:
        sentences.append(t("weekly.no_waves", lang))

    sentences += _province_sentences(summary)

    if summary.hoax_covered:
        hoax_change = change_clause(k["hoax_new"], lang)
        takedowns_unknown = k["takedowns"].unknown[0]
        sentences.append(t("weekly.story.hoax", lang, issues=n("hoax_new"),
                           taken=n("takedowns"))
                         + (t("weekly.story.takedown_unknown", lang,
                              n=format_number(takedowns_unknown, 0, lang))
                            if takedowns_unknown else "")
                         + (t("weekly.story.hoax_change", lang, change=hoax_change)
                            if hoax_change else "") + ".")
    else:
        sentences.append(hoax_gap_text(summary))

    if summary.operators_missing:
        sentences.append(t("weekly.story.operators_missing", lang,
                           names=_join(summary.operators_missing, lang),
                           waves=", ".join(_waves_owed(summary))))
    return sentences


def hoax_gap_text(summary: WeeklySummary) -> str:
    """Why the week has no hoax counts: no register loaded, or one that ends before the week
    or starts after it; '' when the register reaches the week."""
    lang = summary.lang
    if summary.hoax_covered:
        return ""
    if summary.hoax_last is None:
        return t("weekly.story.no_hoax_register", lang)
    return t("weekly.story.hoax_not_covered", lang, first=format_date(summary.hoax_first, lang),
             last=format_date(summary.hoax_last, lang))


def _waves_owed(summary: WeeklySummary) -> list[str]:
    """The waves the missing operators owe receipts for."""
    frame = summary.operators_expected
    if frame.empty:
        return []
    rows = frame[frame["operator_name"].isin(summary.operators_missing)]
    return sorted({str(w) for waves in rows["waves"] for w in list(waves)})


def per_voter_factor(values: pd.Series | None = None) -> int:
    """The per-voter figures' unit, per style.PER_VOTERS (1,000) voters, whatever the values:
    the same unit as on every other page (it was chosen by the values, and the summary said
    '98 per 1 juta pemilih' where Jangkauan said 0,098 per 1.000). `values` is not used."""
    from dashboard.charts.style import PER_VOTERS

    return PER_VOTERS


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
    # per voter as the Jangkauan page writes it (two decimals at least); per 1.000 or per
    # million voters whole from 10 up; a province that got messages never reads 0
    decimals = significant_decimals(scaled, digits=2, at_least=2 if factor == 1 else 0)
    return format_number(scaled, decimals, lang)


def freshness_text(summary: WeeklySummary) -> str:
    """'Data terakhir dimuat 29 Nov 2024 10:17 WIB.' and which operators owe receipts: an
    operator is flagged only when the week's waves expect it (weekly_operators_expected)."""
    lang = summary.lang
    text = t("weekly.fresh.loaded", lang, when=format_datetime(summary.last_loaded_at, lang))
    owed = summary.operators_expected
    expected = owed[owed["expected"]] if len(owed) else owed
    if summary.operators_missing:
        text += " " + t("weekly.fresh.missing", lang, names=_join(summary.operators_missing, lang),
                        waves=", ".join(_waves_owed(summary)))
    elif len(expected):
        text += " " + t("weekly.fresh.all", lang, count=format_number(len(expected), 0, lang))
    else:
        text += " " + t("weekly.fresh.none_expected", lang)
    return text
