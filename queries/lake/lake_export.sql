-- The lake's rows as written: lake_receipts with a message id that looks like a phone number
-- masked. Since 7 Dec 2026 ingest stores such an id as its keyed stand-in (key_stand_in in
-- stg_receipts_validated.sql), which has no digits; a database loaded before may still hold
-- one as the operator sent it, and the lake travels further than the database, so such an
-- id is never exported as it is (masked ids may coincide: rows stay one per stored receipt).
-- Reads `lake_rows` (lake_receipts.sql, given as an outer CTE).
-- Params: $phone_shape (privacy.PHONE_SHAPE_SQL), $mask (privacy.MASK_SQL).
-- Grain: one row per stored receipt (operator, message_id).
SELECT * REPLACE (regexp_replace(message_id, $phone_shape, $mask, 'g') AS message_id)
FROM lake_rows
