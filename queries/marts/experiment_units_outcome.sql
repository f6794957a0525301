-- The units of a frozen cluster experiment (issue 18): each unit's arm and stratum, its
-- baseline and outcome rates, and what the experiment's waves delivered in it (compliance).
-- Rates: turnout = ballots_cast / dpt, invalid_rate = invalid_votes / ballots_cast (NULL
-- where a count is missing or zero). Regency units read election_results_regency, province
-- units election_results (a year's latest load of a unit when loaded twice). A unit with no
-- row for a year has NULL rates for it: the page names the gap and nothing is filled in.
-- One exception, for province units only: a province that did not exist in the baseline
-- year (Papua's parts of 2022, provinces.split_from_2019) takes its parent's baseline rates
-- (baseline_from_parent true). The baseline is a covariate that only sharpens the
-- comparison of randomised arms, so a parent's rate costs precision, never bias; outcomes
-- are always the unit's own (no 34-unit harmonisation: the units are those of the outcome
-- year). Receipts are placed by receipts.regency_code (regency units) or province_code.
-- Params: $experiment_id, $baseline_year, $outcome_year.
-- Grain: one row per unit of the experiment (experiment_units).
WITH experiment AS (
    SELECT unit FROM experiments WHERE experiment_id = $experiment_id
),
units AS (
    SELECT u.unit_code, u.stratum, u.arm
    FROM experiment_units AS u
    WHERE u.experiment_id = $experiment_id
),
results AS (  -- one row per (year, unit) of the experiment's kind of unit
    SELECT year, regency_code AS unit_code, dpt, ballots_cast, invalid_votes
    FROM election_results_regency
    WHERE (SELECT unit FROM experiment) = 'regency'
      AND year IN ($baseline_year, $outcome_year)
    QUALIFY row_number() OVER (PARTITION BY year, regency_code
                               ORDER BY ingest_id DESC NULLS LAST) = 1
    UNION ALL
    SELECT year, province_code AS unit_code, dpt, ballots_cast, invalid_votes
    FROM election_results
    WHERE (SELECT unit FROM experiment) = 'province'
      AND year IN ($baseline_year, $outcome_year)
    QUALIFY row_number() OVER (PARTITION BY year, province_code
                               ORDER BY ingest_id DESC NULLS LAST) = 1
),
rates AS (
    SELECT year, unit_code, dpt,
           ballots_cast / nullif(dpt, 0) AS turnout,
           invalid_votes / nullif(ballots_cast, 0) AS invalid_rate
    FROM results
),
delivered AS (  -- the experiment's waves' receipts, per unit they name
    SELECT CASE WHEN (SELECT unit FROM experiment) = 'regency' THEN r.regency_code
                ELSE r.province_code END AS unit_code,
           count(*) AS sent,
           count(*) FILTER (WHERE r.status = 'DELIVRD') AS delivered,
           count(DISTINCT r.recipient_key) FILTER (WHERE r.status = 'DELIVRD')
               AS recipients_delivered
    FROM receipts AS r
    WHERE r.wave_id IN (SELECT wave_id FROM experiment_waves
                        WHERE experiment_id = $experiment_id)
    GROUP BY ALL
)
SELECT
    u.unit_code,
    coalesce(g.name, p.name) AS unit_name,
    coalesce(g.province_code, p.province_code) AS province_code,
    u.stratum,
    u.arm,
    coalesce(o.dpt, b.dpt) AS dpt,  -- the unit's own, never its parent's
    coalesce(b.turnout, parent.turnout) AS baseline_turnout,
    coalesce(b.invalid_rate, parent.invalid_rate) AS baseline_invalid_rate,
    o.turnout,
    o.invalid_rate,
    b.unit_code IS NULL AND parent.unit_code IS NOT NULL AS baseline_from_parent,
    coalesce(d.sent, 0)::BIGINT AS sent,
    coalesce(d.delivered, 0)::BIGINT AS delivered,
    coalesce(d.recipients_delivered, 0)::BIGINT AS recipients_delivered
FROM units AS u
LEFT JOIN regencies AS g
       ON (SELECT unit FROM experiment) = 'regency' AND g.regency_code = u.unit_code
LEFT JOIN provinces AS p
       ON (SELECT unit FROM experiment) = 'province' AND p.province_code = u.unit_code
LEFT JOIN rates AS b ON b.year = $baseline_year AND b.unit_code = u.unit_code
LEFT JOIN rates AS o ON o.year = $outcome_year AND o.unit_code = u.unit_code
LEFT JOIN rates AS parent
       ON b.unit_code IS NULL AND parent.year = $baseline_year
      AND parent.unit_code = p.split_from_2019
LEFT JOIN delivered AS d ON d.unit_code = u.unit_code
ORDER BY u.stratum, u.unit_code
