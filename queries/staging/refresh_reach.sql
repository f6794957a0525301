-- Keeps the unique-reach rollup exact after a file: rebuilds the rows of the recipients the
-- file touched from receipts (slots assigned first by assign_reach_slots.sql).
-- Reads temp table touched_recipients (recipient_key). Params: none.
DELETE FROM reach_recipients
WHERE recipient_key IN (SELECT recipient_key FROM touched_recipients);

INSERT INTO reach_recipients
SELECT r.recipient_key, r.operator, r.province_code, bit_or(1::HUGEINT << s.slot) AS slots
FROM receipts AS r
JOIN reach_slots AS s ON s.wave_id = r.wave_id AND s.send_date = r.send_date
WHERE r.status = 'DELIVRD'
  AND r.recipient_key IN (SELECT recipient_key FROM touched_recipients)
GROUP BY ALL;
