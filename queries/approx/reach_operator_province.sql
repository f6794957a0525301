-- Reach per operator and province (the heatmap's cells) as marts/reach_operator_province.sql,
-- with unique reach estimated from the HyperLogLog sketch (ddl/sketch.sql; pages label it as
-- approximate) and capped at delivered; the other columns are exact.
-- Params: $date_from, $date_to, $waves, $operators, $provinces (NULL = no filter).
-- Grain: one row per (operator, province) with receipts; NULL province = unknown.
SELECT
    c.operator,
    c.province_code,
    p.short AS province_short,
    c.sent,
    c.delivered,
    c.delivered / nullif(c.final, 0) AS delivery_rate,
    least(coalesce(r.unique_reach, 0), c.delivered) AS unique_reach,
    c.pending,
    c.delivered / p.dpt_2024 AS delivered_per_voter,
    true AS unique_reach_approximate
FROM reach_counts($date_from, $date_to, $waves, $operators, $provinces, true, true) AS c
LEFT JOIN provinces AS p USING (province_code)
LEFT JOIN reach_unique_approx($date_from, $date_to, $waves, $operators, $provinces, true, true) AS r
    ON r.operator = c.operator AND r.province_code IS NOT DISTINCT FROM c.province_code
ORDER BY c.operator, c.province_code NULLS LAST
