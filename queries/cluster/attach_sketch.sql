-- The unique-reach sketch (ddl/sketch.sql reach_sketch) of a database attached from cluster
-- rollups, built by the native macro sketch_planes (the one build of planes) from the
-- cluster's register rows (rollups/reach_registers.sql): one representative key per row,
--   key = register + 2^(p + rank - 1)   (rank <= q),   key = register   (rank q + 1),
-- whose low p bits are the register (hll_register) and whose other bits are zero below bit
-- p + rank - 1, so hll_rank gives the rank back (tests/test_cluster_attach.py checks every
-- rank). Rows of several engines for one register merge as sketch_planes merges receipts:
-- by the largest rank. Slots are assigned first (reach_slots: one per (wave, send day)).
-- Reads temp table cluster_reach_registers. Params: none (cluster/attach.py runs it).
-- Rollup: reach_sketch, one row per (slot, operator, province, plane).
CREATE OR REPLACE TEMP VIEW cluster_keys AS
SELECT
    wave_id,
    send_date,
    operator,
    province_code,
    'DELIVRD' AS status,
    register::UBIGINT
    | CASE WHEN rank <= hll_q() THEN 1::UBIGINT << (hll_p() + rank - 1) ELSE 0::UBIGINT END
        AS recipient_key
FROM cluster_reach_registers;

INSERT INTO reach_sketch SELECT * FROM sketch_planes('cluster_keys');

DROP VIEW cluster_keys;
