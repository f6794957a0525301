-- Typed view of one SMPP delivery-receipt log (JSON Lines, one deliver_sm per line).
-- Reads CTE `source` (src_receipts_lines): one row per physical line, in file order, NULL for
-- a blank line. Blank lines stay rows (is_blank), so the validated copy's row number is the
-- physical line; receipts.py leaves them out of every count.
-- A line may carry a "regency" key beside "region" (issue 18: a BPS code or name, optional;
-- stg_regency_spellings.sql looks it up).
-- Receipts as SMSCs write them (tests/corpus/smpp_receipts.py quotes real ones):
-- - keys in any case and order; a key's value is the word after it. Keys are read before
--   ' text:': the text is the message's first characters and free ('stat:' or 'err:' in it is
--   text), except that an empty text that more keys follow ('text: stat:DELIVRD', a text
--   starting with a space) does not end them. sub and dlvrd are not read (any width).
-- - stat: an SMPP 3.4 short state, a long message_state name (DELIVERED), its number (2) or a
--   vendor's word, mapped to the short state by $smpp_state_words / $smpp_state_of_word
--   (reference/smpp_states.csv, one table for every file); a word not listed is passed on
--   as written (upper case) and the validation rejects it (unknown_status).
-- - err: as written (case kept); the validation normalises it.
-- - a C string's terminating NUL(s) ('...err:000\0') are not part of the receipt: stripped
--   once from its end, whichever key is last (an id kept its NUL and stopped matching its
--   earlier receipts; a date with one was unreadable).
-- - dates in WIB: YYMMDDhhmm (10 digits), YYMMDDhhmmss or else YYYYMMDDhhmm (12),
--   YYYYMMDDhhmmss (14), or an SMPP absolute time YYMMDDhhmmsstnnp (16, SMPP 3.4 7.1.1:
--   its own offset, nn quarter hours ahead of (+) or behind (-) UTC). All zeros, which SMSCs
--   write for a date they do not have, is no date.
-- - id: stored in the form $smpp_id_form gives every line, or else in the form of the line's
--   operator ($smpp_id_form_operators / $smpp_id_form_of_operator; ingest/profiles.py
--   smpp_params): 'as_written', 'decimal' (read as hexadecimal), 'hex' or 'hex_upper' (read
--   as decimal). An id that is not a number in the base its form reads is rejected
--   (bad_message_id): it could not match its submission record.
-- Values are found by string search, not regular expressions (five of them were two thirds
-- of this file's cost), and with functions that work on bytes where it matters: split_part
-- and contains scan bytes, while strpos, left and substr count code points (measured on 1 M
-- receipts: substr at a found position cost three times a split_part), so those only work
-- near a string's start or on rare rows. lower() maps code point to code point, so positions
-- in receipt_lower are positions in receipt.
-- Params: $smpp_state_words, $smpp_state_of_word, $smpp_id_form, $smpp_id_form_operators,
-- $smpp_id_form_of_operator. Grain: one row per line. Used as the CTE `parsed` of
-- stg_receipts_validated.
WITH lines AS (
    SELECT line AS raw_line, json_valid(line) AS is_json
    FROM source
),
fields AS (
    SELECT
        raw_line,
        is_json,
        -- a JSON value is never only white space, so only a line that is not JSON is trimmed:
        -- trim reads the whole line (0.73 CPU-s per 1 M receipts of the suite, 233 bytes a
        -- line, against 0.11 for json_valid; DuckDB 2.0.1, measured 7 Dec 2026)
        CASE WHEN raw_line IS NULL THEN true WHEN is_json THEN false
             ELSE trim(raw_line) = '' END AS is_blank,
        -- one parse of the line for all six fields (regency: optional, issue 18)
        CASE WHEN is_json THEN json_extract_string(raw_line, ['$.operator', '$.msisdn',
            '$.region', '$.wave_id', '$.receipt', '$.regency']) END AS field
    FROM lines
),
receipts AS (
    SELECT
        raw_line, is_json, is_blank,
        field[1] AS operator_field,
        field[2] AS msisdn_field,
        field[3] AS region_field,
        field[4] AS wave_field,
        -- without a C string's terminating NUL(s); rtrim only where there is one: it costs
        -- 0.43 s per 1 M receipts against 0.01 s for the test (DuckDB 2.0.1, measured)
        CASE WHEN ends_with(field[5], chr(0)) THEN rtrim(field[5], chr(0))
             ELSE field[5] END AS receipt,
        field[6] AS regency_field
    FROM fields
),
lowered AS (
    SELECT *, lower(receipt) AS receipt_lower  -- keys are case-insensitive
    FROM receipts
),
heads AS (
    -- where keys are looked for: the receipt before ' text:', all of it when an empty text
    -- is followed by more keys
    SELECT
        *,
        CASE WHEN contains(receipt_lower, ' text: ') THEN receipt_lower
             ELSE split_part(receipt_lower, ' text:', 1) END AS head
    FROM lowered
),
tails AS (
    -- what follows each key's first occurrence ('' when the key is missing)
    SELECT
        *,
        split_part(head, 'submit date:', 2) AS submit_tail,
        split_part(head, 'done date:', 2) AS done_tail,
        split_part(head, 'stat:', 2) AS stat_tail,
        split_part(head, 'err:', 2) AS err_tail
    FROM heads
),
parts AS (
    -- each value is its tail up to the first space (strpos finds it near the start). The id
    -- keeps its case: it is the receipt's first word when the receipt starts with 'id:'
    -- (almost always), else the word at the key's position.
    SELECT
        *,
        CASE WHEN starts_with(head, 'id:')
             THEN nullif(CASE WHEN strpos(receipt, ' ') = 0 THEN receipt
                              ELSE left(receipt, strpos(receipt, ' ') - 1) END[4:], '')
             ELSE nullif(split_part(substr(receipt, nullif(strpos(head, ' id:'), 0) + 4),
                                    ' ', 1), '')
        END AS receipt_id,
        nullif(CASE WHEN strpos(submit_tail, ' ') = 0 THEN submit_tail
                    ELSE left(submit_tail, strpos(submit_tail, ' ') - 1) END, '') AS submit_word,
        nullif(CASE WHEN strpos(done_tail, ' ') = 0 THEN done_tail
                    ELSE left(done_tail, strpos(done_tail, ' ') - 1) END, '') AS done_word,
        nullif(CASE WHEN strpos(stat_tail, ' ') = 0 THEN stat_tail
                    ELSE left(stat_tail, strpos(stat_tail, ' ') - 1) END, '') AS stat_lower,
        nullif(CASE WHEN strpos(err_tail, ' ') = 0 THEN err_tail
                    ELSE left(err_tail, strpos(err_tail, ' ') - 1) END, '') AS err_lower,
        coalesce($smpp_id_form::VARCHAR, ($smpp_id_form_of_operator::VARCHAR[])[list_position(
            $smpp_id_form_operators::VARCHAR[], lower(trim(operator_field)))]) AS id_form
    FROM tails
),
words AS (
    SELECT
        *,
        upper(stat_lower) AS stat_word,
        -- err as written: read again from the receipt only when it has letters (a code
        -- without any is the same in receipt_lower)
        CASE WHEN err_lower IS NULL OR err_lower = upper(err_lower) THEN err_lower
             ELSE split_part(substr(receipt, strpos(receipt_lower, 'err:') + 4), ' ', 1)
        END AS err_word,
        CASE WHEN submit_word NOT IN ('0000000000', '000000000000', '00000000000000')
             THEN submit_word END AS submit_digits,
        CASE WHEN done_word NOT IN ('0000000000', '000000000000', '00000000000000')
             THEN done_word END AS done_digits,
        CASE
            WHEN id_form IS NULL OR id_form = 'as_written' THEN receipt_id
            -- ltrim with a set of characters leaves '' when the id holds only those: a cast
            -- alone would take '+1', ' 1', '1_000' or '1e3'
            WHEN id_form = 'decimal' AND ltrim(receipt_id, '0123456789abcdefABCDEF') = ''
                THEN try_cast('0x' || receipt_id AS UHUGEINT)::VARCHAR
            WHEN id_form = 'hex' AND ltrim(receipt_id, '0123456789') = ''
                THEN lower(hex(try_cast(receipt_id AS UHUGEINT)))
            WHEN id_form = 'hex_upper' AND ltrim(receipt_id, '0123456789') = ''
                THEN hex(try_cast(receipt_id AS UHUGEINT))
        END AS stored_id
    FROM parts
)
SELECT
    is_blank,
    lower(trim(operator_field)) AS operator_raw,
    stored_id AS message_id,
    nullif(trim(wave_field), '') AS wave_id,
    msisdn_field AS msisdn_raw,
    nullif(trim(region_field), '') AS province_raw,
    nullif(trim(regency_field), '') AS regency_raw,
    submit_digits AS submitted_raw,
    done_digits AS done_raw,
    -- the short state of a listed word; any other word as written, for the validation to
    -- reject
    coalesce(($smpp_state_of_word::VARCHAR[])[list_position($smpp_state_words::VARCHAR[],
                                                            stat_word)],
             nullif(stat_word, '')) AS status_raw,
    err_word AS error_code_raw,
    smpp_timestamp(submit_digits) AS submitted_ts,
    smpp_timestamp(done_digits) AS done_ts,
    CASE WHEN NOT is_json THEN 'malformed_json: the line is not a JSON object'
         WHEN receipt IS NULL THEN 'missing_receipt: no "receipt" field'
         WHEN receipt_id IS NULL THEN 'missing_message_id: receipt has no id:'
         WHEN stored_id IS NULL
             THEN 'bad_message_id: id is not a number in the base the operator''s profile reads'
    END AS parse_problem,
    raw_line,  -- shown for rejected lines; the in_* fields are those of delimited files
    NULL::VARCHAR AS in_operator, NULL::VARCHAR AS in_message_id, NULL::VARCHAR AS in_wave_id,
    NULL::VARCHAR AS in_msisdn, NULL::VARCHAR AS in_province,
    NULL::VARCHAR AS in_submitted_at, NULL::VARCHAR AS in_done_at, NULL::VARCHAR AS in_status,
    NULL::VARCHAR AS in_error_code, NULL::VARCHAR AS in_regency
FROM words
