-- Since 7 Dec 2026 a receipt's message id shaped like a phone number is stored as its keyed
-- stand-in (stg_receipts_validated.sql); a database loaded before holds such ids as the
-- operator wrote them, and a later state of such a message would not find its receipt (it
-- would count as a new message). The stand-in needs the pseudonymisation key, which SQL does
-- not have: this records the rewrite as owed, and ingest/stand_ins.py does it, under the
-- database's own key, before the next receipts load or verify. A table of owed rewrites, by
-- name, so a later rule of the same kind adds a row, not a table. Safe to repeat.
CREATE TABLE IF NOT EXISTS owed_rewrites (name VARCHAR PRIMARY KEY);
INSERT INTO owed_rewrites
SELECT 'message_id_stand_ins' WHERE EXISTS (SELECT 1 FROM receipts)
ON CONFLICT DO NOTHING;
