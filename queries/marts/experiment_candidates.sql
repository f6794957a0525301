-- The units a cluster experiment may be drawn from (issue 18), before any plan: every regency
-- of the reference list (unit 'regency') or every province (unit 'province'), with its
-- turnout and invalid rate in a past pair of elections (the power analysis reads how much
-- the rate varies between units and how well the earlier election predicts the later).
-- Rates and rules: the macro experiment_unit_rates (ddl/macros.sql).
-- Params: $unit ('regency' | 'province'), $baseline_year, $outcome_year (the pair).
-- Grain: one row per regency or province of the reference lists.
SELECT *
FROM experiment_unit_rates($unit, $baseline_year, $outcome_year)
ORDER BY unit_code
