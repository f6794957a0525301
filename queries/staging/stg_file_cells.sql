-- The loaded receipts of one file counted per rollup cell, in one pass over the file: the
-- input of both count rollups (merge_rollups.sql) and of the file's touched partitions.
-- Reads temp view file_loaded (the file's receipts that were stored). Params: none.
-- Grain: one row per (send day, wave, operator, province, status, error code, latency bucket);
-- bucket (macro latency_bucket) is NULL unless the message was delivered with a done time
-- (the latency histogram counts only those).
CREATE TEMP TABLE file_cells AS
SELECT
    send_date,
    wave_id,
    operator,
    province_code,
    status,
    error_code,
    CASE WHEN status = 'DELIVRD' AND done_at IS NOT NULL
         THEN latency_bucket(submitted_at, done_at) END AS bucket,
    count(*) AS receipts
FROM file_loaded
GROUP BY ALL
