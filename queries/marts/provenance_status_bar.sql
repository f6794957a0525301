-- What the status-bar counts behind a view cover: the operators that reported, the waves and
-- the impression days, within the filters (the wave filter is SMS's alone: not applied here).
-- Params: $date_from, $date_to (WIB days; NULL = open), $operators, $provinces (NULL = all).
-- Grain: one row.
SELECT
    list(DISTINCT operator ORDER BY operator) AS operators,
    list(DISTINCT wave_id ORDER BY wave_id) AS waves,
    min(impression_date) AS first_day,
    max(impression_date) AS last_day,
    count(*)::BIGINT AS source_rows
FROM filtered_status_bar($date_from, $date_to, NULL, $operators, $provinces)
