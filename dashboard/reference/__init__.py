"""Reference data shipped with the package: provinces and their spellings, operators and
their number prefixes, SMPP error codes. Read once and cached."""

from __future__ import annotations

import re
from functools import cache
from importlib import resources

import pandas as pd

PROVINCE_PREFIX = re.compile(r"^(provinsi|propinsi|prov|prop)")  # propinsi: the old spelling
NON_ALNUM = re.compile(r"[^a-z0-9]")
# island groups, west to east, by the first digit of a province's code (Kemendagri's, as BPS's
# for provinces); Kepulauan Riau (21) is Sumatera's. Their names are i18n's region.<group>.
ISLAND_GROUPS: dict[str, str] = {"1": "sumatera", "2": "sumatera", "3": "jawa",
                                 "5": "bali_nusa_tenggara", "6": "kalimantan",
                                 "7": "sulawesi", "8": "maluku", "9": "papua"}


def island_group(province_code: object) -> str:
    """The island group of a province (its code's first digit when none is known)."""
    code = str(int(province_code))
    return ISLAND_GROUPS.get(code[0], code[0])



def _read(name: str, **kwargs) -> pd.DataFrame:
    with resources.files(__package__).joinpath(name).open("rb") as handle:
        return pd.read_csv(handle, **kwargs)


def province_key(text: str) -> str:
    """Normalise a province spelling: lower case, letters and digits only, no 'Prov.' or
    'Prop.' prefix; a code written as a float ('32.0') is the code.
    The SQL macro fold_province (queries/ddl/macros.sql) is the same rule inside DuckDB."""
    written = str(whole_code(str(text))).strip().lower()
    return PROVINCE_PREFIX.sub("", NON_ALNUM.sub("", written))


@cache
def provinces() -> pd.DataFrame:
    """The 38 provinces: province_code, name, short, capital, lat, lon, tile grid position,
    split_from_2019 (the 2019 province a 2022 province was split from)."""
    df = _read("provinces.csv", dtype={"split_from_2019": "Int16"})
    return df.rename(columns={"code": "province_code"})


@cache
def province_names() -> dict[int, str]:
    """Province code -> name ('Jawa Barat' for 32)."""
    frame = provinces()
    return dict(zip(frame["province_code"].astype(int), frame["name"], strict=True))


@cache
def province_spellings() -> pd.DataFrame:
    """Every listed spelling of a province as written (name, short name, code, aliases) in
    its common cases (as listed, UPPER, lower, Title), with its code. Ingest looks these up
    as they are, so only other spellings need province_key's normalisation."""
    prov = provinces()
    written: list[tuple[str, int]] = []
    for code, name, short in prov[["province_code", "name", "short"]].itertuples(index=False):
        variants = [str(code), name, short]
        if name.startswith("Kepulauan "):
            variants += ["Kep. " + name.removeprefix("Kepulauan "), "Kep " + name[10:]]
        if name.startswith("Sumatera "):
            variants.append("Sumatra " + name.removeprefix("Sumatera "))
        written += [(v, int(code)) for v in variants]
    extra = _read("province_aliases.csv")
    written += [(a, int(c)) for a, c in extra.itertuples(index=False)]
    rows = [(case(text), code) for text, code in written
            for case in (str, str.upper, str.lower, str.title)]
    return pd.DataFrame(rows, columns=["spelling", "province_code"]).drop_duplicates(
        ignore_index=True)


@cache
def province_aliases() -> pd.DataFrame:
    """Every known spelling (normalised key) with its province code; codes map to themselves."""
    spellings = province_spellings()
    aliases = pd.DataFrame({"alias_key": spellings["spelling"].map(province_key),
                            "province_code": spellings["province_code"]}).drop_duplicates()
    clashes = aliases[aliases.duplicated("alias_key", keep=False)]
    if not clashes.empty:  # an ambiguous spelling would silently pick a province
        raise ValueError(f"ambiguous province aliases: {sorted(clashes.alias_key.unique())}")
    return aliases.reset_index(drop=True)


@cache
def _alias_lookup() -> dict[str, int]:
    return dict(province_aliases().itertuples(index=False))


# a code written as a float: pandas and R write a code column that holds a blank as floats
FLOAT_CODE = re.compile(r"^\s*([0-9]+)\.0{1,2}\s*$")


