"""Synthetic hoax register (``sample_data/hoax_register.csv``), calibrated to Kominfo's 2023
election-hoax figures.

Official (Kominfo, see ../shared/reference/hoax_kominfo_2023.csv): the monthly counts of
election-related hoax issues for January-November 2023 and the 2023 totals - 203 issues,
2,882 content items (Facebook 1,325, X 947, TikTok 342, Instagram 198, SnackVideo 36,
YouTube 34) of which 1,399 were taken down. The sample reproduces the monthly counts and the
2023 totals of issues, content items and take-downs exactly; December 2023 is set so 2023 adds
up to 203. Everything else is synthetic: January-April 2024 (rising through the campaign,
debates, voting day 14 Feb and the recapitulation 20 Mar 2024, then falling), which days,
titles, themes, platforms, provinces and URLs. The platform mix follows the 2023 content-item
mix approximately (the register names an issue's platforms, not its items per platform).

Hoaxes are placed around the election calendar (debates, voting day, recapitulation), never
around the SMS waves, so any association the dashboard finds with the waves is not built in.

Deterministic: numpy ``default_rng(seed)``; the same seed writes a byte-identical file.
Run ``python -m dashboard.sample.hoax --out sample_data`` to regenerate it.
"""

from __future__ import annotations

import argparse
import csv
import io
import math
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import numpy as np

from dashboard.sample.manifest import write_section

DEFAULT_SEED = 2024
FILE_NAME = "hoax_register.csv"
HEADER = ("hoax_id", "identified_date", "title", "category", "election_related", "theme",
          "platforms", "content_items", "taken_down", "province", "source_url")

# Kominfo: election-related hoax issues per month, 2023 (Jan-Nov official; Dec chosen so that
# 2023 sums to the official 203). 2024: synthetic.
MONTHLY_ISSUES: dict[str, int] = {
    "2023-01": 1, "2023-02": 1, "2023-03": 6, "2023-04": 1, "2023-05": 5, "2023-06": 9,
    "2023-07": 14, "2023-08": 18, "2023-09": 13, "2023-10": 18, "2023-11": 39,
    "2023-12": 78,
    "2024-01": 88, "2024-02": 115, "2024-03": 96, "2024-04": 30,
}
ISSUES_2023 = 203
CONTENT_ITEMS_2023 = 2882
TAKEN_DOWN_2023 = 1399
PLATFORM_ITEMS_2023: dict[str, int] = {
    "Facebook": 1325, "X (Twitter)": 947, "TikTok": 342, "Instagram": 198, "SnackVideo": 36,
    "YouTube": 34,
}
# Sampling weights for an issue's platforms (drawn without replacement), tuned so that the
# content items split equally among an issue's platforms come out near the 2023 mix above.
PLATFORM_WEIGHTS: dict[str, float] = {
    "Facebook": 0.5474, "X (Twitter)": 0.3120, "TikTok": 0.0906, "Instagram": 0.0378,
    "SnackVideo": 0.0051, "YouTube": 0.0071,
}
# Spellings the ingest must normalise (a few rows use them).
PLATFORM_SPELLINGS: dict[str, tuple[str, ...]] = {
    "Facebook": ("FB", "facebook"), "X (Twitter)": ("Twitter", "X"), "TikTok": ("Tiktok",),
    "Instagram": ("IG",), "YouTube": ("Youtube",), "SnackVideo": ("Snack Video",),
}
THEMES: dict[str, float] = {
    "endorsement": 0.30, "manipulated_photo": 0.14, "sara": 0.10, "electoral_fraud": 0.13,
    "disqualification": 0.09, "term_extension": 0.08, "election_conduct": 0.16,
}
# Election calendar (../shared/reference/election_calendar.csv): (day, extra weight for the
# days around it, spread in days).
EVENTS: tuple[tuple[date, float, float], ...] = (
    (date(2023, 11, 28), 1.0, 3.0),  # campaign starts
    (date(2023, 12, 12), 2.0, 2.5),  # presidential debate 1
    (date(2023, 12, 22), 2.0, 2.5),  # vice-presidential debate
    (date(2024, 1, 7), 2.0, 2.5),  # presidential debate
    (date(2024, 1, 21), 2.0, 2.5),  # vice-presidential debate
    (date(2024, 2, 4), 2.0, 2.5),  # final presidential debate
    (date(2024, 2, 14), 5.0, 4.0),  # voting day
    (date(2024, 3, 20), 3.0, 4.0),  # national recapitulation
)
NON_ELECTION_ROWS = 9
SOURCE_URL = "https://www.komdigi.go.id/berita/klarifikasi-hoaks/detail/sampel-sintetis-{slug}"

