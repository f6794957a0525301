"""The experiment's plan (dashboard/experiment/plan.py): its hash detects any change and no
reformatting, read_plan refuses what is wrong, freeze stores it once and refuses a wave in two
plans, verify refuses a changed file, and the PDF for the record says what it must."""

from __future__ import annotations

import copy
import hashlib
import html
import json
import logging
import re
import subprocess

import pandas as pd
import pytest

from dashboard.experiment import plan as P
from dashboard.export.figures import INSTALL_COMMAND, chromium_available

requires_chromium = pytest.mark.skipif(
    not chromium_available(), reason=f"no Chromium; CI runs `{INSTALL_COMMAND}`")
SIGN_OFF = {"name": "Budi Santoso", "role": "Direktur Informasi Publik", "date": "2026-12-01"}
SALT = "3f9c1d27a0b84e65c2d7f1e09a3b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d"
# six regencies in two provinces: 1101 and 3204 held out
ASSIGNMENT = pd.DataFrame({
    "unit_code": [1101, 1102, 1103, 3204, 3205, 3206],
    "stratum": ["11", "11", "11", "32", "32", "32"],
    "arm": ["holdout", "blast", "blast", "holdout", "blast", "blast"],
})


def cluster_plan(**changes) -> dict:
    fields = dict(experiment_id="uji-W5", title="Uji acak gelombang W5", design="cluster",
                  unit="regency", waves=["W5", "W6"], outcomes=["turnout", "invalid_rate"],
                  holdout_share=0.1, seed=20240214, baseline_year=2024, outcome_year=2029,
                  signed_off_by=SIGN_OFF, assignment=ASSIGNMENT,
                  power={"turnout": {"mde_analytic": 0.0123, "mde_simulated": 0.0131,
                                     "n_units": 6, "years": [2019, 2024]}},
                  synthetic=False, created_at="2026-12-05T10:00:00+00:00")
    return P.build_plan(**(fields | changes))


def individual_plan(**changes) -> dict:
    fields = dict(experiment_id="uji-W7", title="Individual hold-out W7", design="individual",
                  unit="number", waves=["W7"], outcomes=["voted"], holdout_share=0.1, seed=1,
                  baseline_year=2024, outcome_year=2029, signed_off_by=SIGN_OFF,
                  thresholds={("telkomsel", 32): 1000, ("xl", 32): 1000,
                              ("telkomsel", 11): 1500},
                  salt=SALT, power=None, synthetic=True,
                  created_at="2026-12-05T10:00:00+00:00")
    return P.build_plan(**(fields | changes))


# --- the hash ----------------------------------------------------------------------------


def test_canonical_json_and_its_hash_written_out():
    """Keys sorted, no spaces, UTF-8 as is: {"b": 1, "a": "é"} is the 15 bytes below."""
    assert P.canonical_json({"b": 1, "a": "é"}) == b'{"a":"\xc3\xa9","b":1}'
    assert P.plan_sha256({"b": 1, "a": "é"}) == hashlib.sha256(
        b'{"a":"\xc3\xa9","b":1}').hexdigest()


def test_canonical_json_does_not_depend_on_key_order():
    plan = cluster_plan()

    def reverse(value):
        if isinstance(value, dict):
            return {k: reverse(value[k]) for k in reversed(list(value))}
        if isinstance(value, list):
            return [reverse(v) for v in value]
        return value

    reordered = reverse(plan)
    assert list(reordered) != list(plan)
    assert P.canonical_json(reordered) == P.canonical_json(plan)
    assert P.plan_sha256(reordered) == P.plan_sha256(plan)


def test_a_reformatted_file_has_the_same_hash(tmp_path):
    plan = cluster_plan()
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(plan, indent=4, ensure_ascii=True), encoding="utf-8")
    assert P.plan_sha256(P.read_plan(path)) == P.plan_sha256(plan)


# (field, a changed value): every top-level field, and one inside each nested one
CHANGES = {
    "plan_version": 2,
    "experiment_id": "uji-W5b",
    "title": "Uji acak gelombang W5.",
    "design": "individual",
    "unit": "province",
    "waves": ["W5"],
    "outcomes": ["turnout"],
    "estimator": P.ESTIMATORS["cluster"] + " ",
    "holdout_share": 0.1000001,
    "seed": 20240215,
    "baseline_year": 2019,
    "outcome_year": 2030,
    "signed_off_by": SIGN_OFF | {"name": "Budi Santosa"},
    "assignment": "flip one arm",
    "strata": [],
    "salt": SALT,
    "power": None,
    "synthetic": True,
    "created_at": "2026-12-05T10:00:01+00:00",
}


