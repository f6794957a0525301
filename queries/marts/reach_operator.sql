-- Reach per operator group, with delivery latency percentiles (from the histogram rollup,
-- accurate to about 19 %).
-- Unique reach: exact, or with $approximate estimated from the HyperLogLog sketch
-- (ddl/sketch.sql), capped at delivered; unique_reach_approximate says which (the pages
-- label estimates; reports/tables.reach_table leaves the column out of exact tables).
-- Params: $date_from, $date_to, $waves, $operators, $provinces (NULL = no filter), $approximate.
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
    $approximate AS unique_reach_approximate
FROM reach_counts($date_from, $date_to, $waves, $operators, $provinces, true, false) AS c
LEFT JOIN operators AS o USING (operator)
LEFT JOIN reach_unique_chosen($date_from, $date_to, $waves, $operators, $provinces, true, false,
                              $approximate) AS r USING (operator)
LEFT JOIN reach_latency($date_from, $date_to, $waves, $operators, $provinces, true, false) AS q USING (operator)
ORDER BY c.sent DESC, c.operator  -- ties in a stable order: exports repeat byte for byte
