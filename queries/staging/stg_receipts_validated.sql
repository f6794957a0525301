-- Validated, normalised receipts of one file, each with its reject reason (NULL = valid).
-- Reads `parsed` (stg_receipts_delimited or stg_receipts_smpp, given as an outer CTE).
-- Lookups are list positions, not joins: a join does not keep the file's row order in the
-- validated copy (measured: a block of rows moved), and the copy's row order is the record
-- index. A lookup is two lists, the known spellings as written and the value of each.
-- Operators, states and error codes come out as the temp ENUM types operator_name and
-- state_name (receipts.py); the error code as text (any spelling is kept, so it has no fixed
-- set of values). The province is placed after this statement, once per distinct spelling
-- (stg_province_spellings.sql), and joined where a code is needed (stg_file_loaded.sql, the
-- warnings, the contested records). What can be worked out again later (the key's hash, the
-- WIB send day, the province code) is not kept: at 100 M records the copy spills to disk, and
-- each byte of a record is written and read back several times (measured on 1 M records:
-- 122.6 -> 104.6 MB in memory, and no 14 MB of undo for the UPDATE that set the province).
-- A reason names the field and the kind of problem, never the value: a value in the wrong
-- column may be a phone number (the raw line, masked, is kept beside it).
-- A wave id places the receipt in a wave: one that is not 1-32 letters, digits, '-' or '_',
-- or that is shaped like a phone number, is unusable and rejects the record.
-- Params: $msisdn_shape, $msisdn_float (privacy.MSISDN_SHAPE_SQL, MSISDN_FLOAT_SQL);
--         $secret (pseudonymisation key); $pseudonym_prefix and $letter_pairs (a message
--         id's stand-in: privacy.PSEUDONYM_PREFIX, PSEUDONYM_LETTER_PAIRS); $wave_id_shape, $phone_shape (RE2 patterns) and
--         $bad_wave_id (its reject reason) from ingest/identifiers.py; $mask (what a phone
--         number becomes in kept text: privacy.MASK_SQL, after PHONE_SHAPE_SQL's first group); spellings $operator_aliases, $status_words,
--         $error_spellings, $number_prefixes with values $operator_of_alias, $state_of_word,
--         $code_of_error_spelling, $operator_of_prefix; $holdout (whether any wave below is one),
--         $holdout_waves (the waves of frozen individual experiments) with $holdout_ipads,
--         $holdout_opads (their experiment's HMAC pads, experiment/holdout.py pads);
--         $kept_from (TIMESTAMPTZ: 00:00 WIB of the day before which retention deleted the
--         receipts, store/backup.py deleted_before; NULL: it never ran); plus those of the
--         parser.
-- A record sent before $kept_from is rejected: its message's stored receipt may be one
-- retention deleted, so it could not be matched and might count a message twice.
-- Grain: one row per record of the file, in file order (receipts.py numbers them).
WITH numbers AS (
    SELECT
        p.*,
        -- most files write plain digits: only other spellings pay for the costlier steps.
        -- ASCII digits only (not a cast: UBIGINT takes '0812_3456_782', '812345e12', '1.5' and
        -- '0x10', and the key would be made of that text). Per million numbers, one thread:
        -- this full match 60 ms, the cast with a first and last digit test 100 ms, ltrim with
        -- the digits as its characters 286 ms (measured 7 Dec 2026)
        coalesce(regexp_full_match(msisdn_raw, '[0-9]+'), false) AS plain_digits,
        -- ingest/privacy.normalise_msisdn's rule (the tests compare them): white space around,
        -- a spreadsheet's text marker (a leading apostrophe), one plus first, then digits and
        -- the separators of a written number
        -- (white space as Python's str.strip() takes it: $msisdn_shape, privacy.py)
        plain_digits OR regexp_full_match(msisdn_raw, $msisdn_shape) AS msisdn_shape_ok,
        -- a number written as a float (6281234567890.0) is the digits before the point
        CASE WHEN plain_digits THEN msisdn_raw
             ELSE regexp_replace(regexp_replace(msisdn_raw, $msisdn_float, '\1'),
                                 '[^0-9]', '', 'g') END AS digits
    FROM parsed AS p
),
normalised AS (
    SELECT
        n.*,
        CASE WHEN NOT msisdn_shape_ok THEN NULL
             -- the trunk 0 kept after the country code (+62 (0)812 ...), and the
             -- international call prefix (0062 ...): no mobile number starts 620
             WHEN digits[1:3] = '620' THEN '62' || digits[4:]
             WHEN digits[1:5] = '00620' THEN '62' || digits[6:]
             WHEN digits[1:4] = '0062' THEN digits[3:]
             WHEN digits[1:2] = '62' THEN digits
             WHEN digits[1] = '0' THEN '62' || digits[2:]
             WHEN digits[1] = '8' THEN '62' || digits END AS msisdn62,
        ($operator_of_alias::operator_name[])[list_position($operator_aliases, operator_raw)]
            AS operator,
        ($state_of_word::state_name[])[list_position($status_words, status_raw)] AS status,
        coalesce(
            $code_of_error_spelling[list_position($error_spellings, error_code_raw)],
            CASE WHEN length(error_code_raw) <= 4
                  AND try_cast(error_code_raw AS USMALLINT) IS NOT NULL
                 THEN format('{:03d}', try_cast(error_code_raw AS USMALLINT))
            END)
            AS error_code_decimal
    FROM numbers AS n
),
checked AS (
    SELECT
        *,
        msisdn62[3] = '8' AND length(msisdn62) BETWEEN 10 AND 14 AS msisdn_ok,
        coalesce(regexp_full_match(wave_id, $wave_id_shape)
                 AND NOT regexp_matches(wave_id, $phone_shape), false) AS wave_ok,
        -- SMPP's err is network- or SMSC-specific and often hexadecimal: a code that is not a
        -- listed or decimal spelling is read as hexadecimal when it can be (00B, 21b, 0x1F),
        -- else kept as written (numbers masked, 32 characters); either way with a warning
        CASE WHEN error_code_raw IS NOT NULL AND error_code_decimal IS NULL
             THEN format('{:03d}', try_cast('0x' || regexp_extract(
                 error_code_raw, '^(?i:0x)?([0-9a-fA-F]{1,4})$', 1) AS INTEGER)) END
            AS error_code_hex,
        -- the key of a message id shaped like a phone number (65 ms per million ids for the
        -- test, one thread; the key only for the ids that match)
        CASE WHEN regexp_matches(message_id, $phone_shape)
             THEN recipient_key($secret, message_id) END AS message_id_key,
        -- the wave's place among the waves of frozen individual experiments; $holdout false
        -- (no such experiment: most databases) is one constant per chunk, no per-row work
        CASE WHEN $holdout THEN list_position($holdout_waves::VARCHAR[], wave_id) END
            AS holdout_slot
    FROM normalised
),
judged AS (
SELECT
    n.is_blank,
    n.operator,
    -- a message id shaped like a phone number (an operator that keys receipts by MSISDN) is
    -- stored as its keyed stand-in, never as written: the same text gives the same stand-in
    -- in every file, so duplicates and later states still meet
    CASE WHEN message_id_key IS NULL THEN n.message_id
         ELSE key_stand_in(message_id_key, $pseudonym_prefix, $letter_pairs) END
        AS message_id,
    n.wave_id,
    CASE WHEN msisdn_ok THEN recipient_key($secret, msisdn62) END AS recipient_key,
    -- the number's hold-out bucket under its wave's experiment (issue 18), from the number
    -- itself before it is pseudonymised: the number is never stored, the bucket is
    CASE WHEN holdout_slot IS NOT NULL AND msisdn_ok
         THEN holdout_bucket(($holdout_ipads::VARCHAR[])[holdout_slot],
                             ($holdout_opads::VARCHAR[])[holdout_slot],
                             msisdn62) END AS holdout_bucket,
    -- the province as written (NULL: none); its code comes from stg_province_spellings.sql:
    -- an ENUM cast here cost 45-100 us for every row whose spelling is not a member (DuckDB
    -- compares it with every member for its error message, even in try_cast), 10 % of the
    -- Telkomsel export's rows ("PROVINSI JAWA BARAT"), half its validation time
    province_raw,
    submitted_ts AS submitted_at,
    done_ts AS done_at,
    status,
    coalesce(error_code_decimal, error_code_hex,
             left(regexp_replace(error_code_raw, $phone_shape, $mask, 'g'), 32)) AS error_code,
    CASE WHEN error_code_decimal IS NOT NULL OR error_code_raw IS NULL THEN NULL
         WHEN error_code_hex IS NOT NULL THEN 'hex_error_code'
         ELSE 'unknown_error_code' END AS error_code_warning,
    -- the regency as written (issue 18; NULL: none): stg_regency_spellings.sql reads each
    -- distinct spelling once, after this statement, rather than every row here
    regency_raw,
    ($operator_of_prefix::operator_name[])[list_position($number_prefixes, msisdn62[1:5])]
        AS prefix_operator,
    CASE
        -- one test that a row passes every check below (most rows): the chain of reasons
        -- runs only for the others
        WHEN parse_problem IS NULL AND message_id IS NOT NULL AND n.operator IS NOT NULL
             AND wave_ok AND msisdn_ok
             AND submitted_ts BETWEEN TIMESTAMPTZ '2020-01-01 00:00:00+00'
                                  AND TIMESTAMPTZ '2030-01-01 00:00:00+00'
             AND coalesce(done_ts >= submitted_ts, done_raw IS NULL OR trim(done_raw) = '')
             AND status IS NOT NULL AND NOT coalesce(submitted_ts < $kept_from, false)
            THEN NULL
        WHEN parse_problem IS NOT NULL THEN parse_problem
        WHEN message_id IS NULL THEN 'missing_message_id: message_id is empty'
        WHEN operator_raw IS NULL THEN 'unknown_operator: operator is empty'
        WHEN n.operator IS NULL THEN 'unknown_operator: not one of the four operators'
        WHEN wave_id IS NULL THEN 'missing_wave_id: wave_id is empty'
        WHEN NOT wave_ok THEN $bad_wave_id
        -- cheap tests first: the costly parts (trim) run only for rows already failing
        WHEN NOT coalesce(msisdn_ok, false) AND (msisdn_raw IS NULL OR trim(msisdn_raw) = '')
            THEN 'bad_msisdn: number is empty'
        WHEN NOT coalesce(msisdn_ok, false) THEN 'bad_msisdn: not an Indonesian mobile number'
        WHEN submitted_ts IS NULL AND (submitted_raw IS NULL OR trim(submitted_raw) = '')
            THEN 'bad_submitted_at: submitted_at is empty'
        WHEN submitted_ts IS NULL THEN 'bad_submitted_at: not a date and time'
        WHEN submitted_ts < TIMESTAMPTZ '2020-01-01 00:00:00+00'
          OR submitted_ts > TIMESTAMPTZ '2030-01-01 00:00:00+00'
            THEN 'bad_submitted_at: implausible date (before 2020 or after 2029)'
        WHEN done_ts IS NULL AND done_raw IS NOT NULL AND trim(done_raw) <> ''
            THEN 'bad_done_at: not a date and time'
        WHEN done_ts < submitted_ts THEN 'done_before_submitted: done_at is before submitted_at'
        WHEN status_raw IS NULL OR status_raw = '' THEN 'unknown_status: status is empty'
        WHEN status IS NULL THEN 'unknown_status: not a delivery state of the profile'
        WHEN submitted_ts < $kept_from
            THEN 'sent_before_retention: sent on a day whose receipts retention deleted'
    END AS reject_reason,
    raw_line,
    in_operator, in_message_id, in_wave_id, in_msisdn, in_province, in_submitted_at,
    in_done_at, in_status, in_error_code, in_regency
FROM checked AS n
)
-- the record as read is kept for rejected rows only (shown, masked, in the rejects table): a
-- JSON line as it was, the fields of a delimited record joined by ' | '
SELECT
    * EXCLUDE (raw_line, in_operator, in_message_id, in_wave_id, in_msisdn, in_province,
               in_submitted_at, in_done_at, in_status, in_error_code, in_regency),
    CASE WHEN reject_reason IS NOT NULL
         THEN coalesce(raw_line, concat_ws(' | ', in_operator, in_message_id, in_wave_id,
                                           in_msisdn, in_province, in_submitted_at, in_done_at,
                                           in_status, in_error_code, in_regency)) END
        AS raw_line
FROM judged
