-- Sent, delivered, delivery rate and unique reach per operator, straight from the Parquet lake
-- (no rollups): the portable query of docs/LAKE.md, run by DuckDB and by Spark SQL alike.
-- Reads view lake_receipts (the lake's files). Params: none.
-- Grain: one row per operator.
SELECT
    operator,
    count(*) AS sent,
    sum(CASE WHEN status = 'DELIVRD' THEN 1 ELSE 0 END) AS delivered,
    sum(CASE WHEN status = 'DELIVRD' THEN 1 ELSE 0 END)
        / nullif(sum(CASE WHEN status NOT IN ('ENROUTE', 'SCHEDLD') THEN 1 ELSE 0 END), 0)
        AS delivery_rate,
    count(DISTINCT CASE WHEN status = 'DELIVRD' THEN recipient_key_signed END) AS unique_reach
FROM lake_receipts
GROUP BY operator
ORDER BY operator