def test_the_changes_cover_every_field():
    assert set(CHANGES) == set(P.FIELDS)


@pytest.mark.parametrize("field", P.FIELDS)
def test_the_hash_changes_when_any_field_changes(field):
    plan = cluster_plan()
    changed = copy.deepcopy(plan)
    if field == "assignment":
        changed["assignment"][2]["arm"] = "holdout"
    else:
        changed[field] = CHANGES[field]
    assert changed != plan
    assert P.plan_sha256(changed) != P.plan_sha256(plan)


@pytest.mark.parametrize("path", [
    ("signed_off_by", "role"), ("signed_off_by", "date"), ("power", "turnout", "mde_analytic"),
    ("assignment", 0, "unit_code"), ("assignment", 5, "stratum"), ("waves", 1),
])
def test_the_hash_changes_when_a_nested_value_changes(path):
    plan = cluster_plan()
    changed = copy.deepcopy(plan)
    target = changed
    for key in path[:-1]:
        target = target[key]
    value = target[path[-1]]
    target[path[-1]] = value + 1 if isinstance(value, (int, float)) else value + "x"
    assert P.plan_sha256(changed) != P.plan_sha256(plan)


def test_the_individual_plans_thresholds_and_salt_are_hashed():
    plan = individual_plan()
    for change in ({"salt": SALT[:-1] + "e"}, {"thresholds": {("telkomsel", 32): 1001,
                                                             ("xl", 32): 1000,
                                                             ("telkomsel", 11): 1500}}):
        assert P.plan_sha256(individual_plan(**change)) != P.plan_sha256(plan)


def test_build_plan_keeps_what_it_was_given():
    plan = individual_plan()
    assert plan["strata"] == [
        {"operator": "telkomsel", "province_code": 11, "threshold": 1500},
        {"operator": "telkomsel", "province_code": 32, "threshold": 1000},
        {"operator": "xl", "province_code": 32, "threshold": 1000}]
    assert P.thresholds_of(plan) == {("telkomsel", 11): 1500, ("telkomsel", 32): 1000,
                                     ("xl", 32): 1000}
    cluster = cluster_plan()
    assert [r["arm"] for r in cluster["assignment"]] == list(ASSIGNMENT["arm"])
    assert cluster["estimator"].startswith("ANCOVA")
    assert "Wald" in cluster["estimator"] and "Wald" in plan["estimator"]


# --- read_plan ---------------------------------------------------------------------------


def _bytes(plan: dict) -> bytes:
    return json.dumps(plan).encode()


@pytest.mark.parametrize("field", P.FIELDS)
def test_a_plan_without_a_field_is_refused(field):
    plan = cluster_plan()
    del plan[field]
    with pytest.raises(P.PlanError) as caught:
        P.read_plan(_bytes(plan))
    assert caught.value.key == "exp.plan.error.missing"
    assert field in str(caught.value)


