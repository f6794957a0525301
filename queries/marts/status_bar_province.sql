-- Status-bar counts per wave, operator and province, summed over the days in the period:
-- impressions and unique devices as the operators counted them (unique devices summed over
-- days: a device seen on several days counts once a day), clicks where the text had a link,
-- impressions_with_link (the impressions of rows with a click count, so that a click rate
-- of any sum of these rows is clicks / impressions_with_link) and click_rate (NULL: no
-- click count, the text had no link). province_code NULL = unknown province.
-- Filters: day, operator and province (a province filter leaves out unknown province); the
-- wave filter is SMS's alone: not applied here.
-- Params: $date_from, $date_to (WIB days; NULL = open), $operators, $provinces (NULL = all).
-- Grain: one row per (wave, operator, province) with rows.
SELECT
    wave_id,
    operator,
    province_code,
    sum(impressions)::BIGINT AS impressions,
    sum(unique_devices)::BIGINT AS unique_devices,
    sum(clicks)::BIGINT AS clicks,
    coalesce(sum(impressions) FILTER (WHERE clicks IS NOT NULL), 0)::BIGINT
        AS impressions_with_link,
    sum(clicks) / nullif(sum(impressions) FILTER (WHERE clicks IS NOT NULL), 0) AS click_rate
FROM filtered_status_bar($date_from, $date_to, NULL, $operators, $provinces)
GROUP BY wave_id, operator, province_code
ORDER BY wave_id, operator, province_code NULLS LAST
