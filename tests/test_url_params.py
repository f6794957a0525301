"""A shared link's parameters (issue 15, point 9): `lang=id|en` as well as the labels, operator
ids, names and short forms, province codes and spellings, wave ids in any case, the English
keys; a notice in the page's language names every value not recognised."""

from __future__ import annotations

from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from dashboard import reference
from dashboard.store import db
from dashboard.url_params import (
    LANG_LABELS,
    MAX_SHOWN,
    Choices,
    notice_values,
    operator_labels,
    parse,
    province_labels,
)
from tests.test_downloads import campaign  # noqa: F401  (the fixture: a small campaign)

APP = str(Path(__file__).resolve().parents[1] / "dashboard" / "web" / "app.py")


def values(raw: dict[str, list[str]], **kwargs: object) -> dict[str, object]:
    return parse(raw, **kwargs).values


# --- the parser --------------------------------------------------------------------------


@pytest.mark.parametrize(("written", "expected"), [
    ("en", "en"), ("EN", "en"), ("English", "en"), ("english", "en"), ("eng", "en"),
    ("id", "id"), ("ID", "id"), ("Indonesia", "id"), ("bahasa", "id"), ("ind", "id"),
])
def test_lang_as_a_code_or_a_label(written, expected):
    assert values({"lang": [written]}) == {"lang": expected}


@pytest.mark.parametrize(("written", "expected"), [
    ("telkomsel", "telkomsel"), ("Telkomsel", "telkomsel"), ("tsel", "telkomsel"),
    ("TSEL", "telkomsel"), ("indosat", "indosat"), ("Indosat Ooredoo Hutchison", "indosat"),
    ("ioh", "indosat"), ("IM3", "indosat"), ("Tri (3)", "indosat"), ("tri", "indosat"),
    ("xl", "xl"), ("XL", "xl"), ("XL Axiata", "xl"), ("xl-axiata", "xl"), ("Axis", "xl"),
    ("smartfren", "smartfren"), ("Smartfren", "smartfren"),
])
def test_operator_as_an_id_a_name_a_brand_or_a_short_form(written, expected):
    assert values({"operator": [written]}) == {"operator": [expected]}


@pytest.mark.parametrize(("written", "expected"), [
    ("32", 32), ("Jawa Barat", 32), ("JAWA BARAT", 32), ("jabar", 32), ("Prov. Jawa Barat", 32),
    ("31", 31), ("DKI Jakarta", 31), ("11", 11), ("Aceh", 11), ("96", 96),
])
def test_province_as_a_code_or_any_spelling(written, expected):
    assert values({"provinsi": [written]}) == {"provinsi": [expected]}


def test_several_values_repeated_or_comma_separated_without_duplicates():
    choices = parse({"operator": ["tsel,xl", "Telkomsel", " smartfren "],
                     "provinsi": ["32", "Jawa Barat", "31"]})
    assert choices.values == {"operator": ["telkomsel", "xl", "smartfren"],
                              "provinsi": [32, 31]}
    assert choices.unknown == ()


@pytest.mark.parametrize(("raw", "unknown"), [
    ({"lang": ["fr"]}, (("lang", "fr"),)),
    ({"operator": ["Foo"]}, (("operator", "Foo"),)),
    ({"operator": ["tsel", "Foo", "Bar"]}, (("operator", "Foo"), ("operator", "Bar"))),
    ({"provinsi": ["Atlantis", "99", "32"]}, (("provinsi", "Atlantis"), ("provinsi", "99"))),
    ({"province": ["Narnia"]}, (("province", "Narnia"),)),  # named as the link wrote it
    ({"gelombang": ["SMS99"]}, (("gelombang", "SMS99"),)),
])
def test_values_not_recognised_are_named(raw, unknown):
    choices = parse(raw, waves=["SMS01", "SMS02"])
    assert choices.unknown == unknown


def test_unknown_values_leave_only_the_known_ones():
    choices = parse({"operator": ["Foo", "tsel"], "lang": ["fr"]})
    assert choices.values == {"operator": ["telkomsel"]}  # the switch keeps its default
    assert choices.to_set == {"operator", "lang"}


