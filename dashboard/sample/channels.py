"""Synthetic status-bar impressions and WhatsApp Channel counts (issue 17): the campaign's
channels beside the SMS blasts, following the waves catalogue (sample_data/waves.csv:
status-bar texts SB01-SB03, WhatsApp Channel posts WA01-WA04).

- ``status_bar_<operator>_sb01-03.csv[.gz]``: one row per operator x wave x day x province for
  the days each status-bar text ran (SB01 10 days from 15 Dec 2023, SB02 8 days from 15 Jan
  2024, SB03 6 days from 5 Feb 2024, ending before the 11-13 Feb quiet period). Devices that
  see the text on a day are in proportion to the operator's subscribers (2023) times its
  regional weight (Telkomsel stronger outside Java-Bali, Smartfren weaker and absent in the
  Papua highlands) times the province's share of DPT 2024; each device sees it 2-3.5 times, so
  unique_devices < impressions. Clicks: empty for SB01 (a plain reminder), 0.4-1.2 % of
  impressions for SB02 and SB03, whose placements open a landing page when tapped (the
  catalogue has no link column and no status-bar text holds a URL: which placements linked is
  set here). Each operator writes provinces its own way (``JAWA BARAT``, ``32``, ``Jabar``,
  ``Prov. Jawa Barat``).
- ``status_bar_smartfren_sb01_late.csv``: SB01's last day, which Smartfren sent late, with
  three rows that must be rejected.
- ``wa_updates_2024-02-16.csv`` and ``wa_updates_2024-02-29.csv.gz``: two exports of the
  channel's posts (the WA waves and four posts without a wave); the later one has grown counts
  and one newer post, and replaces the earlier counts.
- ``wa_daily.csv``: the channel's daily insights 1 Dec 2023 - 29 Feb 2024; followers[t] =
  followers[t-1] + gained - lost exactly, with jumps on posting and debate days.

Everything is at the scale of the receipts sample (about 1/1,000 of the national numbers), so
the channels compare in proportion on the Kanal page. All counts are invented.

Odd-but-valid rows and defects, a few on purpose (the bulk is clean); the section "channels"
of sample_data/MANIFEST.json lists them with the counts and warnings loading must give, counted
here from the rows as written (not by running the ingest).

Deterministic: numpy ``default_rng(seed)``, gzip with mtime 0; the same seed writes the same
bytes. Run ``python -m dashboard.sample.channels --out sample_data`` to regenerate (after
dashboard.sample.receipts, which rewrites the manifest whole).
"""

from __future__ import annotations

import argparse
import csv
import gzip
import io
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import cache
from importlib import resources
from pathlib import Path

import numpy as np

from dashboard import reference
from dashboard.sample.manifest import write_group

DEFAULT_SEED = 2024
SECTION = "channels"
REGENERATE = ".venv/bin/python -m dashboard.sample.channels --out sample_data"
SCALE = 1 / 1000  # as the receipts sample: about 1/1,000 of a national campaign

STATUS_BAR_HEADER = ("operator", "wave_id", "date", "province", "impressions", "unique_devices",
                     "clicks")
WA_UPDATES_HEADER = ("update_id", "wave_id", "posted_at", "views", "reactions", "forwards")
WA_DAILY_HEADER = ("date", "followers", "gained", "lost", "accounts_reached_30d")


@dataclass(frozen=True)
class Run:
    """The days a status-bar text ran, and whether tapping it opened a landing page."""

    wave_id: str
    first_day: date
    days: int
    linked: bool


RUNS = (
    Run("SB01", date(2023, 12, 15), 10, linked=False),  # a plain reminder: no clicks
    Run("SB02", date(2024, 1, 15), 8, linked=True),
    Run("SB03", date(2024, 2, 5), 6, linked=True),  # 5-10 Feb: before the quiet period
)
OPERATORS = ("telkomsel", "indosat", "xl", "smartfren")
JAVA_BALI = frozenset({31, 32, 33, 34, 35, 36, 51})
# (weight in Java-Bali, weight elsewhere): synthetic regional strengths
REGIONAL = {"telkomsel": (1.0, 1.5), "indosat": (1.2, 0.8), "xl": (1.2, 0.8),
            "smartfren": (1.3, 0.6)}
