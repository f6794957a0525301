-- The records of one receipts file that validation rejected (the reader's unreadable records
-- are named by ingest/records.py census). Reads temp table validated. Params: none.
-- Grain: one row per rejected record; row is its rowid in validated, code its reason code.
SELECT rowid AS row, split_part(reject_reason, ':', 1) AS code, reject_reason AS reason,
       raw_line
FROM validated
WHERE reject_reason IS NOT NULL AND NOT is_blank
