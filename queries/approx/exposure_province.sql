-- Exposure of each province as marts/exposure_province.sql, with unique reach estimated from
-- the HyperLogLog sketch (ddl/sketch.sql; pages label it as approximate) and capped at
-- delivered.
-- Params: $date_from, $date_to, $waves, $operators, $provinces (NULL = no filter).
-- Grain: one row per province with receipts (NULL province = unknown).
SELECT
    c.province_code,
    c.delivered,
    least(coalesce(r.unique_reach, 0), c.delivered) AS unique_reach,
    true AS unique_reach_approximate
FROM reach_counts($date_from, $date_to, $waves, $operators, $provinces, false, true) AS c
LEFT JOIN reach_unique_approx($date_from, $date_to, $waves, $operators, $provinces, false, true) AS r
    ON r.province_code IS NOT DISTINCT FROM c.province_code
ORDER BY c.province_code NULLS LAST
