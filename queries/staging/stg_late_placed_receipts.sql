-- The stored delivered receipts of earlier files in (wave, send day) pairs that had no reach
-- slot then and get one with this file (ingest/reach_slots.py assign: an uncatalogued wave
-- left out by an earlier file's cap, placed now). Unique reach counts them from now on, as a
-- rebuild from receipts would, so their recipients are recounted with the file's
-- (refresh_reach.sql) and their (wave, operator) partitions with the touched ones.
-- Params: $waves, $days (the late pairs, position by position), $ingest_id (this file's
-- load: its own receipts are counted as the file's).
-- Grain: one row per (wave, operator, recipient) with such a receipt.
CREATE TEMP TABLE late_placed AS
SELECT DISTINCT r.wave_id, r.operator, r.recipient_key
FROM receipts AS r
SEMI JOIN (SELECT unnest($waves::VARCHAR[]) AS wave_id, unnest($days::DATE[]) AS send_date) AS p
    ON p.wave_id = r.wave_id AND p.send_date = r.send_date
WHERE r.status = 'DELIVRD' AND r.ingest_id <> $ingest_id
