"""Synthetic delivery receipts and the waves catalogue of the Pemilu Damai 2024 SMS blast.

Everything here is deterministic (numpy ``default_rng(seed)``; gzip with mtime 0): the same seed
writes byte-identical files. Two uses:

- ``generate_sample_receipts``: the committed sample in ``sample_data/`` - every operator's
  export in its own dialect (``dashboard/ingest/profiles/*.toml``), an SMPP delivery-receipt log,
  a canonical file of late receipts, a few percent of deliberately bad rows, and
  ``MANIFEST.json`` saying exactly what each file holds and what ingest should make of it.
- ``stream_*_receipts``: N valid rows (10 M-100 M for benchmarks), written in vectorised chunks
  so memory stays flat.

Only the province sizes (KPU DPT 2024) and the operators' number prefixes are real; every
receipt, number, rate and latency is invented. Run
``python -m dashboard.sample.receipts --out sample_data`` to regenerate the sample.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import io
import json
import re
import tomllib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cache, reduce
from importlib import resources
from pathlib import Path
from typing import BinaryIO
from zoneinfo import ZoneInfo

import numpy as np

from dashboard.sample.manifest import MANIFEST_NAME, file_hashes

DEFAULT_SEED = 2024
STREAM_SEED = 7
CHUNK_ROWS = 200_000  # rows per vectorised chunk: about 0.4 GB peak, as fast as larger chunks
SAMPLE_GZIP_LEVEL = 9
STREAM_GZIP_LEVEL = 1  # benchmarks write gigabytes; level 1 is several times faster than 9
WIB_OFFSET_S = 7 * 3600
WAVES_NAME = "waves.csv"
LATE_NAME = "receipts_z_late_canonical.csv"  # "z": sorts after the exports, so loads last
CANONICAL_HEADER = ("operator", "message_id", "wave_id", "msisdn", "province", "submitted_at",
                    "done_at", "status", "error_code")

OPERATORS = ("telkomsel", "indosat", "xl", "smartfren")
STATES = ("DELIVRD", "UNDELIV", "EXPIRED", "REJECTD", "DELETED", "UNKNOWN", "ENROUTE", "ACCEPTD")
DELIVRD, UNDELIV, EXPIRED, REJECTD, DELETED, UNKNOWN, ENROUTE, ACCEPTD = range(len(STATES))
FINAL_STATES = frozenset({DELIVRD, UNDELIV, EXPIRED, REJECTD, DELETED, UNKNOWN, ACCEPTD})

# Defect name -> the reason code ingest is expected to give the rejected line.
REJECT_REASONS = {
    "truncated_line": "wrong_column_count",
    "extra_column": "wrong_column_count",
    "invalid_utf8": "invalid_utf8",
    "bad_date": "bad_submitted_at",
    "impossible_date": "bad_done_at",
    "done_before_submitted": "done_before_submitted",
    "unknown_status": "unknown_status",
    "bad_msisdn": "bad_msisdn",
    "malformed_json": "malformed_json",
    "unknown_operator": "unknown_operator",
}

_S = np.dtypes.StringDType()


# --------------------------------------------------------------------------------------------
# Waves catalogue
# --------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Wave:
    wave_id: str
    channel: str  # sms | status_bar | whatsapp_channel
    sent_date: date
    theme: str
    message_text: str


def _wave(wave_id: str, channel: str, day: str, theme: str, text: str) -> Wave:
    return Wave(wave_id, channel, date.fromisoformat(day), theme, text)


# Synthetic texts in the style of the ministry's messages; dates avoid the quiet period
# (11-13 Feb 2024) and voting day (14 Feb).
WAVES: tuple[Wave, ...] = (
    _wave("SMS01", "sms", "2023-12-04", "turnout",
          "Pemilu Damai 2024: Rabu 14 Februari 2024 saatnya memilih. Cek namamu di DPT lewat "
          "cekdptonline.kpu.go.id. Suaramu menentukan! -Kominfo"),
    _wave("SMS02", "sms", "2023-12-11", "anti_hoax",
          "Pemilu Damai 2024: Jangan mudah percaya info pemilu yang belum jelas sumbernya. Saring "
          "sebelum sharing. Laporkan hoaks ke aduankonten.id -Kominfo"),
    _wave("SMS03", "sms", "2023-12-18", "anti_sara",
          "Pemilu Damai 2024: Beda pilihan itu biasa, persatuan yang utama. Tolak kampanye SARA "
          "dan ujaran kebencian. #PemiluDamai -Kominfo"),
    _wave("SMS04", "sms", "2023-12-27", "anti_polarisation",
          "Pemilu Damai 2024: Jangan biarkan beda pilihan memecah keluarga dan sahabat. Tetap "
          "rukun setelah pemilu. #PemiluDamai -Kominfo"),
    _wave("SMS05", "sms", "2024-01-08", "right_to_vote",
          "Pemilu Damai 2024: Memilih adalah hakmu. Pindah domisili? Urus pindah memilih di "
          "PPS/KPU setempat sebelum batas waktunya. #PemiluDamai -Kominfo"),
    _wave("SMS06", "sms", "2024-01-15", "valid_ballot",
          "Pemilu Damai 2024: Coblos satu kali pada foto, nama atau nomor urut pasangan calon "
          "agar suaramu sah. #PemiluDamai -Kominfo"),
    _wave("SMS07", "sms", "2024-01-24", "anti_hoax",
          "Pemilu Damai 2024: Waspada hoaks dan video editan menjelang hari pemungutan suara. "
          "Cek fakta sebelum membagikan. #PemiluDamai -Kominfo"),
    _wave("SMS08", "sms", "2024-02-01", "valid_ballot",
          "Pemilu Damai 2024: Di TPS kamu menerima 5 surat suara (4 di DKI Jakarta). Coblos "
          "dengan benar, lipat lagi, masukkan ke kotak. -Kominfo"),
    _wave("SMS09", "sms", "2024-02-08", "turnout",
          "Pemilu Damai 2024: Rabu 14 Februari TPS buka pukul 07.00-13.00 waktu setempat. Bawa "
          "KTP-el dan C Pemberitahuan. Gunakan hak pilihmu! -Kominfo"),
    _wave("SMS10", "sms", "2024-02-16", "thanks",
          "Terima kasih telah menggunakan hak pilih di Pemilu 2024. Jaga persatuan dan tunggu "
          "hasil resmi dari KPU. #PemiluDamai -Kominfo"),
    _wave("SB01", "status_bar", "2023-12-15", "turnout", "Pemilu Damai 2024"),
    _wave("SB02", "status_bar", "2024-01-15", "valid_ballot",
          "Pemilu Damai 2024 - Coblos yang benar, suaramu sah"),
    _wave("SB03", "status_bar", "2024-02-05", "turnout", "Pemilu Damai 2024 - Ayo ke TPS 14 Feb"),
    _wave("WA01", "whatsapp_channel", "2023-12-01", "anti_hoax",
          "Selamat datang di saluran Pemilu Damai 2024. Di sini Kominfo membagikan info resmi "
          "tahapan pemilu dan klarifikasi hoaks. Saring sebelum sharing!"),
    _wave("WA02", "whatsapp_channel", "2024-01-10", "anti_polarisation",
          "Debat boleh panas, persaudaraan tetap hangat. Hormati pilihan orang lain dan hindari "
          "ujaran kebencian di media sosial. #PemiluDamai"),
    _wave("WA03", "whatsapp_channel", "2024-02-07", "right_to_vote",
          "Tujuh hari lagi pemungutan suara. Pastikan namamu ada di DPT, cek lokasi TPS-mu, dan "
          "simpan C Pemberitahuan. Setiap suara berharga. #PemiluDamai"),
    _wave("WA04", "whatsapp_channel", "2024-02-15", "thanks",
          "Terima kasih kepada pemilih, petugas KPPS, pengawas dan aparat yang menjaga Pemilu "
          "2024 tetap damai. Tunggu hasil resmi KPU dan tolak hoaks hasil pemilu."),
)
SMS_WAVES: tuple[Wave, ...] = tuple(w for w in WAVES if w.channel == "sms")
QUIET_DAYS = (date(2024, 2, 11), date(2024, 2, 12), date(2024, 2, 13), date(2024, 2, 14))
# Share of the sample's recipient pool each SMS wave reaches (synthetic).
WAVE_PARTICIPATION = (0.52, 0.55, 0.50, 0.48, 0.56, 0.58, 0.55, 0.60, 0.62, 0.50)


UPPER_CASE_CHANNEL = ("SMS05", "SMS09")


def generate_waves(out_dir: Path) -> Path:
    """Write the waves catalogue ``waves.csv`` (wave_id,channel,sent_date,theme,message_text)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(("wave_id", "channel", "sent_date", "theme", "message_text"))
    for wave in WAVES:
        # odd but valid (issue 14): a catalogue typed by hand spells a channel in capitals
        channel = wave.channel.upper() if wave.wave_id in UPPER_CASE_CHANNEL else wave.channel
        writer.writerow((wave.wave_id, channel, wave.sent_date.isoformat(), wave.theme,
                         wave.message_text))
    path = out_dir / WAVES_NAME
    path.write_bytes(buffer.getvalue().encode("utf-8"))
    return path


# --------------------------------------------------------------------------------------------
# Reference data and synthetic assumptions
# --------------------------------------------------------------------------------------------

# Operator shares by region (telkomsel, indosat, xl, smartfren): synthetic, shaped after the
# common picture - Telkomsel dominant outside Java and in the east, Indosat and XL strongest on
# Java, Smartfren mostly urban Java and Sumatra.
REGION_SHARES = {
    "java": (0.36, 0.30, 0.22, 0.12),
    "sumatra": (0.50, 0.26, 0.16, 0.08),
    "bali_nusra": (0.52, 0.26, 0.16, 0.06),
    "kalimantan": (0.60, 0.19, 0.16, 0.05),
    "sulawesi": (0.66, 0.16, 0.14, 0.04),
    "maluku_ntt": (0.78, 0.12, 0.08, 0.02),
    "papua": (0.88, 0.07, 0.04, 0.01),
}
URBAN_SMARTFREN = {31: 0.17, 32: 0.14, 36: 0.14, 35: 0.12, 34: 0.12, 12: 0.11, 21: 0.11,
                   14: 0.10, 16: 0.09}
