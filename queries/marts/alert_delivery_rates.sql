-- Delivery rate per operator or province in the week of $as_of (Monday to $as_of) and in the
-- week before, for the delivery-rate alerts (dashboard/service/alerts.py). Data time: $as_of
-- is the latest day in the data or the day asked for, never the wall clock.
-- Params: $as_of (DATE), $by ('operator' | 'province'), $provinces (a user's province scope:
--         the receipts of these provinces only; NULL = the whole country).
-- Grain: one row per operator id (or province code, as text) with final receipts in either week.
WITH bounds AS (
    SELECT date_trunc('week', $as_of::DATE)::DATE AS monday
),
counts AS (
    SELECT
        CASE WHEN $by = 'operator' THEN c.operator ELSE c.province_code::VARCHAR END AS subject,
        c.send_date >= b.monday AS this_week,
        c.status,
        c.receipts
    FROM receipt_counts AS c, bounds AS b
    WHERE c.send_date BETWEEN b.monday - 7 AND $as_of
      AND c.status NOT IN ('ENROUTE', 'SCHEDLD')
      AND in_list($provinces, c.province_code)
)
SELECT
    subject,
    sum(receipts) FILTER (WHERE this_week AND status = 'DELIVRD')
        / nullif(sum(receipts) FILTER (WHERE this_week), 0) AS rate,
    sum(receipts) FILTER (WHERE NOT this_week AND status = 'DELIVRD')
        / nullif(sum(receipts) FILTER (WHERE NOT this_week), 0) AS previous_rate,
    coalesce(sum(receipts) FILTER (WHERE this_week), 0)::BIGINT AS final_receipts
FROM counts
WHERE subject IS NOT NULL
GROUP BY subject
ORDER BY subject