ABSENT = {"smartfren": frozenset({94, 95})}  # no Smartfren network in the Papua highlands
FIRST_DAY_SEEN = 0.20  # share of an operator's subscribers who see the text on its first day
DAILY_DECAY = 0.88
CLICK_RATE = (0.004, 0.012)
VIEWS_PER_DEVICE = (2.0, 3.5)

STATUS_BAR_NAME = "status_bar_{operator}_sb01-03.csv{gz}"
GZIPPED = frozenset({"telkomsel"})
CRLF = frozenset({"smartfren"})  # saved from a spreadsheet, as its receipts are
LATE_NAME = "status_bar_smartfren_sb01_late.csv"
WA_DAILY_NAME = "wa_daily.csv"
WA_EXPORTS = (("wa_updates_2024-02-16.csv", datetime(2024, 2, 16, 12, 0)),
              ("wa_updates_2024-02-29.csv.gz", datetime(2024, 2, 29, 12, 0)))
WA_FIRST_DAY, WA_LAST_DAY = date(2023, 12, 1), date(2024, 2, 29)

# The channel's posts (times WIB): the WA waves and posts that name no wave.
POSTS = (
    ("PDC-231201-01", "WA01", datetime(2023, 12, 1, 10, 0)),  # the channel opens
    ("PDC-231212-01", "", datetime(2023, 12, 12, 18, 30)),  # watch the first debate
    ("PDC-231228-01", "", datetime(2023, 12, 28, 11, 15)),  # a hoax clarification
    ("PDC-240110-01", "WA02", datetime(2024, 1, 10, 12, 0)),
    ("PDC-240122-01", "", datetime(2024, 1, 22, 9, 45)),  # after the fourth debate
    ("PDC-240207-01", "WA03", datetime(2024, 2, 7, 9, 0)),
    ("PDC-240215-01", "WA04", datetime(2024, 2, 15, 8, 0)),
    ("PDC-240220-01", "", datetime(2024, 2, 20, 10, 30)),  # after the first export
)

# The few odd rows (odd-but-valid spellings load; defects are set aside or rejected).
UNKNOWN_PROVINCE = "Luar Negeri"  # roaming devices abroad: no province
UNKNOWN_WAVE = "SB04"  # a text the catalogue does not list
OUT_OF_WINDOW = date(2023, 2, 7)  # 2024 written as 2023
# the ingest's names (dashboard/ingest/channels.py) for what these rows must give
WARNING_KINDS = {"unknown_province": "unknown_province", "unknown_wave": "unknown_wave",
                 "out_of_window": "outside_campaign"}
REJECT_REASONS = {"negative_count": "negative_count",
                  "devices_exceed_impressions": "devices_exceed_impressions",
                  "impossible_date": "bad_date"}


@dataclass
class Row:
    """A line as written, with what loading it must give: its outcome (loaded, duplicate,
    superseded, rejected), the warnings of a loaded row, a rejected row's reason."""

    cells: tuple[str, ...]
    outcome: str = "loaded"
    warnings: tuple[str, ...] = ()
    reason: str | None = None
    defect: str | None = None  # the odd thing about the row, when there is one


@dataclass
class Written:
    name: str
    kind: str
    rows: list[Row]
    newline: str = "\n"
    operator: str | None = None
    variants: dict[str, int] = field(default_factory=dict)
    replaced: int = 0  # stored rows of earlier files this one replaces


# --------------------------------------------------------------------------------------------
# Status bar
# --------------------------------------------------------------------------------------------

def _subscribers() -> dict[str, float]:
    """Operator -> subscribers 2023, millions (dashboard/reference/operators.csv)."""
    text = resources.files("dashboard.reference").joinpath("operators.csv").read_text("utf-8")
    return {r["operator"]: float(r["subscribers_2023_millions"])
            for r in csv.DictReader(io.StringIO(text)) if r["subscribers_2023_millions"]}


@cache
def _spell(operator: str, code: int) -> str:
    """The province as this operator's export writes it."""
    provinces = reference.provinces().set_index("province_code")
    name, short = provinces.at[code, "name"], provinces.at[code, "short"]
    spelled = {"telkomsel": name.upper(), "indosat": str(code), "xl": short,
               "smartfren": f"Prov. {name}"}[operator]
    if reference.province_code(spelled) != code:  # the sample must not depend on luck
        raise AssertionError(f"{spelled!r} does not resolve to {code}")
    return spelled