def test_waves_in_any_case_as_the_filter_offers_them():
    assert values({"gelombang": ["sms01", "SMS02"]}, waves=["SMS01", "SMS02"]) == {
        "gelombang": ["SMS01", "SMS02"]}
    assert values({"gelombang": ["sms01"]}) == {"gelombang": ["sms01"]}  # no list: as written


def test_a_province_outside_the_scope_is_not_recognised_never_widened_to():
    choices = parse({"provinsi": ["31", "32"]}, provinces=(32,))
    assert choices.values == {"provinsi": [32]}
    assert choices.unknown == (("provinsi", "31"),)


@pytest.mark.parametrize(("raw", "key", "expected"), [
    ({"province": ["32"]}, "provinsi", [32]),
    ({"provinces": ["32,31"]}, "provinsi", [32, 31]),
    ({"wave": ["SMS01"]}, "gelombang", ["SMS01"]),
    ({"operators": ["xl"]}, "operator", ["xl"]),
    ({"language": ["en"]}, "lang", "en"),
])
def test_english_keys(raw, key, expected):
    choices = parse(raw)
    assert choices.values == {key: expected}
    assert key in choices.to_set
    assert choices.aliases_used == tuple(raw)


@pytest.mark.parametrize("raw", [
    {"lang": ["English"]}, {"lang": ["Indonesia"]}, {"operator": ["Telkomsel", "XL Axiata"]},
    {"provinsi": ["Jawa Barat"]}, {"gelombang": ["SMS01"]}, {},
])
def test_a_link_the_widgets_read_themselves_needs_nothing_set(raw):
    choices = parse(raw, waves=["SMS01"])
    assert choices.to_set == frozenset()
    assert choices.unknown == ()


@pytest.mark.parametrize(("raw", "to_set"), [
    ({"lang": ["en"]}, {"lang"}),
    ({"operator": ["Telkomsel", "xl"]}, {"operator"}),  # half read by Streamlit: set it all
    ({"provinsi": ["32"]}, {"provinsi"}),
    ({"gelombang": ["sms01"]}, {"gelombang"}),
])
def test_a_link_not_written_in_labels_is_set(raw, to_set):
    assert parse(raw, waves=["SMS01"]).to_set == to_set


def test_only_the_keys_asked_for():
    raw = {"lang": ["en"], "operator": ["tsel"]}
    assert parse(raw, ("lang",)).values == {"lang": "en"}
    assert parse(raw, ("operator",)).values == {"operator": ["telkomsel"]}


def test_the_labels_are_the_sidebars():
    ops = reference.operators()
    assert operator_labels() == dict(zip(ops["operator"], ops["name"], strict=True))
    assert province_labels()[32] == "Jawa Barat"
    assert len(province_labels()) == 38
    assert LANG_LABELS == {"id": "Indonesia", "en": "English"}


@pytest.mark.parametrize(("key", "value"), [
    ("gelombang", "0812-3456-7861"), ("operator", "+62 812 3456 7862"),
    ("provinsi", "081234567863"), ("gelombang", "0812_3456_7864"),
])
def test_the_notice_never_shows_a_phone_number(key, value):
    shown = notice_values(parse({key: [value]}, waves=["SMS01"]).unknown)
    core = "".join(c for c in value[value.index("8", value.find("08") if "08" in value else 0):]
                   if c.isdigit())[:11]
    assert shown.startswith(f"{key}=") and core not in "".join(c for c in shown if c.isdigit())


def test_the_notice_names_each_value_and_cuts_long_ones():
    choices = parse({"operator": ["Foo", "x" * 500], "provinsi": ["Atlantis"]})
    assert notice_values(choices.unknown) == (
        f"operator=Foo, operator={'x' * MAX_SHOWN}, provinsi=Atlantis")
    assert notice_values(Choices().unknown) == ""


# --- the app ----------------------------------------------------------------------------------


@pytest.fixture
def app(campaign, monkeypatch):  # noqa: F811
    monkeypatch.setenv("PEMILU_DB", str(campaign))
    st.cache_resource.clear()
    st.cache_data.clear()
    yield AppTest.from_file(APP, default_timeout=60)
    st.cache_resource.clear()
    st.cache_data.clear()


def open_link(at: AppTest, **params: str | list[str]) -> AppTest:
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, at.exception
    return at


def sent(at: AppTest) -> int:
    label = {"Terkirim", "Sent"}
    return int(next(m.value for m in at.metric if m.label in label).replace(".", "").replace(
        ",", ""))


