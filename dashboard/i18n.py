"""Language and number formats: Indonesian first, English on request.

`t(key, lang)` looks a UI string up; the `format_*` functions write numbers, percentages,
dates and durations the way an Indonesian (or English) reader expects them. Missing values
are always shown as an en dash, never as "nan" or "None".
"""

from __future__ import annotations

import datetime as dt
import math
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from numbers import Real

import pandas as pd

from dashboard.clock import WIB

LANGUAGES: tuple[str, ...] = ("id", "en")
DEFAULT_LANG = "id"
MISSING = "–"  # en dash: what every formatter shows for None / NaN / NaT

MONTHS_ABBR: dict[str, tuple[str, ...]] = {
    "id": ("Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des"),
    "en": ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"),
}

# key -> {"id": ..., "en": ...}. Placeholders use str.format syntax: "{metric} per operator".
# Exposure metrics are "per pemilih" / "per voter": SIM cards outnumber voters, so the values
# can exceed 1 and must never be called a share of voters reached.
TRANSLATIONS: dict[str, dict[str, str]] = {
    # app and pages
    "app.title": {"id": "Pemilu Damai 2024", "en": "Pemilu Damai 2024 (Peaceful Election)"},
    "app.subtitle": {
        "id": "Jangkauan SMS blast, partisipasi pemilih dan tren hoaks",
        "en": "SMS blast reach, voter participation and hoax trends",
    },
    "app.language": {"id": "Bahasa", "en": "Language"},
    "app.language.id": {"id": "Bahasa Indonesia", "en": "Bahasa Indonesia"},
    "app.language.en": {"id": "English", "en": "English"},
    "page.overview": {"id": "Ringkasan", "en": "Overview"},
    "page.reach": {"id": "Jangkauan", "en": "Reach"},
    "page.data_quality": {"id": "Kualitas data", "en": "Data quality"},
    "page.participation": {"id": "Partisipasi", "en": "Participation"},
    "page.hoax": {"id": "Hoaks", "en": "Hoaxes"},
    "page.weekly": {"id": "Ringkasan mingguan", "en": "Weekly summary"},
    "page.channels": {"id": "Kanal", "en": "Channels"},
    # the Rancang uji page (issue 18): the randomised experiment, designed and read
    "page.experiment": {"id": "Rancang uji", "en": "Experiment design"},
    "exp.caption": {"id": "Rancang blast berikutnya sebagai eksperimen acak, lalu baca efeknya "
                          "dengan jujur setelah pemungutan suara.",
                    "en": "Plan the next blast as a randomised experiment, then read its "
                          "effect honestly after the vote."},
    "exp.scoped": {"id": "Eksperimen dirancang dan dibaca untuk seluruh negeri; akses Anda "
                         "terbatas pada beberapa provinsi, jadi halaman ini tidak tersedia.",
                   "en": "Experiments are designed and read for the whole country; your access "
                         "is limited to some provinces, so this page is not available."},
    "exp.filters_note": {"id": "Filter di samping tidak berlaku di sini: sebuah eksperimen "
                               "mencakup semua unitnya dan gelombangnya sendiri.",
                         "en": "The sidebar filters do not apply here: an experiment covers "
                               "all its units and its own waves."},
    "exp.part_design": {"id": "A. Rancangan (sebelum blast)", "en": "A. Design (before the blast)"},
    "exp.part_results": {"id": "B. Hasil (setelah pemungutan suara)",
                         "en": "B. Results (after the vote)"},
    "exp.design": {"id": "Rancangan", "en": "Design"},
    "exp.design.regency": {"id": "Klaster per kabupaten/kota", "en": "Clusters by regency"},
    "exp.design.province": {"id": "Klaster per provinsi", "en": "Clusters by province"},
    "exp.design.number": {"id": "Per nomor (individu)", "en": "Individual numbers"},
    "exp.design_help": {
        "id": "Kabupaten/kota: seluruh wilayah tidak dikirimi; hasil KPU per wilayah; butuh "
              "hasil pemilu per kabupaten/kota. Provinsi: sama, tetapi hanya 38 unit (daya "
              "uji rendah). Per nomor: sebagian nomor ditahan oleh operator dengan aturan "
              "hash; hasil dari responden survei yang memberi nomornya.",
        "en": "Regency: whole regencies get no blast; KPU results per regency; needs results "
              "per regency. Province: the same with only 38 units (little power). Numbers: "
              "operators withhold a share of numbers by a hash rule; outcomes from survey "
              "respondents who give their number."},
    "exp.experiment_id": {"id": "ID eksperimen", "en": "Experiment id"},
    "exp.title": {"id": "Judul", "en": "Title"},
    "exp.title_default": {"id": "Uji blast {waves}", "en": "Blast test {waves}"},
    "exp.waves": {"id": "Gelombang SMS yang diuji", "en": "SMS waves tested"},
    "exp.waves_help": {"id": "Satu eksperimen per gelombang: gelombang yang sudah ada di rencana "
                             "beku lain tidak ditawarkan.",
                       "en": "One experiment per wave: waves already in another frozen plan "
                             "are not offered."},
    "exp.waves_taken": {"id": "Sudah di eksperimen lain: {waves}.",
                        "en": "Already in another experiment: {waves}."},
    "exp.waves_placeholder": {"id": "Pilih gelombang", "en": "Choose waves"},
    "exp.choose_waves": {"id": "Pilih gelombang SMS yang diuji: rencana dibuat untuk gelombang "
                               "tertentu.",
                         "en": "Choose the SMS waves tested: a plan is made for given waves."},
    "exp.effect_chart_note": {"id": "Sumbu mencakup interval keseluruhan dan efek tiap stratum; "
                                    "interval stratum yang lebih lebar berakhir dengan panah di "
                                    "tepi (angkanya di tabel dan saat kursor di atasnya). Stratum "
                                    "tanpa kedua lengan tidak digambar.",
                              "en": "The axis spans the overall interval and every stratum's "
                                    "effect; a wider stratum interval ends in an arrow at the "
                                    "edge (its numbers are in the table and on hover). Strata "
                                    "without both arms are not drawn."},
    "exp.no_waves": {"id": "Katalog gelombang belum punya gelombang SMS yang bebas. Muat file "
                           "katalog gelombang di Kualitas data.",
                     "en": "The wave catalogue has no free SMS wave. Load a wave catalogue "
                           "file on Data quality."},
    "exp.outcome": {"id": "Hasil yang diukur", "en": "Outcome"},
    "exp.outcome.turnout": {"id": "Partisipasi pemilih", "en": "Turnout"},
    "exp.outcome.invalid_rate": {"id": "Tingkat suara tidak sah", "en": "Invalid-ballot rate"},
    "exp.outcome.voted": {"id": "Memilih (survei)", "en": "Voted (survey)"},
    "exp.outcome.knows_valid_ballot": {"id": "Tahu cara mencoblos sah (survei)",
                                       "en": "Knows how to cast a valid ballot (survey)"},
    "exp.share": {"id": "Porsi yang ditahan (tidak dikirimi)", "en": "Hold-out share (not sent)"},
    "exp.seed": {"id": "Seed acak", "en": "Random seed"},
    "exp.seed_help": {"id": "Dicatat di rencana: seed dan unit yang sama memberi penugasan yang "
                            "sama.",
                      "en": "Recorded in the plan: the same seed and units give the same "
                            "assignment."},
    "exp.pair_first": {"id": "Pemilu dasar: tahun awal", "en": "Baseline pair: earlier year"},
    "exp.pair_last": {"id": "Pemilu dasar: tahun akhir", "en": "Baseline pair: later year"},
    "exp.pair_help": {"id": "Pasangan pemilu yang lalu: variasi antar-unit dan seberapa baik "
                            "pemilu awal memprediksi yang akhir menentukan daya uji.",
                      "en": "A past pair of elections: how much units vary and how well the "
                            "earlier election predicts the later one decide the power."},
    "exp.outcome_year": {"id": "Tahun pemilu yang diukur", "en": "Election year measured"},
    "exp.no_years": {"id": "Belum ada hasil pemilu untuk dua tahun pada tingkat ini; daya uji "
                           "dan keseimbangan belum bisa dihitung.",
                     "en": "No election results for two years at this level yet; power and "
                           "balance cannot be computed."},
    "exp.power_header": {"id": "Daya uji: efek terkecil yang terdeteksi (MDE, daya 80%)",
                         "en": "Power: minimum detectable effect (MDE, 80% power)"},
    "exp.mde_analytic": {"id": "MDE analitis", "en": "Analytic MDE"},
    "exp.mde_simulated": {"id": "MDE simulasi", "en": "Simulated MDE"},
    "exp.mde_help": {"id": "Efek terkecil yang terdeteksi pada 80% penugasan acak dengan "
                           "α = 5% (dua sisi), dalam poin persentase.",
                     "en": "The smallest effect detected in 80% of random assignments at "
                           "α = 5% (two-sided), in percentage points."},
    "exp.power_note": {"id": "Dari {n} unit yang punya kedua pemilu ({strata} strata); "
                             "simpangan baku dalam strata {sd}, korelasi dengan pemilu awal "
                             "{corr}; simulasi: {sims} penugasan ulang per porsi.",
                       "en": "From {n} units with both elections ({strata} strata); "
                             "within-stratum SD {sd}, correlation with the earlier election "
                             "{corr}; simulation: {sims} re-drawn assignments per share."},
    "exp.power_left_out": {"id": "{n} unit tanpa hasil kedua tahun tidak ikut dihitung; dengan "
                                 "semua unit MDE akan lebih kecil.",
                           "en": "{n} units without results for both years are left out; with "
                                 "every unit the MDE would be smaller."},
    "exp.parent_baseline": {"id": "Provinsi yang belum ada pada pemilu dasar memakai angka "
                                  "provinsi induknya sebagai data dasar: {provinces}. Data dasar "
                                  "hanya kovariat: ini mengurangi ketelitian, bukan membuat bias; "
                                  "hasilnya tetap milik provinsi itu sendiri.",
                            "en": "Provinces that did not exist in the baseline election take "
                                  "their parent province's figures as baseline: {provinces}. "
                                  "The baseline is only a covariate: this costs precision, not "
                                  "bias; the outcome is the province's own."},
    "exp.province_power": {
        "id": "Hanya 38 provinsi, dalam 7 strata pulau: dengan sedikit unit, hanya efek besar "
              "yang terdeteksi (lihat MDE). Efek blast yang realistis (kurang dari 1 poin) "
              "hampir pasti tidak terlihat; pilih kabupaten/kota atau per nomor bila bisa.",
        "en": "Only 38 provinces, in 7 island strata: with so few units only large effects "
              "are detectable (see the MDE). A realistic blast effect (under 1 point) will "
              "almost certainly not be seen; choose regencies or numbers where you can."},
    "exp.power_error": {"id": "Daya uji tidak dapat dihitung: {reason}",
                        "en": "Power cannot be computed: {reason}"},
    "exp.respondents": {"id": "Responden survei yang diharapkan (dengan nomor)",
                        "en": "Survey respondents expected (with their number)"},
    "exp.deff": {"id": "Efek desain survei (deff)", "en": "Survey design effect (deff)"},
    "exp.compliance_expected": {"id": "Perkiraan kepatuhan (porsi lengan blast yang terjangkau)",
                                "en": "Expected compliance (share of the blast arm reached)"},
    "exp.p_control": {"id": "Tingkat hasil tanpa blast yang diasumsikan: {rate} ({source}).",
                      "en": "Rate without the blast assumed: {rate} ({source})."},
    "exp.p_control_survey": {"id": "survei yang dimuat, {n} responden",
                             "en": "the survey loaded, {n} respondents"},
    "exp.p_control_default": {"id": "belum ada survei: nilai umum", "en": "no survey yet: a "
                                                                          "typical value"},
    "exp.individual_power_note": {
        "id": "MDE per nomor dari rumus selisih dua proporsi (tanpa simulasi: tidak ada data "
              "dasar per nomor). Dengan kepatuhan di bawah 100%, MDE adalah efek pada yang "
              "terjangkau.",
        "en": "The individual MDE comes from the formula for a difference of two proportions "
              "(no simulation: there is no baseline per number). With compliance below 100% it "
              "is the effect on those reached."},
    "exp.coverage_header": {"id": "Data dasar per kabupaten/kota", "en": "Regency baseline data"},
    "exp.coverage": {"id": "{loaded} dari {total} kabupaten/kota punya hasil pemilu {year}.",
                     "en": "{loaded} of {total} regencies have {year} election results."},
    "exp.coverage_missing": {"id": "Tanpa hasil {year} ({n})", "en": "Without {year} results "
                                                                     "({n})"},
    "exp.coverage_gap": {"id": "Celah ini tidak diisi: unit tanpa hasil keluar dari perhitungan "
                               "daya uji dan dari perbandingan, dan jumlahnya disebut.",
                         "en": "The gap is not filled: units without results leave the power "
                               "calculation and the comparison, and their number is said."},
    "exp.no_regencies": {"id": "Daftar kabupaten/kota belum ada di basis data.",
                         "en": "The regency list is not in the database."},
    "exp.assignment_header": {"id": "Penugasan acak dan keseimbangan",
                              "en": "Random assignment and balance"},
    "exp.assigned": {"id": "{holdout} unit ditahan dan {blast} dikirimi, dalam {strata} strata "
                           "(seed {seed}).",
                     "en": "{holdout} units held out and {blast} sent, in {strata} strata "
                           "(seed {seed})."},
    "exp.strata_note.regency": {"id": "Strata: provinsi (porsi yang sama ditahan di tiap "
                                      "provinsi).",
                                "en": "Strata: provinces (the same share held out in each)."},
    "exp.strata_note.province": {"id": "Strata: kelompok pulau (Sumatera, Jawa, Bali & Nusa "
                                       "Tenggara, Kalimantan, Sulawesi, Maluku, Papua).",
                                 "en": "Strata: island groups (Sumatra, Java, Bali & Nusa "
                                       "Tenggara, Kalimantan, Sulawesi, Maluku, Papua)."},
    "exp.balance_note": {"id": "Selisih terstandar (dikirimi − ditahan, dalam simpangan baku "
                               "gabungan); di luar ±0,1 menandai ketidakseimbangan. Acak tetap "
                               "sah; kovariat dasar menyesuaikannya di analisis.",
                         "en": "Standardised difference (blast − held out, in pooled SDs); "
                               "beyond ±0.1 flags imbalance. The draw stays valid; the baseline "
                               "covariate adjusts for it in the analysis."},
    "exp.assignment_table": {"id": "Penugasan per unit", "en": "Assignment per unit"},
    "exp.covariate.baseline_turnout": {"id": "Partisipasi (pemilu dasar)",
                                       "en": "Turnout (baseline election)"},
    "exp.covariate.baseline_invalid_rate": {"id": "Suara tidak sah (pemilu dasar)",
                                            "en": "Invalid ballots (baseline election)"},
    "exp.covariate.dpt": {"id": "Pemilih terdaftar (DPT)", "en": "Registered voters (DPT)"},
    "exp.individual_header": {"id": "Aturan per nomor untuk operator",
                              "en": "The per-number rule for operators"},
    "exp.individual_rule": {
        "id": "Nomor ditahan bila HMAC-SHA256 dari nomor 62... dengan salt ini, 8 bita pertama "
              "sebagai bilangan tak bertanda mod 10.000, di bawah ambang stratumnya (operator x "
              "provinsi). Ingest kami menghitung hal yang sama sebelum nomor disamarkan.",
        "en": "A number is held out when HMAC-SHA256 of its 62... form under this salt, first 8 "
              "bytes as an unsigned integer mod 10,000, is below its stratum's threshold "
              "(operator x province). Our ingest computes the same before pseudonymising."},
    "exp.salt": {"id": "Salt eksperimen", "en": "Experiment salt"},
    "exp.salt_help": {"id": "Dibuat acak untuk eksperimen ini dan dibagikan ke operator bersama "
                            "rencana; bukan kunci nama samaran.",
                      "en": "Drawn at random for this experiment and given to the operators "
                            "with the plan; not the pseudonym key."},
    "exp.new_salt": {"id": "Buat salt baru", "en": "Draw a new salt"},
    "exp.bad_salt": {"id": "Salt harus heksadesimal (64 karakter).",
                     "en": "The salt must be hexadecimal (64 characters)."},
    "exp.thresholds": {"id": "Ambang per operator x provinsi ({n} strata, semuanya {threshold} "
                             "dari 10.000)",
                       "en": "Thresholds per operator x province ({n} strata, all {threshold} "
                             "of 10,000)"},
    "exp.reference": {"id": "Implementasi rujukan (operator menjalankannya pada daftarnya)",
                      "en": "Reference implementations (operators run them on their list)"},
    "exp.reference.python": {"id": "Python", "en": "Python"},
    "exp.reference.duckdb": {"id": "SQL DuckDB", "en": "DuckDB SQL"},
    "exp.reference.postgres": {"id": "SQL PostgreSQL", "en": "PostgreSQL SQL"},
    "exp.download_reference": {"id": "Unduh {name}", "en": "Download {name}"},
    "exp.signoff_header": {"id": "Persetujuan", "en": "Sign-off"},
    "exp.signoff_note": {"id": "Menahan pesan informasi kewargaan dari sebagian warga perlu "
                               "persetujuan yang tercatat di rencana.",
                         "en": "Withholding a civic-information message from some citizens "
                               "needs a sign-off recorded in the plan."},
    "exp.signoff_name": {"id": "Nama yang menyetujui", "en": "Signed off by (name)"},
    "exp.signoff_role": {"id": "Jabatan", "en": "Role"},
    "exp.signoff_missing": {"id": "Isi nama dan jabatan yang menyetujui: rencana tanpa "
                                  "persetujuan tidak dibuat.",
                            "en": "Fill in the name and role of who signs off: no plan is made "
                                  "without it."},
    "exp.plan_header": {"id": "Rencana (pra-registrasi)", "en": "Plan (pre-registration)"},
    # one name for the plan's hash on the page and in its PDF (exp.plan.hash): "sidik SHA-256"
    "exp.plan_hash": {"id": "Sidik SHA-256 rencana: `{sha}`",
                      "en": "The plan's SHA-256 fingerprint: `{sha}`"},
    "exp.download_json": {"id": "Unduh rencana (JSON)", "en": "Download the plan (JSON)"},
    "exp.download_pdf": {"id": "Unduh rencana (PDF)", "en": "Download the plan (PDF)"},
    "exp.no_pdf": {"id": "PDF butuh Chromium di server; JSON tetap bisa diunduh.",
                   "en": "The PDF needs Chromium on the server; the JSON downloads all the "
                         "same."},
    "exp.freeze_command": {"id": "Bekukan rencana sebelum gelombang pertama (hash disimpan di "
                                 "basis data; analisis menolak rencana yang berbeda):",
                           "en": "Freeze the plan before the first wave (its hash is stored in "
                                 "the database; the analysis refuses a plan that differs):"},
    "exp.freeze_button": {"id": "Bekukan rencana sekarang", "en": "Freeze the plan now"},
    "exp.freeze_admin_only": {"id": "Membekukan adalah penulisan ke basis data: di aplikasi "
                                    "hanya untuk admin; selain itu jalankan perintah di atas.",
                              "en": "Freezing writes to the database: in the app for admins "
                                    "only; otherwise run the command above."},
    "exp.frozen_ok": {"id": "Rencana {experiment} dibekukan. SHA-256: {sha}",
                      "en": "Plan {experiment} frozen. SHA-256: {sha}"},
    "exp.plan_error": {"id": "Rencana tidak dapat dibuat atau dibekukan: {reason}",
                       "en": "The plan cannot be made or frozen: {reason}"},
    "exp.results_none": {"id": "Belum ada eksperimen yang dibekukan di basis data ini.",
                         "en": "No experiment is frozen in this database yet."},
    "exp.experiment_pick": {"id": "Eksperimen", "en": "Experiment"},
    "exp.frozen_meta": {"id": "{design}; gelombang {waves}; hasil {outcome_year} dengan dasar "
                              "{baseline_year}; porsi ditahan {share}; dibekukan {when}, "
                              "disetujui {who}.",
                        "en": "{design}; waves {waves}; outcome {outcome_year} with baseline "
                              "{baseline_year}; hold-out share {share}; frozen {when}, signed "
                              "off by {who}."},
    "exp.hash_ok": {"id": "Sidik SHA-256 rencana `{sha}` cocok dengan teks rencana yang "
                          "tersimpan.",
                    "en": "The plan's SHA-256 fingerprint `{sha}` matches the stored plan "
                          "text."},
    "exp.hash_bad": {"id": "Sidik SHA-256 rencana `{sha}` TIDAK cocok dengan teks rencana "
                           "yang tersimpan: hasil ini tidak boleh dilaporkan.",
                     "en": "The plan's SHA-256 fingerprint `{sha}` does NOT match the stored "
                           "plan text: these results must not be reported."},
    "exp.synthetic": {"id": "Eksperimen ini disimulasikan (sintetis): contoh cara membaca, "
                            "bukan temuan.",
                      "en": "This experiment is simulated (synthetic): an example of the "
                            "reading, not a finding."},
    "exp.effect": {"id": "Efek blast: {outcome}", "en": "Effect of the blast: {outcome}"},
    "exp.ci": {"id": "IK 95%: {low} s.d. {high} poin",
               "en": "95% CI: {low} to {high} pts"},
    "exp.p": {"id": "{p} (inferensi acak)", "en": "{p} (randomisation inference)"},
    "exp.left_out": {"id": "{n} unit tanpa hasil pemilu dasar atau akhir tidak ikut "
                           "dibandingkan.",
                     "en": "{n} units without a baseline or outcome result are left out of "
                           "the comparison."},
    "exp.left_out_respondents": {"id": "{n} responden tanpa jawaban atau tanpa lengan tidak "
                                       "ikut dibandingkan.",
                                 "en": "{n} respondents without an answer or an arm are left "
                                       "out of the comparison."},
    "exp.compliance_header": {"id": "Kepatuhan (dari laporan pengiriman)",
                              "en": "Compliance (from the delivery receipts)"},
    "exp.compliance_note.cluster": {
        "id": "Unit terjangkau: gelombang eksperimen mengantar di sana sedikitnya seperempat "
              "median pesan per pemilih terdaftar di lengan blast (beberapa pesan nyasar tidak "
              "membuat unit terjangkau). Pesan ke unit yang ditahan melanggar rencana; 'tak "
              "terpetakan': laporan tanpa wilayah atau di luar eksperimen.",
        "en": "A unit is reached when the experiment's waves delivered there at least a "
              "quarter of the blast arm's median messages per registered voter (a few stray "
              "messages do not make it reached). Messages to held-out units break the plan; "
              "'unplaced': receipts with no area or one outside the experiment."},
    "exp.compliance_note.individual": {
        "id": "Responden terjangkau: pesan gelombang eksperimen terkirim ke nomornya. Pesan ke "
              "nomor yang ditahan adalah pelanggaran; 'tak terpetakan': nomor tanpa bucket atau "
              "tanpa stratum.",
        "en": "A respondent is reached when a message of the experiment's waves was delivered "
              "to their number. Messages to held-out numbers break the plan; 'unplaced': "
              "numbers without a bucket or a stratum."},
    "exp.reached": {"id": "Terjangkau: {blast} dari lengan blast, {holdout} dari yang ditahan.",
                    "en": "Reached: {blast} of the blast arm, {holdout} of the held-out arm."},
    "exp.results_table": {"id": "Efek per stratum", "en": "Effect per stratum"},
    "exp.per_operator_strata": {"id": "Stratum di sini: operator (per operator x provinsi "
                                      "responden terlalu sedikit).",
                                "en": "Strata here: operators (too few respondents per "
                                      "operator x province)."},
    "exp.reading_header": {"id": "Cara membaca", "en": "How to read it"},
    "exp.reading_effect": {
        "id": "{outcome}: {units} yang ditetapkan menerima blast ({n_blast}) berbeda {effect} "
              "dari yang ditahan ({n_holdout}) (IK 95%: {low} s.d. {high}; {p}).",
        "en": "{outcome}: the {units} assigned to receive the blast ({n_blast}) differ by "
              "{effect} from those held out ({n_holdout}) (95% CI: {low} to {high}; "
              "{p})."},
    "exp.reading_zero": {"id": "Interval mencakup nol: data ini sejalan dengan tidak ada efek "
                               "maupun efek sebesar batas intervalnya.",
                         "en": "The interval includes zero: these data are consistent with no "
                               "effect as well as with effects as large as its bounds."},
    # what the number is, exactly, per design (after the effect and its interval)
    "exp.reading_estimate.cluster": {
        "id": "Angka ini intention-to-treat (ITT): selisih kedua lengan yang disesuaikan "
              "dengan angka pemilu dasar dan strata (ANCOVA), bukan selisih mentah rata-rata; "
              "nilai-p dari inferensi acak (undian ulang di dalam strata).",
        "en": "This is the intention to treat (ITT): the difference between the arms adjusted "
              "for the baseline election's figure and the strata (ANCOVA), not the raw "
              "difference of means; the p-value is from randomisation inference (re-draws "
              "within strata)."},
    "exp.reading_estimate.individual": {
        "id": "Angka ini intention-to-treat (ITT): selisih porsi berbobot survei antara "
              "responden kedua lengan.",
        "en": "This is the intention to treat (ITT): the difference in survey-weighted shares "
              "between the respondents of the two arms."},
    "exp.reading_nonzero": {"id": "Interval tidak mencakup nol.",
                            "en": "The interval excludes zero."},
    "exp.reading_what": {
        "id": "Karena penugasan diacak, ini efek kausal dari DITETAPKAN menerima blast "
              "(gelombang {waves}) bagi {units} ini, apa pun yang kemudian benar-benar "
              "terkirim.",
        "en": "Because the assignment was random, this is the causal effect of being ASSIGNED "
              "to receive the blast (waves {waves}) for these {units}, whatever was then "
              "actually delivered."},
    "exp.reading_complier": {
        "id": "Kepatuhan tidak sempurna ({blast} lengan blast terjangkau, {holdout} yang "
              "ditahan): efek pada unit yang digerakkan penugasan (complier) {effect} (IK 95%: "
              "{low} s.d. {high}).",
        "en": "Compliance was imperfect ({blast} of the blast arm reached, {holdout} of the "
              "held-out arm): the effect on the units the assignment moved (compliers) is "
              "{effect} (95% CI: {low} to {high})."},
    "exp.reading_cannot.cluster": {
        "id": "Yang tidak bisa dikatakan: efek membaca pesan pada seseorang; efek di "
              "gelombang, pemilu atau wilayah lain; dan pesan yang menyebar ke unit yang "
              "ditahan (orang bepergian, meneruskan pesan) membuat efek ini lebih kecil dari "
              "efek penuh.",
        "en": "What it cannot say: the effect on a person of reading the message; the effect "
              "in other waves, elections or areas; and messages that spill into held-out units "
              "(people travel, forward messages) make this smaller than the full effect."},
    "exp.reading_cannot.individual": {
        "id": "Yang tidak bisa dikatakan: efek pada pemilih yang tidak ikut survei atau tidak "
              "memberi nomornya; jawaban survei tentang memilih bisa berlebih; efek di "
              "gelombang atau pemilu lain.",
        "en": "What it cannot say: the effect on voters outside the survey or who did not give "
              "their number; survey answers about voting can overstate it; the effect in "
              "other waves or elections."},
    "exp.reading_none": {"id": "{outcome}: efek belum dapat dihitung ({reason}).",
                         "en": "{outcome}: no effect can be computed yet ({reason})."},
    # why an effect could not be computed (reports.experiment.note_text)
    "exp.note.one_arm": {"id": "salah satu lengan tanpa unit: efek adalah perbandingan kedua "
                               "lengan",
                         "en": "one arm has no units: the effect compares the two arms"},
    "exp.note.too_few": {"id": "terlalu sedikit unit untuk jumlah stratanya",
                         "en": "too few units for its number of strata"},
    "exp.note.all_alike": {"id": "semua responden tiap lengan menjawab sama: tidak ada "
                                 "variasi untuk menghitung interval",
                           "en": "every respondent of each arm answered alike: no variation "
                                 "to compute an interval from"},
    "exp.note.not_estimated": {"id": "tidak dapat dihitung dari data ini",
                               "en": "cannot be computed from these data"},
    "exp.units.regency": {"id": "kabupaten/kota", "en": "regencies"},
    "exp.units.province": {"id": "provinsi", "en": "provinces"},
    "exp.units.number": {"id": "responden", "en": "respondents"},
    "exp.overall": {"id": "Keseluruhan", "en": "Overall"},
    "exp.points": {"id": "{n} poin persentase", "en": "{n} percentage points"},
    "exp.points_short": {"id": "poin", "en": "pts"},
    "exp.arm.holdout": {"id": "Ditahan", "en": "Held out"},
    "exp.arm.blast": {"id": "Dikirimi", "en": "Blast"},
    "exp.arm.unplaced": {"id": "Tak terpetakan", "en": "Unplaced"},
    "exp.col.unit": {"id": "Unit", "en": "Unit"},
    "exp.col.stratum": {"id": "Stratum", "en": "Stratum"},
    "exp.col.arm": {"id": "Lengan", "en": "Arm"},
    "exp.col.outcome": {"id": "Hasil", "en": "Outcome"},
    "exp.col.effect": {"id": "Efek (poin)", "en": "Effect (pts)"},
    "exp.col.ci": {"id": "IK 95% (poin)", "en": "95% CI (pts)"},
    "exp.col.p": {"id": "p (inferensi acak)", "en": "p (randomisation)"},
    "exp.col.p_individual": {"id": "p", "en": "p"},
    # both columns name the blast arm first
    "exp.col.n": {"id": "Dikirimi / ditahan", "en": "Sent / held out"},
    "exp.col.compliance": {"id": "Terjangkau: dikirimi / ditahan",
                           "en": "Reached: sent / held out"},
    "exp.col.complier": {"id": "Efek complier (poin)", "en": "Complier effect (pts)"},
    "exp.col.note": {"id": "Catatan", "en": "Note"},
    "exp.col.covariate": {"id": "Kovariat", "en": "Covariate"},
    "exp.col.mean_holdout": {"id": "Rata-rata ditahan", "en": "Mean held out"},
    "exp.col.mean_blast": {"id": "Rata-rata dikirimi", "en": "Mean sent"},
    "exp.col.std_difference": {"id": "Selisih terstandar", "en": "Standardised difference"},
    "exp.col.operator": {"id": "Operator", "en": "Operator"},
    "exp.col.province": {"id": "Provinsi", "en": "Province"},
    "exp.col.threshold": {"id": "Ambang (dari 10.000)", "en": "Threshold (of 10,000)"},
    "exp.col.sent": {"id": "Dikirim", "en": "Sent"},
    "exp.col.delivered": {"id": "Diterima", "en": "Delivered"},
    "exp.col.recipients": {"id": "Nomor yang menerima", "en": "Numbers delivered to"},
    # any delivered message, per operator: not the "reached" of compliance (a quarter of the
    # blast arm's median), which the results table counts per arm
    "exp.col.units_reached": {"id": "Unit yang menerima pesan", "en": "Units with a delivered "
                                                                      "message"},
    "exp.col.code": {"id": "Kode", "en": "Code"},
    "exp.col.name": {"id": "Nama", "en": "Name"},
    "exp.chart.mde_title": {"id": "MDE menurut porsi yang ditahan",
                            "en": "MDE by hold-out share"},
    "exp.chart.mde_axis": {"id": "MDE (poin persentase)", "en": "MDE (percentage points)"},
    "exp.chart.share_axis": {"id": "Porsi yang ditahan", "en": "Hold-out share"},
    "exp.chart.analytic": {"id": "Rumus", "en": "Formula"},
    "exp.chart.simulated": {"id": "Simulasi", "en": "Simulation"},
    "exp.chart.balance_title": {"id": "Keseimbangan penugasan pada data dasar",
                                "en": "Balance of the assignment on the baseline"},
    "exp.chart.balance_axis": {"id": "Selisih terstandar", "en": "Standardised difference"},
    # a no-break space keeps "(IK 95%)" whole when a title is wrapped (charts.style.wrap_title)
    "exp.chart.effect_title": {"id": "Efek blast pada {outcome} (IK\u00a095%)",
                               "en": "Effect of the blast on {outcome} (95%\u00a0CI)"},
    "exp.chart.overall_title": {"id": "Efek blast per hasil yang diukur (IK 95%)",
                                "en": "Effect of the blast per outcome (95% CI)"},
    "exp.chart.complier_title": {"id": "Efek complier pada {outcome} (IK\u00a095%)",
                                 "en": "Complier effect on {outcome} (95%\u00a0CI)"},
    "exp.chart.effect_axis": {"id": "Dikirimi − ditahan (poin persentase)",
                              "en": "Blast − held out (percentage points)"},
    "prov.experiment": {"id": "Sumber: rencana eksperimen beku {plans}.",
                        "en": "Source: frozen experiment plans {plans}."},
    # filters
    "filter.period": {"id": "Periode", "en": "Period"},
    "filter.period_default": {
        "id": "Periode bawaan: masa kampanye menurut katalog gelombang, {start} – {end}.",
        "en": "Default period: the campaign as the waves catalogue gives it, {start} – {end}.",
    },
    "filter.period_starts_late": {
        "id": "Data tersedia sejak {first}; hari sebelum {start} tidak dihitung "
              "(pilih periode lain untuk melihatnya; lihat Kualitas data).",
        "en": "Data starts on {first}; days before {start} are not counted "
              "(choose another period to see them; see Data quality).",
    },
    "filter.period_ends_early": {
        "id": "Data tersedia sampai {last}; hari sesudah {end} tidak dihitung.",
        "en": "Data runs to {last}; days after {end} are not counted.",
    },
    # provenance of every output (dashboard/export/provenance.py)
    "prov.sample_mark": {"id": "DATA CONTOH", "en": "SAMPLE DATA"},
    "prov.sample_note": {"id": "sebagian atau semua angka ini berasal dari data contoh "
                                "(sintetis), bukan dari laporan sebenarnya. Jangan "
                                "dipublikasikan.",
                         "en": "some or all of these numbers come from sample (synthetic) "
                               "data, not from real reports. Do not publish."},
    "prov.as_of": {"id": "Data per {loaded}", "en": "Data as of {loaded}"},
    "prov.last_send_day": {"id": "kirim terakhir {day}", "en": "last sent {day}"},
    "prov.receipts": {"id": "Sumber: laporan pengiriman {operators} ({waves}).",
                      "en": "Source: delivery reports of {operators} ({waves})."},
    "prov.hoax": {"id": "Sumber: register hoaks pemilu {ministry}: {sites}.",
                  "en": "Source: election hoax register of {ministry}: {sites}."},
    "prov.no_site": {"id": "tanpa tautan sumber", "en": "no source links"},
    "prov.survey": {"id": "Sumber: survei {files}, wawancara {first} – {last}.",
                    "en": "Source: survey {files}, interviews {first} – {last}."},
    "prov.election": {"id": "Sumber: hasil pemilu presiden {years} ({sources}).",
                      "en": "Source: presidential election results {years} ({sources})."},
    "prov.election_regency": {"id": "Sumber: hasil pemilu presiden per kabupaten/kota {years} "
                                    "({sources}).",
                              "en": "Source: presidential election results by regency {years} "
                                    "({sources})."},
    "prov.and": {"id": "dan", "en": "and"},
    "prov.or": {"id": "atau", "en": "or"},
    # The ministry as the product names it, the one place (review item 19): the campaign and
    # the hoax register were Kominfo's (Kementerian Komunikasi dan Informatika) in 2023-24;
    # since October 2024 the ministry is Komdigi, which now publishes the register at
    # komdigi.go.id, the address the register's links carry.
    "org.ministry": {"id": "Kominfo (kini Komdigi)", "en": "Kominfo (now Komdigi)"},
    # Sample (synthetic) data: the source sentence itself says so, in place of the real
    # source it imitates (review item 2): a press figure of invented numbers must never
    # credit operators' reports or the ministry's register. One template, one body per kind.
    "prov.synthetic": {"id": "Sumber: DATA CONTOH SINTETIS ({what}), bukan {real}.",
                       "en": "Source: SYNTHETIC SAMPLE DATA ({what}), not {real}."},
    # what the sample stands in for (the brackets), then the real source it is not
    "prov.synthetic.receipts": {"id": "pengiriman gelombang {waves}",
                                "en": "deliveries of waves {waves}"},
    "prov.synthetic_not.receipts": {"id": "laporan operator", "en": "operators' reports"},
    "prov.synthetic.status_bar": {"id": "tayangan status bar gelombang {waves}",
                                  "en": "status-bar impressions of waves {waves}"},
    "prov.synthetic_not.status_bar": {"id": "laporan operator", "en": "operators' reports"},
    "prov.synthetic.wa_updates": {"id": "statistik Saluran WhatsApp",
                                  "en": "WhatsApp Channel statistics"},
    "prov.synthetic_not.wa_updates": {"id": "ekspor Saluran WhatsApp",
                                      "en": "the Channel's export"},
    "prov.synthetic.wa_daily": {"id": "insight harian Saluran WhatsApp",
                                "en": "WhatsApp Channel daily insights"},
    "prov.synthetic_not.wa_daily": {"id": "ekspor Saluran WhatsApp", "en": "the Channel's export"},
    "prov.synthetic.hoax": {"id": "isu hoaks pemilu", "en": "election hoax issues"},
    "prov.synthetic_not.hoax": {"id": "register hoaks {ministry} di komdigi.go.id",
                                "en": "the hoax register of {ministry} at komdigi.go.id"},
    "prov.synthetic.survey": {"id": "survei {files}", "en": "survey {files}"},
    "prov.synthetic_not.survey": {"id": "survei lapangan", "en": "a field survey"},
    # the sample's province results are KPU figures with some invalid votes made up
    "prov.synthetic.election": {"id": "hasil pemilu presiden {years}, sebagian angka KPU",
                                "en": "presidential election results {years}, partly KPU "
                                      "figures"},
    "prov.synthetic_not.election": {"id": "rekap resmi KPU", "en": "the official KPU count"},
    "prov.synthetic.election_regency": {"id": "hasil pemilu presiden per kabupaten/kota {years}",
                                        "en": "presidential election results by regency "
                                              "{years}"},
    "prov.synthetic_not.election_regency": {"id": "rekap resmi KPU",
                                            "en": "the official KPU count"},
    "prov.synthetic.experiment": {"id": "uji simulasi, rencana beku {plans}",
                                  "en": "simulated experiment, frozen plans {plans}"},
    "prov.synthetic_not.experiment": {"id": "uji sebenarnya", "en": "a real experiment"},
    # sample data behind the numbers that no kind's sentence names (the waves catalogue)
    "prov.synthetic_other": {"id": "Sumber: sebagian data di balik angka ini DATA CONTOH "
                                   "SINTETIS, bukan data sebenarnya.",
                             "en": "Source: some data behind these numbers is SYNTHETIC "
                                   "SAMPLE DATA, not real data."},
    # inside a figure's image, so a crop of the subtitle or source leaves it: both languages
    "prov.watermark": {"id": "DATA CONTOH / SAMPLE DATA", "en": "SAMPLE DATA / DATA CONTOH"},
    # the head of every page of a brief of sample data
    "prov.sample_page": {"id": "angka sintetis, bukan laporan sebenarnya; jangan dipublikasikan",
                         "en": "synthetic numbers, not real reports; do not publish"},
    # the Kanal page (issue 17): every channel per wave; measures keyed by their export columns
    "metric.impressions": {"id": "Tayangan", "en": "Impressions"},
    "metric.unique_devices": {"id": "Perangkat unik", "en": "Unique devices"},
    "metric.clicks": {"id": "Klik", "en": "Clicks"},
    "metric.click_rate": {"id": "Rasio klik", "en": "Click rate"},
    "metric.impressions_with_link": {"id": "Tayangan bertautan", "en": "Impressions with a link"},
    "metric.updates": {"id": "Unggahan", "en": "Updates"},
    "metric.views": {"id": "Dilihat", "en": "Views"},
    "metric.reactions": {"id": "Reaksi", "en": "Reactions"},
    "metric.forwards": {"id": "Diteruskan", "en": "Forwards"},
    "metric.followers": {"id": "Pengikut", "en": "Followers"},
    "metric.gained": {"id": "Pengikut baru", "en": "Followers gained"},
    "metric.lost": {"id": "Berhenti mengikuti", "en": "Followers lost"},
    "metric.accounts_reached_30d": {"id": "Akun terjangkau (30 hari)",
                                    "en": "Accounts reached (30 days)"},
    "metric.updates_posted": {"id": "Unggahan hari itu", "en": "Updates that day"},
    "col.channel": {"id": "Kanal", "en": "Channel"},
    "col.in_catalogue": {"id": "Ada di katalog", "en": "In the catalogue"},
    "col.sent_date": {"id": "Tanggal kirim", "en": "Sent on"},
    "col.first_send_date": {"id": "Kirim pertama", "en": "First send date"},
    "col.last_send_date": {"id": "Kirim terakhir", "en": "Last send date"},
    "col.message_text": {"id": "Teks pesan", "en": "Message text"},
    "col.update_id": {"id": "ID unggahan", "en": "Update ID"},
    "col.posted_at": {"id": "Waktu unggah (WIB)", "en": "Posted at (WIB)"},
    "col.posted_date": {"id": "Tanggal unggah", "en": "Posted on"},
    "col.insight_date": {"id": "Tanggal", "en": "Date"},
    "chart.channel_waves.sms": {"id": "SMS: diterima dan jangkauan unik per gelombang",
                                "en": "SMS: delivered and unique reach by wave"},
    "chart.channel_waves.status_bar": {
        "id": "Status bar: tayangan dan perangkat unik per gelombang",
        "en": "Status bar: impressions and unique devices by wave"},
    "chart.channel_waves.whatsapp_channel": {"id": "Saluran WhatsApp: dilihat per gelombang",
                                             "en": "WhatsApp Channel: views by wave"},
    "chart.status_bar_operators.title": {"id": "Status bar: {metric} per gelombang dan operator",
                                         "en": "Status bar: {metric} by wave and operator"},
    "chart.status_bar_map.title": {"id": "Status bar: {metric} per provinsi",
                                   "en": "Status bar: {metric} by province"},
    "chart.wa_updates.title": {"id": "Saluran WhatsApp: dilihat, reaksi dan diteruskan per "
                                     "unggahan",
                               "en": "WhatsApp Channel: views, reactions and forwards per "
                                     "update"},
    "chart.wa_followers.title": {"id": "Saluran WhatsApp: pengikut per hari",
                                 "en": "WhatsApp Channel: followers by day"},
    "chart.posting_day": {"id": "Hari unggah", "en": "Posting day"},
    "chart.no_wave": {"id": "tanpa gelombang", "en": "no wave"},
    "chart.unknown_wave_short": {"id": "{wave} (tak dikenal)", "en": "{wave} (unknown)"},
    "chart.unknown_wave_rate": {"id": "Gelombang tak dikenal (di luar tren)",
                                "en": "Unknown wave (not in the trend)"},
    "chart.no_link": {"id": "tanpa tautan", "en": "no link"},
    "ui.channels_caption": {
        "id": "Setiap kanal kampanye per gelombang, berdampingan: SMS, teks status bar operator "
              "dan Saluran WhatsApp. Tiap kanal punya ukurannya sendiri (pesan diterima, "
              "tayangan, dilihat): bandingkan gelombang dalam satu kanal, bukan angka antarkanal.",
        "en": "Every channel of the campaign per wave, side by side: SMS, the operators' "
              "status-bar text and the WhatsApp Channel. Each channel has its own measure "
              "(messages delivered, impressions, views): compare waves within a channel, not "
              "numbers across channels."},
    "ui.channels_filters_note": {
        "id": "Periode berlaku untuk semua kanal; operator dan provinsi untuk SMS dan status "
              "bar; filter gelombang hanya untuk gelombang SMS.",
        "en": "The period applies to every channel; operators and provinces to SMS and the "
              "status bar; the wave filter to SMS waves only."},
    "ui.channels_no_data": {
        "id": "Belum ada data kanal apa pun: laporan pengiriman SMS, tayangan status bar atau "
              "statistik Saluran WhatsApp. Muat file di halaman Kualitas data.",
        "en": "No channel data loaded yet: SMS delivery receipts, status-bar impressions or "
              "WhatsApp Channel statistics. Load files on the Data quality page."},
    "empty.no_status_bar": {"id": "Belum ada data tayangan status bar yang dimuat.",
                            "en": "No status-bar impressions loaded yet."},
    "empty.no_whatsapp": {"id": "Belum ada data Saluran WhatsApp yang dimuat.",
                          "en": "No WhatsApp Channel data loaded yet."},
    "ui.channel_filtered_out": {"id": "Tidak ada data {channel} dalam filter ini.",
                                "en": "No {channel} data within these filters."},
    "ui.sms_wave_reach_note": {
        "id": "Jangkauan unik per gelombang: nomor berbeda yang menerima gelombang itu; nomor "
              "yang menerima dua gelombang terhitung di keduanya.",
        "en": "Unique reach per wave: distinct numbers that received that wave; a number "
              "reached by two waves counts in both."},
    "ui.status_bar_devices_note": {
        "id": "Tayangan dan perangkat unik menurut laporan operator, dijumlahkan per hari dan "
              "provinsi: perangkat yang terlihat di beberapa hari atau provinsi terhitung di "
              "masing-masing, jadi jumlah perangkat unik adalah batas atas perangkat berbeda.",
        "en": "Impressions and unique devices as the operators report them, summed over days "
              "and provinces: a device seen on several days or in several provinces counts in "
              "each, so the unique devices are an upper bound of distinct devices."},
    "ui.click_rate_note": {
        "id": "Rasio klik = klik dibagi tayangan teks yang memiliki tautan. Tanpa batang: teks "
              "gelombang itu tanpa tautan, jadi klik tidak tercatat.",
        "en": "Click rate = clicks over the impressions of texts with a link. No bar: that "
              "wave's text had no link, so no clicks were counted."},
    "note.status_bar_unknown_province": {
        "id": "{n} tayangan tanpa provinsi yang dikenali: ikut dihitung di total, tidak di peta.",
        "en": "{n} impressions without a recognised province: counted in the totals, not on "
              "the map."},
    "ui.whatsapp_national": {
        "id": "Saluran WhatsApp hanya punya angka nasional: WhatsApp tidak memberi rincian "
              "operator atau provinsi, jadi filter operator dan provinsi tidak berlaku di bagian "
              "ini (periode tetap berlaku).",
        "en": "The WhatsApp Channel has national numbers only: WhatsApp gives no breakdown by "
              "operator or province, so the operator and province filters do not apply to "
              "this section (the period still does)."},
    "ui.whatsapp_national_scope": {
        "id": "Angka nasional, bukan hanya provinsi cakupan Anda: WhatsApp tidak memberi "
              "rincian per provinsi.",
        "en": "National numbers, not only your provinces: WhatsApp gives no breakdown by "
              "province."},
    "ui.followers_on": {"id": "Pengikut pada {day}", "en": "Followers on {day}"},
    "ui.followers_change_help": {"id": "Perubahan sejak hari insight pertama dalam periode.",
                                 "en": "Change since the first insight day in the period."},
    "ui.by_wave": {"id": "Per gelombang", "en": "By wave"},
    "ui.wave_table": {"id": "Tabel per gelombang", "en": "Table by wave"},
    "ui.updates_table": {"id": "Tabel per unggahan", "en": "Table by update"},
    "ui.daily_table": {"id": "Tabel insight harian", "en": "Table of daily insights"},
    "ui.download_channel_wave": {"id": "Unduh CSV: semua kanal per gelombang",
                                 "en": "Download CSV: every channel by wave"},
    # the campaign's other channels (issue 17): the Kanal page's sources
    "prov.status_bar": {"id": "Sumber: laporan tayangan status bar {operators} ({waves}).",
                        "en": "Source: status-bar impression reports of {operators} ({waves})."},
    "prov.wa_updates": {"id": "Sumber: ekspor statistik Saluran WhatsApp ({n} unggahan).",
                        "en": "Source: WhatsApp Channel statistics export ({n} updates)."},
    "prov.wa_daily": {"id": "Sumber: insight harian Saluran WhatsApp, {first} – {last}.",
                      "en": "Source: WhatsApp Channel daily insights, {first} – {last}."},
    "alert.rate_below": {"id": "Tingkat keberhasilan {who} {rate}, di bawah {threshold} "
                                "(pekan sampai {day}).",
                         "en": "{who}'s delivery rate is {rate}, below {threshold} (week to "
                               "{day})."},
    "alert.rate_drop": {"id": "Tingkat keberhasilan {who} turun {points} poin, dari {before} "
                               "menjadi {now}, dibanding pekan sebelumnya.",
                        "en": "{who}'s delivery rate fell {points} points, from {before} to "
                              "{now}, on the week before."},
    "alert.file_missing": {"id": "Belum ada laporan {who} untuk gelombang {wave} (dikirim "
                                  "{day}), padahal {who} mengirim gelombang sebelumnya.",
                           "en": "No report from {who} for wave {wave} (sent {day}), though "
                                 "{who} delivered the earlier waves."},
    "alert.reject_rate": {"id": "{share} baris file {file} ditolak (batas {threshold}).",
                          "en": "{share} of the rows of {file} were rejected (limit "
                                "{threshold})."},
    "alert.warning_rate": {"id": "Peringatan pada file {file} sebanyak {share} dari jumlah "
                                 "barisnya (batas {threshold}).",
                           "en": "The warnings on {file} come to {share} of its rows (limit "
                                 "{threshold})."},
    "alert.hoax_stale": {"id": "Tidak ada data hoaks baru selama lebih dari {weeks} pekan "
                                "(terakhir {last}).",
                         "en": "No new hoax data for more than {weeks} weeks (last {last})."},
    "alert.title": {"id": "Peringatan", "en": "Alerts"},
    "deliver.attached": {"id": "Ringkasan lengkap terlampir (PDF).",
                         "en": "The full brief is attached (PDF)."},
    "progress.left": {"id": "sekitar {seconds} detik lagi", "en": "about {seconds} s left"},
    # a load's stages (ingest/receipts.py) and the rows read so far
    "progress.reading": {"id": "membaca dan memeriksa", "en": "reading and validating"},
    "progress.matching": {"id": "mencocokkan dengan laporan tersimpan",
                          "en": "matching against stored receipts"},
    "progress.writing": {"id": "menulis", "en": "writing"},
    "progress.rollups": {"id": "memperbarui ringkasan", "en": "updating rollups"},
    "progress.done": {"id": "selesai", "en": "done"},
    "progress.rows": {"id": "{rows} baris", "en": "{rows} rows"},
    "progress.one_row": {"id": "{rows} baris", "en": "{rows} row"},
    "status.last_loaded": {"id": "Data terakhir dimuat {when}", "en": "Data last loaded {when}"},
    "status.loading": {"id": "Pemuatan sedang berjalan; halaman akan menampilkan hasilnya "
                              "setelah selesai.",
                       "en": "A load is running; pages show its result once it is done."},
    "prov.notes_title": {"id": "sumber", "en": "source"},
    "platform.other": {"id": "Lainnya", "en": "Other"},
    "filter.wave": {"id": "Gelombang", "en": "Wave"},
    "filter.operator": {"id": "Operator", "en": "Operator"},
    "filter.province": {"id": "Provinsi", "en": "Province"},
    "filter.channel": {"id": "Kanal", "en": "Channel"},
    "filter.all": {"id": "Semua", "en": "All"},
    "filter.reset": {"id": "Atur ulang filter", "en": "Reset filters"},
    "ui.url_unknown": {"id": "Tautan ini memuat nilai yang tidak dikenali dan diabaikan: "
                             "{values}.",
                       "en": "This link holds values that were not recognised and are "
                             "ignored: {values}."},
    "filter.date_from": {"id": "Dari", "en": "From"},
    # the command line's refusal of a filter value (dashboard/cli.py _filters)
    "cli.unknown_value": {"id": "{option} {value} tidak dikenal dan tidak cocok dengan data "
                                "apa pun; yang dikenal: {known}",
                          "en": "{option} {value} is not known and matches no data; known: "
                                "{known}"},
    "cli.no_waves": {"id": "belum ada gelombang dengan tanda terima",
                     "en": "no waves with receipts yet"},
    "cli.reversed_period": {"id": "periode terbalik: --from {start} jatuh setelah --to {end}",
                            "en": "reversed period: --from {start} is after --to {end}"},
    # the command line's other reasons on stderr (dashboard/cli.py), in --lang / $PEMILU_LANG
    "cli.unknown_table": {"id": "tabel {name} tidak dikenal; pilih salah satu dari {known}",
                          "en": "unknown table {name}; choose one of {known}"},
    "cli.unknown_figure": {"id": "grafik {name} tidak dikenal; pilih salah satu dari {known}",
                           "en": "unknown figure {name}; choose one of {known}"},
    "cli.no_database": {"id": "tidak ada basis data di {path}; jalankan dulu "
                              "`python -m dashboard init --sample`",
                        "en": "no database at {path}; run `python -m dashboard init --sample` "
                              "first"},
    "cli.no_folder": {"id": "tidak ada folder di {path}", "en": "no folder at {path}"},
    "cli.no_recipients": {"id": "tidak ada penerima: beri --to ALAMAT... atau --schedule BERKAS",
                          "en": "no recipients: give --to ADDRESS... or --schedule FILE"},
    "cli.files_failed": {"id": "{failed} dari {total} berkas gagal dimuat",
                         "en": "{failed} of {total} file(s) failed to load"},
    "cli.sample_failed": {"id": "{failed} berkas contoh gagal dimuat",
                          "en": "{failed} sample file(s) failed to load"},
    "cli.sample_plan": {"id": "rencana eksperimen contoh: {reason}",
                        "en": "the sample experiment's plan: {reason}"},
    "cli.verify_failed": {"id": "{failed} dari {total} berkas tidak cocok dengan catatan "
                                "muatnya",
                          "en": "{failed} of {total} file(s) do not match their log entry"},
    "cli.logo_unreadable": {"id": "logo {path} tidak dapat dibaca: {reason}",
                            "en": "cannot read the logo {path}: {reason}"},
    "cli.logo_invalid": {"id": "logo {path}: {reason}", "en": "logo {path}: {reason}"},
    "cli.db_in_use": {"id": "basis data {path} sedang dipakai proses lain{pid} yang bukan "
                            "aplikasi atau perintah dasbor ini (DuckDB hanya mengizinkan satu "
                            "proses membuka berkas untuk menulis): hentikan proses itu lalu "
                            "jalankan perintah ini lagi",
                      "en": "the database {path} is in use by another process{pid} that is not "
                            "this dashboard's app or command (DuckDB allows one process to open "
                            "a file for writing): stop it and run this command again"},
    "cli.db_full": {"id": "basis data {path} tidak dapat ditulis: disk penuh atau berkas sudah "
                          "mencapai batas ukurannya ({reason}); kosongkan sebagian ruang lalu "
                          "jalankan perintah lagi (berkas yang dimuat sebelumnya tetap ada)",
                    "en": "could not write the database {path}: the disk is full or the file is "
                          "at its size limit ({reason}); free some space and run the command "
                          "again (files loaded before are kept)"},
    "cli.db_incomplete": {"id": "basis data {path} tidak lengkap ({size} bita): pembuatannya "
                                "terputus; hapus berkas itu lalu jalankan perintah lagi",
                          "en": "the database {path} is incomplete ({size} bytes): its creation "
                                "was interrupted; delete the file and run the command again"},
    "cli.db_not_duckdb": {"id": "{path} bukan berkas basis data DuckDB, atau rusak; periksa --db "
                                "atau ${env}",
                          "en": "{path} is not a DuckDB database file, or is damaged; check --db "
                                "or ${env}"},
    "cli.db_cannot_open": {"id": "basis data {path} tidak dapat dibuka ({reason}); pilih --db "
                                 "atau ${env} lain",
                           "en": "cannot open the database {path} ({reason}); choose another "
                                 "--db or ${env}"},
    "cli.db_cannot_open_for_writing": {
        "id": "basis data {path} tidak dapat dibuka untuk menulis ({reason}); pilih --db atau "
              "${env} lain",
        "en": "cannot open the database {path} for writing ({reason}); choose another --db or "
              "${env}"},
    "cli.not_a_folder": {"id": "{path} adalah berkas, bukan folder",
                         "en": "{path} is a file, not a folder"},
    "cli.output_full": {"id": "{what} {path} tidak dapat ditulis: disk penuh atau sebuah berkas "
                              "sudah mencapai batas ukurannya ({reason}); kosongkan sebagian ruang "
                              "lalu jalankan perintah lagi{kept}",
                        "en": "could not write {what} {path}: the disk is full or a file is at "
                              "its size limit ({reason}); free some space and run the command "
                              "again{kept}"},
    "cli.output_failed": {"id": "{what} {path} tidak dapat ditulis: {reason}{where}{kept}",
                          "en": "could not write {what} {path}: {reason}{where}{kept}"},
    "cli.output.export": {"id": "ekspor", "en": "the export"},
    "cli.output.lake": {"id": "lake", "en": "the lake"},
    "cli.output.brief": {"id": "ringkasan", "en": "the brief"},
    "cli.output.figure": {"id": "grafik", "en": "the figure"},
    "cli.output.plan_pdf": {"id": "PDF rencana", "en": "the plan PDF"},
    "cli.output.plan": {"id": "rencana", "en": "the plan"},
    "cli.lake_kept": {"id": "lake sebelumnya, bila ada, tetap disimpan",
                      "en": "the previous lake, if any, is kept"},
    # argparse's own refusals of the command line, said in the CLI's language (cli._Parser)
    "cli.bad_date": {"id": "{value} bukan tanggal; tulis YYYY-MM-DD, mis. 2024-02-14",
                     "en": "{value} is not a date; write YYYY-MM-DD, e.g. 2024-02-14"},
    "cli.arg_invalid_choice": {"id": "argumen {option}: pilihan {value} tidak valid (pilih dari "
                                     "{choices})",
                               "en": "argument {option}: invalid choice: {value} (choose from "
                                     "{choices})"},
    "cli.arg_invalid_value": {"id": "argumen {option}: nilai {value} tidak valid",
                              "en": "argument {option}: invalid value {value}"},
    "cli.arg_expected_one": {"id": "argumen {option}: perlu satu nilai",
                             "en": "argument {option}: expected one argument"},
    "cli.arg_other": {"id": "argumen {option}: {message}", "en": "argument {option}: {message}"},
    "cli.arg_required": {"id": "argumen berikut wajib diisi: {names}",
                         "en": "the following arguments are required: {names}"},
    "cli.arg_unrecognized": {"id": "argumen tidak dikenal: {names}",
                             "en": "unrecognized arguments: {names}"},
    # the command line's summaries on stdout (dashboard/cli.py), in the run's language
    "cli.init_stand_ins": {"id": "ID pesan tersimpan yang berbentuk nomor telepon ditulis ulang "
                                 "sebagai pengganti: {count}",
                           "en": "stored message ids shaped like a phone number rewritten as "
                                 "stand-ins: {count}"},
    "cli.init_ready": {"id": "basis data siap: {path}", "en": "database ready: {path}"},
    "cli.init_sample_plan": {"id": "rencana eksperimen contoh dibekukan: {experiment}",
                             "en": "sample experiment plan frozen: {experiment}"},
    "cli.export_written": {"id": "{table}: {rows} baris ditulis ke {out}",
                           "en": "{table}: {rows} rows written to {out}"},
    "cli.deliver_alerts_sent": {"id": "{new} peringatan baru dikirim ke {recipients} penerima",
                                "en": "{new} new alert(s) sent to {recipients} recipient(s)"},
    "cli.deliver_sent": {"id": "ringkasan {week} dikirim ke {count} penerima: {addresses}",
                         "en": "brief {week} sent to {count} recipient(s): {addresses}"},
    "cli.alerts_fired": {"id": "{fired} peringatan dari {rules} aturan",
                         "en": "{fired} alert(s) from {rules} rule(s)"},
    "cli.backup_written": {"id": "cadangan {path} ditulis ke {dest}",
                           "en": "backup of {path} written to {dest}"},
    "cli.restored": {"id": "{path} dipulihkan dari {source} ({files} berkas dalam catatan "
                           "muatnya)",
                     "en": "{path} restored from {source} ({files} files in its load log)"},
    "cli.retention_deleted": {"id": "retensi: {receipts} baris receipts dan {rejects} baris "
                                    "rejects dihapus",
                              "en": "retention: {receipts} receipts rows and {rejects} rejects "
                                    "rows deleted"},
    "cli.lake_written": {"id": "{rows} tanda terima ditulis ke {out} (dipartisi menurut "
                               "{columns})",
                         "en": "{rows} receipts written to {out} (partitioned by {columns})"},
    "cli.brief_written": {"id": "ringkasan {week} ({fmt}) ditulis ke {out}",
                          "en": "brief {week} ({fmt}) written to {out}"},
    "cli.figure_written": {"id": "{name}: {fmt} ({size}) ditulis ke {out}",
                           "en": "{name}: {fmt} ({size}) written to {out}"},
    "cli.cluster_needs": {"id": "perintah cluster memerlukan {module} (pip install -r "
                                "requirements-dev.txt) dan runtime Java",
                          "en": "the cluster commands need {module} (pip install -r "
                                "requirements-dev.txt) and a Java runtime"},
    # `experiment ...` on the command line (experiment/cli_commands.py)
    "cli.exp.plan_unreadable": {"id": "rencana {path} tidak dapat dibaca: {reason}",
                                "en": "cannot read the plan {path}: {reason}"},
    "cli.exp.frozen": {"id": "eksperimen {experiment} dibekukan: SHA-256 {sha}",
                       "en": "experiment {experiment} frozen: SHA-256 {sha}"},
    "cli.exp.frozen_late": {"id": "peringatan: tanda terima gelombang {waves} sudah dimuat "
                                  "sebelum rencana dibekukan; rencana seharusnya dibekukan "
                                  "sebelum gelombang pertamanya",
                            "en": "warning: receipts of wave(s) {waves} were loaded before the "
                                  "plan was frozen; a plan is meant to be frozen before its "
                                  "first wave"},
    "cli.exp.verified": {"id": "{path} adalah rencana beku eksperimen {experiment}: SHA-256 "
                               "{sha}",
                         "en": "{path} is the frozen plan of experiment {experiment}: SHA-256 "
                               "{sha}"},
    "cli.exp.pdf_frozen": {"id": "beku, SHA-256 {sha}", "en": "frozen, SHA-256 {sha}"},
    "cli.exp.pdf_draft": {"id": "DRAF: belum dibekukan di basis data",
                          "en": "DRAFT: not frozen in the database"},
    "cli.exp.pdf_written": {"id": "rencana {experiment} ({state}) ditulis ke {out}",
                            "en": "plan {experiment} ({state}) written to {out}"},
    "cli.exp.no_rule": {"id": "rencana klaster tidak memiliki aturan hold-out untuk operator: "
                              "unit yang ditahan tercantum dalam rencana (experiment pdf)",
                        "en": "a cluster plan has no hold-out rule for operators: its held-out "
                              "units are listed in the plan (experiment pdf)"},
    "cli.exp.no_units.regency": {"id": "tidak ada kabupaten/kota dalam daftar rujukan basis data "
                                       "ini",
                                 "en": "no regency in the reference lists of this database"},
    "cli.exp.no_units.province": {"id": "tidak ada provinsi dalam daftar rujukan basis data ini",
                                  "en": "no province in the reference lists of this database"},
    "cli.exp.plan_written": {"id": "rencana {experiment} ({design}, {unit}, gelombang {waves}, "
                                   "porsi {share}, seed {seed}) ditulis ke {out}: masih DRAF "
                                   "sampai dibekukan",
                             "en": "plan {experiment} ({design}, {unit}, waves {waves}, share "
                                   "{share}, seed {seed}) written to {out}: a DRAFT until "
                                   "frozen"},
    "cli.exp.plan_held_out": {"id": "  {held} dari {units} unit ditahan",
                              "en": "  {held} of {units} units held out"},
    "cli.exp.plan_strata": {"id": "  {strata} strata (operator x provinsi), salt {salt}",
                            "en": "  {strata} strata (operator x province), salt {salt}"},
    "cli.exp.plan_mde": {"id": "  MDE {outcome}: {formula} poin (rumus)",
                         "en": "  MDE {outcome}: {formula} points (formula)"},
    "cli.exp.plan_mde_simulated": {"id": "  MDE {outcome}: {formula} poin (rumus), {simulation} "
                                         "poin (simulasi)",
                                   "en": "  MDE {outcome}: {formula} points (formula), "
                                         "{simulation} points (simulation)"},
    "cli.exp.plan_no_power": {"id": "  tanpa analisis daya uji: belum ada pasangan pemilu "
                                    "sebelumnya (atau survei) yang dimuat",
                              "en": "  no power analysis: no past pair of elections (or survey) "
                                    "loaded"},
    "cli.exp.plan_freeze": {"id": "  bekukan sebelum gelombang pertama: python -m dashboard "
                                  "experiment freeze {out}",
                            "en": "  freeze before the first wave: python -m dashboard "
                                  "experiment freeze {out}"},
    # the hold-out rule's refusals (experiment/holdout.py HoldoutError)
    "exp.holdout.salt_hex": {"id": "salt harus heksadesimal", "en": "the salt must be hexadecimal"},
    "exp.holdout.salt_bytes": {"id": "salt harus 1 sampai {most} bita",
                               "en": "the salt must be 1 to {most} bytes"},
    "exp.holdout.no_stratum": {"id": "tidak ada strata untuk operator {operator}",
                               "en": "no stratum for operator {operator}"},
    "exp.holdout.no_strata": {"id": "tidak ada strata", "en": "no strata"},
    "exp.holdout.threshold": {"id": "ambang {threshold} di luar 0..{most}",
                              "en": "threshold {threshold} outside 0..{most}"},
    "exp.holdout.operator_id": {"id": "ID operator {operator}: hanya huruf, angka dan '_'",
                                "en": "operator id {operator}: letters, digits and '_' only"},
    "setting.write_wait": {"id": "{env} harus berupa jumlah detik, bukan {value}",
                           "en": "{env} must be a number of seconds, not {value}"},
    # the store's refusals (store/snapshots.py WriterBusy, store/db.py SchemaBehind)
    "store.writer_busy": {"id": "proses lain sudah menulis ke {path} lebih dari {seconds} dtk "
                                "(pemuatan atau unggahan); coba lagi setelah selesai, atau "
                                "naikkan ${env}",
                          "en": "another process has been writing to {path} for more than "
                                "{seconds} s (a load or an upload); try again when it has "
                                "finished, or raise ${env}"},
    "store.schema_behind": {"id": "basis data {path} dibuat oleh versi sebelumnya (skema "
                                  "{version}, versi ini memerlukan {latest}); buka sekali untuk "
                                  "menulis agar diperbarui, misalnya `python -m dashboard init "
                                  "--db {path}`",
                            "en": "the database {path} was made by an earlier version (schema "
                                  "{version}, this version needs {latest}); open it once for "
                                  "writing to update it, e.g. `python -m dashboard init --db "
                                  "{path}`"},
    "store.macros_behind": {"id": "basis data {path} terakhir ditulis oleh versi lain (makro "
                                  "kuerinya berbeda dari versi ini); buka sekali untuk menulis "
                                  "agar diperbarui, misalnya `python -m dashboard init --db "
                                  "{path}`",
                            "en": "the database {path} was last written by another version (its "
                                  "query macros differ from this version's); open it once for "
                                  "writing to update them, e.g. `python -m dashboard init --db "
                                  "{path}`"},
    # the lake's refusals of --out (store/lake.py LakeError)
    "lake.error.a_file": {"id": "{folder} adalah berkas, bukan folder; pilih sebuah folder untuk "
                                "lake (tidak ada yang dihapus)",
                          "en": "{folder} is a file, not a folder; choose a folder for the lake "
                                "(nothing was deleted)"},
    "lake.error.not_a_lake": {"id": "{folder} tidak kosong dan tidak memuat lake yang ditulis "
                                    "perintah ini (tidak ada berkas {marker}); pilih folder baru "
                                    "atau kosong (tidak ada yang dihapus)",
                              "en": "{folder} is not empty and holds no lake written by this "
                                    "command (no {marker} file); choose a new or empty folder "
                                    "(nothing was deleted)"},
    "lake.error.other_files": {"id": "{folder} memuat lake yang ditulis sebelumnya dan berkas "
                                     "lain ({listed}); pindahkan berkas itu atau pilih folder "
                                     "lain (tidak ada yang dihapus)",
                               "en": "{folder} holds a lake written before and other files "
                                     "({listed}); move them or choose another folder (nothing "
                                     "was deleted)"},
    "lake.error.other_files_more": {
        "id": "{folder} memuat lake yang ditulis sebelumnya dan berkas lain ({listed} dan {more} "
              "lainnya); pindahkan berkas itu atau pilih folder lain (tidak ada yang dihapus)",
        "en": "{folder} holds a lake written before and other files ({listed} and {more} "
              "more); move them or choose another folder (nothing was deleted)"},
    # backup, restore and retention (store/backup.py BackupError)
    "backup.error.no_database": {"id": "tidak ada basis data di {path}",
                                 "en": "no database at {path}"},
    "backup.error.not_a_backup": {"id": "{source} bukan cadangan basis data dasbor ini "
                                        "({detail}); tidak ada yang diubah",
                                  "en": "{source} is not a backup of this dashboard's database "
                                        "({detail}); nothing was changed"},
    "backup.error.cannot_replace": {"id": "{source} tidak dapat menggantikan basis data: "
                                          "{detail}; tidak ada yang diubah",
                                    "en": "{source} cannot replace the database: {detail}; "
                                          "nothing was changed"},
    "backup.error.retention_days": {"id": "retensi harus menyimpan sedikitnya satu hari",
                                    "en": "retention must keep at least one day"},
    # the reports' refusals the command line says (reports/tables.py, reports/weekly.py)
    "tables.reach_cells_not_current": {
        "id": "jangkauan unik per gelombang, operator dan provinsi tidak tersedia: rollup "
              "reach_cells tidak ada atau sudah usang; buka basis data untuk menulis sekali "
              "(python -m dashboard init --db PATH) untuk membangunnya kembali",
        "en": "exact reach per wave, operator and province is not available: the rollup "
              "reach_cells is missing or out of date; open the database for writing once "
              "(python -m dashboard init --db PATH) to rebuild it"},
    "weekly.error.not_a_week": {"id": "{week} bukan minggu ISO; tulis seperti 2024-W06",
                                "en": "not an ISO week {week}; write it like 2024-W06"},
    "weekly.error.no_such_week": {"id": "tahun {year} tidak memiliki minggu ISO {week}",
                                  "en": "{year} has no ISO week {week}"},
    "weekly.error.no_receipts": {"id": "belum ada tanda terima yang dimuat; muat dulu berkas "
                                       "operator",
                                 "en": "no receipts loaded yet; load operator files first"},
    # settings from the environment (config.py SettingError)
    "setting.mode": {"id": "{env} harus 'production' (atau 'prod') atau 'development' (atau "
                           "'dev'), bukan {value}",
                     "en": "{env} must be 'production' (or 'prod') or 'development' (or "
                           "'dev'), not {value}"},
    "setting.secret_hint": {"id": "gunakan nilai acak sepanjang {length} karakter atau lebih, "
                                  "mis. dari `python -c \"import secrets; "
                                  "print(secrets.token_urlsafe(32))\"`",
                            "en": "use a random value of {length} or more characters, e.g. from "
                                  "`python -c \"import secrets; "
                                  "print(secrets.token_urlsafe(32))\"`"},
    "setting.secret_unset": {"id": "{secret} wajib diisi bila {mode} adalah production: {hint}",
                             "en": "{secret} must be set when {mode} is production: {hint}"},
    "setting.secret_dev": {"id": "{secret} (dengan {mode}={mode_value}) adalah kunci "
                                 "pengembangan, yang bersifat publik: {hint}",
                           "en": "{secret} (with {mode}={mode_value}) is the development key, "
                                 "which is public: {hint}"},
    "setting.secret_short": {"id": "{secret} (dengan {mode}={mode_value}) hanya {length} "
                                   "karakter; production memerlukan sedikitnya {needed} "
                                   "karakter: {hint}",
                             "en": "{secret} (with {mode}={mode_value}) has {length} characters; "
                                   "production needs at least {needed} characters: {hint}"},
    "setting.exact_reach": {"id": "{env} harus berupa jumlah baris, 'exact' atau 'approximate', "
                                  "bukan {value}",
                            "en": "{env} must be a number of rows, 'exact' or 'approximate', "
                                  "not {value}"},
    "setting.exact_reach_negative": {"id": "{env} tidak boleh negatif, bukan {value}",
                                     "en": "{env} must not be negative, not {value}"},
    "setting.cli_nice": {"id": "{env} harus bilangan bulat dari 0 sampai 19, bukan {value}",
                         "en": "{env} must be a whole number from 0 to 19, not {value}"},
    "setting.max_uncompressed": {"id": "{env} harus berupa jumlah GB, bukan {value}",
                                 "en": "{env} must be a number of GB, not {value}"},
    "filter.date_to": {"id": "Sampai", "en": "To"},
    # metrics (keys are the export contract's column names)
    "metric.sent": {"id": "Terkirim", "en": "Sent"},
    "metric.delivered": {"id": "Diterima", "en": "Delivered"},
    "metric.delivery_rate": {"id": "Tingkat keberhasilan", "en": "Delivery rate"},
    "metric.unique_reach": {"id": "Jangkauan unik", "en": "Unique reach"},
    "metric.pending": {"id": "Tertunda", "en": "Pending"},
    # shown per 1,000 voters everywhere (charts.style.PER_VOTERS), so the label says so
    "metric.delivered_per_voter": {"id": "Diterima per 1.000 pemilih",
                                   "en": "Delivered per 1,000 voters"},
    "metric.unique_reach_per_voter": {
        "id": "Jangkauan unik per 1.000 pemilih",
        "en": "Unique reach per 1,000 voters",
    },
    "metric.latency": {"id": "Latensi pengiriman", "en": "Delivery latency"},
    "metric.latency_p50_s": {"id": "Latensi p50 (median)", "en": "Latency p50 (median)"},
    "metric.latency_p90_s": {"id": "Latensi p90", "en": "Latency p90"},
    "metric.latency_p99_s": {"id": "Latensi p99", "en": "Latency p99"},
    "metric.n": {"id": "Jumlah", "en": "Count"},
    "metric.turnout": {"id": "Partisipasi pemilih", "en": "Turnout"},
    "metric.turnout_change": {"id": "Perubahan partisipasi", "en": "Turnout change"},
    "metric.invalid_rate": {"id": "Tingkat suara tidak sah", "en": "Invalid vote rate"},
    "metric.dpt": {"id": "Pemilih terdaftar (DPT)", "en": "Registered voters (DPT)"},
    "metric.issues": {"id": "Isu hoaks", "en": "Hoax issues"},
    "metric.content_items": {"id": "Konten", "en": "Content items"},
    "metric.taken_down": {"id": "Diturunkan", "en": "Taken down"},
    # chart titles, axes and legends
    "chart.no_data": {"id": "Tidak ada data", "en": "No data"},
    "chart.operator": {"id": "Operator", "en": "Operator"},
    "chart.province": {"id": "Provinsi", "en": "Province"},
    "chart.wave": {"id": "Gelombang", "en": "Wave"},
    "chart.date": {"id": "Tanggal", "en": "Date"},
    "chart.week": {"id": "Pekan", "en": "Week"},
    "chart.count": {"id": "Jumlah", "en": "Count"},
    "chart.messages": {"id": "Pesan", "en": "Messages"},
    "chart.error_code": {"id": "Kode kesalahan", "en": "Error code"},
    "chart.percentile": {"id": "Persentil", "en": "Percentile"},
    "chart.latency_axis": {
        "id": "Waktu dari kirim sampai diterima (skala log)",
        "en": "Time from submit to delivery (log scale)",
    },
    "chart.operator_bars.title": {"id": "{metric} per operator", "en": "{metric} by operator"},
    "chart.wave_trend.title": {
        "id": "Terkirim dan diterima per gelombang",
        "en": "Sent and delivered by wave",
    },
    "chart.daily_trend.title": {"id": "Pengiriman harian", "en": "Daily deliveries"},
    "chart.daily_trend.by_operator": {
        "id": "Diterima per hari menurut operator",
        "en": "Delivered per day by operator",
    },
    "chart.heatmap.title": {
        "id": "{metric} per operator dan provinsi",
        "en": "{metric} by operator and province",
    },
    "chart.heatmap.no_data": {
        "id": "abu-abu = tidak ada laporan pengiriman untuk operator di provinsi ini",
        "en": "grey = no delivery receipts for this operator in this province",
    },
    "chart.heatmap.outside_filter": {
        "id": "hanya {n} provinsi dalam filter; {outside} provinsi lain di luar filter",
        "en": "only the {n} provinces in the filter; {outside} others are outside the filter",
    },
    "chart.latency.title": {
        "id": "Latensi pengiriman per operator (p50 / p90 / p99)",
        "en": "Delivery latency by operator (p50 / p90 / p99)",
    },
    "chart.error_codes.title": {
        "id": "Kode kesalahan terbanyak",
        "en": "Most frequent error codes",
    },
    "chart.tilemap.title": {"id": "{metric} per provinsi", "en": "{metric} by province"},
    "chart.tilemap.no_data": {"id": "tanpa data", "en": "no data"},
    "chart.outside_filter": {"id": "di luar filter", "en": "outside the filter"},
    "chart.tilemap.per_voters": {"id": "per {n} pemilih", "en": "per {n} voters"},
    "chart.tilemap.highest": {"id": "Tertinggi", "en": "Highest"},
    "chart.tilemap.lowest": {"id": "Terendah", "en": "Lowest"},
    "chart.scale.thousand": {"id": "1.000", "en": "1,000"},
    "chart.ranking.title": {"id": "{metric}: peringkat provinsi",
                            "en": "{metric}: provinces ranked"},
    "chart.ranking.no_data": {"id": "Tanpa data: {names}.", "en": "No data: {names}."},
    "chart.ranking.outside": {"id": "Di luar filter: {n} provinsi.",
                              "en": "Outside the filter: {n} provinces."},
    "region.sumatera": {"id": "Sumatera", "en": "Sumatra"},
    "region.jawa": {"id": "Jawa", "en": "Java"},
    "region.kalimantan": {"id": "Kalimantan", "en": "Kalimantan"},
    "region.sulawesi": {"id": "Sulawesi", "en": "Sulawesi"},
    "region.bali_nusa_tenggara": {"id": "Bali & Nusa Tenggara", "en": "Bali & Nusa Tenggara"},
    "region.maluku": {"id": "Maluku", "en": "Maluku"},
    "region.papua": {"id": "Papua", "en": "Papua"},
    # empty states
    "empty.no_data": {
        "id": "Tidak ada data untuk filter yang dipilih.",
        "en": "No data for the selected filters.",
    },
    "empty.no_receipts": {
        "id": "Belum ada laporan pengiriman (delivery receipt) yang dimuat. "
        "Muat file di halaman Kualitas data.",
        "en": "No delivery receipts loaded yet. Load files on the Data quality page.",
    },
    "empty.no_election_results": {
        "id": "Belum ada hasil pemilu KPU yang dimuat.",
        "en": "No KPU election results loaded yet.",
    },
    "empty.no_survey": {"id": "Belum ada data survei.", "en": "No survey data yet."},
    "empty.no_hoax": {"id": "Belum ada data hoaks.", "en": "No hoax data yet."},
    "empty.no_week": {
        "id": "Tidak ada data untuk pekan {week}.",
        "en": "No data for week {week}.",
    },
    # notes shown beside numbers
    "note.per_voter": {
        "id": "Per 1.000 pemilih = dibagi DPT 2024, dikali 1.000. Bukan persentase pemilih: "
        "kartu SIM (350 juta) lebih banyak daripada pemilih (205 juta).",
        "en": "Per 1,000 voters = divided by the 2024 voter roll (DPT), times 1,000. Not a share "
        "of voters: SIM cards (350 million) outnumber voters (205 million).",
    },
    "note.association": {
        "id": "Ini asosiasi, bukan sebab-akibat.",
        "en": "This is an association, not causation.",
    },
    "note.unknown_province": {
        "id": "{n} pesan tanpa provinsi yang dikenali.",
        "en": "{n} messages without a recognised province.",
    },
    # common words
    "common.unknown": {"id": "Tidak diketahui", "en": "Unknown"},
    "common.unknown_province": {"id": "Provinsi tidak diketahui", "en": "Unknown province"},
    "common.total": {"id": "Total", "en": "Total"},
    "common.download_csv": {"id": "Unduh CSV", "en": "Download CSV"},
    "common.download_xlsx": {"id": "Unduh Excel", "en": "Download Excel"},
    "ui.download_for_excel": {"id": "Untuk Excel", "en": "For Excel"},
    "ui.download_notes": {"id": "Sumber (TXT)", "en": "Sources (TXT)"},
    "ui.download_notes_help": {
        "id": "Dari mana angka CSV berasal (sumber, periode, waktu data, dan tanda DATA CONTOH "
              "bila data contoh): CSV hanya berisi baris tabel. File XLSX dan CSV untuk Excel "
              "sudah memuatnya.",
        "en": "Where the CSV's numbers come from (sources, period, as-of time, and the SAMPLE "
              "DATA mark for sample data): the CSV holds the table's rows alone. The XLSX and "
              "the CSV for Excel already carry them."},
    "ui.download_for_excel_help": {
        "id": "Tabel yang sama sebagai XLSX, atau sebagai CSV untuk Excel berbahasa Indonesia "
              "(dipisah titik koma, koma desimal, angka dibulatkan seperti di halaman). CSV di "
              "sampingnya untuk mesin: tidak dibulatkan, titik desimal.",
        "en": "The same table as XLSX, or as a CSV for Excel with Indonesian settings "
              "(semicolon-separated, decimal commas, numbers rounded as the page shows them). "
              "The CSV beside it is for machines: unrounded, decimal points."},
    "ui.download_xlsx": {"id": "Unduh XLSX", "en": "Download XLSX"},
    "ui.download_csv_excel_id": {"id": "Unduh CSV (Excel Indonesia: ; dan koma desimal)",
                                 "en": "Download CSV (Indonesian Excel: ; and decimal comma)"},
    "common.download_png": {"id": "Unduh gambar (PNG)", "en": "Download image (PNG)"},
    "common.download_pdf": {"id": "Unduh PDF", "en": "Download PDF"},
    "common.source": {"id": "Sumber", "en": "Source"},
    "common.updated": {"id": "Diperbarui", "en": "Updated"},
    "common.week_of": {"id": "Pekan {week}", "en": "Week {week}"},
    # duration units
    "unit.seconds": {"id": "dtk", "en": "s"},
    "unit.minutes": {"id": "mnt", "en": "min"},
    "unit.hours": {"id": "jam", "en": "h"},
    "unit.days": {"id": "hari", "en": "d"},
    # compact number suffixes (thousand, million, billion)
    "unit.thousand": {"id": "rb", "en": "K"},
    "unit.million": {"id": "jt", "en": "M"},
    "unit.billion": {"id": "M", "en": "B"},
    # weekly summary
    "chart.weekly_trend.title": {"id": "Pesan diterima per pekan", "en": "Messages delivered per week"},
    "weekly.caption": {
        "id": "Satu pekan ISO (Senin-Minggu, hari kirim WIB) dibandingkan pekan sebelumnya; "
              "siap dicetak dan diunduh sebagai PDF atau HTML.",
        "en": "One ISO week (Monday-Sunday, WIB send days) against the week before; ready to "
              "print and to download as PDF or HTML.",
    },
    "weekly.choose_week": {"id": "Pekan (ISO)", "en": "Week (ISO)"},
    "weekly.brief_title": {"id": "Ringkasan Mingguan", "en": "Weekly Summary"},
    "weekly.kicker": {"id": "Pemilu Damai 2024 · Kampanye {ministry}",  # org.ministry
                      "en": "Pemilu Damai 2024 · {ministry} campaign"},
    "weekly.week": {"id": "Pekan", "en": "Week"},
    "weekly.vs_previous": {"id": "vs {week}", "en": "vs {week}"},
    "weekly.kpi.sent": {"id": "SMS terkirim", "en": "SMS sent"},
    "weekly.kpi.delivered": {"id": "SMS diterima", "en": "SMS delivered"},
    "weekly.kpi.delivery_rate": {"id": "Tingkat keberhasilan", "en": "Delivery rate"},
    "weekly.kpi.unique_reach": {"id": "Jangkauan unik pekan ini", "en": "Unique reach this week"},
    "weekly.kpi.cumulative_reach": {"id": "Jangkauan unik kumulatif",
                                    "en": "Cumulative unique reach"},
    "weekly.kpi.waves_sent": {"id": "Gelombang baru (semua kanal)",
                              "en": "New waves (all channels)"},
    "weekly.kpi.hoax_new": {"id": "Isu hoaks pemilu baru", "en": "New election-hoax issues"},
    "weekly.kpi.takedowns": {"id": "Konten hoaks diturunkan", "en": "Hoax items taken down"},
    "weekly.narrative": {"id": "Ringkasan pekan ini", "en": "This week in brief"},
    "weekly.finding": {"id": "Temuan statistik utama", "en": "Headline statistical finding"},
    "weekly.freshness": {"id": "Kesegaran data", "en": "Data freshness"},
    "weekly.operators": {"id": "Per operator", "en": "By operator"},
    # as many rows as provinces tie, or as had deliveries: no count in the title
    "weekly.top_provinces": {"id": "Provinsi tertinggi (diterima per 1.000 pemilih)",
                             "en": "Highest provinces (delivered per 1,000 voters)"},
    "weekly.bottom_provinces": {"id": "Provinsi terendah (diterima per 1.000 pemilih)",
                                "en": "Lowest provinces (delivered per 1,000 voters)"},
    "weekly.bottom_none": {"id": "Semua provinsi yang menerima pesan ada di daftar tertinggi.",
                           "en": "Every province that received messages is in the highest "
                                 "list."},
    "weekly.n_provinces": {"id": "{n} provinsi", "en": "{n} provinces"},
    "weekly.waves": {"id": "Gelombang baru pekan ini (semua kanal)",
                     "en": "New waves this week (all channels)"},
    "weekly.no_waves": {"id": "Tidak ada gelombang baru pekan ini di kanal mana pun.",
                        "en": "No new wave on any channel this week."},
    "weekly.section.delivery": {"id": "Pengiriman", "en": "Delivery"},
    "weekly.section.provinces": {"id": "Provinsi", "en": "Provinces"},
    "weekly.section.hoax": {"id": "Hoaks dan gelombang", "en": "Hoaxes and waves"},
    "weekly.caption.trend": {"id": "Pekan yang dipilih berwarna biru tua; garis abu-abu = terkirim.",
                             "en": "The chosen week in dark blue; grey dash = sent."},
    "weekly.caption.hoax": {"id": "12 pekan terakhir sampai pekan yang dipilih; segitiga = "
                                  "gelombang SMS.",
                            "en": "The last 12 weeks up to the chosen week; triangles = SMS "
                                  "waves."},
    "weekly.methods": {"id": "Catatan metode", "en": "Methods note"},
    "weekly.method.week": {
        "id": "Pekan = pekan ISO 8601 (Senin sampai Minggu) menurut tanggal kirim WIB; "
              "perbandingan selalu dengan pekan ISO sebelumnya.",
        "en": "Week = ISO 8601 week (Monday to Sunday) of the WIB send date; comparisons are "
              "always with the previous ISO week.",
    },
    "weekly.method.sent": {
        "id": "Terkirim = semua pesan yang diserahkan ke operator pada pekan itu; diterima = "
              "status akhir DELIVRD dalam laporan pengiriman (delivery receipt) operator.",
        "en": "Sent = every message handed to an operator that week; delivered = final state "
              "DELIVRD in the operators' delivery receipts.",
    },
    "weekly.method.rate": {
        "id": "Tingkat keberhasilan = diterima dibagi pesan berstatus akhir (pesan yang masih "
              "ENROUTE/SCHEDLD tidak dihitung).",
        "en": "Delivery rate = delivered divided by messages in a final state (messages still "
              "ENROUTE/SCHEDLD are left out).",
    },
    "weekly.method.reach": {
        "id": "Jangkauan unik = nomor berbeda (disamarkan) yang menerima minimal satu pesan; "
              "kumulatif = sejak gelombang pertama sampai akhir pekan.",
        "en": "Unique reach = distinct (pseudonymised) numbers with at least one delivered "
              "message; cumulative = from the first wave to the end of the week.",
    },
    "weekly.method.per_voter": {
        "id": "Per 1.000 pemilih = dibagi DPT 2024 provinsi, dikali 1.000. Kartu SIM lebih "
              "banyak daripada pemilih, jadi angka ini bukan persentase pemilih yang terjangkau.",
        "en": "Per 1,000 voters = divided by the province's 2024 voter roll (DPT), times 1,000. "
              "SIM cards outnumber voters, so this is not a share of voters reached.",
    },
    "weekly.method.hoax": {
        "id": "Isu hoaks baru = isu terkait pemilu dalam register hoaks menurut tanggal "
              "teridentifikasi; konten diturunkan = jumlah konten yang diturunkan untuk isu itu.",
        "en": "New hoax issues = election-related issues in the hoax register by identified "
              "date; items taken down = content items taken down for those issues.",
    },
    "weekly.method.finding": {
        "id": "Temuan statistik: korelasi Pearson antar-provinsi (34 wilayah 2019, interval "
              "Fisher-z, p terkoreksi Benjamini-Hochberg). Ini asosiasi, bukan sebab-akibat, "
              "dan tidak berlaku otomatis bagi tiap pemilih (kekeliruan ekologis).",
        "en": "Statistical finding: Pearson correlation between provinces (34 units of 2019, "
              "Fisher-z interval, Benjamini-Hochberg adjusted p). This is an association, not "
              "causation, and need not hold for individual voters (ecological fallacy).",
    },
    "weekly.method.privacy": {
        "id": "Nomor telepon tidak pernah disimpan atau ditampilkan; penerima dihitung dengan "
              "nama samaran berkunci.",
        "en": "Phone numbers are never stored or shown; recipients are counted by a keyed "
              "pseudonym.",
    },
    "weekly.generated": {"id": "Dibuat", "en": "Generated"},
    "weekly.col.operator": {"id": "Operator", "en": "Operator"},
    "weekly.col.province": {"id": "Provinsi", "en": "Province"},
    "weekly.col.per_voter": {"id": "Per pemilih", "en": "Per voter"},
    "weekly.col.rate": {"id": "Keberhasilan", "en": "Delivery rate"},
    "weekly.col.latency_p50": {"id": "Latensi p50", "en": "Latency p50"},
    "weekly.col.latency_p90": {"id": "Latensi p90", "en": "Latency p90"},
    "weekly.col.wave": {"id": "Gelombang", "en": "Wave"},
    "weekly.col.channel": {"id": "Kanal", "en": "Channel"},
    "weekly.col.date": {"id": "Tanggal", "en": "Date"},
    "weekly.col.theme": {"id": "Tema", "en": "Theme"},
    "weekly.downloads": {"id": "Unduh ringkasan", "en": "Download the brief"},
    "weekly.download_pdf": {"id": "Ringkasan PDF", "en": "Brief as PDF"},
    "weekly.download_html": {"id": "Ringkasan HTML", "en": "Brief as HTML"},
    "weekly.press": {"id": "Ekspor grafik untuk pers", "en": "Press exports of the charts"},
    "weekly.press_chart": {"id": "Grafik", "en": "Chart"},
    "weekly.press_format": {"id": "Format", "en": "Format"},
    "weekly.press_size": {"id": "Ukuran", "en": "Size"},
    # the format, not the file's English-looking name ('Unduh weekly_trend.png', item 14)
    "weekly.press_download": {"id": "Unduh {fmt}", "en": "Download {fmt}"},
    "weekly.size.slide": {"id": "Slide 16:9 (1920×1080)", "en": "Slide 16:9 (1920×1080)"},
    "weekly.size.social": {"id": "Media sosial 1:1 (1080×1080)", "en": "Social 1:1 (1080×1080)"},
    "weekly.size.a4": {"id": "A4 tegak", "en": "A4 portrait"},
    "weekly.no_chromium": {
        "id": "PDF, PNG dan SVG memerlukan Chromium di server ({command}); HTML dan CSV tetap "
              "bisa diunduh.",
        "en": "PDF, PNG and SVG need Chromium on the server ({command}); HTML and CSV still "
              "download.",
    },
    "weekly.channel.sms": {"id": "SMS", "en": "SMS"},
    "weekly.channel.status_bar": {"id": "Status bar", "en": "Status bar"},
    "weekly.channel.whatsapp_channel": {"id": "Saluran WhatsApp", "en": "WhatsApp Channel"},
    # every channel side by side (issue 17; reports/weekly.channel_figures): never one total
    "allch.title_week": {"id": "Semua kanal pekan ini", "en": "All channels this week"},
    "allch.title": {"id": "Semua kanal kampanye", "en": "Every channel of the campaign"},
    "allch.caveat": {
        "id": "Orang yang terjangkau lewat lebih dari satu kanal tidak dapat dihitung sekali "
              "saja lintas kanal: nomor SMS, perangkat status bar dan akun WhatsApp tidak punya "
              "pengenal bersama. Karena itu angka tiap kanal ditampilkan berdampingan dan tidak "
              "dijumlahkan menjadi satu total.",
        "en": "People reached through more than one channel cannot be de-duplicated across "
              "channels: SMS numbers, status-bar devices and WhatsApp accounts share no "
              "identifier. So each channel's numbers are shown side by side and are not added "
              "into one total.",
    },
    "allch.national": {
        "id": "Saluran WhatsApp: angka nasional (WhatsApp tidak memberi provinsi atau "
              "operator), jadi filter provinsi dan operator tidak berlaku untuknya.",
        "en": "WhatsApp Channel: national figures (WhatsApp gives no province or operator), so "
              "the province and operator filters do not apply to it.",
    },
    "allch.waves_sms_only": {"id": "Filter gelombang hanya berlaku untuk SMS.",
                             "en": "The wave filter applies to SMS only."},
    "allch.measure.delivered": {"id": "SMS diterima", "en": "SMS delivered"},
    "allch.measure.unique_reach": {"id": "Nomor unik terjangkau", "en": "Unique numbers reached"},
    "allch.measure.impressions": {"id": "Tayangan", "en": "Impressions"},
    "allch.measure.unique_devices": {"id": "Perangkat unik (jumlah harian)",
                                     "en": "Unique devices (daily counts summed)"},
    "allch.measure.views": {"id": "Tayangan unggahan", "en": "Update views"},
    "allch.measure.followers": {"id": "Pengikut", "en": "Followers"},
    "allch.followers_on": {"id": "Pengikut per {day}", "en": "Followers on {day}"},
    "allch.no_value": {"id": "tanpa data", "en": "no data"},
    "allch.no_update": {"id": "tanpa unggahan", "en": "no update posted"},
    "allch.no_data_week": {"id": "Tanpa data pekan ini.", "en": "No data this week."},
    "allch.no_data_period": {"id": "Tanpa data dalam filter ini.",
                             "en": "No data within these filters."},
    "allch.not_loaded": {"id": "Belum ada data yang dimuat.", "en": "No data loaded yet."},
    "allch.national_short": {"id": "nasional", "en": "national"},
    "allch.to_date": {"id": "Sejak awal kampanye", "en": "Campaign to date"},
    # the weekly page's SMS card: its week's numbers are the headline tiles above it
    "allch.in_headline": {"id": "Pekan ini ({measures}): lihat angka utama di atas.",
                          "en": "This week ({measures}): see the headline numbers above."},
    "allch.waves": {"id": "Gelombang dengan data: {waves}", "en": "Waves with data: {waves}"},
    "allch.help.unique_devices": {
        "id": "Jumlah hitungan perangkat unik harian dari operator: perangkat yang melihat teks "
              "pada beberapa hari terhitung sekali per hari.",
        "en": "The operators' daily unique-device counts added up: a device that saw the text "
              "on several days counts once a day.",
    },
    "allch.help.views": {
        "id": "Tayangan unggahan yang diposting dalam periode ini, menurut ekspor terakhir yang "
              "dimuat (tayangan terus bertambah setelah diposting).",
        "en": "Views of the updates posted in this period, as counted by the latest export "
              "loaded (views keep growing after posting).",
    },
    "allch.method": {
        "id": "Semua kanal: status bar = tayangan dan perangkat unik harian (dijumlahkan) dari "
              "operator; Saluran WhatsApp = tayangan unggahan pekan itu dan pengikut pada hari "
              "terakhir berdata (nasional). Tanpa pengenal bersama, kanal tidak dijumlahkan.",
        "en": "All channels: status bar = impressions and daily unique devices (summed) from "
              "the operators; WhatsApp Channel = views of the week's updates and followers on "
              "the last day with data (national). With no shared identifier, channels are not "
              "added up.",
    },
    "weekly.wave_theme.anti_hoax": {"id": "Anti-hoaks", "en": "Against hoaxes"},
    "weekly.wave_theme.anti_polarisation": {"id": "Anti-polarisasi", "en": "Against polarisation"},
    "weekly.wave_theme.anti_sara": {"id": "Anti-SARA", "en": "Against SARA"},
    "weekly.wave_theme.right_to_vote": {"id": "Hak pilih", "en": "Right to vote"},
    "weekly.wave_theme.thanks": {"id": "Terima kasih", "en": "Thank you"},
    "weekly.wave_theme.turnout": {"id": "Ajakan memilih", "en": "Turnout"},
    "weekly.wave_theme.valid_ballot": {"id": "Suara sah", "en": "Valid ballot"},
    "weekly.no_data": {"id": "Belum ada laporan pengiriman yang dimuat.",
                       "en": "No delivery receipts loaded yet."},
    # weekly summary: the narrative's sentences (every change names its subject and the week
    # before's value), the election calendar, empty and partial weeks
    "weekly.and": {"id": "dan", "en": "and"},
    "weekly.subject.sent": {"id": "SMS terkirim", "en": "SMS sent"},
    "weekly.subject.delivered": {"id": "SMS diterima", "en": "SMS delivered"},
    "weekly.subject.delivery_rate": {"id": "tingkat keberhasilan", "en": "the delivery rate"},
    "weekly.subject.hoax_new": {"id": "isu baru", "en": "new issues"},
    "weekly.change.up": {"id": "{what} naik {size} (dari {before})",
                         "en": "{what} rose {size} (from {before})"},
    "weekly.change.down": {"id": "{what} turun {size} (dari {before})",
                           "en": "{what} fell {size} (from {before})"},
    "weekly.change.points_up": {"id": "{what} naik {size} poin (dari {before})",
                                "en": "{what} rose {size} points (from {before})"},
    "weekly.change.points_down": {"id": "{what} turun {size} poin (dari {before})",
                                  "en": "{what} fell {size} points (from {before})"},
    "weekly.change.level": {"id": "{what} tetap ({before})", "en": "{what} was unchanged ({before})"},
    "weekly.change.from_none": {"id": "{what} naik dari nol", "en": "{what} rose from zero"},
    "weekly.story.sent": {
        "id": "Pada pekan {week} ({period}), {sent} SMS dikirim dan {delivered} di antaranya "
              "diterima (tingkat keberhasilan {rate}).",
        "en": "In week {week} ({period}), {sent} SMS were sent and {delivered} of them were "
              "delivered (delivery rate {rate}).",
    },
    "weekly.story.compare": {"id": "Dibanding pekan sebelumnya ({week}), {changes}.",
                             "en": "Compared with the week before ({week}), {changes}."},
    "weekly.story.none_before": {
        "id": "Pada pekan sebelumnya ({week}) tidak ada pengiriman, jadi belum ada pembanding.",
        "en": "Nothing was sent the week before ({week}), so there is nothing to compare with.",
    },
    "weekly.story.no_sends": {
        "id": "Pada pekan {week} ({period}) tidak ada SMS yang dikirim; pengiriman terakhir "
              "tercatat pada pekan {last}.",
        "en": "No SMS were sent in week {week} ({period}); the last sends were in week {last}.",
    },
    "weekly.story.no_sends_yet": {
        "id": "Pada pekan {week} ({period}) tidak ada SMS yang dikirim; sampai pekan ini belum "
              "ada pengiriman sama sekali.",
        "en": "No SMS were sent in week {week} ({period}); nothing had been sent by then.",
    },
    "weekly.story.events": {"id": "Kalender pemilu pekan ini: {events}.",
                            "en": "The election calendar this week: {events}."},
    "weekly.story.vote_week": {"id": "Ini pekan pemungutan suara: {events}.",
                               "en": "This is the election week: {events}."},
    "weekly.story.reach": {
        "id": "Pesan pekan ini menjangkau {reach} nomor unik; sejak awal kampanye jangkauan "
              "kumulatif mencapai {cumulative} nomor unik.",
        "en": "This week's messages reached {reach} unique numbers; since the start of the "
              "campaign, cumulative reach stands at {cumulative} unique numbers.",
    },
    "weekly.story.reach_unchanged": {
        "id": "Tanpa pesan baru yang diterima, jangkauan unik kumulatif sejak awal kampanye "
              "tetap {cumulative} nomor unik.",
        "en": "With no new messages delivered, cumulative unique reach since the start of the "
              "campaign stays at {cumulative} unique numbers.",
    },
    "weekly.story.waves": {"id": "Gelombang baru pekan ini, semua kanal: {waves}.",
                           "en": "New waves this week, all channels: {waves}."},
    "weekly.story.provinces": {
        "id": "Dibanding jumlah pemilih terdaftar, pesan diterima paling banyak di {high} "
              "({high_value}) dan paling sedikit di {low} ({low_value}).",
        "en": "Relative to registered voters, most messages were delivered in {high} "
              "({high_value}) and fewest in {low} ({low_value}).",
    },
    "weekly.story.takedown_unknown": {
        "id": " (angka penurunan {n} isu belum diketahui)",
        "en": " (the take-downs of {n} issues are not known yet)",
    },
    "weekly.story.provinces_high": {
        "id": "Dibanding jumlah pemilih terdaftar, pesan diterima paling banyak di {high} "
              "({high_value}).",
        "en": "Relative to registered voters, most messages were delivered in {high} "
              "({high_value}).",
    },
    "weekly.story.provinces_none": {"id": "{provinces} tidak menerima pesan pekan ini.",
                                    "en": "{provinces} received none this week."},
    "weekly.story.province_one": {
        "id": "Dibanding jumlah pemilih terdaftar, pesan yang diterima di {province} "
              "sebanyak {value}.",
        "en": "Relative to registered voters, {province} received {value}.",
    },
    "weekly.story.hoax": {
        "id": "Tercatat {issues} isu hoaks pemilu baru dan {taken} konten hoaks diturunkan",
        "en": "{issues} new election-hoax issues were logged and {taken} hoax content items "
              "were taken down",
    },
    "weekly.story.hoax_change": {"id": "; {change}", "en": "; {change}"},
    "weekly.story.no_hoax_register": {
        "id": "Register hoaks belum dimuat, jadi jumlah isu hoaks pekan ini tidak diketahui.",
        "en": "No hoax register is loaded, so this week's hoax issues are not known.",
    },
    "weekly.story.hoax_not_covered": {
        "id": "Register hoaks yang dimuat mencakup {first} sampai {last}, tidak termasuk pekan "
              "ini, jadi jumlah isu hoaks pekan ini belum diketahui.",
        "en": "The hoax register loaded covers {first} to {last}, not this week, so this week's "
              "hoax issues are not known yet.",
    },
    "weekly.story.operators_missing": {
        "id": "Belum ada laporan pengiriman pekan ini dari {names}, yang diharapkan untuk "
              "gelombang {waves}.",
        "en": "No delivery receipts this week yet from {names}, expected for wave {waves}.",
    },
    "weekly.event.debate": {"id": "debat ke-{n} calon presiden dan wakil presiden",
                            "en": "debate {n} of the presidential and vice-presidential "
                                  "candidates"},
    "weekly.weekdays": {"id": "Senin Selasa Rabu Kamis Jumat Sabtu Minggu",
                        "en": "Monday Tuesday Wednesday Thursday Friday Saturday Sunday"},
    "weekly.event_legend": {"id": "Garis tegak = kalender pemilu: {items}.",
                            "en": "Vertical lines = election calendar: {items}."},
    "weekly.fresh.loaded": {"id": "Data terakhir dimuat {when}.", "en": "Data last loaded {when}."},
    "weekly.fresh.missing": {"id": "Tanpa laporan pekan ini: {names} (diharapkan untuk {waves}).",
                             "en": "No receipts this week: {names} (expected for {waves})."},
    "weekly.fresh.all": {"id": "Semua operator yang diharapkan ({count}) melaporkan data pekan ini.",
                         "en": "Every expected operator ({count}) reported receipts this week."},
    "weekly.fresh.none_expected": {
        "id": "Pekan ini tidak ada gelombang SMS, jadi tidak ada laporan operator yang ditunggu.",
        "en": "No SMS wave this week, so no operator owes receipts.",
    },
    # weekly brief and page: empty weeks, page numbers, title and logo
    "weekly.no_sends": {
        "id": "Tidak ada pengiriman pada pekan {week}, jadi tidak ada angka per operator atau "
              "per provinsi.",
        "en": "Nothing was sent in week {week}, so there are no figures per operator or "
              "province.",
    },
    "weekly.caption.trend_empty": {
        "id": "12 pekan terakhir sampai {week}; pekan tanpa pengiriman tidak berbatang. Garis "
              "abu-abu = terkirim.",
        "en": "The last 12 weeks up to {week}; a week without sends has no bar. Grey dash = "
              "sent.",
    },
    "weekly.no_hoax_chart": {
        "id": "Register hoaks tidak memuat isu pemilu dalam 12 pekan sampai pekan ini.",
        "en": "The hoax register holds no election issue in the 12 weeks up to this week.",
    },
    "weekly.page": {"id": "Halaman", "en": "Page"},
    "weekly.page_of": {"id": "dari", "en": "of"},
    "weekly.week_no_sends": {"id": "{week} (tanpa pengiriman)", "en": "{week} (nothing sent)"},
    "weekly.title_override": {"id": "Judul ringkasan (opsional)", "en": "Brief title (optional)"},
    "weekly.logo": {"id": "Logo (PNG, JPEG atau SVG; opsional)",
                    "en": "Logo (PNG, JPEG or SVG; optional)"},
    "weekly.logo_bad": {"id": "Logo tidak dipakai: {reason}", "en": "Logo not used: {reason}"},
    # participation page
    "chart.scatter.title": {"id": "{y} menurut {x}, per provinsi", "en": "{y} by {x}, per province"},
    "chart.band": {"id": "Interval 95% garis", "en": "95% band of the line"},
    "chart.fitted_line": {"id": "Garis regresi (OLS)", "en": "Fitted line (OLS)"},
    "chart.noken": {"id": "Noken (Papua pegunungan)", "en": "Noken (Papua highlands)"},
    "chart.province_point": {"id": "Provinsi", "en": "Province"},
    "chart.survey.title": {"id": "Survei: penerima SMS dibandingkan bukan penerima (berbobot, IK 95%)",
                           "en": "Survey: SMS recipients against non-recipients (weighted, 95% CI)"},
    "survey.voted": {"id": "Ikut memilih", "en": "Voted"},
    "survey.knows_valid_ballot": {"id": "Tahu cara mencoblos sah", "en": "Knows a valid ballot"},
    "survey.recipients": {"id": "Menerima SMS", "en": "Received the SMS"},
    "survey.non_recipients": {"id": "Tidak menerima", "en": "Did not receive"},
    # participation's exposures, named in the unit the scatter's axis shows: {unit} is
    # charts.style.per_voters_unit ("per 1.000 pemilih"), the one definition (exposure_label)
    "exposure.delivered_per_voter": {"id": "Pesan diterima {unit}",
                                     "en": "Messages delivered {unit}"},
    "exposure.reach_per_voter": {"id": "Jangkauan unik {unit}", "en": "Unique reach {unit}"},
    # the status-bar exposures (issue 17); "per pemilih", never a share reached
    "exposure.status_bar_per_voter": {"id": "Tayangan status bar {unit}",
                                      "en": "Status-bar impressions {unit}"},
    "exposure.contacts_per_voter": {"id": "Kontak {unit} (SMS diterima + status bar)",
                                    "en": "Contacts {unit} (SMS delivered + status bar)"},
    # a machine export keeps the ratio per voter: its notes name the unit
    # true of every file of a table: the CSV for Excel writes it per 1,000 as the pages do
    "note.per_voter_column": {
        "id": "Kolom per pemilih (*_per_voter): di CSV, JSON dan XLSX rasio per satu pemilih "
              "terdaftar (DPT 2024), tidak dikali 1.000; dasbor, laporan dan CSV untuk Excel "
              "menampilkannya per 1.000 pemilih.",
        "en": "Columns per voter (*_per_voter): in CSV, JSON and XLSX the ratio per one "
              "registered voter (DPT 2024), not times 1,000; the dashboard, the reports and "
              "the CSV for Excel show it per 1,000 voters."},
    # an XLSX's header of a *_per_voter column: the ratio per one voter, as stored
    "ui.status_bar_exposure_note": {
        "id": "Tayangan status bar: jumlah tampilan teks kampanye di bilah status ponsel menurut "
              "laporan operator, dengan filter yang sama (periode, gelombang, operator), dibagi "
              "DPT 2024. Kontak per pemilih = pesan SMS diterima + tayangan status bar, per "
              "pemilih. Tayangan tanpa provinsi tidak dapat ditempatkan dan tidak dihitung di "
              "provinsi mana pun.",
        "en": "Status-bar impressions: how often the campaign text was shown in phones' status "
              "bar as the operators report it, under the same filters (period, waves, "
              "operators), divided by DPT 2024. Contacts per voter = SMS delivered + status-bar "
              "impressions, per voter. Impressions without a province cannot be placed and "
              "count in no province."},
    "ui.no_ballots": {
        "id": "Tanpa surat suara terpakai (partisipasi 0%) di data KPU: {units}. Provinsi ini "
              "tetap ikut diuji dengan 0% dan dapat mendominasi korelasi; periksa apakah "
              "hitungannya belum masuk (Peringatan data pemilu di bawah).",
        "en": "No ballots cast (turnout 0%) in the KPU data: {units}. These provinces stay in "
              "the tests at 0% and can dominate the correlations; check whether their count "
              "is not in yet (Election data warnings below)."},
    "ui.status_bar_unplaced": {
        "id": "{n} tayangan status bar tanpa provinsi yang diketahui tidak dihitung di provinsi "
              "mana pun.",
        "en": "{n} status-bar impressions without a known province count in no province."},
    "ui.status_bar_not_loaded": {
        "id": "Belum ada data status bar yang dimuat: uji untuk tayangan status bar per pemilih "
              "dan kontak per pemilih tidak dijalankan dan tidak ikut koreksi "
              "Benjamini-Hochberg.",
        "en": "No status-bar data loaded: the tests of status-bar impressions per voter and "
              "contacts per voter are not run and are not in the Benjamini-Hochberg "
              "adjustment."},
    "ui.status_bar_outside_filters": {
        "id": "Tidak ada data status bar dalam filter ini: uji untuk tayangan status bar per "
              "pemilih dan kontak per pemilih tidak dijalankan dan tidak ikut koreksi "
              "Benjamini-Hochberg.",
        "en": "No status-bar data within these filters: the tests of status-bar impressions per "
              "voter and contacts per voter are not run and are not in the "
              "Benjamini-Hochberg adjustment."},
    "ui.status_bar_none_placed": {
        "id": "Data status bar dalam filter ini tidak punya tayangan di provinsi yang diketahui "
              "(semua 0): uji untuk tayangan status bar per pemilih dan kontak per pemilih "
              "tidak dijalankan dan tidak ikut koreksi Benjamini-Hochberg.",
        "en": "The status-bar data within these filters has no impressions in a known province "
              "(all 0): the tests of status-bar impressions per voter and contacts per voter "
              "are not run and are not in the Benjamini-Hochberg adjustment."},
    "ui.whatsapp_not_tested": {
        "id": "Saluran WhatsApp tidak ikut uji per provinsi: WhatsApp hanya memberi statistik "
              "nasional (tanpa provinsi), jadi paparannya tidak dapat dibagi per provinsi.",
        "en": "The WhatsApp Channel is not in the province tests: WhatsApp gives national "
              "statistics only (no provinces), so its exposure cannot be split by province."},
    "ui.bh_family": {"id": "Uji dalam koreksi Benjamini-Hochberg", "en": "Tests in the Benjamini-Hochberg adjustment"},
    "ui.bh_family_table": {"id": "Daftar uji per paparan dan hasil",
                           "en": "The tests per exposure and outcome"},
    "ui.bh_family_caption": {
        "id": "p terkoreksi dihitung sekaligus atas {m} uji ini (paparan × hasil × metode). "
              "Metode: korelasi Pearson (interval Fisher-z), korelasi Spearman (interval "
              "bootstrap), uji permutasi, Pearson berbobot DPT, dan regresi OLS dengan galat "
              "HC3 (hanya untuk perubahan 2019-2024). Setiap paparan atau hasil tambahan "
              "memperbesar kelompok ini.",
        "en": "Adjusted p-values are computed at once over these {m} tests (exposure × outcome "
              "× method). Methods: Pearson correlation (Fisher-z interval), Spearman "
              "correlation (bootstrap interval), permutation test, DPT-weighted Pearson, and "
              "OLS regression with HC3 errors (for the 2019-2024 change only). Every added "
              "exposure or outcome enlarges this family."},
    # the methods' short names in that list
    "method.pearson": {"id": "Pearson", "en": "Pearson"},
    "method.spearman": {"id": "Spearman", "en": "Spearman"},
    "method.pearson_permutation": {"id": "Permutasi", "en": "Permutation"},
    "method.pearson_dpt_weighted": {"id": "Berbobot DPT", "en": "DPT-weighted"},
    "method.ols_change_hc3": {"id": "OLS HC3", "en": "OLS HC3"},
    "outcome.turnout_2024": {"id": "Partisipasi 2024 (%)", "en": "Turnout 2024 (%)"},
    "outcome.turnout_change": {"id": "Perubahan partisipasi 2019-2024 (poin)", "en": "Turnout change 2019-2024 (points)"},
    "outcome.invalid_rate_2024": {"id": "Suara tidak sah 2024 (%)", "en": "Invalid votes 2024 (%)"},
    "outcome.invalid_rate_change": {"id": "Perubahan suara tidak sah 2019-2024 (poin)", "en": "Invalid-vote change 2019-2024 (points)"},
    "ui.participation_caption": {"id": "Apakah provinsi yang lebih banyak menerima SMS (dan tayangan status bar) juga lebih tinggi partisipasinya dan lebih rendah suara tidak sahnya? Unit: 34 provinsi versi 2019 (provinsi pemekaran Papua digabung kembali).",
                                 "en": "Do provinces that received more messages (and status-bar impressions) also show higher turnout and fewer invalid votes? Units: the 34 provinces of 2019 (the 2022 Papua split merged back)."},
    # the 2019 units a province choice or scope holds whole (the tests cover only them), and
    # a unit left out because only part of it is chosen (ingest.election.whole_2019_units)
    "ui.participation_units": {
        "id": "Grafik dan uji di bawah hanya mencakup {n} provinsi yang dipilih: {names}.",
        "en": "The chart and the tests below cover only the chosen provinces ({n}): {names}."},
    "ui.participation_partial_units": {
        "id": "{units} tidak diikutkan: hanya sebagian provinsinya (pemekaran 2022) yang "
              "dipilih, sedangkan hasil 2019 hanya ada untuk provinsi versi 2019 secara utuh. "
              "Pilih semua bagiannya untuk mengikutkannya.",
        "en": "{units} is left out: only some of its provinces (split in 2022) are chosen, "
              "while the 2019 results exist only for the whole 2019 province. Choose all "
              "its parts to include it."},
    "ui.exposure": {"id": "Paparan", "en": "Exposure"},
    "ui.outcome": {"id": "Hasil", "en": "Outcome"},
    "ui.exclude_noken": {"id": "Tanpa provinsi noken", "en": "Without noken provinces"},
    "ui.exclude_noken_help": {"id": "Di dataran tinggi Papua pemungutan suara memakai sistem noken (diwakilkan), sehingga partisipasi mendekati atau di atas 100%.",
                              "en": "The Papua highlands vote by the noken system (voting by proxy), so turnout is near or above 100%."},
    "ui.results_table": {"id": "Hasil uji (semua paparan dan hasil; p disesuaikan Benjamini-Hochberg)",
                         "en": "Test results (every exposure and outcome; p adjusted by Benjamini-Hochberg)"},
    "ui.interpretation": {"id": "Cara membaca", "en": "How to read this"},
    "ui.synthetic_election": {"id": "Sebagian angka surat suara dan suara tidak sah bersifat sintetis (lihat kolom Sumber); angka DPT dan suara sah dari KPU.",
                              "en": "Some ballot and invalid-vote figures are synthetic (see the source column); DPT and valid votes are KPU figures."},
    "ui.election_warnings": {"id": "Peringatan data pemilu", "en": "Election data warnings"},
    "ui.not_enough": {"id": "Uji tidak dapat dihitung: {reason}", "en": "The tests cannot be computed: {reason}"},
    "ui.survey_panel": {"id": "Survei", "en": "Survey"},
    "ui.survey_table": {"id": "Perbandingan berbobot dan regresi logistik (kontrol: umur, jenis kelamin, kota/desa, provinsi); uji khi-kuadrat dengan koreksi Rao-Scott orde pertama (efek desain dengan linearisasi)",
                        "en": "Weighted comparison and logistic regression (controls: age, gender, urban/rural, province); chi-square test with the first-order Rao-Scott correction (design effects by linearisation)"},
    "ui.survey_unweighted": {"id": "Survei tanpa bobot: berkas survei tidak punya kolom weight, jadi setiap responden dihitung sekali (bobot 1) untuk {n} responden.",
                             "en": "Unweighted survey: the survey file has no weight column, so every respondent counts once (weight 1), for {n} respondents."},
    "ui.survey_partly_unweighted": {"id": "Sebagian survei tanpa bobot: {n} dari {total} responden berasal dari berkas survei tanpa kolom weight (bobot 1).",
                                    "en": "Partly unweighted survey: {n} of {total} respondents come from a survey file without a weight column (weight 1)."},
    "empty.no_participation": {"id": "Belum ada hasil pemilu yang dimuat. Muat election_results.csv di halaman Kualitas data.",
                               "en": "No election results loaded yet. Load election_results.csv on the Data quality page."},
    # hoax page
    "theme.endorsement": {"id": "Klaim dukungan", "en": "Endorsement claims"},
    "theme.manipulated_photo": {"id": "Foto/video rekayasa", "en": "Manipulated photos"},
    "theme.sara": {"id": "SARA", "en": "SARA (ethnicity, religion)"},
    "theme.electoral_fraud": {"id": "Kecurangan pemilu", "en": "Electoral fraud"},
    "theme.disqualification": {"id": "Diskualifikasi calon", "en": "Candidate disqualification"},
    "theme.term_extension": {"id": "Perpanjangan masa jabatan", "en": "Term extension"},
    "theme.election_conduct": {"id": "Penyelenggaraan pemilu", "en": "Conduct of the election"},
    "theme.unspecified": {"id": "Tanpa tema", "en": "No theme"},
    "chart.hoax_weekly.title": {"id": "Isu hoaks pemilu per pekan menurut tema",
                                "en": "Election hoax issues per week by theme"},
    "chart.hoax_weekly.focus": {
        "id": "Tampilan mulai {start}; {n} isu sejak {first} di luar tampilan.",
        "en": "View starts {start}; {n} issues since {first} are outside it."},
    "chart.moving_average": {"id": "Rata-rata 4 pekan", "en": "4-week average"},
    "chart.sms_wave": {"id": "Gelombang SMS", "en": "SMS wave"},
    "chart.platform_mix.n": {"id": "Angka di atas batang: jumlah isu",
                             "en": "Number over a bar: issues"},
    "chart.platform_mix.title": {"id": "Sebaran platform per bulan (porsi isu)",
                                 "en": "Platform mix by month (share of issues)"},
    "chart.takedown.title": {"id": "Konten yang diturunkan per tema (dengan interval 95%)",
                             "en": "Content taken down by theme (with 95% interval)"},
    "chart.rate_ratio.title": {"id": "Isu hoaks {k} hari sesudah vs sebelum gelombang SMS",
                               "en": "Hoax issues {k} days after vs before each SMS wave"},
    "chart.rate_ratio.axis": {"id": "Rasio laju (1 = tidak berbeda, skala log)",
                              "en": "Rate ratio (1 = no difference, log scale)"},
    "chart.all_waves": {"id": "Semua gelombang", "en": "All waves"},
    "ui.hoax_caption": {"id": "Isu hoaks terkait pemilu dari register, dibandingkan dengan "
                              "kalender gelombang SMS dan tahapan pemilu.",
                        "en": "Election-related hoax issues from the register, beside the SMS "
                              "wave calendar and the election's key dates."},
    "ui.hoax_period": {"id": "Periode register", "en": "Register period"},
    "ui.window_days": {"id": "Jendela sebelum/sesudah gelombang (hari)",
                       "en": "Window before/after each wave (days)"},
    "ui.hoax_issues": {"id": "Isu hoaks", "en": "Hoax issues"},
    "ui.hoax_content": {"id": "Konten", "en": "Content items"},
    "ui.hoax_takedown_rate": {"id": "Konten diturunkan", "en": "Content taken down"},
    "ui.hoax_takedown_unknown": {"id": "{n} isu tanpa angka penurunan tidak dihitung.",
                                 "en": "{n} issues without a take-down count are left out."},
    "ui.hoax_tests": {"id": "Uji statistik", "en": "Statistical tests"},
    "ui.hoax_rate_note": {"id": "Rasio di atas 1 berarti lebih banyak isu sesudah gelombang. "
                                "Ini asosiasi dalam waktu, bukan efek SMS: hoaks juga mengikuti "
                                "debat dan hari pemungutan suara.",
                          "en": "A ratio above 1 means more issues after the wave. This is an "
                                "association in time, not an effect of the SMS: hoaxes also "
                                "follow debates and voting day."},
    "ui.hoax_events_note": {"id": "Garis titik: tahapan pemilu (D1–D5 = debat capres/cawapres). "
                                  "Segitiga hijau: gelombang SMS.",
                            "en": "Dotted lines: election key dates (D1–D5 = presidential and "
                                  "vice-presidential debates). Green triangles: SMS waves."},
    "ui.hoax_latest": {"id": "Isu terbaru", "en": "Latest issues"},
    "ui.search": {"id": "Cari judul", "en": "Search titles"},
    "ui.survey_hoax": {"id": "Survei: melihat dan memercayai hoaks",
                       "en": "Survey: saw and believed a hoax"},
    # page texts
    "ui.press_export": {"id": "Ekspor untuk pers", "en": "Press export"},
    "ui.no_chromium": {"id": "Chromium tidak terpasang: hanya HTML. Pasang dengan `apt-get install -y chromium`.", "en": "Chromium is not installed: HTML only. Install it with `apt-get install -y chromium`."},
    "ui.filters": {"id": "Filter", "en": "Filters"},
    "ui.no_filters_yet": {"id": "Filter muncul setelah data dimuat.",
                          "en": "Filters appear once data are loaded."},
    "ui.empty_filter": {"id": "Filter yang dipilih tidak cocok dengan data apa pun. "
                              "Perluas periode atau hapus sebagian pilihan.",
                        "en": "The chosen filters match no data. Widen the period or "
                              "remove some selections."},
    "auth.local_mode": {"id": "Mode lokal satu pengguna: tanpa login, semua halaman dan seluruh "
                               "provinsi. Untuk server bersama, atur PEMILU_ACCESS dan [auth].",
                         "en": "Local single-user mode: no sign-in, every page and every "
                               "province. For a shared server, set PEMILU_ACCESS and [auth]."},
    "auth.sign_in_title": {"id": "Masuk ke dasbor Pemilu Damai 2024",
                           "en": "Sign in to the Pemilu Damai 2024 dashboard"},
    "auth.sign_in_body": {"id": "Dasbor ini memuat data pengiriman SMS kampanye. Masuk dengan "
                                "akun instansi Anda.",
                          "en": "This dashboard holds the campaign's SMS delivery data. Sign "
                                "in with your organisation account."},
    "auth.sign_in": {"id": "Masuk", "en": "Sign in"},
    "auth.sign_out": {"id": "Keluar", "en": "Sign out"},
    "auth.not_authorised": {"id": "Akun {email} belum diberi akses ke dasbor ini. Hubungi admin "
                                  "data untuk mendapat peran.",
                            "en": "The account {email} has no access to this dashboard. Ask "
                                  "the data admin for a role."},
    "auth.no_provider": {"id": "Login belum dikonfigurasi: tambahkan bagian [auth] di "
                               ".streamlit/secrets.toml.",
                         "en": "Sign-in is not configured: add an [auth] section to "
                               ".streamlit/secrets.toml."},
    "auth.signed_in_as": {"id": "Masuk sebagai {email} · peran: {roles}",
                          "en": "Signed in as {email} · roles: {roles}"},
    "auth.scope": {"id": "Cakupan provinsi: {provinces}", "en": "Province scope: {provinces}"},
    "ui.dev_secret": {"id": "Mode pengembangan: kunci pseudonim bawaan dipakai "
                            "(set PEMILU_SECRET untuk data nyata).",
                      "en": "Development mode: the built-in pseudonym key is in use "
                            "(set PEMILU_SECRET for real data)."},
    "ui.overview_caption": {"id": "Berapa banyak pesan Pemilu Damai 2024 yang terkirim dan "
                                  "diterima, per gelombang dan per hari (tanggal WIB).",
                            "en": "How many Pemilu Damai 2024 messages were sent and "
                                  "delivered, per wave and per day (WIB dates)."},
    "ui.delivery_rate_help": {"id": "Diterima dibagi pesan yang sudah berstatus akhir "
                                    "(pesan yang masih tertunda tidak dihitung).",
                              "en": "Delivered over messages in a final state "
                                    "(pending messages are left out)."},
    "ui.reach_not_kept": {"id": "Jangkauan unik tidak mencakup {delivered} pesan terkirim dari "
                                "gelombang yang tidak ada di katalog ({waves}): penghitungan "
                                "tepatnya menyimpan paling banyak {pairs} pasangan (gelombang, hari "
                                "kirim) untuk gelombang seperti itu. Pesan itu tetap dihitung "
                                "pada angka terkirim. Agar ikut dihitung: muat katalog "
                                "gelombang yang mencantumkan gelombang itu, lalu muat ulang "
                                "berkas penerimaannya (python -m dashboard ingest --reload "
                                "BERKAS); memuat katalog saja belum cukup.",
                          "en": "Unique reach leaves out {delivered} delivered messages of waves "
                                "missing from the catalogue ({waves}): the exact count keeps at "
                                "most {pairs} (wave, send day) pairs for such waves. They still "
                                "count as delivered. To count them: load a wave catalogue that "
                                "lists those waves, then load their receipts files again "
                                "(python -m dashboard ingest --reload FILE); loading the "
                                "catalogue alone does not."},
    "ui.unique_reach_help": {"id": "Nomor berbeda yang menerima setidaknya satu pesan dalam "
                                   "filter ini (dihitung dari pseudonim, tanpa nomor asli).",
                             "en": "Distinct numbers that received at least one message "
                                   "within the filter (counted on pseudonyms)."},
    "ui.reach_approximate": {"id": "≈ Jangkauan unik diperkirakan (HyperLogLog, galat baku ±{error}); angka lain dihitung tepat.",
                             "en": "≈ Unique reach is estimated (HyperLogLog, standard error ±{error}); the other numbers are exact."},
    "ui.download_reach_cells": {"id": "Unduh CSV: jangkauan unik tepat per gelombang × "
                                      "operator × provinsi",
                                "en": "Download CSV: exact unique reach per wave × operator × "
                                      "province"},
    "note.reach_cells": {"id": "Per gelombang utuh (semua hari kirimnya), dihitung tepat pada "
                               "ukuran data berapa pun; filter periode memilih gelombang yang "
                               "dikirim di dalamnya.",
                         "en": "Per whole wave (all its send days), counted exactly at any data "
                               "size; the period filter picks the waves sent within it."},
    "ui.pending_help": {"id": "Pesan yang statusnya belum final (ENROUTE, SCHEDLD).",
                        "en": "Messages not yet in a final state (ENROUTE, SCHEDLD)."},
    "ui.reach_caption": {"id": "Jangkauan per operator dan provinsi. Klik ubin provinsi atau "
                               "batang operator untuk mempersempit halaman.",
                         "en": "Reach by operator and province. Click a province tile or an "
                               "operator bar to narrow the page."},
    # "akurat sekitar 19%" read as "19% accurate": the bucket's width is the error bound
    "ui.latency_note": {"id": "Persentil dari histogram (bisa meleset hingga sekitar 19%), "
                              "hanya pesan yang diterima.",
                        "en": "Percentiles from a histogram (accurate to about 19%), "
                              "delivered messages only."},
    "ui.map_metric": {"id": "Warna peta menurut", "en": "Colour the map by"},
    "ui.province_table": {"id": "Tabel per provinsi", "en": "Table by province"},
    "ui.no_failures": {"id": "Tidak ada pesan gagal dalam filter ini.",
                       "en": "No failed messages within the filter."},
    "ui.data_quality_caption": {"id": "Setiap baris setiap file berakhir sebagai dimuat, "
                                      "duplikat, tergantikan, atau ditolak dengan alasan.",
                                "en": "Every row of every file ends loaded, duplicate, "
                                      "superseded, or rejected with a reason."},
    "ui.upload_title": {"id": "Muat file baru", "en": "Load new files"},
    "ui.upload_kind": {"id": "Jenis file", "en": "File kind"},
    "ui.upload_files": {"id": "File CSV, JSON Lines atau .gz",
                        "en": "CSV, JSON Lines or .gz files"},
    "ui.upload_load": {"id": "Muat", "en": "Load"},
    # Streamlit's drop zone ("Drag and drop", "Upload", "200MB per file") has no Indonesian:
    # said under it in Indonesian (ui.uploader_note)
    "ui.uploader_note": {"id": "Seret berkas ke kotak di atas atau klik tombol \"Upload\" "
                               "(unggah) untuk memilih berkas; batas {mb} MB per berkas. Teks "
                               "bahasa Inggris di kotak itu bawaan Streamlit.",
                         "en": "Drag files onto the box above or click \"Upload\" to choose "
                               "them; at most {mb} MB per file."},
    "ui.upload_starting": {"id": "Memulai…", "en": "Starting…"},
    "ui.upload_done": {"id": "Selesai", "en": "Done"},
    "ui.upload_too_large": {"id": "{name}: lebih dari {mb} MB; muat lewat baris perintah.",
                            "en": "{name}: over {mb} MB; load it with the command line."},
    # why a file was not loaded (ingest's FileProblem and IngestResult.problem): the app's
    # language; the CLI and the log keep ingest's English text
    **{f"problem.{key}": {"id": id_text, "en": en_text} for key, (id_text, en_text) in {
        "not_found": ("{name}: berkas tidak ditemukan.", "{name}: file not found."),
        "empty": ("{name}: berkas kosong.", "{name}: the file is empty."),
        "damaged_gzip": ("{name}: berkas gzip rusak; kompres ulang atau unggah tanpa kompresi.",
                         "{name}: damaged gzip file; compress it again or upload it "
                         "uncompressed."),
        "gzip_bomb": ("{name}: setelah dibuka lebih dari {mb} MB; ditolak sebagai kemungkinan "
                      "bom gzip. Muat lewat baris perintah bila berkasnya memang sebesar itu.",
                      "{name}: unpacks to more than {mb} MB; refused as a possible gzip bomb. "
                      "Load it with the command line if it really is that large."),
        **{f"binary_{key}": (f"{{name}}: ini {what_id}, bukan berkas CSV atau JSON Lines. "
                             "Simpan sebagai CSV UTF-8, lalu unggah lagi.",
                             f"{{name}}: this is {what_en}, not a CSV or JSON Lines file. "
                             "Save it as CSV UTF-8 and upload it again.")
           for key, what_id, what_en in [
               ("zip", "arsip ZIP (berkas Excel .xlsx?)", "a ZIP archive (an Excel .xlsx file?)"),
               ("pdf", "dokumen PDF", "a PDF document"), ("png", "gambar PNG", "a PNG image"),
               ("jpeg", "gambar JPEG", "a JPEG image"),
               ("ole", "berkas Excel/Word lama", "an old Excel/Word file"),
               ("duckdb", "basis data DuckDB", "a DuckDB database")]},
        "nul_bytes": ("{name}: berisi data biner (bita NUL), bukan berkas CSV atau JSON Lines.",
                      "{name}: binary content (NUL bytes), not a CSV or JSON Lines file."),
        "header_not_utf8": ("{name}: baris 1 bukan teks UTF-8 maupun Windows-1252; simpan "
                            "sebagai CSV UTF-8, lalu unggah lagi.",
                            "{name}: line 1 is neither UTF-8 nor Windows-1252 text; save it "
                            "as CSV UTF-8 and upload it again."),
        "cr_only": ("{name}: akhir barisnya CR yang tidak dibaca sebagai akhir baris (hanya CR, "
                    "format lama Mac 'CSV (Macintosh)', atau CR CR LF), jadi barisnya tidak "
                    "dapat dipisahkan; simpan sebagai 'CSV UTF-8', lalu unggah lagi.",
                    "{name}: its lines end in a carriage return that no reader takes as a line "
                    "end (CR only, the old Mac 'CSV (Macintosh)' format, or CR CR LF), so its "
                    "records cannot be told apart; save it as 'CSV UTF-8' and upload it "
                    "again."),
        "utf16": ("{name}: disimpan sebagai teks UTF-16 (Excel 'Unicode Text'); simpan sebagai "
                  "'CSV UTF-8', lalu unggah lagi.",
                  "{name}: saved as UTF-16 text (Excel's 'Unicode Text'); save it as 'CSV "
                  "UTF-8' and upload it again."),
        "utf16_damaged": ("{name}: diawali sebagai teks UTF-16 tetapi bukan UTF-16 yang sah; "
                          "simpan sebagai 'CSV UTF-8', lalu unggah lagi.",
                          "{name}: starts as UTF-16 text but is not valid UTF-16; save it as "
                          "'CSV UTF-8' and upload it again."),
        "unknown_kind": ("{name}: jenis berkas tidak dikenali dari judul kolomnya ({header}); "
                         "pilih jenisnya di atas.",
                         "{name}: cannot tell what this file is from its header ({header}); "
                         "choose its kind above."),
        "profile": ("{name}: profil operator tidak dapat dipakai: {detail}",
                    "{name}: the operator profile cannot be used: {detail}"),
        "no_receipts_layout": ("{name}: judul kolomnya tidak cocok dengan format laporan "
                               "pengiriman mana pun (CSV kanonik atau profil operator).",
                               "{name}: the header matches no receipts layout (canonical CSV "
                               "or an operator profile)."),
        "not_receipts": ("{name}: bukan berkas laporan pengiriman (berkas {kind}).",
                         "{name}: not a receipts file (a {kind} file)."),
        "large_campaign": ("{name}: basis data ini dilayani dari rollup klaster (mode "
                           "kampanye besar); laporan pengiriman dimuat lewat klaster.",
                           "{name}: this database is served from cluster rollups "
                           "(large-campaign mode); receipts are loaded through the cluster."),
        "already_loaded": ("{name}: sudah dimuat (muatan {ingest_id}); tidak ada yang berubah.",
                           "{name}: already loaded (ingest {ingest_id}); nothing changed."),
        "unaccounted": ("{name}: jumlah baris tidak cocok, jadi tidak ada yang disimpan; "
                        "laporkan ini. Rincian: {detail}",
                        "{name}: the rows do not add up, so nothing was stored; report "
                        "this. Details: {detail}"),
        "not_loaded": ("{name}: tidak dapat dimuat; tidak ada yang disimpan. Rincian: {detail}",
                       "{name}: could not be loaded; nothing was stored. Details: {detail}"),
    }.items()},
    "ui.kind_auto": {"id": "Otomatis (dari header)", "en": "Automatic (from the header)"},
    "ui.kind_receipts": {"id": "Laporan pengiriman", "en": "Delivery receipts"},
    "ui.kind_waves": {"id": "Katalog gelombang", "en": "Wave catalogue"},
    "ui.kind_election": {"id": "Hasil pemilu", "en": "Election results"},
    "ui.kind_survey": {"id": "Survei", "en": "Survey"},
    "ui.kind_hoax": {"id": "Register hoaks", "en": "Hoax register"},
    "ui.kind_status_bar": {"id": "Tayangan status bar", "en": "Status-bar impressions"},
    "ui.kind_wa_updates": {"id": "Unggahan Saluran WhatsApp", "en": "WhatsApp Channel updates"},
    "ui.kind_wa_daily": {"id": "Insight harian Saluran WhatsApp",
                         "en": "WhatsApp Channel daily insights"},
    "ui.upload_result": {"id": "{name}: {rows_read} baris dibaca: {loaded} dimuat, {duplicate} "
                               "duplikat, {superseded} tergantikan, {rejected} ditolak",
                         "en": "{name}: {rows_read} rows read: {loaded} loaded, {duplicate} "
                               "duplicate, {superseded} superseded, {rejected} rejected"},
    "ui.upload_cr_only": {"id": "{name}: akhir barisnya CR (hanya CR, format lama Mac 'CSV "
                                "(Macintosh)', atau CR CR LF); setiap akhir baris itu dibaca "
                                "sebagai satu akhir baris.",
                          "en": "{name}: its lines end in carriage returns (CR only, the old "
                                "Mac 'CSV (Macintosh)' format, or CR CR LF); each such line end "
                                "was read as one."},
    "ui.upload_utf16": {"id": "{name}: disimpan sebagai teks UTF-16 (Excel 'Unicode Text'); "
                              "dibaca sebagai teks yang sama dalam UTF-8.",
                        "en": "{name}: saved as UTF-16 text (Excel's 'Unicode Text'); read as "
                              "the same text in UTF-8."},
    "ui.rows_read": {"id": "Baris dibaca", "en": "Rows read"},
    "ui.loaded": {"id": "Dimuat", "en": "Loaded"},
    "ui.duplicate": {"id": "Duplikat", "en": "Duplicate"},
    "ui.superseded": {"id": "Tergantikan", "en": "Superseded"},
    "ui.rejected": {"id": "Ditolak", "en": "Rejected"},
    "ui.counts_add_up": {"id": "Jumlah cocok: dibaca = dimuat + duplikat + tergantikan + "
                               "ditolak, untuk setiap file.",
                         "en": "Counts add up: read = loaded + duplicate + superseded + "
                               "rejected, for every file."},
    "ui.counts_do_not_add_up": {"id": "Jumlah tidak cocok untuk sebagian file; laporkan ini.",
                                "en": "Counts do not add up for some files; report this."},
    "ui.ingest_log": {"id": "Log pemuatan", "en": "Load log"},
    "ui.reject_reasons": {"id": "Alasan penolakan", "en": "Reasons for rejection"},
    "ui.rejects": {"id": "Baris yang ditolak", "en": "Rejected rows"},
    "ui.rejects_note": {"id": "Nomor telepon disamarkan. Per file, 10.000 penolakan pertama "
                              "dicantumkan dengan baris dan alasannya; selebihnya dihitung "
                              "per alasan pada tabel di atas.",
                        "en": "Phone numbers are masked. For each file the first 10,000 "
                              "rejects are listed with line and reason; the rest are counted "
                              "by reason in the table above."},
    "ui.all_files": {"id": "Semua file", "en": "All files"},
    "ui.file": {"id": "File", "en": "File"},
    # column labels of tables shown on screen (dashboard/reports/display.py); downloads keep the
    # snake_case names. Metric columns use metric.* above.
    "col.unique_reach_approximate": {"id": "Jangkauan unik diperkirakan", "en": "Unique reach estimated"},
    "col.test": {"id": "Uji", "en": "Test"},
    "col.subject": {"id": "Yang diuji", "en": "Tested"},
    # between an interval's bounds: '0,01 sampai 0,58' (sentences and the phone's tables)
    "word.interval_to": {"id": "sampai", "en": "to"},
    "col.effect_ci_p": {"id": "Efek (IK 95%); p", "en": "Effect (95% CI); p"},
    "col.exposure": {"id": "Paparan", "en": "Exposure"},
    "col.methods": {"id": "Metode", "en": "Methods"},
    "col.n_tests": {"id": "Jumlah uji", "en": "Tests"},
    "col.outcome": {"id": "Hasil", "en": "Outcome"},
    "col.group": {"id": "Kelompok", "en": "Group"},
    "col.estimate": {"id": "Estimasi", "en": "Estimate"},
    "col.ci_low": {"id": "IK 95% bawah", "en": "95% CI low"},
    "col.ci_high": {"id": "IK 95% atas", "en": "95% CI high"},
    "col.p_value": {"id": "p", "en": "p"},
    "col.p_adjusted": {"id": "p terkoreksi (BH)", "en": "Adjusted p (BH)"},
    "col.n": {"id": "n", "en": "n"},
    "col.method_note": {"id": "Catatan metode", "en": "Method note"},
    "col.hoax_id": {"id": "ID hoaks", "en": "Hoax ID"},
    "col.identified_date": {"id": "Tanggal teridentifikasi", "en": "Identified on"},
    "col.title": {"id": "Judul", "en": "Title"},
    "col.category": {"id": "Kategori", "en": "Category"},
    "col.election_related": {"id": "Terkait pemilu", "en": "Election-related"},
    "col.theme": {"id": "Tema", "en": "Theme"},
    "col.platforms": {"id": "Platform", "en": "Platforms"},
    "col.content_items": {"id": "Konten", "en": "Content items"},
    "col.taken_down": {"id": "Diturunkan", "en": "Taken down"},
    "col.taken_down_date": {"id": "Tanggal diturunkan", "en": "Taken down on"},
    "col.source_url": {"id": "Sumber", "en": "Source"},
    "col.source": {"id": "Sumber", "en": "Source"},  # the election file's source column
    "col.province_code": {"id": "Kode provinsi", "en": "Province code"},
    "col.province_name": {"id": "Provinsi", "en": "Province"},
    "col.province_short": {"id": "Singkatan", "en": "Short name"},
    "col.dpt_2024": {"id": "DPT 2024", "en": "Registered voters 2024"},
    "col.year": {"id": "Tahun", "en": "Year"},
    "col.warning": {"id": "Peringatan", "en": "Warning"},
    "col.line": {"id": "Baris", "en": "Line"},
    "col.file": {"id": "File", "en": "File"},
    "col.kind": {"id": "Jenis", "en": "Kind"},
    "col.rows_read": {"id": "Baris dibaca", "en": "Rows read"},
    "col.loaded": {"id": "Dimuat", "en": "Loaded"},
    "col.duplicate": {"id": "Duplikat", "en": "Duplicate"},
    "col.superseded": {"id": "Tergantikan", "en": "Superseded"},
    "col.rejected": {"id": "Ditolak", "en": "Rejected"},
    "col.ingest_id": {"id": "ID muat", "en": "Load ID"},
    "col.format": {"id": "Format", "en": "Format"},
    "col.loaded_at": {"id": "Waktu muat (WIB)", "en": "Loaded at (WIB)"},
    "col.replaced": {"id": "Diganti", "en": "Replaced"},
    "col.unknown_province": {"id": "Provinsi tak dikenal", "en": "Unknown province"},
    "col.operator_mismatch": {"id": "Operator tak cocok", "en": "Operator mismatch"},
    "col.message": {"id": "Pesan", "en": "Message"},
    "col.reason_code": {"id": "Kode alasan", "en": "Reason code"},
    "col.rows": {"id": "Baris", "en": "Rows"},
    "col.reason": {"id": "Alasan", "en": "Reason"},
    "col.raw_line": {"id": "Isi baris (disamarkan)", "en": "Line content (masked)"},
    "col.field": {"id": "Kolom", "en": "Field"},
    "col.value": {"id": "Nilai tertulis (disamarkan)", "en": "Value as written (masked)"},
    "col.operator": {"id": "Operator", "en": "Operator"},
    "col.wave_id": {"id": "Gelombang", "en": "Wave"},
    "col.error_code": {"id": "Kode kesalahan", "en": "Error code"},
    # the export tables' other columns (an Indonesian XLSX or CSV for Excel carries these)
    "col.warnings": {"id": "Peringatan", "en": "Warnings"},
    "col.meaning_id": {"id": "Arti (bahasa Indonesia)", "en": "Meaning (Indonesian)"},
    "col.meaning_en": {"id": "Arti (bahasa Inggris)", "en": "Meaning (English)"},
    "col.receipts": {"id": "Tanda terima", "en": "Receipts"},
    "col.share_of_failures": {"id": "Porsi dari pesan gagal", "en": "Share of failures"},
    "col.week_start": {"id": "Awal pekan", "en": "Week start"},
    "col.iso_week": {"id": "Pekan ISO", "en": "ISO week"},
    "col.takedown_unknown": {"id": "Penurunan tidak diketahui", "en": "Takedown unknown"},
    "col.send_date": {"id": "Hari kirim", "en": "Send day"},
    "col.operator_name": {"id": "Nama operator", "en": "Operator name"},
    "col.experiment_id": {"id": "ID eksperimen", "en": "Experiment ID"},
    "col.design": {"id": "Rancangan", "en": "Design"},
    "col.unit": {"id": "Unit", "en": "Unit"},
    "col.stratum": {"id": "Strata", "en": "Stratum"},
    "col.n_holdout": {"id": "n ditahan", "en": "n held out"},
    "col.n_blast": {"id": "n dikirimi", "en": "n sent"},
    "col.compliance_blast": {"id": "Terjangkau (kelompok dikirimi)",
                             "en": "Reached (group sent)"},
    "col.compliance_holdout": {"id": "Terjangkau (kelompok ditahan)",
                               "en": "Reached (group held out)"},
    "col.complier_estimate": {"id": "Estimasi efek complier", "en": "Complier effect estimate"},
    "col.complier_ci_low": {"id": "IK 95% bawah (complier)", "en": "95% CI low (complier)"},
    "col.complier_ci_high": {"id": "IK 95% atas (complier)", "en": "95% CI high (complier)"},
    "col.method": {"id": "Metode", "en": "Method"},
    "col.note": {"id": "Catatan", "en": "Note"},
    "col.waves": {"id": "Gelombang", "en": "Waves"},
    "col.plan_sha256": {"id": "SHA-256 rencana", "en": "Plan SHA-256"},
    "col.plan_verified": {"id": "Rencana terverifikasi", "en": "Plan verified"},
    "col.synthetic": {"id": "Sintetis", "en": "Synthetic"},
    # an export's duration column (*_s) holds seconds: its header says so
    "col.in_seconds": {"id": "{what} (detik)", "en": "{what} (seconds)"},
    # values shown in those tables
    "test.pearson": {"id": "Korelasi Pearson", "en": "Pearson correlation"},
    "test.spearman": {"id": "Korelasi Spearman", "en": "Spearman correlation"},
    "test.pearson_permutation": {"id": "Pearson (uji permutasi)",
                                 "en": "Pearson (permutation test)"},
    "test.pearson_dpt_weighted": {"id": "Pearson berbobot DPT", "en": "Pearson, DPT-weighted"},
    "test.ols_change_hc3": {"id": "Regresi OLS (galat HC3)", "en": "OLS regression (HC3)"},
    "test.weighted_proportion": {"id": "Proporsi berbobot", "en": "Weighted proportion"},
    "test.difference": {"id": "Selisih proporsi", "en": "Difference in proportions"},
    "test.logit_odds_ratio": {"id": "Rasio odds (logistik)", "en": "Odds ratio (logistic)"},
    "test.logit_marginal_effect": {"id": "Efek marginal (logistik)",
                                   "en": "Marginal effect (logistic)"},
    "test.minimum_detectable_difference": {"id": "Selisih terkecil yang terdeteksi",
                                           "en": "Minimum detectable difference"},
    "test.mann_kendall_sen": {"id": "Tren Mann-Kendall / Sen", "en": "Mann-Kendall / Sen trend"},
    "test.survey_difference": {"id": "Selisih survei", "en": "Survey difference"},
    "test.wave_rate_ratio": {"id": "Rasio laju per gelombang", "en": "Rate ratio per wave"},
    "test.wave_rate_ratio_pooled": {"id": "Rasio laju gabungan", "en": "Pooled rate ratio"},
    "group.all": {"id": "Semua", "en": "All"},
    "group.all_waves": {"id": "Semua gelombang", "en": "All waves"},
    "group.recipients_minus_non_recipients": {"id": "Penerima dikurangi bukan penerima",
                                              "en": "Recipients minus non-recipients"},
    "group.sms_recipient_minus_non_recipient": {"id": "Penerima dikurangi bukan penerima",
                                                "en": "Recipients minus non-recipients"},
    "group.recipients_vs_non_recipients": {"id": "Penerima dibanding bukan penerima",
                                           "en": "Recipients against non-recipients"},
    "hoax_outcome.weekly_issues": {"id": "Isu per pekan", "en": "Issues per week"},
    "hoax_outcome.weekly_content_items": {"id": "Konten per pekan", "en": "Content items per week"},
    "hoax_outcome.saw_hoax": {"id": "Pernah melihat hoaks", "en": "Saw a hoax"},
    "hoax_outcome.believed_hoax": {"id": "Memercayai hoaks", "en": "Believed a hoax"},
    "hoax_outcome.issues_after_vs_before": {"id": "Isu {days} hari sesudah vs sebelum",
                                            "en": "Issues {days} days after vs before"},
    "ingest.loaded": {"id": "Dimuat", "en": "Loaded"},
    "ingest.already_loaded": {"id": "Sudah dimuat", "en": "Already loaded"},
    "ingest.failed": {"id": "Gagal", "en": "Failed"},
    # why the app cannot serve (dashboard/web/app.py), instead of Streamlit's generic error
    "app.dev_key_database": {"id": "Basis data ini dibuat dengan kunci pengembangan (kunci pseudonim bawaan yang publik), bukan dengan PEMILU_SECRET: jangan dipakai untuk data nyata.",
                             "en": "This database was built with the development key (the public built-in pseudonym key), not with PEMILU_SECRET: not for real data."},
    "app.refused_dev_key_database": {"id": "Dasbor tidak dibuka: basis data dibuat dengan kunci pengembangan yang publik, sedangkan server berjalan dalam mode produksi. Admin data perlu membangun basis data baru dengan PEMILU_SECRET produksi (SECURITY.md: rotasi kunci).",
                                     "en": "The dashboard is not opened: the database was built with the public development key and the server runs in production mode. The data admin needs to build a new database with the production PEMILU_SECRET (SECURITY.md: rotating the key)."},
    "app.config_error": {"id": "Dasbor tidak dibuka: pengaturan server salah. {reason}",
                         "en": "The dashboard is not opened: a server setting is wrong. {reason}"},
    "app.db_in_use": {"id": "Basis data sedang dipakai proses lain (misalnya pemuatan dari baris perintah), dan DuckDB hanya mengizinkan satu proses penulis. Tunggu sampai proses itu selesai, lalu muat ulang halaman ini.",
                      "en": "The database is in use by another process (a load from the command line, for example), and DuckDB allows one writing process. Wait until it ends, then reload this page."},
    "app.db_full": {"id": "Basis data tidak dapat dibuka: disk server penuh. Beri tahu admin data.",
                    "en": "The database cannot be opened: the server's disk is full. Tell the data admin."},
    "app.db_unwritable": {"id": "Basis data tidak dapat dibuka (izin atau lokasi PEMILU_DB). Beri tahu admin data.",
                          "en": "The database cannot be opened (permissions or the PEMILU_DB location). Tell the data admin."},
    "app.db_not_duckdb": {"id": "Berkas basis data rusak atau bukan basis data DuckDB. Beri tahu admin data.",
                          "en": "The database file is damaged or not a DuckDB database. Tell the data admin."},
    # reject reason codes and warning kinds as Kualitas data shows them (display.VALUE_KEYS);
    # exports keep the codes
    **{f"reason.{code}": {"id": id_text, "en": en_text} for code, (id_text, en_text) in {
        "missing_message_id": ("ID pesan kosong", "Message id empty"),
        "unknown_operator": ("Operator tidak dikenal", "Unknown operator"),
        "missing_wave_id": ("ID gelombang kosong", "Wave id empty"),
        "bad_wave_id": ("ID gelombang tidak sah (atau berbentuk nomor telepon)",
                        "Invalid wave id (or shaped like a phone number)"),
        "bad_msisdn": ("Nomor penerima bukan nomor seluler Indonesia",
                       "Recipient not an Indonesian mobile number"),
        "bad_submitted_at": ("Waktu kirim tidak terbaca", "Send time unreadable"),
        "bad_done_at": ("Waktu selesai tidak terbaca", "Done time unreadable"),
        "done_before_submitted": ("Selesai sebelum dikirim", "Done before sent"),
        "unknown_status": ("Status pengiriman tidak dikenal", "Unknown delivery state"),
        "wrong_column_count": ("Jumlah kolom salah", "Wrong number of columns"),
        "bad_quoting": ("Tanda kutip tidak tertutup", "Unclosed quote"),
        "invalid_utf8": ("Bukan teks UTF-8 maupun Windows-1252",
                         "Neither UTF-8 nor Windows-1252 text"),
        "line_too_long": ("Baris terlalu panjang", "Line too long"),
        "bad_line_break": ("Pindah baris (CR) di dalam sel", "Line break (CR) inside a cell"),
        "unreadable_line": ("Baris tidak terbaca", "Unreadable line"),
        "malformed_json": ("Bukan objek JSON", "Not a JSON object"),
        "missing_receipt": ("Tanpa laporan SMPP", "No SMPP receipt"),
        "bad_channel": ("Kanal tidak dikenal", "Unknown channel"),
        "bad_sent_date": ("Tanggal kirim tidak terbaca", "Send date unreadable"),
        "duplicate_wave_id": ("ID gelombang berulang", "Repeated wave id"),
        "bad_answer": ("Jawaban tidak dikenal", "Unknown answer"),
        "bad_weight": ("Bobot kosong, bukan angka atau tidak positif",
                       "Weight empty, not a number or not positive"),
        "missing_respondent_id": ("ID responden kosong", "Respondent id empty"),
        "duplicate_respondent_id": ("ID responden berulang", "Repeated respondent id"),
        "bad_interview_date": ("Tanggal wawancara tidak terbaca", "Interview date unreadable"),
        "bad_year": ("Tahun tidak sah", "Invalid year"),
        "bad_dpt": ("DPT tidak sah", "Invalid DPT"),
        "bad_count": ("Jumlah tidak sah", "Invalid count"),
        "missing_hoax_id": ("ID hoaks kosong", "Hoax id empty"),
        "duplicate_hoax_id": ("ID hoaks berulang", "Repeated hoax id"),
        "missing_title": ("Judul kosong", "Title empty"),
        "bad_identified_date": ("Tanggal identifikasi tidak terbaca (tulis 2024-01-05, "
                                "5 Januari 2024, 14 Feb 2024 atau 05/01/2024: hari dulu)",
                                "Identification date unreadable (write 2024-01-05, "
                                "5 Januari 2024, 14 Feb 2024 or 05/01/2024: day first)"),
        # the hoax register's counts and flags (ingest/hoax.py)
        "missing_content_items": ("Jumlah konten kosong", "Content items empty"),
        "bad_content_items": ("Jumlah konten bukan bilangan bulat atau terlalu besar",
                              "Content items not a whole number, or too large"),
        "negative_content_items": ("Jumlah konten negatif", "Negative content items"),
        "bad_taken_down": ("Jumlah takedown bukan bilangan bulat atau terlalu besar",
                           "Taken down not a whole number, or too large"),
        "negative_taken_down": ("Jumlah takedown negatif", "Negative taken down"),
        "taken_down_exceeds_content_items": ("Takedown melebihi jumlah konten",
                                             "Taken down above content items"),
        "bad_election_related": ("Kolom terkait pemilu bukan ya atau tidak",
                                 "Election-related not yes or no"),
        "missing_platforms": ("Platform kosong", "Platform empty"),
        "bad_taken_down_date": ("Tanggal takedown tidak terbaca (bentuk seperti tanggal "
                                "identifikasi)",
                                "Take-down date unreadable (forms as the identification "
                                "date)"),
        "taken_down_date_before_identified": ("Takedown sebelum tanggal identifikasi",
                                              "Taken down before identified"),
        # status bar and WhatsApp Channel (ingest/channels.py)
        "missing_count": ("Jumlah kosong", "Count empty"),
        "negative_count": ("Jumlah negatif", "Negative count"),
        "devices_exceed_impressions": ("Perangkat unik melebihi tayangan",
                                       "Unique devices above impressions"),
        "clicks_exceed_impressions": ("Klik melebihi tayangan", "Clicks above impressions"),
        "bad_date": ("Tanggal tidak terbaca", "Date unreadable"),
        "bad_posted_at": ("Waktu unggah tidak terbaca", "Posting time unreadable"),
        "missing_update_id": ("ID unggahan kosong", "Update id empty"),
        "bad_update_id": ("ID unggahan tidak sah (atau berbentuk nomor telepon)",
                          "Invalid update id (or shaped like a phone number)"),
        # a receipt sent before retention's day (store/backup.py): not matched, not counted
        "sent_before_retention": ("Dikirim pada hari yang laporan pengirimannya sudah "
                                  "dihapus retensi: tidak bisa dicocokkan, tidak dihitung",
                                  "Sent on a day whose receipts retention deleted: cannot be "
                                  "matched, not counted"),
        # any tabular kind (ingest/totals.py)
        "total_row": ("Baris jumlah dari baris lain, tidak dihitung dua kali",
                      "A total of other rows, not counted twice"),
    }.items()},
    **{f"warning.{code}": {"id": id_text, "en": en_text} for code, (id_text, en_text) in {
        "unknown_wave": ("Gelombang tidak ada di katalog", "Wave missing from the catalogue"),
        "unknown_province": ("Provinsi tidak dikenal", "Unknown province"),
        # receipts naming a regency (queries/staging/stg_receipt_warnings.sql)
        "unknown_regency": ("Kabupaten/kota tidak dikenal, dimuat tanpa kabupaten/kota",
                            "Unknown regency, loaded without one"),
        "regency_province_mismatch": ("Kabupaten/kota berada di provinsi lain; keduanya disimpan",
                                      "Regency lies in another province; both kept as given"),
        "operator_mismatch": ("Awalan nomor milik operator lain",
                              "Number prefix of another operator"),
        "hex_error_code": ("Kode galat heksadesimal, dibaca sebagai angka",
                           "Hexadecimal error code, read as its number"),
        "unknown_error_code": ("Kode galat tak dikenal, disimpan apa adanya",
                               "Unknown error code, kept as written"),
        "unknown_platform": ("Platform tidak dikenal", "Unknown platform"),
        "repeated_title": ("Judul berulang", "Repeated title"),
        "bad_taken_down_date": ("Tanggal penurunan tidak terbaca, dikosongkan",
                                "Take-down date unreadable, left blank"),
        "taken_down_date_before_identified": ("Tanggal penurunan sebelum tanggal ditemukan, "
                                              "dikosongkan",
                                              "Take-down date before the identified date, left "
                                              "blank"),
        "voted_before_election": ("Diwawancarai sebelum pemungutan suara",
                                  "Interviewed before the vote"),
        "sum_mismatch": ("Jumlah tidak cocok", "Sums do not add up"),
        "turnout_zero": ("Tanpa surat suara terpakai: partisipasi 0%",
                         "No ballots cast: turnout 0%"),
        "turnout_above_100": ("Partisipasi di atas 100%", "Turnout above 100%"),
        "missing_value": ("Angka kosong", "Count missing"),
        "invalid_exceeds_ballots": ("Suara tidak sah melebihi surat suara",
                                    "Invalid votes above ballots"),
        "province_not_in_year": ("Provinsi tanpa data tahun itu", "Province missing that year"),
        "missing_year": ("Tahun hilang", "Year missing"),
        "unknown_answer": ("Jawaban tidak dikenal, dikosongkan untuk pertanyaan itu",
                           "Unknown answer, left blank for that question"),
        "rejected_answer": ("Jawaban responden yang ditolak", "Answer of a rejected respondent"),
        "unfamiliar_category": ("Kategori kontrol yang belum dikenal, disimpan apa adanya",
                                "Unfamiliar control category, kept as written"),
        "unfamiliar_operator": ("Operator yang belum dikenal, disimpan apa adanya",
                                "Unfamiliar operator, kept as written"),
        "bad_interview_date": ("Tanggal wawancara tidak terbaca", "Interview date unreadable"),
        "interview_date_out_of_range": ("Tanggal wawancara di luar rentang",
                                        "Interview date out of range"),
        "no_weight_column": ("Tanpa kolom bobot: survei tidak berbobot",
                             "No weight column: the survey is unweighted"),
        "ambiguous_number_thousands": ("'.' atau ',' sebelum tiga angka dibaca sebagai "
                                       "pemisah ribuan (2,100 = 2100)",
                                       "'.' or ',' before three digits read as a thousands "
                                       "separator (2,100 = 2100)"),
        "ambiguous_number_decimal": ("'.' atau ',' yang bisa pemisah ribuan dibaca sebagai "
                                     "tanda desimal (2,100 = 2,1)",
                                     "'.' or ',' that may group thousands read as a decimal "
                                     "mark (2,100 = 2.1)"),
        # status bar and WhatsApp Channel (ingest/channels.py)
        "wave_channel_mismatch": ("Gelombang milik kanal lain di katalog",
                                  "Wave of another channel in the catalogue"),
        "outside_campaign": ("Tanggal di luar masa kampanye", "Date outside the campaign"),
        "bad_wave_id": ("ID gelombang tidak sah, dimuat tanpa gelombang",
                        "Invalid wave id, loaded without a wave"),
        "blank_province": ("Provinsi kosong: dihitung secara nasional, tidak di provinsi "
                           "mana pun (bukan jumlah baris lain)",
                           "Province empty: counted nationally, in no province (not a total "
                           "of other rows)"),
        "dash_read_as_zero": ("Tanda '-' pada jumlah opsional dibaca sebagai 0 (nol "
                              "format Akuntansi Excel; nihil dalam tabel BPS)",
                              "A '-' in an optional count read as 0 (Excel's accounting "
                              "zero; nil in BPS tables)"),
        "clicks_exceed_impressions": ("Klik melebihi tayangan: klik disimpan kosong (tanpa "
                                      "rasio klik), tayangan dan perangkat baris tetap dihitung",
                                      "Clicks above impressions: clicks stored empty (no click "
                                      "rate), the row's impressions and devices still count"),
        "unusable_optional_count": ("Jumlah opsional tidak terbaca (kosong, negatif, bukan "
                                    "bilangan bulat): disimpan kosong, baris tetap dimuat",
                                    "Optional count unusable (not a whole number, or "
                                    "negative): stored empty, the row still loads"),
        "older_export": ("Ekspor lebih lama: angka unggahan lebih rendah daripada yang "
                         "tersimpan (tayangan, reaksi dan teruskan hanya bertambah); angka "
                         "tersimpan yang lebih tinggi dipertahankan",
                         "An older export: an update's count below the stored one (views, "
                         "reactions and forwards only grow); the higher stored count is kept"),
        "national_total": ("Baris jumlah tanpa rincian provinsi, dimuat sebagai angka "
                           "nasional (provinsi tidak diketahui)",
                           "A total row without province rows, loaded as the national "
                           "figure (province unknown)"),
        # any tabular file (ingest/tabular.py)
        "windows_1252": ("Baris bukan UTF-8, dibaca sebagai Windows-1252",
                         "Line not UTF-8, read as Windows-1252"),
        "month_first": ("Tanggal dibaca bulan dahulu (BB/HH/TTTT), seperti ditunjukkan tanggal "
                        "lain di kolom itu",
                        "Day read month first (MM/DD/YYYY), as other days of its column show"),
        "day_in_wib": ("Tanggal dengan jam dan zona waktu: dibaca sebagai harinya di WIB",
                       "A day written with a time and offset: read as its day in WIB"),
    }.items()},
    # the experiment's plan (dashboard/experiment/plan.py): the PDF for the record, its errors
    "exp.plan.kicker": {"id": "Rencana uji acak (pra-registrasi)",
                        "en": "Randomised experiment plan (pre-registration)"},
    "exp.plan.frozen_mark": {"id": "DIBEKUKAN / FROZEN", "en": "FROZEN / DIBEKUKAN"},
    "exp.plan.draft_mark": {"id": "RANCANGAN / DRAFT - belum dibekukan",
                            "en": "DRAFT / RANCANGAN - not frozen"},
    "exp.plan.draft_note": {"id": "Rencana ini belum dibekukan di basis data: isinya masih "
                                  "bisa berubah dan belum boleh dipakai untuk analisis.",
                            "en": "This plan is not frozen in the database: it may still "
                                  "change and cannot be used for the analysis yet."},
    "exp.plan.synthetic_mark": {"id": "SINTETIS / SYNTHETIC", "en": "SYNTHETIC / SINTETIS"},
    "exp.plan.synthetic_note": {"id": "Uji contoh dengan data sintetis, bukan uji sebenarnya.",
                                "en": "A sample experiment on synthetic data, not a real "
                                      "one."},
    "exp.plan.experiment_id": {"id": "ID uji", "en": "Experiment id"},
    "exp.plan.design": {"id": "Desain", "en": "Design"},
    "exp.plan.unit": {"id": "Unit acak", "en": "Unit of randomisation"},
    "exp.plan.waves": {"id": "Gelombang", "en": "Waves"},
    "exp.plan.share": {"id": "Porsi ditahan", "en": "Hold-out share"},
    "exp.plan.seed": {"id": "Seed acak", "en": "Random seed"},
    "exp.plan.years": {"id": "Pemilu", "en": "Elections"},
    "exp.plan.years_value": {"id": "dasar {baseline}, hasil {outcome}",
                             "en": "baseline {baseline}, outcome {outcome}"},
    "exp.plan.created": {"id": "Dibuat", "en": "Created"},
    "exp.plan.salt": {"id": "Salt (untuk operator)", "en": "Salt (for the operators)"},
    "exp.plan.design.cluster": {"id": "Penahanan klaster", "en": "Cluster hold-out"},
    "exp.plan.design.individual": {"id": "Penahanan per nomor", "en": "Individual hold-out"},
    "exp.plan.design.cluster.text": {
        "id": "Sekitar {share} unit, diundi per strata, tidak menerima blast sama sekali pada "
              "gelombang uji; unit lainnya menerimanya seperti biasa. Hasil diukur dari data "
              "KPU per unit, dengan angka pemilu sebelumnya sebagai kovariat dasar.",
        "en": "About {share} of the units, drawn within strata, get no blast at all in the "
              "experiment's waves; the other units get it as usual. Outcomes come from KPU "
              "results per unit, with the previous election's figure as the baseline "
              "covariate."},
    "exp.plan.design.individual.text": {
        "id": "Operator tidak mengirim pesan gelombang uji ke sekitar {share} nomor di setiap "
              "strata (operator x provinsi), dipilih dengan aturan hash di lampiran. Hasil "
              "diukur dari responden survei yang nomornya disamarkan saat dimuat.",
        "en": "The operators do not send the experiment's waves to about {share} of the "
              "numbers in each stratum (operator x province), chosen by the hash rule in the "
              "appendix. Outcomes come from survey respondents, whose numbers are "
              "pseudonymised on loading."},
    "exp.plan.unit.regency": {"id": "Kabupaten/kota", "en": "Regency (kabupaten/kota)"},
    "exp.plan.unit.province": {"id": "Provinsi", "en": "Province"},
    "exp.plan.unit.number": {"id": "Nomor telepon", "en": "Phone number"},
    "exp.plan.outcome": {"id": "Hasil", "en": "Outcome"},
    "exp.plan.outcome.turnout": {"id": "Partisipasi pemilih", "en": "Turnout"},
    "exp.plan.outcome.turnout.def": {"id": "surat suara terpakai / DPT per unit (KPU)",
                                     "en": "ballots cast / registered voters (DPT) per unit "
                                           "(KPU)"},
    "exp.plan.outcome.invalid_rate": {"id": "Suara tidak sah", "en": "Invalid-ballot rate"},
    "exp.plan.outcome.invalid_rate.def": {"id": "suara tidak sah / surat suara terpakai per "
                                                "unit (KPU)",
                                          "en": "invalid ballots / ballots cast per unit "
                                                "(KPU)"},
    "exp.plan.outcome.voted": {"id": "Memilih (survei)", "en": "Voted (survey)"},
    "exp.plan.outcome.voted.def": {"id": "porsi responden berbobot yang menjawab ya",
                                   "en": "weighted share of respondents answering yes"},
    "exp.plan.outcome.knows_valid_ballot": {"id": "Tahu cara mencoblos sah (survei)",
                                            "en": "Knows a valid ballot (survey)"},
    "exp.plan.outcome.knows_valid_ballot.def": {"id": "porsi responden berbobot yang "
                                                      "menjawab ya",
                                                "en": "weighted share of respondents "
                                                      "answering yes"},
    "exp.plan.signoff": {"id": "Persetujuan menahan pesan", "en": "Sign-off for withholding"},
    "exp.plan.signoff_text": {
        "id": "Menahan pesan informasi kepemiluan dari sebagian penerima disetujui oleh {name} "
              "({role}) pada {date}.",
        "en": "Withholding a civic-information message from some recipients was approved by "
              "{name} ({role}) on {date}."},
    "exp.plan.what": {"id": "Rancangan", "en": "Design"},
    "exp.plan.outcomes": {"id": "Hasil yang diukur", "en": "Outcomes"},
    "exp.plan.estimator": {"id": "Penaksir", "en": "Estimator"},
    "exp.plan.itt_text": {
        "id": "Efek yang dilaporkan adalah intention-to-treat (ITT): selisih hasil kelompok "
              "blast dikurangi kelompok tahan, menurut undian, terlepas dari pesan benar "
              "terkirim atau tidak. Karena kelompok diundi, selisih ini kausal untuk "
              "penugasannya: apa yang diubah oleh pengiriman blast sebagaimana dijalankan "
              "operator. Jika sebagian unit tahan tetap menerima pesan (atau sebagian unit "
              "blast tidak), efek pada yang patuh (Wald) menskalakan ITT dengan selisih "
              "kepatuhan dari laporan pengiriman. Interval 95% dilaporkan lebih dulu, "
              "nilai-p sesudahnya.",
        "en": "The effect reported is the intention to treat (ITT): the outcome of the blast "
              "arm minus the hold-out arm, as drawn, whether or not each message was "
              "delivered. Because the arms are drawn at random, it is causal for the "
              "assignment: what sending the blast, as the operators carried it out, changed. "
              "Where some held-out units still got the message (or some blast units did not), "
              "the complier effect (Wald) scales the ITT by the difference in compliance "
              "counted from the delivery receipts. The 95% interval comes first, the p-value "
              "second."},
    "exp.plan.assignment": {"id": "Penugasan per strata", "en": "Assignment per stratum"},
    "exp.plan.assignment.cluster": {
        "id": "Undian berstrata (seed {seed}); daftar lengkap unit dan kelompoknya ada di "
              "lampiran.",
        "en": "Stratified draw (seed {seed}); every unit and its arm are listed in the "
              "appendix."},
    "exp.plan.assignment.individual": {
        "id": "Nomor ditahan bila bucket-nya (HMAC-SHA256 nomor 62... dengan salt di atas, 8 "
              "byte pertama, modulo 10.000) di bawah ambang stratanya; ambang per strata ada "
              "di lampiran.",
        "en": "A number is held out when its bucket (HMAC-SHA256 of the 62... number under "
              "the salt above, first 8 bytes, modulo 10,000) is below its stratum's "
              "threshold; every stratum's threshold is in the appendix."},
    "exp.plan.stratum": {"id": "Strata", "en": "Stratum"},
    "exp.plan.units": {"id": "Unit", "en": "Units"},
    "exp.plan.arm": {"id": "Kelompok", "en": "Arm"},
    "exp.plan.arm.holdout": {"id": "Ditahan", "en": "Hold-out"},
    "exp.plan.arm.blast": {"id": "Blast", "en": "Blast"},
    "exp.plan.total": {"id": "Jumlah", "en": "Total"},
    "exp.plan.code": {"id": "Kode", "en": "Code"},
    "exp.plan.name": {"id": "Nama", "en": "Name"},
    "exp.plan.province": {"id": "Provinsi", "en": "Province"},
    "exp.plan.operator": {"id": "Operator", "en": "Operator"},
    "exp.plan.strata_count": {"id": "Strata (provinsi)", "en": "Strata (provinces)"},
    "exp.plan.threshold": {"id": "Ambang (dari 10.000)", "en": "Threshold (of 10,000)"},
    "exp.plan.appendix_units": {"id": "Lampiran: setiap unit dan kelompoknya",
                                "en": "Appendix: every unit and its arm"},
    "exp.plan.appendix_thresholds": {"id": "Lampiran: ambang per operator dan provinsi",
                                     "en": "Appendix: thresholds per operator and province"},
    "exp.plan.appendix_thresholds_note": {
        "id": "Nomor dengan bucket di bawah ambang ditahan. Implementasi rujukan (Python, "
              "DuckDB, PostgreSQL): python -m dashboard experiment reference --plan RENCANA "
              "--lang python|duckdb|postgres.",
        "en": "A number whose bucket is below the threshold is held out. Reference "
              "implementations (Python, DuckDB, PostgreSQL): python -m dashboard experiment "
              "reference --plan PLAN --lang python|duckdb|postgres."},
    "exp.plan.power": {"id": "Daya uji sebelum blast", "en": "Power before the blast"},
    "exp.plan.mde_analytic": {"id": "MDE (rumus)", "en": "MDE (formula)"},
    "exp.plan.mde_simulated": {"id": "MDE (simulasi)", "en": "MDE (simulation)"},
    "exp.plan.n": {"id": "n", "en": "n"},
    "exp.plan.points": {"id": "{value} poin", "en": "{value} points"},
    "exp.plan.power_basis": {"id": "Data dasar", "en": "Based on"},
    "exp.plan.power_note": {
        "id": "MDE: efek terkecil (dalam poin persentase) yang terdeteksi dengan daya 80% pada "
              "alfa 5% dua sisi, dihitung dari sepasang pemilu yang lalu.",
        "en": "MDE: the smallest effect (in percentage points) detected with 80% power at a "
              "two-sided 5% level, computed from a past pair of elections."},
    "exp.plan.no_power": {"id": "Analisis daya tidak tersedia: data dasar tidak dimuat.",
                          "en": "No power analysis: the baseline data were not loaded."},
    "exp.plan.hash": {"id": "Sidik SHA-256", "en": "SHA-256 fingerprint"},
    "exp.plan.hash_note": {
        "id": "Rencana ini dibekukan sebelum gelombang pertama. Sidik di bawah dihitung dari "
              "JSON kanonis rencana (kunci terurut, tanpa spasi, UTF-8); analisis menolak file "
              "rencana yang sidiknya lain. Periksa: python -m dashboard experiment verify "
              "RENCANA.json ({experiment}).",
        "en": "This plan was frozen before its first wave. The fingerprint below is over the "
              "plan's canonical JSON (sorted keys, no spaces, UTF-8); the analysis refuses a "
              "plan file whose fingerprint differs. Check: python -m dashboard experiment "
              "verify PLAN.json ({experiment})."},
    "exp.plan.draft_hash_note": {
        "id": "Belum ada sidik: bekukan rencana dengan python -m dashboard experiment freeze "
              "RENCANA.json sebelum gelombang pertama.",
        "en": "No fingerprint yet: freeze the plan with python -m dashboard experiment freeze "
              "PLAN.json before the first wave."},
    "exp.plan.error.not_json": {"id": "File rencana bukan JSON: {detail}",
                                "en": "The plan file is not JSON: {detail}"},
    "exp.plan.error.not_object": {"id": "File rencana harus berisi satu objek JSON",
                                  "en": "The plan file must hold one JSON object"},
    "exp.plan.error.version": {"id": "Versi rencana {found}; versi ini membaca {expected}",
                               "en": "Plan version {found}; this version reads {expected}"},
    "exp.plan.error.missing": {"id": "Rencana tidak memuat isian {field}",
                               "en": "The plan lacks the field {field}"},
    "exp.plan.error.unknown": {"id": "Rencana memuat isian tak dikenal {field}",
                               "en": "The plan has an unknown field {field}"},
    "exp.plan.error.text": {"id": "Isian {field} harus berupa teks yang tidak kosong",
                            "en": "The field {field} must be non-empty text"},
    "exp.plan.error.choice": {"id": "Isian {field} harus salah satu dari: {allowed}",
                              "en": "The field {field} must be one of: {allowed}"},
    "exp.plan.error.list": {"id": "Isian {field} harus berupa daftar tidak kosong tanpa "
                                  "pengulangan",
                            "en": "The field {field} must be a non-empty list without "
                                  "repeats"},
    "exp.plan.error.share": {"id": "Porsi ditahan harus lebih dari 0 dan paling banyak 0,5 "
                                   "(tertulis: {value})",
                             "en": "The hold-out share must be above 0 and at most 0.5 "
                                   "(given: {value})"},
    "exp.plan.error.integer": {"id": "Isian {field} harus bilangan bulat tidak negatif",
                               "en": "The field {field} must be a non-negative integer"},
    "exp.plan.error.years": {"id": "Tahun dasar ({baseline}) harus sebelum tahun hasil "
                                   "({outcome})",
                             "en": "The baseline year ({baseline}) must come before the "
                                   "outcome year ({outcome})"},
    "exp.plan.error.date": {"id": "Isian {field} harus tanggal ISO (YYYY-MM-DD)",
                            "en": "The field {field} must be an ISO date (YYYY-MM-DD)"},
    "exp.plan.error.boolean": {"id": "Isian {field} harus true atau false",
                               "en": "The field {field} must be true or false"},
    "exp.plan.error.identifier": {"id": "Isian {field} harus 1-64 huruf, angka, - atau _",
                                  "en": "The field {field} must be 1-64 letters, digits, - "
                                        "or _"},
    "exp.plan.error.wave_id": {"id": "ID gelombang tidak sah: {wave}",
                               "en": "Not a valid wave id: {wave}"},
    "exp.plan.error.sign_off": {
        "id": "Rencana wajib mencatat siapa yang menyetujui penahanan pesan: nama, jabatan "
              "dan tanggal (YYYY-MM-DD), tidak boleh kosong",
        "en": "The plan must record who approved withholding the message: name, role and "
              "date (YYYY-MM-DD), none empty"},
    "exp.plan.error.power": {"id": "Isian power harus objek JSON atau null",
                             "en": "The field power must be a JSON object or null"},
    "exp.plan.error.design_fields": {"id": "Desain {design} memerlukan {needed} dan tidak "
                                           "memuat {unwanted}",
                                     "en": "A {design} design needs {needed} and has no "
                                           "{unwanted}"},
    "exp.plan.error.units": {
        "id": "Penugasan harus memuat setiap unit sekali, dengan strata dan kelompok holdout "
              "atau blast, dan kedua kelompok harus ada",
        "en": "The assignment must list each unit once, with a stratum and an arm holdout or "
              "blast, and both arms must be present"},
    "exp.plan.error.strata": {
        "id": "Ambang harus memuat setiap operator x provinsi sekali, dengan ambang 0-10.000",
        "en": "The thresholds must list each operator x province once, with a threshold of "
              "0-10,000"},
    "exp.plan.error.salt": {"id": "Salt harus 64 karakter heksadesimal (huruf kecil)",
                            "en": "The salt must be 64 lower-case hexadecimal characters"},
    "exp.plan.error.wave_taken": {"id": "Gelombang {wave} sudah ada dalam rencana beku uji "
                                        "{other}: satu gelombang, satu uji",
                                  "en": "Wave {wave} is already in the frozen plan of "
                                        "experiment {other}: one experiment per wave"},
    "exp.plan.error.refrozen": {
        "id": "Uji {experiment} sudah dibekukan dengan rencana lain (SHA-256 {stored}…); "
              "rencana ini {given}…",
        "en": "Experiment {experiment} is frozen with another plan (SHA-256 {stored}…); this "
              "plan's is {given}…"},
    "exp.plan.error.not_frozen": {"id": "Uji {experiment} belum dibekukan di basis data ini",
                                  "en": "Experiment {experiment} has no frozen plan in this "
                                        "database"},
    "exp.plan.error.mismatch": {
        "id": "SHA-256 rencana ini ({given}…) berbeda dari rencana beku uji {experiment} "
              "({stored}…): file diubah setelah dibekukan, analisis ditolak",
        "en": "This plan's SHA-256 ({given}…) differs from the frozen plan of experiment "
              "{experiment} ({stored}…): the file was changed after freezing, so the "
              "analysis refuses it"},
    "ui.warnings": {"id": "Peringatan", "en": "Warnings"},
    "chart.unknown_wave": {"id": "{wave} (gelombang tak dikenal)", "en": "{wave} (unknown wave)"},
    "ui.waves_missing": {"id": "Gelombang yang tidak ada di katalog", "en": "Waves missing from "
                         "the catalogue"},
    "ui.waves_missing_note": {"id": "Pesannya dimuat dan ikut dihitung; tambahkan gelombang ini "
                                    "ke file katalog gelombang.",
                              "en": "Their messages are loaded and counted; add these waves "
                                    "to the wave catalogue file."},
    "ui.warning_kinds": {"id": "Jenis peringatan", "en": "Kinds of warning"},
    "ui.warnings_note": {"id": "Baris ini dimuat dan ikut dihitung; peringatan menandai isinya "
                               "yang tidak biasa. Per file, 10.000 peringatan pertama "
                               "dicantumkan; selebihnya dihitung per jenis.",
                         "en": "These rows are loaded and counted; a warning flags what is "
                               "unusual in them. For each file the first 10,000 warnings are "
                               "listed; the rest are counted by kind."},
    "ui.rules_note": {"id": "Ditolak hanya baris yang kolom penentu angkanya tidak terpakai "
                             "(operator, ID pesan, nomor penerima, status, waktu kirim, "
                             "ID gelombang); hal lain yang tidak biasa dimuat dengan "
                             "peringatan, agar angka yang diterbitkan tidak berubah diam-diam.",
                      "en": "A row is rejected only when a field its count needs is unusable "
                            "(operator, message id, recipient, state, send time, wave id); "
                            "anything else unusual loads with a warning, so that published "
                            "numbers never change silently."},
    # large-campaign mode: rollups computed by a cluster (dashboard/cluster/attach.py)
    "cluster.attach.no_manifest": {
        "id": "{folder} tidak memuat manifest.json: bukan folder rollup dari `python -m "
              "dashboard cluster rollups`, atau tugasnya belum selesai. Tidak ada yang diubah.",
        "en": "{folder} has no manifest.json: it is not a rollups folder written by `python -m "
              "dashboard cluster rollups`, or the job did not finish. Nothing was changed."},
    "cluster.attach.bad_manifest": {
        "id": "manifest.json di {folder} tidak sah (kolom {field} tidak ada atau salah); "
              "hitung ulang rollup-nya. Tidak ada yang diubah.",
        "en": "the manifest.json in {folder} is not valid (field {field} is missing or "
              "wrong); compute the rollups again. Nothing was changed."},
    "cluster.attach.sample_unknown": {
        "id": "manifest.json di {folder} tidak menyatakan apakah lake berisi data contoh; tulis "
              "ulang lake dengan `python -m dashboard lake` lalu hitung ulang rollup-nya. "
              "Tidak ada yang diubah.",
        "en": "the manifest.json in {folder} does not say whether the lake holds sample data; "
              "write the lake again with `python -m dashboard lake`, then the rollups. "
              "Nothing was changed."},
    "cluster.attach.precision": {
        "id": "sketch di {folder} dibuat dengan presisi {found}, dasbor ini memakai {wanted}; "
              "hitung ulang rollup-nya dengan versi ini. Tidak ada yang diubah.",
        "en": "the sketch in {folder} was built with precision {found}, this dashboard uses "
              "{wanted}; compute the rollups again with this version. Nothing was changed."},
    "cluster.attach.plan_differs": {
        "id": "lengan hold-out di lake untuk uji {experiment} ditempatkan dengan rencana "
              "{lake}…, sedangkan basis data ini memegang rencana {database}… dengan id yang "
              "sama; tulis ulang lake dan rollup-nya dengan `cluster ingest --db` basis data "
              "ini. Tidak ada yang diubah.",
        "en": "the lake's hold-out arms for experiment {experiment} were placed by plan "
              "{lake}…, but this database holds plan {database}… under the same id; write the "
              "lake and its rollups again with this database as `cluster ingest --db`. "
              "Nothing was changed."},
    "cluster.attach.missing_files": {
        "id": "{folder} tidak memuat berkas Parquet untuk {table}; hitung ulang rollup-nya. "
              "Tidak ada yang diubah.",
        "en": "{folder} holds no Parquet files for {table}; compute the rollups again. "
              "Nothing was changed."},
    "cluster.attach.rows_differ": {
        "id": "{table}: manifest menyebut {expected} baris, berkasnya memuat {found}; folder "
              "tidak lengkap atau telah diubah. Tidak ada yang diubah.",
        "en": "{table}: the manifest says {expected} rows, the files hold {found}; the folder "
              "is incomplete or was changed. Nothing was changed."},
    "cluster.attach.columns": {
        "id": "{table}: berkas Parquet-nya tidak memuat kolom {columns}; hitung ulang "
              "rollup-nya dengan versi ini. Tidak ada yang diubah.",
        "en": "{table}: its Parquet files lack the columns {columns}; compute the rollups "
              "again with this version. Nothing was changed."},
    "cluster.attach.has_receipts": {
        "id": "basis data ini memuat laporan pengiriman mentah ({receipts} baris) atau "
              "riwayat muatnya; lampirkan rollup klaster ke basis data baru (--db). Tidak ada "
              "yang diubah.",
        "en": "this database holds raw delivery receipts ({receipts} rows) or their load "
              "history; attach cluster rollups to a new database (--db). Nothing was "
              "changed."},
    "cluster.attach.bad_accounting": {
        "id": "{path} bukan laporan tugas `cluster ingest` yang dapat dibaca (bagian "
              "{field}). Tidak ada yang diubah.",
        "en": "{path} is not a readable `cluster ingest` report (part {field}). Nothing was "
              "changed."},
    "cluster.attach.accounting_differs": {
        "id": "laporan tugas {path} menyimpan {accounted} laporan pengiriman, tetapi rollup "
              "menghitung {counted}: keduanya bukan dari satu proses klaster. Tidak ada yang "
              "diubah.",
        "en": "the report {path} leaves {accounted} delivery receipts stored but the rollups "
              "count {counted}: they are not from one cluster run. Nothing was changed."},
    "cluster.attach.pairs_differ": {
        "id": "rollup reach_registers memuat {pairs} pasangan (gelombang, hari kirim) tanpa "
              "berkas pengirimnya di reach_pair_files (atau tanpa ingest_id): keduanya bukan "
              "dari satu proses, atau lake-nya tidak memuat ingest_id; hitung ulang rollup-nya. "
              "Tidak ada yang diubah.",
        "en": "the rollup reach_registers holds {pairs} (wave, send day) pairs whose file "
              "reach_pair_files does not give (or gives without ingest_id): they are not from "
              "one run, or the lake lacks ingest_id; compute the rollups again. Nothing was "
              "changed."},
    "cluster.attach.reach_split": {
        "id": "{count} gelombang di luar katalog ({waves}) hanya sebagian dihitung oleh "
              "pemuatan biasa: batas {cap} pasangan (gelombang, hari kirim) untuk gelombang di "
              "luar katalog hanya menyimpan sebagian harinya, dan rollup klaster tidak "
              "dapat menghitung bagian itu secara tepat. Tambahkan gelombang ini ke katalog "
              "gelombang (atau perbaiki ID-nya), lalu lampirkan lagi. Tidak ada yang diubah.",
        "en": "{count} waves missing from the catalogue ({waves}) would be counted only in "
              "part by the native ingest: its cap of {cap} (wave, send day) pairs for waves "
              "missing from the catalogue keeps only some of their days, and the cluster's "
              "rollups cannot count that part exactly. Add these waves to the waves catalogue "
              "(or correct their ids), then attach again. Nothing was changed."},
    "cluster.attach.left_out": {
        "id": "catatan: jangkauan unik tidak mencakup {waves} gelombang di luar katalog "
              "gelombang (katalog memuat {catalogue} gelombang; gelombang di luar katalog "
              "menyimpan paling banyak {cap} pasangan gelombang dan hari kirim), seperti pada "
              "pemuatan biasa. Jika katalog belum dimuat, muat waves.csv lalu lampirkan lagi.",
        "en": "note: unique reach leaves out {waves} waves missing from the waves catalogue "
              "(the catalogue holds {catalogue} waves; waves missing from it keep at most {cap} "
              "(wave, send day) pairs), as the native ingest does. If the catalogue is not "
              "loaded yet, load waves.csv and attach again."},
    "cluster.rollups_stale": {
        "id": "Basis data ini dilayani dari rollup klaster (mode kampanye besar), tetapi sketch "
              "jangkauan unik atau rollup jangkauan per gelombangnya bukan yang dilampirkan "
              "terakhir untuk versi ini (presisi sketch {found}, versi ini memakai {wanted}). "
              "Tanpa laporan pengiriman mentah keduanya tidak dapat dibangun ulang di sini, jadi "
              "jangkauan unik tidak ditampilkan: jalankan lagi `python -m dashboard cluster "
              "rollups` dan `python -m dashboard cluster attach`.",
        "en": "This database is served from cluster rollups (large-campaign mode), but its "
              "unique-reach sketch or per-wave reach rollup is not the one last attached for "
              "this version (sketch precision {found}, this version uses {wanted}). Without the "
              "raw delivery receipts neither can be rebuilt here, so unique reach is not shown: "
              "run `python -m dashboard cluster rollups` and `python -m dashboard cluster "
              "attach` again."},
    "cluster.receipts_refused": {
        "id": "basis data ini dilayani dari rollup klaster (mode kampanye besar) dan tidak "
              "memuat laporan mentah untuk digabung: berkas laporan pengiriman dimuat oleh "
              "`cluster ingest`, lalu `cluster rollups` dan `cluster attach` lagi.",
        "en": "this database is served from cluster rollups (large-campaign mode) and holds "
              "no raw receipts to merge with: receipts files go through `cluster ingest`, "
              "then `cluster rollups` and `cluster attach` again."},
    "prov.cluster": {
        "id": "Angka laporan pengiriman dihitung oleh {engine} dari lake {lake} ({created}); "
              "basis data ini tidak memuat laporan mentah.",
        "en": "Delivery numbers computed by {engine} from the lake {lake} ({created}); this "
              "database holds no raw receipts."},
    "ui.large_campaign.compliance": {
        "id": "Kepatuhan (bagian unit atau nomor yang terjangkau) memerlukan hitungan yang "
              "tidak dimuat basis data ini: rollup klaster yang dilampirkan sebelum versi ini "
              "tidak memuat laporan per provinsi dan kabupaten/kota atau per kelompok hold-out "
              "nomor, atau lake-nya ditulis sebelum uji per nomor ini dibekukan (laporannya "
              "tidak membawa kelompok hold-out). Tulis ulang lake dan rollup-nya lalu lampirkan "
              "lagi. Jadi kepatuhan dan efek pada yang patuh tidak tersedia di sini; efek "
              "intention-to-treat tidak memerlukannya.",
        "en": "Compliance (the share of units or numbers reached) needs counts this database "
              "does not hold: cluster rollups attached before this version lack the receipts "
              "per province and regency or per number's hold-out arm, or the lake was written "
              "before this experiment by numbers was frozen (its receipts carry no hold-out "
              "arm). Write the lake and the rollups again and attach them. So compliance and "
              "the complier effect are not available here; the intention-to-treat effect "
              "does not need them."},
    "ui.large_campaign.compliance_arms": {
        "id": "Terkirim, diterima, jumlah nomor dan nomor yang terjangkau dihitung dari rollup "
              "klaster ({engine}, {created}): tiap laporan pengiriman ditempatkan pada "
              "kelompoknya menurut kelompok hold-out nomornya, yang dihitung dari nomor aslinya "
              "saat klaster membaca berkasnya, sama seperti pada pemuatan biasa. Nomor berbeda "
              "dihitung oleh klaster per operator dan kelompok, jadi jumlahnya tepat.",
        "en": "Sent, delivered, numbers and numbers reached are counted from the cluster's "
              "rollup ({engine}, {created}): each delivery receipt is placed in its arm by its "
              "number's hold-out bucket, computed from the raw number when the cluster read "
              "the files, as a native load does. The cluster counts distinct numbers per "
              "operator and arm, so they are exact."},
    "ui.large_campaign.compliance_numbers": {
        "id": "Terkirim, diterima dan unit yang terjangkau dihitung dari rollup klaster "
              "({engine}, {created}) yang menjumlah laporan pengiriman per provinsi dan "
              "kabupaten/kota, sama seperti pada pemuatan biasa. Jumlah nomor berbeda yang "
              "menerima pesan memerlukan laporan pengiriman mentah, yang tidak dimuat basis "
              "data ini: kolom itu kosong (–).",
        "en": "Sent, delivered and units reached are counted from the cluster's rollup "
              "({engine}, {created}) that sums the delivery receipts per province and "
              "regency, as a native load counts them. How many distinct numbers received the "
              "messages needs the raw delivery receipts, which this database does not hold: "
              "that column is empty (–)."},
    "ui.large_campaign.data_quality": {
        "id": "Laporan pengiriman dibaca oleh klaster ({engine}, {created}): catatan per "
              "berkasnya ada pada laporan tugas klaster (accounting.json dari `cluster "
              "ingest`), bukan di basis data ini. Tabel di bawah hanya memuat berkas yang "
              "dimuat di sini.",
        "en": "The delivery receipts were read by the cluster ({engine}, {created}): their "
              "per-file accounting is in the cluster job's report (accounting.json of "
              "`cluster ingest`), not in this database. The table below lists only the files "
              "loaded here."},
    "ui.large_campaign.data_quality_attached": {
        "id": "Laporan pengiriman dibaca oleh klaster ({engine}, {created}); catatan per "
              "berkasnya dilampirkan dari laporan tugas klaster (`cluster attach "
              "--accounting`) dan tampil di bawah seperti berkas yang dimuat di sini.",
        "en": "The delivery receipts were read by the cluster ({engine}, {created}); their "
              "per-file accounting was attached from the cluster job's report (`cluster "
              "attach --accounting`) and is shown below like the files loaded here."},
}


