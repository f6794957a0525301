-- The files that delivered in each (wave, WIB send day) pair, over a receipts-shaped relation:
-- what `python -m dashboard cluster attach` needs to give the pairs this database's slots as
-- the native ingest would have, file by file in load order (ingest/reach_slots.py replay: the
-- cap on uncatalogued waves is decided per file, UNCATALOGUED_PAIRS). Reads `rollup_receipts`
-- (the Parquet lake in Spark, cluster/spark_rollups.py, through sqlglot; in DuckDB any
-- receipts-shaped relation). ingest_id is the lake's: the file's place in the run (`cluster
-- ingest`) or the database's load number (`python -m dashboard lake`); either orders the files
-- as they were loaded. Only delivered receipts with a wave, as in reach_registers.sql.
-- Params: none.
-- Grain: one row per (wave, send day, file) with a delivered message.
SELECT DISTINCT
    wave_id,
    send_date,
    ingest_id
FROM rollup_receipts
WHERE status = 'DELIVRD' AND wave_id IS NOT NULL
