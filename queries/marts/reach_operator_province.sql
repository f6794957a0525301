-- Reach per operator and province (the heatmap's cells).
-- Params: $date_from, $date_to, $waves, $operators, $provinces (NULL = no filter).
-- Grain: one row per (operator, province) with receipts; NULL province = unknown.
WITH counts AS (
    SELECT
        operator,
        province_code,
        sum(receipts)::BIGINT AS sent,
        sum(receipts) FILTER (WHERE status = 'DELIVRD')::BIGINT AS delivered,
        sum(receipts) FILTER (WHERE status NOT IN ('ENROUTE', 'SCHEDLD'))::BIGINT AS final,
        coalesce(sum(receipts) FILTER (WHERE status IN ('ENROUTE', 'SCHEDLD'))::BIGINT, 0) AS pending
    FROM filtered_counts($date_from, $date_to, $waves, $operators, $provinces)
    GROUP BY operator, province_code
),
reach AS (
    SELECT operator, province_code, count(DISTINCT recipient_key) AS unique_reach
    FROM filtered_reach($date_from, $date_to, $waves, $operators, $provinces)
    GROUP BY operator, province_code
)
SELECT
    c.operator,
    c.province_code,
    p.short AS province_short,
    c.sent,
    coalesce(c.delivered, 0) AS delivered,
    coalesce(c.delivered, 0) / nullif(c.final, 0) AS delivery_rate,
    coalesce(r.unique_reach, 0) AS unique_reach,
    c.pending,
    coalesce(c.delivered, 0) / p.dpt_2024 AS delivered_per_voter
FROM counts AS c
LEFT JOIN provinces AS p USING (province_code)
LEFT JOIN reach AS r
    ON r.operator = c.operator AND r.province_code IS NOT DISTINCT FROM c.province_code
ORDER BY c.operator, c.province_code NULLS LAST
