"""Edge cases of dashboard/analysis/participation.py that the mutation run showed untested
(docs/MUTATION.md): the full sentences in both languages at every branch (missing numbers,
the strength thresholds, signs, p below 0.001, unknown labels), the province frame built by
hand, the province and survey tables against scipy and statsmodels computed here, and the
fitted line against the textbook OLS band. Expected sentences are written out in full from
the wording the module promises; expected numbers come from scipy, statsmodels or the
definition written out in the test, never from participation.py itself."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from dashboard.analysis import participation as pa

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
     "Pearson correlation, messages delivered per voter and the change in turnout 2019-2024: "
     "r = 0.32 (95% CI: 0.01 to 0.58; n = 34 provinces): a moderate positive association. "
     "p = 0.040; adjusted p = 0.210."),
    # a language code with a region is English; None is Indonesian
    (PEARSON, "en-GB",
     "Pearson correlation, messages delivered per voter and the change in turnout 2019-2024: "
     "r = 0.32 (95% CI: 0.01 to 0.58; n = 34 provinces): a moderate positive association. "
     "p = 0.040; adjusted p = 0.210."),
    (_row(PEARSON, estimate=0.1, ci_low=0.05, ci_high=0.2), None,
     "Korelasi Pearson, pesan diterima per pemilih dan perubahan partisipasi pemilih "
     "2019-2024: r = 0,10 (IK 95%: 0,05 sampai 0,20; n = 34 provinsi): hubungan positif yang "
     "lemah. p = 0,040; p terkoreksi = 0,210."),
    # the thresholds 0.1, 0.3, 0.5: |r| below the bound, so exactly 0.3 is moderate
    (_row(PEARSON, estimate=0.3, ci_low=0.05, ci_high=0.6), "en",
     "Pearson correlation, messages delivered per voter and the change in turnout 2019-2024: "
     "r = 0.30 (95% CI: 0.05 to 0.60; n = 34 provinces): a moderate positive association. "
     "p = 0.040; adjusted p = 0.210."),
    (_row(PEARSON, estimate=0.5, ci_low=0.2, ci_high=0.7), "en",
     "Pearson correlation, messages delivered per voter and the change in turnout 2019-2024: "
     "r = 0.50 (95% CI: 0.20 to 0.70; n = 34 provinces): a strong positive association. "
     "p = 0.040; adjusted p = 0.210."),
    (_row(PEARSON, estimate=0.29, ci_low=0.05, ci_high=0.6), "en",
     "Pearson correlation, messages delivered per voter and the change in turnout 2019-2024: "
     "r = 0.29 (95% CI: 0.05 to 0.60; n = 34 provinces): a weak positive association. "
     "p = 0.040; adjusted p = 0.210."),
    (_row(PEARSON, estimate=0.49, ci_low=0.2, ci_high=0.7), "id",
     "Korelasi Pearson, pesan diterima per pemilih dan perubahan partisipasi pemilih "
     "2019-2024: r = 0,49 (IK 95%: 0,20 sampai 0,70; n = 34 provinsi): hubungan positif yang "
     "sedang. p = 0,040; p terkoreksi = 0,210."),
    (_row(PEARSON, estimate=0.09, ci_low=0.01, ci_high=0.2), "en",
     "Pearson correlation, messages delivered per voter and the change in turnout 2019-2024: "
     "r = 0.09 (95% CI: 0.01 to 0.20; n = 34 provinces): practically no association. "
     "p = 0.040; adjusted p = 0.210."),
    # negative: the direction word, and |r| (not r) against the thresholds
    (_row(PEARSON, estimate=-0.6, ci_low=-0.8, ci_high=-0.3), "id",
     "Korelasi Pearson, pesan diterima per pemilih dan perubahan partisipasi pemilih "
     "2019-2024: r = -0,60 (IK 95%: -0,80 sampai -0,30; n = 34 provinsi): hubungan negatif "
     "yang kuat. p = 0,040; p terkoreksi = 0,210."),
    (_row(PEARSON, estimate=-0.2, ci_low=-0.4, ci_high=-0.01), "en",
     "Pearson correlation, messages delivered per voter and the change in turnout 2019-2024: "
     "r = -0.20 (95% CI: -0.40 to -0.01; n = 34 provinces): a weak negative association. "
     "p = 0.040; adjusted p = 0.210."),
    (_row(PEARSON, estimate=-0.4, ci_low=-0.6, ci_high=-0.1), "en",
     "Pearson correlation, messages delivered per voter and the change in turnout 2019-2024: "
     "r = -0.40 (95% CI: -0.60 to -0.10; n = 34 provinces): a moderate negative association. "
     "p = 0.040; adjusted p = 0.210."),
    # an interval touching zero at either end includes it (English wording)
    (_row(PEARSON, test="spearman", exposure="reach_per_voter", outcome="turnout_2024",
          estimate=0.35, ci_low=0.0, ci_high=0.6, n=33), "en",
     "Spearman correlation, unique reach per voter and turnout in 2024: rho = 0.35 "
     "(95% CI: 0.00 to 0.60; n = 33 provinces): a moderate positive association; the "
     "interval includes zero, so the data are also consistent with none. p = 0.040; "
     "adjusted p = 0.210."),
    (_row(PEARSON, test="pearson_permutation", outcome="invalid_rate_2024", estimate=-0.35,
          ci_low=-0.6, ci_high=0.0), "id",
     "Korelasi Pearson (uji permutasi), pesan diterima per pemilih dan persentase suara tidak "
     "sah 2024: r = -0,35 (IK 95%: -0,60 sampai 0,00; n = 34 provinsi): hubungan negatif yang "
     "sedang; intervalnya mencakup nol, jadi data juga cocok dengan tidak adanya hubungan. "
     "p = 0,040; p terkoreksi = 0,210."),
    (_row(PEARSON, test="pearson_dpt_weighted", outcome="invalid_rate_change"), "en",
     "DPT-weighted Pearson correlation, messages delivered per voter and the change in the "
     "invalid-vote rate 2019-2024: r = 0.32 (95% CI: 0.01 to 0.58; n = 34 provinces): a "
     "moderate positive association. p = 0.040; adjusted p = 0.210."),
    # p: below 0.001, exactly 0.001, missing and infinite, 1.0; thousands in n
    (_row(PEARSON, p_value=0.001, p_adjusted=0.00099, n=1234), "id",
     "Korelasi Pearson, pesan diterima per pemilih dan perubahan partisipasi pemilih "
     "2019-2024: r = 0,32 (IK 95%: 0,01 sampai 0,58; n = 1.234 provinsi): hubungan positif "
     "yang sedang. p = 0,001; p terkoreksi < 0,001."),
    (_row(PEARSON, p_value=math.nan, p_adjusted=math.inf), "id",
     "Korelasi Pearson, pesan diterima per pemilih dan perubahan partisipasi pemilih "
     "2019-2024: r = 0,32 (IK 95%: 0,01 sampai 0,58; n = 34 provinsi): hubungan positif yang "
     "sedang. p: tidak cukup data; p terkoreksi: tidak cukup data."),
    (_row(PEARSON, p_value=None, p_adjusted=1.0), "en",
     "Pearson correlation, messages delivered per voter and the change in turnout 2019-2024: "
     "r = 0.32 (95% CI: 0.01 to 0.58; n = 34 provinces): a moderate positive association. "
     "p: not enough data; adjusted p = 1.000."),
    # unknown names: the key with spaces
    (_row(PEARSON, test="kendall_tau", exposure="sms_per_head", outcome="seats_won"), "en",
     "kendall tau, sms per head and seats won: r = 0.32 (95% CI: 0.01 to 0.58; "
     "n = 34 provinces): a moderate positive association. p = 0.040; adjusted p = 0.210."),
    # a correlation with a missing number: not enough data, never a NaN
    (_row(PEARSON, estimate=math.nan), "id",
     "Korelasi Pearson, pesan diterima per pemilih dan perubahan partisipasi pemilih "
     "2019-2024: tidak cukup data."),
    (_row(PEARSON, ci_high=None), "en",
     "Pearson correlation, messages delivered per voter and the change in turnout 2019-2024: "
     "not enough data."),
    (_row(PEARSON, ci_low=math.inf), "en",
     "Pearson correlation, messages delivered per voter and the change in turnout 2019-2024: "
     "not enough data."),
    (_row(PEARSON, n=math.nan), "id",
     "Korelasi Pearson, pesan diterima per pemilih dan perubahan partisipasi pemilih "
     "2019-2024: tidak cukup data."),
    # the regression sentence in English; the other exposure and outcome; a negative slope
    (OLS, "en",
     "OLS regression (HC3 errors): each additional delivered message per voter goes with a "
     "change in turnout 2019-2024 of +0.80 percentage points (95% CI: -0.40 to +2.00; "
     "n = 34 provinces), among provinces with the same 2019 level. p < 0.001; "
     "adjusted p = 0.002."),
    (_row(OLS, exposure="reach_per_voter", outcome="invalid_rate_change", estimate=-1.25,
          ci_low=-2.5, ci_high=-0.004, p_value=0.03, p_adjusted=0.06), "id",
     # -0.004 rounds to 0,00: no minus sign (format_number), no plus either
     "Regresi OLS (galat HC3): setiap tambahan 1 penerima unik per pemilih sejalan dengan "
     "perubahan persentase suara tidak sah 2019-2024 sebesar -1,25 poin persentase (IK 95%: "
     "-2,50 sampai 0,00; n = 34 provinsi), pada provinsi dengan tingkat 2019 yang sama. "
     "p = 0,030; p terkoreksi = 0,060."),
    (_row(OLS, exposure="reach_per_voter", outcome="invalid_rate_change", estimate=0.0,
          ci_low=0.004, ci_high=0.006), "en",
     "OLS regression (HC3 errors): each additional unique recipient per voter goes with a "
     "change in the invalid-vote rate 2019-2024 of 0.00 percentage points (95% CI: 0.00 to "
     "+0.01; n = 34 provinces), among provinces with the same 2019 level. p < 0.001; "
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
     "Regresi OLS (galat HC3), pesan diterima per pemilih - perubahan partisipasi pemilih "
     "2019-2024: tidak cukup data."),
    (_row(OLS, ci_low=math.nan), "en",
     "OLS regression (HC3 errors), messages delivered per voter - the change in turnout "
     "2019-2024: not enough data."),
    (_row(OLS, ci_high=-math.inf), "en",
     "OLS regression (HC3 errors), messages delivered per voter - the change in turnout "
     "2019-2024: not enough data."),
    (_row(OLS, n=None), "en",
     "OLS regression (HC3 errors), messages delivered per voter - the change in turnout "
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
     "persentase (IK 95%: -1,0 sampai +6,0; n = 1.200 responden); uji chi-square: "
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
    ({"voted": ["dont_know excluded: 12", "dont_know excluded: 99"],
      "owns_phone": ["dont_know excluded: 2"]}, "en",
     {"voted": "12 'don't know' answers on whether they voted are left out.",
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