FIGURES = ("Seorang Ulama Besar", "Mantan Panglima TNI", "Pelatih Timnas Sepak Bola",
           "Artis Korea", "Presiden Amerika Serikat", "Ketua Umum Partai", "Seorang Gubernur",
           "Tokoh Adat Papua", "Pengusaha Nasional", "Rektor Universitas Negeri",
           "Komedian Terkenal", "Atlet Bulu Tangkis", "Penyanyi Dangdut", "Mantan Menteri",
           "Kiai Pesantren", "Pendeta Terkenal", "Influencer Kuliner", "Seorang Bupati")
PLACES = ("Bogor", "Medan", "Makassar", "Surabaya", "Bekasi", "Palembang", "Kupang",
          "Jayapura", "Pontianak", "Padang", "Semarang", "Banjarmasin", "Mataram", "Ambon",
          "Manado", "Sleman", "Kendari", "Jambi", "Cianjur", "Garut", "Depok", "Malang",
          "Batam", "Pekanbaru", "Bandar Lampung", "Samarinda", "Palu", "Ternate", "Sorong",
          "Denpasar")
MEDIA = ("Video", "Foto", "Tangkapan Layar", "Pesan Berantai", "Unggahan", "Artikel",
         "Rekaman Suara")
TITLES: dict[str, tuple[str, ...]] = {
    "endorsement": (
        "[HOAKS] {medium} {figure} Menyatakan Dukungan kepada Pasangan Calon Nomor Urut {n}",
        "[HOAKS] Surat Dukungan {figure} untuk Capres Nomor Urut {n}",
        "[HOAKS] {medium} {figure} Ajak Warga {place} Pilih Paslon {n}",
        "[HOAKS] {medium} Kampanye {figure} Bersama Paslon Nomor Urut {n} di {place}",
        "[HOAKS] {medium} Relawan {figure} Deklarasikan Dukungan untuk Paslon {n}",
    ),
    "manipulated_photo": (
        "[HOAKS] Foto Capres Nomor Urut {n} Berpelukan dengan {figure}",
        "[HOAKS] Foto Kerumunan Massa Kampanye Paslon {n} di {place}",
        "[HOAKS] Foto Baliho Paslon {n} Dipasang di Rumah Ibadah di {place}",
        "[HOAKS] Foto Cawapres Nomor Urut {n} Memakai Atribut Terlarang di {place}",
        "[HOAKS] Foto Editan Paslon {n} Makan Bersama {figure}",
    ),
    "sara": (
        "[HOAKS] {medium} Capres Nomor Urut {n} Menghina Agama Tertentu di {place}",
        "[HOAKS] {medium} Cawapres Nomor Urut {n} Akan Melarang Kegiatan Ibadah",
        "[HOAKS] {medium} Larangan Memilih Calon dari Suku Tertentu di {place}",
        "[HOAKS] {medium} Ceramah {figure} Sebut Paslon {n} Anti-Agama",
    ),
    "electoral_fraud": (
        "[HOAKS] {medium} Surat Suara Sudah Tercoblos untuk Paslon {n} di {place}",
        "[HOAKS] {medium} Kotak Suara Dibuka Sebelum Pemungutan Suara di {place}",
        "[HOAKS] {medium} Server KPU Disetel untuk Memenangkan Paslon Nomor Urut {n}",
        "[HOAKS] {medium} Sirekap Menggelembungkan Suara Paslon {n} di {place}",
        "[HOAKS] {medium} Ribuan Surat Suara Dibuang ke Sungai di {place}",
        "[HOAKS] {medium} Petugas KPPS di {place} Mencoblos Sisa Surat Suara",
    ),
    "disqualification": (
        "[HOAKS] {medium} KPU Mendiskualifikasi Pasangan Calon Nomor Urut {n}",
        "[HOAKS] {medium} Bawaslu Coret Paslon {n} karena Dana Kampanye dari {place}",
        "[HOAKS] {medium} MK Batalkan Pencalonan Cawapres Nomor Urut {n}",
        "[HOAKS] {medium} Capres Nomor Urut {n} Gugur karena Ijazah Palsu",
    ),
    "term_extension": (
        "[HOAKS] {medium} Pemilu 2024 Ditunda dan Masa Jabatan Presiden Diperpanjang",
        "[HOAKS] {medium} DPR Sahkan Masa Jabatan Presiden Tiga Periode",
        "[HOAKS] {medium} Surat Edaran Penundaan Pemilu 2024 ke Tahun {year}",
        "[HOAKS] {medium} {figure} Sebut Pemilu Diundur demi Perpanjangan Jabatan",
    ),
    "election_conduct": (
        "[HOAKS] {medium} Pemungutan Suara di {place} Diundur ke {day} Februari 2024",
        "[HOAKS] {medium} Pemilih di {place} Wajib Membawa Fotokopi KTP ke TPS",
        "[HOAKS] {medium} Mencoblos Dua Gambar Paslon Tetap Dianggap Sah",
        "[HOAKS] {medium} TPS di {place} Ditutup Pukul {hour}.00",
        "[HOAKS] {medium} Pemilih yang Belum Vaksin Dilarang Masuk TPS di {place}",
        "[HOAKS] {medium} Undangan Memilih di {place} Bisa Diwakilkan Tanpa Surat Kuasa",
    ),
}
NON_ELECTION: tuple[tuple[str, str], ...] = (
    ("Penipuan", "[HOAKS] Pendaftaran Bansos Rp600 Ribu Lewat Tautan WhatsApp"),
    ("Kesehatan", "[HOAKS] Minum Air Kelapa Campur Garam Sembuhkan Demam Berdarah"),
    ("Kebencanaan", "[HOAKS] Video Tsunami Terjang Pantai {place} Hari Ini"),
    ("Penipuan", "[HOAKS] Lowongan Kerja BUMN Tanpa Tes Lewat Pesan Singkat"),
    ("Kesehatan", "[HOAKS] Vaksin Menyebabkan Kemandulan pada Remaja"),
    ("Pemerintahan", "[HOAKS] Kartu Prakerja Gelombang Baru Dibuka Lewat Tautan Ini"),
    ("Kebencanaan", "[HOAKS] Gunung Berapi di {place} Akan Meletus Besok"),
    ("Penipuan", "[HOAKS] Undian Berhadiah Mobil dari Operator Seluler"),
    ("Kesehatan", "[HOAKS] Rebusan Daun Sirsak Sembuhkan Kanker dalam Sepekan"),
)
# Province spellings used by the sample (most issues are national: empty province).
PROVINCE_SPELLINGS = ("Jawa Barat", "JAWA TIMUR", "Jateng", "DKI Jakarta", "Sumatera Utara",
                      "Prov. Sulawesi Selatan", "Banten", "Papua", "Kalimantan Barat", "32",
                      "Nusa Tenggara Timur", "Riau", "Bali", "Sumatra Barat", "Lampung")