def whole_code(text: object) -> object:
    """A code written as a float as its digits ('32.0' -> '32', '3204.00' -> '3204');
    anything else as given. province_code and regency_code read codes through it."""
    if isinstance(text, str) and (found := FLOAT_CODE.fullmatch(text)):
        return found.group(1)
    return text


def province_code(text: str | int | None) -> int | None:
    """The province code for any common spelling or code ('32', '32.0'), or None when
    unknown."""
    if text is None or (isinstance(text, float) and pd.isna(text)):
        return None
    return _alias_lookup().get(province_key(str(text)))


# Regencies (kabupaten/kota), issue 18: REGENCIES.md says where the list comes from and why
# its codes are Kemendagri's (the province codes' system), not BPS's.
NOT_ASCII_ALNUM = re.compile(r"[^A-Za-z0-9]+")
REGENCY_WORDS = {"KAB": "KABUPATEN", "KOTAMADYA": "KOTA", "KODYA": "KOTA"}


def fold_regency(text: object) -> str | None:
    """A regency spelling folded for lookup: every run of characters other than ASCII letters
    and digits becomes one space, trimmed, upper case; the words KAB, KOTAMADYA, KODYA become
    KABUPATEN, KOTA, KOTA ('Kab. Bandung' -> 'KABUPATEN BANDUNG', '32.04' -> '32 04').
    The SQL macro fold_regency (queries/ddl/macros.sql) is the same rule."""
    if text is None or (not isinstance(text, str) and pd.isna(text)):
        return None
    if isinstance(text, float) and text.is_integer():
        text = int(text)  # a code read as a number: 3204.0
    words = NOT_ASCII_ALNUM.sub(" ", str(text)).strip().upper().split(" ")
    return " ".join(REGENCY_WORDS.get(word, word) for word in words)


@cache
def regencies() -> pd.DataFrame:
    """The 514 regencies of the 2024 election: regency_code (Kemendagri, province x 100 +
    number), province_code, name ('KABUPATEN BANDUNG'), kind ('kabupaten' | 'kota')."""
    return _read("regencies.csv")


def _regency_spellings(name: str) -> tuple[set[str], set[str]]:
    """(full names, bare names) a written regency name stands for, folded: 'Kab. Adm. Kep.
    Seribu' also as KEPULAUAN / ADMINISTRASI / without it; the bare name without its kind."""
    words = fold_regency(name).split(" ")
    full: set[str] = set()
    has_adm = any(w in ("ADM", "ADMINISTRASI") for w in words)
    for adm in (None, "ADM", "ADMINISTRASI") if has_adm else (None,):
        for kep in ("KEP", "KEPULAUAN"):
            changed = [kep if w in ("KEP", "KEPULAUAN") else w for w in words
                       if w not in ("ADM", "ADMINISTRASI")]
            if adm and changed[0] in ("KABUPATEN", "KOTA"):
                changed.insert(1, adm)
            full.add(" ".join(changed))
    bare = {" ".join(f.split(" ")[1:]) for f in full
            if f.split(" ")[0] in ("KABUPATEN", "KOTA") and " " in f}
    bare = {b for b in bare if not b.startswith(("ADM ", "ADMINISTRASI "))}
    return full | {b + (" REGENCY" if words[0] == "KABUPATEN" else " CITY") for b in bare
                   if words[0] in ("KABUPATEN", "KOTA")}, bare