@pytest.mark.parametrize(("change", "kind"), [
    ({"extra": 1}, "unknown"),
    ({"plan_version": 2}, "version"),
    ({"experiment_id": "uji W5"}, "identifier"),
    ({"experiment_id": ""}, "identifier"),
    ({"experiment_id": "0812-3456-7851"}, "identifier"),  # shaped like a phone number
    ({"experiment_id": "uji_0812_3456_7851"}, "identifier"),
    ({"title": "  "}, "text"),
    ({"estimator": ""}, "text"),
    ({"design": "matched_markets"}, "choice"),
    ({"unit": "number"}, "choice"),  # a cluster design's unit is a regency or province
    ({"waves": []}, "list"),
    ({"waves": ["W5", "W5"]}, "list"),
    ({"waves": "W5"}, "list"),
    ({"waves": ["W 5"]}, "wave_id"),
    ({"waves": ["081234567890"]}, "wave_id"),  # shaped like a phone number
    ({"outcomes": ["voted"]}, "choice"),  # a survey outcome in a cluster design
    ({"outcomes": []}, "list"),
    ({"holdout_share": 0}, "share"),
    ({"holdout_share": 0.51}, "share"),
    ({"holdout_share": -0.1}, "share"),
    ({"holdout_share": True}, "share"),
    ({"holdout_share": "0.1"}, "share"),
    ({"seed": 1.5}, "integer"),
    ({"seed": -1}, "integer"),
    ({"baseline_year": 2029}, "years"),
    ({"signed_off_by": None}, "sign_off"),
    ({"signed_off_by": {}}, "sign_off"),
    ({"signed_off_by": SIGN_OFF | {"name": ""}}, "sign_off"),
    ({"signed_off_by": SIGN_OFF | {"role": " "}}, "sign_off"),
    ({"signed_off_by": SIGN_OFF | {"date": ""}}, "sign_off"),
    ({"signed_off_by": {"name": "Budi", "role": "Direktur"}}, "sign_off"),
    ({"signed_off_by": SIGN_OFF | {"date": "1 Desember 2026"}}, "date"),
    ({"synthetic": "no"}, "boolean"),
    ({"created_at": "yesterday"}, "date"),
    ({"power": [1]}, "power"),
    ({"salt": SALT}, "design_fields"),
    ({"assignment": None}, "units"),
    ({"assignment": []}, "units"),
    ({"assignment": [{"unit_code": 1101, "stratum": "11", "arm": "holdout"}]}, "units"),
    ({"assignment": [{"unit_code": 1101, "stratum": "11", "arm": "holdout"},
                     {"unit_code": 1101, "stratum": "11", "arm": "blast"}]}, "units"),
    ({"assignment": [{"unit_code": 1101, "stratum": "11", "arm": "holdout"},
                     {"unit_code": 1102, "stratum": "11", "arm": "control"}]}, "units"),
])
def test_read_plan_refuses_a_cluster_plan(change, kind):
    with pytest.raises(P.PlanError) as caught:
        P.read_plan(_bytes(cluster_plan() | change))
    assert caught.value.key == f"exp.plan.error.{kind}"


@pytest.mark.parametrize(("change", "kind"), [
    ({"unit": "regency"}, "choice"),
    ({"outcomes": ["turnout"]}, "choice"),
    ({"salt": None}, "salt"),
    ({"salt": SALT.upper()}, "salt"),
    ({"salt": SALT[:-2]}, "salt"),
    ({"strata": []}, "strata"),
    ({"strata": [{"operator": "xl", "province_code": 32, "threshold": 10_001}]}, "strata"),
    ({"strata": [{"operator": "XL'", "province_code": 32, "threshold": 1}]}, "strata"),
    ({"strata": [{"operator": "xl", "province_code": 32, "threshold": 1},
                 {"operator": "xl", "province_code": 32, "threshold": 2}]}, "strata"),
    ({"assignment": [{"unit_code": 1, "stratum": "1", "arm": "blast"}]}, "design_fields"),
])
def test_read_plan_refuses_an_individual_plan(change, kind):
    with pytest.raises(P.PlanError) as caught:
        P.read_plan(_bytes(individual_plan() | change))
    assert caught.value.key == f"exp.plan.error.{kind}"


@pytest.mark.parametrize(("data", "kind"), [
    (b"{not json", "not_json"), (b"\xff\xfe", "not_json"), (b"[1, 2]", "not_object"),
])
def test_read_plan_refuses_what_is_not_a_plan(data, kind):
    with pytest.raises(P.PlanError) as caught:
        P.read_plan(data)
    assert caught.value.key == f"exp.plan.error.{kind}"


def test_build_plan_refuses_a_missing_sign_off():
    with pytest.raises(P.PlanError, match="approved withholding"):
        cluster_plan(signed_off_by={"name": "", "role": "Direktur", "date": "2026-12-01"})


def test_a_plan_error_speaks_both_languages():
    error = P.PlanError("wave_taken", wave="W5", other="uji-lama")
    assert str(error) == error.message("en")
    assert error.message("id") == ("Gelombang W5 sudah ada dalam rencana beku uji uji-lama: "
                                   "satu gelombang, satu uji")
    assert "W5" in error.message("en") and "uji-lama" in error.message("en")


def test_read_plan_reads_a_file_with_a_byte_order_mark(tmp_path):
    path = tmp_path / "plan.json"
    path.write_bytes(b"\xef\xbb\xbf" + P.canonical_json(individual_plan()))
    assert P.read_plan(path) == individual_plan()


# --- freezing and verifying ----------------------------------------------------------------


# a phone number in the plan's free text (finding 06): every place the plan reaches
NUMBER_IN_TEXT = [
    ("title", {"title": "Uji hold-out; kontak 0812-3456-7852"}),
    ("sign-off name", {"signed_off_by": SIGN_OFF | {"name": "Budi (0812 3456 7853)"}}),
    ("sign-off role", {"signed_off_by": SIGN_OFF | {"role": "Direktur, WA +62 812 3456 7854"}}),
]


