-- The most frequent error codes of failed receipts, with their meaning.
-- Params: $date_from, $date_to, $waves, $operators, $provinces (NULL = no filter), $limit.
-- Grain: one row per error code (failed final states only: not DELIVRD, not pending).
SELECT
    c.error_code,
    coalesce(e.meaning_id, 'kode tidak dikenal') AS meaning_id,
    coalesce(e.meaning_en, 'unknown code') AS meaning_en,
    sum(c.receipts)::BIGINT AS receipts,
    sum(c.receipts)::BIGINT / sum(sum(c.receipts)::BIGINT) OVER () AS share_of_failures
FROM filtered_counts($date_from, $date_to, $waves, $operators, $provinces) AS c
LEFT JOIN error_codes AS e USING (error_code)
WHERE c.status NOT IN ('DELIVRD', 'ENROUTE', 'SCHEDLD')
GROUP BY ALL
ORDER BY receipts DESC, c.error_code
LIMIT $limit
