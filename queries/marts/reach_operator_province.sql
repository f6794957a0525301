-- Reach per operator and province (the heatmap's cells).
-- Unique reach: exact, or with $approximate estimated from the HyperLogLog sketch
-- (ddl/sketch.sql), capped at delivered; unique_reach_approximate says which (the pages
-- label estimates; reports/tables.reach_table leaves the column out of exact tables).
-- Estimated or not, when the filter selects exactly the send days of one whole wave (that
-- wave's slots in reach_slots and no other), unique reach is exact from the rollup
-- reach_cells (one row per wave, operator and province), and unique_reach_approximate is
-- false. Operator and province filters need no care: they are the rollup's own keys.
-- Params: $date_from, $date_to, $waves, $operators, $provinces (NULL = no filter), $approximate.
-- Grain: one row per (operator, province) with receipts; NULL province = unknown.
WITH chosen AS (  -- per wave, how many of its (wave, send day) slots the filter selects
    SELECT wave_id, count(*) AS slots
    FROM reach_slots
    WHERE in_period(send_date, $date_from, $date_to) AND in_list($waves, wave_id)
    GROUP BY wave_id
),
whole_wave AS (  -- one row when estimating and the filter selects all of one wave's slots
    SELECT c.wave_id
    FROM chosen AS c
    JOIN (SELECT wave_id, count(*) AS slots FROM reach_slots GROUP BY wave_id) AS a
        ON a.wave_id = c.wave_id AND a.slots = c.slots
    WHERE $approximate AND (SELECT count(*) FROM chosen) = 1
),
exact AS (
    SELECT x.operator, x.province_code, x.recipients
    FROM reach_cells AS x
    JOIN whole_wave AS w ON w.wave_id = x.wave_id
)
SELECT
    c.operator,
    c.province_code,
    p.short AS province_short,
    c.sent,
    c.delivered,
    c.delivered / nullif(c.final, 0) AS delivery_rate,
    CASE WHEN (SELECT count(*) FROM whole_wave) = 1 THEN coalesce(e.recipients, 0)
         ELSE least(coalesce(r.unique_reach, 0), c.delivered) END AS unique_reach,
    c.pending,
    c.delivered / p.dpt_2024 AS delivered_per_voter,
    $approximate AND (SELECT count(*) FROM whole_wave) = 0 AS unique_reach_approximate
FROM reach_counts($date_from, $date_to, $waves, $operators, $provinces, true, true) AS c
LEFT JOIN provinces AS p USING (province_code)
LEFT JOIN reach_unique_chosen($date_from, $date_to, $waves, $operators, $provinces, true, true,
                              $approximate) AS r
    ON r.operator = c.operator AND r.province_code IS NOT DISTINCT FROM c.province_code
LEFT JOIN exact AS e
    ON e.operator = c.operator AND e.province_code IS NOT DISTINCT FROM c.province_code
ORDER BY c.operator, c.province_code NULLS LAST
