-- Reach per wave, with the wave's catalogue entry when it has one (in_catalogue false: a
-- wave id the catalogue does not list, counted in every total all the same).
-- Unique reach: exact, or with $approximate estimated from the HyperLogLog sketch
-- (ddl/sketch.sql), capped at delivered; unique_reach_approximate says which (the pages
-- label estimates; reports/tables.reach_table leaves the column out of exact tables).
-- Params: $date_from, $date_to, $waves, $operators, $provinces (NULL = no filter), $approximate.
-- Grain: one row per wave with receipts.
WITH counts AS (
    SELECT
        wave_id,
        min(send_date) AS first_send_date,
        sum(receipts)::BIGINT AS sent,
        sum(receipts) FILTER (WHERE status = 'DELIVRD')::BIGINT AS delivered,
        sum(receipts) FILTER (WHERE status NOT IN ('ENROUTE', 'SCHEDLD'))::BIGINT AS final,
        coalesce(sum(receipts) FILTER (WHERE status IN ('ENROUTE', 'SCHEDLD'))::BIGINT, 0) AS pending
    FROM filtered_counts($date_from, $date_to, $waves, $operators, $provinces)
    GROUP BY wave_id
)
SELECT
    c.wave_id,
    w.wave_id IS NOT NULL AS in_catalogue,  -- an unknown wave is counted, and shown as such
    coalesce(w.sent_date, c.first_send_date) AS sent_date,
    w.theme,
    w.message_text,
    c.sent,
    coalesce(c.delivered, 0) AS delivered,
    coalesce(c.delivered, 0) / nullif(c.final, 0) AS delivery_rate,
    least(coalesce(r.unique_reach, 0), coalesce(c.delivered, 0)) AS unique_reach,
    c.pending,
    $approximate AS unique_reach_approximate
FROM counts AS c
LEFT JOIN waves AS w USING (wave_id)
LEFT JOIN reach_wave_chosen($date_from, $date_to, $waves, $operators, $provinces, $approximate)
    AS r USING (wave_id)
ORDER BY sent_date, c.wave_id
