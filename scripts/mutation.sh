#!/usr/bin/env bash
# Mutation-test one module with mutmut 3 in a private copy of the tree, so that runs for
# different modules (and other people's work in the checkout) do not share `mutants/`.
#   scripts/mutation.sh MODULE [PATTERN ...]
#     MODULE: records hoax multiple_testing province_stats survey_stats participation
#             channels (ingest/channels.py alone), totals (ingest/totals.py: total labels and
#             group subtotals), numbers (ingest/numbers.py and dates.py:
#             the count and day rules), ingest (the rest of dashboard/ingest/'s Python),
#             splits (cluster/splits.py: a large file's pieces), experiment (estimators.py and
#             reports/experiment.py: the effects and their rows), service (alerts.py, clock.py,
#             store/backup.py: alerts, the WIB day, restore and retention), files (ingest/files.py and
#             verify.py: inspect, the CR-only copy, verify_file; far quicker than `ingest`;
#             tests/test_ingest_problems.py's test that reads dashboard/'s source text is left
#             out: in mutmut's copy that text spells every mutant, so it fails on a clean run;
#             run with process_isolation "forkserver": forked from the process that ran the
#             suite, ingest's fingerprint thread pool has no thread and every receipts load
#             hangs, so nearly every mutant timed out), export (export/tables.py: the
#             writers and header_labels), display (reports/display.py: a table on screen),
#             filters (filters.py: the default
#             period), i18n (i18n.py: give a PATTERN, e.g. Translatable and error_text, the
#             errors a lower layer raises and the CLI says in the run's language), press
#             (export/figures.py, charts/tilemap.py, charts/reach.py, charts/channels.py: give
#             a PATTERN, e.g. the press's columns or the tile map's labels)
#     PATTERN: mutant names to run (fnmatch), e.g. 'dashboard.analysis.hoax.x_mann_kendall*';
#              the others stay "not checked"
# MUTATION_ISOLATION: mutmut's process_isolation for this run ("forkserver" where the
#   selected tests load receipts files: see `files` above)
# MUTATION_TESTS: another test selection, e.g. '"tests/test_mutation_ingest.py"' (files or
#   pytest node ids, file::test; a subset kills fewer mutants than the whole, never more: its
#   killed counts are lower bounds)
# The copy is in ${MUTATION_DIR:-/tmp/mutation-MODULE}; `mutmut results` / `mutmut show NAME`
# can be run there afterwards. pyproject.toml's [tool.mutmut] lists every module together.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
module=${1:?usage: scripts/mutation.sh MODULE [PATTERN ...]}; shift
isolation=fork  # mutmut's process_isolation: workers forked from the process that ran the suite
case $module in
  records) sources='"dashboard/ingest/records.py", "dashboard/ingest/identifiers.py"'
           tests='"tests/test_records.py"' ;;
  hoax) sources='"dashboard/analysis/hoax.py"'
        tests='"tests/test_analysis_hoax.py", "tests/test_mutation_hoax.py"' ;;
  multiple_testing) sources='"dashboard/analysis/multiple_testing.py"'
        tests='"tests/test_multiple_testing.py", "tests/test_mutation_multiple_testing.py"' ;;
  province_stats) sources='"dashboard/analysis/province_stats.py"'
        tests='"tests/test_province_stats.py", "tests/test_mutation_province_stats.py"' ;;
  survey_stats) sources='"dashboard/analysis/survey_stats.py"'
        tests='"tests/test_survey_stats.py", "tests/test_mutation_survey_stats.py"' ;;
  participation) sources='"dashboard/analysis/participation.py"'
        tests='"tests/test_participation.py", "tests/test_mutation_participation.py", "tests/test_participation_channels.py", "tests/test_participation_unit.py"' ;;
  numbers) sources='"dashboard/ingest/numbers.py", "dashboard/ingest/dates.py"'
           tests='"tests/test_ingest_numbers.py", "tests/test_ingest_dates.py", "tests/test_ingest_election.py", "tests/test_ingest_hoax.py", "tests/test_ingest_channels.py"' ;;
  totals) sources='"dashboard/ingest/totals.py"'  # what a total and a group's subtotal row is
          tests='"tests/test_ingest_totals.py"' ;;
  channels) sources='"dashboard/ingest/channels.py"'
            tests='"tests/test_ingest_channels.py", "tests/test_mutation_ingest.py"' ;;
  files) sources='"dashboard/ingest/files.py", "dashboard/ingest/verify.py"'
         tests='"tests/test_cr_only_files.py", "tests/test_ingest_problems.py::test_a_refused_file_says_why_in_both_languages", "tests/test_ingest_problems.py::test_a_file_loaded_before_says_so", "tests/test_mutation_ingest.py", "tests/test_attack_repair.py"'
         isolation=forkserver ;;
  ingest) sources='"dashboard/ingest/tabular.py", "dashboard/ingest/channels.py", "dashboard/ingest/survey.py", "dashboard/ingest/election.py", "dashboard/ingest/hoax.py", "dashboard/ingest/numbers.py", "dashboard/ingest/dates.py", "dashboard/ingest/receipts.py", "dashboard/ingest/privacy.py", "dashboard/ingest/profiles.py", "dashboard/ingest/files.py", "dashboard/ingest/verify.py", "dashboard/ingest/read_progress.py", "dashboard/ingest/__init__.py"'
        tests='"tests/test_ingest_receipts.py", "tests/test_ingest_formats.py", "tests/test_ingest_survey.py", "tests/test_ingest_election.py", "tests/test_ingest_hoax.py", "tests/test_ingest_dates.py", "tests/test_ingest_numbers.py", "tests/test_privacy.py", "tests/test_smpp_corpus.py", "tests/test_attack_row_accounting.py", "tests/test_attack_repair.py", "tests/test_unknown_waves.py", "tests/test_ingest_channels.py", "tests/test_mutation_ingest.py"' ;;
  splits) sources='"dashboard/cluster/splits.py"'
          tests='"tests/test_cluster_splits.py"' ;;
  experiment) sources='"dashboard/experiment/estimators.py", "dashboard/reports/experiment.py"'
              tests='"tests/test_experiment_stats.py", "tests/test_experiment_page.py"' ;;
  service) sources='"dashboard/service/alerts.py", "dashboard/clock.py", "dashboard/store/backup.py"'
           tests='"tests/test_alerts.py", "tests/test_backup.py"'
           isolation=forkserver ;;  # test_backup loads receipts: under fork every mutant hung
  export) sources='"dashboard/export/tables.py"'  # the table writers and their headers
          tests='"tests/test_export_headers.py", "tests/test_export_tables.py", "tests/test_downloads.py"'
          isolation=forkserver ;;  # the CLI cases load receipts (sample_db): see `files`
  display) sources='"dashboard/reports/display.py"'  # how a table looks on screen
           tests='"tests/test_display.py"' ;;
  filters) sources='"dashboard/filters.py"'  # the shared filters and the default period
           tests='"tests/test_default_period.py"' ;;
  i18n) sources='"dashboard/i18n.py"'  # use a PATTERN: the formatters are many
        tests='"tests/test_cli_language.py"' ;;
  press) sources='"dashboard/export/figures.py", "dashboard/charts/tilemap.py", "dashboard/charts/reach.py", "dashboard/charts/channels.py"'
         tests='"tests/test_press_province_figures.py", "tests/test_export_figures.py"' ;;  # use a PATTERN
  *) echo "unknown module: $module" >&2; exit 2 ;;
