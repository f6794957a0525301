-- The file's receipts that are stored: valid, and neither duplicate nor superseded
-- (stg_receipts_outcome.sql decides; a record it does not list is simply loaded).
-- The insert and the rollup merges after it read this view; the cluster's replay of the
-- load (cluster/spark_ingest.py) defines it the same way.
-- Reads temp tables validated and outcomes. Params: none.
-- Grain: one row per stored record of the file.
CREATE OR REPLACE TEMP VIEW file_loaded AS
SELECT v.*
FROM validated AS v
ANTI JOIN (SELECT row_id FROM outcomes WHERE outcome <> 'loaded') AS n ON n.row_id = v.rowid
WHERE v.reject_reason IS NULL