def _province_weights(operator: str) -> dict[int, float]:
    dpt = reference.dpt_2024()
    share = dict(zip(dpt["province_code"].astype(int), dpt["dpt_2024"] / dpt["dpt_2024"].sum(),
                     strict=True))
    java, elsewhere = REGIONAL[operator]
    raw = {code: s * (java if code in JAVA_BALI else elsewhere) for code, s in share.items()
           if code not in ABSENT.get(operator, ())}
    total = sum(raw.values())
    return {code: raw[code] / total for code in sorted(raw)}


def _counts(rng: np.random.Generator, devices: float, linked: bool) -> tuple[int, int, str]:
    unique = max(3, round(devices * rng.lognormal(0.0, 0.1)))
    impressions = round(unique * rng.uniform(*VIEWS_PER_DEVICE))
    clicks = str(round(impressions * rng.uniform(*CLICK_RATE))) if linked else ""
    return impressions, unique, clicks


def status_bar_days(rng: np.random.Generator) -> dict[str, list[tuple[str, date, int, int, int,
                                                                      str]]]:
    """Clean rows per operator: (wave_id, day, province_code, impressions, unique_devices,
    clicks), in wave, day and province order."""
    subscribers = _subscribers()
    rows: dict[str, list[tuple[str, date, int, int, int, str]]] = {}
    for operator in OPERATORS:
        weights = _province_weights(operator)
        reached = subscribers[operator] * 1e6 * SCALE * FIRST_DAY_SEEN
        rows[operator] = []
        for run in RUNS:
            for k in range(run.days):
                day_devices = reached * DAILY_DECAY ** k * rng.uniform(0.92, 1.08)
                for code, weight in weights.items():
                    impressions, unique, clicks = _counts(rng, day_devices * weight, run.linked)
                    rows[operator].append((run.wave_id, run.first_day + timedelta(k), code,
                                           impressions, unique, clicks))
    return rows


def _cells(operator: str, wave_id: str, day: date | str, province: str, impressions: int | str,
           unique: int | str, clicks: str) -> tuple[str, ...]:
    return (operator, wave_id, str(day), province, str(impressions), str(unique), clicks)


def _grouped(value: int) -> str:
    """A count as an Indonesian spreadsheet writes it: 12.345."""
    return f"{value:,}".replace(",", ".")


def build_status_bar(seed: int = DEFAULT_SEED) -> list[Written]:
    """The four operators' files and Smartfren's late file, with their odd rows."""
    rng = np.random.default_rng(seed)
    days = status_bar_days(rng)
    written = []
    sb01_last = RUNS[0].first_day + timedelta(RUNS[0].days - 1)
    late: list[tuple[str, date, int, int, int, str]] = []
    for operator in OPERATORS:
        clean = days[operator]
        if operator == "smartfren":  # its last SB01 day came later, in its own file
            late = [r for r in clean if r[0] == "SB01" and r[1] == sb01_last]
            clean = [r for r in clean if not (r[0] == "SB01" and r[1] == sb01_last)]
        rows = [Row(_cells(operator, w, d, _spell(operator, c), i, u, k))
                for w, d, c, i, u, k in clean]
        variants: Counter[str] = Counter()
        variants[{"telkomsel": "province_upper_case_name", "indosat": "province_code",
                  "xl": "province_short_name", "smartfren": "province_prov_prefix"}[operator]] \
            = len(rows)
        _odd_rows(operator, rows, variants, rng)
        gz = ".gz" if operator in GZIPPED else ""
        written.append(Written(STATUS_BAR_NAME.format(operator=operator, gz=gz), "status_bar",
                               rows, "\r\n" if operator in CRLF else "\n", operator,
                               dict(variants)))
    written.append(_late_file(late))
    return written