def _digits(text: str) -> str:
    return re.sub(r"\D", "", text)


@pytest.mark.parametrize(("case", "change"), NUMBER_IN_TEXT, ids=[c[0] for c in NUMBER_IN_TEXT])
def test_a_number_in_the_plans_text_is_never_stored_or_shown(conn, case, change):
    plan = P.read_plan(_bytes(cluster_plan() | change))
    sha = P.freeze(conn, plan)
    stored = conn.execute("SELECT plan_json || signed_off_by FROM experiments").fetchall()[0][0]
    for text in (stored, json.dumps(plan, ensure_ascii=False), P.plan_html(plan, "id", sha)):
        assert not any(f"812345678{n}" in _digits(text) for n in (52, 53, 54)), case
    assert P.verify_plan(conn, P.read_plan(_bytes(cluster_plan() | change))) == sha


def test_a_plan_error_never_quotes_a_number():
    with pytest.raises(P.PlanError) as caught:
        P.read_plan(_bytes(cluster_plan() | {"0812-3456-7855": 1}))
    assert "81234567855" not in _digits(str(caught.value) + caught.value.message("id"))


def _count(conn, table: str) -> int:
    return conn.execute(f"SELECT count(*) FROM {table}").fetchall()[0][0]  # noqa: S608


def test_freeze_stores_the_plan_its_hash_and_its_units(conn):
    plan = cluster_plan()
    sha = P.freeze(conn, plan, frozen_at="2026-12-06 08:00:00+07:00")
    assert sha == P.plan_sha256(plan)
    frozen = P.frozen_plans(conn)
    assert frozen[["experiment_id", "design", "unit", "plan_sha256", "synthetic"]].to_dict(
        "records") == [{"experiment_id": "uji-W5", "design": "cluster", "unit": "regency",
                        "plan_sha256": sha, "synthetic": False}]
    assert frozen["signed_off_by"][0] == "Budi Santoso (Direktur Informasi Publik), 2026-12-01"
    units = conn.execute("SELECT unit_code, stratum, arm FROM experiment_units "
                         "WHERE experiment_id = 'uji-W5' ORDER BY unit_code").fetchall()
    assert units == list(ASSIGNMENT.itertuples(index=False, name=None))
    assert conn.execute("SELECT wave_id, experiment_id FROM experiment_waves ORDER BY 1"
                        ).fetchall() == [("W5", "uji-W5"), ("W6", "uji-W5")]
    assert _count(conn, "experiment_strata") == 0
    assert P.load_frozen(conn, "uji-W5") == plan
    assert P.verify_plan(conn, plan) == sha


def test_freeze_stores_an_individual_plans_thresholds(conn):
    plan = individual_plan()
    P.freeze(conn, plan)
    assert conn.execute("SELECT operator, province_code, threshold FROM experiment_strata "
                        "ORDER BY 1, 2").fetchall() == [("telkomsel", 11, 1500),
                                                        ("telkomsel", 32, 1000),
                                                        ("xl", 32, 1000)]
    assert _count(conn, "experiment_units") == 0
    assert P.frozen_plans(conn)["synthetic"].tolist() == [True]


def test_freezing_the_same_plan_again_changes_nothing(conn):
    plan = cluster_plan()
    first = P.freeze(conn, plan, frozen_at="2026-12-06 08:00:00+07:00")
    before = P.frozen_plans(conn)
    assert P.freeze(conn, copy.deepcopy(plan)) == first
    pd.testing.assert_frame_equal(P.frozen_plans(conn), before)
    assert _count(conn, "experiment_units") == len(ASSIGNMENT)


def test_another_plan_under_a_frozen_id_is_refused(conn):
    first = P.freeze(conn, cluster_plan())
    other = cluster_plan(seed=7)
    with pytest.raises(P.PlanError) as caught:
        P.freeze(conn, other)
    assert caught.value.key == "exp.plan.error.refrozen"
    assert first[:12] in str(caught.value) and P.plan_sha256(other)[:12] in str(caught.value)
    assert P.frozen_plans(conn)["plan_sha256"].tolist() == [first]


