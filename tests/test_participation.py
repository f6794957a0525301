"""Orchestration of the participation and survey tests, and their plain-language reading."""

import math
import re

import numpy as np
import pandas as pd
import pytest

from dashboard import reference
from dashboard.analysis import participation as pa
from dashboard.analysis import survey_stats as ss
from dashboard.analysis.multiple_testing import benjamini_hochberg
from dashboard.analysis.province_stats import NotEnoughData
from dashboard.charts.style import exposure_label
from dashboard.i18n import t
from dashboard.ingest.election import SPLIT_INTO_2019_UNIT, validate_election
from dashboard.ingest.survey import validate_survey
from dashboard.sample.election import election_results
from dashboard.sample.survey import survey_responses

CODES_2019 = [11, 12, 13, 14, 15, 16, 17, 18, 19, 21, 31, 32, 33, 34, 35, 36, 51, 52, 53, 61,
              62, 63, 64, 65, 71, 72, 73, 74, 75, 76, 81, 82, 91, 92]


def provinces(slope_pp: float = 2.0, seed: int = 0) -> pd.DataFrame:
    """34 provinces whose turnout rose by slope_pp points per message per 1,000 voters (the
    unit the page shows, style.PER_VOTERS)."""
    rng = np.random.default_rng(seed)
    n = len(CODES_2019)
    exposure = rng.uniform(0.5, 3.0, n) / 1000  # per voter: 0,5-3 per 1,000 voters
    turnout_2019 = rng.uniform(0.75, 0.88, n)
    invalid_2019 = rng.uniform(0.015, 0.035, n)
    return pd.DataFrame({
        "province_code": CODES_2019, "name": [str(c) for c in CODES_2019],
        "dpt_2024": rng.integers(400_000, 36_000_000, n).astype(float),
        "delivered_per_voter": exposure, "reach_per_voter": exposure / 2 + rng.uniform(0, .2, n),
        "turnout_2019": turnout_2019,
        "turnout_2024": turnout_2019 + slope_pp / 100 * exposure * 1000
        + rng.normal(0, 0.003, n),
        "invalid_rate_2019": invalid_2019,
        "invalid_rate_2024": invalid_2019 + rng.normal(0, 0.002, n),
        "noken": [c == 91 for c in CODES_2019],
    })


def test_results_table_shape_and_columns():
    results = pa.participation_tests(provinces(), n_resamples=999)
    assert tuple(results.columns) == pa.RESULT_COLUMNS
    per_pair = len(pa.TESTS) + len(pa.LEVEL_TESTS)  # change: every test; 2024 level: correlations
    assert len(results) == len(pa.EXPOSURES) * len(pa.OUTCOMES) * per_pair
    assert set(results["outcome"]) == {"turnout_change", "invalid_rate_change",
                                       "turnout_2024", "invalid_rate_2024"}
    assert (results["n"] == 34).all()
    np.testing.assert_allclose(results["p_adjusted"], benjamini_hochberg(results["p_value"]))
    assert (results["ci_low"] <= results["estimate"]).all()
    assert (results["estimate"] <= results["ci_high"]).all()


def test_planted_association_is_found():
    results = pa.participation_tests(provinces(slope_pp=2.0), exposures=["delivered_per_voter"],
                                     outcomes=["turnout"], n_resamples=999)
    by_test = results[results["outcome"] == "turnout_change"].set_index("test")
    assert by_test.loc["ols_change_hc3", "estimate"] == pytest.approx(2.0, abs=0.1)  # points
    assert by_test.loc["pearson", "estimate"] > 0.9
    assert (by_test["p_adjusted"] < 0.01).all()


def test_results_are_deterministic():
    first = pa.participation_tests(provinces(), n_resamples=999)
    pd.testing.assert_frame_equal(first, pa.participation_tests(provinces(), n_resamples=999))


def test_exclude_noken_drops_papua():
    results = pa.participation_tests(provinces(), exclude_noken=True, tests=["pearson"])
    assert (results["n"] == 33).all()
    assert results["method_note"].str.contains("noken provinces excluded").all()
    inferred = pa.participation_tests(provinces().drop(columns="noken"), exclude_noken=True,
                                      tests=["pearson"])
    assert (inferred["n"] == 33).all()


