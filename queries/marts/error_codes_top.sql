-- The most frequent error codes of failed receipts, with their meaning.
-- Params: $date_from, $date_to, $waves, $operators, $provinces (NULL = no filter), $limit.
-- Grain: one row per error code (failed final states only: not DELIVRD, not pending).

-- 000 means "no error" on a delivered receipt, which never gets here; on a failed one it only
-- says the operator gave no reason, like a blank code. Both are labelled so, never "no error".
SELECT
    c.error_code,
    CASE WHEN coalesce(c.error_code, '000') = '000' THEN 'Gagal tanpa kode kesalahan'
         ELSE coalesce(e.meaning_id, 'kode tidak dikenal') END AS meaning_id,
    CASE WHEN coalesce(c.error_code, '000') = '000' THEN 'Failed, no error code given'
         ELSE coalesce(e.meaning_en, 'unknown code') END AS meaning_en,
    sum(c.receipts)::BIGINT AS receipts,
    sum(c.receipts)::BIGINT / sum(sum(c.receipts)::BIGINT) OVER () AS share_of_failures
FROM filtered_counts($date_from, $date_to, $waves, $operators, $provinces) AS c
LEFT JOIN error_codes AS e USING (error_code)
WHERE c.status NOT IN ('DELIVRD', 'ENROUTE', 'SCHEDLD')
GROUP BY ALL
ORDER BY receipts DESC, c.error_code
LIMIT $limit