def test_a_wave_in_two_plans_is_refused_and_nothing_of_the_second_is_stored(conn):
    P.freeze(conn, cluster_plan())
    second = individual_plan(experiment_id="uji-W6", waves=["W9", "W6"])
    with pytest.raises(P.PlanError) as caught:
        P.freeze(conn, second)
    assert caught.value.key == "exp.plan.error.wave_taken"
    assert caught.value.params == {"wave": "W6", "other": "uji-W5"}
    assert "W6" in str(caught.value) and "uji-W5" in str(caught.value)
    assert P.frozen_plans(conn)["experiment_id"].tolist() == ["uji-W5"]
    assert _count(conn, "experiment_waves") == 2  # W9 rolled back with the rest
    assert _count(conn, "experiment_strata") == 0
    P.freeze(conn, individual_plan(experiment_id="uji-W9", waves=["W9"]))  # still free


def test_freezing_after_the_waves_receipts_warns(conn, caplog):
    conn.execute("INSERT INTO receipts (operator, message_id, wave_id, recipient_key, "
                 "submitted_at, status, ingest_id, send_date) VALUES ('xl', 'm1', 'W6', 1, "
                 "TIMESTAMPTZ '2026-12-06 08:00:00+07', 'DELIVRD', 1, DATE '2026-12-06')")
    with caplog.at_level(logging.WARNING, logger="dashboard.experiment.plan"):
        P.freeze(conn, cluster_plan())
    assert "W6" in caplog.text and "W5" not in caplog.text.split("wave(s)")[1]
    assert P.waves_with_receipts(conn, cluster_plan()) == ["W6"]


def test_verify_refuses_a_changed_plan_naming_both_hashes(conn):
    plan = cluster_plan()
    stored = P.freeze(conn, plan)
    changed = copy.deepcopy(plan)
    changed["assignment"][1]["arm"] = "holdout"  # a unit moved to the hold-out afterwards
    with pytest.raises(P.PlanMismatch) as caught:
        P.verify_plan(conn, changed)
    assert caught.value.key == "exp.plan.error.mismatch"
    assert stored[:12] in str(caught.value)
    assert P.plan_sha256(changed)[:12] in str(caught.value)
    assert stored[:13] not in str(caught.value)  # 12 characters, not the whole hash


def test_verify_refuses_a_plan_that_was_never_frozen(conn):
    with pytest.raises(P.PlanMismatch) as caught:
        P.verify_plan(conn, cluster_plan())
    assert caught.value.key == "exp.plan.error.not_frozen"
    with pytest.raises(P.PlanMismatch):
        P.load_frozen(conn, "uji-W5")


def test_load_frozen_refuses_a_stored_plan_edited_in_the_database(conn):
    P.freeze(conn, cluster_plan())
    conn.execute("UPDATE experiments SET plan_json = replace(plan_json, '\"seed\":20240214', "
                 "'\"seed\":1')")
    with pytest.raises(P.PlanMismatch) as caught:
        P.load_frozen(conn, "uji-W5")
    assert caught.value.key == "exp.plan.error.mismatch"


# --- the plan for the record -------------------------------------------------------------


def test_the_html_of_a_draft_and_of_a_frozen_plan():
    plan = cluster_plan(title="Uji <b>W5</b>")
    sha = P.plan_sha256(plan)
    draft = P.plan_html(plan, "en")
    assert "DRAFT / RANCANGAN - not frozen" in draft and sha not in draft
    assert "Uji &lt;b&gt;W5&lt;/b&gt;" in draft and "<b>W5</b>" not in draft
    frozen = P.plan_html(plan, "id", sha)
    assert sha in frozen and "RANCANGAN / DRAFT" not in frozen
    assert "SINTETIS" not in frozen


@pytest.mark.parametrize("lang", ["id", "en"])
def test_the_html_lists_every_unit_and_every_stratum(lang):
    plan = cluster_plan()
    page = P.plan_html(plan, lang, P.plan_sha256(plan))
    for code in ASSIGNMENT["unit_code"]:
        assert f"{code} " in page
    individual = P.plan_html(individual_plan(), lang, None)
    assert SALT in individual and "1.500" in individual if lang == "id" else "1,500" in individual


# a province design: six provinces in three island groups (the strata
# dashboard/reference ISLAND_GROUPS gives them), 31 and 51 held out
PROVINCE_ASSIGNMENT = pd.DataFrame({
    "unit_code": [11, 31, 32, 33, 51, 52],
    "stratum": ["sumatera", "jawa", "jawa", "jawa", "bali_nusa_tenggara", "bali_nusa_tenggara"],
    "arm": ["blast", "holdout", "blast", "blast", "holdout", "blast"],
})
# the island groups' names as the Rancang uji page and the tile map show them (i18n
# region.*), written out
GROUP_NAMES = {"id": ["Sumatera", "Jawa", "Bali & Nusa Tenggara"],
               "en": ["Sumatra", "Java", "Bali & Nusa Tenggara"]}
