-- The most frequent error codes of failed receipts, with their meaning.
-- Params: $date_from, $date_to, $waves, $operators, $provinces (NULL = no filter), $limit.
-- Grain: one row per error code (failed final states only: not DELIVRD, not pending).

-- 000 means "no error" on a delivered receipt, which never gets here; on a failed one it only
-- says the operator gave no reason, like a blank code. So both are one reason, counted in one
-- row with no code (NULL) and labelled so, never "no error".
WITH failed AS (
    SELECT nullif(c.error_code, '000') AS error_code, c.receipts
    FROM filtered_counts($date_from, $date_to, $waves, $operators, $provinces) AS c
    WHERE c.status NOT IN ('DELIVRD', 'ENROUTE', 'SCHEDLD')
)
SELECT
    f.error_code,
    CASE WHEN f.error_code IS NULL THEN 'Gagal tanpa kode kesalahan'
         ELSE coalesce(e.meaning_id, 'kode tidak dikenal') END AS meaning_id,
    CASE WHEN f.error_code IS NULL THEN 'Failed, no error code given'
         ELSE coalesce(e.meaning_en, 'unknown code') END AS meaning_en,
    sum(f.receipts)::BIGINT AS receipts,
    sum(f.receipts)::BIGINT / sum(sum(f.receipts)::BIGINT) OVER () AS share_of_failures
FROM failed AS f
LEFT JOIN error_codes AS e USING (error_code)
GROUP BY ALL
ORDER BY receipts DESC, f.error_code
LIMIT $limit
