-- The campaign's messages on every channel.
-- Params: none. Grain: one row per wave (SMS wave, status-bar text, WhatsApp Channel post).
SELECT wave_id, channel, sent_date, theme, message_text
FROM waves
ORDER BY sent_date, wave_id
