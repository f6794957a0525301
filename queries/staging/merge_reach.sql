-- Adds one file's delivered receipts to the unique-reach rollup when the file only added
-- receipts: a recipient's slots in each word become the OR of its stored slots and the
-- file's, so the receipts table is not scanned again (refresh_reach.sql rebuilds from receipts
-- instead, for files that replaced stored receipts). Slots are assigned first
-- (dashboard/ingest/reach_slots.py).
-- A full join of the file's rows with the stored rows of the same recipients, not a regroup of
-- both: when the recipients are new (a first load) the join passes the file's rows through.
-- Reads temp view file_loaded. Params: none.
-- Makes temp table merged_reach: every row of the file's recipients (in every word, changed
-- or not), slots after the file and prior_slots before it (0: a new row), which
-- store_reach_rows.sql stores in reach_recipients and merge_reach_cells.sql reads.
CREATE TEMP TABLE merged_reach AS
WITH file_bits AS (
    SELECT f.recipient_key, f.operator, f.province_code, slot_word(s.slot) AS word,
           bit_or(slot_bit(s.slot)) AS slots
    FROM file_loaded AS f
    JOIN reach_slots AS s ON s.wave_id = f.wave_id AND s.send_date = f.send_date
    WHERE f.status = 'DELIVRD'
    GROUP BY ALL
),
stored AS (
    SELECT r.recipient_key, r.operator, r.province_code, r.word, r.slots
    FROM reach_recipients AS r
    WHERE r.recipient_key IN (SELECT recipient_key FROM file_bits)
)
SELECT
    coalesce(f.recipient_key, s.recipient_key) AS recipient_key,
    coalesce(f.operator, s.operator) AS operator,
    CASE WHEN f.recipient_key IS NULL THEN s.province_code ELSE f.province_code END
        AS province_code,
    coalesce(f.word, s.word) AS word,
    coalesce(f.slots, 0) | coalesce(s.slots, 0) AS slots,
    coalesce(s.slots, 0) AS prior_slots
FROM file_bits AS f
FULL JOIN stored AS s
    ON s.recipient_key = f.recipient_key AND s.operator = f.operator
   AND s.province_code IS NOT DISTINCT FROM f.province_code AND s.word = f.word;
