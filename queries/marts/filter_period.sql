-- The days the sidebar's period picker spans: from the first to the last day of any channel's
-- data (SMS send days, status-bar days, WhatsApp post days and insight days; WIB), so a day
-- of the status bar or the WhatsApp Channel outside the SMS blasts can be chosen too.
-- Params: none. Grain: one row (NULLs when nothing is loaded).
SELECT min(first_day) AS first_day, max(last_day) AS last_day
FROM (
    SELECT min(send_date), max(send_date) FROM receipt_counts
    UNION ALL
    SELECT min(impression_date), max(impression_date) FROM status_bar_impressions
    UNION ALL
    SELECT min(wib_date(posted_at)), max(wib_date(posted_at)) FROM wa_updates
    UNION ALL
    SELECT min(insight_date), max(insight_date) FROM wa_daily
) AS days (first_day, last_day)
