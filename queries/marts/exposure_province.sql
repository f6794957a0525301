-- Exposure of each province to the filtered campaign: delivered SMS and the operators'
-- status-bar impressions (the inputs of the participation tests). Unique reach is not here:
-- a distinct count cannot be added over Papua's new provinces, so the tests read it per 2019
-- unit from reach_unit_2019.sql (a per-province reach here was worked out and thrown away).
-- Status bar: impressions under the same filters (impression_date is the WIB day, as the
-- receipts' send date). status_bar_impressions is NULL on every row when no status-bar row
-- matches the filters (the status-bar tests are then not run), else 0 for a province
-- without rows; the NULL-province row holds the impressions no province can take.
-- status_bar_loaded: any status-bar row at all, whatever the filters (to tell "none loaded"
-- from "none in these filters").
-- Params: $date_from, $date_to, $waves, $operators, $provinces (NULL = no filter).
-- Grain: one row per province with receipts or status-bar rows (NULL province = unknown).
WITH sms AS (
    SELECT province_code, delivered
    FROM reach_counts($date_from, $date_to, $waves, $operators, $provinces, false, true)
),
status_bar AS (
    SELECT province_code, sum(impressions)::BIGINT AS impressions
    FROM filtered_status_bar($date_from, $date_to, $waves, $operators, $provinces)
    GROUP BY province_code
)
SELECT
    coalesce(s.province_code, b.province_code) AS province_code,
    coalesce(s.delivered, 0)::BIGINT AS delivered,
    CASE WHEN EXISTS (SELECT 1 FROM status_bar) THEN coalesce(b.impressions, 0) END::BIGINT
        AS status_bar_impressions,
    EXISTS (SELECT 1 FROM status_bar_impressions) AS status_bar_loaded
FROM sms AS s
FULL OUTER JOIN status_bar AS b ON b.province_code IS NOT DISTINCT FROM s.province_code
ORDER BY 1 NULLS LAST