@pytest.mark.parametrize("keep", [0, 1, 2])
def test_fewer_than_three_provinces_raise(keep):
    with pytest.raises(NotEnoughData, match="at least 3"):
        pa.participation_tests(provinces().head(keep))


def test_only_noken_and_two_others_left_raises():
    frame = provinces().iloc[[0, 1, 32]]  # 91 is row 32
    with pytest.raises(NotEnoughData):
        pa.participation_tests(frame, exclude_noken=True)


def test_pairs_without_data_are_skipped_and_named():
    frame = provinces()
    frame.loc[2:, "invalid_rate_2019"] = np.nan  # like the real KPU gaps
    results = pa.participation_tests(frame, n_resamples=199)
    assert set(results["outcome"]) == {"turnout_change", "turnout_2024", "invalid_rate_2024"}
    assert any("invalid_rate_change" in s for s in results.attrs["skipped"])


def test_unknown_test_name_is_an_error():
    with pytest.raises(ValueError, match="unknown test"):
        pa.participation_tests(provinces(), tests=["magic"])


def test_province_frame_from_sample_election():
    clean, _, _ = validate_election(election_results().astype("string"),
                                    reference.province_code)
    reach = pd.DataFrame({"province_code": [32, 94, 95, None], "delivered": [70e6, 1e6, 2e6, 5]})
    # unique reach per 2019 unit: distinct across Papua's parts, never their sum
    unit_reach = pd.DataFrame({"province_code": [32, 91], "unique_reach": [30e6, 0.8e6]})
    names = reference.provinces().set_index("province_code")["name"].to_dict()
    frame = pa.province_frame(clean, reach, names, unit_reach)
    assert len(frame) == 34 and frame["noken"].sum() == 1
    papua = frame.set_index("province_code").loc[91]
    assert papua["name"] == "Papua"
    dpt_papua = 727835 + 367269 + 1128844 + 1306414  # KPU DPT 2024: 91 + 93 + 94 + 95
    assert papua["dpt_2024"] == dpt_papua
    assert papua["delivered_per_voter"] == pytest.approx(3e6 / dpt_papua)
    assert papua["reach_per_voter"] == pytest.approx(0.8e6 / dpt_papua)
    jabar = frame.set_index("province_code").loc[32]
    assert jabar["turnout_2024"] == pytest.approx(29438041 / 35714901)  # real KPU figures
    assert jabar["invalid_rate_2024"] == pytest.approx(711518 / 29438041)
    assert frame.set_index("province_code").loc[11, "delivered_per_voter"] == 0  # none sent
    assert (pa.province_frame(clean)["delivered_per_voter"] == 0).all()  # nothing delivered


def test_a_blank_election_count_leaves_its_province_out_of_those_tests_only():
    """A KPU row loaded with a blank count (kept, with a warning) made the page fail:
    astype("float64") raised on the NA. Its rates are now NaN, and only the tests that need
    them leave that province out (their n says so)."""
    clean, _, _ = validate_election(election_results().astype("string"),
                                    reference.province_code)
    clean["ballots_cast"] = clean["ballots_cast"].astype("Int64").where(
        ~((clean["province_code"] == 16) & (clean["year"] == 2019)), pd.NA)
    reach = pd.DataFrame({"province_code": clean["province_code"].unique(),
                          "delivered": np.arange(clean["province_code"].nunique()) * 1e4 + 1})
    unit_reach = pd.DataFrame({"province_code": clean["province_code"].map(
        lambda code: SPLIT_INTO_2019_UNIT.get(code, code)).unique(), "unique_reach": 1.0})
    frame = pa.province_frame(clean, reach, unit_reach=unit_reach)
    sumsel = frame.set_index("province_code").loc[16]
    assert np.isnan(sumsel["turnout_2019"]) and np.isnan(sumsel["invalid_rate_2019"])
    assert sumsel["turnout_2024"] > 0 and frame["turnout_2019"].isna().sum() == 1
    results = pa.participation_tests(frame, n_resamples=199).set_index(["test", "outcome"])
    n = results.loc[results["exposure"] == "delivered_per_voter", "n"]
    assert n[("pearson", "turnout_change")] == n[("pearson", "invalid_rate_change")] == 33
    assert n[("pearson", "turnout_2024")] == n[("pearson", "invalid_rate_2024")] == 34


