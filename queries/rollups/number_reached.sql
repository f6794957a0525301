-- Rollup number_reached (ddl/migrations/0012_number_rollups.sql) over lake-shaped rows
-- (lake/lake_receipts.sql): the numbers a frozen individual experiment's waves delivered a
-- message to, as pseudonyms, for its survey respondents' `reached` (marts/
-- experiment_respondents.sql: compliance and the complier effect of the results). Respondents
-- are loaded beside the rollups, so the cluster cannot narrow this to them: one row per
-- delivered number (the size of the experiment's reach, as natively reach_recipients).
-- The one definition both engines run (Spark over the lake; natively the macro
-- number_reached(experiment), store/rollups.py). recipient_key_signed as the lake stores it
-- (the key - 2^63); `cluster attach` stores the key.
-- Reads `rollup_receipts`. Written in SQL that sqlglot translates. Params: none.
-- Grain: one row per (experiment, delivered number).
SELECT DISTINCT
    holdout_experiment AS experiment_id,
    recipient_key_signed
FROM rollup_receipts
WHERE holdout_experiment IS NOT NULL AND status = 'DELIVRD'
