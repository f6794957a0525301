-- Stores the unique-reach rows worked out for the recipients a file touched (temp table
-- merged_reach: merge_reach.sql when the file only added receipts, refresh_reach.sql when it
-- replaced some). Each such recipient's stored rows are replaced by all of its rows there;
-- a row left without a slot is dropped. alone: the row is its recipient's only row (migration
-- 0013): the exact reach counts take such a row as it is and group only the others.
-- Reads temp table merged_reach. Params: none.
-- Rollup: reach_recipients, one row per (recipient, operator, province, word).
DELETE FROM reach_recipients
WHERE recipient_key IN (SELECT recipient_key FROM merged_reach);

INSERT INTO reach_recipients BY NAME
SELECT recipient_key, operator, province_code, slots, word,
       count(*) OVER (PARTITION BY recipient_key) = 1 AS alone
FROM merged_reach
WHERE slots <> 0;
