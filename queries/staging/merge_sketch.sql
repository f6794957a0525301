-- Adds one file's delivered receipts to the unique-reach sketch: each (slot, operator,
-- province) group the file delivered to gets the OR of its stored planes and the file's (the
-- max rank per register), so receipts are not read again; other groups are not touched.
-- HyperLogLog cannot remove a recipient: a file that replaced stored receipts uses
-- refresh_sketch.sql instead. Slots are assigned first by assign_reach_slots.sql.
-- Reads temp view file_loaded (recipient_key, operator, province_code, wave_id, send_date,
-- status) and reach_slots. Params: none (dashboard/sketch.py merge_file runs it).
-- Rollup: reach_sketch, one row per (slot, operator, province, plane); see ddl/sketch.sql.
CREATE OR REPLACE TEMP TABLE sketch_file AS
-- the registers seen at each rank; plane k = the OR of ranks >= k (see ddl/sketch.sql)
WITH by_rank AS (
    SELECT s.slot, f.operator, f.province_code, hll_rank(f.recipient_key) AS rank,
           hll_plane_bits(hll_register(f.recipient_key)) AS bits
    FROM file_loaded AS f
    JOIN reach_slots AS s ON s.wave_id = f.wave_id AND s.send_date = f.send_date
    WHERE f.status = 'DELIVRD'
    GROUP BY ALL
)
SELECT slot, operator, province_code, plane::UTINYINT AS plane, bit_or(bits) AS bits
FROM (SELECT *, unnest(range(1, rank + 1)) AS plane FROM by_rank)  -- rank r is in planes 1 .. r
GROUP BY ALL;

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
