-- Rollup number_arm_counts (ddl/migrations/0012_number_rollups.sql) over lake-shaped rows
-- (lake/lake_receipts.sql: holdout_experiment, holdout_arm, recipient_key_signed): a frozen
-- individual experiment's compliance (marts/experiment_compliance.sql) per operator and arm,
-- the distinct numbers counted here, at the grain the mart shows, so they are exact in both
-- engines (a number seen in two provinces, or in two waves, counts once per arm; a number in
-- two arms, one in each, as the native count of the raw receipts gives it).
-- The one definition both engines run: the Parquet lake in Spark (cluster/spark_rollups.py,
-- through sqlglot), attached by `cluster attach`; natively the macro number_counts(experiment)
-- runs it over the lake rows of the stored receipts (store/rollups.py).
-- Reads `rollup_receipts` (an outer CTE or view). Written in SQL that sqlglot translates.
-- Params: none.
-- Grain: one row per (experiment, operator, arm) with receipts.
SELECT
    holdout_experiment AS experiment_id,
    operator,
    holdout_arm AS arm,
    count(*) AS sent,
    count(CASE WHEN status = 'DELIVRD' THEN 1 END) AS delivered,
    count(DISTINCT recipient_key_signed) AS recipients_sent,
    count(DISTINCT CASE WHEN status = 'DELIVRD' THEN recipient_key_signed END)
        AS recipients_delivered
FROM rollup_receipts
WHERE holdout_experiment IS NOT NULL
GROUP BY holdout_experiment, operator, holdout_arm