class _KeepMissing(dict):
    """format_map helper: leaves an unknown {placeholder} visible instead of raising."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def normalize_lang(lang: str | None) -> str:
    """'en' (or 'en-GB', 'EN') for English; anything else is Indonesian, the default."""
    return "en" if str(lang or "").lower().startswith("en") else DEFAULT_LANG


def t(key: str, lang: str = DEFAULT_LANG, **kwargs: object) -> str:
    """The UI string for `key` in `lang`, with {placeholders} filled; the key itself if unknown."""
    entry = TRANSLATIONS.get(key)
    if entry is None:
        return key
    text = entry.get(normalize_lang(lang)) or entry[DEFAULT_LANG]
    return text.format_map(_KeepMissing(kwargs)) if kwargs else text


class Translatable(Exception):
    """An error said through i18n: `key` and its `params`. str() is the English (logs, and
    callers that show it as it is); message(lang) the reader's language. A lower layer raises
    it, the CLI and the app say it (the lower layer never imports them). Mix it in before the
    error's own base: class LakeError(Translatable, ValueError)."""

    def __init__(self, key: str, **params: object) -> None:
        self.key, self.params = key, params
        super().__init__(t(key, "en", **params))

    def message(self, lang: str) -> str:
        # a value that is itself Translatable (a reason inside a reason) in the same language
        return t(self.key, lang, **{name: error_text(value, lang) if isinstance(
            value, Translatable) else value for name, value in self.params.items()})


