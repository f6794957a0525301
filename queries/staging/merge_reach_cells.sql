-- Keeps the exact per-wave reach rollup (reach_cells) current after a file from the rows of
-- the recipients the file touched only, which merge_reach.sql or refresh_reach.sql leave in
-- temp table merged_reach: no other row of reach_recipients changed, so a cell changes by
--   (touched rows whose slots after the file meet the wave's slots)
--   - (touched rows whose slots before the file did).
-- The rows are first folded by bit pattern (far fewer patterns than rows), then tested against
-- each wave's slots (macro wave_bits). On a first load no row has prior slots, so the second
-- count reads nothing.
-- Reads temp table merged_reach (operator, province_code, slots, prior_slots; 0 = no row) and
-- reach_slots. Params: none (dashboard/reach_cells.py update runs it).
-- Rollup: reach_cells, one row per (wave, operator, province) with recipients > 0.
CREATE OR REPLACE TEMP TABLE cells_change AS
WITH patterns AS (
    SELECT operator, province_code, slots, count(*) AS rows
    FROM merged_reach
    WHERE slots <> prior_slots AND slots <> 0
    GROUP BY ALL
    UNION ALL
    SELECT operator, province_code, prior_slots, -count(*)
    FROM merged_reach
    WHERE slots <> prior_slots AND prior_slots <> 0
    GROUP BY ALL
)
SELECT w.wave_id, p.operator, p.province_code, sum(p.rows)::BIGINT AS change
FROM patterns AS p
JOIN wave_bits() AS w ON (p.slots & w.bits) <> 0
GROUP BY ALL
HAVING sum(p.rows) <> 0;

CREATE OR REPLACE TEMP TABLE cells_merged AS
SELECT wave_id, operator, province_code, sum(recipients)::BIGINT AS recipients
FROM (
    SELECT k.wave_id, k.operator, k.province_code, k.recipients
    FROM reach_cells AS k
    SEMI JOIN cells_change AS c
        ON k.wave_id = c.wave_id AND k.operator = c.operator
       AND k.province_code IS NOT DISTINCT FROM c.province_code
    UNION ALL
    SELECT wave_id, operator, province_code, change FROM cells_change
)
GROUP BY ALL;

DELETE FROM reach_cells AS k
USING cells_change AS c
WHERE k.wave_id = c.wave_id AND k.operator = c.operator
  AND k.province_code IS NOT DISTINCT FROM c.province_code;

INSERT INTO reach_cells
SELECT wave_id, operator, province_code, recipients FROM cells_merged WHERE recipients <> 0;

DROP TABLE cells_change;
DROP TABLE cells_merged;
