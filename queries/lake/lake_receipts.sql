-- The receipts as rows for the Parquet lake (written hive-partitioned by wave_id and operator).
-- recipient_key is shifted into a signed 64-bit integer (a bijection: distinct keys stay
-- distinct), because Spark and Trino have no unsigned 64-bit type.
-- holdout_*: a receipt of a wave of a frozen individual experiment (design 'individual',
-- issue 18) carries the experiment, its number's hold-out bucket (holdout_buckets, computed
-- at ingest from the raw number, which is never stored) and its arm by the macro holdout_arm
-- against its operator x province stratum (experiment_strata): 'unplaced' without a bucket or
-- a stratum. NULL for every other receipt. The number-level rollups (rollups/
-- number_arm_counts.sql, number_reached.sql) read them, in Spark from the lake and natively
-- over these rows (store/rollups.py): one rule of a receipt's arm for both.
-- Written through lake_export.sql, which masks a message id that looks like a phone number;
-- the cluster ingest runs this file over each task's stored receipts (cluster/spark_ingest.py).
-- Params: none. Grain: one row per stored receipt (operator, message_id).
SELECT
    r.wave_id,
    r.operator,
    r.message_id,
    signed_key(r.recipient_key) AS recipient_key_signed,
    r.province_code,
    r.submitted_at,
    r.done_at,
    r.send_date,
    r.status,
    r.error_code,
    r.prefix_operator,
    r.ingest_id,
    r.regency_code,  -- the regency the file named (issue 18; NULL: none or not known)
    w.experiment_id AS holdout_experiment,
    b.bucket AS holdout_bucket,
    CASE WHEN w.experiment_id IS NOT NULL
         THEN holdout_arm(b.bucket, s.threshold) END AS holdout_arm
FROM receipts AS r
LEFT JOIN (SELECT ew.wave_id, ew.experiment_id
           FROM experiment_waves AS ew
           JOIN experiments AS e
             ON e.experiment_id = ew.experiment_id AND e.design = 'individual') AS w
       ON w.wave_id = r.wave_id
LEFT JOIN holdout_buckets AS b
       ON b.experiment_id = w.experiment_id AND b.recipient_key = r.recipient_key
LEFT JOIN experiment_strata AS s
       ON s.experiment_id = w.experiment_id AND s.operator = r.operator
      AND s.province_code = r.province_code
