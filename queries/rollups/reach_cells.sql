-- Rollup reach_cells (ddl/schema.sql) over a receipts-shaped relation: exact unique reach per
-- whole wave. Reads `rollup_receipts` (the Parquet lake in Spark, cluster/spark_rollups.py,
-- through sqlglot; in DuckDB any receipts-shaped relation, e.g. the stored receipts). The
-- native ingest keeps the table per file from reach_recipients instead (merge_reach_cells.sql:
-- it never rereads the receipts); tests/test_cluster_rollups.py checks that this file over
-- the stored receipts gives the stored table, row for row.
-- A recipient counts once per (wave, operator, province) it got at least one delivered
-- message of, on any send day; a receipt without a wave is in no wave.
-- Params: none.
-- Grain: one row per (wave, operator, province) with delivered messages.
SELECT
    wave_id,
    operator,
    province_code,
    count(DISTINCT recipient_key)::BIGINT AS recipients
FROM rollup_receipts
WHERE status = 'DELIVRD' AND wave_id IS NOT NULL
GROUP BY wave_id, operator, province_code