@cache
def regency_aliases() -> pd.DataFrame:
    """Every folded spelling of a regency with its code (the regency_aliases table): the code
    as '3204' and '32.04', the name with KABUPATEN or KAB (folded alike), Kep./Kepulauan,
    Administrasi/Adm. or neither, English '... Regency'/'... City', the former names and codes
    listed in regency_aliases.csv, and the bare name ('CIAMIS') only where no other regency
    has it: 'BANDUNG' (Kabupaten and Kota) is no alias. A code or full name two regencies
    shared would be a data error and raises."""
    candidates: list[tuple[str, int, int]] = []  # (folded alias, code, 0 exact / 1 variant)

    def add(written: str, code: int, exact: bool) -> None:
        if re.fullmatch(r"\d{2}\.?\d{2}", written.strip()):
            digits = written.strip().replace(".", "")
            candidates.extend([(digits, code, 0), (f"{digits[:2]} {digits[2:]}", code, 0)])
            return
        full, bare = _regency_spellings(written)
        candidates.append((fold_regency(written), code, 0 if exact else 1))
        candidates.extend((spelling, code, 1) for spelling in full | bare)

    for code, name in regencies()[["regency_code", "name"]].itertuples(index=False):
        add(f"{code:04d}", int(code), True)
        add(name, int(code), True)
    extra = _read("regency_aliases.csv", dtype={"alias": str})
    for written, code in extra[["alias", "regency_code"]].itertuples(index=False):
        add(written, int(code), False)
    frame = pd.DataFrame(candidates, columns=["alias", "regency_code", "level"])
    frame = frame[frame["alias"] != ""].drop_duplicates()
    best = frame[frame["level"] == frame.groupby("alias")["level"].transform("min")]
    codes = best.groupby("alias")["regency_code"].nunique()
    clash = best[best["alias"].isin(codes[codes > 1].index) & (best["level"] == 0)]
    if not clash.empty:  # an exact name or code would silently pick one of two regencies
        raise ValueError(f"ambiguous regency codes or names: {sorted(set(clash['alias']))}")
    unique = best[best["alias"].isin(codes[codes == 1].index)]
    return (unique[["alias", "regency_code"]].drop_duplicates("alias")
            .sort_values(["regency_code", "alias"], ignore_index=True))


@cache
def _regency_lookup() -> dict[str, int]:
    return dict(regency_aliases().itertuples(index=False))


def regency_code(text: object) -> int | None:
    """The regency code for a code ('3204', '32.04', '3204.0') or any listed spelling of its
    name, or None when unknown or ambiguous ('Bandung': Kabupaten or Kota?)."""
    folded = fold_regency(whole_code(text))
    return None if folded is None else _regency_lookup().get(folded)


@cache
def operator_prefixes() -> pd.DataFrame:
    """One row per prefix in 62 form ('62812') with its operator group and brand."""
    ops = _read("operators.csv", dtype=str)
    rows = [
        ("62" + p.removeprefix("0"), op, brand)
        for op, brand, prefixes in ops[["operator", "brand", "prefixes"]].itertuples(index=False)
        for p in prefixes.split()
    ]
    return pd.DataFrame(rows, columns=["prefix", "operator", "brand"])


@cache
def operators() -> pd.DataFrame:
    """The four operator groups: operator id and display name."""
    ops = _read("operators.csv", dtype=str)
    return ops[["operator", "name"]].drop_duplicates("operator").reset_index(drop=True)


@cache
def operator_short_names() -> dict[str, str]:
    """Operator id -> its first brand, a short name ('indosat' -> 'Indosat')."""
    ops = _read("operators.csv", dtype=str).drop_duplicates("operator")
    return dict(zip(ops["operator"], ops["brand"], strict=True))


@cache
def error_codes() -> pd.DataFrame:
    """SMPP / GSM MAP error codes with their meaning in Indonesian and English."""
    return _read("error_codes.csv", dtype=str)


@cache
def error_code_spellings() -> pd.DataFrame:
    """Each listed error code as files write it (1 to 4 digits, zero-padded or not) with its
    canonical three-digit form: ingest looks these up instead of parsing every row."""
    rows = {(str(int(code)).zfill(width), str(int(code)).zfill(3))
            for code in error_codes()["error_code"] for width in range(1, 5)
            if len(str(int(code))) <= width}
    return pd.DataFrame(sorted(rows), columns=["spelling", "error_code"])


@cache
def smpp_state_words() -> pd.DataFrame:
    """Every state word SMSCs write in a receipt's stat: field (upper case: the SMPP 3.4 short
    names, the long message_state names and numbers, a few vendors' words) with the SMPP 3.4
    short state it means; smpp_states.csv names the source of each. The short names come
    first: a lookup finds the usual words soonest."""
    return _read("smpp_states.csv", dtype=str, keep_default_na=False)[["word", "state"]]


@cache
def dpt_2024() -> pd.DataFrame:
    """Registered voters (DPT 2024, KPU decree 857/2023) per province."""
    return _read("dpt_2024.csv")


@cache
def election_calendar() -> pd.DataFrame:
    """Key dates of the 2024 election (KPU calendar; debates from public reporting):
    date, kind (campaign, debate, quiet, vote, recap), label_id/_en and short_id/_en."""
    return _read("election_calendar.csv", parse_dates=["date"])
