-- The hoax register as loaded, for the Hoaks page and its analyses.
-- Params: $date_from, $date_to (identified dates, NULL = open).
-- Grain: one row per hoax issue.
SELECT
    hoax_id,
    identified_date,
    title,
    category,
    election_related,
    theme,
    platforms,
    content_items,
    taken_down,
    province_code,
    source_url,
    taken_down_date
FROM hoax_reports
WHERE identified_date BETWEEN coalesce($date_from, DATE '1900-01-01')
                          AND coalesce($date_to, DATE '2999-12-31')
ORDER BY identified_date DESC, hoax_id
