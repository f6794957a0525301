-- Adds one file's delivered receipts to the unique-reach sketch: each (slot, operator,
-- province) group the file delivered to gets the OR of its stored planes and the file's (the
-- max rank per register), so receipts are not read again; other groups are not touched.
-- HyperLogLog cannot remove a recipient: a file that replaced stored receipts uses
-- refresh_sketch.sql instead. Slots are assigned first (dashboard/ingest/reach_slots.py).
-- Reads temp view file_loaded (recipient_key, operator, province_code, wave_id, send_date,
-- status) and reach_slots. Params: none (dashboard/sketch.py merge_file runs it).
-- Rollup: reach_sketch, one row per (slot, operator, province, plane); see ddl/sketch.sql.
CREATE OR REPLACE TEMP TABLE sketch_file AS SELECT * FROM sketch_planes('file_loaded');

CREATE OR REPLACE TEMP TABLE sketch_groups AS
SELECT DISTINCT slot, operator, province_code FROM sketch_file;

CREATE OR REPLACE TEMP TABLE sketch_merged AS
SELECT slot, operator, province_code, plane, bit_or(bits) AS bits
FROM (
    SELECT k.slot, k.operator, k.province_code, k.plane, k.bits
    FROM reach_sketch AS k
    SEMI JOIN sketch_groups AS g
        ON k.slot = g.slot AND k.operator = g.operator
       AND k.province_code IS NOT DISTINCT FROM g.province_code
    UNION ALL
    SELECT slot, operator, province_code, plane, bits FROM sketch_file
)
GROUP BY ALL;

DELETE FROM reach_sketch AS k
USING sketch_groups AS g
WHERE k.slot = g.slot AND k.operator = g.operator
  AND k.province_code IS NOT DISTINCT FROM g.province_code;

INSERT INTO reach_sketch SELECT * FROM sketch_merged;

DROP TABLE sketch_file;
DROP TABLE sketch_groups;
DROP TABLE sketch_merged;
