-- Exposure of each province to the filtered blasts: delivered messages and unique reach
-- (the inputs of the participation tests; lighter than reach_province).
-- Params: $date_from, $date_to, $waves, $operators, $provinces (NULL = no filter).
-- Grain: one row per province with delivered messages (NULL province = unknown).
WITH delivered AS (
    SELECT province_code, sum(receipts)::BIGINT AS delivered
    FROM filtered_counts($date_from, $date_to, $waves, $operators, $provinces)
    WHERE status = 'DELIVRD'
    GROUP BY province_code
),
reach AS (
    SELECT province_code, count(DISTINCT recipient_key) AS unique_reach
    FROM filtered_reach($date_from, $date_to, $waves, $operators, $provinces)
    GROUP BY province_code
)
SELECT d.province_code, d.delivered, coalesce(r.unique_reach, 0) AS unique_reach
FROM delivered AS d
LEFT JOIN reach AS r ON r.province_code IS NOT DISTINCT FROM d.province_code
ORDER BY d.province_code NULLS LAST
