-- Rejected rows with their reason (raw lines already have phone numbers masked).
-- Params: $ingest_id (NULL = every file), $limit. Grain: one row per rejected input row.
SELECT ingest_id, file_name AS file, line, reason, raw_line
FROM rejects
WHERE $ingest_id IS NULL OR ingest_id = $ingest_id
ORDER BY ingest_id DESC, line
LIMIT $limit