def error_text(exc: BaseException, lang: str) -> str:
    """What a user reads of an error: a Translatable's message in `lang`, else its own words
    (an OS's or a library's, which no key can hold)."""
    return exc.message(lang) if isinstance(exc, Translatable) else str(exc)


def is_missing(x: object) -> bool:
    """True for None, NaN, pd.NA and NaT."""
    if x is None:
        return True
    try:
        return bool(pd.isna(x))
    except (TypeError, ValueError):  # lists and other containers are not "missing"
        return False


def _to_decimal(x: object) -> Decimal | None:
    # repr() of a float is its shortest round-trip form, so 0.145 stays 0.145 and rounds half-up
    # the way a reader expects (14,5%), not the way binary floating point would (14,4%).
    if isinstance(x, Decimal):
        return x
    if isinstance(x, bool):
        return Decimal(int(x))
    if isinstance(x, Real):
        f = float(x)
        if not math.isfinite(f):
            return None
        return Decimal(int(x)) if isinstance(x, int) else Decimal(repr(f))
    try:
        return Decimal(str(x))
    except InvalidOperation:
        return None


def _scientific(number: Decimal, lang: str) -> str:
    """3.389403e32 -> '3,39 × 10^32' (id) / '3.39 × 10^32' (en): three significant digits."""
    exponent = number.adjusted()
    mantissa = number.scaleb(-exponent).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    if abs(mantissa) >= 10:  # 9.996e30 rounds to 10.00: 1.00 x 10^31
        mantissa, exponent = mantissa.scaleb(-1).quantize(Decimal("0.01")), exponent + 1
    text = f"{mantissa:.2f}"
    if normalize_lang(lang) == "id":
        text = text.replace(".", ",")
    return f"{text} × 10^{exponent}"


