-- When data last arrived: the newest successful load of any file, or the attached cluster
-- rollups' computing time (large-campaign mode, migration 0010) if newer.
-- Params: none.
-- Grain: one row.
SELECT greatest(max(finished_at), (SELECT max(created_at) FROM cluster_rollups))
           AS last_loaded_at,
       count(*)::BIGINT AS files
FROM ingest_log
WHERE outcome = 'loaded'
