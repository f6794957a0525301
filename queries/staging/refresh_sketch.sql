-- Rebuilds the unique-reach sketch of the (wave, operator) pairs a file touched from receipts,
-- for a file that replaced stored receipts (HyperLogLog cannot remove a recipient). Every
-- slot of a touched wave is rebuilt for that operator, in every province, as
-- refresh_rollups.sql does for the count rollups. Slots are assigned first by
-- assign_reach_slots.sql.
-- Reads temp table touched (wave_id, operator). Params: none (dashboard/sketch.py
-- refresh_touched runs it).
-- Rollup: reach_sketch, one row per (slot, operator, province, plane); see ddl/sketch.sql.
CREATE OR REPLACE TEMP TABLE sketch_touched AS
SELECT DISTINCT s.slot, t.operator
FROM touched AS t
JOIN reach_slots AS s ON s.wave_id = t.wave_id;

DELETE FROM reach_sketch
WHERE (slot, operator) IN (SELECT slot, operator FROM sketch_touched);

INSERT INTO reach_sketch
-- the registers seen at each rank; plane k = the OR of ranks >= k (see ddl/sketch.sql)
WITH by_rank AS (
    SELECT s.slot, r.operator, r.province_code, hll_rank(r.recipient_key) AS rank,
           hll_plane_bits(hll_register(r.recipient_key)) AS bits
    FROM receipts AS r
    JOIN reach_slots AS s ON s.wave_id = r.wave_id AND s.send_date = r.send_date
    WHERE r.status = 'DELIVRD'
      AND (r.wave_id, r.operator) IN (SELECT wave_id, operator FROM touched)
    GROUP BY ALL
)
SELECT slot, operator, province_code, plane::UTINYINT AS plane, bit_or(bits) AS bits
FROM (SELECT *, unnest(range(1, rank + 1)) AS plane FROM by_rank)  -- rank r is in planes 1 .. r
GROUP BY ALL;

DROP TABLE sketch_touched;