def _group(number: Decimal, decimals: int, lang: str) -> str:
    quantum = Decimal(1).scaleb(-decimals)
    try:
        rounded = number.quantize(quantum, rounding=ROUND_HALF_UP)
    except InvalidOperation:
        # more digits than Decimal's 28-digit context holds (1e26 at two decimals: an odds
        # ratio's interval end from a degenerate fit crashed the page): scientific form
        return _scientific(number, lang)
    if rounded == 0:
        rounded = abs(rounded)  # never print "-0"
    text = f"{rounded:,.{decimals}f}"
    if normalize_lang(lang) == "id":
        text = text.replace(",", "\0").replace(".", ",").replace("\0", ".")
    return text


def format_number(x: object, decimals: int = 0, lang: str = DEFAULT_LANG) -> str:
    """1234567 -> '1.234.567' (id) / '1,234,567' (en); missing -> '–'."""
    if is_missing(x):
        return MISSING
    if isinstance(x, Real) and math.isinf(float(x)):
        return "∞" if float(x) > 0 else "-∞"
    number = _to_decimal(x)
    if number is None:
        return MISSING
    return _group(number, decimals, lang)


# A share that is neither none nor all gets decimals until it reads neither 0 % nor 100 %, up
# to this many; a value still at an end there is 0 or 1 but for floating-point noise.
MOST_PERCENT_DECIMALS = 9


