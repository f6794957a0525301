-- Reach per operator and province (the heatmap's cells).
-- Params: $date_from, $date_to, $waves, $operators, $provinces (NULL = no filter).
-- Grain: one row per (operator, province) with receipts; NULL province = unknown.
SELECT
    c.operator,
    c.province_code,
    p.short AS province_short,
    c.sent,
    c.delivered,
    c.delivered / nullif(c.final, 0) AS delivery_rate,
    coalesce(r.unique_reach, 0) AS unique_reach,
    c.pending,
    c.delivered / p.dpt_2024 AS delivered_per_voter
FROM reach_counts($date_from, $date_to, $waves, $operators, $provinces, true, true) AS c
LEFT JOIN provinces AS p USING (province_code)
LEFT JOIN reach_unique($date_from, $date_to, $waves, $operators, $provinces, true, true) AS r
    ON r.operator = c.operator AND r.province_code IS NOT DISTINCT FROM c.province_code
ORDER BY c.operator, c.province_code NULLS LAST