OPERATOR_DELIVERY = (0.965, 0.935, 0.945, 0.90)
# Lower delivery where coverage is thin (synthetic): Papua highlands worst, then Maluku, NTT.
PROVINCE_PENALTY = {95: 0.12, 94: 0.09, 91: 0.07, 93: 0.07, 92: 0.06, 96: 0.05, 81: 0.05,
                    82: 0.05, 53: 0.05, 65: 0.02, 62: 0.02, 76: 0.02, 74: 0.02, 72: 0.015,
                    61: 0.015}
JAVA_BONUS = 0.01
BRAND_SHARE = {"Tri (3)": 0.30, "Axis": 0.25}  # share of the group's numbers on a second brand
MISMATCH_SHARE = 0.003  # numbers whose prefix belongs to another operator than the file's
# Failure kinds given a failure (UNDELIV, EXPIRED, REJECTD, DELETED, UNKNOWN); remote provinces
# expire more (handsets out of coverage until the validity period ends).
FAILURE_MIX = (0.50, 0.40, 0.06, 0.02, 0.02)
FAILURE_MIX_REMOTE = (0.35, 0.57, 0.04, 0.02, 0.02)
# Error code frequencies per final state; 027 (absent subscriber) dominates, as in practice.
ERROR_MIX = {
    UNDELIV: {27: .30, 1: .14, 6: .04, 5: .05, 11: .05, 13: .07, 31: .07, 32: .08, 34: .05,
              40: .06, 9: .02, 21: .02, 35: .02, 36: .01, 12: .01, 33: .01},
    EXPIRED: {27: .62, 6: .12, 0: .16, 31: .06, 40: .04},
    REJECTD: {13: .40, 11: .30, 9: .15, 21: .10, 12: .05},
    DELETED: {0: .70, 34: .30},
    UNKNOWN: {34: .60, 0: .40},
}
PERMANENT_ERRORS = (1, 5, 9, 11, 12, 13, 21)  # fail at once, no retries
# Send window per operator: (start hour WIB, length in hours); sends stay within 08:00-20:00.
SEND_WINDOW = ((9.0, 6.0), (10.0, 5.0), (8.0, 5.0), (13.0, 7.0))
PENDING_SHARE = 0.02  # messages still ENROUTE when the operator exported
RESOLVED_SHARE = 0.85  # of those, the final state arrives in the late canonical file
ENROUTE_STREAM_SHARE = 0.005

ENGLISH_NAMES = {12: "North Sumatra", 13: "West Sumatra", 16: "South Sumatra",
                 19: "Bangka Belitung Islands", 21: "Riau Islands", 31: "Jakarta",
                 32: "West Java", 33: "Central Java", 34: "Yogyakarta", 35: "East Java",
                 52: "West Nusa Tenggara", 53: "East Nusa Tenggara", 61: "West Kalimantan",
                 62: "Central Kalimantan", 63: "South Kalimantan", 64: "East Kalimantan",
                 65: "North Kalimantan", 71: "North Sulawesi", 72: "Central Sulawesi",
                 73: "South Sulawesi", 74: "Southeast Sulawesi", 76: "West Sulawesi",
                 82: "North Maluku", 92: "West Papua", 93: "South Papua", 94: "Central Papua",
                 95: "Highland Papua", 96: "Southwest Papua"}
UNKNOWN_PROVINCES = ("LUAR NEGERI", "-")  # spellings no alias resolves
UNKNOWN_PROVINCE_SHARE = 0.0017
BLANK_PROVINCE_SHARE = 0.0008
SMSC_BY_REGION = {"java": "SMSC-JKT2", "sumatra": "SMSC-MDN1", "bali_nusra": "SMSC-DPS1",
                  "kalimantan": "SMSC-BPN1", "sulawesi": "SMSC-MKS1", "maluku_ntt": "SMSC-MKS2",
                  "papua": "SMSC-JYP1"}


def _region(code: int) -> str:
    if 31 <= code <= 36:
        return "java"
    if code < 30:
        return "sumatra"
    if code in (51, 52):
        return "bali_nusra"
    if 61 <= code <= 65:
        return "kalimantan"
    if 71 <= code <= 76:
        return "sulawesi"
    if code in (53, 81, 82):
        return "maluku_ntt"
    return "papua"


@dataclass(frozen=True)
class _Reference:
    codes: np.ndarray  # province codes, reference order (index = province index)
    dpt_cdf: np.ndarray  # cumulative DPT share
    share_cdf: np.ndarray  # (province, operator) cumulative operator shares
    operator_province_cdf: tuple[np.ndarray, ...]  # per operator: cumulative DPT x share
    delivery: np.ndarray  # (province, operator) delivery probability
    remote: np.ndarray  # bool per province
    prefixes: tuple[np.ndarray, ...]  # per operator: prefixes without the 0 ('812')
    prefix_cdf: tuple[np.ndarray, ...]
    spellings: dict[str, np.ndarray]  # style -> spelling per province
    smsc: np.ndarray  # SMSC name per province
    error_codes: frozenset[int]


def _package_csv(package: str, name: str) -> list[dict[str, str]]:
    text = resources.files(package).joinpath(name).read_text(encoding="utf-8")
    return list(csv.DictReader(io.StringIO(text)))


@cache
def _reference() -> _Reference:
    provinces = _package_csv("dashboard.reference", "provinces.csv")
    dpt = {int(r["province_code"]): int(r["dpt_2024"])
           for r in _package_csv("dashboard.reference", "dpt_2024.csv")}
    codes = np.array([int(r["code"]) for r in provinces], dtype=np.int64)
    weights = np.array([dpt[c] for c in codes], dtype=np.float64)
    shares = np.array([REGION_SHARES[_region(c)] for c in codes], dtype=np.float64)
    for row, code in enumerate(codes):
        if code in URBAN_SMARTFREN:  # raise Smartfren, scale the others to keep the sum 1
            rest = shares[row, :3] / shares[row, :3].sum()
            shares[row] = (*(rest * (1 - URBAN_SMARTFREN[code])), URBAN_SMARTFREN[code])
    share_cdf = np.cumsum(shares, axis=1)
    share_cdf[:, -1] = 1.0
    operator_cdf = []
    for op in range(len(OPERATORS)):
        w = weights * shares[:, op]
        operator_cdf.append(np.cumsum(w) / w.sum())
    penalty = np.array([PROVINCE_PENALTY.get(c, 0.0) - (JAVA_BONUS if 31 <= c <= 36 else 0.0)
                        for c in codes])
    delivery = np.clip(np.array(OPERATOR_DELIVERY)[None, :] - penalty[:, None], 0.7, 0.99)

    prefixes: list[np.ndarray] = []
    prefix_cdf: list[np.ndarray] = []
    rows = _package_csv("dashboard.reference", "operators.csv")
    for op in OPERATORS:
        brands = [r for r in rows if r["operator"] == op]
        second = sum(BRAND_SHARE.get(r["brand"], 0.0) for r in brands)
        found: list[str] = []
        found_w: list[float] = []
        for r in brands:
            share = BRAND_SHARE.get(r["brand"], 1.0 - second)
            plist = r["prefixes"].split()
            found += [p.removeprefix("0") for p in plist]
            found_w += [share / len(plist)] * len(plist)
        prefixes.append(np.array(found, dtype=_S))
        cdf = np.cumsum(found_w) / sum(found_w)
        cdf[-1] = 1.0
        prefix_cdf.append(cdf)

    names = [r["name"] for r in provinces]
    shorts = [r["short"] for r in provinces]
    spellings = {
        "code": [str(c) for c in codes],
        "name": names,
        "upper": [n.upper() for n in names],
        "short": shorts,
        "short_upper": [s.upper() for s in shorts],
        "prov": ["Prov. " + n for n in names],
        "provinsi_upper": ["PROVINSI " + n.upper() for n in names],
        "english": [ENGLISH_NAMES.get(int(c), n) for c, n in zip(codes, names, strict=True)],
    }
    error_codes = frozenset(int(r["error_code"])
                            for r in _package_csv("dashboard.reference", "error_codes.csv"))
    return _Reference(
        codes=codes,
        dpt_cdf=np.cumsum(weights) / weights.sum(),
        share_cdf=share_cdf,
        operator_province_cdf=tuple(operator_cdf),
        delivery=delivery,
        remote=penalty >= 0.04,
        prefixes=tuple(prefixes),
        prefix_cdf=tuple(prefix_cdf),
        spellings={k: np.array(v, dtype=_S) for k, v in spellings.items()},
        smsc=np.array([SMSC_BY_REGION[_region(c)] for c in codes], dtype=_S),
        error_codes=error_codes,
    )


def province_spellings() -> dict[str, list[str]]:
    """Every province spelling the generator writes, by style (for tests against the aliases)."""
    return {style: values.tolist() for style, values in _reference().spellings.items()}


# --------------------------------------------------------------------------------------------
# Recipients and receipts as arrays
# --------------------------------------------------------------------------------------------

def _splitmix(x: np.ndarray) -> np.ndarray:
    z = x + np.uint64(0x9E3779B97F4A7C15)
    z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    return z ^ (z >> np.uint64(31))


def _hash_uniform(idx: np.ndarray, salt: int) -> np.ndarray:
    """A uniform number in [0, 1) that depends only on (recipient, salt): a recipient keeps
    province, operator and number in every chunk without a pool held in memory."""
    key = idx.astype(np.uint64) * np.uint64(16) + np.uint64(salt)
    return (_splitmix(key) >> np.uint64(11)).astype(np.float64) * 2.0 ** -53


@dataclass
class _Recipients:
    province: np.ndarray  # province index
    operator: np.ndarray  # operator index (the network that sends to the number)
    nsn: np.ndarray  # national number without 0 or 62, e.g. '81234567890'
    mismatch: np.ndarray  # True: the number's prefix belongs to another operator