def percent_decimals(x: object, decimals: int = 1) -> int:
    """How many decimals a fraction is written with as a percentage: `decimals`, more where
    fewer would round a share that is neither none nor all to 0 % or 100 % (2000 of 2001
    delivered is 99,95 %, never '100,0%': a ministry would publish a false "all")."""
    number = None if is_missing(x) else _to_decimal(x)
    if number is None or not 0 < number < 1:
        return decimals
    for more in range(decimals, MOST_PERCENT_DECIMALS + 1):
        rounded = (number * 100).quantize(Decimal(1).scaleb(-more), rounding=ROUND_HALF_UP)
        if 0 < rounded < 100:
            return more
    return decimals


def significant_decimals(x: object, digits: int = 2, at_least: int = 0) -> int:
    """The decimals that write `x` with `digits` significant digits, and `at_least` decimals:
    a small value never reads 0 (10 messages for 35.714.901 voters: 0,00000028 per voter).
    Chosen on the value as it will be printed, so 0.000998 is 0,0010 (beside 0,0010), not
    0,00100."""
    number = None if is_missing(x) else _to_decimal(x)
    if number is None or number == 0:
        return at_least
    size = abs(number)

    def needed(value: Decimal) -> int:
        return max(at_least, digits - 1 - value.adjusted())  # adjusted(): floor(log10)

    decimals = needed(size)
    rounded = size.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    return needed(rounded)


