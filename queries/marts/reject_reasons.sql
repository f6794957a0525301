-- Rejected rows counted by reason code (the text before the colon): every reject, also those
-- beyond the first 10,000 of a file that the rejects table does not keep (reject_tally);
-- files loaded before the tally existed are counted from their kept rejects.
-- Params: none. Grain: one row per (file, reason code).
SELECT l.file_name AS file, t.reason AS reason_code, t.rows
FROM reject_tally AS t
JOIN ingest_log AS l USING (ingest_id)
UNION ALL
SELECT r.file_name, split_part(r.reason, ':', 1), count(*)
FROM rejects AS r
ANTI JOIN reject_tally AS t USING (ingest_id)
GROUP BY ALL
ORDER BY rows DESC, file, reason_code
