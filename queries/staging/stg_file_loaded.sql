-- The file's receipts that are stored: valid, and neither duplicate nor superseded
-- (stg_receipts_outcome.sql decides; a record it does not list is simply loaded), each with
-- the province its spelling names (temp table province_spellings, stg_province_spellings.sql)
-- and its WIB send day, which the validated copy does not keep (stg_receipts_validated.sql).
-- The insert and the rollup merges after it read this view; the cluster's replay of the
-- load (cluster/spark_ingest.py) runs this file too.
-- Reads temp tables validated, outcomes and province_spellings. Params: none.
-- Grain: one row per stored record of the file.
CREATE OR REPLACE TEMP VIEW file_loaded AS
SELECT v.*, p.province_code, wib_date(v.submitted_at) AS send_date
FROM validated AS v
LEFT JOIN province_spellings AS p ON p.province_raw = v.province_raw
ANTI JOIN (SELECT row_id FROM outcomes WHERE outcome <> 'loaded') AS n ON n.row_id = v.rowid
WHERE v.reject_reason IS NULL
