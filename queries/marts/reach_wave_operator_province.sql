-- Exact unique reach per wave, operator and province, each wave whole (all its send days),
-- read from the rollups reach_cells and receipt_counts: the same cost at any campaign size, so
-- analysts can download it whatever the size (the Jangkauan page; `export`). The wave,
-- operator and province filters apply as everywhere; the period picks the waves with a send
-- day inside it, each still counted whole (a cell's distinct recipients cannot be split by day).
-- Params: $date_from, $date_to, $waves, $operators, $provinces (NULL = no filter).
-- Grain: one row per (wave, operator, province) with receipts; NULL province = unknown.
WITH waves_in_period AS (
    SELECT DISTINCT wave_id
    FROM receipt_counts
    WHERE in_period(send_date, $date_from, $date_to) AND in_list($waves, wave_id)
),
counts AS (
    SELECT
        wave_id,
        operator,
        province_code,
        sum(receipts)::BIGINT AS sent,
        coalesce(sum(receipts) FILTER (WHERE status = 'DELIVRD'), 0)::BIGINT AS delivered,
        sum(receipts) FILTER (WHERE status NOT IN ('ENROUTE', 'SCHEDLD'))::BIGINT AS final,
        coalesce(sum(receipts) FILTER (WHERE status IN ('ENROUTE', 'SCHEDLD')), 0)::BIGINT
            AS pending,
        min(min(send_date)) OVER (PARTITION BY wave_id) AS first_send_date
    FROM receipt_counts
    WHERE wave_id IN (SELECT wave_id FROM waves_in_period)
      AND in_list($operators, operator) AND in_list($provinces, province_code)
    GROUP BY wave_id, operator, province_code
)
SELECT
    c.wave_id,
    coalesce(w.sent_date, c.first_send_date) AS sent_date,
    c.operator,
    c.province_code,
    p.name AS province_name,
    c.sent,
    c.delivered,
    c.delivered / nullif(c.final, 0) AS delivery_rate,
    coalesce(x.recipients, 0) AS unique_reach,
    c.pending
FROM counts AS c
LEFT JOIN reach_cells AS x
    ON x.wave_id = c.wave_id AND x.operator = c.operator
   AND x.province_code IS NOT DISTINCT FROM c.province_code
LEFT JOIN provinces AS p ON p.province_code = c.province_code
LEFT JOIN waves AS w ON w.wave_id = c.wave_id
ORDER BY sent_date, c.wave_id, c.operator, c.province_code NULLS LAST
