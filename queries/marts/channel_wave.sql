-- The status bar and the WhatsApp Channel per wave, each with its own reach measures; the SMS
-- rows come from marts/reach_wave.sql (dashboard/reports/channels.channel_wave puts the three
-- together, so SMS unique reach keeps its one definition).
--   status bar: impressions and unique devices as the operators counted them per wave, day
--     and province, summed (a device seen on several days or in several provinces counts
--     once in each); clicks where the text had a link; click_rate = clicks / impressions of
--     the rows with a click count (NULL when no row of the wave has one: no link);
--   WhatsApp Channel: the updates posted in the period (WIB day of posted_at), their views,
--     reactions and forwards as of the latest export loaded; a post that names no wave has
--     wave_id NULL.
-- A wave with rows that the catalogue does not list for that channel has in_catalogue false
-- and is counted all the same (as the SMS reach marts do).
-- Filters: the status bar by day, operator and province (a province filter leaves out rows
-- of unknown province, as for receipts); the WhatsApp Channel is national and has no
-- operator: only the days apply. The wave filter is SMS's alone (the sidebar offers SMS
-- waves): not applied here.
-- Params: $date_from, $date_to (WIB days; NULL = open), $operators, $provinces (NULL = all).
-- Grain: one row per (channel, wave) with rows; channel 'status_bar' or 'whatsapp_channel'.
WITH status_bar AS (
    SELECT
        wave_id,
        min(impression_date) AS first_day,
        sum(impressions)::BIGINT AS impressions,
        sum(unique_devices)::BIGINT AS unique_devices,
        sum(clicks)::BIGINT AS clicks,
        sum(impressions) FILTER (WHERE clicks IS NOT NULL)::BIGINT AS impressions_with_link
    FROM filtered_status_bar($date_from, $date_to, NULL, $operators, $provinces)
    GROUP BY wave_id
),
whatsapp AS (
    SELECT
        wave_id,
        min(wib_date(posted_at)) AS first_day,
        count(*)::BIGINT AS updates,
        sum(views)::BIGINT AS views,
        sum(reactions)::BIGINT AS reactions,
        sum(forwards)::BIGINT AS forwards
    FROM wa_updates
    WHERE in_period(wib_date(posted_at), $date_from, $date_to)
    GROUP BY wave_id
),
rows AS (
    SELECT
        'status_bar' AS channel, wave_id, first_day, impressions, unique_devices, clicks,
        clicks / nullif(impressions_with_link, 0) AS click_rate,
        NULL::BIGINT AS updates, NULL::BIGINT AS views, NULL::BIGINT AS reactions,
        NULL::BIGINT AS forwards
    FROM status_bar
    UNION ALL
    SELECT
        'whatsapp_channel', wave_id, first_day, NULL, NULL, NULL, NULL,
        updates, views, reactions, forwards
    FROM whatsapp
)
SELECT
    r.channel,
    r.wave_id,
    w.wave_id IS NOT NULL AS in_catalogue,  -- an unknown wave is counted, and shown as such
    coalesce(w.sent_date, r.first_day) AS sent_date,
    w.theme,
    w.message_text,
    r.impressions,
    r.unique_devices,
    r.clicks,
    r.click_rate,
    r.updates,
    r.views,
    r.reactions,
    r.forwards
FROM rows AS r
LEFT JOIN waves AS w ON w.wave_id = r.wave_id AND w.channel = r.channel
ORDER BY r.channel, sent_date, r.wave_id NULLS LAST