PROVINCE_SHARE = 0.3


@dataclass(frozen=True)
class BadRow:
    """A deliberate defect, the line it lands on and what ingest should make of it."""

    kind: str
    line: int
    hoax_id: str
    expected_outcome: str  # loaded | duplicate | rejected
    expected_reason: str  # reason code (rejected / duplicate) or warning code (loaded)


def _month_days(month: str) -> list[date]:
    year, mon = (int(p) for p in month.split("-"))
    first = date(year, mon, 1)
    nxt = date(year + (mon == 12), mon % 12 + 1, 1)
    return [first + timedelta(days=i) for i in range((nxt - first).days)]


def _day_weight(day: date) -> float:
    weight = 1.0
    for event, extra, spread in EVENTS:
        weight += extra * math.exp(-abs((day - event).days) / spread)
    if date(2024, 2, 11) <= day <= date(2024, 2, 13):  # quiet period: hoaxes keep coming
        weight += 1.0
    return weight


def _theme_weights(day: date) -> np.ndarray:
    w = dict(THEMES)
    if day < date(2023, 7, 1):
        w["term_extension"] *= 5.0
    elif day >= date(2023, 12, 1):
        w["term_extension"] *= 0.3
    if date(2023, 10, 1) <= day < date(2023, 12, 1):
        w["disqualification"] *= 2.5
    if day < date(2023, 12, 1):
        w["electoral_fraud"] *= 0.5
    elif day >= date(2024, 2, 10):
        w["electoral_fraud"] *= 3.0
        w["endorsement"] *= 0.6
    if date(2024, 1, 1) <= day < date(2024, 3, 1):
        w["election_conduct"] *= 2.0
    if date(2023, 11, 15) <= day < date(2024, 2, 11):
        w["endorsement"] *= 1.5
    if date(2023, 12, 1) <= day < date(2024, 2, 1):
        w["sara"] *= 1.3
    values = np.array(list(w.values()))
    return values / values.sum()


