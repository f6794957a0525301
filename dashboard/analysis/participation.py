"""Do the blasts go together with turnout and fewer invalid ballots? Orchestration of the
province-level and survey tests into tidy result tables, and plain-language readings of them.

Province results (participation_tests): one row per exposure x outcome x test, columns
test, exposure, outcome, estimate, ci_low, ci_high, p_value, p_adjusted, n, method_note.
Exposures: SMS delivered and unique reach per voter, and, when the operators' status-bar
counts place impressions in a province within the filters, status-bar impressions per voter
and contacts per voter (SMS delivered plus status-bar impressions). The WhatsApp Channel is
not an exposure here: its insights are national only, so no province can be given a value.
Survey results (survey_tests): test, group, outcome, estimate, ci_low, ci_high, p_value,
p_adjusted, n, method_note. p_adjusted is Benjamini-Hochberg across every p-value in the table.
"""

from __future__ import annotations

import dataclasses
import math
import re
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pandas as pd

from dashboard.analysis import province_stats as ps
from dashboard.analysis import survey_stats as ss
from dashboard.analysis.memo import TableMemo
from dashboard.analysis.multiple_testing import benjamini_hochberg
from dashboard.analysis.province_stats import NotEnoughData, StatResult
from dashboard.i18n import (
    PER_VOTERS,
    format_number,
    is_missing,
    normalize_lang,
    per_voters_unit,
    t,
)

RESULT_COLUMNS = ("test", "exposure", "outcome", "estimate", "ci_low", "ci_high", "p_value",
                  "p_adjusted", "n", "method_note")
SURVEY_RESULT_COLUMNS = ("test", "group", "outcome", "estimate", "ci_low", "ci_high",
                         "p_value", "p_adjusted", "n", "method_note")
EXPOSURES = ("delivered_per_voter", "reach_per_voter")  # the SMS blasts'
# the operators' status-bar text, alone and added to the SMS: run only when status-bar
# impressions are placed in some province (else contacts would repeat delivered_per_voter)
STATUS_BAR_EXPOSURES = ("status_bar_per_voter", "contacts_per_voter")
ALL_EXPOSURES = EXPOSURES + STATUS_BAR_EXPOSURES
# province_frame's attrs["status_bar"]: what the status-bar counts within the filters allow
STATUS_BAR_PRESENT = "present"  # impressions placed in a province: the tests run
STATUS_BAR_NONE_PLACED = "none_placed"  # rows, but no impression in a known province
STATUS_BAR_OUTSIDE_FILTERS = "outside_filters"  # loaded, but no row within the filters
STATUS_BAR_NOT_LOADED = "not_loaded"  # no status-bar data at all
OUTCOMES = ("turnout", "invalid_rate")
TESTS = ("pearson", "spearman", "pearson_permutation", "pearson_dpt_weighted",
         "ols_change_hc3")
LEVEL_TESTS = ("pearson", "spearman", "pearson_permutation", "pearson_dpt_weighted")
SURVEY_OUTCOMES = ("voted", "knows_valid_ballot")
SURVEY_CONTROLS = ("age_group", "gender", "urban_rural", "province_code")
NOKEN_EXCLUDED_NOTE = "noken provinces excluded"
DONT_KNOW_NOTE = "dont_know excluded: {n}"
NOT_ENOUGH = {"id": "tidak cukup data", "en": "not enough data"}
# spearman gives no bootstrap interval below ps.MIN_PROVINCES_BOOTSTRAP provinces: said so
NO_BOOTSTRAP_INTERVAL = {
    "id": "tanpa interval 95%: terlalu sedikit provinsi untuk interval bootstrap, yang perlu "
          "minimal {m}",
    "en": "no 95% interval: too few provinces for a bootstrap interval, which needs at least "
          "{m}",
}


# --- province level ----------------------------------------------------------------------