esac
tests=${MUTATION_TESTS:-$tests}
isolation=${MUTATION_ISOLATION:-$isolation}  # forkserver for patterns of receipts loads
work=${MUTATION_DIR:-${TMPDIR:-/tmp}/mutation-$module}
rm -rf "$work" && mkdir -p "$work"
(cd "$root" && tar --exclude=./.venv --exclude=./mutants --exclude=./.git --exclude=./data \
  --exclude=./test-artifacts --exclude=./benchmarks/out -cf - .) | tar -xf - -C "$work"
"$root/.venv/bin/python" - "$work/pyproject.toml" "$sources" "$tests" "$isolation" <<'PY'
import re, sys
path, sources, tests, isolation = sys.argv[1:]
root = path.rsplit("/", 1)[0]
tests = ", ".join(t for t in tests.split(", ")
                  if __import__("os").path.exists(f"{root}/{t[1:-1].split('::')[0]}"))
text = open(path, encoding="utf-8").read()
section = (f'[tool.mutmut]\nsource_paths = [{sources}]\n'
           'also_copy = ["queries", "dashboard", "sample_data"]\n'
           f'pytest_add_cli_args_test_selection = [{tests}]\n'
           f'process_isolation = "{isolation}"\n')
text = re.sub(r"\[tool\.mutmut\]\n(?:[^\[].*\n|\n)*", section, text)
open(path, "w", encoding="utf-8").write(text)
PY
cd "$work"
# under mutmut the machine is loaded: Hypothesis' 200 ms deadline would fail clean runs
printf '\nfrom hypothesis import settings as _s\n_s.register_profile("mutation", deadline=None)\n_s.load_profile("mutation")\n' >> tests/conftest.py
nice -n 10 "$root/.venv/bin/mutmut" run --max-children "${MUTATION_CHILDREN:-2}" "$@" > mutmut-run.log 2>&1 \
  || { tail -c 2000 mutmut-run.log; exit 1; }
"$root/.venv/bin/mutmut" results --all true | awk '{print $NF}' | sort | uniq -c
"$root/.venv/bin/mutmut" results
