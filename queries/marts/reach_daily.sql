-- Receipts per send day (WIB) and operator, for the daily trend.
-- Params: $date_from, $date_to, $waves, $operators, $provinces (NULL = no filter).
-- Grain: one row per (send day, operator).
SELECT
    send_date,
    operator,
    sum(receipts)::BIGINT AS sent,
    coalesce(sum(receipts) FILTER (WHERE status = 'DELIVRD')::BIGINT, 0) AS delivered,
    coalesce(sum(receipts) FILTER (WHERE status = 'DELIVRD')::BIGINT, 0)
      / nullif(sum(receipts) FILTER (WHERE status NOT IN ('ENROUTE', 'SCHEDLD'))::BIGINT, 0)
        AS delivery_rate
FROM filtered_counts($date_from, $date_to, $waves, $operators, $provinces)
GROUP BY send_date, operator
ORDER BY send_date, operator
