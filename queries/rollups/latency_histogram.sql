-- Rollup latency_histogram (ddl/schema.sql) over a receipts-shaped relation: the one
-- definition both engines run. Reads `rollup_receipts` (given as an outer CTE or view: the
-- touched partitions of `receipts` in the native ingest, store/rollups.py; the Parquet lake in
-- Spark, cluster/spark_rollups.py, where the macro latency_bucket (ddl/macros.sql) is inlined
-- before sqlglot translates the text). Delivered messages with a done time only.
-- Params: none.
-- Grain: one row per (send day in WIB, wave, operator, province, quarter-octave latency bucket).
SELECT
    send_date,
    wave_id,
    operator,
    province_code,
    latency_bucket(submitted_at, done_at) AS bucket,
    count(*) AS receipts
FROM rollup_receipts
WHERE status = 'DELIVRD' AND done_at IS NOT NULL
GROUP BY send_date, wave_id, operator, province_code, bucket
