-- Waves that receipts name but the catalogue does not list: their receipts are loaded and
-- counted in every total (each load warns unknown_wave); the catalogue needs them.
-- Params: none. Grain: one row per wave id missing from the catalogue.
SELECT c.wave_id, min(c.send_date) AS first_send_date, max(c.send_date) AS last_send_date,
       sum(c.receipts)::BIGINT AS sent,
       coalesce(sum(c.receipts) FILTER (WHERE c.status = 'DELIVRD'), 0)::BIGINT AS delivered
FROM receipt_counts AS c
ANTI JOIN waves AS w USING (wave_id)
GROUP BY c.wave_id
ORDER BY first_send_date, c.wave_id
