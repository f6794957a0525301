-- What the receipts behind a view cover: the operators that reported, the waves and the send
-- days, within the filters.
-- Params: $date_from, $date_to, $waves, $operators, $provinces (NULL = no filter).
-- Grain: one row.
SELECT
    list(DISTINCT operator ORDER BY operator) AS operators,
    list(DISTINCT wave_id ORDER BY wave_id) AS waves,
    min(send_date) AS first_day,
    max(send_date) AS last_day,
    coalesce(sum(receipts), 0)::BIGINT AS receipts
FROM filtered_counts($date_from, $date_to, $waves, $operators, $provinces)