def _recipients(idx: np.ndarray, operator: int | None = None) -> _Recipients:
    ref = _reference()
    n = len(idx)
    if operator is None:
        province = np.searchsorted(ref.dpt_cdf, _hash_uniform(idx, 1), side="right")
        province = np.minimum(province, len(ref.codes) - 1)
        u = _hash_uniform(idx, 2)
        op = (u[:, None] >= ref.share_cdf[province]).sum(axis=1)
        op = np.minimum(op, len(OPERATORS) - 1)
    else:
        cdf = ref.operator_province_cdf[operator]
        province = np.minimum(np.searchsorted(cdf, _hash_uniform(idx, 1), side="right"),
                              len(ref.codes) - 1)
        op = np.full(n, operator)
    mismatch = _hash_uniform(idx, 3) < MISMATCH_SHARE
    other = (op + 1 + (_hash_uniform(idx, 4) * 3).astype(np.int64)) % len(OPERATORS)
    prefix_op = np.where(mismatch, other, op)
    u_prefix = _hash_uniform(idx, 5)
    prefix = np.empty(n, dtype=_S)
    for o in range(len(OPERATORS)):
        mask = prefix_op == o
        pick = np.searchsorted(ref.prefix_cdf[o], u_prefix[mask], side="right")
        prefix[mask] = ref.prefixes[o][np.minimum(pick, len(ref.prefixes[o]) - 1)]
    # a bijection of [0, 10**8): distinct recipients never share a number
    subscriber = (idx.astype(np.int64) * 40_503_037 + 27_182_818) % 10**8
    nsn = np.strings.add(prefix, _digits_text(subscriber, 8))
    return _Recipients(province.astype(np.int64), op.astype(np.int64), nsn, mismatch)


@dataclass
class _Outcomes:
    submitted: np.ndarray  # WIB wall-clock seconds since 1970-01-01 00:00
    done: np.ndarray  # same clock; -1 = no done time
    state: np.ndarray  # index into STATES
    error: np.ndarray  # numeric error code


def _wave_days() -> np.ndarray:
    return np.array([(w.sent_date - date(1970, 1, 1)).days for w in SMS_WAVES], dtype=np.int64)


def _lognormal(rng: np.random.Generator, median_s: float, sigma: float, n: int) -> np.ndarray:
    return rng.lognormal(np.log(median_s), sigma, n)


def _draw_outcomes(rng: np.random.Generator, operator: np.ndarray, province: np.ndarray,
                   wave: np.ndarray) -> _Outcomes:
    """Send time on the wave's day (08:00-20:00 WIB), final state, error code and latency."""
    ref = _reference()
    n = len(operator)
    window = np.array(SEND_WINDOW)
    shift = (wave % 3) * 0.5  # waves start at slightly different hours
    start = window[operator, 0] + shift
    length = np.minimum(window[operator, 1], 20.0 - start)
    hours = start + rng.beta(1.3, 2.0, n) * length  # front-loaded, like a batch queue
    submitted = _wave_days()[wave] * 86400 + np.floor(hours * 3600).astype(np.int64)

    remote = ref.remote[province]
    delivered = rng.random(n) < ref.delivery[province, operator]
    kinds = np.array([UNDELIV, EXPIRED, REJECTD, DELETED, UNKNOWN])
    normal_kind = rng.choice(kinds, n, p=FAILURE_MIX)
    remote_kind = rng.choice(kinds, n, p=FAILURE_MIX_REMOTE)
    state = np.where(delivered, DELIVRD, np.where(remote, remote_kind, normal_kind))

    error = np.zeros(n, dtype=np.int64)
    for s, mix in ERROR_MIX.items():
        mask = state == s
        error[mask] = rng.choice(list(mix), mask.sum(), p=list(mix.values()))

    # latency in seconds: a lognormal body and a long tail (handsets off, retries)
    fast = _lognormal(rng, 4.0, 1.0, n)
    slow = _lognormal(rng, 900.0, 1.6, n)
    latency = np.where(rng.random(n) < 0.88, fast, slow)
    latency = latency * np.where(remote, 2.5, 1.0)
    retry = np.minimum(_lognormal(rng, 1800.0, 1.3, n), 86_000.0)
    quick = _lognormal(rng, 2.0, 0.7, n)
    validity = rng.choice([86_400.0, 172_800.0, 259_200.0], n, p=[0.70, 0.25, 0.05])
    validity = validity + rng.uniform(0, 600, n)
    latency = np.select(
        [state == DELIVRD,
         (state == UNDELIV) & np.isin(error, PERMANENT_ERRORS),
         state == UNDELIV,
         state == EXPIRED,
         state == REJECTD,
         state == DELETED],
        [latency, quick, retry, validity, quick * 0.5, _lognormal(rng, 7200.0, 1.0, n)],
        default=_lognormal(rng, 600.0, 1.5, n),
    )
    latency = np.clip(latency, 1.0, 4 * 86_400.0)
    done = submitted + np.ceil(latency).astype(np.int64)
    return _Outcomes(submitted, done, state.astype(np.int64), error)


# --------------------------------------------------------------------------------------------
# Vectorised text
# --------------------------------------------------------------------------------------------

_ZERO = ord("0")
_HEX = np.array([ord(c) for c in "0123456789ABCDEF"], dtype=np.uint32)


