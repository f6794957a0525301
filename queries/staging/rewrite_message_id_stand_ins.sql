-- The message ids stored before 7 Dec 2026 that are shaped like a phone number, rewritten as
-- the keyed stand-in every load since stores (stg_receipts_validated.sql: the same test, the
-- same key_stand_in), so a later state of the message finds its receipt. Run once, owed by
-- migration 0014 (ingest/stand_ins.py), in the caller's transaction. The key is worked out
-- once per id, in a column (a macro argument is computed at each of its uses).
-- Params: $secret, $phone_shape, $pseudonym_prefix, $letter_pairs (as the validation's).
-- Grain: updates one row per stored receipt whose message id is shaped like a number.
UPDATE receipts AS r
SET message_id = key_stand_in(owed.key, $pseudonym_prefix, $letter_pairs)
FROM (SELECT operator, message_id, recipient_key($secret, message_id) AS key
      FROM receipts
      WHERE regexp_matches(message_id, $phone_shape)) AS owed
WHERE r.operator = owed.operator AND r.message_id = owed.message_id
