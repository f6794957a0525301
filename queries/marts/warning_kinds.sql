-- Warnings counted by kind: every warning of every file (warning_tally), also those beyond the
-- first 10,000 of a file that load_warnings does not keep.
-- Params: none. Grain: one row per (file, warning kind).
SELECT l.file_name AS file, t.kind AS warning, t.rows
FROM warning_tally AS t
JOIN ingest_log AS l USING (ingest_id)
ORDER BY t.rows DESC, file, warning
