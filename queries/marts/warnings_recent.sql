-- Warnings with their line: what is odd about a row that loaded (values as written, phone
-- numbers masked). Params: $ingest_id (NULL = every file), $limit.
-- Grain: one row per kept warning.
SELECT w.ingest_id, l.file_name AS file, w.line, w.kind AS warning, w.field, w.value
FROM load_warnings AS w
JOIN ingest_log AS l USING (ingest_id)
WHERE $ingest_id IS NULL OR w.ingest_id = $ingest_id
ORDER BY w.ingest_id DESC, w.line
LIMIT $limit
