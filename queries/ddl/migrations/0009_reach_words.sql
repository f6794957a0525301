-- Unique reach past 127 (wave, WIB send day) pairs (issue 19). A reach_recipients row held one
-- HUGEINT bitmask, bit s = reach_slots.slot s, so a database held at most 127 pairs. Slot s is
-- now bit s % 127 of word s // 127 (macros slot_word, slot_bit in ddl/macros.sql): a recipient
-- has one row per (operator, province, word) it has bits in. A campaign of at most 127 pairs
-- uses word 0 only, so its rows are the rows it had, each with word = 0.
-- Existing rows are kept: they are all in word 0. Safe to repeat (DuckDB refuses ADD COLUMN
-- IF NOT EXISTS with NOT NULL, hence the two steps).

ALTER TABLE reach_recipients ADD COLUMN IF NOT EXISTS word INTEGER DEFAULT 0;
ALTER TABLE reach_recipients ALTER word SET NOT NULL;

-- slot numbers grow past SMALLINT's 32,767 only in a campaign of hundreds of waves over
-- months, but nothing else bounds them now. A key column's type cannot be altered in place:
-- the table is copied (again on a repeat: a copy of the same rows).
CREATE TABLE reach_slots_0009 (
    slot INTEGER PRIMARY KEY,       -- bit slot % 127 of word slot // 127
    wave_id VARCHAR NOT NULL,
    send_date DATE NOT NULL
);
INSERT INTO reach_slots_0009 SELECT slot, wave_id, send_date FROM reach_slots;
DROP TABLE reach_slots;
ALTER TABLE reach_slots_0009 RENAME TO reach_slots;

-- the sketch (ddl/sketch.sql, created after the migrations: absent in a new database) is
-- keyed by the same slots
ALTER TABLE IF EXISTS reach_sketch ALTER slot TYPE INTEGER;