def format_percent(x: object, decimals: int = 1, lang: str = DEFAULT_LANG) -> str:
    """A fraction as a percentage: 0.125 -> '12,5%' (id) / '12.5%' (en); missing -> '–'.
    A share between none and all gets the decimals it needs (percent_decimals): 0,05%."""
    if is_missing(x):
        return MISSING
    number = _to_decimal(x)
    if number is None:
        return MISSING
    return _group(number * 100, percent_decimals(number, decimals), lang) + "%"


def format_compact(x: object, decimals: int = 1, lang: str = DEFAULT_LANG) -> str:
    """Large counts in few characters: 12_345_678 -> '12,3 jt' (id) / '12.3M' (en)."""
    if is_missing(x):
        return MISSING
    number = _to_decimal(x)
    if number is None:
        return MISSING
    lang = normalize_lang(lang)
    powers = [p for p in (9, 6, 3) if abs(number) >= Decimal(10) ** p]
    if not powers:
        return _group(number, 0, lang)
    power = powers[0]
    quantum = Decimal(1).scaleb(-decimals)
    if power < 9 and abs(number.scaleb(-power).quantize(quantum, ROUND_HALF_UP)) >= 1000:
        power += 3  # 999_960 is '1 jt', not '1.000 rb'
    key = {3: "unit.thousand", 6: "unit.million", 9: "unit.billion"}[power]
    sep = " " if lang == "id" else ""
    return _trim_zero(_group(number.scaleb(-power), decimals, lang), lang) + sep + t(key, lang)