def _digit_matrix(values: np.ndarray, width: int) -> np.ndarray:
    v = np.asarray(values, dtype=np.int64)
    powers = 10 ** np.arange(width - 1, -1, -1, dtype=np.int64)
    return (_ZERO + (v[:, None] // powers) % 10).astype(np.uint32)


def _matrix_text(matrix: np.ndarray) -> np.ndarray:
    """Rows of code points as fixed-width text (no copy: a view of the matrix)."""
    m = np.ascontiguousarray(matrix, dtype=np.uint32)
    return m.view(f"<U{m.shape[1]}").reshape(-1)


def _digits_text(values: np.ndarray, width: int) -> np.ndarray:
    """Zero-padded decimal text of non-negative integers."""
    return _matrix_text(_digit_matrix(values, width))


def _concat(*parts: np.ndarray | str) -> np.ndarray:
    return reduce(np.strings.add, parts)


def _join(columns: list[np.ndarray], delimiter: str) -> list[str]:
    """Lines from columns (joining Python strings beats chained numpy string adds here)."""
    return list(map(delimiter.join, zip(*(c.tolist() for c in columns), strict=True)))


def _civil(seconds: np.ndarray) -> tuple[np.ndarray, ...]:
    days = seconds // 86400
    tod = seconds - days * 86400
    d = days.astype("datetime64[D]")
    year = d.astype("datetime64[Y]").astype(np.int64) + 1970
    month = d.astype("datetime64[M]").astype(np.int64) % 12 + 1
    day = (d - d.astype("datetime64[M]")).astype(np.int64) + 1
    return year, month, day, tod // 3600, tod // 60 % 60, tod % 60


def _format_parts(parts: tuple[np.ndarray, ...], pattern: str) -> np.ndarray:
    """strftime for arrays: %Y %y %m %d %H %I %M %S %p and literal characters."""
    year, month, day, hour, minute, second = (np.asarray(p, dtype=np.int64) for p in parts)
    n = len(year)
    h12 = hour % 12
    h12[h12 == 0] = 12
    ampm = np.stack([np.where(hour < 12, ord("A"), ord("P")), np.full(n, ord("M"))], axis=1)
    tokens = {"%Y": lambda: _digit_matrix(year, 4), "%y": lambda: _digit_matrix(year % 100, 2),
              "%m": lambda: _digit_matrix(month, 2), "%d": lambda: _digit_matrix(day, 2),
              "%H": lambda: _digit_matrix(hour, 2), "%I": lambda: _digit_matrix(h12, 2),
              "%M": lambda: _digit_matrix(minute, 2), "%S": lambda: _digit_matrix(second, 2),
              "%p": lambda: ampm}
    pieces = []
    i = 0
    while i < len(pattern):
        if pattern[i] == "%":
            pieces.append(tokens[pattern[i:i + 2]]())
            i += 2
        else:
            pieces.append(np.full((n, 1), ord(pattern[i]), dtype=np.uint32))
            i += 1
    return _matrix_text(np.concatenate(pieces, axis=1))


def _format_seconds(seconds: np.ndarray, pattern: str) -> np.ndarray:
    return _format_parts(_civil(np.asarray(seconds, dtype=np.int64)), pattern)


def _choose_style(rng: np.random.Generator, n: int, weights: dict[str, float]) -> np.ndarray:
    names = list(weights)
    p = np.array(list(weights.values()), dtype=np.float64)
    return np.array(names)[rng.choice(len(names), n, p=p / p.sum())]


def _style_msisdn(rng: np.random.Generator, nsn: np.ndarray,
                  weights: dict[str, float]) -> np.ndarray:
    """Write numbers as people do: 0812..., 62812..., +62812..., 812..., +62 812-3456-7890."""
    style = _choose_style(rng, len(nsn), weights)
    out = np.empty(len(nsn), dtype=_S)
    makers = {
        "local": lambda v: np.strings.add("0", v),
        "intl": lambda v: np.strings.add("62", v),
        "plus": lambda v: np.strings.add("+62", v),
        "bare": lambda v: v,
        "dashed": lambda v: _concat("+62 ", np.strings.slice(v, 0, 3), "-",
                                    np.strings.slice(v, 3, 7), "-", np.strings.slice(v, 7, None)),
    }
    for name, make in makers.items():
        mask = style == name
        if mask.any():
            out[mask] = make(nsn[mask])
    return out


# province_flag values
KNOWN, UNKNOWN_NAMED, BLANK = 0, 1, 2


def _style_province(rng: np.random.Generator, province: np.ndarray, weights: dict[str, float],
                    with_unknown: bool = True) -> tuple[np.ndarray, np.ndarray]:
    """Province text in the file's habits, plus a few unknown or blank ones; and a flag."""
    ref = _reference()
    n = len(province)
    style = _choose_style(rng, n, weights)
    out = np.empty(n, dtype=_S)
    for name in weights:
        mask = style == name
        out[mask] = ref.spellings[name][province[mask]]
    flag = np.full(n, KNOWN, dtype=np.int64)
    if with_unknown:
        u = rng.random(n)
        named = u < UNKNOWN_PROVINCE_SHARE
        blank = (u >= UNKNOWN_PROVINCE_SHARE) & (u < UNKNOWN_PROVINCE_SHARE + BLANK_PROVINCE_SHARE)
        out[named] = np.array(UNKNOWN_PROVINCES, dtype=_S)[rng.integers(0, 2, named.sum())]
        out[blank] = ""
        flag[named] = UNKNOWN_NAMED
        flag[blank] = BLANK
    return out, flag


def _message_ids(operator: np.ndarray, seq: np.ndarray) -> np.ndarray:
    """Operator-style message ids, unique per operator for distinct seq."""
    out = np.empty(len(seq), dtype=_S)
    for o in range(len(OPERATORS)):
        mask = operator == o
        s = seq[mask].astype(np.int64)
        if OPERATORS[o] == "telkomsel":
            out[mask] = np.strings.add("TS", _digits_text(s, 10))
        elif OPERATORS[o] == "indosat":  # 12 hex digits of a bijective scramble
            mixed = (s * 0x9E3779B1 + 0x5BD1E995) % (1 << 48)
            shifts = np.arange(44, -4, -4, dtype=np.int64)
            out[mask] = _matrix_text(_HEX[(mixed[:, None] >> shifts) & 0xF])
        elif OPERATORS[o] == "xl":
            out[mask] = np.strings.add("XL", _digits_text(s, 10))
        else:
            out[mask] = np.strings.add("SF-", _digits_text(s, 9))
    return out


# --------------------------------------------------------------------------------------------
# File dialects
# --------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class _Habits:
    """How an operator writes its export, beyond what the profile says."""
    order: tuple[str, ...]  # columns in file order: canonical names or extra column names
    header_case: str  # as_is | lower | title
    quote_all: bool
    bom: bool
    newline: str
    error_style: str  # pad3 ('027') | plain ('27') | blank_ok ('27', '' when 0)
    msisdn: dict[str, float]
    province: dict[str, float]
    unknown_status: str
    bad_date: str


HABITS = {
    "telkomsel": _Habits(
        order=("message_id", "wave_id", "msisdn", "province", "submitted_at", "done_at",
               "status", "error_code", "SMSC"),
        header_case="as_is", quote_all=False, bom=False, newline="\n", error_style="pad3",
        msisdn={"local": .80, "intl": .12, "dashed": .05, "bare": .03},
        province={"upper": .80, "provinsi_upper": .10, "short_upper": .10},
        unknown_status="TERTUNDA", bad_date="00/00/0000 00:00:00"),
    "indosat": _Habits(
        order=("message_id", "msisdn", "Brand", "wave_id", "province", "submitted_at",
               "done_at", "status", "error_code", "Channel"),
        header_case="lower", quote_all=False, bom=False, newline="\n", error_style="plain",
        msisdn={"intl": .85, "local": .10, "plus": .05},
        province={"code": .75, "english": .25},
        unknown_status="THROTTLED", bad_date="0"),
    "xl": _Habits(
        order=("message_id", "wave_id", "SHORTCODE", "msisdn", "province", "submitted_at",
               "done_at", "status", "error_code", "CHANNEL"),
        header_case="title", quote_all=False, bom=False, newline="\n", error_style="pad3",
        msisdn={"bare": .70, "local": .25, "intl": .05},
        province={"short_upper": .60, "short": .25, "name": .15},
        unknown_status="RTY", bad_date="N/A"),
    "smartfren": _Habits(
        order=("message_id", "Operator", "wave_id", "msisdn", "province", "submitted_at",
               "done_at", "status", "error_code"),
        header_case="as_is", quote_all=True, bom=True, newline="\r\n", error_style="blank_ok",
        msisdn={"dashed": .55, "local": .40, "intl": .05},
        province={"prov": .50, "name": .40, "short": .10},
        unknown_status="PROSES", bad_date="#VALUE!"),
}
CANONICAL_MSISDN = {"local": .40, "intl": .30, "dashed": .10, "bare": .10, "plus": .10}
CANONICAL_PROVINCE = {"code": .50, "name": .20, "upper": .10, "short": .10, "english": .10}
SMPP_MSISDN = {"intl": .90, "plus": .10}
SMPP_PROVINCE = {"short_upper": .70, "name": .30}
OPERATOR_SPELLINGS = {"telkomsel": ("telkomsel", "Telkomsel", "TELKOMSEL"),
                      "indosat": ("indosat", "Indosat", "INDOSAT"),
                      "xl": ("xl", "XL", "XL Axiata"),
                      "smartfren": ("smartfren", "Smartfren")}
UNKNOWN_OPERATORS = ("Tri", "IM3", "by.U")  # brands or products, not operator groups
BAD_MSISDNS = ("08ABC", "0812", "+62 812", "081X-2345-678")


@dataclass(frozen=True)
class _Dialect:
    operator: str
    delimiter: str
    timestamp_format: str
    shift_s: int  # subtract from WIB wall-clock seconds to get the file's zone
    header: tuple[str, ...]
    roles: tuple[str, ...]
    words: tuple[str, ...]  # status word per STATES index
    habits: _Habits


def _profile_path(operator: str) -> Path:
    return Path(str(resources.files("dashboard.ingest").joinpath("profiles", f"{operator}.toml")))


@cache
def _dialect(operator: str) -> _Dialect:
    """The writer's view of an operator profile: the TOML is the single source of truth for
    delimiter, headers, timestamp format, zone and status words."""
    profile = tomllib.loads(_profile_path(operator).read_text(encoding="utf-8"))
    habits = HABITS[operator]
    offset = ZoneInfo(profile.get("timezone", "Asia/Jakarta")).utcoffset(datetime(2024, 1, 1))
    columns = profile["columns"]
    header = []
    for role in habits.order:
        name = columns.get(role, role)
        name = {"lower": name.lower(), "title": name.title()}.get(habits.header_case, name)
        header.append(name)
    words = []
    for state in STATES:  # first word that maps to the state, else the SMPP state itself
        mapped = [w for w, s in profile.get("status", {}).items() if s.upper() == state]
        words.append(mapped[0] if mapped else state)
    return _Dialect(
        operator=operator,
        delimiter=profile.get("delimiter", ","),
        timestamp_format=profile["timestamp_format"],
        shift_s=WIB_OFFSET_S - int(offset.total_seconds()),
        header=tuple(header),
        roles=habits.order,
        words=tuple(words),
        habits=habits,
    )


@dataclass
class _Rows:
    """Receipts ready to write: texts already styled, times on the WIB clock."""
    operator: np.ndarray  # operator index
    message_id: np.ndarray
    wave: np.ndarray  # index into SMS_WAVES
    msisdn: np.ndarray  # text as written
    nsn: np.ndarray
    province: np.ndarray  # province index
    province_text: np.ndarray
    submitted: np.ndarray
    done: np.ndarray  # -1: blank
    state: np.ndarray
    error: np.ndarray
    time_style: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    key_style: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    operator_text: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=_S))

    def take(self, index: np.ndarray) -> _Rows:
        values = {name: getattr(self, name)[index] if len(getattr(self, name)) else
                  getattr(self, name) for name in self.__dataclass_fields__}
        return _Rows(**values)


def _wave_ids(wave: np.ndarray) -> np.ndarray:
    return np.array([w.wave_id for w in SMS_WAVES], dtype=_S)[wave]


def _error_text(error: np.ndarray, style: str) -> np.ndarray:
    padded = _digits_text(error, 3)
    if style == "pad3":
        return padded
    plain = np.asarray(error).astype(np.int64).astype(str).astype(_S)
    if style == "blank_ok":
        return np.where(np.asarray(error) == 0, np.array("", dtype=_S), plain)
    return plain


def _time_text(seconds: np.ndarray, pattern: str, shift_s: int = 0) -> np.ndarray:
    text = _format_seconds(np.where(seconds < 0, 0, seconds - shift_s), pattern)
    return np.where(seconds < 0, "", text)


def _profile_fields(dialect: _Dialect, rows: _Rows) -> list[np.ndarray]:
    """One text array per file column, in file order (quoted if the operator quotes)."""
    ref = _reference()
    n = len(rows.message_id)
    fmt, shift = dialect.timestamp_format, dialect.shift_s
    values = {
        "message_id": lambda: rows.message_id,
        "wave_id": lambda: _wave_ids(rows.wave),
        "msisdn": lambda: rows.msisdn,
        "province": lambda: rows.province_text,
        "submitted_at": lambda: _time_text(rows.submitted, fmt, shift),
        "done_at": lambda: _time_text(rows.done, fmt, shift),
        "status": lambda: np.array(dialect.words, dtype=_S)[rows.state],
        "error_code": lambda: _error_text(rows.error, dialect.habits.error_style),
        "SMSC": lambda: ref.smsc[rows.province],
        "Brand": lambda: np.where(np.strings.startswith(rows.nsn, "89"),
                                  np.array("Tri", dtype=_S), np.array("IM3", dtype=_S)),
        "Channel": lambda: np.full(n, "SMS", dtype=_S),
        "SHORTCODE": lambda: np.full(n, "KOMINFO", dtype=_S),
        "CHANNEL": lambda: np.full(n, "SMS-BLAST", dtype=_S),
        "Operator": lambda: np.full(n, "Smartfren", dtype=_S),
    }
    columns = [values[role]() for role in dialect.roles]
    if dialect.habits.quote_all:
        columns = [_concat('"', c, '"') for c in columns]
    return columns


def _profile_header(dialect: _Dialect) -> str:
    cells = [f'"{h}"' if dialect.habits.quote_all else h for h in dialect.header]
    return dialect.delimiter.join(cells)


# canonical and SMPP time styles
NAIVE, PLUS7, ZULU = 0, 1, 2
ISO_PATTERNS = {NAIVE: ("%Y-%m-%d %H:%M:%S", 0), PLUS7: ("%Y-%m-%dT%H:%M:%S+07:00", 0),
                ZULU: ("%Y-%m-%dT%H:%M:%SZ", WIB_OFFSET_S)}


def _iso_text(seconds: np.ndarray, style: np.ndarray) -> np.ndarray:
    out = np.empty(len(seconds), dtype="<U25")
    for value, (pattern, shift) in ISO_PATTERNS.items():
        mask = style == value
        out[mask] = _time_text(seconds[mask], pattern, shift)
    return out


def _canonical_fields(rows: _Rows) -> list[np.ndarray]:
    return [rows.operator_text, rows.message_id, _wave_ids(rows.wave), rows.msisdn,
            rows.province_text, _iso_text(rows.submitted, rows.time_style),
            _iso_text(rows.done, rows.time_style), np.array(STATES, dtype=_S)[rows.state],
            _error_text(rows.error, "pad3")]


# receipt key spellings: keys are case-insensitive, so operators differ a little
SMPP_KEYS = (
    ("id:", " sub:001 dlvrd:", " submit date:", " done date:", " stat:", " err:", " text:"),
    ("id:", " sub:001 dlvrd:", " Submit Date:", " Done Date:", " stat:", " err:", " Text:"),
    ("ID:", " SUB:001 DLVRD:", " SUBMIT DATE:", " DONE DATE:", " STAT:", " ERR:", " TEXT:"),
)
SMPP_KEY_WEIGHTS = (0.80, 0.15, 0.05)


