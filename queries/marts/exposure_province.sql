-- Exposure of each province to the filtered blasts: delivered messages and unique reach
-- (the inputs of the participation tests; lighter than reach_province).
-- Unique reach: exact, or with $approximate estimated from the HyperLogLog sketch
-- (ddl/sketch.sql), capped at delivered; unique_reach_approximate says which (the pages
-- label estimates; reports/tables.reach_table leaves the column out of exact tables).
-- Params: $date_from, $date_to, $waves, $operators, $provinces (NULL = no filter), $approximate.
-- Grain: one row per province with receipts (NULL province = unknown).
SELECT
    c.province_code,
    c.delivered,
    least(coalesce(r.unique_reach, 0), c.delivered) AS unique_reach,
    $approximate AS unique_reach_approximate
FROM reach_counts($date_from, $date_to, $waves, $operators, $provinces, false, true) AS c
LEFT JOIN reach_unique_chosen($date_from, $date_to, $waves, $operators, $provinces, false, true,
                              $approximate) AS r
    ON r.province_code IS NOT DISTINCT FROM c.province_code
ORDER BY c.province_code NULLS LAST
