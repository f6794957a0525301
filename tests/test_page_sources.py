"""Every chart and table group of every page with charts (Ringkasan, Ringkasan mingguan,
Jangkauan, Kanal, Partisipasi, Hoaks, Rancang uji) prints its short source line on the page
(review item 17), from the function the exports use (Provenance.source_line), so a
screenshot names where its numbers come from; of sample data the line says synthetic (review
item 2). Run with Streamlit's AppTest."""

from __future__ import annotations

import re

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from tests.test_kanal_page import APP, full_db  # noqa: F401  (a fixture: own channel files)


def _run(monkeypatch, path, page: str, lang: str) -> AppTest:
    monkeypatch.setenv("PEMILU_DB", str(path))
    st.cache_resource.clear()
    st.cache_data.clear()
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    if lang != "id":
        at.button_group(key="lang").set_value(lang).run()
    at.switch_page(f"app_pages/{page}.py").run()
    assert not at.exception, at.exception
    return at


def _captions(monkeypatch, path, page: str, lang: str) -> list[str]:
    at = _run(monkeypatch, path, page, lang)
    # the page escapes the lines for Markdown (they name operators and waves from files)
    return [re.sub(r"\\(.)", r"\1", c.value) for c in at.caption]


# (database, page, language, source lines at least, what each opens with): the sample's say
# synthetic; own files keep their real sources
PAGE_CASES = [
    ("sample", "jangkauan", "id", 4, "Sumber: DATA CONTOH SINTETIS (pengiriman gelombang"),
    ("sample", "jangkauan", "en", 4, "Source: SYNTHETIC SAMPLE DATA (deliveries of waves"),
    ("sample", "kanal", "id", 4, "Sumber: DATA CONTOH SINTETIS ("),
    ("sample", "hoaks", "id", 5, "Sumber: DATA CONTOH SINTETIS (isu hoaks pemilu"),
    ("sample", "hoaks", "en", 5, "Source: SYNTHETIC SAMPLE DATA (election hoax issues"),
    ("sample", "rancang_uji", "id", 2, "Sumber: DATA CONTOH SINTETIS ("),
    # visual review: the charts of these pages named no source on screen
    ("sample", "ringkasan", "id", 2, "Sumber: DATA CONTOH SINTETIS (pengiriman gelombang"),
    ("sample", "ringkasan", "en", 2, "Source: SYNTHETIC SAMPLE DATA (deliveries of waves"),
    ("sample", "partisipasi", "id", 2, "Sumber: DATA CONTOH SINTETIS ("),
    ("sample", "partisipasi", "en", 2, "Source: SYNTHETIC SAMPLE DATA ("),
    ("sample", "ringkasan_mingguan", "id", 4, "Sumber: DATA CONTOH SINTETIS ("),
    ("sample", "ringkasan_mingguan", "en", 4, "Source: SYNTHETIC SAMPLE DATA ("),
    ("own", "kanal", "id", 4, "Sumber: "),
]


@pytest.mark.parametrize(("database", "page", "lang", "count", "opens"), PAGE_CASES)
def test_each_group_says_its_source_on_the_page(request, monkeypatch, database, page, lang,
                                                count, opens):
    path = request.getfixturevalue("sample_db" if database == "sample" else "full_db")
    word = "Sumber:" if lang == "id" else "Source:"
    lines = [c for c in _captions(monkeypatch, path, page, lang) if c.startswith(word)]
    assert len(lines) >= count, lines
    assert all(line.startswith(opens) for line in lines), lines
    if database == "sample":  # never a real-looking credit for the sample
        assert not [line for line in lines if "laporan pengiriman" in line
                    or "delivery reports of" in line], lines
    else:  # own files: their real sources, never called synthetic
        assert not [line for line in lines if "SINTETIS" in line], lines
        assert [line for line in lines if line.startswith("Sumber: laporan pengiriman")]


# (language, whether the page says in Indonesian what Streamlit's English drop zone says)
@pytest.mark.parametrize(("lang", "noted"), [("id", True), ("en", False)])
def test_the_upload_box_and_warnings_are_in_the_page_s_language(sample_db, monkeypatch, lang,
                                                                  noted):
    at = _run(monkeypatch, sample_db, "kualitas_data", lang)
    said = [c.value for c in at.caption if "Upload" in c.value and "200 MB" in c.value]
    assert bool(said) is noted
    # the sample's receipts warn of odd regencies: by name, never the raw code
    tables = " ".join(d.value.to_string() for d in at.dataframe)
    assert "unknown_regency" not in tables and "regency_province_mismatch" not in tables
    assert ("Kabupaten/kota tidak dikenal" if lang == "id" else "Unknown regency") in tables
