-- Whether each channel has any row loaded at all, whatever the filters (the Kanal page says
-- "no data yet" for a channel without rows and "nothing in these filters" for one with).
-- Params: none.
-- Grain: one row.
SELECT
    (SELECT count(*) > 0 FROM receipt_counts) AS sms,
    (SELECT count(*) > 0 FROM status_bar_impressions) AS status_bar,
    (SELECT count(*) > 0 FROM wa_updates) OR (SELECT count(*) > 0 FROM wa_daily)
        AS whatsapp_channel
