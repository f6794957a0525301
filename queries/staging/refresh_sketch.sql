-- Rebuilds the unique-reach sketch of the (wave, operator) pairs a file touched from receipts,
-- for a file that replaced stored receipts (HyperLogLog cannot remove a recipient). Every
-- slot of a touched wave is rebuilt for that operator, in every province, as
-- refresh_rollups.sql does for the count rollups. Slots are assigned first
-- (dashboard/ingest/reach_slots.py).
-- Slots of send days before retention_deleted_before() (ddl/macros.sql) keep their planes:
-- retention deleted those days' receipts and none is loaded since (sent_before_retention), so
-- the planes are all that is left of them.
-- Reads temp table touched (wave_id, operator). Params: none (dashboard/sketch.py
-- refresh_touched runs it).
-- Rollup: reach_sketch, one row per (slot, operator, province, plane); see ddl/sketch.sql.
CREATE OR REPLACE TEMP TABLE sketch_touched AS
SELECT DISTINCT s.slot, t.operator
FROM touched AS t
JOIN reach_slots AS s ON s.wave_id = t.wave_id
WHERE NOT coalesce(s.send_date < retention_deleted_before(), false);

DELETE FROM reach_sketch
WHERE (slot, operator) IN (SELECT slot, operator FROM sketch_touched);

CREATE OR REPLACE TEMP VIEW touched_receipts AS
SELECT r.* FROM receipts AS r
WHERE (r.wave_id, r.operator) IN (SELECT wave_id, operator FROM touched);

INSERT INTO reach_sketch SELECT * FROM sketch_planes('touched_receipts');

DROP TABLE sketch_touched;
DROP VIEW touched_receipts;