def _odd_rows(operator: str, rows: list[Row], variants: Counter[str],
              rng: np.random.Generator) -> None:
    """Each operator's few odd rows, in place (positions fixed: the bulk stays clean)."""
    if operator == "telkomsel":
        # a corrected row at the end of the file: same key, other counts; the first is
        # superseded, the correction loads
        first = rows[500]
        first.outcome, first.defect = "superseded", "corrected_later"
        _, wave, day, province, impressions, unique, clicks = first.cells
        grown = round(int(impressions) * 1.07)
        rows.append(Row(_cells(operator, wave, day, province, grown, unique,
                               str(round(int(clicks) * 1.07)) if clicks else ""),
                        defect="correction"))
    elif operator == "indosat":
        # a count grouped in thousands (loads as 12345, no warning)
        target = next(r for r in rows[300:] if int(r.cells[4]) >= 1000)
        target.cells = (*target.cells[:4], _grouped(int(target.cells[4])), *target.cells[5:])
        target.defect = "grouped_thousands"
        variants["grouped_thousands"] += 1
        # a row for a text the catalogue lacks (loads, warning)
        wave, day = "SB03", date(2024, 2, 8)
        base = next(r for r in rows if r.cells[1] == wave and r.cells[2] == str(day)
                    and r.cells[3] == "31")
        rows.insert(rows.index(base) + 1, Row(
            _cells(operator, UNKNOWN_WAVE, day, "31", *base.cells[4:]),
            warnings=(WARNING_KINDS["unknown_wave"],), defect="unknown_wave"))
    elif operator == "xl":
        # devices roaming abroad: no province (loads with province NULL, warning)
        day = date(2023, 12, 20)
        at = max(i for i, r in enumerate(rows) if r.cells[2] == str(day)) + 1
        impressions = int(rng.integers(150, 400))
        rows.insert(at, Row(_cells(operator, "SB01", day, UNKNOWN_PROVINCE, impressions,
                                   impressions // 3, ""),
                            warnings=(WARNING_KINDS["unknown_province"],),
                            defect="unknown_province"))
        # the same line twice (the second is a duplicate)
        at = next(i for i, r in enumerate(rows) if r.cells[1] == "SB03"
                  and r.cells[2] == "2024-02-06" and r.cells[3] == "Jatim")
        rows.insert(at + 1, Row(rows[at].cells, outcome="duplicate", defect="exact_duplicate"))
    else:
        # SB03 in 2023 (a year typo): outside the campaign, loads with a warning
        base = next(r for r in rows if r.cells[1] == "SB03" and r.cells[2] == "2024-02-07"
                    and r.cells[3] == "Prov. Jawa Timur")
        rows.insert(rows.index(base) + 1, Row(
            _cells(operator, "SB03", OUT_OF_WINDOW, "Prov. Jawa Timur", *base.cells[4:]),
            warnings=(WARNING_KINDS["out_of_window"],), defect="out_of_window"))


def _late_file(late: list[tuple[str, date, int, int, int, str]]) -> Written:
    """Smartfren's late SB01 day: every province once; three rows are impossible."""
    rows = [Row(_cells("smartfren", w, d, _spell("smartfren", c), i, u, k))
            for w, d, c, i, u, k in late]
    broken = {5: "negative_count", 17: "devices_exceed_impressions", 29: "impossible_date"}
    for at, defect in broken.items():
        _, wave, day, province, impressions, unique, clicks = rows[at].cells
        if defect == "negative_count":
            impressions = f"-{impressions}"
        elif defect == "devices_exceed_impressions":
            unique = str(int(impressions) + int(unique))
        else:
            day = "2023-12-32"
        rows[at] = Row(_cells("smartfren", wave, day, province, impressions, unique, clicks),
                       outcome="rejected", reason=REJECT_REASONS[defect], defect=defect)
    return Written(LATE_NAME, "status_bar", rows, operator="smartfren",
                   variants={"province_prov_prefix": len(rows)})


# --------------------------------------------------------------------------------------------
# WhatsApp Channel
# --------------------------------------------------------------------------------------------

def wa_daily_rows(rng: np.random.Generator) -> list[tuple[date, int, int, int, int]]:
    """(day, followers, gained, lost, accounts_reached_30d) from the channel's first day;
    followers before it are 0."""
    post_days = {posted.date() for _, _, posted in POSTS}
    calendar = reference.election_calendar()
    debates = set(calendar.loc[calendar["kind"] == "debate", "date"].dt.date)
    voting_day = calendar.loc[calendar["kind"] == "vote", "date"].dt.date.iloc[0]
    rows, followers, reached = [], 0, []
    day = WA_FIRST_DAY
    while day <= WA_LAST_DAY:
        base = 14 if day < date(2024, 1, 1) else 24 if day <= voting_day else 9
        gained = int(rng.poisson(base))
        if day == WA_FIRST_DAY:
            gained += 620  # the launch, announced by the ministry
        elif day in post_days:
            gained += int(rng.integers(70, 160))
        if day in debates or day == voting_day:
            gained += int(rng.integers(30, 60))
        lost = min(followers, int(rng.poisson(2 + 0.004 * followers))
                   + (int(rng.integers(3, 9)) if day in post_days else 0))
        followers += gained - lost
        reached.append(followers * rng.uniform(0.10, 0.14) + (
            followers * 0.6 if day in post_days else 0))
        # the same accounts come back day after day: about a fifth of the daily sum is new
        rows.append((day, followers, gained, lost, round(0.19 * sum(reached[-30:]))))
        day += timedelta(1)
    return rows


def _followers_on(rows: list[tuple[date, int, int, int, int]], day: date) -> int:
    return next(f for d, f, *_ in rows if d == day)


def wa_update_counts(rng: np.random.Generator, daily: list[tuple[date, int, int, int, int]]
                     ) -> list[dict[str, tuple[int, int, int]]]:
    """Per export, update_id -> (views, reactions, forwards) as of the export's time: views
    grow fast in the first day, then slowly (forwards keep reaching people)."""
    final = {}
    for update_id, _, posted in POSTS:
        views = _followers_on(daily, posted.date()) * rng.uniform(0.75, 1.10)
        final[update_id] = (posted, views, rng.uniform(0.03, 0.06), rng.uniform(0.01, 0.03))
    exports = []
    for _, as_of in WA_EXPORTS:
        counts = {}
        for update_id, (posted, views, reacting, forwarding) in final.items():
            if posted >= as_of:
                continue
            hours = (as_of - posted).total_seconds() / 3600
            seen = views * (1 - 0.5 ** (hours / 24)) * (1 + 0.01 * hours / 24)
            counts[update_id] = (round(seen), round(seen * reacting), round(seen * forwarding))
        exports.append(counts)
    return exports


def build_whatsapp(seed: int = DEFAULT_SEED) -> list[Written]:
    """The daily insights and the two exports of the channel's updates."""
    rng = np.random.default_rng([seed, 17])
    daily = wa_daily_rows(rng)
    written = [Written(WA_DAILY_NAME, "wa_daily", [Row(tuple(str(v) for v in r)) for r in daily])]
    stored: set[str] = set()
    for (name, _), counts in zip(WA_EXPORTS, wa_update_counts(rng, daily), strict=True):
        later = bool(stored)
        rows = []
        for update_id, wave_id, posted in POSTS:
            if update_id not in counts:
                continue
            # the first export writes WIB with its offset, the later one without (WIB too)
            when = posted.isoformat(sep=" ") if later else posted.isoformat() + "+07:00"
            rows.append(Row((update_id, wave_id, when, *(str(c) for c in counts[update_id]))))
        variants = {"posted_at_without_offset": len(rows)} if later else {
            "posted_at_with_offset": len(rows)}
        variants["no_wave_id"] = sum(r.cells[1] == "" for r in rows)
        written.append(Written(name, "wa_updates", rows, variants=variants,
                               replaced=len(stored & set(counts))))
        stored |= set(counts)
    return written


# --------------------------------------------------------------------------------------------
# Files and manifest
# --------------------------------------------------------------------------------------------

def render(written: Written) -> bytes:
    header = {"status_bar": STATUS_BAR_HEADER, "wa_updates": WA_UPDATES_HEADER,
              "wa_daily": WA_DAILY_HEADER}[written.kind]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator=written.newline)
    writer.writerow(header)
    writer.writerows(r.cells for r in written.rows)
    data = buffer.getvalue().encode("utf-8")
    return gzip.compress(data, compresslevel=9, mtime=0) if written.name.endswith(".gz") \
        else data


