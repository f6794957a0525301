-- Reach per operator group, with delivery latency percentiles (from the histogram rollup,
-- accurate to about 19 %).
-- Params: $date_from, $date_to, $waves, $operators, $provinces (NULL = no filter).
-- Grain: one row per operator.
WITH counts AS (
    SELECT
        operator,
        sum(receipts)::BIGINT AS sent,
        sum(receipts) FILTER (WHERE status = 'DELIVRD')::BIGINT AS delivered,
        sum(receipts) FILTER (WHERE status NOT IN ('ENROUTE', 'SCHEDLD'))::BIGINT AS final,
        coalesce(sum(receipts) FILTER (WHERE status IN ('ENROUTE', 'SCHEDLD'))::BIGINT, 0) AS pending
    FROM filtered_counts($date_from, $date_to, $waves, $operators, $provinces)
    GROUP BY operator
),
reach AS (
    SELECT operator, count(DISTINCT recipient_key) AS unique_reach
    FROM filtered_reach($date_from, $date_to, $waves, $operators, $provinces)
    GROUP BY operator
),
latency AS (
    SELECT operator, bucket,
           sum(sum(receipts)::BIGINT) OVER (PARTITION BY operator ORDER BY bucket)
             / sum(sum(receipts)::BIGINT) OVER (PARTITION BY operator) AS cdf
    FROM filtered_latency($date_from, $date_to, $waves, $operators, $provinces)
    GROUP BY operator, bucket
),
quantiles AS (
    SELECT operator,
           bucket_seconds(min(bucket) FILTER (WHERE cdf >= 0.5)) AS latency_p50_s,
           bucket_seconds(min(bucket) FILTER (WHERE cdf >= 0.9)) AS latency_p90_s,
           bucket_seconds(min(bucket) FILTER (WHERE cdf >= 0.99)) AS latency_p99_s
    FROM latency GROUP BY operator
)
SELECT
    c.operator,
    o.name AS operator_name,
    c.sent,
    coalesce(c.delivered, 0) AS delivered,
    coalesce(c.delivered, 0) / nullif(c.final, 0) AS delivery_rate,
    coalesce(r.unique_reach, 0) AS unique_reach,
    c.pending,
    q.latency_p50_s,
    q.latency_p90_s,
    q.latency_p99_s
FROM counts AS c
LEFT JOIN operators AS o USING (operator)
LEFT JOIN reach AS r USING (operator)
LEFT JOIN quantiles AS q USING (operator)
ORDER BY c.sent DESC
