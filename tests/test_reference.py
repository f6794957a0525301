"""Reference data: 38 provinces, every common spelling resolves, operator prefixes."""

from __future__ import annotations

import pytest

from dashboard import reference
from dashboard.ingest.privacy import contains_phone_number, mask_phone_numbers, normalise_msisdn


def test_38_provinces_with_unique_codes_and_tiles():
    prov = reference.provinces()
    assert len(prov) == 38 and prov["province_code"].is_unique
    assert not prov.duplicated(["tile_col", "tile_row"]).any()


@pytest.mark.parametrize(("spelling", "code"), [
    ("JAWA BARAT", 32), ("Jabar", 32), ("Prov. Jawa Barat", 32), ("32", 32),
    ("Provinsi DKI Jakarta", 31), ("DKI", 31), ("Jakarta", 31), ("N.A.D.", 11),
    ("Aceh", 11), ("North Sumatra", 12), ("Sumatra Utara", 12), ("Kep. Riau", 21),
    ("Kepri", 21), ("Bangka-Belitung", 19), ("DI Yogyakarta", 34), ("Jogja", 34),
    ("NTT", 53), ("Nusa Tenggara Timur", 53), ("Papua Barat Daya", 96), ("Southwest Papua", 96),
    ("Papua Pegunungan", 95), ("Highland Papua", 95), (" kalimantan  utara ", 65),
    ("LUAR NEGERI", None), ("-", None), ("", None), ("Mars", None),
    # a code column holding a blank, written by pandas or R, has floats: '32.0'
    ("32.0", 32), (" 32.00 ", 32), (32.0, 32), ("32.5", None), ("32.000", None),
])
def test_province_spellings(spelling, code):
    assert reference.province_code(spelling) == code


def test_every_operator_group_has_prefixes_and_no_prefix_is_shared():
    prefixes = reference.operator_prefixes()
    assert set(prefixes["operator"]) == {"telkomsel", "indosat", "xl", "smartfren"}
    assert prefixes["prefix"].is_unique
    assert prefixes["prefix"].str.fullmatch(r"628\d\d").all()


@pytest.mark.parametrize(("written", "normalised"), [
    ("+62 812-3456-7890", "6281234567890"), ("081234567890", "6281234567890"),
    ("6281234567890", "6281234567890"), ("81234567890", "6281234567890"),
    ("0812 3456 789", "62812345678" + "9"), ("08ABC", None), ("0812", None),
    ("0215550000", None), ("", None), (None, None), ("+1 555 0100 200", None),
    ("0812_3456_7890", "6281234567890"),
])
def test_normalise_msisdn(written, normalised):
    assert normalise_msisdn(written) == normalised


@pytest.mark.parametrize("text", [
    "call +62 812-3456-7890 now", "0812345678901", "x,6281234567890,y", "812 3456 7890",
    "0812_3456_7890", "0812\u00b73456\u00b77890",
])
def test_phone_numbers_are_masked(text):
    masked = mask_phone_numbers(text)
    assert not contains_phone_number(masked) and "[nomor disamarkan]" in masked


@pytest.mark.parametrize("text", ["2023-12-05 10:00:00", "id:XL0000123", "SMS01", "err:027"])
def test_ordinary_values_are_not_masked(text):
    assert mask_phone_numbers(text) == text