def build(seed: int = DEFAULT_SEED) -> list[Written]:
    """Every file, in the order the sample loads them (file name order)."""
    return sorted([*build_status_bar(seed), *build_whatsapp(seed)], key=lambda w: w.name)


def _entry(written: Written) -> dict[str, object]:
    rows = written.rows
    outcomes = Counter(r.outcome for r in rows)
    warned = Counter(w for r in rows if r.outcome == "loaded" for w in r.warnings)
    rejected = Counter(r.reason for r in rows if r.outcome == "rejected")
    return {
        "file": written.name, "format": written.kind, "operator": written.operator,
        "compression": "gzip" if written.name.endswith(".gz") else "none",
        "line_endings": "CRLF" if written.newline == "\r\n" else "LF",
        "rows": len(rows),
        "defects": [{"line": n, "kind": r.defect, "outcome": r.outcome,
                     **({"reason": r.reason} if r.reason else {}),
                     **({"warnings": list(r.warnings)} if r.warnings else {})}
                    for n, r in enumerate(rows, start=2) if r.defect],
        "variants": written.variants,
        "expected": {"rows_read": len(rows), "loaded": outcomes["loaded"],
                     "duplicate": outcomes["duplicate"], "superseded": outcomes["superseded"],
                     "rejected": outcomes["rejected"], "replaced": written.replaced,
                     # status bar: loaded rows without a province, as receipts count them
                     **({"unknown_province": warned["unknown_province"]}
                        if written.kind == "status_bar" else {})},
        "warnings": dict(sorted(warned.items())),
        "reject_reasons": dict(sorted(rejected.items())),
    }


