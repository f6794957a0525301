-- Rollup receipt_counts (ddl/schema.sql) over a receipts-shaped relation: the one definition
-- both engines run. Reads `rollup_receipts` (given as an outer CTE or view: the touched
-- partitions of `receipts` in the native ingest, store/rollups.py; the Parquet lake in Spark,
-- cluster/spark_rollups.py, through sqlglot). Written in SQL that sqlglot translates to Spark.
-- Params: none.
-- Grain: one row per (send day in WIB, wave, operator, province, status, error code).
SELECT
    send_date,
    wave_id,
    operator,
    province_code,
    status,
    error_code,
    count(*) AS receipts
FROM rollup_receipts
GROUP BY send_date, wave_id, operator, province_code, status, error_code
