-- KPI tiles as marts/reach_totals.sql, with unique reach estimated from the HyperLogLog
-- sketch (ddl/sketch.sql; pages label it as approximate); the other columns are exact.
-- unique_reach is capped at delivered (each recipient reached got a delivered message).
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
    least((SELECT coalesce(sum(unique_reach), 0)
           FROM reach_unique_approx($date_from, $date_to, $waves, $operators, $provinces,
                                    false, false)), delivered) AS unique_reach,
    pending,
    true AS unique_reach_approximate
FROM counts
