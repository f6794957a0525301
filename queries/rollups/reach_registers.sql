-- The unique-reach sketch (ddl/sketch.sql) as portable rows over a receipts-shaped relation:
-- the largest HyperLogLog rank each register saw, per (wave, WIB send day, operator,
-- province). Reads `rollup_receipts` (the Parquet lake in Spark, cluster/spark_rollups.py,
-- where the macros hll_register and hll_rank are inlined and sqlglot translates the text; in
-- DuckDB any receipts-shaped relation). A reach_slots slot is one (wave, send day) of one
-- database, so the rows carry the pair, not a slot: `python -m dashboard cluster attach`
-- gives the pairs slots and builds reach_sketch's planes from these rows with the native
-- macro sketch_planes (cluster/attach.py). Rows of two engines merge by the largest rank.
-- Only delivered receipts with a wave count, as in sketch_planes (a slot is a wave's day).
-- Params: none.
-- Grain: one row per (wave, send day, operator, province, register) with a delivered message.
SELECT
    wave_id,
    send_date,
    operator,
    province_code,
    hll_register(recipient_key) AS register,
    max(hll_rank(recipient_key)) AS rank
FROM rollup_receipts
WHERE status = 'DELIVRD' AND wave_id IS NOT NULL
GROUP BY wave_id, send_date, operator, province_code, hll_register(recipient_key)
