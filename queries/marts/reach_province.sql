-- Reach per province (NULL province_code = receipts whose province was unknown), with
-- delivered messages and unique reach per registered voter (DPT 2024; both may exceed 1).
-- Params: $date_from, $date_to, $waves, $operators, $provinces (NULL = no filter).
-- Grain: one row per province with receipts.
WITH counts AS (
    SELECT
        province_code,
        sum(receipts)::BIGINT AS sent,
        sum(receipts) FILTER (WHERE status = 'DELIVRD')::BIGINT AS delivered,
        sum(receipts) FILTER (WHERE status NOT IN ('ENROUTE', 'SCHEDLD'))::BIGINT AS final,
        coalesce(sum(receipts) FILTER (WHERE status IN ('ENROUTE', 'SCHEDLD'))::BIGINT, 0) AS pending
    FROM filtered_counts($date_from, $date_to, $waves, $operators, $provinces)
    GROUP BY province_code
),
reach AS (
    SELECT province_code, count(DISTINCT recipient_key) AS unique_reach
    FROM filtered_reach($date_from, $date_to, $waves, $operators, $provinces)
    GROUP BY province_code
),
latency AS (
    SELECT province_code, bucket,
           sum(sum(receipts)::BIGINT) OVER (PARTITION BY province_code ORDER BY bucket)
             / sum(sum(receipts)::BIGINT) OVER (PARTITION BY province_code) AS cdf
    FROM filtered_latency($date_from, $date_to, $waves, $operators, $provinces)
    GROUP BY province_code, bucket
),
quantiles AS (
    SELECT province_code,
           bucket_seconds(min(bucket) FILTER (WHERE cdf >= 0.5)) AS latency_p50_s,
           bucket_seconds(min(bucket) FILTER (WHERE cdf >= 0.9)) AS latency_p90_s,
           bucket_seconds(min(bucket) FILTER (WHERE cdf >= 0.99)) AS latency_p99_s
    FROM latency GROUP BY province_code
)
SELECT
    c.province_code,
    p.name AS province_name,
    p.short AS province_short,
    p.dpt_2024,
    c.sent,
    coalesce(c.delivered, 0) AS delivered,
    coalesce(c.delivered, 0) / nullif(c.final, 0) AS delivery_rate,
    coalesce(r.unique_reach, 0) AS unique_reach,
    c.pending,
    coalesce(c.delivered, 0) / p.dpt_2024 AS delivered_per_voter,
    coalesce(r.unique_reach, 0) / p.dpt_2024 AS unique_reach_per_voter,
    q.latency_p50_s,
    q.latency_p90_s,
    q.latency_p99_s
FROM counts AS c
LEFT JOIN provinces AS p USING (province_code)
LEFT JOIN reach AS r ON r.province_code IS NOT DISTINCT FROM c.province_code
LEFT JOIN quantiles AS q ON q.province_code IS NOT DISTINCT FROM c.province_code
ORDER BY c.province_code NULLS LAST
