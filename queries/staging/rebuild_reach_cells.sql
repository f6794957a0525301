-- Rebuilds the exact per-wave reach rollup from reach_recipients (dashboard/reach_cells.py:
-- a database from before the rollup existed, or one whose rollup missed a file). A recipient
-- row counts in each wave whose slots its slots meet: for a wave inside one word, rows are
-- folded by bit pattern first; a wave spanning words (macro wave_bits) counts its recipients
-- distinctly, as a recipient may meet it in two rows.
-- Reads reach_recipients and reach_slots (macro wave_bits). Params: none.
-- Rollup: reach_cells, one row per (wave, operator, province) with recipients > 0.
DELETE FROM reach_cells;

INSERT INTO reach_cells
WITH patterns AS (
    SELECT operator, province_code, word, slots, count(*) AS rows
    FROM reach_recipients
    GROUP BY ALL
)
SELECT w.wave_id, p.operator, p.province_code, sum(p.rows)::BIGINT AS recipients
FROM patterns AS p
JOIN wave_bits() AS w ON w.word = p.word AND NOT w.spans AND (p.slots & w.bits) <> 0
GROUP BY ALL
UNION ALL
SELECT w.wave_id, r.operator, r.province_code, count(DISTINCT r.recipient_key)
FROM reach_recipients AS r
JOIN wave_bits() AS w ON w.word = r.word AND w.spans AND (r.slots & w.bits) <> 0
GROUP BY ALL;