def _smpp_lines(rows: _Rows) -> list[str]:
    """One JSON object per deliver_sm; 10- or 12-digit dates (time_style 0/1) in WIB."""
    short = rows.time_style == 0
    submit = np.where(short, _time_text(rows.submitted, "%y%m%d%H%M"),
                      _time_text(rows.submitted, "%y%m%d%H%M%S"))
    done = np.where(short, _time_text(rows.done, "%y%m%d%H%M"),
                    _time_text(rows.done, "%y%m%d%H%M%S"))
    keys = [np.array([k[i] for k in SMPP_KEYS])[rows.key_style] for i in range(7)]
    texts = np.array([json.dumps(w.message_text[:20])[1:-1] for w in SMS_WAVES])
    delivered = np.where(rows.state == DELIVRD, "001", "000")
    parts = [
        '{"operator": "', np.array(OPERATORS)[rows.operator], '", "msisdn": "', rows.msisdn,
        '", "region": "', rows.province_text, '", "wave_id": "', _wave_ids(rows.wave),
        '", "receipt": "', keys[0], rows.message_id, keys[1], delivered, keys[2], submit,
        keys[3], done, keys[4], np.array(STATES)[rows.state], keys[5],
        _error_text(rows.error, "pad3"), keys[6], texts[rows.wave], '"}',
    ]
    return _join([p if isinstance(p, np.ndarray) else np.full(len(short), p) for p in parts], "")


# --------------------------------------------------------------------------------------------
# Writing
# --------------------------------------------------------------------------------------------

