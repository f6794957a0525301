-- Rebuilds the whole unique-reach sketch from receipts (dashboard/sketch.py rebuild_sketch:
-- a database from before the sketch existed, or one whose sketch missed a file). Slots are
-- those of reach_slots, as for reach_recipients. Params: none.
-- Rollup: reach_sketch, one row per (slot, operator, province, plane); see ddl/sketch.sql.
DELETE FROM reach_sketch;

INSERT INTO reach_sketch SELECT * FROM sketch_planes('receipts');