def notices(at: AppTest) -> list[str]:
    return [w.value for w in at.warning if "Tautan ini" in w.value or "This link" in w.value]


def count(campaign_db: Path, where: str, params: list[object]) -> int:
    with db.connect(campaign_db, read_only=True) as conn:
        return conn.execute(f"SELECT count(*) FROM receipts WHERE {where}",  # noqa: S608
                            params).fetchall()[0][0]


@pytest.mark.parametrize(("written", "title"), [("en", "Overview"), ("EN", "Overview"),
                                                ("English", "Overview"), ("id", "Ringkasan")])
def test_lang_in_the_link_picks_the_language(app, written, title):
    at = open_link(app, lang=written)
    assert [t.value for t in at.title] == [title]
    assert at.button_group(key="lang").value == {"Overview": "en", "Ringkasan": "id"}[title]
    assert notices(at) == []


def test_lang_in_the_link_of_a_page_without_filters(app):
    app.switch_page("app_pages/hoaks.py")  # the link opens on Hoaks
    at = open_link(app, lang="en")
    assert [t.value for t in at.title] == ["Hoaxes"]


def test_ids_and_codes_in_the_link_filter_the_page(app, campaign):  # noqa: F811
    expected = count(campaign, "operator = 'telkomsel' AND province_code = 32 AND "
                     "wave_id = 'SMS01'", [])  # before the app holds the database
    at = open_link(app, operator="tsel", provinsi="32", gelombang="sms01")
    assert at.multiselect(key="operator").value == ["telkomsel"]
    assert at.multiselect(key="provinsi").value == [32]
    assert at.multiselect(key="gelombang").value == ["SMS01"]
    assert sent(at) == expected
    assert notices(at) == []


def test_an_id_beside_a_label_keeps_both(app, campaign):  # noqa: F811
    expected = count(campaign, "operator IN ('telkomsel', 'xl') AND province_code = 32", [])
    at = open_link(app, operator=["tsel", "XL Axiata"], province="32")
    assert at.multiselect(key="operator").value == ["telkomsel", "xl"]
    assert at.multiselect(key="provinsi").value == [32]
    assert sent(at) == expected


@pytest.mark.parametrize(("lang", "opening"), [
    ("id", "Tautan ini memuat nilai yang tidak dikenali dan diabaikan"),
    ("en", "This link holds values that were not recognised and are ignored"),
])
def test_values_not_recognised_are_named_in_the_pages_language(app, campaign, lang,  # noqa: F811
                                                               opening):
    expected = count(campaign, "operator = 'telkomsel'", [])
    at = open_link(app, lang=lang, operator=["Foo", "tsel"], provinsi=["Atlantis"])
    shown = notices(at)
    assert len(shown) == 1 and shown[0].startswith(opening), shown
    assert "Foo" in shown[0] and "Atlantis" in shown[0] and "tsel" not in shown[0]
    assert at.multiselect(key="operator").value == ["telkomsel"]  # the rest still applies
    assert sent(at) == expected


def test_an_unknown_language_is_named_and_the_page_stays_indonesian(app):
    at = open_link(app, lang="fr")
    assert [t.value for t in at.title] == ["Ringkasan"]
    assert any("lang" in n and "fr" in n for n in notices(at)), notices(at)


def test_the_notice_shows_the_value_as_text(app):
    at = open_link(app, operator="**[x](http://evil.example)**")
    (shown,) = notices(at)
    assert "\\*\\*\\[x\\]" in shown  # escaped: Markdown shows it as written


def test_the_users_later_choice_is_never_overridden_by_the_link(app):
    at = open_link(app, operator="tsel", lang="en")
    at.multiselect(key="operator").set_value(["xl"]).run()
    assert at.multiselect(key="operator").value == ["xl"]
    at.button_group(key="lang").set_value("id").run()
    assert not at.exception, at.exception
    assert [t.value for t in at.title] == ["Ringkasan"]
    assert at.multiselect(key="operator").value == ["xl"]


def test_the_notice_goes_once_the_user_acts(app):
    at = open_link(app, operator="Foo")
    assert len(notices(at)) == 1
    at.multiselect(key="operator").set_value(["xl"]).run()
    assert notices(at) == []
