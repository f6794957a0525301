-- Messages per ISO week (Monday to Sunday, WIB send days), for the weekly trend chart.
-- Every week of the range is a row, a week without receipts as zero sent and delivered
-- (delivery_rate NULL): a pause in the campaign shows as a gap at 0 on every output (web,
-- brief, press figure), never as weeks joined over it. The range runs from the first week
-- with receipts in the filters to the week of $date_to, or to the last week with receipts
-- when there is no $date_to (a period ending after the campaign keeps its empty weeks).
-- Params: $date_from, $date_to, $waves, $operators, $provinces (NULL = no filter).
-- Grain: one row per ISO week of the range (none without receipts in the filters).
WITH counts AS (
    SELECT send_date, status, receipts
    FROM filtered_counts($date_from, $date_to, $waves, $operators, $provinces)
),
weeks AS (  -- the Mondays of the range; date_trunc('week') is the ISO week's Monday
    SELECT unnest(generate_series(
        date_trunc('week', min(send_date)),
        date_trunc('week', coalesce($date_to::DATE, max(send_date))),
        INTERVAL 7 DAY))::DATE AS week_start
    FROM counts
    HAVING min(send_date) IS NOT NULL  -- no receipts: no range, no rows
),
per_week AS (
    SELECT date_trunc('week', send_date)::DATE AS week_start,
           sum(receipts) AS sent,
           sum(receipts) FILTER (WHERE status = 'DELIVRD') AS delivered,
           sum(receipts) FILTER (WHERE status NOT IN ('ENROUTE', 'SCHEDLD')) AS settled
    FROM counts
    GROUP BY ALL
)
SELECT
    strftime(w.week_start, '%G-W%V') AS iso_week,
    w.week_start,
    coalesce(p.sent, 0)::BIGINT AS sent,
    coalesce(p.delivered, 0)::BIGINT AS delivered,
    coalesce(p.delivered, 0) / nullif(p.settled, 0) AS delivery_rate
FROM weeks AS w
LEFT JOIN per_week AS p ON p.week_start = w.week_start
ORDER BY iso_week
