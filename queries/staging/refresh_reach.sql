-- Keeps the unique-reach rollup exact after a file: rebuilds the rows of the recipients the
-- file touched from receipts (slots assigned first: dashboard/ingest/reach_slots.py). Slots of
-- send days before retention_deleted_before() (ddl/macros.sql) keep their stored bits:
-- retention deleted those days' receipts and none is loaded since (sent_before_retention), so
-- the bits are all that is left of them (a recipient whose only delivered message went stays
-- counted).
-- Reads temp table touched_recipients (recipient_key: the file's recipients and those of the
-- stored receipts it replaced). Params: none.
-- Makes temp table merged_reach: the touched recipients' rows (each of their stored rows among
-- them), slots after the file (0: the row is gone) and prior_slots before it (0: a new row),
-- which store_reach_rows.sql stores in reach_recipients and merge_reach_cells.sql reads.
CREATE TEMP TABLE merged_reach AS
WITH stored AS (
    SELECT recipient_key, operator, province_code, word, slots
    FROM reach_recipients
    WHERE recipient_key IN (SELECT recipient_key FROM touched_recipients)
),
deleted_days AS (  -- per word, the bits of the slots whose receipts retention deleted
    SELECT slot_word(slot) AS word, bit_or(slot_bit(slot)) AS bits
    FROM reach_slots
    WHERE send_date < retention_deleted_before()
    GROUP BY ALL
),
recounted AS (
    SELECT recipient_key, operator, province_code, word, bit_or(slots) AS slots
    FROM (
        SELECT r.recipient_key, r.operator, r.province_code, slot_word(s.slot) AS word,
               slot_bit(s.slot) AS slots
        FROM receipts AS r
        JOIN reach_slots AS s ON s.wave_id = r.wave_id AND s.send_date = r.send_date
        WHERE r.status = 'DELIVRD'
          AND r.recipient_key IN (SELECT recipient_key FROM touched_recipients)
        UNION ALL
        SELECT t.recipient_key, t.operator, t.province_code, t.word, t.slots & d.bits
        FROM stored AS t
        JOIN deleted_days AS d ON d.word = t.word
        WHERE (t.slots & d.bits) <> 0
    )
    GROUP BY ALL
)
SELECT
    coalesce(n.recipient_key, s.recipient_key) AS recipient_key,
    coalesce(n.operator, s.operator) AS operator,
    CASE WHEN n.recipient_key IS NULL THEN s.province_code ELSE n.province_code END
        AS province_code,
    coalesce(n.word, s.word) AS word,
    coalesce(n.slots, 0) AS slots,
    coalesce(s.slots, 0) AS prior_slots
FROM recounted AS n
FULL JOIN stored AS s
    ON s.recipient_key = n.recipient_key AND s.operator = n.operator
   AND s.province_code IS NOT DISTINCT FROM n.province_code AND s.word = n.word;