def _allocate(total: int, weights: np.ndarray, minimum: int = 1) -> np.ndarray:
    """Split ``total`` into integers >= minimum proportional to weights (largest remainder)."""
    spare = total - minimum * len(weights)
    if spare < 0:
        raise ValueError("total too small for the minimum")
    exact = weights / weights.sum() * spare
    base = np.floor(exact).astype(int)
    order = np.argsort(-(exact - base), kind="stable")
    base[order[: spare - base.sum()]] += 1
    return base + minimum


def _fit_takedowns(rng: np.random.Generator, items: np.ndarray, target: int) -> np.ndarray:
    """Take-downs per issue around 49% with issue-to-issue spread, summing to ``target``."""
    share = rng.beta(3.0, 3.2, size=len(items))
    taken = rng.binomial(items, share)
    while taken.sum() != target:
        if taken.sum() < target:
            candidates = np.flatnonzero(taken < items)
            taken[rng.choice(candidates)] += 1
        else:
            candidates = np.flatnonzero(taken > 0)
            taken[rng.choice(candidates)] -= 1
    return taken


@dataclass
class _Issue:
    day: date
    theme: str
    title: str
    category: str
    election: bool
    platforms: list[str]
    items: int
    taken: int | None
    province: str
    slug: str = ""
    hoax_id: str = ""


def _title(rng: np.random.Generator, template: str) -> str:
    return template.format(figure=FIGURES[rng.integers(len(FIGURES))],
                           place=PLACES[rng.integers(len(PLACES))], n=int(rng.integers(1, 4)),
                           medium=MEDIA[rng.integers(len(MEDIA))],
                           year=int(rng.integers(2025, 2028)), day=int(rng.integers(15, 29)),
                           hour=int(rng.integers(9, 13)))


def _new_title(rng: np.random.Generator, templates: tuple[str, ...], used: set[str]) -> str:
    """A title not used before (Kominfo gives each issue its own title); repeats are added on
    purpose elsewhere."""
    for _ in range(200):
        title = _title(rng, templates[rng.integers(len(templates))])
        if title not in used:
            used.add(title)
            return title
    raise RuntimeError("ran out of distinct titles; add templates")


def _platforms(rng: np.random.Generator, items: int) -> list[str]:
    names = list(PLATFORM_WEIGHTS)
    weights = np.array(list(PLATFORM_WEIGHTS.values()))
    k = 1 + int(rng.binomial(2, min(0.55, items / 45)))
    chosen = rng.choice(len(names), size=min(k, items), replace=False, p=weights / weights.sum())
    return [names[i] for i in sorted(chosen)]


def _slug(title: str) -> str:
    words = "".join(c.lower() if c.isalnum() else " " for c in title.replace("[HOAKS]", ""))
    return "-".join(words.split()[:8])