@contextmanager
def _open_out(path: Path, level: int) -> Iterator[BinaryIO]:
    """A binary sink; gzip (no file name, mtime 0) when the name ends in .gz."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as raw:
        if path.name.endswith(".gz"):
            with gzip.GzipFile(filename="", mode="wb", fileobj=raw, compresslevel=level,
                               mtime=0) as packed:
                yield packed
        else:
            yield raw


def _lines_bytes(lines: list[str | bytes], newline: str) -> bytes:
    end = newline.encode()
    return b"".join((x if isinstance(x, bytes) else x.encode("utf-8")) + end for x in lines)


# --------------------------------------------------------------------------------------------
# Streams for benchmarks
# --------------------------------------------------------------------------------------------

_LineMaker = Callable[["_Rows", np.random.Generator, np.ndarray], list[str]]


def _bad_rows(start: int, size: int, bad_share: float) -> np.ndarray:
    """Rows i with floor((i+1)*share) > floor(i*share): exactly floor(n*share) bad rows in n,
    evenly spread, whatever the chunk size."""
    if bad_share <= 0:
        return np.zeros(size, dtype=bool)
    i = np.arange(start, start + size, dtype=np.float64)
    return np.floor((i + 1) * bad_share) > np.floor(i * bad_share)


def _stream_rows(rng: np.random.Generator, start: int, size: int, pool: int,
                 operator: int | None, msisdn_styles: dict[str, float],
                 province_styles: dict[str, float], first_message: int) -> _Rows:
    idx = rng.integers(0, pool, size)
    who = _recipients(idx, operator)
    weights = np.array(WAVE_PARTICIPATION) / sum(WAVE_PARTICIPATION)
    wave = rng.choice(len(SMS_WAVES), size, p=weights)
    out = _draw_outcomes(rng, who.operator, who.province, wave)
    enroute = rng.random(size) < ENROUTE_STREAM_SHARE
    state = np.where(enroute, ENROUTE, out.state)
    error = np.where(enroute, 0, out.error)
    done = np.where(enroute, out.submitted + rng.integers(1, 30, size), out.done)
    province_text, _ = _style_province(rng, who.province, province_styles)
    seq = np.arange(first_message + start, first_message + start + size, dtype=np.int64)
    return _Rows(operator=who.operator, message_id=_message_ids(who.operator, seq), wave=wave,
                 msisdn=_style_msisdn(rng, who.nsn, msisdn_styles), nsn=who.nsn,
                 province=who.province, province_text=province_text,
                 submitted=out.submitted, done=done, state=state, error=error)


def _stream(path: Path, n: int, seed: int, bad_share: float, chunk_rows: int,
            first_message: int, header: str | None, newline: str, bom: bool,
            operator: int | None, msisdn_styles: dict[str, float],
            province_styles: dict[str, float], make_lines: _LineMaker) -> Path:
    if n < 0 or not 0 <= bad_share < 1:
        raise ValueError("n must be >= 0 and bad_share in [0, 1)")
    rng = np.random.default_rng(seed)
    pool = max(1_000, n // 5)  # each number receives about five receipts
    with _open_out(path, STREAM_GZIP_LEVEL) as sink:
        if header is not None:
            sink.write(("\ufeff" if bom else "").encode() + (header + newline).encode())
        for start in range(0, n, chunk_rows):
            size = min(chunk_rows, n - start)
            rows = _stream_rows(rng, start, size, pool, operator, msisdn_styles,
                                province_styles, first_message)
            bad = _bad_rows(start, size, bad_share)
            lines = make_lines(rows, rng, bad)
            sink.write((newline.join(lines) + newline).encode("utf-8"))
    return path


def stream_canonical_receipts(path: Path, n: int, seed: int = STREAM_SEED,
                              bad_share: float = 0.0, chunk_rows: int = CHUNK_ROWS,
                              first_message: int = 0) -> Path:
    """Write n canonical CSV receipts (gzip if path ends in .gz) in chunks of chunk_rows.

    All rows are valid except exactly floor(n * bad_share), evenly spread, which alternate an
    unknown status word ('TERBANG') and a malformed number ('08ABC'). Timestamps: 80 % naive
    WIB, 10 % '+07:00', 10 % 'Z'. Message ids count from first_message (give files meant for
    one database disjoint ranges); each number gets about five receipts. Like the sample, valid
    rows include ~0.3 % operator-prefix mismatches, ~0.17 % unknown and ~0.08 % blank
    provinces, ~0.5 % ENROUTE states."""
    def make(rows: _Rows, rng: np.random.Generator, bad: np.ndarray) -> list[str]:
        size = len(rows.message_id)
        rows.time_style = rng.choice(3, size, p=[0.8, 0.1, 0.1])
        rows.operator_text = np.array(OPERATORS, dtype=_S)[rows.operator]
        fields = _canonical_fields(rows)
        _corrupt_stream(fields, bad, status_col=7, msisdn_col=3, status_word="TERBANG")
        return _join(fields, ",")

    return _stream(Path(path), n, seed, bad_share, chunk_rows, first_message,
                   ",".join(CANONICAL_HEADER), "\n", False, None, CANONICAL_MSISDN,
                   CANONICAL_PROVINCE, make)


def stream_smpp_receipts(path: Path, n: int, seed: int = STREAM_SEED, bad_share: float = 0.0,
                         operator: str | None = None, chunk_rows: int = CHUNK_ROWS,
                         first_message: int = 0) -> Path:
    """Write n SMPP delivery receipts as JSON Lines (one operator, or all when None).

    Bad rows (exactly floor(n * bad_share)) alternate 'stat:TERBANG' and msisdn '62ABC'."""
    op = None if operator is None else OPERATORS.index(operator)

    def make(rows: _Rows, rng: np.random.Generator, bad: np.ndarray) -> list[str]:
        size = len(rows.message_id)
        rows.time_style = rng.integers(0, 2, size)
        rows.key_style = rng.choice(3, size, p=SMPP_KEY_WEIGHTS)
        bad_index = np.flatnonzero(bad)
        bad_status = bad_index[0::2]
        rows.msisdn[bad_index[1::2]] = "62ABC"
        rows.state[bad_status] = UNKNOWN
        lines = _smpp_lines(rows)
        for i in bad_status:  # a state word no SMPP receipt has
            lines[i] = lines[i].replace("stat:UNKNOWN", "stat:TERBANG").replace(
                "STAT:UNKNOWN", "STAT:TERBANG")
        return lines

    return _stream(Path(path), n, seed, bad_share, chunk_rows, first_message, None, "\n",
                   False, op, SMPP_MSISDN, SMPP_PROVINCE, make)


def stream_profile_receipts(path: Path, n: int, operator: str = "telkomsel",
                            seed: int = STREAM_SEED, bad_share: float = 0.0,
                            chunk_rows: int = CHUNK_ROWS, first_message: int = 0) -> Path:
    """Write n receipts in one operator's export dialect (its profile TOML and habits).

    Bad rows (exactly floor(n * bad_share)) alternate the operator's unknown status word and
    a malformed number ('08ABC')."""
    dialect = _dialect(operator)
    status_col = dialect.roles.index("status")
    msisdn_col = dialect.roles.index("msisdn")
    quote = '"' if dialect.habits.quote_all else ""

    def make(rows: _Rows, rng: np.random.Generator, bad: np.ndarray) -> list[str]:
        fields = _profile_fields(dialect, rows)
        _corrupt_stream(fields, bad, status_col, msisdn_col,
                        quote + dialect.habits.unknown_status + quote, quote)
        return _join(fields, dialect.delimiter)

    habits = dialect.habits
    return _stream(Path(path), n, seed, bad_share, chunk_rows, first_message,
                   _profile_header(dialect), habits.newline, habits.bom,
                   OPERATORS.index(operator), habits.msisdn, habits.province, make)


def _corrupt_stream(fields: list[np.ndarray], bad: np.ndarray, status_col: int,
                    msisdn_col: int, status_word: str, quote: str = "") -> None:
    index = np.flatnonzero(bad)
    for col in (status_col, msisdn_col):  # variable width, so a longer word is not cut
        fields[col] = fields[col].astype(_S)
    fields[status_col][index[0::2]] = status_word
    fields[msisdn_col][index[1::2]] = f"{quote}08ABC{quote}"


# --------------------------------------------------------------------------------------------
# The committed sample
# --------------------------------------------------------------------------------------------

SAMPLE_POOL = 36_000  # recipients (numbers) of the sample

# Defect shares of a file's messages (at least one each), spread over every file.
EXPORT_DEFECTS = {"exact_duplicate": 0.006, "superseded_state": 0.012, "truncated_line": 0.0015,
                  "extra_column": 0.001, "bad_date": 0.0012, "impossible_date": 0.0008,
                  "done_before_submitted": 0.001, "unknown_status": 0.0015, "bad_msisdn": 0.0015}
SMPP_DEFECTS = {"exact_duplicate": 0.006, "superseded_state": 0.012, "malformed_json": 0.003,
                "bad_date": 0.0012, "impossible_date": 0.0008, "done_before_submitted": 0.001,
                "unknown_status": 0.0015, "bad_msisdn": 0.0015}


@dataclass(frozen=True)
class _FileSpec:
    name: str
    operator: str
    waves: tuple[int, ...]  # indexes into SMS_WAVES
    smpp: bool = False
    invalid_utf8: bool = False


SAMPLE_FILES = (
    _FileSpec("receipts_indosat_sms01-10.tsv.gz", "indosat", tuple(range(10))),
    _FileSpec("receipts_smartfren_sms01-05.csv", "smartfren", (0, 1, 2, 3, 4), invalid_utf8=True),
    _FileSpec("receipts_smartfren_sms06-10.csv.gz", "smartfren", (5, 6, 7, 8, 9)),
    _FileSpec("receipts_smpp_xl_sms08-10.jsonl.gz", "xl", (7, 8, 9), smpp=True,
              invalid_utf8=True),
    _FileSpec("receipts_telkomsel_sms01-03.csv.gz", "telkomsel", (0, 1, 2)),
    _FileSpec("receipts_telkomsel_sms04-07.csv.gz", "telkomsel", (3, 4, 5, 6), invalid_utf8=True),
    _FileSpec("receipts_telkomsel_sms08-10.csv.gz", "telkomsel", (7, 8, 9)),
    _FileSpec("receipts_xl_sms01-07.txt.gz", "xl", (0, 1, 2, 3, 4, 5, 6)),
)


@dataclass
class _Messages:
    """Every message of the sample: its export state and, if pending, its final state."""
    rows: _Rows  # export state (msisdn/province texts filled per file)
    recipient: np.ndarray
    mismatch: np.ndarray
    pending: np.ndarray
    resolved: np.ndarray
    final_done: np.ndarray
    final_state: np.ndarray
    final_error: np.ndarray


ID_OFFSET = (3_512_000_000, 0, 1_200_000_000, 88_000_000)  # where each operator's counter stands


def _sample_messages(rng: np.random.Generator) -> _Messages:
    picks = [np.flatnonzero(rng.random(SAMPLE_POOL) < share) for share in WAVE_PARTICIPATION]
    recipient = np.concatenate(picks)
    wave = np.concatenate([np.full(len(p), w, dtype=np.int64) for w, p in enumerate(picks)])
    n = len(recipient)
    who = _recipients(recipient)
    out = _draw_outcomes(rng, who.operator, who.province, wave)
    pending = rng.random(n) < PENDING_SHARE
    resolved = pending & (rng.random(n) < RESOLVED_SHARE)
    enroute_done = out.submitted + rng.integers(1, 30, n)
    late = out.submitted + np.ceil(_lognormal(rng, 3 * 3600.0, 0.8, n)).astype(np.int64)
    final_done = np.where(pending, np.maximum(np.maximum(out.done, late), enroute_done + 60),
                          out.done)
    # message ids count up per operator in send order
    order = np.lexsort((recipient, out.submitted, who.operator))
    first = np.searchsorted(who.operator[order], np.arange(len(OPERATORS)))
    seq = np.empty(n, dtype=np.int64)
    seq[order] = np.arange(n) - first[who.operator[order]]
    seq += np.array(ID_OFFSET, dtype=np.int64)[who.operator]
    rows = _Rows(operator=who.operator, message_id=_message_ids(who.operator, seq), wave=wave,
                 msisdn=who.nsn.copy(), nsn=who.nsn, province=who.province,
                 province_text=np.full(n, "", dtype=_S), submitted=out.submitted,
                 done=np.where(pending, enroute_done, out.done),
                 state=np.where(pending, ENROUTE, out.state),
                 error=np.where(pending, 0, out.error))
    return _Messages(rows, recipient, who.mismatch, pending, resolved, final_done, out.state,
                     out.error)


def _concat_rows(parts: list[_Rows]) -> _Rows:
    values = {}
    for name in _Rows.__dataclass_fields__:
        arrays = [getattr(p, name) for p in parts]
        values[name] = np.concatenate(arrays) if all(len(a) == len(p.message_id)
                                                      for a, p in zip(arrays, parts, strict=True)
                                                      ) else arrays[0][:0]
    return _Rows(**values)


def _split(rng: np.random.Generator, eligible: np.ndarray,
           counts: dict[str, int]) -> dict[str, np.ndarray]:
    """Disjoint random rows for each defect."""
    shuffled = rng.permutation(eligible)
    if sum(counts.values()) > len(shuffled):
        raise ValueError("not enough rows for the defects asked")
    chosen, start = {}, 0
    for name, count in counts.items():
        chosen[name] = np.sort(shuffled[start:start + count])
        start += count
    return chosen


@dataclass
class _Built:
    lines: list[str | bytes]  # data lines, without line ends
    defects: dict[str, int]
    expected: dict[str, int]
    flags: dict[str, int]
    loaded_status: dict[str, int]
    stored: np.ndarray  # messages whose row this file stores (index into _Messages)
    stored_flag: np.ndarray  # their province flag (KNOWN, UNKNOWN_NAMED, BLANK)
    variants: dict[str, int] = field(default_factory=dict)  # odd-but-valid spellings written
    warnings: dict[str, int] = field(default_factory=dict)  # what ingest must warn, per kind
    unknown_wave: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))


# bytes neither UTF-8 nor Windows-1252 (0x81, 0x8D, 0x9D are not in it): a line that is no
# text, rejected (records.NOT_TEXT); a Windows-1252 line would load, warned
BAD_UTF8 = b"J\x81W\x8d B\x9dRAT"
_MARK = "@@BAD@@"


def _with_bad_bytes(fields: list[str], column: int, quote: str, delimiter: str) -> bytes:
    cells = list(fields)
    cells[column] = quote + _MARK + quote
    return delimiter.join(cells).encode("utf-8").replace(_MARK.encode(), BAD_UTF8)


def _assemble(base: list[str], before: dict[int, list], after: dict[int, list]) -> list:
    lines: list[str | bytes] = []
    for i, line in enumerate(base):
        lines += before.get(i, [])
        lines.append(line)
        lines += after.get(i, [])
    return lines


def _status_counts(state: np.ndarray) -> dict[str, int]:
    return {STATES[s]: int(c) for s, c in enumerate(np.bincount(state, minlength=len(STATES)))
            if c}


def _older_state(rng: np.random.Generator, rows: _Rows, blank_done: bool) -> _Rows:
    """The ENROUTE receipt that came before a final one (earlier done time, no error)."""
    older = rows.take(np.arange(len(rows.message_id)))
    span = np.maximum(older.done - older.submitted, 1)
    older.done = older.submitted + np.floor(rng.random(len(span)) * span).astype(np.int64)
    if blank_done:
        older.done[:] = -1
    older.state = np.full(len(span), ENROUTE)
    older.error = np.zeros(len(span), dtype=np.int64)
    return older


def _smpp_defects(chosen: dict[str, np.ndarray], base: list[str], rows: _Rows,
                  rng: np.random.Generator) -> list[tuple[int, str | bytes]]:
    """Bad deliver_sm lines, each placed after the line it garbles."""
    out: list[tuple[int, str | bytes]] = []
    for i in chosen["malformed_json"]:  # cut short, or Python-style quotes
        line = base[i]
        out.append((i, line[:int(rng.integers(20, len(line) - 3))] if rng.random() < 0.6
                    else line.replace('"', "'")))
    for i in chosen["bad_date"]:  # month 13
        out.append((i, re.sub(r"(?i)(submit date:)\d+", r"\g<1>2313451030", base[i])))
    for i in chosen["impossible_date"]:  # 31 February
        out.append((i, re.sub(r"(?i)(done date:)\d{6}", r"\g<1>240231", base[i])))
    for i in chosen["unknown_status"]:
        out.append((i, re.sub(r"(?i)(stat:)\w+", r"\g<1>TERBANG", base[i])))
    for k, i in enumerate(chosen["bad_msisdn"]):
        bad_number = ("62ABC", "628", "+62 817")[k % 3]
        out.append((i, base[i].replace(f'"msisdn": "{rows.msisdn[i]}"',
                                       f'"msisdn": "{bad_number}"')))
    for i in chosen.get("invalid_utf8", []):
        line = base[i].replace(f'"region": "{rows.province_text[i]}"', f'"region": "{_MARK}"')
        out.append((i, line.encode("utf-8").replace(_MARK.encode(), BAD_UTF8)))
    return out


def _delimited_defects(chosen: dict[str, np.ndarray], fields: list[np.ndarray],
                       dialect: _Dialect, rows: _Rows,
                       rng: np.random.Generator) -> list[tuple[int, str | bytes]]:
    """Bad export lines, each placed after the line it garbles."""
    habits, delimiter = dialect.habits, dialect.delimiter
    quote = '"' if habits.quote_all else ""
    col = {role: dialect.roles.index(role) for role in dialect.roles}
    out: list[tuple[int, str | bytes]] = []

    def cells(i: int) -> list[str]:
        return [str(f[i]) for f in fields]

    def with_cell(i: int, role: str, value: str) -> str:
        c = cells(i)
        c[col[role]] = quote + value + quote
        return delimiter.join(c)

    for i in chosen["truncated_line"]:
        c = cells(i)
        k = int(rng.integers(2, len(c) - 2))
        # a quoted cell is never cut in half: an open quote would swallow the next lines
        kept = c[:k] if quote else c[:k] + [c[k][:max(1, len(c[k]) // 2)]]
        out.append((i, delimiter.join(kept)))
    for i in chosen["extra_column"]:
        c = cells(i)
        if quote:  # a non-empty cell: DuckDB's reader tolerates one empty trailing cell
            out.append((i, delimiter.join(c) + delimiter + '"KOTA"'))
        else:  # the delimiter inside a field: a city after the province
            c[col["province"]] += delimiter + "KOTA"
            out.append((i, delimiter.join(c)))
    for i in chosen.get("invalid_utf8", []):
        out.append((i, _with_bad_bytes(cells(i), col["province"], quote, delimiter)))
    for i in chosen["bad_date"]:
        out.append((i, with_cell(i, "submitted_at", habits.bad_date)))
    for i in chosen["impossible_date"]:  # 30 or 31 February at the row's own clock time
        clock = _civil(np.array([rows.submitted[i] - dialect.shift_s]))
        day = np.array([int(rng.integers(30, 32))])
        text = _format_parts((np.array([2024]), np.array([2]), day, *clock[3:]),
                             dialect.timestamp_format)[0]
        out.append((i, with_cell(i, "done_at", str(text))))
    for i in chosen["unknown_status"]:
        out.append((i, with_cell(i, "status", habits.unknown_status)))
    for k, i in enumerate(chosen["bad_msisdn"]):
        out.append((i, with_cell(i, "msisdn", BAD_MSISDNS[k % len(BAD_MSISDNS)])))
    return out


# Odd-but-valid spellings (issue 14): loaded, some with a warning, none rejected. Written with
# their own random stream, so the rest of the sample stays as it was.
ODD_SEED = 14
HEX_ERROR_SHARE = 0.4  # SMPP failures whose err is written in hexadecimal ('err:00B' for 11)
LONG_STATE_SHARE = 0.05  # SMPP receipts with the long state name ('DELIVERED', 'UNDELIVERABLE')
LONG_STATES = {DELIVRD: "DELIVERED", UNDELIV: "UNDELIVERABLE"}
UNKNOWN_ERROR_ROWS = {"xl": 12}  # failures whose code is an SMSC status word ('0x0000000B')
UNKNOWN_WAVE_ROWS = {"receipts_telkomsel_sms08-10.csv.gz": 25}  # a wave the catalogue lacks
UNKNOWN_WAVE_ID = "SMS11"


def _odd_spellings(spec: _FileSpec, rows: _Rows, base: list[str], eligible: np.ndarray,
                   odd: np.random.Generator
                   ) -> tuple[dict[str, int], dict[str, int], np.ndarray]:
    """Rewrite some of the file's lines (in base) with odd but valid spellings; returns the
    variants written, the warnings each must raise (one per line: eligible rows are never
    repeated by a defect) and the rows now labelled with a wave the catalogue lacks."""
    variants: dict[str, int] = {}
    warnings: dict[str, int] = {}
    relabelled = np.zeros(0, dtype=np.int64)

    def pick(mask: np.ndarray, size: int) -> np.ndarray:
        pool = eligible[mask[eligible]]
        return np.sort(odd.choice(pool, min(size, len(pool)), replace=False))

    if spec.smpp:
        lettered = np.array([any(c in "ABCDEF" for c in f"{e:03X}") for e in rows.error])
        failed = (rows.error > 0) & lettered
        chosen = pick(failed, round(HEX_ERROR_SHARE * failed[eligible].sum()))
        for i in chosen:
            base[i] = re.sub(r"(?i)( err:)\d{3}", rf"\g<1>{int(rows.error[i]):03X}", base[i])
        variants["hex_error_code"] = warnings["hex_error_code"] = len(chosen)
        long_state = np.isin(rows.state, list(LONG_STATES))
        chosen = pick(long_state, round(LONG_STATE_SHARE * long_state[eligible].sum()))
        for i in chosen:
            short = STATES[rows.state[i]]
            base[i] = re.sub(rf"(?i)( stat:){short}", rf"\g<1>{LONG_STATES[rows.state[i]]}",
                             base[i])
        variants["long_state_name"] = len(chosen)
    if spec.operator in UNKNOWN_ERROR_ROWS and not spec.smpp:
        dialect = _dialect(spec.operator)
        column = dialect.roles.index("error_code")
        chosen = pick((rows.state == UNDELIV) & (rows.error > 0),
                      UNKNOWN_ERROR_ROWS[spec.operator])
        for i in chosen:
            cells = base[i].split(dialect.delimiter)
            cells[column] = f"0x{int(rows.error[i]):08X}"
            base[i] = dialect.delimiter.join(cells)
        variants["unknown_error_code"] = warnings["unknown_error_code"] = len(chosen)
    if spec.name in UNKNOWN_WAVE_ROWS:
        dialect = _dialect(spec.operator)
        column = dialect.roles.index("wave_id")
        chosen = relabelled = pick(np.ones(len(base), dtype=bool), UNKNOWN_WAVE_ROWS[spec.name])
        for i in chosen:
            cells = base[i].split(dialect.delimiter)
            cells[column] = UNKNOWN_WAVE_ID
            base[i] = dialect.delimiter.join(cells)
        variants["unknown_wave"] = warnings["unknown_wave"] = len(chosen)
    return variants, warnings, relabelled


def _build_export(spec: _FileSpec, msgs: _Messages, index: np.ndarray,
                  rng: np.random.Generator, odd: np.random.Generator) -> _Built:
    """An operator's export (or SMPP log) of its messages, with defects injected."""
    rows = msgs.rows.take(index)
    n = len(index)
    pending = msgs.pending[index]
    dialect = None if spec.smpp else _dialect(spec.operator)
    if dialect is None:
        rows.msisdn = _style_msisdn(rng, rows.nsn, SMPP_MSISDN)
        rows.province_text, flag = _style_province(rng, rows.province, SMPP_PROVINCE)
        rows.time_style = rng.integers(0, 2, n)
        rows.key_style = rng.choice(3, n, p=SMPP_KEY_WEIGHTS)
        shares = SMPP_DEFECTS
    else:
        rows.msisdn = _style_msisdn(rng, rows.nsn, dialect.habits.msisdn)
        rows.province_text, flag = _style_province(rng, rows.province, dialect.habits.province)
        if spec.operator == "indosat":  # PENDING rows carry no delivery time
            rows.done[pending] = -1
        shares = EXPORT_DEFECTS

    def format_lines(r: _Rows) -> list[str]:
        if dialect is None:
            return _smpp_lines(r)
        return _join(_profile_fields(dialect, r), dialect.delimiter)

    base = format_lines(rows)
    counts = {name: max(1, round(share * n)) for name, share in shares.items()}
    if spec.invalid_utf8:
        counts["invalid_utf8"] = 1
    chosen = _split(rng, np.flatnonzero(~pending), counts)
    untouched = np.setdiff1d(np.flatnonzero(~pending), np.concatenate(list(chosen.values())))
    variants, odd_warnings, relabelled = _odd_spellings(spec, rows, base, untouched, odd)
    before: dict[int, list] = {}
    after: dict[int, list] = {}

    def put(where: dict[int, list], i: int, line: str | bytes) -> None:
        where.setdefault(int(i), []).append(line)

    for i in chosen["exact_duplicate"]:  # a resent report, a little later in the file
        put(after, min(i + int(rng.integers(0, 40)), n - 1), base[i])
    older = format_lines(_older_state(rng, rows.take(chosen["superseded_state"]),
                                      blank_done=spec.operator == "indosat" and not spec.smpp))
    for i, line in zip(chosen["superseded_state"], older, strict=True):
        put(before if rng.random() < 0.7 else after, i, line)  # mostly in order, not always
    earlier = rows.take(chosen["done_before_submitted"])
    earlier.done = earlier.submitted - rng.integers(3600, 7200, len(earlier.done))
    for i, line in zip(chosen["done_before_submitted"], format_lines(earlier), strict=True):
        put(after, i, line)
    if dialect is None:
        garbled = _smpp_defects(chosen, base, rows, rng)
    else:
        garbled = _delimited_defects(chosen, _profile_fields(dialect, rows), dialect, rows, rng)
    for i, line in garbled:
        put(after, i, line)

    lines = _assemble(base, before, after)
    rejected = sum(v for k, v in counts.items() if k in REJECT_REASONS)
    unknown = int((flag == UNKNOWN_NAMED).sum())
    mismatch = int(msgs.mismatch[index].sum())
    expected = {"rows_read": len(lines), "loaded": n, "duplicate": counts["exact_duplicate"],
                "superseded": counts["superseded_state"], "rejected": rejected, "replaced": 0,
                "unknown_province": unknown, "operator_mismatch": mismatch}
    flags = {"pending_enroute": int(pending.sum()), "province_unknown": unknown,
             "province_blank": int((flag == BLANK).sum()), "operator_mismatch": mismatch}
    # a warning is raised by every valid line: a resent copy and an older state repeat the row
    lines_of = np.ones(n, dtype=np.int64)
    lines_of[chosen["exact_duplicate"]] += 1
    lines_of[chosen["superseded_state"]] += 1
    warnings = {"unknown_province": int(lines_of[flag == UNKNOWN_NAMED].sum()),
                "operator_mismatch": int(lines_of[msgs.mismatch[index]].sum()), **odd_warnings}
    return _Built(lines, counts, expected, flags, _status_counts(rows.state), index, flag,
                  variants, {k: v for k, v in warnings.items() if v}, index[relabelled])


