-- Campaign messages sent in a period (every channel), for the weekly summary.
-- Params: $date_from, $date_to (sent_date, inclusive; NULL = open).
-- Grain: one row per wave sent in the period.
SELECT wave_id, channel, sent_date, theme
FROM waves
WHERE sent_date BETWEEN coalesce($date_from, DATE '1900-01-01')
                    AND coalesce($date_to, DATE '2999-12-31')
ORDER BY sent_date, wave_id
