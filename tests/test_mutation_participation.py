"""Edge cases of dashboard/analysis/participation.py that the mutation run showed untested
(docs/MUTATION.md): the full sentences in both languages at every branch (missing numbers,
the strength thresholds, signs, p below 0.001, unknown labels), the province frame built by
hand, the province and survey tables against scipy and statsmodels computed here, and the
fitted line against the textbook OLS band. Expected sentences are written out in full from
the wording the module promises; expected numbers come from scipy, statsmodels or the
definition written out in the test, never from participation.py itself."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from scipy import stats
from statsmodels.stats.proportion import proportion_confint

from dashboard.analysis import participation as pa
from dashboard.analysis import province_stats as ps
from dashboard.analysis import survey_stats as ss
from dashboard.analysis.province_stats import NotEnoughData

PEARSON = {"test": "pearson", "exposure": "delivered_per_voter", "outcome": "turnout_change",
           "estimate": 0.32, "ci_low": 0.01, "ci_high": 0.58, "p_value": 0.04,
           "p_adjusted": 0.21, "n": 34}
OLS = {"test": "ols_change_hc3", "exposure": "delivered_per_voter",
       "outcome": "turnout_change", "estimate": 0.8, "ci_low": -0.4, "ci_high": 2.0,
       "p_value": 0.0004, "p_adjusted": 0.002, "n": 34}


def _row(base: dict, **changes: object) -> dict:
    return {**base, **changes}


# --- province sentences -------------------------------------------------------------------

PROVINCE_SENTENCES = [
    # the correlation sentence in English
    (PEARSON, "en",
     "Pearson correlation, messages delivered per 1,000 voters and the change in turnout "
     "2019-2024: "
     "r = 0.32 (95% CI: 0.01 to 0.58; n = 34 provinces): a moderate positive association. "
     "p = 0.040; adjusted p = 0.210."),
    # a language code with a region is English; None is Indonesian
    (PEARSON, "en-GB",
     "Pearson correlation, messages delivered per 1,000 voters and the change in turnout "
     "2019-2024: "
     "r = 0.32 (95% CI: 0.01 to 0.58; n = 34 provinces): a moderate positive association. "
     "p = 0.040; adjusted p = 0.210."),
    (_row(PEARSON, estimate=0.1, ci_low=0.05, ci_high=0.2), None,
     "Korelasi Pearson, pesan diterima per 1.000 pemilih dan perubahan partisipasi pemilih "
     "2019-2024: r = 0,10 (IK 95%: 0,05 sampai 0,20; n = 34 provinsi): hubungan positif yang "
     "lemah. p = 0,040; p terkoreksi = 0,210."),
    # the thresholds 0.1, 0.3, 0.5: |r| below the bound, so exactly 0.3 is moderate
    (_row(PEARSON, estimate=0.3, ci_low=0.05, ci_high=0.6), "en",
     "Pearson correlation, messages delivered per 1,000 voters and the change in turnout "
     "2019-2024: "
     "r = 0.30 (95% CI: 0.05 to 0.60; n = 34 provinces): a moderate positive association. "
     "p = 0.040; adjusted p = 0.210."),
    (_row(PEARSON, estimate=0.5, ci_low=0.2, ci_high=0.7), "en",
     "Pearson correlation, messages delivered per 1,000 voters and the change in turnout "
     "2019-2024: "
     "r = 0.50 (95% CI: 0.20 to 0.70; n = 34 provinces): a strong positive association. "
     "p = 0.040; adjusted p = 0.210."),
    (_row(PEARSON, estimate=0.29, ci_low=0.05, ci_high=0.6), "en",
     "Pearson correlation, messages delivered per 1,000 voters and the change in turnout "
     "2019-2024: "
     "r = 0.29 (95% CI: 0.05 to 0.60; n = 34 provinces): a weak positive association. "
     "p = 0.040; adjusted p = 0.210."),
    (_row(PEARSON, estimate=0.49, ci_low=0.2, ci_high=0.7), "id",
     "Korelasi Pearson, pesan diterima per 1.000 pemilih dan perubahan partisipasi pemilih "
     "2019-2024: r = 0,49 (IK 95%: 0,20 sampai 0,70; n = 34 provinsi): hubungan positif yang "
     "sedang. p = 0,040; p terkoreksi = 0,210."),
    (_row(PEARSON, estimate=0.09, ci_low=0.01, ci_high=0.2), "en",
     "Pearson correlation, messages delivered per 1,000 voters and the change in turnout "
     "2019-2024: "
     "r = 0.09 (95% CI: 0.01 to 0.20; n = 34 provinces): practically no association. "
     "p = 0.040; adjusted p = 0.210."),
    # negative: the direction word, and |r| (not r) against the thresholds
    (_row(PEARSON, estimate=-0.6, ci_low=-0.8, ci_high=-0.3), "id",
     "Korelasi Pearson, pesan diterima per 1.000 pemilih dan perubahan partisipasi pemilih "
     "2019-2024: r = -0,60 (IK 95%: -0,80 sampai -0,30; n = 34 provinsi): hubungan negatif "
     "yang kuat. p = 0,040; p terkoreksi = 0,210."),
    (_row(PEARSON, estimate=-0.2, ci_low=-0.4, ci_high=-0.01), "en",
     "Pearson correlation, messages delivered per 1,000 voters and the change in turnout "
     "2019-2024: "
     "r = -0.20 (95% CI: -0.40 to -0.01; n = 34 provinces): a weak negative association. "
     "p = 0.040; adjusted p = 0.210."),
    (_row(PEARSON, estimate=-0.4, ci_low=-0.6, ci_high=-0.1), "en",
     "Pearson correlation, messages delivered per 1,000 voters and the change in turnout "
     "2019-2024: "
     "r = -0.40 (95% CI: -0.60 to -0.10; n = 34 provinces): a moderate negative association. "
     "p = 0.040; adjusted p = 0.210."),
    # an interval touching zero at either end includes it (English wording)
    (_row(PEARSON, test="spearman", exposure="reach_per_voter", outcome="turnout_2024",
          estimate=0.35, ci_low=0.0, ci_high=0.6, n=33), "en",
     "Spearman correlation, unique reach per 1,000 voters and turnout in 2024: rho = 0.35 "
     "(95% CI: 0.00 to 0.60; n = 33 provinces): a moderate positive association; the "
     "interval includes zero, so the data are also consistent with none. p = 0.040; "
     "adjusted p = 0.210."),
    (_row(PEARSON, test="pearson_permutation", outcome="invalid_rate_2024", estimate=-0.35,
          ci_low=-0.6, ci_high=0.0), "id",
     "Korelasi Pearson (uji permutasi), pesan diterima per 1.000 pemilih dan persentase suara "
     "tidak "
     "sah 2024: r = -0,35 (IK 95%: -0,60 sampai 0,00; n = 34 provinsi): hubungan negatif yang "
     "sedang; intervalnya mencakup nol, jadi data juga cocok dengan tidak adanya hubungan. "
     "p = 0,040; p terkoreksi = 0,210."),
    (_row(PEARSON, test="pearson_dpt_weighted", outcome="invalid_rate_change"), "en",
     "DPT-weighted Pearson correlation, messages delivered per 1,000 voters and the change in the "
     "invalid-vote rate 2019-2024: r = 0.32 (95% CI: 0.01 to 0.58; n = 34 provinces): a "
     "moderate positive association. p = 0.040; adjusted p = 0.210."),
    # p: below 0.001, exactly 0.001, missing and infinite, 1.0; thousands in n
    (_row(PEARSON, p_value=0.001, p_adjusted=0.00099, n=1234), "id",
     "Korelasi Pearson, pesan diterima per 1.000 pemilih dan perubahan partisipasi pemilih "
     "2019-2024: r = 0,32 (IK 95%: 0,01 sampai 0,58; n = 1.234 provinsi): hubungan positif "
     "yang sedang. p = 0,001; p terkoreksi < 0,001."),
    (_row(PEARSON, p_value=math.nan, p_adjusted=math.inf), "id",
     "Korelasi Pearson, pesan diterima per 1.000 pemilih dan perubahan partisipasi pemilih "
     "2019-2024: r = 0,32 (IK 95%: 0,01 sampai 0,58; n = 34 provinsi): hubungan positif yang "
     "sedang. p: tidak cukup data; p terkoreksi: tidak cukup data."),
    (_row(PEARSON, p_value=None, p_adjusted=1.0), "en",
     "Pearson correlation, messages delivered per 1,000 voters and the change in turnout "
     "2019-2024: "
     "r = 0.32 (95% CI: 0.01 to 0.58; n = 34 provinces): a moderate positive association. "
     "p: not enough data; adjusted p = 1.000."),
    # unknown names: the key with spaces
    (_row(PEARSON, test="kendall_tau", exposure="sms_per_head", outcome="seats_won"), "en",
     "kendall tau, sms per head and seats won: r = 0.32 (95% CI: 0.01 to 0.58; "
     "n = 34 provinces): a moderate positive association. p = 0.040; adjusted p = 0.210."),
    # a correlation with a missing number: not enough data, never a NaN
    (_row(PEARSON, estimate=math.nan), "id",
     "Korelasi Pearson, pesan diterima per 1.000 pemilih dan perubahan partisipasi pemilih "
     "2019-2024: tidak cukup data."),
    (_row(PEARSON, ci_high=None), "en",
     "Pearson correlation, messages delivered per 1,000 voters and the change in turnout "
     "2019-2024: "
     "not enough data."),
    (_row(PEARSON, ci_low=math.inf), "en",
     "Pearson correlation, messages delivered per 1,000 voters and the change in turnout "
     "2019-2024: "
     "not enough data."),
    (_row(PEARSON, n=math.nan), "id",
     "Korelasi Pearson, pesan diterima per 1.000 pemilih dan perubahan partisipasi pemilih "
     "2019-2024: tidak cukup data."),
    # the regression sentence in English; the other exposure and outcome; a negative slope
    (OLS, "en",
     "OLS regression (HC3 errors): each additional delivered message per 1,000 voters goes with a "
     "change in turnout 2019-2024 of +0.80 percentage points (95% CI: -0.40 to +2.00; "
     "n = 34 provinces), among provinces with the same 2019 level. p < 0.001; "
     "adjusted p = 0.002."),
    (_row(OLS, exposure="reach_per_voter", outcome="invalid_rate_change", estimate=-1.25,
          ci_low=-2.5, ci_high=-0.004, p_value=0.03, p_adjusted=0.06), "id",
     # -0.004 rounds to 0,00: no minus sign (format_number), no plus either
     "Regresi OLS (galat HC3): setiap tambahan 1 penerima unik per 1.000 pemilih sejalan dengan "
     "perubahan persentase suara tidak sah 2019-2024 sebesar -1,25 poin persentase (IK 95%: "
     "-2,50 sampai 0,00; n = 34 provinsi), pada provinsi dengan tingkat 2019 yang sama. "
     "p = 0,030; p terkoreksi = 0,060."),
    (_row(OLS, exposure="reach_per_voter", outcome="invalid_rate_change", estimate=0.0,
          ci_low=0.004, ci_high=0.006), "en",
     "OLS regression (HC3 errors): each additional unique recipient per 1,000 voters goes with a "
     "change in the invalid-vote rate 2019-2024 of 0.00 percentage points (95% CI: 0.00 to "
     "+0.01; n = 34 provinces), among provinces with the same 2019 level. p < 0.001; "
     "adjusted p = 0.002."),
    # a positive interval: both limits signed; thousands in n in English
    (_row(OLS, estimate=1.5, ci_low=0.5, ci_high=2.5, n=1234), "en",
     "OLS regression (HC3 errors): each additional delivered message per 1,000 voters goes with a "
     "change in turnout 2019-2024 of +1.50 percentage points (95% CI: +0.50 to +2.50; "
     "n = 1,234 provinces), among provinces with the same 2019 level. p < 0.001; "
     "adjusted p = 0.002."),
    # an exposure without a unit phrase: "one more" + its label (or the key)
    (_row(OLS, exposure="sms_per_head", outcome="seats_won"), "id",
     "Regresi OLS (galat HC3): setiap tambahan 1 sms per head sejalan dengan seats won "
     "sebesar +0,80 poin persentase (IK 95%: -0,40 sampai +2,00; n = 34 provinsi), pada "
     "provinsi dengan tingkat 2019 yang sama. p < 0,001; p terkoreksi = 0,002."),
    (_row(OLS, exposure="sms_per_head"), "en",
     "OLS regression (HC3 errors): each additional unit of sms per head goes with a change "
     "in turnout 2019-2024 of +0.80 percentage points (95% CI: -0.40 to +2.00; n = 34 "
     "provinces), among provinces with the same 2019 level. p < 0.001; adjusted p = 0.002."),
    # a regression with a missing number
    (_row(OLS, estimate=None), "id",
     "Regresi OLS (galat HC3), pesan diterima per 1.000 pemilih - perubahan partisipasi pemilih "
     "2019-2024: tidak cukup data."),
    (_row(OLS, ci_low=math.nan), "en",
     "OLS regression (HC3 errors), messages delivered per 1,000 voters - the change in turnout "
     "2019-2024: not enough data."),
    (_row(OLS, ci_high=-math.inf), "en",
     "OLS regression (HC3 errors), messages delivered per 1,000 voters - the change in turnout "
     "2019-2024: not enough data."),
    (_row(OLS, n=None), "en",
     "OLS regression (HC3 errors), messages delivered per 1,000 voters - the change in turnout "
     "2019-2024: not enough data."),
]


@pytest.mark.parametrize(("row", "lang", "expected"), PROVINCE_SENTENCES)
def test_participation_row_sentences(row, lang, expected):
    assert pa.interpret_participation_row(row, lang) == expected
    assert pa.interpret_participation_row(pd.Series(row), lang) == expected


CAVEATS_ID = [
    "Ini asosiasi, bukan sebab-akibat: provinsi yang lebih banyak menerima SMS bisa berbeda "
    "dalam banyak hal lain (kota/desa, jaringan seluler, kegiatan kampanye lain).",
    "Hasil ini dihitung antar-provinsi (n = {n}). Hubungan antar-provinsi tidak berlaku "
    "otomatis bagi tiap pemilih (kekeliruan ekologis): data ini tidak dapat menunjukkan "
    "apakah penerima SMS sendiri lebih banyak memilih atau lebih jarang membuat suara tidak "
    "sah.",
]
CAVEATS_EN = [
    "This is an association, not causation: provinces that received more SMS can differ in "
    "many other ways (urbanisation, mobile networks, other campaign activity).",
    "These results compare provinces (n = {n}). A relation between provinces need not hold "
    "for individual voters (the ecological fallacy): these data cannot show whether the "
    "recipients themselves voted more or cast fewer invalid ballots.",
]
NOKEN_ID = {True: "Provinsi dataran tinggi Papua (sistem noken) dikecualikan.",
            False: "Provinsi dataran tinggi Papua (sistem noken, partisipasi mendekati atau di "
                   "atas 100%) ikut dihitung; kecualikan untuk melihat apakah hasilnya "
                   "bergantung padanya."}
NOKEN_EN = {True: "The Papua highland provinces (noken system) are excluded.",
            False: "The Papua highland provinces (noken system, turnout near or above 100%) "
                   "are included; exclude them to see whether the results depend on them."}
PVALUE = {"id": "p terkoreksi memakai metode Benjamini-Hochberg atas semua uji di tabel.",
          "en": "Adjusted p-values use the Benjamini-Hochberg method across all tests shown."}


def _province_table(notes: list[str] | None, ns: list[object]) -> pd.DataFrame:
    rows = [_row(PEARSON, n=n) for n in ns]
    frame = pd.DataFrame(rows)
    if notes is not None:
        frame["method_note"] = notes
    return frame


@pytest.mark.parametrize(("notes", "ns", "flag", "lang", "n_text", "excluded"), [
    # the noken note read from method_note (anywhere in it, on any row)
    (["Fisher-z interval", "Fisher-z interval; noken provinces excluded"], [33, 33], None,
     "id", "33", True),
    (["Fisher-z interval", "Fisher-z interval"], [33, 34], None, "en", "34", False),
    # no method_note: included unless told
    (None, [34, 34], None, "en", "34", False),
    # an explicit flag wins over the note
    (["noken provinces excluded", "noken provinces excluded"], [33, 33], False, "en", "33",
     False),
    (["x", "y"], [34, 34], True, "id", "34", True),
    # n: the largest; as text; none known
    (["x", None], ["12", 1234], None, "id", "1.234", False),
    (["x", None], ["nan", 1234], None, "en", "1,234", False),  # "nan" as text: unknown
    (["x", "y"], [None, None], None, "id", "tidak cukup data", False),
    (["x", "y"], [None, None], None, "en", "not enough data", False),
])
def test_participation_sentences_and_caveats(notes, ns, flag, lang, n_text, excluded):
    results = _province_table(notes, ns)
    sentences = pa.interpret_participation(results, lang, noken_excluded=flag)
    rows = [pa.interpret_participation_row(row, lang) for _, row in results.iterrows()]
    caveats, noken = (CAVEATS_EN, NOKEN_EN) if lang == "en" else (CAVEATS_ID, NOKEN_ID)
    assert sentences == rows + [caveats[0], caveats[1].format(n=n_text), noken[excluded],
                                PVALUE["en" if lang == "en" else "id"]]


@pytest.mark.parametrize(("results", "lang", "expected"), [
    (None, "id", ["Tidak cukup data."]),
    (None, "en", ["Not enough data."]),
    (pd.DataFrame(columns=list(pa.RESULT_COLUMNS)), "EN", ["Not enough data."]),
    (pd.DataFrame(columns=list(pa.RESULT_COLUMNS)), None, ["Tidak cukup data."]),
])
def test_no_results_read_not_enough_data(results, lang, expected):
    assert pa.interpret_participation(results, lang) == expected
    assert pa.interpret_survey(results, lang) == expected


# --- survey sentences ----------------------------------------------------------------------

SHARE = {"test": "weighted_proportion", "group": "non_recipients", "outcome": "voted",
         "estimate": 0.8125, "ci_low": 0.79, "ci_high": 0.8349, "p_value": math.nan,
         "p_adjusted": math.nan, "n": 1500}
DIFF = {"test": "difference", "group": "recipients_minus_non_recipients", "outcome": "voted",
        "estimate": 0.025, "ci_low": -0.01, "ci_high": 0.06, "p_value": 0.16,
        "p_adjusted": 0.32, "n": 1200}
ODDS = {"test": "logit_odds_ratio", "group": "recipients_vs_non_recipients",
        "outcome": "knows_valid_ballot", "estimate": 1.25, "ci_low": 0.9, "ci_high": 1.7,
        "p_value": 0.2, "p_adjusted": 0.4, "n": 1200}
POWER = {"test": "minimum_detectable_difference", "group": "recipients_vs_non_recipients",
         "outcome": "voted", "estimate": 0.0421, "ci_low": math.nan, "ci_high": math.nan,
         "p_value": math.nan, "p_adjusted": math.nan, "n": 1200}

SURVEY_SENTENCES = [
    (SHARE, "id", "Bukan penerima SMS: 81,3% ikut memilih (IK 95%: 79,0% sampai 83,5%; "
                  "n = 1.500 responden)."),
    (SHARE, "en", "Non-recipients: 81.3% voted (95% CI: 79.0% to 83.5%; n = 1,500 "
                  "respondents)."),
    (_row(SHARE, group="recipients", outcome="knows_valid_ballot", estimate=0.0,
          ci_low=0.0, ci_high=0.1), "en",
     "SMS recipients: 0.0% know how to cast a valid ballot (95% CI: 0.0% to 10.0%; n = 1,500 "
     "respondents)."),
    (_row(SHARE, group="recipients", outcome="knows_valid_ballot", estimate=1.0,
          ci_low=0.9, ci_high=1.0), "id",
     "Penerima SMS: 100,0% tahu cara mencoblos agar suara sah (IK 95%: 90,0% sampai 100,0%; "
     "n = 1.500 responden)."),
    (_row(SHARE, group="everyone_else"), "en",
     "everyone else: 81.3% voted (95% CI: 79.0% to 83.5%; n = 1,500 respondents)."),
    (_row(SHARE, estimate=None), "id",
     "Bukan penerima SMS, persentase yang ikut memilih: tidak cukup data."),
    (_row(SHARE, ci_low=math.nan), "en", "Non-recipients, the share who voted: not enough data."),
    (_row(SHARE, ci_high=math.inf), "en",
     "Non-recipients, the share who voted: not enough data."),
    (_row(SHARE, n=math.nan), "en", "Non-recipients, the share who voted: not enough data."),
    # the difference (signed, in points, interval signed too) and its chi-square
    (DIFF, "id",
     "Selisih persentase yang ikut memilih antara penerima dan bukan penerima SMS: +2,5 poin "
     "persentase (IK 95%: -1,0 sampai +6,0; n = 1.200 responden); uji khi-kuadrat: "
     "p = 0,160; p terkoreksi = 0,320."),
    (DIFF, "en",
     "Difference in the share who voted between recipients and non-recipients: +2.5 "
     "percentage points (95% CI: -1.0 to +6.0; n = 1,200 respondents); chi-square test: "
     "p = 0.160; adjusted p = 0.320."),
    (_row(DIFF, estimate=-0.0004, ci_low=-0.03, ci_high=0.0, p_value=0.0001,
          p_adjusted=math.nan), "en",
     "Difference in the share who voted between recipients and non-recipients: 0.0 "
     "percentage points (95% CI: -3.0 to 0.0; n = 1,200 respondents); chi-square test: "
     "p < 0.001; adjusted p: not enough data."),
    (_row(DIFF, estimate=math.nan), "id",
     "Selisih persentase yang ikut memilih antara penerima dan bukan penerima SMS: tidak "
     "cukup data."),
    (_row(DIFF, ci_high=None), "en",
     "Difference in the share who voted between recipients and non-recipients: not enough "
     "data."),
    (_row(DIFF, n=None), "en",
     "Difference in the share who voted between recipients and non-recipients: not enough "
     "data."),
    # the marginal effect: the model named, a Wald test
    (_row(DIFF, test="logit_marginal_effect", outcome="knows_valid_ballot",
          group="recipients_vs_non_recipients"), "id",
     "Efek marginal rata-rata menerima SMS pada persentase yang tahu cara mencoblos agar "
     "suara sah (regresi logistik berbobot dengan kontrol): +2,5 poin persentase (IK 95%: "
     "-1,0 sampai +6,0; n = 1.200 responden); uji Wald: p = 0,160; p terkoreksi = 0,320."),
    (_row(DIFF, test="logit_marginal_effect", outcome="knows_valid_ballot",
          group="recipients_vs_non_recipients"), "en",
     "Average marginal effect of receiving the SMS on the share who know how to cast a valid "
     "ballot (weighted logistic regression with controls): +2.5 percentage points (95% CI: "
     "-1.0 to +6.0; n = 1,200 respondents); Wald test: p = 0.160; adjusted p = 0.320."),
    (_row(DIFF, test="logit_marginal_effect", ci_low=math.nan), "en",
     "Average marginal effect of receiving the SMS on the share who voted (weighted logistic "
     "regression with controls): not enough data."),
    # the odds ratio: not in points, not signed
    (ODDS, "id",
     "Rasio odds tahu cara mencoblos agar suara sah, penerima dibanding bukan penerima SMS "
     "(regresi logistik berbobot dengan kontrol): 1,25 (IK 95%: 0,90 sampai 1,70; n = 1.200 "
     "responden); p = 0,200; p terkoreksi = 0,400."),
    (_row(ODDS, outcome="voted", p_value=0.0002), "en",
     "Odds ratio, recipients against non-recipients, for those who voted (weighted logistic "
     "regression with controls): 1.25 (95% CI: 0.90 to 1.70; n = 1,200 respondents); "
     "p < 0.001; adjusted p = 0.400."),
    (_row(ODDS, estimate=math.inf), "en",
     "Odds ratio, recipients against non-recipients, for those who know how to cast a valid "
     "ballot (weighted logistic regression with controls): not enough data."),
    (_row(ODDS, ci_low=None), "id",
     "Rasio odds tahu cara mencoblos agar suara sah, penerima dibanding bukan penerima SMS "
     "(regresi logistik berbobot dengan kontrol): tidak cukup data."),
    (_row(ODDS, n=math.nan), "id",
     "Rasio odds tahu cara mencoblos agar suara sah, penerima dibanding bukan penerima SMS "
     "(regresi logistik berbobot dengan kontrol): tidak cukup data."),
    # the detectable difference: no interval, no n needed
    (POWER, "id",
     "Dengan ukuran kelompok ini, survei dapat mendeteksi selisih persentase yang ikut "
     "memilih sekitar 4,2 poin persentase atau lebih (kekuatan 80%, alfa 0,05); selisih yang "
     "lebih kecil bisa ada tanpa terlihat."),
    (_row(POWER, n=None, outcome="knows_valid_ballot"), "en",
     "With these group sizes the survey can detect a difference in the share who know how to "
     "cast a valid ballot of about 4.2 percentage points or more (80% power, alpha 0.05); "
     "smaller differences could exist unseen."),
    (_row(POWER, estimate=math.nan), "id",
     "Daya uji untuk persentase yang ikut memilih: tidak cukup data."),
    (_row(POWER, estimate=None), "en", "Power for the share who voted: not enough data."),
    # an unknown test or outcome: named, not enough data
    (_row(DIFF, test="kruskal_wallis"), "id",
     "kruskal_wallis, persentase yang ikut memilih: tidak cukup data."),
    (_row(DIFF, outcome="owns_phone"), "en",
     "Difference in owns phone between recipients and non-recipients: +2.5 percentage points "
     "(95% CI: -1.0 to +6.0; n = 1,200 respondents); chi-square test: p = 0.160; "
     "adjusted p = 0.320."),
    (_row(ODDS, outcome="owns_phone"), "en",
     "Odds ratio, recipients against non-recipients, for those who owns phone (weighted "
     "logistic regression with controls): 1.25 (95% CI: 0.90 to 1.70; n = 1,200 "
     "respondents); p = 0.200; adjusted p = 0.400."),
]


@pytest.mark.parametrize(("row", "lang", "expected"), SURVEY_SENTENCES)
def test_survey_row_sentences(row, lang, expected):
    assert pa.interpret_survey_row(row, lang) == expected
    assert pa.interpret_survey_row(pd.Series(row), lang) == expected


SURVEY_CAVEATS = {
    "id": ["Ini asosiasi, bukan sebab-akibat: penerima SMS bisa berbeda dari yang bukan "
           "penerima (operator, kota/desa, usia); kontrol dalam regresi hanya menghapus "
           "sebagian perbedaan itu. Jawaban survei bergantung pada ingatan responden.",
           PVALUE["id"]],
    "en": ["This is an association, not causation: recipients can differ from non-recipients "
           "(operator, urban/rural, age); the regression's controls remove only part of that. "
           "Survey answers rely on respondents' memory.", PVALUE["en"]],
}


@pytest.mark.parametrize(("notes", "lang", "expected_counts"), [
    # outcomes in order of first appearance; the count from the first note that has one
    ({"knows_valid_ballot": ["weighted; dont_know excluded: 1234; x", None],
      "voted": [None, "dont_know excluded: 7; received_sms dont_know or blank: 3"]}, "id",
     {"knows_valid_ballot": "1.234 jawaban 'tidak tahu' untuk pertanyaan cara mencoblos yang "
                            "sah tidak dihitung.",
      "voted": "7 jawaban 'tidak tahu' untuk pertanyaan apakah ikut memilih tidak dihitung."}),
    ({"voted": ["dont_know excluded: 1234", "dont_know excluded: 99"],
      "owns_phone": ["dont_know excluded: 2"]}, "en",
     {"voted": "1,234 'don't know' answers on whether they voted are left out.",
      "owns_phone": "2 'don't know' answers on owns phone are left out."}),
    # a count of zero, a note without a count, another outcome's count: no sentence
    ({"voted": ["dont_know excluded: 0"], "knows_valid_ballot": ["no count here"]}, "en", {}),
    ({"voted": ["dont_know excluded: x5", "dont know excluded: 5"]}, "en", {}),
    (None, "en", {}),
])
def test_survey_sentences_and_dont_know_counts(notes, lang, expected_counts):
    rows = []
    for outcome, outcome_notes in (notes or {"voted": [None]}).items():
        rows += [_row(SHARE, outcome=outcome, method_note=note) for note in outcome_notes]
    results = pd.DataFrame(rows)
    if notes is None:
        results = results.drop(columns="method_note")
    expected = []
    for outcome in dict.fromkeys(results["outcome"]):
        part = results[results["outcome"] == outcome]
        expected += [pa.interpret_survey_row(row, lang) for _, row in part.iterrows()]
        if outcome in expected_counts:
            expected.append(expected_counts[outcome])
    assert pa.interpret_survey(results, lang) == expected + SURVEY_CAVEATS[lang]


# --- the province frame ------------------------------------------------------------------

def _election(rows: list[tuple]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["year", "province_code", "dpt", "ballots_cast",
                                       "invalid_votes"])


# 11 and 12 in both years; Papua (91) in 2019, its four 2024 parts 91, 93, 94, 95; 13 only
# in 2019; a 2014 row that must be ignored
ELECTION = _election([
    (2014, 11, 999, 999, 999),
    (2019, 11, 1000, 800, 20), (2024, 11, 1100, 880, 11),
    (2019, 12, 2000, 1500, 30), (2024, 12, 2500, 2000, 50),
    (2019, 13, 400, 300, 3),
    (2019, 91, 3000, 3000, 60),
    (2024, 91, 1000, 900, 9), (2024, 93, 500, 450, 9), (2024, 94, 1500, 1500, 15),
    (2024, 95, 1000, 1000, 10),
])
PAPUA_DPT_2024 = 1000 + 500 + 1500 + 1000


def test_province_frame_by_hand():
    exposure = pd.DataFrame({"province_code": [12, 94, 95, None, 12],
                             "delivered": [1000.0, 400.0, 200.0, 77.0, 250.0]})
    # per 2019 unit: 94's 100 and 95's 50 numbers overlap in 30, so Papua reached 120
    unit_reach = pd.DataFrame({"province_code": [12, 91], "unique_reach": [500.0, 120.0]})
    frame = pa.province_frame(ELECTION, exposure, {11: "Aceh", 91: "Papua"}, unit_reach)
    assert frame["province_code"].tolist() == [11, 12, 13, 91]
    assert frame["province_code"].dtype == "int64"
    assert frame["name"].tolist() == ["Aceh", "12", "13", "Papua"]  # unnamed: the code
    assert frame["noken"].tolist() == [False, False, False, True]
    assert frame["noken"].dtype == bool
    expected = pd.DataFrame({
        "dpt_2024": [1100, 2500, np.nan, PAPUA_DPT_2024],
        "turnout_2019": [800 / 1000, 1500 / 2000, 300 / 400, 3000 / 3000],
        "turnout_2024": [880 / 1100, 2000 / 2500, np.nan,
                         (900 + 450 + 1500 + 1000) / PAPUA_DPT_2024],
        "invalid_rate_2019": [20 / 800, 30 / 1500, 3 / 300, 60 / 3000],
        "invalid_rate_2024": [11 / 880, 50 / 2000, np.nan,
                              (9 + 9 + 15 + 10) / (900 + 450 + 1500 + 1000)],
        # absent from the exposure: nothing delivered; 13 has no DPT 2024: unknown
        "delivered_per_voter": [0.0, 1250 / 2500, np.nan, 600 / PAPUA_DPT_2024],
        "reach_per_voter": [0.0, 500 / 2500, np.nan, 120 / PAPUA_DPT_2024],
    })
    pd.testing.assert_frame_equal(frame[expected.columns], expected)
    assert set(frame.columns) == {"province_code", "name", "noken", *expected.columns}


def test_province_frame_with_one_year_only():
    """Only 2019 results: every province is kept, its 2024 columns unknown."""
    frame = pa.province_frame(ELECTION[ELECTION["year"] == 2019])
    assert list(frame.columns[:2]) == ["province_code", "name"]
    assert frame["province_code"].tolist() == [11, 12, 13, 91]
    assert frame["turnout_2019"].tolist() == pytest.approx([0.8, 0.75, 0.75, 1.0])
    assert frame["invalid_rate_2019"].tolist() == pytest.approx([0.025, 0.02, 0.01, 0.02])
    for column in ("dpt_2024", "turnout_2024", "invalid_rate_2024"):
        assert frame[column].isna().all() and frame[column].dtype == "float64"
    assert (frame["delivered_per_voter"] == 0).all() and (frame["reach_per_voter"] == 0).all()


@pytest.mark.parametrize(("exposure", "delivered", "reach"), [
    (None, [0.0, 0.0], [0.0, 0.0]),
    (pd.DataFrame({"province_code": [], "delivered": [], "unique_reach": []}), [0.0, 0.0],
     [0.0, 0.0]),
    # one measure only: the other is zero everywhere
    (pd.DataFrame({"province_code": [12], "delivered": [500]}), [0.0, 500 / 2500],
     [0.0, 0.0]),
    (pd.DataFrame({"province_code": [11, 12], "unique_reach": [110, 50]}), [0.0, 0.0],
     [110 / 1100, 50 / 2500]),
    # codes as floats, an unknown count: zero
    (pd.DataFrame({"province_code": [11.0, 12.0], "delivered": [np.nan, 25.0],
                   "unique_reach": [11.0, np.nan]}), [0.0, 25 / 2500], [11 / 1100, 0.0]),
])
def test_province_frame_exposure_edge_cases(exposure, delivered, reach):
    election = ELECTION[ELECTION["province_code"].isin([11, 12])]
    frame = pa.province_frame(election, exposure)
    assert frame["name"].tolist() == ["11", "12"]
    assert frame["delivered_per_voter"].tolist() == pytest.approx(delivered)
    assert frame["reach_per_voter"].tolist() == pytest.approx(reach)
    numeric = [c for c in frame.columns if c not in ("province_code", "name", "noken")]
    assert (frame[numeric].dtypes == "float64").all()


# --- the province tests ------------------------------------------------------------------


# six provinces, 91 (noken) among them; the numbers are arbitrary but not collinear
SIX = pd.DataFrame({
    "province_code": [11, 12, 13, 31, 32, 91],
    "dpt_2024": [300.0, 400.0, 250.0, 500.0, 350.0, 300.0],
    "delivered_per_voter": [0.5, 1.5, 1.0, 2.5, 0.2, 3.0],
    "reach_per_voter": [0.3, 0.5, 0.9, 1.1, 0.1, 1.6],
    "turnout_2019": [0.80, 0.75, 0.82, 0.70, 0.78, 0.95],
    "turnout_2024": [0.81, 0.79, 0.83, 0.76, 0.77, 0.99],
    "invalid_rate_2019": [0.030, 0.020, 0.025, 0.035, 0.028, 0.010],
    "invalid_rate_2024": [0.028, 0.019, 0.027, 0.030, 0.029, 0.012],
    "noken": [False, False, False, False, False, True],
})


def _fisher(r: float, n: float, confidence: float) -> tuple[float, float]:
    z, crit = math.atanh(r), stats.norm.ppf(0.5 + confidence / 2)
    return math.tanh(z - crit / math.sqrt(n - 3)), math.tanh(z + crit / math.sqrt(n - 3))


def _bh(p: list[float]) -> list[float]:
    """Benjamini-Hochberg written out: p_(i) m / i, running minimum from the largest."""
    m, order = len(p), sorted(range(len(p)), key=lambda i: p[i])
    adjusted, running = [0.0] * m, 1.0
    for rank in range(m, 0, -1):
        i = order[rank - 1]
        running = min(running, p[i] * m / rank)
        adjusted[i] = running
    return adjusted


def _reference(test: str, x: np.ndarray, before: np.ndarray, after: np.ndarray,
               w: np.ndarray, confidence: float) -> tuple[float, float, float, float | None]:
    """(estimate, ci_low, ci_high, p) from scipy / statsmodels / the definition; p None where
    it is a resampling p-value (checked only through the note)."""
    change = (after - before) * 100
    if test == "ols_change_hc3":
        # the slope per message per 1,000 voters, the unit the page's axis shows
        exog = np.column_stack([np.ones_like(x), x * 1000, before * 100])
        fit = sm.OLS(change, exog).fit(cov_type="HC3", use_t=True)
        low, high = fit.conf_int(alpha=1 - confidence)[1]
        return fit.params[1], low, high, fit.pvalues[1]
    if test == "spearman":
        return stats.spearmanr(x, change).statistic, math.nan, math.nan, None
    if test == "pearson_dpt_weighted":
        share = w / w.sum()
        xc, yc = x - share @ x, change - share @ change
        r = (share @ (xc * yc)) / math.sqrt((share @ xc**2) * (share @ yc**2))
        n_eff = w.sum() ** 2 / (w**2).sum()
        low, high = _fisher(r, n_eff, confidence)
        return r, low, high, 2 * stats.norm.sf(abs(math.atanh(r)) * math.sqrt(n_eff - 3))
    r, p = stats.pearsonr(x, change)
    low, high = _fisher(r, len(x), confidence)
    return r, low, high, (p if test == "pearson" else None)


@pytest.mark.parametrize(("exclude_noken", "drop", "confidence", "exposures", "outcomes"), [
    (False, [], 0.95, pa.EXPOSURES, pa.OUTCOMES),
    (True, [], 0.9, ["reach_per_voter"], ["invalid_rate"]),
    (True, ["noken"], 0.8, ["delivered_per_voter"], ["turnout"]),  # noken from the codes
    (False, ["dpt_2024"], 0.95, ["reach_per_voter"], ["turnout"]),  # equal weights
])
def test_participation_tests_against_scipy_and_statsmodels(exclude_noken, drop, confidence,
                                                          exposures, outcomes):
    frame = SIX.drop(columns=drop)
    results = pa.participation_tests(frame, exposures, outcomes, exclude_noken=exclude_noken,
                                     confidence=confidence, n_resamples=99, seed=7)
    used = SIX[~SIX["noken"]] if exclude_noken else SIX
    w = (used["dpt_2024"] if "dpt_2024" not in drop else pd.Series(1.0, index=used.index))
    expected_rows = []
    for exposure in exposures:
        for outcome in outcomes:
            after = used[f"{outcome}_2024"].to_numpy()
            for name, before, tests in (
                    (f"{outcome}_2024", np.zeros(len(used)), pa.LEVEL_TESTS),
                    (f"{outcome}_change", used[f"{outcome}_2019"].to_numpy(), pa.TESTS)):
                for test in tests:
                    expected_rows.append((test, exposure, name, *_reference(
                        test, used[exposure].to_numpy(), before, after, w.to_numpy(),
                        confidence)))
    assert list(results.columns) == list(pa.RESULT_COLUMNS)
    assert list(zip(results["test"], results["exposure"], results["outcome"], strict=True)) == [
        row[:3] for row in expected_rows]
    for (_, got), expected in zip(results.iterrows(), expected_rows, strict=True):
        assert got["estimate"] == pytest.approx(expected[3], rel=1e-9, abs=1e-12)
        if not math.isnan(expected[4]):
            assert (got["ci_low"], got["ci_high"]) == pytest.approx(expected[4:6], rel=1e-9)
        if expected[6] is not None:
            assert got["p_value"] == pytest.approx(expected[6], rel=1e-9)
        else:  # the resampling p-value: a count of 99 draws, (k + 1) / (99 + 1)
            assert 0.01 <= got["p_value"] <= 1
    assert (results["n"] == len(used)).all() and results["n"].dtype == "int64"
    assert results["p_adjusted"].tolist() == pytest.approx(_bh(results["p_value"].tolist()))
    suffix = "; noken provinces excluded" if exclude_noken else ""
    notes = dict(zip(results["test"], results["method_note"], strict=False))
    assert notes["pearson"] == "Fisher-z interval; t-test p-value" + suffix
    if len(used) < ps.MIN_PROVINCES_BOOTSTRAP:  # 5 without the noken province: no interval
        assert notes["spearman"] == (
            f"no interval: too few provinces for a bootstrap interval ({len(used)} < "
            f"{ps.MIN_PROVINCES_BOOTSTRAP}); permutation p-value (99 draws, seed 7)" + suffix)
        assert results.loc[results["test"] == "spearman", ["ci_low", "ci_high"]].isna().all(
            axis=None)
    else:
        assert notes["spearman"] == ("percentile bootstrap interval and permutation p-value "
                                     "(99 draws each, seed 7)" + suffix)
    assert notes["pearson_permutation"] == ("Fisher-z interval; permutation p-value "
                                            "(99 shuffles, seed 7)" + suffix)
    assert notes["pearson_dpt_weighted"].endswith(
        f"Kish effective n = {w.sum() ** 2 / (w**2).sum():.1f}{suffix}")
    assert results.attrs["skipped"] == []


def test_participation_tests_defaults_resamples_and_seed():
    results = pa.participation_tests(SIX, ["reach_per_voter"], ["turnout"],
                                     tests=["spearman"])
    assert results["method_note"].tolist() == [
        "percentile bootstrap interval and permutation p-value (9,999 draws each, "
        "seed 20240214)"] * 2
    ci = results[["ci_low", "ci_high"]].to_numpy()
    assert (ci[:, 0] <= results["estimate"]).all() and (results["estimate"] <= ci[:, 1]).all()


def test_participation_tests_level_gets_correlations_only():
    results = pa.participation_tests(SIX, ["delivered_per_voter"], ["turnout"],
                                     tests=["ols_change_hc3", "pearson"])
    assert list(zip(results["test"], results["outcome"], strict=True)) == [
        ("pearson", "turnout_2024"), ("ols_change_hc3", "turnout_change"),
        ("pearson", "turnout_change")]


def test_participation_tests_text_numbers_and_skipped_pairs():
    frame = SIX.astype({"delivered_per_voter": str})
    frame.loc[0, "delivered_per_voter"] = "n/a"  # unreadable: that province is left out
    frame.loc[1:, "invalid_rate_2019"] = np.nan
    results = pa.participation_tests(frame, ["delivered_per_voter"], tests=["pearson",
                                                                           "ols_change_hc3"])
    x = SIX["delivered_per_voter"].to_numpy()[1:]
    after = SIX["turnout_2024"].to_numpy()[1:]
    r = stats.pearsonr(x, after * 100).statistic
    assert results.iloc[0]["estimate"] == pytest.approx(r)
    assert results.iloc[0]["n"] == 5
    assert results.attrs["skipped"] == [
        "pearson delivered_per_voter x invalid_rate_change: 0 provinces with complete data; "
        "at least 3 are needed",
        "ols_change_hc3 delivered_per_voter x invalid_rate_change: 0 provinces with complete "
        "data; at least 5 are needed"]
    assert set(results["outcome"]) == {"turnout_2024", "turnout_change", "invalid_rate_2024"}


def test_participation_tests_exactly_three_provinces():
    results = pa.participation_tests(SIX.head(3), ["delivered_per_voter"], ["turnout"],
                                     tests=["pearson", "ols_change_hc3"])
    assert results["test"].tolist() == ["pearson", "pearson"]
    assert results.attrs["skipped"] == [
        "ols_change_hc3 delivered_per_voter x turnout_change: 3 provinces with complete data; "
        "at least 5 are needed"]
    assert (results["ci_low"] == -1).all() and (results["ci_high"] == 1).all()  # n - 3 = 0


@pytest.mark.parametrize(("frame", "kwargs", "message"), [
    (SIX.head(2), {}, "2 provinces left after the filters; at least 3 are needed"),
    (SIX.iloc[[0, 1, 5]], {"exclude_noken": True},
     "2 provinces left after the filters; at least 3 are needed"),
    # 2024 codes without a noken column: 94 and 95 are the noken provinces
    (SIX.drop(columns="noken").assign(province_code=[11, 12, 94, 95, 32, 91]).iloc[:4],
     {"exclude_noken": True}, "2 provinces left after the filters; at least 3 are needed"),
    (SIX.head(4), {"tests": ["ols_change_hc3"], "exposures": ["reach_per_voter"],
                   "outcomes": ["turnout"]},
     "no test could be computed: ols_change_hc3 reach_per_voter x turnout_change: 4 "
     "provinces with complete data; at least 5 are needed"),
])
def test_participation_tests_not_enough_data(frame, kwargs, message):
    with pytest.raises(NotEnoughData) as problem:
        pa.participation_tests(frame, **kwargs)
    assert str(problem.value) == message


@pytest.mark.parametrize("dtype", [bool, "boolean", object])
def test_participation_tests_noken_column_wins_over_the_codes(dtype):
    """A noken column is used as given (here it marks 11, not 91), whatever its dtype."""
    frame = SIX.assign(noken=pd.Series([True, False, False, False, False, False],
                                       dtype=dtype))
    results = pa.participation_tests(frame, ["delivered_per_voter"], ["turnout"],
                                     tests=["pearson"], exclude_noken=True)
    used = SIX.iloc[1:]
    change = used["turnout_2024"] - used["turnout_2019"]
    assert results.iloc[1]["estimate"] == pytest.approx(
        stats.pearsonr(used["delivered_per_voter"], change).statistic)
    assert (results["n"] == 5).all()


def test_participation_tests_names_every_skipped_pair():
    with pytest.raises(NotEnoughData) as problem:
        pa.participation_tests(SIX.head(4), ["reach_per_voter"], tests=["ols_change_hc3"])
    assert str(problem.value) == (
        "no test could be computed: ols_change_hc3 reach_per_voter x turnout_change: 4 "
        "provinces with complete data; at least 5 are needed; ols_change_hc3 reach_per_voter "
        "x invalid_rate_change: 4 provinces with complete data; at least 5 are needed")


def test_unknown_test_names_the_choices():
    with pytest.raises(ValueError) as problem:
        pa.participation_tests(SIX, tests=["magic"])
    assert str(problem.value) == ("unknown test 'magic'; choose from pearson, spearman, "
                                  "pearson_permutation, pearson_dpt_weighted, ols_change_hc3")


# --- the survey tests --------------------------------------------------------------------


def _survey(n: int = 80, seed: int = 3) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    group = rng.choice(["yes", "no", "dont_know", None], n, p=[0.45, 0.45, 0.05, 0.05])
    voted = rng.choice(["yes", "no", "dont_know", None], n, p=[0.6, 0.3, 0.07, 0.03])
    knows = np.where(rng.uniform(size=n) < np.where(group == "yes", 0.7, 0.4), "yes", "no")
    knows = np.where(rng.uniform(size=n) < 0.05, "dont_know", knows)
    return pd.DataFrame({
        "received_sms": pd.array(group, dtype="string"),
        "voted": pd.array(voted, dtype="string"),
        "knows_valid_ballot": pd.array(knows, dtype="string"),
        "weight": rng.uniform(0.5, 2.0, n),
        "age_group": rng.choice(["17-29", "30-49", "50+"], n),
        "gender": rng.choice(["f", "m"], n),
    })


def _wilson(p: float, n_eff: float, confidence: float) -> tuple[float, float]:
    return proportion_confint(p * n_eff, n_eff, alpha=1 - confidence, method="wilson")


def _expected_survey_rows(data: pd.DataFrame, outcome: str, controls: list[str],
                          confidence: float, group: str = "received_sms",
                          weight: str = "weight") -> list[tuple]:
    """The rows of one outcome from the definitions: weighted shares with Wilson on Kish's
    n_eff (statsmodels), Newcombe's hybrid interval written out, statsmodels' GLM for the
    logit with its average marginal effect and delta-method interval written out, Cohen's
    h for the detectable difference."""
    in_groups = data[group].isin(["yes", "no"]).fillna(False)
    dont_know = int((in_groups & (data[outcome] == "dont_know").fillna(False)).sum())
    outside = int((~in_groups).sum())
    used = data[in_groups & data[outcome].isin(["yes", "no"]).fillna(False)]
    y = (used[outcome] == "yes").to_numpy(dtype=float)
    x = (used[group] == "yes").to_numpy(dtype=float)
    w = used[weight].to_numpy(dtype=float)
    tail = (f"dont_know excluded: {dont_know}; {group} dont_know or blank: {outside} "
            "respondents not in either group")
    z = stats.norm.ppf(0.5 + confidence / 2)
    parts = {}
    rows = []
    for name, mask in (("recipients", x == 1), ("non_recipients", x == 0)):
        p = float(w[mask] @ y[mask] / w[mask].sum())
        n_eff = w[mask].sum() ** 2 / (w[mask] ** 2).sum()
        low, high = _wilson(p, n_eff, confidence)
        parts[name] = (p, low, high, int(mask.sum()), n_eff)
        rows.append(("weighted_proportion", name, outcome, p, low, high, math.nan, math.nan,
                     int(mask.sum()), f"weighted; Wilson interval on Kish effective n = "
                                      f"{n_eff:.0f}; {tail}"))
    (p1, l1, u1, n1, e1), (p2, l2, u2, n2, e2) = parts["recipients"], parts["non_recipients"]
    d = p1 - p2
    chi = ss.weighted_chi_square(x, y, w)  # routed as is (survey_stats is tested on its own)
    rows.append(("difference", "recipients_minus_non_recipients", outcome, d,
                 d - math.sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2),
                 d + math.sqrt((u1 - p1) ** 2 + (p2 - l2) ** 2), chi.p_value, math.nan,
                 n1 + n2, f"Newcombe hybrid score interval; {chi.note()}; {tail}"))
    design = pd.DataFrame({"const": 1.0, "_x": x}, index=used.index)
    for control in controls:
        design = design.join(pd.get_dummies(used[control], prefix=control, drop_first=True,
                                            dtype=float))
    fit = sm.GLM(y, design, family=sm.families.Binomial(),
                 var_weights=w / w.mean()).fit(cov_type="HC0")
    beta, se = fit.params["_x"], fit.bse["_x"]
    rows.append(("logit_odds_ratio", "recipients_vs_non_recipients", outcome, math.exp(beta),
                 math.exp(beta - z * se), math.exp(beta + z * se), fit.pvalues["_x"],
                 math.nan, len(used), "odds ratio; weighted logistic regression, sandwich "
                 f"errors; controls: {', '.join(controls) or 'none'}; {tail}"))
    x1, x0 = design.assign(_x=1.0).to_numpy(), design.assign(_x=0.0).to_numpy()
    mu1, mu0 = 1 / (1 + np.exp(-x1 @ fit.params.to_numpy())), 1 / (
        1 + np.exp(-x0 @ fit.params.to_numpy()))
    share = w / w.sum()
    ame = share @ (mu1 - mu0)
    gradient = (share * mu1 * (1 - mu1)) @ x1 - (share * mu0 * (1 - mu0)) @ x0
    ame_se = math.sqrt(gradient @ fit.cov_params().to_numpy() @ gradient)
    rows.append(("logit_marginal_effect", "recipients_vs_non_recipients", outcome, ame,
                 ame - z * ame_se, ame + z * ame_se, 2 * stats.norm.sf(abs(ame / ame_se)),
                 math.nan, len(used), "average marginal effect (difference in probability), "
                 f"delta method; controls: {', '.join(controls) or 'none'}; {tail}"))
    h = (stats.norm.ppf(0.975) + stats.norm.ppf(0.8)) * math.sqrt(1 / e1 + 1 / e2)
    angle = math.asin(math.sqrt(p2))
    up = math.sin(angle + h / 2) ** 2 - p2 if angle + h / 2 <= math.pi / 2 else -math.inf
    down = p2 - math.sin(angle - h / 2) ** 2 if angle - h / 2 >= 0 else -math.inf
    rows.append(("minimum_detectable_difference", "recipients_vs_non_recipients", outcome,
                 max(up, down), math.nan, math.nan, math.nan, math.nan, n1 + n2,
                 f"80% power, alpha 0.05 two-sided; Cohen's h = {h:.3f} on effective n "
                 f"{e1:.0f} and {e2:.0f}; baseline {p2:.3f}"))
    return rows


def _assert_rows(results: pd.DataFrame, expected: list[tuple]) -> None:
    assert list(results.columns) == list(pa.SURVEY_RESULT_COLUMNS)
    assert len(results) == len(expected)
    for (_, got), row in zip(results.iterrows(), expected, strict=True):
        assert (got["test"], got["group"], got["outcome"]) == row[:3]
        numbers = [got[c] for c in ("estimate", "ci_low", "ci_high", "p_value")]
        assert numbers == pytest.approx(list(row[3:7]), rel=1e-6, abs=1e-9, nan_ok=True)
        assert got["n"] == row[8]
        assert got["method_note"] == row[9]
    assert results["n"].dtype == "int64"
    p = results["p_value"].to_numpy()
    finite = ~np.isnan(p)
    assert np.isnan(results["p_adjusted"].to_numpy()[~finite]).all()
    assert results["p_adjusted"].to_numpy()[finite] == pytest.approx(_bh(list(p[finite])))


@pytest.mark.parametrize(("controls", "confidence"), [
    (["age_group", "gender", "not_a_column"], 0.95),
    ([], 0.9),
])
def test_survey_tests_against_statsmodels(controls, confidence):
    data = _survey()
    results = pa.survey_tests(data, controls=controls, confidence=confidence)
    present = [c for c in controls if c in data.columns]
    expected = (_expected_survey_rows(data, "voted", present, confidence)
                + _expected_survey_rows(data, "knows_valid_ballot", present, confidence))
    _assert_rows(results, expected)
    assert results.attrs["skipped"] == []


def test_survey_tests_other_column_names_and_default_controls():
    data = _survey(seed=5).rename(columns={"received_sms": "got_sms", "weight": "w"})
    data["urban_rural"] = np.where(np.arange(len(data)) % 3 == 0, "urban", "rural")
    results = pa.survey_tests(data, outcomes=["knows_valid_ballot"], group="got_sms",
                              weight="w")
    expected = _expected_survey_rows(data, "knows_valid_ballot",
                                     ["age_group", "gender", "urban_rural"], 0.95,
                                     group="got_sms", weight="w")
    _assert_rows(results, expected)


def test_survey_tests_one_answer_only():
    """Everyone in both groups voted: the shares and the detectable difference stand, the
    chi-square and the regression cannot be computed."""
    data = _survey()
    data.loc[data["voted"] == "no", "voted"] = "dont_know"
    results = pa.survey_tests(data, outcomes=["voted"])
    in_groups = data["received_sms"].isin(["yes", "no"]).fillna(False)
    dont_know = int((in_groups & (data["voted"] == "dont_know").fillna(False)).sum())
    outside = int((~in_groups).sum())
    tail = (f"dont_know excluded: {dont_know}; received_sms dont_know or blank: {outside} "
            "respondents not in either group")
    assert results["test"].tolist() == ["weighted_proportion", "weighted_proportion",
                                        "difference", "minimum_detectable_difference"]
    difference = results.iloc[2]
    assert difference["estimate"] == 0 and math.isnan(difference["p_value"])
    assert difference["method_note"] == ("Newcombe hybrid score interval; chi-square "
                                         f"undefined (one answer only); {tail}")
    assert results["estimate"].iloc[:2].tolist() == [1.0, 1.0]
    assert results["method_note"].iloc[3].endswith("baseline 1.000")
    assert results["p_adjusted"].isna().all()


def test_survey_tests_skip_and_raise():
    data = _survey()
    data.loc[data["received_sms"] == "yes", "knows_valid_ballot"] = "dont_know"
    results = pa.survey_tests(data)  # knows_valid_ballot has no recipients with an answer
    assert set(results["outcome"]) == {"voted"}
    assert results.attrs["skipped"] == [
        "knows_valid_ballot: recipients and non-recipients are both needed"]
    with pytest.raises(NotEnoughData) as problem:
        pa.survey_tests(data[data["received_sms"] != "yes"])
    assert str(problem.value) == (
        "no survey test could be computed: voted: recipients and non-recipients are both "
        "needed; knows_valid_ballot: recipients and non-recipients are both needed")


# --- the scatter's line and values -------------------------------------------------------

@pytest.mark.parametrize(("x", "y", "confidence", "points"), [
    ([1.0, 2.0, 4.0, 3.0, 7.0], [2.0, 1.0, 5.0, 6.0, 8.0], 0.95, 50),
    # missing and unreadable values dropped; exactly 3 points left
    ([1.0, None, 2.0, "x", 5.0], ["4", 3.0, 1.0, 2.0, 2.5], 0.8, 7),
])
def test_fitted_line_is_the_textbook_band(x, y, confidence, points):
    line = pa.fitted_line(pd.Series(x, dtype=object), pd.Series(y, dtype=object),
                          confidence, points)
    xs = pd.to_numeric(pd.Series(x, dtype=object), errors="coerce")
    ys = pd.to_numeric(pd.Series(y, dtype=object), errors="coerce")
    keep = xs.notna() & ys.notna()
    xs, ys = xs[keep].to_numpy(float), ys[keep].to_numpy(float)
    n = len(xs)
    sxx = ((xs - xs.mean()) ** 2).sum()
    slope = ((xs - xs.mean()) * (ys - ys.mean())).sum() / sxx
    intercept = ys.mean() - slope * xs.mean()
    s = math.sqrt(((ys - intercept - slope * xs) ** 2).sum() / (n - 2))
    grid = np.linspace(xs.min(), xs.max(), points)
    half = stats.t.ppf(0.5 + confidence / 2, n - 2) * s * np.sqrt(
        1 / n + (grid - xs.mean()) ** 2 / sxx)
    fit = intercept + slope * grid
    assert list(line.columns) == ["x", "fit", "low", "high"]
    np.testing.assert_allclose(line["x"], grid)
    np.testing.assert_allclose(line["fit"], fit)
    np.testing.assert_allclose(line["low"], fit - half)
    np.testing.assert_allclose(line["high"], fit + half)


def test_fitted_line_defaults_and_edge_grids():
    x = pd.Series([1.0, 1.0, 2.0, 2.0])  # two distinct x values are enough for a line
    y = pd.Series([1.0, 2.0, 3.0, 5.0])
    line = pa.fitted_line(x, y)
    assert len(line) == 50
    # textbook: slope 2.5, intercept -1; s^2 = 2.5 / 2; the 95% band at x = 1 (t, 2 df)
    half = stats.t.ppf(0.975, 2) * math.sqrt(1.25 * (1 / 4 + 0.25 / 1.0))
    assert line.iloc[0].tolist() == pytest.approx([1.0, 1.5, 1.5 - half, 1.5 + half])
    assert line.iloc[-1].tolist() == pytest.approx([2.0, 4.0, 4.0 - half, 4.0 + half])
    one = pa.fitted_line(x, y, points=1)  # a grid of one point: the line at the smallest x
    assert one.to_numpy().tolist() == [pytest.approx([1.0, 1.5, 1.5 - half, 1.5 + half])]


@pytest.mark.parametrize(("x", "y"), [
    ([], []),
    ([1.0, 2.0], [3.0, 4.0]),
    ([1.0, 2.0, None], [3.0, 4.0, 5.0]),  # 2 complete points
    ([2.0, 2.0, 2.0, 2.0], [1.0, 2.0, 3.0, 4.0]),  # x constant: no line
])
def test_fitted_line_empty_without_three_points_or_variation(x, y):
    line = pa.fitted_line(pd.Series(x, dtype=float), pd.Series(y, dtype=float))
    assert line.empty and list(line.columns) == ["x", "fit", "low", "high"]


def test_outcome_values_levels_and_changes_in_points():
    frame = pd.DataFrame({"turnout_2019": [0.80, 0.5, None], "turnout_2024": [0.83, 0.4, 0.9],
                          "invalid_rate_2019": [0.02, 0.03, 0.01],
                          "invalid_rate_2024": [0.025, 0.02, None]})
    expected = {
        "turnout_change": [3.0, -10.0, None], "turnout_2024": [83.0, 40.0, 90.0],
        "invalid_rate_change": [0.5, -1.0, None], "invalid_rate_2019": [2.0, 3.0, 1.0],
    }
    for outcome, values in expected.items():
        got = pa.outcome_values(frame, outcome)
        assert got.dtype == "Float64"
        assert got.isna().tolist() == [v is None for v in values]
        assert got.dropna().tolist() == pytest.approx([v for v in values if v is not None])
