-- Reach per province (NULL province_code = receipts whose province was unknown), with
-- delivered messages and unique reach per registered voter (DPT 2024; both may exceed 1).
-- Unique reach: exact, or with $approximate estimated from the HyperLogLog sketch
-- (ddl/sketch.sql), capped at delivered; unique_reach_approximate says which (the pages
-- label estimates; reports/tables.reach_table leaves the column out of exact tables).
-- Params: $date_from, $date_to, $waves, $operators, $provinces (NULL = no filter), $approximate.
-- Grain: one row per province with receipts.
WITH reach AS (
    SELECT
        c.*,
        least(coalesce(r.unique_reach, 0), c.delivered) AS unique_reach
    FROM reach_counts($date_from, $date_to, $waves, $operators, $provinces, false, true) AS c
    LEFT JOIN reach_unique_chosen($date_from, $date_to, $waves, $operators, $provinces, false,
                                  true, $approximate) AS r
        ON r.province_code IS NOT DISTINCT FROM c.province_code
)
SELECT
    c.province_code,
    p.name AS province_name,
    p.short AS province_short,
    p.dpt_2024,
    c.sent,
    c.delivered,
    c.delivered / nullif(c.final, 0) AS delivery_rate,
    c.unique_reach,
    c.pending,
    c.delivered / p.dpt_2024 AS delivered_per_voter,
    c.unique_reach / p.dpt_2024 AS unique_reach_per_voter,
    q.latency_p50_s,
    q.latency_p90_s,
    q.latency_p99_s,
    $approximate AS unique_reach_approximate
FROM reach AS c
LEFT JOIN provinces AS p USING (province_code)
LEFT JOIN reach_latency($date_from, $date_to, $waves, $operators, $provinces, false, true) AS q
    ON q.province_code IS NOT DISTINCT FROM c.province_code
ORDER BY c.province_code NULLS LAST
