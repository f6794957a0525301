-- The units of a frozen cluster experiment (issue 18): each unit's arm and stratum, its
-- baseline and outcome rates, and what the experiment's waves delivered in it (compliance).
-- Rates and the baseline rule (a province of 2022 takes its parent's): the macro
-- experiment_unit_rates (ddl/macros.sql), shared with marts/experiment_candidates.sql; the
-- units are those of the outcome year (no 34-unit harmonisation).
-- Receipts are placed by receipts.regency_code (regency units) or province_code.
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
    c.unit_name,
    c.province_code,
    u.stratum,
    u.arm,
    c.dpt,
    c.baseline_turnout,
    c.baseline_invalid_rate,
    c.turnout,
    c.invalid_rate,
    c.baseline_from_parent,
    coalesce(d.sent, 0)::BIGINT AS sent,
    coalesce(d.delivered, 0)::BIGINT AS delivered,
    coalesce(d.recipients_delivered, 0)::BIGINT AS recipients_delivered
FROM units AS u
LEFT JOIN experiment_unit_rates((SELECT unit FROM experiment), $baseline_year,
                                $outcome_year) AS c
       ON c.unit_code = u.unit_code
LEFT JOIN delivered AS d ON d.unit_code = u.unit_code
ORDER BY u.stratum, u.unit_code