@pytest.mark.parametrize(("zeroed", "no_ballots", "turnout_2024"), [
    ([], [], {36: pytest.approx(0.82, abs=0.1)}),
    ([(36, 2024)], [(36, 2024)], {36: 0.0}),  # Banten's 2024 count not in yet, written 0
    ([(36, 2024), (32, 2019)], [(32, 2019), (36, 2024)], {36: 0.0}),
    # a Papua part: its 2019 unit is named, and its sum is low rather than 0
    ([(94, 2024)], [(91, 2024)], {91: pytest.approx(0.7, abs=0.3)}),
])
def test_a_province_without_ballots_stays_in_the_tests_and_is_named(zeroed, no_ballots,
                                                                    turnout_2024):
    clean, _, _ = validate_election(election_results().astype("string"),
                                    reference.province_code)
    for code, year in zeroed:
        row = (clean["province_code"] == code) & (clean["year"] == year)
        clean.loc[row, ["ballots_cast", "valid_votes", "invalid_votes"]] = 0
    frame = pa.province_frame(clean)
    assert frame.attrs["no_ballots"] == no_ballots
    assert len(frame) == 34  # nothing dropped
    for code, turnout in turnout_2024.items():
        assert frame.set_index("province_code").loc[code, "turnout_2024"] == turnout
    names = ", ".join(f"{c} {y}" for c, y in no_ballots)
    assert names in t("ui.no_ballots", "en", units=names)


@pytest.mark.parametrize("change", [
    lambda e: e.assign(dpt=e["dpt"].where(e["province_code"] != 32, e["dpt"] + 1)),
    lambda e: e.assign(ballots_cast=e["ballots_cast"].astype("Float64").where(
        e["province_code"] != 91, pd.NA)),
    lambda e: e.assign(invalid_votes=e["invalid_votes"] * 2),
    lambda e: e[e["province_code"] != 11],  # a province fewer
    lambda e: e.assign(year=e["year"].where(e["year"] != 2019, 2014)),  # no 2019 row
], ids=["one dpt", "one count missing", "invalid votes", "one province fewer", "another year"])
def test_province_frame_follows_every_change_of_the_election(change):
    """The election's units are kept between calls (they do not change with the filters):
    any other value must give the frame of that election, and a caller's change to a frame
    it got must not reach the next caller."""
    clean, _, _ = validate_election(election_results().astype("string"),
                                    reference.province_code)
    changed = change(clean.copy())
    fresh = {}
    for name, election in (("clean", clean), ("changed", changed)):
        pa.ELECTION_UNITS.clear()
        fresh[name] = pa.province_frame(election)  # worked out afresh
    assert not fresh["clean"].equals(fresh["changed"])
    mine = pa.province_frame(clean)
    mine.loc[:, "dpt_2024"] = -1.0  # a caller changes its own copy
    for name, election in (("changed", changed), ("clean", clean), ("changed", changed)):
        pd.testing.assert_frame_equal(pa.province_frame(election), fresh[name])


# --- survey ------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def survey() -> pd.DataFrame:
    clean, _, _ = validate_survey(survey_responses().astype("string"),
                                  reference.province_code)
    return clean


def test_survey_results_shape(survey):
    results = pa.survey_tests(survey)
    assert tuple(results.columns) == pa.SURVEY_RESULT_COLUMNS
    per_outcome = ["weighted_proportion", "weighted_proportion", "difference",
                   "logit_odds_ratio", "logit_marginal_effect", "minimum_detectable_difference"]
    assert results["test"].tolist() == per_outcome * 2
    np.testing.assert_allclose(results["p_adjusted"], benjamini_hochberg(results["p_value"]))
    ci = results.dropna(subset=["ci_low"])
    assert ((ci["ci_low"] <= ci["estimate"]) & (ci["estimate"] <= ci["ci_high"])).all()


