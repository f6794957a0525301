-- The WhatsApp Channel's daily insights in the period (national: WhatsApp gives no
-- provinces), with the number of updates posted that WIB day (0: none).
-- Params: $date_from, $date_to (WIB days; NULL = open).
-- Grain: one row per insight day.
WITH posted AS (
    SELECT wib_date(posted_at) AS insight_date, count(*)::BIGINT AS updates_posted
    FROM wa_updates
    GROUP BY ALL
)
SELECT
    d.insight_date,
    d.followers,
    d.gained,
    d.lost,
    d.accounts_reached_30d,
    coalesce(p.updates_posted, 0)::BIGINT AS updates_posted
FROM wa_daily AS d
LEFT JOIN posted AS p USING (insight_date)
WHERE in_period(d.insight_date, $date_from, $date_to)
ORDER BY d.insight_date
