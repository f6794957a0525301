-- The units a cluster experiment may be drawn from (issue 18), before any plan: every regency
-- of the reference list (unit 'regency') or every province (unit 'province'), with its
-- turnout and invalid rate in a past pair of elections (the power analysis reads how much
-- the rate varies between units and how well the earlier election predicts the later).
-- Rates and rules as marts/experiment_units_outcome.sql: a year's latest load of a unit; no
-- row, no rate (the gap is shown, never filled); a province that did not exist in the earlier
-- year takes its parent's earlier rates (baseline_from_parent).
-- Params: $unit ('regency' | 'province'), $baseline_year, $outcome_year (the pair).
-- Grain: one row per regency or province of the reference lists.
WITH candidates AS (
    SELECT regency_code AS unit_code, name AS unit_name, province_code,
           NULL::SMALLINT AS parent_code
    FROM regencies WHERE $unit = 'regency'
    UNION ALL
    SELECT province_code, name, province_code, split_from_2019
    FROM provinces WHERE $unit = 'province'
),
results AS (
    SELECT year, regency_code AS unit_code, dpt, ballots_cast, invalid_votes
    FROM election_results_regency
    WHERE $unit = 'regency' AND year IN ($baseline_year, $outcome_year)
    QUALIFY row_number() OVER (PARTITION BY year, regency_code
                               ORDER BY ingest_id DESC NULLS LAST) = 1
    UNION ALL
    SELECT year, province_code, dpt, ballots_cast, invalid_votes
    FROM election_results
    WHERE $unit = 'province' AND year IN ($baseline_year, $outcome_year)
    QUALIFY row_number() OVER (PARTITION BY year, province_code
                               ORDER BY ingest_id DESC NULLS LAST) = 1
),
rates AS (
    SELECT year, unit_code, dpt,
           ballots_cast / nullif(dpt, 0) AS turnout,
           invalid_votes / nullif(ballots_cast, 0) AS invalid_rate
    FROM results
)
SELECT
    c.unit_code,
    c.unit_name,
    c.province_code,
    coalesce(o.dpt, b.dpt) AS dpt,  -- the unit's own, never its parent's
    coalesce(b.turnout, parent.turnout) AS baseline_turnout,
    coalesce(b.invalid_rate, parent.invalid_rate) AS baseline_invalid_rate,
    o.turnout,
    o.invalid_rate,
    b.unit_code IS NULL AND parent.unit_code IS NOT NULL AS baseline_from_parent
FROM candidates AS c
LEFT JOIN rates AS b ON b.year = $baseline_year AND b.unit_code = c.unit_code
LEFT JOIN rates AS o ON o.year = $outcome_year AND o.unit_code = c.unit_code
LEFT JOIN rates AS parent
       ON b.unit_code IS NULL AND parent.year = $baseline_year
      AND parent.unit_code = c.parent_code
ORDER BY c.unit_code