def _build_late(msgs: _Messages, file_of: np.ndarray, rng: np.random.Generator) -> _Built:
    """Late receipts in the canonical layout: final states of messages the exports left
    ENROUTE (these replace the stored rows), a few re-sent identical states (duplicates), a few
    older states (superseded by what is stored), and a few bad rows."""
    resolved = np.flatnonzero(msgs.resolved)
    newer = msgs.rows.take(resolved)
    newer.state = msgs.final_state[resolved]
    newer.done = msgs.final_done[resolved]
    newer.error = msgs.final_error[resolved]
    echo_index = np.sort(rng.choice(len(resolved), max(2, round(0.03 * len(resolved))),
                                    replace=False))
    echo = msgs.rows.take(resolved[echo_index])  # the ENROUTE state again, before the final
    echo.done = echo.submitted + rng.integers(1, 30, len(echo_index))

    # re-sent states must match the stored times to the second: exports that keep seconds
    seconds_files = [k for k, s in enumerate(SAMPLE_FILES)
                     if not s.smpp and s.operator != "xl"]
    settled = ~msgs.pending
    resend_pool = np.flatnonzero(settled & np.isin(file_of, seconds_files))
    resend = rng.choice(resend_pool, 120, replace=False)
    older_pool = np.setdiff1d(np.flatnonzero(settled), resend)
    older_index = rng.choice(older_pool, 80, replace=False)
    older = _older_state(rng, msgs.rows.take(older_index), blank_done=False)
    parts = [newer, echo, msgs.rows.take(resend), older]
    kinds = np.concatenate([np.full(len(p.message_id), k) for k, p in enumerate(parts)])
    source = np.concatenate([resolved, resolved[echo_index], resend, older_index])
    rows = _concat_rows(parts)
    n = len(rows.message_id)
    rows.msisdn = _style_msisdn(rng, rows.nsn, CANONICAL_MSISDN)
    rows.province_text, flag = _style_province(rng, rows.province, CANONICAL_PROVINCE)
    rows.time_style = rng.choice(3, n, p=[0.6, 0.25, 0.15])
    spelled = [OPERATOR_SPELLINGS[o] for o in OPERATORS]
    rows.operator_text = np.array([spelled[o][int(rng.integers(0, len(spelled[o])))]
                                   for o in rows.operator], dtype=_S)
    order = np.lexsort((rows.message_id, rows.state == ENROUTE, rows.done))
    rows = rows.take(order)
    kinds, flag, source = kinds[order], flag[order], source[order]
    fields = _canonical_fields(rows)
    base = _join(fields, ",")

    counts = {"unknown_operator": 3, "impossible_date": 2, "bad_msisdn": 2}
    chosen = _split(rng, np.flatnonzero(kinds == 0), counts)
    after: dict[int, list] = {}
    for k, i in enumerate(chosen["unknown_operator"]):
        c = [str(f[i]) for f in fields]
        c[0] = UNKNOWN_OPERATORS[k % len(UNKNOWN_OPERATORS)]
        after.setdefault(int(i), []).append(",".join(c))
    for i in chosen["impossible_date"]:
        c = [str(f[i]) for f in fields]
        c[6] = "2024-02-31 " + c[6][11:19]
        after.setdefault(int(i), []).append(",".join(c))
    for k, i in enumerate(chosen["bad_msisdn"]):
        c = [str(f[i]) for f in fields]
        c[3] = BAD_MSISDNS[k % len(BAD_MSISDNS)]
        after.setdefault(int(i), []).append(",".join(c))
    lines = _assemble(base, {}, after)

    loaded = kinds == 0
    defects = {"newer_state": int(loaded.sum()), "superseded_state": int((kinds == 1).sum()),
               "resent_same_state": int((kinds == 2).sum()),
               "older_state": int((kinds == 3).sum()), **counts}
    mismatch = msgs.mismatch[resolved]
    expected = {"rows_read": len(lines), "loaded": int(loaded.sum()),
                "duplicate": int((kinds == 2).sum()),
                "superseded": int(((kinds == 1) | (kinds == 3)).sum()),
                "rejected": sum(counts.values()), "replaced": int(loaded.sum()),
                "unknown_province": int((flag[loaded] == UNKNOWN_NAMED).sum()),
                "operator_mismatch": int(mismatch.sum())}
    flags = {"pending_enroute": 0,
             "province_unknown": int((flag == UNKNOWN_NAMED).sum()),
             "province_blank": int((flag == BLANK).sum()),
             "operator_mismatch": int(msgs.mismatch[source].sum())}
    warnings = {"unknown_province": flags["province_unknown"],
                "operator_mismatch": flags["operator_mismatch"]}
    return _Built(lines, defects, expected, flags, _status_counts(rows.state[loaded]),
                  source[loaded], flag[loaded], {}, {k: v for k, v in warnings.items() if v})


