-- Delivered receipts that unique reach leaves out: those of (wave, send day) pairs without a
-- reach slot. Only waves missing from the catalogue go without, beyond the pairs the exact
-- rollup keeps for such waves (ingest/reach_slots.py UNCATALOGUED_PAIRS).
-- Params: the shared filters ($date_from, $date_to, $waves, $operators, $provinces).
-- Grain: one row per wave without slots, with its delivered receipts in the filter.
SELECT c.wave_id, sum(c.receipts)::BIGINT AS delivered
FROM filtered_counts($date_from, $date_to, $waves, $operators, $provinces) AS c
ANTI JOIN reach_slots AS s ON s.wave_id = c.wave_id AND s.send_date = c.send_date
WHERE c.status = 'DELIVRD'
GROUP BY ALL
ORDER BY c.wave_id
