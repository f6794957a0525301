-- Reach per operator group as marts/reach_operator.sql, with unique reach estimated from the
-- HyperLogLog sketch (ddl/sketch.sql; pages label it as approximate) and capped at delivered;
-- the other columns are exact (latency from the histogram rollup, about 19 %).
-- Params: $date_from, $date_to, $waves, $operators, $provinces (NULL = no filter).
-- Grain: one row per operator.
SELECT
    c.operator,
    o.name AS operator_name,
    c.sent,
    c.delivered,
    c.delivered / nullif(c.final, 0) AS delivery_rate,
    least(coalesce(r.unique_reach, 0), c.delivered) AS unique_reach,
    c.pending,
    q.latency_p50_s,
    q.latency_p90_s,
    q.latency_p99_s,
    true AS unique_reach_approximate
FROM reach_counts($date_from, $date_to, $waves, $operators, $provinces, true, false) AS c
LEFT JOIN operators AS o USING (operator)
LEFT JOIN reach_unique_approx($date_from, $date_to, $waves, $operators, $provinces, true, false) AS r USING (operator)
LEFT JOIN reach_latency($date_from, $date_to, $waves, $operators, $provinces, true, false) AS q USING (operator)
ORDER BY c.sent DESC, c.operator  -- ties in a stable order: exports repeat byte for byte
