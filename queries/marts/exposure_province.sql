-- Exposure of each province to the filtered blasts: delivered messages and unique reach
-- (the inputs of the participation tests; lighter than reach_province).
-- Params: $date_from, $date_to, $waves, $operators, $provinces (NULL = no filter).
-- Grain: one row per province with receipts (NULL province = unknown).
SELECT c.province_code, c.delivered, coalesce(r.unique_reach, 0) AS unique_reach
FROM reach_counts($date_from, $date_to, $waves, $operators, $provinces, false, true) AS c
LEFT JOIN reach_unique($date_from, $date_to, $waves, $operators, $provinces, false, true) AS r
    ON r.province_code IS NOT DISTINCT FROM c.province_code
ORDER BY c.province_code NULLS LAST
