-- Rebuilds the whole unique-reach sketch from receipts (dashboard/sketch.py rebuild_sketch:
-- a database from before the sketch existed, or one whose sketch missed a file). Slots are
-- those of reach_slots, as for reach_recipients. Slots of send days before
-- retention_deleted_before() (ddl/macros.sql) keep their planes: retention deleted those
-- days' receipts, so a rebuild has nothing to build them from.
-- Params: none.
-- Rollup: reach_sketch, one row per (slot, operator, province, plane); see ddl/sketch.sql.
DELETE FROM reach_sketch
WHERE slot NOT IN (SELECT slot FROM reach_slots WHERE send_date < retention_deleted_before());

INSERT INTO reach_sketch SELECT * FROM sketch_planes('receipts');
