-- When data last arrived: the newest successful load of any file.
-- Params: none.
-- Grain: one row.
SELECT max(finished_at) AS last_loaded_at, count(*)::BIGINT AS files
FROM ingest_log
WHERE outcome = 'loaded'