def test_survey_proportions_and_dont_know_count(survey):
    results = pa.survey_tests(survey, outcomes=["voted"])
    in_groups = survey[survey["received_sms"].isin(["yes", "no"])]
    dont_know = int((in_groups["voted"] == "dont_know").sum())
    assert dont_know > 0
    notes = results.loc[results.test != "minimum_detectable_difference", "method_note"]
    assert notes.str.contains(f"dont_know excluded: {dont_know}", regex=False).all()
    recipients = in_groups[(in_groups["received_sms"] == "yes")
                           & in_groups["voted"].isin(["yes", "no"])]
    direct = ss.weighted_proportion((recipients["voted"] == "yes").astype(float),
                                    recipients["weight"])
    row = results[(results.test == "weighted_proportion") & (results.group == "recipients")]
    assert row["estimate"].item() == pytest.approx(direct.estimate)
    assert row["n"].item() == direct.n
    difference = results[results.test == "difference"]
    assert difference["n"].item() == results[results.test == "weighted_proportion"]["n"].sum()


def test_survey_sample_shows_the_planted_knowledge_effect(survey):
    results = pa.survey_tests(survey, outcomes=["knows_valid_ballot"]).set_index("test")
    assert results.loc["logit_marginal_effect", "ci_low"] > 0
    assert results.loc["logit_odds_ratio", "estimate"] > 1


@pytest.mark.filterwarnings("error::RuntimeWarning")  # a separated fit warns of nothing
def test_survey_whose_recipients_all_voted_keeps_its_shares_and_leaves_out_the_logit(survey):
    """Every recipient answered yes: the weighted shares and their difference stand, the
    logistic regression has no finite odds ratio and gives no row (not an overflow, not NaN)."""
    separated = survey.copy()
    separated.loc[separated["received_sms"] == "yes", "voted"] = "yes"
    results = pa.survey_tests(separated, outcomes=["voted"])
    assert results["test"].tolist() == ["weighted_proportion", "weighted_proportion",
                                         "difference", "minimum_detectable_difference"]
    assert results.set_index("group").loc["recipients", "estimate"] == 1.0


def test_survey_without_recipients_raises(survey):
    with pytest.raises(NotEnoughData):
        pa.survey_tests(survey[survey["received_sms"] == "no"])


@pytest.mark.parametrize(("change", "options"), [
    (lambda s: s, {"outcomes": ["voted"]}),  # the same answers, another outcome list
    (lambda s: s, {"confidence": 0.9}),
    (lambda s: s.assign(weight=s["weight"].where(s.index != s.index[0], 50.0)), {}),
    (lambda s: s.assign(knows_valid_ballot=s["knows_valid_ballot"].where(
        s["received_sms"] != "yes", "yes")), {}),  # every recipient knows
    (lambda s: s.assign(age_group=s["age_group"].where(s.index != s.index[3], "other")), {}),
    (lambda s: s.iloc[1:], {}),  # a respondent fewer
], ids=["outcomes", "confidence", "one weight", "answers", "one control", "one fewer"])
def test_survey_tests_follow_every_change_of_the_respondents_and_options(survey, change,
                                                                         options):
    """The survey's results are kept between calls (they do not change with the operator,
    wave and period filters): other respondents or options give their own results, as worked
    out afresh, and a caller's change to a result does not reach the next caller."""
    changed = change(survey.copy())
    pa.SURVEY_TESTS.clear()
    fresh = pa.survey_tests(changed, **options)
    mine = pa.survey_tests(survey)
    mine.loc[:, "estimate"] = -1.0
    pd.testing.assert_frame_equal(pa.survey_tests(changed, **options), fresh)
    pa.SURVEY_TESTS.clear()
    pd.testing.assert_frame_equal(pa.survey_tests(survey), pa.survey_tests(survey))
    assert (pa.survey_tests(survey)["estimate"] != -1.0).all()
    assert not fresh.equals(pa.survey_tests(survey))


