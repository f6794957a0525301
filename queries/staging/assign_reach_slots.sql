-- Gives each (wave, send day) pair a file delivered to for the first time its bit in
-- reach_recipients.slots (the next free slot, in day order). Run before merge_reach.sql or
-- refresh_reach.sql. Reads temp table touched_slots (wave_id, send_date). Params: none.
-- Grain: one row per (wave, send day) with delivered receipts.
INSERT INTO reach_slots
SELECT (SELECT coalesce(max(slot), -1) FROM reach_slots)
           + row_number() OVER (ORDER BY n.send_date, n.wave_id) AS slot,
       n.wave_id, n.send_date
FROM (SELECT DISTINCT wave_id, send_date FROM touched_slots) AS n
ANTI JOIN reach_slots AS s ON s.wave_id = n.wave_id AND s.send_date = n.send_date;
