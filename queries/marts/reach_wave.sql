-- Reach per wave, with the wave's catalogue entry when it has one (in_catalogue false: a
-- wave id the catalogue does not list, counted in every total all the same).
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
),
recipients AS (  -- one row per recipient: every slot it was reached in
    SELECT recipient_key, bit_or(slots) AS slots
    FROM filtered_reach($date_from, $date_to, $waves, $operators, $provinces)
    GROUP BY recipient_key
),
patterns AS (  -- a campaign has few distinct patterns, so the wave test runs on those
    SELECT slots, count(*) AS recipients FROM recipients GROUP BY slots
),
reach AS (
    SELECT w.wave_id, sum(p.recipients)::BIGINT AS unique_reach
    FROM patterns AS p
    JOIN wave_bits() AS w ON (p.slots & w.bits) <> 0
    GROUP BY w.wave_id
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
    coalesce(r.unique_reach, 0) AS unique_reach,
    c.pending
FROM counts AS c
LEFT JOIN waves AS w USING (wave_id)
LEFT JOIN reach AS r USING (wave_id)
ORDER BY sent_date, c.wave_id
