-- Rejected rows counted by reason code (the text before the colon).
-- Params: none. Grain: one row per (file, reason code).
SELECT
    file_name AS file,
    split_part(reason, ':', 1) AS reason_code,
    count(*) AS rows
FROM rejects
GROUP BY ALL
ORDER BY rows DESC
