-- The campaign's channels beside the SMS blasts, for a period (the weekly summary's ISO week,
-- or Ringkasan's filter) and for the campaign up to the period's last day:
--   status bar: impressions and unique devices as the operators counted them per wave, day
--     and province (unique_devices is summed over those rows: a device seen on several days
--     counts once a day), clicks where the text had a link;
--   WhatsApp Channel: the updates posted in the span (WIB day of posted_at) with their views
--     as of the latest export loaded, and the followers on the span's last day with insights.
-- SMS is not here: its delivered and unique reach come from reach_totals (one definition).
-- Filters: the status bar by day, operator and province (a province filter leaves out rows of
-- unknown province, as for receipts); the WhatsApp Channel is national and has no operator,
-- so only the days apply. The wave filter is SMS's alone (the sidebar offers SMS waves).
-- Params: $date_from, $date_to (WIB days, inclusive; NULL = open), $operators, $provinces
-- (lists; NULL = no filter).
-- Grain: one row per span ('period': $date_from..$date_to; 'campaign': every day up to
-- $date_to) and channel ('status_bar', 'whatsapp_channel'). A measure is NULL when the channel
-- has no row in the span (no data, not zero); `loaded` says whether the table has any row.
-- first_day/last_day: the days of the impressions, or of the updates posted; the WhatsApp
-- insights' days are first_insight..followers_date.
WITH spans AS (
    SELECT 'period' AS span, CAST($date_from AS DATE) AS first_day
    UNION ALL
    SELECT 'campaign', CAST(NULL AS DATE)
),
status_bar AS (
    SELECT
        s.span,
        'status_bar' AS channel,
        count(b.impression_date)::BIGINT AS source_rows,
        sum(b.impressions)::BIGINT AS impressions,
        sum(b.unique_devices)::BIGINT AS unique_devices,
        sum(b.clicks)::BIGINT AS clicks,
        list(DISTINCT b.operator ORDER BY b.operator) FILTER (WHERE b.operator IS NOT NULL)
            AS operators,
        list(DISTINCT b.wave_id ORDER BY b.wave_id) FILTER (WHERE b.wave_id IS NOT NULL)
            AS waves,
        min(b.impression_date) AS first_day,
        max(b.impression_date) AS last_day,
        (SELECT count(*) > 0 FROM status_bar_impressions) AS loaded
    FROM spans AS s
    LEFT JOIN filtered_status_bar(NULL, $date_to, NULL, $operators, $provinces) AS b
        ON in_period(b.impression_date, s.first_day, $date_to)
    GROUP BY s.span
),
wa_views AS (
    SELECT
        s.span,
        count(u.update_id)::BIGINT AS updates,
        sum(u.views)::BIGINT AS views,
        sum(u.reactions)::BIGINT AS reactions,
        sum(u.forwards)::BIGINT AS forwards,
        list(DISTINCT u.wave_id ORDER BY u.wave_id) FILTER (WHERE u.wave_id IS NOT NULL)
            AS waves,
        min(wib_date(u.posted_at)) AS first_day,
        max(wib_date(u.posted_at)) AS last_day
    FROM spans AS s
    LEFT JOIN wa_updates AS u
        ON in_period(wib_date(u.posted_at), s.first_day, $date_to)
    GROUP BY s.span
),
wa_followers AS (
    SELECT
        s.span,
        count(d.insight_date)::BIGINT AS insight_days,
        arg_max(d.followers, d.insight_date)::BIGINT AS followers,
        min(d.insight_date) AS first_insight,
        max(d.insight_date) AS followers_date
    FROM spans AS s
    LEFT JOIN wa_daily AS d
        ON in_period(d.insight_date, s.first_day, $date_to)
    GROUP BY s.span
),
whatsapp AS (
    SELECT
        v.span,
        'whatsapp_channel' AS channel,
        (v.updates + f.insight_days)::BIGINT AS source_rows,
        v.updates,
        v.views,
        v.reactions,
        v.forwards,
        f.followers,
        f.followers_date,
        v.waves,
        v.first_day,
        v.last_day,
        f.first_insight,
        (SELECT count(*) > 0 FROM wa_updates) OR (SELECT count(*) > 0 FROM wa_daily) AS loaded
    FROM wa_views AS v
    JOIN wa_followers AS f USING (span)
)
SELECT
    span, channel, source_rows, loaded, impressions, unique_devices, clicks,
    NULL::BIGINT AS updates, NULL::BIGINT AS views, NULL::BIGINT AS reactions,
    NULL::BIGINT AS forwards, NULL::BIGINT AS followers, NULL::DATE AS first_insight,
    NULL::DATE AS followers_date, operators, waves, first_day, last_day
FROM status_bar
UNION ALL
SELECT
    span, channel, source_rows, loaded, NULL, NULL, NULL,
    updates, views, reactions, forwards, followers, first_insight, followers_date,
    NULL::VARCHAR[], waves, first_day, last_day
FROM whatsapp
ORDER BY span DESC, channel
