-- Gives each (wave, send day) pair a file delivered to for the first time its bit in
-- reach_recipients.slots: the lowest free slots (a slot freed by evict_reach_slots.sql is
-- used again), in day order. Run before merge_reach.sql or refresh_reach.sql. Reads temp
-- table touched_slots (wave_id, send_date). Params: $max_slots (bits of the bitmask).
-- Grain: one row per (wave, send day) with delivered receipts.
INSERT INTO reach_slots
WITH new_pairs AS (
    SELECT n.wave_id, n.send_date, row_number() OVER (ORDER BY n.send_date, n.wave_id) AS k
    FROM (SELECT DISTINCT wave_id, send_date FROM touched_slots) AS n
    ANTI JOIN reach_slots AS s ON s.wave_id = n.wave_id AND s.send_date = n.send_date
),
free AS (
    SELECT f.slot, row_number() OVER (ORDER BY f.slot) AS k
    FROM (SELECT range::SMALLINT AS slot FROM range($max_slots)) AS f
    ANTI JOIN reach_slots AS s ON s.slot = f.slot
)
SELECT free.slot, new_pairs.wave_id, new_pairs.send_date
FROM new_pairs JOIN free USING (k);
