-- Survey respondents of a frozen individual experiment (issue 18), each with its arm: the
-- respondent's number's bucket (holdout_buckets, computed at ingest from the raw number
-- before it was pseudonymised) against the threshold of the respondent's operator x province
-- stratum (experiment_strata): held out when bucket < threshold. 'unplaced': no bucket, or
-- no stratum for the operator and province the survey gives (never guessed into an arm).
-- Outcomes as 1 / 0 (yes / no; NULL for dont_know or no answer): voted (turnout) and
-- knows_valid_ballot (the survey's measure for valid ballots: a survey cannot observe an
-- invalid ballot). reached: a message of the experiment's waves was delivered to the
-- respondent's number (the same keyed pseudonym as receipts.recipient_key), from the rollup
-- number_reached through the macro number_reached(experiment) (store/rollups.py): the stored
-- receipts natively, the cluster's rows in large-campaign mode; NULL (unknown, never false)
-- when they do not hold the experiment's receipts (macro number_counts_known(experiment)).
-- Params: $experiment_id. Grain: one row per respondent whose number the survey gave.
WITH respondents AS (
    SELECT s.respondent_id, s.respondent_key, s.province_code, s.operator, s.voted,
           s.knows_valid_ballot, s.weight, b.bucket, t.threshold
    FROM survey_responses AS s
    LEFT JOIN holdout_buckets AS b
           ON b.experiment_id = $experiment_id AND b.recipient_key = s.respondent_key
    LEFT JOIN experiment_strata AS t
           ON t.experiment_id = $experiment_id AND t.operator = s.operator
          AND t.province_code = s.province_code
    WHERE s.respondent_key IS NOT NULL
),
reached AS (
    SELECT DISTINCT recipient_key
    FROM number_reached($experiment_id)
    WHERE recipient_key IN (SELECT respondent_key FROM respondents)
)
SELECT
    r.respondent_id,
    r.province_code,
    r.operator,
    r.bucket,
    r.threshold,
    holdout_arm(r.bucket, r.threshold) AS arm,
    CASE r.voted WHEN 'yes' THEN 1 WHEN 'no' THEN 0 END AS voted,
    CASE r.knows_valid_ballot WHEN 'yes' THEN 1 WHEN 'no' THEN 0 END AS knows_valid_ballot,
    r.weight,
    CASE WHEN number_counts_known($experiment_id)
         THEN d.recipient_key IS NOT NULL END AS reached
FROM respondents AS r
LEFT JOIN reached AS d ON d.recipient_key = r.respondent_key
ORDER BY r.respondent_id
