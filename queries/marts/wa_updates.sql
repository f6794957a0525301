-- The WhatsApp Channel's updates (posts) in the period, with their counts as of the latest
-- export loaded and their wave's catalogue entry when it has one (in_catalogue false: a wave
-- id the catalogue does not list as a WhatsApp Channel post; NULL: the post names no wave).
-- National: no operator or province filter applies; the wave filter is SMS's alone.
-- Params: $date_from, $date_to (WIB day of posted_at; NULL = open).
-- Grain: one row per update.
SELECT
    u.update_id,
    u.wave_id,
    CASE WHEN u.wave_id IS NOT NULL THEN w.wave_id IS NOT NULL END AS in_catalogue,
    w.theme,
    u.posted_at,
    wib_date(u.posted_at) AS posted_date,
    u.views,
    u.reactions,
    u.forwards
FROM wa_updates AS u
LEFT JOIN waves AS w ON w.wave_id = u.wave_id AND w.channel = 'whatsapp_channel'
WHERE in_period(wib_date(u.posted_at), $date_from, $date_to)
ORDER BY u.posted_at, u.update_id
