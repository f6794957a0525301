"""Regencies (issue 18): the 514 kabupaten/kota of the 2024 election, their spellings, and one
folding rule shared by Python and DuckDB."""

from __future__ import annotations

import pytest

from dashboard import reference
from dashboard.store import db

# Kabupaten and kota per province, quoted from github.com/cahyadsn/wilayah README.md ("Data
# Kepmendagri No 300.2.2-2430 Tahun 2025" table, commit b7ad440a), the source of regencies.csv.
PER_PROVINCE = {
    11: (18, 5), 12: (25, 8), 13: (12, 7), 14: (10, 2), 15: (9, 2), 16: (13, 4), 17: (9, 1),
    18: (13, 2), 19: (6, 1), 21: (5, 2), 31: (1, 5), 32: (18, 9), 33: (29, 6), 34: (4, 1),
    35: (29, 9), 36: (4, 4), 51: (8, 1), 52: (8, 2), 53: (21, 1), 61: (12, 2), 62: (13, 1),
    63: (11, 2), 64: (7, 3), 65: (4, 1), 71: (11, 4), 72: (12, 1), 73: (21, 3), 74: (15, 2),
    75: (5, 1), 76: (6, 0), 81: (9, 2), 82: (8, 2), 91: (8, 1), 92: (7, 0), 93: (4, 0),
    94: (8, 0), 95: (8, 0), 96: (5, 1),
}


def test_514_regencies_416_kabupaten_98_kota_unique_codes():
    reg = reference.regencies()
    assert list(reg.columns) == ["regency_code", "province_code", "name", "kind"]
    assert len(reg) == 514 and reg["regency_code"].is_unique and reg["name"].notna().all()
    assert reg["kind"].value_counts().to_dict() == {"kabupaten": 416, "kota": 98}


