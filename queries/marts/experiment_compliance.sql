-- Compliance of a frozen experiment (issue 18) from the delivery receipts of its waves, per
-- operator and arm: what was sent and delivered to the held-out units or numbers (should be
-- nothing) and to the blast arm.
-- A receipt's arm: cluster designs, the arm of the unit its regency_code (regency units) or
-- province_code (province units) names, counted from the rollup unit_receipt_counts through
-- the macro unit_counts(waves) (store/rollups.py): the stored receipts natively, the cluster's
-- rows in large-campaign mode, one query for both (no rows when the attached rollups lack it,
-- macro unit_counts_known()); individual designs, its number's bucket (holdout_buckets,
-- computed at ingest from the raw number) against the threshold of its operator x province
-- stratum (experiment_strata): held out when bucket < threshold (lake/lake_receipts.sql's
-- holdout_arm), counted per operator and arm by the rollup number_arm_counts through the
-- macro number_counts(experiment): natively over the stored receipts, in large-campaign mode
-- the cluster's rows (no rows when they do not hold the experiment's receipts, macro
-- number_counts_known(experiment)).
-- 'unplaced': a receipt with no unit or one outside the experiment (cluster), or a number
-- without a bucket or a stratum (individual): counted, never guessed into an arm.
-- recipients_sent, recipients_delivered: distinct numbers; cluster designs, from the raw
-- receipts only, NULL in large-campaign mode (a sum of counts per unit cannot say how many
-- numbers they were); individual designs, counted at the mart's grain by the rollup, exact in
-- both modes.
-- units_in_arm: the arm's units (cluster; NULL for numbers, whose count only the operator's
-- list knows); units_reached: units (cluster) or numbers (individual) with a delivered
-- message.
-- Params: $experiment_id. Grain: one row per operator x arm ('holdout', 'blast' for every
-- operator with receipts in the waves; 'unplaced' only where it has receipts).
WITH experiment AS (
    SELECT design, unit FROM experiments WHERE experiment_id = $experiment_id
),
waves AS (
    SELECT wave_id FROM experiment_waves WHERE experiment_id = $experiment_id
),
waved AS (  -- cluster designs: the raw receipts of the waves (natively; none in large mode)
    SELECT r.operator, r.recipient_key, r.status,
           CASE (SELECT unit FROM experiment)
               WHEN 'regency' THEN r.regency_code
               WHEN 'province' THEN r.province_code
           END AS unit_code
    FROM receipts AS r
    WHERE r.wave_id IN (SELECT wave_id FROM waves)
      AND (SELECT design FROM experiment) = 'cluster'
),
placed AS (
    SELECT w.operator, w.recipient_key, w.status, w.unit_code,
           coalesce(u.arm, 'unplaced') AS arm
    FROM waved AS w
    LEFT JOIN experiment_units AS u
           ON u.experiment_id = $experiment_id AND u.unit_code = w.unit_code
),
numbers AS (  -- cluster designs: distinct numbers per operator x arm, from the raw receipts
    SELECT operator, arm,
           count(DISTINCT recipient_key) AS recipients_sent,
           count(DISTINCT recipient_key) FILTER (WHERE status = 'DELIVRD')
               AS recipients_delivered
    FROM placed
    GROUP BY ALL
),
cells AS (  -- cluster designs: the rollup's rows of the waves, each with its unit
    SELECT c.operator, c.delivered, c.receipts,
           CASE (SELECT unit FROM experiment)
               WHEN 'regency' THEN c.regency_code
               WHEN 'province' THEN c.province_code
           END AS unit_code
    FROM unit_counts((SELECT list(wave_id) FROM waves)) AS c
    WHERE (SELECT design FROM experiment) = 'cluster' AND unit_counts_known()
),
units AS (
    SELECT c.operator, coalesce(u.arm, 'unplaced') AS arm,
           sum(c.receipts) AS sent,
           sum(c.receipts) FILTER (WHERE c.delivered) AS delivered,
           count(DISTINCT c.unit_code) FILTER (WHERE c.delivered AND u.arm IS NOT NULL)
               AS units_reached
    FROM cells AS c
    LEFT JOIN experiment_units AS u
           ON u.experiment_id = $experiment_id AND u.unit_code = c.unit_code
    GROUP BY ALL
),
counts AS (  -- one row per operator x arm with receipts
    SELECT coalesce(u.operator, n.operator) AS operator, coalesce(u.arm, n.arm) AS arm,
           u.sent, u.delivered, n.recipients_sent, n.recipients_delivered, u.units_reached
    FROM units AS u
    FULL JOIN numbers AS n USING (operator, arm)
    UNION ALL  -- individual designs: the rollup's rows, numbers reached = numbers delivered to
    SELECT operator, arm, sent, delivered, recipients_sent, recipients_delivered,
           recipients_delivered AS units_reached
    FROM number_counts($experiment_id)
    WHERE (SELECT design FROM experiment) = 'individual'
      AND number_counts_known($experiment_id)
),
arms AS (
    SELECT arm, count(*) AS units_in_arm
    FROM experiment_units WHERE experiment_id = $experiment_id
    GROUP BY arm
),
grid AS (  -- both arms for every operator, so an arm nothing reached shows its zeros
    SELECT o.operator, a.arm
    FROM (SELECT DISTINCT operator FROM counts) AS o
    CROSS JOIN (VALUES ('holdout'), ('blast')) AS a(arm)
    UNION
    SELECT operator, arm FROM counts
)
SELECT
    g.operator,
    g.arm,
    coalesce(c.sent, 0)::BIGINT AS sent,
    coalesce(c.delivered, 0)::BIGINT AS delivered,
    -- cluster designs in large-campaign mode: no raw receipts, no distinct numbers
    CASE WHEN NOT large_campaign() OR (SELECT design FROM experiment) = 'individual'
         THEN coalesce(c.recipients_sent, 0) END::BIGINT AS recipients_sent,
    CASE WHEN NOT large_campaign() OR (SELECT design FROM experiment) = 'individual'
         THEN coalesce(c.recipients_delivered, 0) END::BIGINT AS recipients_delivered,
    coalesce(c.units_reached, 0)::BIGINT AS units_reached,
    a.units_in_arm::BIGINT AS units_in_arm
FROM grid AS g
LEFT JOIN counts AS c USING (operator, arm)
LEFT JOIN arms AS a ON (SELECT design FROM experiment) = 'cluster' AND a.arm = g.arm
ORDER BY g.operator, CASE g.arm WHEN 'holdout' THEN 0 WHEN 'blast' THEN 1 ELSE 2 END