def _trim_zero(text: str, lang: str) -> str:
    """'1,0' -> '1' (id) and '1.0' -> '1' (en): a whole number needs no decimals."""
    point = "," if normalize_lang(lang) == "id" else "."
    if point in text:
        text = text.rstrip("0").rstrip(point)
    return text


def format_duration(seconds: object, lang: str = DEFAULT_LANG) -> str:
    """12 -> '12 dtk', 204 -> '3,4 mnt', 7560 -> '2,1 jam', 129600 -> '1,5 hari'.

    One decimal above a minute (dropped when it is ,0); whole seconds from 10 s up.
    """
    if is_missing(seconds):
        return MISSING
    value = _to_decimal(seconds)
    if value is None:
        return MISSING
    sign, value = ("-" if value < 0 else ""), abs(value)
    one = Decimal("0.1")
    if value.quantize(Decimal(1), rounding=ROUND_HALF_UP) < 60:
        decimals = 1 if value < Decimal("9.95") else 0
        text = _trim_zero(_group(value, decimals, lang), lang)
        sign = "" if text == "0" else sign
        return f"{sign}{text} {t('unit.seconds', lang)}"
    for divisor, limit, key in (
        (Decimal(60), Decimal(60), "unit.minutes"),
        (Decimal(3600), Decimal(24), "unit.hours"),
        (Decimal(86400), None, "unit.days"),
    ):
        scaled = value / divisor
        if limit is None or scaled.quantize(one, rounding=ROUND_HALF_UP) < limit:
            text = _trim_zero(_group(scaled, 1, lang), lang)
            return f"{sign}{text} {t(key, lang)}"
    raise AssertionError("unreachable")  # pragma: no cover