def _end_state(msgs: _Messages, province_flag: np.ndarray,
               unknown_wave: np.ndarray) -> dict[str, object]:
    """What the database holds after every sample file is loaded (status and counts hold in
    any order; province_unknown/blank assume name order, the late file's spelling last).
    unknown_wave: the messages an export labelled with UNKNOWN_WAVE_ID."""
    final = np.where(msgs.pending & ~msgs.resolved, ENROUTE,
                     np.where(msgs.pending, msgs.final_state, msgs.rows.state))
    delivered = final == DELIVRD
    by_operator = {op: int((msgs.rows.operator == o).sum()) for o, op in enumerate(OPERATORS)}
    return {
        "receipts": len(final),
        "by_status": _status_counts(final),
        "by_operator": by_operator,
        "by_wave": {**{w.wave_id: int(((msgs.rows.wave == k) & ~unknown_wave).sum())
                       for k, w in enumerate(SMS_WAVES)},
                    UNKNOWN_WAVE_ID: int(unknown_wave.sum())},
        "delivered_by_operator": {op: int((delivered & (msgs.rows.operator == o)).sum())
                                  for o, op in enumerate(OPERATORS)},
        "distinct_numbers": int(len(np.unique(msgs.recipient))),
        "distinct_numbers_delivered": int(len(np.unique(msgs.recipient[delivered]))),
        "operator_mismatch": int(msgs.mismatch.sum()),
        "province_unknown": int((province_flag == UNKNOWN_NAMED).sum()),
        "province_blank": int((province_flag == BLANK).sum()),
    }


def generate_sample_receipts(out_dir: Path, seed: int = DEFAULT_SEED) -> list[Path]:
    """Write the committed sample into out_dir: waves.csv, every receipts file and
    MANIFEST.json. Returns the paths written (waves first, manifest last)."""
    out_dir = Path(out_dir)
    rng = np.random.default_rng(seed)
    odd = np.random.default_rng([seed, ODD_SEED])
    written = [generate_waves(out_dir)]
    entries: list[dict[str, object]] = [{
        "file": WAVES_NAME, "format": "waves", "rows": len(WAVES), "defects": {},
        "expected": {"rows_read": len(WAVES), "loaded": len(WAVES), "rejected": 0},
        "variants": {"upper_case_channel": len(UPPER_CASE_CHANNEL)}, "warnings": {}}]
    msgs = _sample_messages(rng)
    file_of = np.full(len(msgs.recipient), -1)
    province_flag = np.full(len(msgs.recipient), KNOWN)
    unknown_wave = np.zeros(len(msgs.recipient), dtype=bool)
    for k, spec in enumerate(SAMPLE_FILES):
        op = OPERATORS.index(spec.operator)
        mask = (msgs.rows.operator == op) & np.isin(msgs.rows.wave, spec.waves)
        index = np.flatnonzero(mask)
        index = index[np.lexsort((msgs.rows.message_id[index], msgs.rows.submitted[index]))]
        file_of[index] = k
        built = _build_export(spec, msgs, index, rng, odd)
        province_flag[built.stored] = built.stored_flag
        unknown_wave[built.unknown_wave] = True
        if spec.smpp:
            header, newline, bom, fmt = None, "\n", False, "smpp_jsonl"
        else:
            dialect = _dialect(spec.operator)
            header, newline, bom = (_profile_header(dialect), dialect.habits.newline,
                                    dialect.habits.bom)
            fmt = f"profile:{spec.operator}"
        written.append(_write_built(out_dir / spec.name, built, header, newline, bom))
        entries.append(_entry(spec.name, fmt, spec.operator, spec.waves, built))
    if (file_of < 0).any():
        raise AssertionError("a message was assigned to no file")
    late = _build_late(msgs, file_of, rng)
    province_flag[late.stored] = late.stored_flag
    written.append(_write_built(out_dir / LATE_NAME, late, ",".join(CANONICAL_HEADER), "\n",
                                False))
    entries.append(_entry(LATE_NAME, "canonical", None, tuple(range(len(SMS_WAVES))), late))
    for entry in entries:
        entry.update(file_hashes(out_dir / entry["file"]))
    manifest = {
        "about": "Synthetic Pemilu Damai 2024 SMS-blast receipts and waves, written by "
                 "dashboard/sample/receipts.py. Row counts exclude the header. 'defects' are "
                 "the deliberately bad or special lines of each file; 'expected' is what ingest "
                 "should count when the files are loaded in the order listed (file name order, "
                 "waves first) into an empty database.",
        "regenerate": ".venv/bin/python -m dashboard.sample --out sample_data",
        "seed": seed,
        "reject_reasons": REJECT_REASONS,
        "files": entries,
        "end_state": _end_state(msgs, province_flag, unknown_wave),
    }
    path = out_dir / MANIFEST_NAME
    path.write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    written.append(path)
    return written


def _write_built(path: Path, built: _Built, header: str | None, newline: str,
                 bom: bool) -> Path:
    head = b""
    if header is not None:
        head = ("\ufeff" if bom else "").encode("utf-8") + (header + newline).encode("utf-8")
    with _open_out(path, SAMPLE_GZIP_LEVEL) as sink:
        sink.write(head + _lines_bytes(built.lines, newline))
    return path


def _entry(name: str, fmt: str, operator: str | None, waves: tuple[int, ...],
           built: _Built) -> dict[str, object]:
    return {
        "file": name,
        "format": fmt,
        "operator": operator,
        "waves": [SMS_WAVES[w].wave_id for w in waves],
        "compression": "gzip" if name.endswith(".gz") else "none",
        "rows": len(built.lines),
        "defects": built.defects,
        "flags": built.flags,
        "expected": built.expected,
        "loaded_status": built.loaded_status,
        "variants": built.variants,
        "warnings": built.warnings,
    }


# --------------------------------------------------------------------------------------------
# Command line
# --------------------------------------------------------------------------------------------

def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m dashboard.sample.receipts",
        description="Write the synthetic sample (waves + receipts + MANIFEST.json), or stream "
                    "N receipts in one format for benchmarks.")
    parser.add_argument("--out", type=Path, default=Path("sample_data"),
                        help="folder for the sample (default: sample_data)")
    parser.add_argument("--seed", type=int, default=None)
    parser.add_argument("--stream", choices=("canonical", "smpp", *OPERATORS),
                        help="stream receipts in this format instead of writing the sample")
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--file", type=Path, help="output file for --stream (.gz compresses)")
    parser.add_argument("--bad-share", type=float, default=0.0)
    args = parser.parse_args(argv)
    if args.stream is None:
        paths = generate_sample_receipts(args.out, DEFAULT_SEED if args.seed is None
                                         else args.seed)
        for path in paths:
            print(f"{path}  {path.stat().st_size:,} bytes")
        return 0
    if args.file is None:
        parser.error("--stream needs --file")
    seed = STREAM_SEED if args.seed is None else args.seed
    if args.stream == "canonical":
        stream_canonical_receipts(args.file, args.rows, seed, args.bad_share)
    elif args.stream == "smpp":
        stream_smpp_receipts(args.file, args.rows, seed, args.bad_share)
    else:
        stream_profile_receipts(args.file, args.rows, args.stream, seed, args.bad_share)
    print(f"{args.file}  {args.file.stat().st_size:,} bytes")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
