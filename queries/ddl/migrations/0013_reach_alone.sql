-- Exact unique reach without a distinct count over every recipient (issue 19: the 127-slot
-- cap removed without slowing pages). alone: the recipient has exactly one reach_recipients
-- row (one operator, one province, one word). Most recipients have one, so the pages count
-- those rows as they are and group only the others by recipient (macros reach_unique and
-- reach_wave_unique; BENCHMARKS.md has the times). store_reach_rows.sql keeps the flag at
-- every load: it rewrites every row of each recipient a file touches. The default is the
-- safe side: a row written without the flag is grouped, which is slower, never wrong.
-- The table is copied with the flag worked out from its rows (DuckDB refuses SET NOT NULL
-- after an UPDATE in the same transaction). Safe to repeat: the flag is worked out again.
CREATE TABLE reach_recipients_0013 (
    recipient_key UBIGINT NOT NULL,
    operator VARCHAR NOT NULL,
    province_code SMALLINT,
    slots HUGEINT NOT NULL,
    word INTEGER NOT NULL DEFAULT 0,
    alone BOOLEAN NOT NULL DEFAULT false
);
INSERT INTO reach_recipients_0013
SELECT recipient_key, operator, province_code, slots, word,
       count(*) OVER (PARTITION BY recipient_key) = 1
FROM reach_recipients;
DROP TABLE reach_recipients;
ALTER TABLE reach_recipients_0013 RENAME TO reach_recipients;