def test_every_province_of_provinces_csv_has_its_regencies_and_no_other():
    reg = reference.regencies()
    assert set(reg["province_code"]) == set(reference.provinces()["province_code"])
    assert (reg["regency_code"] // 100 == reg["province_code"]).all()


@pytest.mark.parametrize(("province", "expected"), sorted(PER_PROVINCE.items()))
def test_kabupaten_and_kota_per_province_as_the_source_counts(province, expected):
    reg = reference.regencies()
    kinds = reg.loc[reg["province_code"] == province, "kind"]
    assert ((kinds == "kabupaten").sum(), (kinds == "kota").sum()) == expected


def test_kind_follows_the_code_and_the_name():
    # Kepmendagri: number 01-69 is a kabupaten, 71-99 a kota
    reg = reference.regencies()
    by_number = (reg["regency_code"] % 100 >= 71).map({True: "kota", False: "kabupaten"})
    assert (reg["kind"] == by_number).all()
    assert (reg["name"].str.split(" ").str[0].str.lower() == reg["kind"]).all()


@pytest.mark.parametrize(("spelling", "code"), [
    # codes in both common forms (Kemendagri: 32.04 Kabupaten Bandung, 32.73 Kota Bandung)
    ("3204", 3204), ("32.04", 3204), (3204, 3204), (3204.0, 3204), (" 32.73 ", 3273),
    # kabupaten and kota spelled every common way
    ("KABUPATEN BANDUNG", 3204), ("Kab. Bandung", 3204), ("kab bandung", 3204),
    ("Bandung Regency", 3204), ("Kota Bandung", 3273), ("KODYA BANDUNG", 3273),
    ("Kotamadya Bandung", 3273), ("Bandung City", 3273),
    # a bare name two regencies share is no alias; a unique one is
    ("Bandung", None), ("Malang", None), ("Sorong", None), ("Ciamis", 3207),
    ("Kab. Malang", 3507), ("Kota Malang", 3573), ("Merauke", 9301),
    # Jakarta: Administrasi / Adm. / neither; Kep. / Kepulauan
    ("Jakarta Pusat", 3171), ("Kota Adm. Jakarta Pusat", 3171),
    ("KOTA ADMINISTRASI JAKARTA BARAT", 3173), ("Kab. Adm. Kep. Seribu", 3101),
    ("Kepulauan Seribu", 3101), ("Kep. Siau Tagulandang Biaro", 7109),
    ("Siau Tagulandang Biaro", 7109),
    # former names (regency_aliases.csv) and spelling variants
    ("Toba Samosir", 1212), ("Kab. Toba", 1212), ("Labuhan Batu", 1210), ("Labuhanbatu", 1210),
    ("Mamuju Utara", 7601), ("Maluku Tenggara Barat", 8103), ("Fakfak", 9203),
    ("Kab. Fak-Fak", 9203), ("Toli-Toli", 7204), ("Simeulue", 1109),
    # the Papua split: new codes, and the pre-split codes of a 2019 file
    ("93.01", 9301), ("91.01", 9301), ("9101", 9301), ("Kota Sorong", 9671), ("92.71", 9671),
    ("Kabupaten Sorong", 9601), ("92.01", 9601),
    # not a regency
    ("Mars", None), ("", None), ("-", None), (None, None), ("0000", None), ("3299", None),
    ("32", None), ("Jawa Barat", None), ("KABUPATEN", None),
    # a code column holding a blank, written by pandas or R, has floats: '3204.0'
    ("3204.0", 3204), ("3204.00", 3204), (3204.0, 3204), ("3204.5", None), ("32.0", None),
])
def test_regency_spellings(spelling, code):
    assert reference.regency_code(spelling) == code


AMBIGUOUS = ("Bandung", "Banjar", "Bekasi", "Bima", "Blitar", "Bogor", "Cirebon", "Gorontalo",
             "Jayapura", "Kediri", "Kupang", "Madiun", "Magelang", "Malang", "Mojokerto",
             "Pasuruan", "Pekalongan", "Probolinggo", "Semarang", "Serang", "Solok", "Sorong",
             "Sukabumi", "Tangerang", "Tasikmalaya", "Tegal")


@pytest.mark.parametrize("name", AMBIGUOUS)
def test_a_name_a_kabupaten_and_a_kota_share_needs_its_kind(name):
    kabupaten, kota = (reference.regency_code(f"{k} {name}") for k in ("Kab.", "Kota"))
    assert reference.regency_code(name) is None
    assert kabupaten is not None and kota is not None and kabupaten != kota
    assert kabupaten % 100 < 71 <= kota % 100


def test_only_the_shared_names_lack_a_bare_alias():
    reg = reference.regencies()
    bare = reg["name"].str.replace(r"^(KABUPATEN|KOTA) (ADMINISTRASI )?", "", regex=True)
    unresolved = {b.title() for b in bare if reference.regency_code(b) is None}
    assert unresolved == set(AMBIGUOUS)


def test_every_regency_resolves_by_name_and_both_code_forms():
    reg = reference.regencies()
    for code, name in reg[["regency_code", "name"]].itertuples(index=False):
        assert reference.regency_code(name) == code
        assert reference.regency_code(str(code)) == code
        assert reference.regency_code(f"{code // 100}.{code % 100:02d}") == code


def test_every_listed_alias_resolves_to_its_regency():
    listed = reference._read("regency_aliases.csv", dtype={"alias": str})
    assert set(listed["regency_code"]) <= set(reference.regencies()["regency_code"])
    for alias, code in listed[["alias", "regency_code"]].itertuples(index=False):
        assert reference.regency_code(alias) == code, alias


def test_alias_table_is_folded_and_unique():
    aliases = reference.regency_aliases()
    assert aliases["alias"].is_unique
    assert (aliases["alias"].map(reference.fold_regency) == aliases["alias"]).all()


# (written, folded): the rule written out by hand
FOLDS = [
    ("Kab. Bandung", "KABUPATEN BANDUNG"), ("KAB.BANDUNG", "KABUPATEN BANDUNG"),
    ("  kabupaten   bandung ", "KABUPATEN BANDUNG"), ("Kodya Bandung", "KOTA BANDUNG"),
    ("Kotamadya  Bandung", "KOTA BANDUNG"), ("32.04", "32 04"), ("32-04", "32 04"),
    ("Kab. Adm. Kep. Seribu", "KABUPATEN ADM KEP SERIBU"), ("Toli-Toli", "TOLI TOLI"),
    ("Kabupaten (Pangkep)", "KABUPATEN PANGKEP"), ("kab", "KABUPATEN"),
    ("Kabanjahe", "KABANJAHE"),  # only the whole word KAB is a kabupaten
    ("Kota", "KOTA"), ("Kotabaru", "KOTABARU"), ("", ""), ("---", ""),
    ("Bandung\u00e9\u00df", "BANDUNG"),  # not ASCII: a separator in both Python and SQL
    ("\u0131stanbul", "STANBUL"), ("Kab.\tBandung\n", "KABUPATEN BANDUNG"), (None, None),
]


@pytest.fixture(scope="module")
def conn():
    connection = db.memory_connection()
    yield connection
    connection.close()


@pytest.mark.parametrize(("written", "folded"), FOLDS)
def test_python_and_sql_fold_alike(conn, written, folded):
    assert reference.fold_regency(written) == folded
    assert conn.execute("SELECT fold_regency($t)", {"t": written}).fetchall()[0][0] == folded


def test_sql_lookup_through_the_alias_table_matches_python(conn):
    spellings = ["Kab. Bandung", "Kodya Bandung", "Bandung", "32.04", "Jakarta Pusat", "9101",
                 "Kep. Seribu", "Mars", "Toba Samosir", "Kota Sorong"]
    found = dict(conn.execute(
        "SELECT s.spelling, a.regency_code FROM unnest($s) AS s(spelling) "
        "LEFT JOIN regency_aliases AS a ON a.alias = fold_regency(s.spelling)",
        {"s": spellings}).fetchall())
    assert found == {s: reference.regency_code(s) for s in spellings}


def test_a_new_database_holds_the_regencies_and_their_aliases(conn):
    assert conn.execute("SELECT count(*), count(DISTINCT province_code) FROM regencies"
                        ).fetchall() == [(514, 38)]
    assert conn.execute("SELECT count(*) FROM regency_aliases").fetchall()[0][0] == len(
        reference.regency_aliases())


def test_a_database_migrated_without_regencies_gets_them_on_the_next_open(tmp_path):
    path = tmp_path / "dash.duckdb"
    with db.connect(path) as first:  # as a database migrated to 0008 before this load existed
        first.execute("DELETE FROM regencies")
        first.execute("DELETE FROM regency_aliases")
        provinces = first.execute("SELECT count(*) FROM provinces").fetchall()[0][0]
    with db.connect(path) as second:
        assert second.execute("SELECT count(*) FROM regencies").fetchall()[0][0] == 514
        assert second.execute("SELECT count(*) FROM regency_aliases").fetchall()[0][0] == len(
            reference.regency_aliases())
        assert second.execute("SELECT count(*) FROM provinces").fetchall()[0][0] == provinces
