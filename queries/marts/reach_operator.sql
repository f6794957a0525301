-- Reach per operator group, with delivery latency percentiles (from the histogram rollup,
-- accurate to about 19 %).
-- Params: $date_from, $date_to, $waves, $operators, $provinces (NULL = no filter).
-- Grain: one row per operator.
SELECT
    c.operator,
    o.name AS operator_name,
    c.sent,
    c.delivered,
    c.delivered / nullif(c.final, 0) AS delivery_rate,
    coalesce(r.unique_reach, 0) AS unique_reach,
    c.pending,
    q.latency_p50_s,
    q.latency_p90_s,
    q.latency_p99_s
FROM reach_counts($date_from, $date_to, $waves, $operators, $provinces, true, false) AS c
LEFT JOIN operators AS o USING (operator)
LEFT JOIN reach_unique($date_from, $date_to, $waves, $operators, $provinces, true, false) AS r USING (operator)
LEFT JOIN reach_latency($date_from, $date_to, $waves, $operators, $provinces, true, false) AS q USING (operator)
ORDER BY c.sent DESC, c.operator  -- ties in a stable order: exports repeat byte for byte
