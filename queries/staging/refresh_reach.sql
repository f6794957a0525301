-- Keeps the unique-reach rollup exact after a file: gives new (wave, send day) pairs a slot,
-- then rebuilds the rows of the recipients the file touched from receipts.
-- Reads temp tables touched_slots (wave_id, send_date) and touched_recipients
-- (recipient_key). Params: none.
INSERT INTO reach_slots
SELECT (SELECT coalesce(max(slot), -1) FROM reach_slots)
           + row_number() OVER (ORDER BY n.send_date, n.wave_id) AS slot,
       n.wave_id, n.send_date
FROM (SELECT DISTINCT wave_id, send_date FROM touched_slots) AS n
ANTI JOIN reach_slots AS s ON s.wave_id = n.wave_id AND s.send_date = n.send_date;

DELETE FROM reach_recipients
WHERE recipient_key IN (SELECT recipient_key FROM touched_recipients);

INSERT INTO reach_recipients
SELECT r.recipient_key, r.operator, r.province_code, bit_or(1::HUGEINT << s.slot) AS slots
FROM receipts AS r
JOIN reach_slots AS s ON s.wave_id = r.wave_id AND s.send_date = r.send_date
WHERE r.status = 'DELIVRD'
  AND r.recipient_key IN (SELECT recipient_key FROM touched_recipients)
GROUP BY ALL;