# --- plain language ----------------------------------------------------------------------

NAN = re.compile(r"\b[Nn]a[Nn]\b|<NA>|\bNone\b")


@pytest.mark.parametrize("lang", ["id", "en"])
def test_participation_sentences(lang):
    results = pa.participation_tests(provinces(), n_resamples=199)
    sentences = pa.interpret_participation(results, lang)
    text = " ".join(sentences)
    assert not NAN.search(text)
    assert len(sentences) == len(results) + 4
    if lang == "id":
        assert "bukan sebab-akibat" in text and "kekeliruan ekologis" in text
        assert "n = 34 provinsi" in text and "IK 95%" in text
        assert re.search(r"r = -?0,\d\d", text)  # Indonesian decimal comma
    else:
        assert "not causation" in text and "ecological fallacy" in text
        assert "n = 34 provinces" in text


@pytest.mark.parametrize(("lang", "missing"), [("id", "tidak cukup data"),
                                               ("en", "not enough data")])
def test_missing_numbers_read_not_enough_data(lang, missing):
    results = pa.participation_tests(provinces(), tests=["pearson", "ols_change_hc3"],
                                     n_resamples=199)
    results.loc[0, ["estimate", "ci_low"]] = np.nan
    results.loc[1, "p_value"] = np.nan
    results.loc[2:, "p_adjusted"] = np.nan
    sentences = pa.interpret_participation(results, lang)
    assert not NAN.search(" ".join(sentences))
    assert missing in sentences[0] and missing in sentences[1]


@pytest.mark.parametrize(("noken_excluded", "phrase"), [
    (True, "dikecualikan"), (False, "ikut dihitung")])
def test_noken_sentence(noken_excluded, phrase):
    results = pa.participation_tests(provinces(), exclude_noken=noken_excluded,
                                     tests=["pearson"])
    assert any(phrase in s for s in pa.interpret_participation(results, "id"))


@pytest.mark.parametrize("lang", ["id", "en"])
def test_survey_sentences(survey, lang):
    results = pa.survey_tests(survey)
    results.loc[3, ["estimate", "ci_low", "ci_high", "p_value"]] = np.nan
    text = " ".join(pa.interpret_survey(results, lang))
    assert not NAN.search(text)
    assert ("tidak cukup data" if lang == "id" else "not enough data") in text
    assert ("bukan sebab-akibat" if lang == "id" else "not causation") in text
    assert ("'tidak tahu'" if lang == "id" else "'don't know'") in text


@pytest.mark.parametrize("lang", ["id", "en"])
@pytest.mark.parametrize(("exposure", "test"), [
    ("delivered_per_voter", "pearson"), ("delivered_per_voter", "ols_change_hc3"),
    ("reach_per_voter", "spearman")])
