-- Frees the reach slots of waves that are not in the catalogue, so that catalogue waves can
-- have them (a file of junk wave ids must not block later loads): the waves' bits leave
-- reach_recipients (rows left with no bit go), their sketch planes and reach cells go. Their
-- receipts stay counted everywhere; unique reach leaves them out (mart reach_not_kept).
-- Reads temp table evicted_waves (wave_id; none in the catalogue). Params: none. Runs inside
-- the file's transaction.
CREATE OR REPLACE TEMP TABLE evicted_slots AS
SELECT slot FROM reach_slots WHERE wave_id IN (SELECT wave_id FROM evicted_waves);

UPDATE reach_recipients
SET slots = slots & ~(SELECT bit_or(1::HUGEINT << slot) FROM evicted_slots)
WHERE (slots & (SELECT bit_or(1::HUGEINT << slot) FROM evicted_slots)) <> 0;

DELETE FROM reach_recipients WHERE slots = 0;

DELETE FROM reach_sketch WHERE slot IN (SELECT slot FROM evicted_slots);

DELETE FROM reach_cells WHERE wave_id IN (SELECT wave_id FROM evicted_waves);

DELETE FROM reach_slots WHERE slot IN (SELECT slot FROM evicted_slots);

DROP TABLE evicted_slots;
