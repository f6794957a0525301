-- Exposure of each province to the filtered campaign: delivered SMS and their unique reach,
-- and the operators' status-bar impressions (the inputs of the participation tests; lighter
-- than reach_province).
-- Unique reach: exact, or with $approximate estimated from the HyperLogLog sketch
-- (ddl/sketch.sql), capped at delivered; unique_reach_approximate says which (the pages
-- label estimates; reports/tables.reach_table leaves the column out of exact tables).
-- Status bar: impressions under the same filters (impression_date is the WIB day, as the
-- receipts' send date). status_bar_impressions is NULL on every row when no status-bar row
-- matches the filters (the status-bar tests are then not run), else 0 for a province
-- without rows; the NULL-province row holds the impressions no province can take.
-- status_bar_loaded: any status-bar row at all, whatever the filters (to tell "none loaded"
-- from "none in these filters").
-- Params: $date_from, $date_to, $waves, $operators, $provinces (NULL = no filter), $approximate.
-- Grain: one row per province with receipts or status-bar rows (NULL province = unknown).
WITH sms AS (
    SELECT
        c.province_code,
        c.delivered,
        least(coalesce(r.unique_reach, 0), c.delivered) AS unique_reach
    FROM reach_counts($date_from, $date_to, $waves, $operators, $provinces, false, true) AS c
    LEFT JOIN reach_unique_chosen($date_from, $date_to, $waves, $operators, $provinces, false,
                                  true, $approximate) AS r
        ON r.province_code IS NOT DISTINCT FROM c.province_code
),
status_bar AS (
    SELECT province_code, sum(impressions)::BIGINT AS impressions
    FROM filtered_status_bar($date_from, $date_to, $waves, $operators, $provinces)
    GROUP BY province_code
)
SELECT
    coalesce(s.province_code, b.province_code) AS province_code,
    coalesce(s.delivered, 0)::BIGINT AS delivered,
    coalesce(s.unique_reach, 0)::BIGINT AS unique_reach,
    CASE WHEN EXISTS (SELECT 1 FROM status_bar) THEN coalesce(b.impressions, 0) END::BIGINT
        AS status_bar_impressions,
    EXISTS (SELECT 1 FROM status_bar_impressions) AS status_bar_loaded,
    $approximate AS unique_reach_approximate  -- last, as in every reach table
FROM sms AS s
FULL OUTER JOIN status_bar AS b ON b.province_code IS NOT DISTINCT FROM s.province_code
ORDER BY 1 NULLS LAST