def build_issues(seed: int = DEFAULT_SEED) -> list[_Issue]:
    """The valid issues (election and non-election), in date order, ids assigned."""
    rng = np.random.default_rng(seed)
    issues: list[_Issue] = []
    used: set[str] = set()
    for month, count in MONTHLY_ISSUES.items():
        days = _month_days(month)
        p = np.array([_day_weight(d) for d in days])
        picked = sorted(rng.choice(len(days), size=count, replace=True, p=p / p.sum()))
        for i in picked:
            day = days[i]
            theme = list(THEMES)[rng.choice(len(THEMES), p=_theme_weights(day))]
            issues.append(_Issue(day, theme, _new_title(rng, TITLES[theme], used), "Politik",
                                 True, [], 0, None, ""))
    # content items: heavy-tailed spread, the 2023 total exactly, 2024 at the same mean
    raw = rng.lognormal(mean=0.0, sigma=0.9, size=len(issues))
    in_2023 = np.array([i.day.year == 2023 for i in issues])
    items = np.zeros(len(issues), dtype=int)
    items[in_2023] = _allocate(CONTENT_ITEMS_2023, raw[in_2023])
    later = int(round(CONTENT_ITEMS_2023 / ISSUES_2023 * (~in_2023).sum()))
    items[~in_2023] = _allocate(later, raw[~in_2023])
    taken = np.zeros(len(issues), dtype=int)
    taken[in_2023] = _fit_takedowns(rng, items[in_2023], TAKEN_DOWN_2023)
    taken[~in_2023] = _fit_takedowns(rng, items[~in_2023],
                                     int(round(items[~in_2023].sum() * 0.51)))
    for issue, n, t in zip(issues, items, taken, strict=True):
        issue.items, issue.taken = int(n), int(t)
        issue.platforms = _platforms(rng, issue.items)
        if rng.random() < PROVINCE_SHARE:
            issue.province = PROVINCE_SPELLINGS[rng.integers(len(PROVINCE_SPELLINGS))]
    # take-down counts not yet reported for the latest issues (unknown, not zero)
    for issue in issues:
        if issue.day >= date(2024, 4, 22) and rng.random() < 0.6:
            issue.taken = None
    # a few non-election hoaxes from the same register
    span = (date(2024, 4, 15) - date(2023, 1, 15)).days
    for k, (category, template) in enumerate(NON_ELECTION):
        day = date(2023, 1, 15) + timedelta(days=span * k // (len(NON_ELECTION) - 1))
        items_k = int(rng.integers(2, 12))
        issues.append(_Issue(day, "", _new_title(rng, (template,), used), category, False,
                             _platforms(rng, items_k), items_k,
                             int(rng.integers(0, items_k + 1)), ""))
    issues.sort(key=lambda i: (i.day, i.title))
    counters: dict[int, int] = {}
    for issue in issues:
        counters[issue.day.year] = counters.get(issue.day.year, 0) + 1
        issue.hoax_id = f"HX{issue.day.year}-{counters[issue.day.year]:04d}"
        issue.slug = f"{issue.hoax_id.lower()}-{_slug(issue.title)}"
    return issues


def _row(issue: _Issue, platform_text: str | None = None) -> list[str]:
    return [issue.hoax_id, issue.day.isoformat(), issue.title, issue.category,
            "yes" if issue.election else "no", issue.theme,
            platform_text if platform_text is not None else ";".join(issue.platforms),
            str(issue.items), "" if issue.taken is None else str(issue.taken), issue.province,
            SOURCE_URL.format(slug=issue.slug)]


def build_register(seed: int = DEFAULT_SEED) -> tuple[list[list[str]], list[BadRow]]:
    """The file's data rows (as text, in file order) and the deliberate defects."""
    rng = np.random.default_rng(seed + 1)
    issues = build_issues(seed)
    rows = [_row(i) for i in issues]
    # a few rows spell platforms the way spreadsheets do ("FB; Twitter")
    for index in rng.choice(len(issues), size=12, replace=False):
        issue = issues[index]
        spelled = [PLATFORM_SPELLINGS[p][rng.integers(len(PLATFORM_SPELLINGS[p]))]
                   for p in issue.platforms]
        rows[index] = _row(issue, "; ".join(spelled))

    by_day = {i.hoax_id: n for n, i in enumerate(issues)}
    inserts: list[tuple[int, str, list[str], str, str]] = []  # (after index, kind, row, ...)

    def near(day: date) -> int:
        return max(n for n, i in enumerate(issues) if i.day <= day)

    dup = issues[near(date(2024, 2, 14))]
    inserts.append((by_day[dup.hoax_id] + 3, "duplicate_id", _row(dup), "duplicate",
                    "duplicate_hoax_id"))
    base = issues[near(date(2023, 12, 13))]
    over = _row(base)
    over[0], over[7], over[8] = "HX2023-9001", "12", "15"
    inserts.append((near(date(2023, 12, 13)), "taken_down_exceeds_content_items", over,
                    "rejected", "taken_down_exceeds_content_items"))
    bad_date = _row(issues[near(date(2024, 2, 28))])
    bad_date[0], bad_date[1] = "HX2024-9002", "2024-02-30"
    inserts.append((near(date(2024, 2, 28)), "bad_date", bad_date, "rejected",
                    "bad_identified_date"))
    negative = _row(issues[near(date(2024, 1, 10))])
    negative[0], negative[7] = "HX2024-9003", "-4"
    inserts.append((near(date(2024, 1, 10)), "negative_count", negative, "rejected",
                    "negative_content_items"))
    first = issues[near(date(2024, 2, 15))]
    repeated = next(i for i in issues  # a later issue of the same theme resurfaces the title
                    if i.day >= date(2024, 3, 18) and i.theme == first.theme)
    rows[by_day[repeated.hoax_id]][2] = first.title  # the same hoax resurfacing: kept, warned
    missing = issues[near(date(2024, 1, 22))]
    rows[by_day[missing.hoax_id]][8] = ""  # take-down count not reported: NULL, not 0

    # odd but valid (issue 14): kept and warned, never rejected
    threads = issues[near(date(2023, 7, 20))]  # Threads opened on 6 July 2023; not in our list
    rows[by_day[threads.hoax_id]][6] += ";Threads"
    abroad = next(i for i in issues if i.day >= date(2024, 2, 8) and i.province)
    rows[by_day[abroad.hoax_id]][9] = "Luar Negeri"  # voters abroad: no province code

    marked = {by_day[repeated.hoax_id]: ("repeated_title", repeated.hoax_id, "loaded",
                                         "repeated_title"),
              by_day[missing.hoax_id]: ("missing_taken_down", missing.hoax_id, "loaded",
                                        "taken_down NULL"),
              by_day[threads.hoax_id]: ("unknown_platform", threads.hoax_id, "loaded",
                                        "unknown_platform"),
              by_day[abroad.hoax_id]: ("unknown_province", abroad.hoax_id, "loaded",
                                       "unknown_province")}
    out: list[list[str]] = []
    defects: list[BadRow] = []
    extra = sorted(inserts, key=lambda x: x[0])
    pending = list(extra)
    for index, row in enumerate(rows):
        out.append(row)
        if index in marked:
            kind, hoax_id, outcome, reason = marked[index]
            defects.append(BadRow(kind, len(out) + 1, hoax_id, outcome, reason))
        while pending and pending[0][0] == index:
            _, kind, bad, outcome, reason = pending.pop(0)
            out.append(bad)
            defects.append(BadRow(kind, len(out) + 1, bad[0], outcome, reason))
    return out, defects


def render(rows: list[list[str]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(HEADER)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


WARNING_KINDS = ("repeated_title", "unknown_platform", "unknown_province")


def manifest_section(rows: list[list[str]], defects: list[BadRow],
                     seed: int) -> dict[str, object]:
    """The register's entry in MANIFEST.json: counts and warnings its defects must give."""
    outcomes = [d.expected_outcome for d in defects]
    warned = [d.expected_reason for d in defects if d.expected_reason in WARNING_KINDS]
    return {
        "file": FILE_NAME, "format": "hoax", "seed": seed,
        "regenerate": ".venv/bin/python -m dashboard.sample.hoax --out sample_data",
        "rows": len(rows),
        "defects": [{"line": d.line, "kind": d.kind, "hoax_id": d.hoax_id,
                     "outcome": d.expected_outcome, "reason": d.expected_reason}
                    for d in defects],
        "expected": {"rows_read": len(rows),
                     "loaded": len(rows) - outcomes.count("duplicate")
                     - outcomes.count("rejected"),
                     "duplicate": outcomes.count("duplicate"),
                     "rejected": outcomes.count("rejected")},
        "warnings": {kind: warned.count(kind) for kind in sorted(set(warned))},
    }


def generate_hoax_register(out_dir: Path, seed: int = DEFAULT_SEED) -> Path:
    """Write ``hoax_register.csv`` into ``out_dir`` and its section "hoax" into the
    MANIFEST.json there; returns its path."""
    out_dir.mkdir(parents=True, exist_ok=True)
    rows, defects = build_register(seed)
    path = out_dir / FILE_NAME
    path.write_bytes(render(rows))
    write_section(out_dir, "hoax", manifest_section(rows, defects, seed))
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m dashboard.sample.hoax",
                                     description="Write the synthetic hoax register.")
    parser.add_argument("--out", type=Path, default=Path("sample_data"))
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    args = parser.parse_args(argv)
    path = generate_hoax_register(args.out, args.seed)
    _, defects = build_register(args.seed)
    print(f"wrote {path}")
    for d in defects:
        print(f"  line {d.line}: {d.kind} ({d.hoax_id}) -> {d.expected_outcome}, "
              f"{d.expected_reason}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
