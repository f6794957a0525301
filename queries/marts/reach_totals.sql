-- KPI tiles: one row for the whole filtered campaign.
-- Unique reach: exact, or with $approximate estimated from the HyperLogLog sketch
-- (ddl/sketch.sql), capped at delivered; unique_reach_approximate says which (the pages
-- label estimates; reports/tables.reach_table leaves the column out of exact tables).
-- Params: $date_from, $date_to, $waves, $operators, $provinces (NULL = no filter), $approximate.
-- Grain: one row.
WITH counts AS (
    SELECT
        coalesce(sum(receipts)::BIGINT, 0) AS sent,
        coalesce(sum(receipts) FILTER (WHERE status = 'DELIVRD')::BIGINT, 0) AS delivered,
        coalesce(sum(receipts) FILTER (WHERE status NOT IN ('ENROUTE', 'SCHEDLD'))::BIGINT, 0) AS final,
        coalesce(sum(receipts) FILTER (WHERE status IN ('ENROUTE', 'SCHEDLD'))::BIGINT, 0) AS pending
    FROM filtered_counts($date_from, $date_to, $waves, $operators, $provinces)
)
SELECT
    sent,
    delivered,
    delivered / nullif(final, 0) AS delivery_rate,
    least((SELECT coalesce(sum(unique_reach), 0)::BIGINT
           FROM reach_unique_chosen($date_from, $date_to, $waves, $operators, $provinces,
                                    false, false, $approximate)), delivered) AS unique_reach,
    pending,
    $approximate AS unique_reach_approximate
FROM counts