def _as_date(d: object, tz: dt.tzinfo = WIB) -> dt.date | None:
    """A date from a date, datetime, Timestamp or ISO string; aware times are shown in WIB."""
    if is_missing(d):
        return None
    if isinstance(d, str):
        try:
            d = pd.Timestamp(d)
        except ValueError:
            return None
    if isinstance(d, dt.datetime):  # includes pd.Timestamp
        if d.tzinfo is not None:
            d = d.astimezone(tz)
        return d.date()
    if isinstance(d, dt.date):
        return d
    try:  # numpy datetime64 and friends
        return _as_date(pd.Timestamp(d), tz)
    except (TypeError, ValueError):
        return None


def format_date(d: object, lang: str = DEFAULT_LANG, with_year: bool = True) -> str:
    """'14 Feb 2024' (Indonesian month abbreviations: Mei, Agu, Okt, Des); missing -> '–'."""
    day = _as_date(d)
    if day is None:
        return MISSING
    month = MONTHS_ABBR[normalize_lang(lang)][day.month - 1]
    return f"{day.day} {month} {day.year}" if with_year else f"{day.day} {month}"


def format_datetime(ts: object, lang: str = DEFAULT_LANG) -> str:
    """'14 Feb 2024 09:05 WIB': aware times converted to WIB, naive ones taken as WIB."""
    if is_missing(ts):
        return MISSING
    try:
        stamp = pd.Timestamp(ts)
    except (TypeError, ValueError):
        return MISSING
    stamp = stamp.tz_localize(WIB) if stamp.tzinfo is None else stamp.tz_convert(WIB)
    return f"{format_date(stamp, lang)} {stamp:%H:%M} WIB"


def iso_week_label(d: object) -> str:
    """The ISO week of a date: 2024-02-06 -> '2024-W06' (ISO year, so 2024-12-30 -> 2025-W01)."""
    day = _as_date(d)
    if day is None:
        return MISSING
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


# The one unit of a per-voter figure (messages delivered or numbers reached, divided by the
# registered voters, DPT 2024) in every view a person reads: per 1,000 voters. Per voter a
# campaign's values are about 0,001 (0,00001 under a narrow filter) and read as nothing, and
# choosing the unit by the values put per voter, per 1,000 and per million on different
# pages for the same number. Data keep the ratio per voter; only what is shown is scaled
# (format_metric, tick_labels, tilemap.per_voter_scale, weekly.per_voter_factor), and machine
# exports keep it per voter with a note that says so. One statistic is computed in the unit
# shown: the OLS slope of the Partisipasi page (participation._province_test), per message
# per PER_VOTERS voters, so the table, its sentence and the downloads give one number (the
# row's note says the unit).
PER_VOTERS = 1_000
PER_VOTERS_KEY = "chart.scale.thousand"  # "1.000" / "1,000"


def per_voters_unit(lang: str = "id") -> str:
    """'per 1.000 pemilih' / 'per 1,000 voters': the unit of every per-voter figure shown."""
    return t("chart.tilemap.per_voters", lang, n=t(PER_VOTERS_KEY, lang))
