-- The ingest log: what became of every row of every file.
-- Params: none. Grain: one row per load attempt (file), newest first.
SELECT
    ingest_id,
    file_name AS file,
    kind,
    format,
    finished_at AS loaded_at,
    rows_read,
    loaded,
    duplicate,
    superseded,
    rejected,
    warnings,
    replaced,
    unknown_province,
    operator_mismatch,
    outcome,
    message
FROM ingest_log
ORDER BY ingest_id DESC
