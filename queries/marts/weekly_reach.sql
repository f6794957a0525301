-- Messages per ISO week (Monday to Sunday, WIB send days), for the weekly trend chart.
-- Params: $date_from, $date_to, $waves, $operators, $provinces (NULL = no filter).
-- Grain: one row per ISO week with receipts.
SELECT
    strftime(send_date, '%G-W%V') AS iso_week,
    min(send_date) - (isodow(min(send_date)) - 1)::INTEGER AS week_start,
    sum(receipts)::BIGINT AS sent,
    coalesce(sum(receipts) FILTER (WHERE status = 'DELIVRD'), 0)::BIGINT AS delivered,
    coalesce(sum(receipts) FILTER (WHERE status = 'DELIVRD'), 0)
        / nullif(sum(receipts) FILTER (WHERE status NOT IN ('ENROUTE', 'SCHEDLD')), 0)
        AS delivery_rate
FROM filtered_counts($date_from, $date_to, $waves, $operators, $provinces)
GROUP BY iso_week
ORDER BY iso_week
