-- Adds one file's delivered receipts to the unique-reach rollup when the file only added
-- receipts: a recipient's slots become the OR of its stored slots and the file's, so the
-- receipts table is not scanned again (refresh_reach.sql rebuilds from receipts instead, for
-- files that replaced stored receipts). Slots are assigned first by assign_reach_slots.sql.
-- Reads temp view file_loaded. Params: none.
-- Rollup: reach_recipients, one row per (recipient, operator, province).
CREATE TEMP TABLE merged_reach AS
WITH file_bits AS (
    SELECT f.recipient_key, f.operator, f.province_code, bit_or(1::HUGEINT << s.slot) AS slots
    FROM file_loaded AS f
    JOIN reach_slots AS s ON s.wave_id = f.wave_id AND s.send_date = f.send_date
    WHERE f.status = 'DELIVRD'
    GROUP BY ALL
)
SELECT recipient_key, operator, province_code, bit_or(slots) AS slots
FROM (
    SELECT r.recipient_key, r.operator, r.province_code, r.slots
    FROM reach_recipients AS r
    WHERE r.recipient_key IN (SELECT recipient_key FROM file_bits)
    UNION ALL
    SELECT recipient_key, operator, province_code, slots FROM file_bits
)
GROUP BY ALL;

DELETE FROM reach_recipients
WHERE recipient_key IN (SELECT recipient_key FROM merged_reach);

INSERT INTO reach_recipients SELECT * FROM merged_reach;
