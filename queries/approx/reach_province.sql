-- Reach per province as marts/reach_province.sql (NULL province_code = unknown province),
-- with unique reach estimated from the HyperLogLog sketch (ddl/sketch.sql; pages label it as
-- approximate) and capped at delivered; the other columns are exact.
-- Params: $date_from, $date_to, $waves, $operators, $provinces (NULL = no filter).
-- Grain: one row per province with receipts.
WITH reach AS (
    SELECT
        c.*,
        least(coalesce(r.unique_reach, 0), c.delivered) AS unique_reach
    FROM reach_counts($date_from, $date_to, $waves, $operators, $provinces, false, true) AS c
    LEFT JOIN reach_unique_approx($date_from, $date_to, $waves, $operators, $provinces, false, true) AS r
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
    true AS unique_reach_approximate
FROM reach AS c
LEFT JOIN provinces AS p USING (province_code)
LEFT JOIN reach_latency($date_from, $date_to, $waves, $operators, $provinces, false, true) AS q
    ON q.province_code IS NOT DISTINCT FROM c.province_code
ORDER BY c.province_code NULLS LAST
