-- KPI tiles: one row for the whole filtered campaign.
-- Params: $date_from, $date_to, $waves, $operators, $provinces (NULL = no filter).
-- Grain: one row.
WITH counts AS (
    SELECT
        coalesce(sum(receipts)::BIGINT, 0) AS sent,
        coalesce(sum(receipts) FILTER (WHERE status = 'DELIVRD')::BIGINT, 0) AS delivered,
        coalesce(sum(receipts) FILTER (WHERE status NOT IN ('ENROUTE', 'SCHEDLD'))::BIGINT, 0) AS final,
        coalesce(sum(receipts) FILTER (WHERE status IN ('ENROUTE', 'SCHEDLD'))::BIGINT, 0) AS pending
    FROM filtered_counts($date_from, $date_to, $waves, $operators, $provinces)
)
SELECT
    sent,
    delivered,
    delivered / nullif(final, 0) AS delivery_rate,
    (SELECT count(DISTINCT recipient_key)
     FROM filtered_reach($date_from, $date_to, $waves, $operators, $provinces))
        AS unique_reach,
    pending
FROM counts