RAW_GROUPS = ["sumatera", "jawa", "bali_nusa_tenggara"]


def province_plan() -> dict:
    return cluster_plan(unit="province", assignment=PROVINCE_ASSIGNMENT, experiment_id="uji-P5")


def test_the_province_strata_are_the_page_s_island_groups():
    from dashboard.experiment.strata import stratum_of

    assert [stratum_of("province", c) for c in PROVINCE_ASSIGNMENT["unit_code"]] == list(
        PROVINCE_ASSIGNMENT["stratum"])


@pytest.mark.parametrize("lang", ["id", "en"])
def test_the_html_names_a_province_design_s_island_groups(lang):
    page = P.plan_html(province_plan(), lang)
    names = [html.escape(name) for name in GROUP_NAMES[lang]]  # "&" is "&amp;" in HTML
    for name in names:  # the strata table and the appendix's stratum column
        assert page.count(f"<td>{name}</td>") == 2, name
    # west to east in both tables, as GROUP_NAMES lists them
    cells = re.findall(r"<td>([^<]*)</td>", page)
    assert [c for c in cells if c in names] == names * 2
    for raw in RAW_GROUPS:
        assert raw not in page, raw
    assert "31 DKI Jakarta" in page and "51 Bali" in page


def test_strata_summary_counts_units_per_arm():
    assert P.strata_summary(cluster_plan()).to_dict("records") == [
        {"stratum": "11", "units": 3, "holdout": 1, "blast": 2},
        {"stratum": "32", "units": 3, "holdout": 1, "blast": 2}]


def _pdf_text(path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True,
                          check=True).stdout.decode()


@requires_chromium
@pytest.mark.parametrize(("lang", "words"), [
    ("id", ["RENCANA UJI ACAK", "Persetujuan menahan pesan", "Budi Santoso", "Penaksir",
            "Penugasan per strata", "Lampiran", "11 Aceh", "20240214", "W5, W6", "10,0%",
            "1101 Kab. Aceh Selatan", "1,23 poin"]),
    ("en", ["RANDOMISED EXPERIMENT PLAN", "Sign-off for withholding", "Budi Santoso",
            "Estimator", "Assignment per stratum", "Appendix", "11 Aceh", "20240214",
            "W5, W6", "10.0%", "1101 Kab. Aceh Selatan", "1.23 points"]),
])
def test_the_pdf_of_a_frozen_plan_prints_its_hash_in_full(tmp_path, lang, words):
    plan = cluster_plan()
    sha = P.plan_sha256(plan)
    path = P.plan_pdf(plan, tmp_path / f"plan-{lang}.pdf", lang, sha)
    assert path.read_bytes().startswith(b"%PDF")
    text = _pdf_text(path)
    assert sha in text
    for word in words:
        assert word in text, word
    assert "DRAFT" not in text and "SINTETIS" not in text


@requires_chromium
@pytest.mark.parametrize("lang", ["id", "en"])
def test_the_pdf_of_a_province_plan_names_its_island_groups(tmp_path, lang):
    text = _pdf_text(P.plan_pdf(province_plan(), tmp_path / f"provinsi-{lang}.pdf", lang))
    for name in GROUP_NAMES[lang]:
        assert name in text, name
    for raw in RAW_GROUPS:
        assert raw not in text, raw


@requires_chromium
@pytest.mark.parametrize(("lang", "draft"), [
    ("en", "DRAFT / RANCANGAN - not frozen"), ("id", "RANCANGAN / DRAFT - belum dibekukan")])
def test_the_pdf_of_a_draft_synthetic_plan_says_so(tmp_path, lang, draft):
    plan = individual_plan()
    text = _pdf_text(P.plan_pdf(plan, tmp_path / "draft.pdf", lang))
    assert draft in text
    mark = "SYNTHETIC / SINTETIS" if lang == "en" else "SINTETIS / SYNTHETIC"
    pages = [page for page in text.split("\f") if page.strip()]
    assert len(pages) >= 2 and all(mark in page for page in pages)  # on every page
    assert P.plan_sha256(plan) not in text
    assert SALT in text and "telkomsel" in text
