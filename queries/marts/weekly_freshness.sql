-- Data freshness per operator: receipts in a period, and the last send day and last load of
-- each operator's receipts overall (an operator with no receipts in the period is flagged;
-- on a database attached from cluster rollups the last load is the rollups' computing time).
-- Params: $date_from, $date_to (WIB send days, inclusive; NULL = open), $provinces (list;
-- NULL = all: a user's province scope).
-- Grain: one row per operator group of the reference list.
WITH period AS (
    SELECT operator, sum(receipts)::BIGINT AS receipts
    FROM receipt_counts
    WHERE in_period(send_date, $date_from, $date_to) AND in_list($provinces, province_code)
    GROUP BY operator
),
overall AS (
    SELECT operator, max(send_date) AS last_send_date
    FROM receipt_counts
    WHERE in_list($provinces, province_code)
    GROUP BY operator
),
loads AS (
    SELECT operator, max(loaded_at) AS last_loaded_at
    FROM (
        SELECT r.operator, l.finished_at AS loaded_at
        FROM (SELECT DISTINCT operator, ingest_id FROM receipts) AS r
        JOIN ingest_log AS l USING (ingest_id)
        UNION ALL
        -- large-campaign mode (migration 0010): no receipts here; the operators' numbers
        -- arrived as of the time the cluster computed the attached rollups
        SELECT DISTINCT c.operator, k.created_at
        FROM receipt_counts AS c
        CROSS JOIN cluster_rollups AS k
    )
    GROUP BY operator
)
SELECT
    o.operator,
    o.name AS operator_name,
    coalesce(p.receipts, 0) AS receipts,
    v.last_send_date,
    d.last_loaded_at
FROM operators AS o
LEFT JOIN period AS p USING (operator)
LEFT JOIN overall AS v USING (operator)
LEFT JOIN loads AS d USING (operator)
ORDER BY o.operator
