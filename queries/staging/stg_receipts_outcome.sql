-- The outcome of the contested valid records of one file: those whose (operator, message_id)
-- occurs more than once in the file or is already stored. Every other valid record is simply
-- loaded, so the costly ranking runs on the few rows that need it.
-- Outcomes: loaded, duplicate (the same state is already there) or superseded (an earlier
-- state, or one that ties with a record seen first). A final SMPP state beats an
-- intermediate one; then a later done_at wins; on a tie the record seen first stays (the
-- earlier line of a file, the stored record over a later file's), so one file or two give
-- the same numbers: a record with the same state and done_at as the one kept is a duplicate
-- whatever else it writes otherwise (recipient, province, error code spelling), in one file
-- as across two (tests/test_ingest_receipts.py SPLIT_PAIRS).
-- Reads temp tables validated and province_spellings (the contested records' province codes)
-- and table receipts. Params: $file_operators (the operators of the file's valid records:
-- only their stored receipts can match).
-- Grain: one row per contested valid record (row_id: its rowid in validated).
WITH valid AS NOT MATERIALIZED (  -- a filter, not a copy of the file; rowid is file order
    SELECT rowid AS row_id, *,
           hash(operator::VARCHAR, message_id) AS key_hash  -- text, as stored receipts hash it
    FROM validated WHERE reject_reason IS NULL
),
-- keys seen more than once in the file, found by sorting the keys: at 10 M distinct keys a
-- sort and a neighbour test took 0.57 s against 0.90 s for GROUP BY ... HAVING count(*) > 1
repeated AS (
    SELECT DISTINCT key_hash
    FROM (SELECT key_hash, lag(key_hash) OVER (ORDER BY key_hash) AS previous FROM valid)
    WHERE key_hash = previous
),
-- the stored receipts of the file's keys: joined on the columns themselves, so DuckDB hashes
-- them inside the join and pushes the file's message_id range into the scan (row groups
-- outside it are skipped), and only the matches get a key hash, a state test and a content
-- hash. At 10 M stored receipts, hashing every stored key first cost 2.5 of the step's 4.1
-- CPU-seconds. The operator test is kept: it skips row groups of other operators' files (an
-- operator's file is stored in row groups of its own).
stored_here AS (
    SELECT
        r.operator,
        r.message_id,
        hash(r.operator, r.message_id) AS key_hash,
        is_final_state(r.status) AS is_final,
        r.status,
        r.done_at,
        hash(r.wave_id, r.recipient_key, r.province_code, r.submitted_at, r.done_at, r.status,
             r.error_code) AS content_hash
    FROM receipts AS r
    SEMI JOIN valid AS v ON v.operator::VARCHAR = r.operator AND v.message_id = r.message_id
    WHERE list_contains($file_operators, r.operator)
),
-- one semi join instead of two IN tests, so only the contested rows' columns are read (an
-- OR of IN subqueries read every column of every valid row)
contested_keys AS (
    SELECT key_hash FROM repeated UNION SELECT key_hash FROM stored_here
),
contested AS (
    SELECT
        v.*,
        is_final_state(v.status) AS is_final,
        -- staged state and error code are ENUMs: hashed as text, like the stored receipts'
        hash(v.wave_id, v.recipient_key, p.province_code, v.submitted_at, v.done_at,
             v.status::VARCHAR, v.error_code::VARCHAR) AS content_hash
    FROM valid AS v
    SEMI JOIN contested_keys AS c ON c.key_hash = v.key_hash
    LEFT JOIN province_spellings AS p ON p.province_raw = v.province_raw
),
ranked AS (
    SELECT
        *,
        row_number() OVER file_order AS rank_in_file,
        first_value(content_hash) OVER file_order AS best_hash,
        first_value(status) OVER file_order AS best_status,
        first_value(done_at) OVER file_order AS best_done_at
    FROM contested
    WINDOW file_order AS (PARTITION BY operator, message_id
                          ORDER BY is_final DESC, done_at DESC NULLS LAST, row_id)
)
SELECT
    k.row_id,
    k.key_hash,
    k.operator,
    k.message_id,
    CASE
        -- below the file's best record: the same state done at the same time is a duplicate
        -- (as against a stored record below), anything else an earlier or tying state
        WHEN k.rank_in_file > 1 AND (k.content_hash = k.best_hash
                                     OR (k.status = k.best_status
                                         AND k.done_at IS NOT DISTINCT FROM k.best_done_at))
            THEN 'duplicate'
        WHEN k.rank_in_file > 1 THEN 'superseded'
        WHEN s.message_id IS NULL THEN 'loaded'
        WHEN k.content_hash = s.content_hash THEN 'duplicate'
        WHEN k.is_final::INT > s.is_final::INT
          OR (k.is_final = s.is_final
              AND coalesce(k.done_at, TIMESTAMPTZ '1970-01-01 00:00:00+00')
                  > coalesce(s.done_at, TIMESTAMPTZ '1970-01-01 00:00:00+00')) THEN 'loaded'
        -- equally final and done at the same time: the record seen first stays, as the first
        -- line does within a file (row_id above); the same state written otherwise (another
        -- error code spelling, province) is a duplicate, another state is set aside
        WHEN k.is_final = s.is_final AND k.done_at IS NOT DISTINCT FROM s.done_at
          AND k.status::VARCHAR = s.status THEN 'duplicate'
        ELSE 'superseded'
    END AS outcome,
    k.rank_in_file = 1 AND s.message_id IS NOT NULL AS has_stored
FROM ranked AS k
LEFT JOIN stored_here AS s ON s.operator = k.operator AND s.message_id = k.message_id
