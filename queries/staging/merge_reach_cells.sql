-- Keeps the exact per-wave reach rollup (reach_cells) current after a file from the rows of
-- the recipients the file touched only, which merge_reach.sql or refresh_reach.sql leave in
-- temp table merged_reach (every word's row of each touched recipient): no other row of
-- reach_recipients changed, so a cell changes by
--   (touched recipients whose slots after the file meet the wave's slots)
--   - (touched recipients whose slots before the file did).
-- A wave inside one word (macro wave_bits): a recipient has one row in that word, so the rows
-- are folded by bit pattern (far fewer patterns than rows), then tested against the wave's
-- bits; only rows whose slots changed can change a count. A wave spanning words: a recipient
-- may meet it in two rows, so each count is distinct over recipients, taken over all the
-- touched rows (a row that did not change still says whether the recipient already met the
-- wave). On a first load no row has prior slots, so the negative counts read nothing.
-- Reads temp table merged_reach (recipient_key, operator, province_code, word, slots,
-- prior_slots; 0 = no row) and reach_slots. Params: none (dashboard/reach_cells.py update
-- runs it).
-- Rollup: reach_cells, one row per (wave, operator, province) with recipients > 0.
CREATE OR REPLACE TEMP TABLE cells_change AS
WITH patterns AS (
    SELECT operator, province_code, word, slots, count(*) AS rows
    FROM merged_reach
    WHERE slots <> prior_slots AND slots <> 0
    GROUP BY ALL
    UNION ALL
    SELECT operator, province_code, word, prior_slots, -count(*)
    FROM merged_reach
    WHERE slots <> prior_slots AND prior_slots <> 0
    GROUP BY ALL
),
changes AS (
    SELECT w.wave_id, p.operator, p.province_code, p.rows
    FROM patterns AS p
    JOIN wave_bits() AS w ON w.word = p.word AND NOT w.spans AND (p.slots & w.bits) <> 0
    UNION ALL
    SELECT w.wave_id, m.operator, m.province_code,
           count(DISTINCT m.recipient_key) FILTER (WHERE (m.slots & w.bits) <> 0)
           - count(DISTINCT m.recipient_key) FILTER (WHERE (m.prior_slots & w.bits) <> 0)
    FROM merged_reach AS m
    JOIN wave_bits() AS w ON w.word = m.word AND w.spans
    GROUP BY ALL
)
SELECT wave_id, operator, province_code, sum(rows)::BIGINT AS change
FROM changes
GROUP BY ALL
HAVING sum(rows) <> 0;

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
