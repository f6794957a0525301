-- Reach per wave as marts/reach_wave.sql, with unique reach estimated from the HyperLogLog
-- sketch (ddl/sketch.sql; pages label it as approximate) and capped at delivered; the other
-- columns are exact.
-- Params: $date_from, $date_to, $waves, $operators, $provinces (NULL = no filter).
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
    w.wave_id IS NOT NULL AS in_catalogue,  -- as marts/reach_wave.sql: an unknown wave counts
    coalesce(w.sent_date, c.first_send_date) AS sent_date,
    w.theme,
    w.message_text,
    c.sent,
    coalesce(c.delivered, 0) AS delivered,
    coalesce(c.delivered, 0) / nullif(c.final, 0) AS delivery_rate,
    least(coalesce(r.unique_reach, 0), coalesce(c.delivered, 0)) AS unique_reach,
    c.pending,
    true AS unique_reach_approximate
FROM counts AS c
LEFT JOIN waves AS w USING (wave_id)
LEFT JOIN reach_wave_approx($date_from, $date_to, $waves, $operators, $provinces) AS r
    USING (wave_id)
ORDER BY sent_date, c.wave_id