def province_frame(election: pd.DataFrame, exposure: pd.DataFrame | None = None,
                   names: dict[int, str] | None = None,
                   unit_reach: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per 2019 unit (34): province_code, name, dpt_2024, delivered_per_voter,
    reach_per_voter, turnout_2019/2024, invalid_rate_2019/2024 (proportions), noken; and
    status_bar_per_voter, contacts_per_voter when status-bar rows fall within the filters.

    election: year, province_code, dpt, ballots_cast, invalid_votes (the election_results
    table). exposure: province_code, delivered, and optionally unique_reach (per province),
    status_bar_impressions (NULL on every row: no status-bar row within the filters) and
    status_bar_loaded, in any units (queries/marts/exposure_province.sql). Unknown-province
    rows cannot be placed: they count in no province (their status-bar impressions are in
    attrs["status_bar_unplaced"]); a province absent from it had nothing delivered or shown:
    0. Both are harmonised to the 2019 units first (Papua's 2022 parts added back); exposure
    is divided by DPT 2024 (per voter: can exceed 1, it is not a share of voters).
    Unique reach is a distinct count, so it cannot be added over Papua's parts (a number
    reached in two of them would count twice): unit_reach gives it per 2019 unit
    (province_code, unique_reach: queries/marts/reach_unit_2019.sql) and then replaces the
    exposure's; an exposure's own unique_reach on a province split off since 2019 raises
    ValueError rather than be summed.
    attrs["status_bar"] is one of the STATUS_BAR_* states; attrs["no_ballots"] lists the
    (2019 unit, year) whose KPU row has no ballots cast (turnout 0, kept in the tests).
    """
    from dashboard.ingest.election import harmonise_to_2019_units

    frame = ELECTION_UNITS(election[["year", "province_code", *ELECTION_COUNTS]])
    frame.insert(1, "name", [(names or {}).get(int(c), str(c)) for c in frame["province_code"]])
    state, unplaced = _status_bar_state(exposure)
    if unit_reach is not None and exposure is not None:  # unit_reach replaces it
        exposure = exposure.drop(columns=["unique_reach"], errors="ignore")
    if exposure is not None and len(exposure):
        reach = exposure[exposure["province_code"].notna()]
        _refuse_summed_reach(reach)
        value_columns = [c for c in ("delivered", "unique_reach") if c in reach.columns]
        if state in (STATUS_BAR_PRESENT, STATUS_BAR_NONE_PLACED):
            # 0 where the province has no status-bar row: a NULL part would leave Papua's
            # harmonised sum missing instead of adding nothing
            reach = reach.assign(status_bar_impressions=reach["status_bar_impressions"]
                                 .astype("Float64").fillna(0))
            value_columns.append("status_bar_impressions")
        reach = harmonise_to_2019_units(reach[["province_code", *value_columns]],
                                        sum_columns=value_columns, require_all_parts=False)
        frame = frame.merge(reach, on="province_code", how="left")
        frame[value_columns] = frame[value_columns].fillna(0)
    if unit_reach is not None and len(unit_reach):  # already per 2019 unit: not summed
        frame = frame.merge(unit_reach[["province_code", "unique_reach"]].astype(
            {"province_code": "int64"}), on="province_code", how="left")
        frame["unique_reach"] = frame["unique_reach"].fillna(0)
    dpt = frame["dpt_2024"].astype("Float64")
    for count, per_voter in (("delivered", "delivered_per_voter"),
                             ("unique_reach", "reach_per_voter"),
                             ("status_bar_impressions", "status_bar_per_voter")):
        if count in frame:
            frame[per_voter] = frame.pop(count).astype("Float64") / dpt
    for column in EXPOSURES:  # nothing delivered within the filters: zero exposure everywhere
        if column not in frame:
            frame[column] = 0.0
    if "status_bar_per_voter" in frame:  # every contact: an SMS delivered or a status bar shown
        frame["contacts_per_voter"] = frame["delivered_per_voter"] + frame["status_bar_per_voter"]
    frame["noken"] = ps.noken_flags(frame["province_code"], units="2019")
    # NaN where a count is missing (a KPU row loaded with a blank count): astype("float64")
    # raised on the NA, and the page failed instead of testing the other provinces
    frame = frame.assign(**{c: ps.as_floats(frame[c]) for c in frame.columns
                            if c not in ("province_code", "name", "noken")})
    frame.attrs.update(status_bar=state, status_bar_unplaced=unplaced,
                       no_ballots=_no_ballots(election))
    return frame


def _refuse_summed_reach(reach: pd.DataFrame) -> None:
    """Unique reach of a province split off since 2019 cannot be added into its 2019 unit."""
    from dashboard.ingest.election import SPLIT_INTO_2019_UNIT

    if "unique_reach" not in reach.columns:
        return
    split = reach["province_code"].astype(int).isin(list(SPLIT_INTO_2019_UNIT))
    if (pd.to_numeric(reach.loc[split, "unique_reach"], errors="coerce").fillna(0) > 0).any():
        raise ValueError("unique reach of a province split off since 2019 cannot be summed "
                         "into its 2019 unit (a recipient would count once per province): "
                         "pass it per 2019 unit as unit_reach")


def _no_ballots(election: pd.DataFrame) -> list[tuple[int, int]]:
    """(2019 unit, year) of the KPU rows with no ballots cast (warned turnout_zero at ingest):
    kept in the tests at turnout 0 (or a low Papua sum), where one such province can decide
    a correlation, so the page names them rather than dropping them unseen."""
    from dashboard.ingest.election import to_2019_unit

    ballots = pd.to_numeric(election["ballots_cast"], errors="coerce")
    rows = election[(ballots == 0).fillna(False).to_numpy(dtype=bool)
                    & election["year"].isin([2019, 2024]).to_numpy(dtype=bool)]
    return sorted({(int(to_2019_unit(code)), int(year))
                   for code, year in zip(rows["province_code"], rows["year"], strict=True)
                   if not pd.isna(code)})


ELECTION_COUNTS = ("dpt", "ballots_cast", "invalid_votes")


def _election_units(election: pd.DataFrame) -> pd.DataFrame:
    """province_code, dpt_2024, turnout_ and invalid_rate_ 2019 and 2024 per 2019 unit, from
    election (year, province_code and ELECTION_COUNTS). Kept per election by
    ELECTION_UNITS: they do not change with the page's filters, and were half of
    province_frame's time."""
    from dashboard.ingest.election import harmonise_to_2019_units

    counts = list(ELECTION_COUNTS)
    units = harmonise_to_2019_units(election, sum_columns=counts)
    units = units.astype({c: "Float64" for c in counts})
    units["turnout"] = units["ballots_cast"] / units["dpt"]
    units["invalid_rate"] = units["invalid_votes"] / units["ballots_cast"]
    wide = units[units["year"].isin([2019, 2024])].pivot(
        index="province_code", columns="year", values=["turnout", "invalid_rate", "dpt"])
    frame = pd.DataFrame(index=wide.index)
    frame["dpt_2024"] = wide.get(("dpt", 2024))
    for outcome in OUTCOMES:
        for year in (2019, 2024):
            frame[f"{outcome}_{year}"] = wide.get((outcome, year))
    frame = frame.reset_index()
    frame["province_code"] = frame["province_code"].astype("int64")
    return frame


ELECTION_UNITS = TableMemo(_election_units)


def _status_bar_state(exposure: pd.DataFrame | None) -> tuple[str, int]:
    """The STATUS_BAR_* state of an exposure table and the impressions of its
    unknown-province row (placed in no province)."""
    if exposure is None or "status_bar_impressions" not in exposure.columns:
        return STATUS_BAR_NOT_LOADED, 0
    impressions = pd.to_numeric(exposure["status_bar_impressions"], errors="coerce")
    unknown = exposure["province_code"].isna()
    unplaced = int(impressions[unknown].fillna(0).sum())
    if impressions.notna().any():
        placed = impressions[~unknown].fillna(0)
        return (STATUS_BAR_PRESENT if (placed > 0).any() else STATUS_BAR_NONE_PLACED), unplaced
    # no row within the filters; an empty table cannot tell whether any was loaded at all
    loaded = ("status_bar_loaded" not in exposure.columns or exposure.empty
              or bool(exposure["status_bar_loaded"].fillna(False).astype(bool).any()))
    return (STATUS_BAR_OUTSIDE_FILTERS if loaded else STATUS_BAR_NOT_LOADED), unplaced


def available_exposures(provinces: pd.DataFrame) -> tuple[str, ...]:
    """The exposures participation_tests runs by default on this province frame: the SMS
    ones always; the status-bar ones when status-bar impressions are placed in some province
    (a frame of only zeros has no association to test, and contacts per voter would repeat
    delivered per voter test for test, enlarging the Benjamini-Hochberg family for nothing)."""
    placed = ("status_bar_per_voter" in provinces.columns
              and bool((ps.as_floats(provinces["status_bar_per_voter"]) > 0).any()))
    return tuple(e for e in ALL_EXPOSURES
                 if e in EXPOSURES or (placed and e in provinces.columns))


def _province_test(test: str, exposure: np.ndarray, before: np.ndarray | float,
                   after: np.ndarray, weights: np.ndarray, confidence: float, n_resamples: int,
                   seed: int) -> StatResult:
    change = after - before  # the correlations do not depend on the unit
    if test == "pearson":
        return ps.pearson(exposure, change, confidence)
    if test == "spearman":
        return ps.spearman(exposure, change, confidence, n_resamples, seed)
    if test == "pearson_permutation":
        return ps.pearson_permutation(exposure, change, confidence, n_resamples, seed)
    if test == "pearson_dpt_weighted":
        return ps.weighted_pearson(exposure, change, weights, confidence)
    if test == "ols_change_hc3":
        # the slope per message per PER_VOTERS voters, the unit the scatter's axis and the
        # exposure picker show (per voter, one more message is ~1,000 times the campaign)
        result = ps.ols_change(exposure * PER_VOTERS, before * 100, after * 100, confidence)
        return dataclasses.replace(
            result, note=f"{result.note}; slope per message per {PER_VOTERS:,} voters")
    raise ValueError(f"unknown test {test!r}; choose from {', '.join(TESTS)}")


def participation_tests(provinces: pd.DataFrame, exposures: Sequence[str] | None = None,
                        outcomes: Sequence[str] = OUTCOMES, tests: Sequence[str] = TESTS,
                        exclude_noken: bool = False, confidence: float = 0.95,
                        n_resamples: int = ps.DEFAULT_RESAMPLES,
                        seed: int = ps.DEFAULT_SEED) -> pd.DataFrame:
    """Every exposure x outcome x test on the province frame (see province_frame); exposures
    None: available_exposures(provinces), decided on the whole frame before exclude_noken.

    Outcomes: the 2024 level in percent (`turnout_2024`, `invalid_rate_2024`; correlations
    only) and the change 2024 - 2019 in percentage points (`turnout_change`,
    `invalid_rate_change`); correlations relate exposure to each, and the OLS slope is
    the change per unit of exposure with the 2019 level as control. exclude_noken drops the
    Papua highland provinces (column `noken`, else inferred from province_code).

    A pair with fewer than 3 complete provinces (5 for OLS) is left out and named in
    `result.attrs["skipped"]`; if nothing can be computed NotEnoughData is raised.
    """
    if exposures is None:
        exposures = available_exposures(provinces)
    frame = provinces
    note_suffix = ""
    if exclude_noken:
        flags = (frame["noken"].to_numpy(dtype=bool) if "noken" in frame.columns
                 else ps.noken_flags(frame["province_code"]))
        frame = frame[~flags]
        note_suffix = f"; {NOKEN_EXCLUDED_NOTE}"
    if len(frame) < ps.MIN_PROVINCES:
        raise NotEnoughData(f"{len(frame)} provinces left after the filters; at least "
                            f"{ps.MIN_PROVINCES} are needed")
    weights = (ps.as_floats(frame["dpt_2024"]) if "dpt_2024" in frame.columns
               else np.ones(len(frame)))
    jobs = []
    for exposure in exposures:
        values = ps.as_floats(frame[exposure])
        for outcome in outcomes:
            after = ps.as_floats(frame[f"{outcome}_2024"])
            # the 2024 level (in percent) and the change 2019-2024 (in percentage points);
            # a level has no baseline, so it gets the correlations but not the OLS on change
            jobs += [(exposure, values, f"{outcome}_2024", 0.0, after, LEVEL_TESTS),
                     (exposure, values, f"{outcome}_change", ps.as_floats(frame[f"{outcome}_2019"]),
                      after, tests)]

    def run(job: tuple) -> tuple[list, list]:
        exposure, values, name, before, after, chosen = job
        found, missing = [], []
        for test in [test_name for test_name in tests if test_name in chosen]:
            try:
                result = _province_test(test, values, before, after, weights, confidence,
                                        n_resamples, seed)
            except NotEnoughData as problem:
                missing.append(f"{test} {exposure} x {name}: {problem}")
                continue
            found.append((test, exposure, name, result.estimate, result.ci_low, result.ci_high,
                          result.p_value, math.nan, result.n, result.note + note_suffix))
        return found, missing

    # numpy's sorts in the resampling tests release the GIL: two threads use both cores;
    # every job has its own fixed seed, so the results do not depend on the scheduling
    with ThreadPoolExecutor(max_workers=2) as pool:
        done = list(pool.map(run, jobs))
    rows = [row for found, _ in done for row in found]
    skipped = [text for _, missing in done for text in missing]
    if not rows:
        raise NotEnoughData("no test could be computed: " + "; ".join(skipped))
    results = pd.DataFrame(rows, columns=list(RESULT_COLUMNS))
    results["p_adjusted"] = benjamini_hochberg(results["p_value"])
    results = results.astype({"n": "int64"})
    results.attrs["skipped"] = skipped
    return results


# --- survey ------------------------------------------------------------------------------

def survey_tests(responses: pd.DataFrame, outcomes: Sequence[str] = SURVEY_OUTCOMES,
                 group: str = "received_sms", controls: Sequence[str] = SURVEY_CONTROLS,
                 weight: str = "weight", confidence: float = 0.95) -> pd.DataFrame:
    """Recipients (group == 'yes') against non-recipients ('no') for each yes/no outcome.

    Rows per outcome: weighted_proportion for each group; difference (recipients minus
    non-recipients, Newcombe interval, p-value of the first-order Rao-Scott chi-square);
    logit_odds_ratio and logit_marginal_effect (weighted logistic regression with the
    controls); minimum_detectable_difference (80% power, alpha 0.05, effective n).
    'dont_know' answers (and blanks) are left out of the outcome; their count is in
    method_note. Estimates of proportions and differences are in proportion units (0..1).
    Kept per respondents and options by SURVEY_TESTS: the survey does not change with the
    page's operator, wave and period filters.
    """
    used = [c for c in dict.fromkeys([group, *outcomes, *controls, weight])
            if c in responses.columns]
    return SURVEY_TESTS(responses[used], outcomes=tuple(outcomes), group=group,
                        controls=tuple(controls), weight=weight, confidence=confidence)


def _survey_tests(responses: pd.DataFrame, *, outcomes: tuple[str, ...], group: str,
                  controls: tuple[str, ...], weight: str, confidence: float) -> pd.DataFrame:
    rows, skipped = [], []
    exposed = responses[group].astype("string")
    for outcome in outcomes:
        answer = responses[outcome].astype("string")
        in_groups = exposed.isin(["yes", "no"])  # isin is False (never NA) for a blank
        dont_know = int((in_groups & answer.isin(["dont_know"])).sum())
        used = responses[in_groups & answer.isin(["yes", "no"])]
        note = (DONT_KNOW_NOTE.format(n=dont_know) + f"; {group} dont_know or blank: "
                f"{int((~in_groups).sum())} respondents not in either group")
        try:
            rows += _survey_rows(used, outcome, group, list(controls), weight, confidence,
                                 note)
        except NotEnoughData as problem:
            skipped.append(f"{outcome}: {problem}")
    if not rows:
        raise NotEnoughData("no survey test could be computed: " + "; ".join(skipped))
    results = pd.DataFrame(rows, columns=list(SURVEY_RESULT_COLUMNS))
    results["p_adjusted"] = benjamini_hochberg(results["p_value"])
    results = results.astype({"n": "int64"})
    results.attrs["skipped"] = skipped
    return results


SURVEY_TESTS = TableMemo(_survey_tests)


def _survey_rows(used: pd.DataFrame, outcome: str, group: str, controls: list[str],
                 weight: str, confidence: float, dont_know_note: str) -> list[tuple]:
    y = (used[outcome].astype("string") == "yes").astype(float)
    x = (used[group].astype("string") == "yes").astype(float)
    w = used[weight].astype(float)
    if x.nunique() < 2:
        raise NotEnoughData("recipients and non-recipients are both needed")
    recipients = ss.weighted_proportion(y[x == 1], w[x == 1], confidence)
    others = ss.weighted_proportion(y[x == 0], w[x == 0], confidence)
    rows: list[tuple] = []
    for name, part in (("recipients", recipients), ("non_recipients", others)):
        rows.append(("weighted_proportion", name, outcome, part.estimate, part.ci_low,
                     part.ci_high, math.nan, math.nan, part.n,
                     f"weighted; Wilson interval on Kish effective n = {part.n_eff:.0f}; "
                     f"{dont_know_note}"))
    d, low, high = ss.difference_of_proportions(recipients, others, confidence)
    try:
        chi = ss.weighted_chi_square(x.to_numpy(), y.to_numpy(), w.to_numpy())
        chi_p, chi_note = chi.p_value, chi.note()
    except NotEnoughData:  # everyone gave the same answer: no association to test
        chi_p, chi_note = math.nan, "chi-square undefined (one answer only)"
    rows.append(("difference", "recipients_minus_non_recipients", outcome, d, low, high, chi_p,
                 math.nan, recipients.n + others.n,
                 f"Newcombe hybrid score interval; {chi_note}; {dont_know_note}"))
    frame = used.assign(_y=y, _x=x)
    present = [c for c in controls if c in used.columns]
    try:
        logit = ss.weighted_logistic(frame, "_y", "_x", present, weight, confidence)
        controls_note = ", ".join(present) or "none"
        for test, result in (("logit_odds_ratio", logit.odds_ratio),
                             ("logit_marginal_effect", logit.marginal_effect)):
            rows.append((test, "recipients_vs_non_recipients", outcome, result.estimate,
                         result.ci_low, result.ci_high, result.p_value, math.nan, result.n,
                         f"{result.note}; controls: {controls_note}; {dont_know_note}"))
    except NotEnoughData:
        pass  # one answer only: the proportions and difference above still stand
    power = ss.minimum_detectable_difference(recipients.n_eff, others.n_eff, others.estimate)
    rows.append(("minimum_detectable_difference", "recipients_vs_non_recipients", outcome,
                 power.difference, math.nan, math.nan, math.nan, math.nan,
                 recipients.n + others.n,
                 f"80% power, alpha 0.05 two-sided; Cohen's h = {power.cohens_h:.3f} on "
                 f"effective n {power.n1_eff:.0f} and {power.n2_eff:.0f}; baseline "
                 f"{power.baseline:.3f}"))
    return rows


# --- plain language ----------------------------------------------------------------------

# Worded as the chart's axis (exposure.* in i18n), in its unit (style.per_voters_unit):
# delivered = "diterima", never "terkirim" (sent), which is a different and larger number.
EXPOSURE_LABELS = {
    "delivered_per_voter": {"id": "pesan diterima {unit}", "en": "messages delivered {unit}"},
    "reach_per_voter": {"id": "jangkauan unik {unit}", "en": "unique reach {unit}"},
    "status_bar_per_voter": {"id": "tayangan status bar {unit}",
                             "en": "status-bar impressions {unit}"},
    "contacts_per_voter": {"id": "kontak {unit} (SMS diterima + status bar)",
                           "en": "contacts {unit} (SMS delivered + status bar)"},
}
# Exposure as "one more unit" and outcome as "a change of", for the regression sentence: the
# slope is per message per PER_VOTERS voters (_province_test), as the axis.
EXPOSURE_UNITS = {
    "delivered_per_voter": {"id": "setiap tambahan 1 pesan diterima {unit}",
                            "en": "each additional delivered message {unit}"},
    "reach_per_voter": {"id": "setiap tambahan 1 penerima unik {unit}",
                        "en": "each additional unique recipient {unit}"},
    "status_bar_per_voter": {"id": "setiap tambahan 1 tayangan status bar {unit}",
                             "en": "each additional status-bar impression {unit}"},
    "contacts_per_voter": {"id": "setiap tambahan 1 kontak (pesan diterima atau tayangan "
                                 "status bar) {unit}",
                           "en": "each additional contact (a message delivered or a "
                                 "status-bar impression) {unit}"},
}
OLS_OUTCOMES = {
    "turnout_change": {"id": "perubahan partisipasi pemilih 2019-2024",
                       "en": "a change in turnout 2019-2024"},
    "invalid_rate_change": {"id": "perubahan persentase suara tidak sah 2019-2024",
                            "en": "a change in the invalid-vote rate 2019-2024"},
}
OUTCOME_LABELS = {
    "turnout_2024": {"id": "partisipasi pemilih 2024", "en": "turnout in 2024"},
    "invalid_rate_2024": {"id": "persentase suara tidak sah 2024",
                          "en": "the invalid-vote rate in 2024"},
    "turnout_change": {"id": "perubahan partisipasi pemilih 2019-2024",
                       "en": "the change in turnout 2019-2024"},
    "invalid_rate_change": {"id": "perubahan persentase suara tidak sah 2019-2024",
                            "en": "the change in the invalid-vote rate 2019-2024"},
}
# Survey outcomes: (predicate, noun phrase, question) per language.
SURVEY_LABELS = {
    "voted": {"id": ("ikut memilih", "persentase yang ikut memilih",
                     "pertanyaan apakah ikut memilih"),
              "en": ("voted", "the share who voted", "whether they voted")},
    "knows_valid_ballot": {
        "id": ("tahu cara mencoblos agar suara sah",
               "persentase yang tahu cara mencoblos agar suara sah",
               "pertanyaan cara mencoblos yang sah"),
        "en": ("know how to cast a valid ballot",
               "the share who know how to cast a valid ballot",
               "how to cast a valid ballot")},
}
TEST_LABELS = {
    "pearson": {"id": "Korelasi Pearson", "en": "Pearson correlation"},
    "spearman": {"id": "Korelasi Spearman", "en": "Spearman correlation"},
    "pearson_permutation": {"id": "Korelasi Pearson (uji permutasi)",
                            "en": "Pearson correlation (permutation test)"},
    "pearson_dpt_weighted": {"id": "Korelasi Pearson berbobot DPT",
                             "en": "DPT-weighted Pearson correlation"},
    "ols_change_hc3": {"id": "Regresi OLS (galat HC3)", "en": "OLS regression (HC3 errors)"},
}
STRENGTH = [(0.1, {"id": "hampir tidak ada hubungan", "en": "practically no association"}),
            (0.3, {"id": "hubungan {dir} yang lemah", "en": "a weak {dir} association"}),
            (0.5, {"id": "hubungan {dir} yang sedang", "en": "a moderate {dir} association"}),
            (math.inf, {"id": "hubungan {dir} yang kuat", "en": "a strong {dir} association"})]
DIRECTION = {True: {"id": "positif", "en": "positive"}, False: {"id": "negatif", "en": "negative"}}
CAVEATS = {
    "association": {
        "id": "Ini asosiasi, bukan sebab-akibat: provinsi yang lebih banyak menerima SMS bisa "
              "berbeda dalam banyak hal lain (kota/desa, jaringan seluler, kegiatan kampanye "
              "lain).",
        "en": "This is an association, not causation: provinces that received more SMS can "
              "differ in many other ways (urbanisation, mobile networks, other campaign "
              "activity).",
    },
    # the same caveat when a status-bar exposure is among the results
    "association_channels": {
        "id": "Ini asosiasi, bukan sebab-akibat: provinsi yang lebih banyak menerima SMS atau "
              "tayangan status bar bisa berbeda dalam banyak hal lain (kota/desa, jaringan "
              "seluler, jumlah ponsel pintar, kegiatan kampanye lain).",
        "en": "This is an association, not causation: provinces with more SMS or status-bar "
              "impressions can differ in many other ways (urbanisation, mobile networks, "
              "smartphone ownership, other campaign activity).",
    },
    "ecological": {
        "id": "Hasil ini dihitung antar-provinsi (n = {n}). Hubungan antar-provinsi tidak "
              "berlaku otomatis bagi tiap pemilih (kekeliruan ekologis): data ini tidak dapat "
              "menunjukkan apakah penerima SMS sendiri lebih banyak memilih atau lebih jarang "
              "membuat suara tidak sah.",
        "en": "These results compare provinces (n = {n}). A relation between provinces need "
              "not hold for individual voters (the ecological fallacy): these data cannot show "
              "whether the recipients themselves voted more or cast fewer invalid ballots.",
    },
    "ecological_channels": {
        "id": "Hasil ini dihitung antar-provinsi (n = {n}). Hubungan antar-provinsi tidak "
              "berlaku otomatis bagi tiap pemilih (kekeliruan ekologis): data ini tidak dapat "
              "menunjukkan apakah orang yang menerima SMS atau melihat status bar sendiri "
              "lebih banyak memilih atau lebih jarang membuat suara tidak sah.",
        "en": "These results compare provinces (n = {n}). A relation between provinces need "
              "not hold for individual voters (the ecological fallacy): these data cannot show "
              "whether the people who received the SMS or saw the status bar themselves voted "
              "more or cast fewer invalid ballots.",
    },
    "status_bar_counts": {
        "id": "Tayangan status bar adalah hitungan operator atas tampilan teks di layar, bukan "
              "orang: satu orang bisa melihatnya berkali-kali, jadi angka per pemilih bisa "
              "lebih dari 1.",
        "en": "Status-bar impressions are the operators' counts of the text shown on screens, "
              "not people: one person can see it many times, so per-voter figures can exceed "
              "1.",
    },
    "noken_excluded": {
        "id": "Provinsi dataran tinggi Papua (sistem noken) dikecualikan.",
        "en": "The Papua highland provinces (noken system) are excluded.",
    },
    "noken_included": {
        "id": "Provinsi dataran tinggi Papua (sistem noken, partisipasi mendekati atau di atas "
              "100%) ikut dihitung; kecualikan untuk melihat apakah hasilnya bergantung "
              "padanya.",
        "en": "The Papua highland provinces (noken system, turnout near or above 100%) are "
              "included; exclude them to see whether the results depend on them.",
    },
    "survey": {
        "id": "Ini asosiasi, bukan sebab-akibat: penerima SMS bisa berbeda dari yang bukan "
              "penerima (operator, kota/desa, usia); kontrol dalam regresi hanya menghapus "
              "sebagian perbedaan itu. Jawaban survei bergantung pada ingatan responden.",
        "en": "This is an association, not causation: recipients can differ from "
              "non-recipients (operator, urban/rural, age); the regression's controls remove "
              "only part of that. Survey answers rely on respondents' memory.",
    },
    "pvalue": {
        "id": "p terkoreksi memakai metode Benjamini-Hochberg atas semua uji di tabel.",
        "en": "Adjusted p-values use the Benjamini-Hochberg method across all tests shown.",
    },
}


def _label(table: dict[str, dict[str, str]], key: str, lang: str) -> str:
    text = table.get(key, {}).get(lang, str(key).replace("_", " "))
    return text.replace("{unit}", per_voters_unit(lang))


def _fmt(value: object, decimals: int, lang: str, signed: bool = False) -> str | None:
    """A number in the language's format, or None when missing (the caller then says so)."""
    if is_missing(value) or not math.isfinite(float(value)):
        return None
    text = format_number(float(value), decimals, lang)
    return f"+{text}" if signed and float(value) > 0 and text.strip("0,.") else text


def _p_text(p: object, adjusted: object, lang: str) -> str:
    def one(name: str, x: object) -> str:
        if is_missing(x) or not math.isfinite(float(x)):
            return f"{name}: {NOT_ENOUGH[lang]}"
        if float(x) < 0.001:
            return f"{name} < {format_number(0.001, 3, lang)}"
        return f"{name} = {format_number(float(x), 3, lang)}"
    return f"{one('p', p)}; {one('p terkoreksi' if lang == 'id' else 'adjusted p', adjusted)}"


def _interval(low: object, high: object, decimals: int, lang: str, scale: float = 1.0,
              signed: bool = False, unit: str = "") -> str | None:
    lo = _fmt(None if is_missing(low) else float(low) * scale, decimals, lang, signed)
    hi = _fmt(None if is_missing(high) else float(high) * scale, decimals, lang, signed)
    if lo is None or hi is None:
        return None
    word, ci = t("word.interval_to", lang), ("IK 95%" if lang == "id" else "95% CI")
    return f"{ci}: {lo}{unit} {word} {hi}{unit}"


def _strength(r: float, low: float, high: float, lang: str) -> str:
    for bound, words in STRENGTH:
        if abs(r) < bound:
            text = words[lang].format(dir=DIRECTION[r > 0][lang])
            break
    if low <= 0 <= high:
        text += ("; intervalnya mencakup nol, jadi data juga cocok dengan tidak adanya hubungan"
                 if lang == "id" else
                 "; the interval includes zero, so the data are also consistent with none")
    return text


def interpret_participation_row(row: pd.Series | dict, lang: str = "id") -> str:
    """One sentence for one province-level result: effect, interval and n first, then p."""
    lang = normalize_lang(lang)
    get = row.get
    test, exposure, outcome = str(get("test")), str(get("exposure")), str(get("outcome"))
    title = _label(TEST_LABELS, test, lang)
    x_label, y_label = _label(EXPOSURE_LABELS, exposure, lang), _label(OUTCOME_LABELS,
                                                                          outcome, lang)
    provinces = "provinsi" if lang == "id" else "provinces"
    n = _fmt(get("n"), 0, lang)
    if test == "ols_change_hc3":
        estimate = _fmt(get("estimate"), 2, lang, signed=True)
        interval = _interval(get("ci_low"), get("ci_high"), 2, lang, signed=True)
        if estimate is None or interval is None or n is None:
            return f"{title}, {x_label} - {y_label}: {NOT_ENOUGH[lang]}."
        more = (_label(EXPOSURE_UNITS, exposure, lang) if exposure in EXPOSURE_UNITS
                else ("setiap tambahan 1 " if lang == "id" else "each additional unit of ")
                + x_label)
        change = _label(OLS_OUTCOMES, outcome, lang)
        if lang == "id":
            body = (f"{more} sejalan dengan {change} sebesar {estimate} poin persentase "
                    f"({interval}; n = {n} {provinces}), pada provinsi dengan tingkat 2019 "
                    "yang sama")
        else:
            body = (f"{more} goes with {change} of {estimate} percentage points ({interval}; "
                    f"n = {n} {provinces}), among provinces with the same 2019 level")
        return f"{title}: {body}. {_p_text(get('p_value'), get('p_adjusted'), lang)}."
    estimate = _fmt(get("estimate"), 2, lang)
    interval = _interval(get("ci_low"), get("ci_high"), 2, lang)
    joiner = "dan" if lang == "id" else "and"
    symbol = "rho" if test == "spearman" else "r"
    if (interval is None and test == "spearman" and estimate is not None and n is not None
            and float(get("n")) < ps.MIN_PROVINCES_BOOTSTRAP):
        reason = NO_BOOTSTRAP_INTERVAL[lang].format(m=ps.MIN_PROVINCES_BOOTSTRAP)
        # no interval, so no word on whether it includes zero: the p-value speaks to that
        strength = _strength(float(get("estimate")), math.nan, math.nan, lang)
        return (f"{title}, {x_label} {joiner} {y_label}: {symbol} = {estimate} ({reason}; "
                f"n = {n} {provinces}): {strength}. "
                f"{_p_text(get('p_value'), get('p_adjusted'), lang)}.")
    if estimate is None or interval is None or n is None:
        return f"{title}, {x_label} {joiner} {y_label}: {NOT_ENOUGH[lang]}."
    strength = _strength(float(get("estimate")), float(get("ci_low")), float(get("ci_high")),
                         lang)
    return (f"{title}, {x_label} {joiner} {y_label}: {symbol} = {estimate} ({interval}; "
            f"n = {n} {provinces}): {strength}. "
            f"{_p_text(get('p_value'), get('p_adjusted'), lang)}.")


def interpret_participation(results: pd.DataFrame, lang: str = "id",
                            noken_excluded: bool | None = None) -> list[str]:
    """Plain-language sentences for participation_tests' table, in Indonesian ('id') or
    English ('en'), followed by the caveats: association, not causation; the ecological
    limit of province-level results; the noken provinces. Never a NaN: missing numbers read
    'tidak cukup data' / 'not enough data'."""
    lang = normalize_lang(lang)
    if results is None or results.empty:
        return [NOT_ENOUGH[lang].capitalize() + "."]
    sentences = [interpret_participation_row(row, lang) for _, row in results.iterrows()]
    if noken_excluded is None and "method_note" in results.columns:
        noken_excluded = bool(results["method_note"].astype("string")
                              .str.contains(NOKEN_EXCLUDED_NOTE, regex=False).any())
    n = _fmt(pd.to_numeric(results["n"], errors="coerce").max(), 0, lang) or NOT_ENOUGH[lang]
    status_bar = ("exposure" in results.columns
                  and bool(results["exposure"].isin(STATUS_BAR_EXPOSURES).any()))
    suffix = "_channels" if status_bar else ""
    sentences += [CAVEATS[f"association{suffix}"][lang],
                  CAVEATS[f"ecological{suffix}"][lang].format(n=n)]
    if status_bar:
        sentences.append(CAVEATS["status_bar_counts"][lang])
    sentences += [CAVEATS["noken_excluded" if noken_excluded else "noken_included"][lang],
                  CAVEATS["pvalue"][lang]]
    return sentences


def adjusted_family(results: pd.DataFrame) -> pd.DataFrame:
    """The tests the Benjamini-Hochberg adjustment of participation_tests ran over, one row
    per exposure x outcome in the table's order: methods (test names, in order) and n_tests.
    A row without a p-value is not in the family (benjamini_hochberg leaves it out of m)."""
    columns = ["exposure", "outcome", "methods", "n_tests"]
    if results is None or results.empty:
        return pd.DataFrame(columns=columns)
    family = results[pd.to_numeric(results["p_value"], errors="coerce").notna()]
    rows = [(exposure, outcome, tuple(part["test"]), len(part))
            for (exposure, outcome), part in family.groupby(["exposure", "outcome"],
                                                             sort=False)]
    return pd.DataFrame(rows, columns=columns).astype({"n_tests": "int64"})


def _pp(value: object, lang: str, signed: bool = False) -> str | None:
    """A proportion difference as percentage points with one decimal."""
    return _fmt(None if is_missing(value) else float(value) * 100, 1, lang, signed)


def _survey_label(outcome: str, lang: str) -> tuple[str, str, str]:
    fallback = outcome.replace("_", " ")
    return SURVEY_LABELS.get(outcome, {}).get(lang, (fallback, fallback, fallback))


def interpret_survey_row(row: pd.Series | dict, lang: str = "id") -> str:
    """One sentence for one survey result: effect, interval and n first, then p."""
    lang = normalize_lang(lang)
    get = row.get
    test, group, outcome = str(get("test")), str(get("group")), str(get("outcome"))
    predicate, noun, _ = _survey_label(outcome, lang)
    n = _fmt(get("n"), 0, lang)
    people = "responden" if lang == "id" else "respondents"
    unit = "poin persentase" if lang == "id" else "percentage points"
    model = ("regresi logistik berbobot dengan kontrol" if lang == "id"
             else "weighted logistic regression with controls")
    if test == "weighted_proportion":
        who = {"recipients": {"id": "Penerima SMS", "en": "SMS recipients"},
               "non_recipients": {"id": "Bukan penerima SMS", "en": "Non-recipients"}}
        name = _label(who, group, lang)
        share = _pp(get("estimate"), lang)
        interval = _interval(get("ci_low"), get("ci_high"), 1, lang, scale=100, unit="%")
        if share is None or interval is None or n is None:
            return f"{name}, {noun}: {NOT_ENOUGH[lang]}."
        return f"{name}: {share}% {predicate} ({interval}; n = {n} {people})."
    if test in ("difference", "logit_marginal_effect"):
        if test == "difference":
            lead = (f"Selisih {noun} antara penerima dan bukan penerima SMS" if lang == "id"
                    else f"Difference in {noun} between recipients and non-recipients")
            # the word the page's captions use (ui.survey_table)
            test_name = "uji khi-kuadrat" if lang == "id" else "chi-square test"
        else:
            lead = (f"Efek marginal rata-rata menerima SMS pada {noun} ({model})"
                    if lang == "id" else
                    f"Average marginal effect of receiving the SMS on {noun} ({model})")
            test_name = "uji Wald" if lang == "id" else "Wald test"
        value = _pp(get("estimate"), lang, signed=True)
        interval = _interval(get("ci_low"), get("ci_high"), 1, lang, scale=100, signed=True)
        if value is None or interval is None or n is None:
            return f"{lead}: {NOT_ENOUGH[lang]}."
        return (f"{lead}: {value} {unit} ({interval}; n = {n} {people}); "
                f"{test_name}: {_p_text(get('p_value'), get('p_adjusted'), lang)}.")
    if test == "logit_odds_ratio":
        lead = (f"Rasio odds {predicate}, penerima dibanding bukan penerima SMS ({model})"
                if lang == "id" else
                f"Odds ratio, recipients against non-recipients, for those who {predicate} "
                f"({model})")
        value = _fmt(get("estimate"), 2, lang)
        interval = _interval(get("ci_low"), get("ci_high"), 2, lang)
        if value is None or interval is None or n is None:
            return f"{lead}: {NOT_ENOUGH[lang]}."
        return (f"{lead}: {value} ({interval}; n = {n} {people}); "
                f"{_p_text(get('p_value'), get('p_adjusted'), lang)}.")
    if test == "minimum_detectable_difference":
        value = _pp(get("estimate"), lang)
        if value is None:
            return (f"Daya uji untuk {noun}: {NOT_ENOUGH[lang]}." if lang == "id"
                    else f"Power for {noun}: {NOT_ENOUGH[lang]}.")
        if lang == "id":
            return (f"Dengan ukuran kelompok ini, survei dapat mendeteksi selisih {noun} "
                    f"sekitar {value} {unit} atau lebih (kekuatan 80%, alfa 0,05); selisih "
                    "yang lebih kecil bisa ada tanpa terlihat.")
        return (f"With these group sizes the survey can detect a difference in {noun} of "
                f"about {value} {unit} or more (80% power, alpha 0.05); smaller differences "
                "could exist unseen.")
    return f"{test}, {noun}: {NOT_ENOUGH[lang]}."


def _dont_know_count(results: pd.DataFrame, outcome: str) -> int | None:
    pattern = re.compile(re.escape(DONT_KNOW_NOTE).replace(r"\{n\}", r"(\d+)"))
    notes = results.loc[results["outcome"] == outcome, "method_note"].dropna().astype(str)
    for note in notes:
        found = pattern.search(note)
        if found:
            return int(found.group(1))
    return None


def interpret_survey(results: pd.DataFrame, lang: str = "id") -> list[str]:
    """Plain-language sentences for survey_tests' table (see interpret_participation)."""
    lang = normalize_lang(lang)
    if results is None or results.empty:
        return [NOT_ENOUGH[lang].capitalize() + "."]
    sentences: list[str] = []
    for outcome in dict.fromkeys(results["outcome"]):
        part = results[results["outcome"] == outcome]
        sentences += [interpret_survey_row(row, lang) for _, row in part.iterrows()]
        count = _dont_know_count(results, outcome) if "method_note" in results else None
        if count:
            number, question = format_number(count, 0, lang), _survey_label(outcome, lang)[2]
            sentences.append(f"{number} jawaban 'tidak tahu' untuk {question} tidak dihitung."
                             if lang == "id" else
                             f"{number} 'don't know' answers on {question} are left out.")
    sentences += [CAVEATS["survey"][lang], CAVEATS["pvalue"][lang]]
    return sentences



def fitted_line(x: pd.Series, y: pd.Series, confidence: float = 0.95,
                points: int = 50) -> pd.DataFrame:
    """OLS line of y on x with the confidence band of the mean, for a scatter's overlay:
    columns x, fit, low, high. Empty when fewer than 3 complete points."""
    import statsmodels.api as sm

    frame = pd.DataFrame({"x": ps.as_floats(x), "y": ps.as_floats(y)}).dropna()
    if len(frame) < 3 or frame["x"].nunique() < 2:
        return pd.DataFrame(columns=["x", "fit", "low", "high"])
    model = sm.OLS(frame["y"], sm.add_constant(frame["x"])).fit()
    grid = np.linspace(frame["x"].min(), frame["x"].max(), points)
    band = model.get_prediction(sm.add_constant(grid, has_constant="add")).summary_frame(
        alpha=1 - confidence)
    return pd.DataFrame({"x": grid, "fit": band["mean"].to_numpy(),
                         "low": band["mean_ci_lower"].to_numpy(),
                         "high": band["mean_ci_upper"].to_numpy()})


def outcome_values(provinces: pd.DataFrame, outcome: str) -> pd.Series:
    """The plotted outcome: a 2024 level in percent or a 2019-2024 change in points."""
    base, _, kind = outcome.rpartition("_")
    if kind == "change":
        return (provinces[f"{base}_2024"] - provinces[f"{base}_2019"]).astype("Float64") * 100
    return provinces[outcome].astype("Float64") * 100
