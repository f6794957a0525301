-- Rebuilds the whole unique-reach sketch from receipts (dashboard/sketch.py rebuild_sketch:
-- a database from before the sketch existed, or one whose sketch missed a file). Slots are
-- those of reach_slots, as for reach_recipients. Params: none.
-- Rollup: reach_sketch, one row per (slot, operator, province, plane); see ddl/sketch.sql.
DELETE FROM reach_sketch;

INSERT INTO reach_sketch
-- the registers seen at each rank; plane k = the OR of ranks >= k (see ddl/sketch.sql)
WITH by_rank AS (
    SELECT s.slot, r.operator, r.province_code, hll_rank(r.recipient_key) AS rank,
           hll_plane_bits(hll_register(r.recipient_key)) AS bits
    FROM receipts AS r
    JOIN reach_slots AS s ON s.wave_id = r.wave_id AND s.send_date = r.send_date
    WHERE r.status = 'DELIVRD'
    GROUP BY ALL
)
SELECT slot, operator, province_code, plane::UTINYINT AS plane, bit_or(bits) AS bits
FROM (SELECT *, unnest(range(1, rank + 1)) AS plane FROM by_rank)  -- rank r is in planes 1 .. r
GROUP BY ALL;
