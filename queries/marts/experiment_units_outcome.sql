-- The units of a frozen cluster experiment (issue 18): each unit's arm and stratum, its
-- baseline and outcome rates, and what the experiment's waves delivered in it (compliance).
-- Rates and the baseline rule (a province of 2022 takes its parent's): the macro
-- experiment_unit_rates (ddl/macros.sql), shared with marts/experiment_candidates.sql; the
-- units are those of the outcome year (no 34-unit harmonisation).
-- Receipts are placed by their regency_code (regency units) or province_code, counted from
-- the rollup unit_receipt_counts through the macro unit_counts(waves) (store/rollups.py): the
-- stored receipts natively, the cluster's rows in large-campaign mode, one query for both
-- (sent and delivered NULL when the attached rollups lack it, macro unit_counts_known()).
-- recipients_delivered: distinct numbers, from the raw receipts only; NULL in large-campaign
-- mode (a sum of counts cannot say how many numbers they were).
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
waves AS (
    SELECT wave_id FROM experiment_waves WHERE experiment_id = $experiment_id
),
delivered AS (  -- the experiment's waves' receipts, per unit they name
    SELECT CASE WHEN (SELECT unit FROM experiment) = 'regency' THEN c.regency_code
                ELSE c.province_code END AS unit_code,
           sum(c.receipts) AS sent,
           sum(c.receipts) FILTER (WHERE c.delivered) AS delivered
    FROM unit_counts((SELECT list(wave_id) FROM waves)) AS c
    GROUP BY ALL
),
numbers AS (  -- distinct numbers delivered to, per unit: the raw receipts (natively)
    SELECT CASE WHEN (SELECT unit FROM experiment) = 'regency' THEN r.regency_code
                ELSE r.province_code END AS unit_code,
           count(DISTINCT r.recipient_key) AS recipients_delivered
    FROM receipts AS r
    WHERE r.wave_id IN (SELECT wave_id FROM waves) AND r.status = 'DELIVRD'
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
    CASE WHEN unit_counts_known() THEN coalesce(d.sent, 0) END::BIGINT AS sent,
    CASE WHEN unit_counts_known() THEN coalesce(d.delivered, 0) END::BIGINT AS delivered,
    CASE WHEN NOT large_campaign()
         THEN coalesce(n.recipients_delivered, 0) END::BIGINT AS recipients_delivered
FROM units AS u
LEFT JOIN experiment_unit_rates((SELECT unit FROM experiment), $baseline_year,
                                $outcome_year) AS c
       ON c.unit_code = u.unit_code
LEFT JOIN delivered AS d ON d.unit_code = u.unit_code
LEFT JOIN numbers AS n ON n.unit_code = u.unit_code
ORDER BY u.stratum, u.unit_code
