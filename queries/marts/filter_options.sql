-- What the sidebar filters can offer: the send-date range and the waves with receipts.
-- Params: none. Grain: one row per wave with receipts.
SELECT
    c.wave_id,
    w.channel,
    w.theme,
    min(c.send_date) AS first_send_date,
    max(c.send_date) AS last_send_date
FROM receipt_counts AS c
LEFT JOIN waves AS w USING (wave_id)
GROUP BY ALL
ORDER BY first_send_date, c.wave_id