def end_state(files: list[Written]) -> dict[str, object]:
    """What the tables hold after every file is loaded in order: status-bar totals by operator
    and province (the loaded rows; a corrected row counts once, as corrected), views per update
    (the latest export), followers on the last day."""
    impressions: Counter[str] = Counter()
    devices: Counter[str] = Counter()
    by_province: Counter[str] = Counter()
    views: dict[str, int] = {}
    for written in files:
        for row in written.rows:
            if row.outcome != "loaded":
                continue
            if written.kind == "status_bar":
                operator, _, _, province, shown, unique, _ = row.cells
                count = int(shown.replace(".", ""))
                impressions[operator] += count
                devices[operator] += int(unique)
                code = reference.province_code(province)
                by_province["unknown" if code is None else str(code)] += count
            elif written.kind == "wa_updates":
                views[row.cells[0]] = int(row.cells[3])
    daily = next(w for w in files if w.kind == "wa_daily").rows
    return {
        "status_bar": {
            "impressions_by_operator": dict(sorted(impressions.items())),
            "unique_devices_by_operator": dict(sorted(devices.items())),
            "impressions_by_province": dict(sorted(by_province.items(),
                                                   key=lambda kv: (kv[0] == "unknown", kv[0]))),
        },
        "wa_updates": {"views_by_update": dict(sorted(views.items()))},
        "wa_daily": {"days": len(daily), "last_date": daily[-1].cells[0],
                     "followers_last_day": int(daily[-1].cells[1])},
    }


def manifest_section(files: list[Written], seed: int) -> dict[str, object]:
    return {
        "about": "Synthetic status-bar impressions (one file per operator, and Smartfren's late "
                 "day) and WhatsApp Channel counts (daily insights; two exports of the posts, "
                 "the later replacing the earlier's counts), written by "
                 "dashboard/sample/channels.py at about 1/1,000 of national scale. 'expected' "
                 "and 'warnings' are what ingest must count when the files are loaded in the "
                 "order listed (file name order, after waves.csv) into a database holding the "
                 "waves catalogue; 'end_state' is what the tables then hold.",
        "regenerate": REGENERATE,
        "seed": seed,
        "status_bar_runs": [{"wave_id": r.wave_id, "first_day": r.first_day.isoformat(),
                             "days": r.days, "clicks": r.linked} for r in RUNS],
        "files": [_entry(w) for w in files],
        "end_state": end_state(files),
    }


def generate_channels(out_dir: Path, seed: int = DEFAULT_SEED) -> list[Path]:
    """Write the channel files into out_dir and the section "channels" of its MANIFEST.json;
    returns the files' paths in load order."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    files = build(seed)
    paths = []
    for written in files:
        path = out_dir / written.name
        path.write_bytes(render(written))
        paths.append(path)
    write_group(out_dir, SECTION, manifest_section(files, seed))
    return paths


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m dashboard.sample.channels",
                                     description="Write the synthetic channel files.")
    parser.add_argument("--out", type=Path, default=Path("sample_data"))
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    args = parser.parse_args(argv)
    for path in generate_channels(args.out, args.seed):
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