def test_sentence_words_exposure_as_the_chart_does(exposure, test, lang):
    """Delivered is 'diterima' (the chart's own label), never 'terkirim' (sent)."""
    row = {"test": test, "exposure": exposure, "outcome": "turnout_change", "estimate": 0.3,
           "ci_low": 0.1, "ci_high": 0.5, "p_value": 0.04, "p_adjusted": 0.2, "n": 34}
    sentence = pa.interpret_participation_row(row, lang)
    assert "terkirim" not in sentence and "sent" not in sentence.split()
    if test != "ols_change_hc3":
        assert exposure_label(exposure, lang).lower() in sentence


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        ({"test": "pearson", "exposure": "delivered_per_voter", "outcome": "turnout_change",
          "estimate": 0.32, "ci_low": 0.01, "ci_high": 0.58, "p_value": 0.04,
          "p_adjusted": 0.21, "n": 34},
         "Korelasi Pearson, pesan diterima per 1.000 pemilih dan perubahan partisipasi pemilih "
         "2019-2024: r = 0,32 (IK 95%: 0,01 sampai 0,58; n = 34 provinsi): hubungan positif "
         "yang sedang. p = 0,040; p terkoreksi = 0,210."),
        ({"test": "ols_change_hc3", "exposure": "delivered_per_voter",
          "outcome": "turnout_change", "estimate": 0.8, "ci_low": -0.4, "ci_high": 2.0,
          "p_value": 0.0004, "p_adjusted": 0.002, "n": 34},
         "Regresi OLS (galat HC3): setiap tambahan 1 pesan diterima per 1.000 pemilih sejalan "
         "dengan perubahan partisipasi pemilih 2019-2024 sebesar +0,80 poin persentase "
         "(IK 95%: -0,40 sampai +2,00; n = 34 provinsi), pada provinsi dengan tingkat 2019 "
         "yang sama. p < 0,001; p terkoreksi = 0,002."),
        ({"test": "spearman", "exposure": "reach_per_voter", "outcome": "invalid_rate_change",
          "estimate": -0.05, "ci_low": -0.4, "ci_high": 0.3, "p_value": 0.7,
          "p_adjusted": 0.9, "n": 33},
         "Korelasi Spearman, jangkauan unik per 1.000 pemilih dan perubahan persentase suara tidak "
         "sah 2019-2024: rho = -0,05 (IK 95%: -0,40 sampai 0,30; n = 33 provinsi): hampir "
         "tidak ada hubungan; intervalnya mencakup nol, jadi data juga cocok dengan tidak "
         "adanya hubungan. p = 0,700; p terkoreksi = 0,900."),
    ],
)
def test_participation_row_sentence(row, expected):
    assert pa.interpret_participation_row(row, "id") == expected


# spearman below 6 provinces has no bootstrap interval (NaN bounds; attack finding 06): the
# sentence says so and why, never "nan" nor an interval, and keeps rho, n and the p-values
FOUR_IN_ORDER = {"test": "spearman", "exposure": "delivered_per_voter",
                 "outcome": "turnout_2024", "estimate": 1.0, "ci_low": math.nan,
                 "ci_high": math.nan, "p_value": 0.083, "p_adjusted": 0.2, "n": 4}


@pytest.mark.parametrize(("row", "lang", "expected"), [
    (FOUR_IN_ORDER, "id",
     "Korelasi Spearman, pesan diterima per 1.000 pemilih dan partisipasi pemilih 2024: rho = 1,00 "
     "(tanpa interval 95%: terlalu sedikit provinsi untuk interval bootstrap, yang perlu "
     "minimal 6; n = 4 provinsi): hubungan positif yang kuat. p = 0,083; p terkoreksi = "
     "0,200."),
    (FOUR_IN_ORDER, "en",
     "Spearman correlation, messages delivered per 1,000 voters and turnout in 2024: rho = "
     "1.00 (no 95% interval: too few provinces for a bootstrap interval, which needs at "
     "least 6; n = 4 provinces): a strong positive association. p = 0.083; adjusted p = 0.200."),
    # a missing interval with enough provinces is still just missing data
    ({**FOUR_IN_ORDER, "n": 6}, "en",
     "Spearman correlation, messages delivered per 1,000 voters and turnout in 2024: not enough "
     "data."),
])
def test_spearman_sentence_without_a_bootstrap_interval_says_why(row, lang, expected):
    sentence = pa.interpret_participation_row(row, lang)
    assert sentence == expected
    assert "nan" not in sentence.lower()

def test_survey_row_sentence():
    row = {"test": "weighted_proportion", "group": "recipients", "outcome": "voted",
           "estimate": 0.8734, "ci_low": 0.859, "ci_high": 0.886, "n": 3012}
    assert pa.interpret_survey_row(row, "id") == (
        "Penerima SMS: 87,3% ikut memilih (IK 95%: 85,9% sampai 88,6%; n = 3.012 responden).")
    assert pa.interpret_survey_row(row, "en") == (
        "SMS recipients: 87.3% voted (95% CI: 85.9% to 88.6%; n = 3,012 respondents).")


def test_empty_results_read_not_enough_data():
    assert pa.interpret_participation(pd.DataFrame(), "id") == ["Tidak cukup data."]
    assert pa.interpret_survey(pd.DataFrame(), "en") == ["Not enough data."]
