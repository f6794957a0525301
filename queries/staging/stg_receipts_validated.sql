-- Validated, normalised receipts of one file, each with its reject reason (NULL = valid).
-- Reads temp table parsed (the output of stg_receipts_delimited or stg_receipts_smpp) and
-- temp tables status_words (word, state) from the file's profile and operator_names
-- (alias, operator).
-- Params: $secret (pseudonymisation key). Grain: one row per record of the file.
WITH numbers AS (
    SELECT
        p.*,
        regexp_full_match(trim(msisdn_raw), '\+?[0-9 ().\-]+') AS msisdn_shape_ok,
        regexp_replace(msisdn_raw, '[^0-9]', '', 'g') AS digits
    FROM parsed AS p
),
normalised AS (
    SELECT
        n.*,
        CASE WHEN NOT msisdn_shape_ok THEN NULL
             WHEN digits LIKE '62%' THEN digits
             WHEN digits LIKE '0%' THEN '62' || digits[2:]
             WHEN digits LIKE '8%' THEN '62' || digits END AS msisdn62,
        o.operator,
        s.state AS status,
        CASE WHEN regexp_full_match(error_code_raw, '[0-9]{1,4}')
             THEN lpad(ltrim(error_code_raw, '0'), 3, '0') END AS error_code,
        a.province_code
    FROM numbers AS n
    LEFT JOIN operator_names AS o ON o.alias = n.operator_raw
    LEFT JOIN status_words AS s ON s.word = n.status_raw
    LEFT JOIN province_aliases AS a
        ON a.alias_key = regexp_replace(regexp_replace(lower(trim(n.province_raw)),
                                        '[^a-z0-9]', '', 'g'), '^(provinsi|prov)', '')
)
SELECT
    n.record_index,
    n.operator,
    n.message_id,
    wave_id,
    CASE WHEN regexp_full_match(msisdn62, '628[0-9]{7,11}')
         THEN md5_number_lower($secret || ':' || msisdn62) END AS recipient_key,
    province_code,
    province_raw IS NOT NULL AND province_code IS NULL AS province_unrecognised,
    submitted_ts AS submitted_at,
    done_ts AS done_at,
    status,
    status IN ('DELIVRD', 'EXPIRED', 'DELETED', 'UNDELIV', 'ACCEPTD', 'UNKNOWN', 'REJECTD')
        AS is_final,
    error_code,
    x.operator AS prefix_operator,
    CASE
        WHEN parse_problem IS NOT NULL THEN parse_problem
        WHEN message_id IS NULL THEN 'missing_message_id: message_id is empty'
        WHEN operator_raw IS NULL THEN 'unknown_operator: operator is empty'
        WHEN n.operator IS NULL THEN 'unknown_operator: ' || operator_raw
        WHEN wave_id IS NULL THEN 'missing_wave_id: wave_id is empty'
        WHEN msisdn_raw IS NULL OR trim(msisdn_raw) = '' THEN 'bad_msisdn: number is empty'
        WHEN msisdn62 IS NULL OR NOT regexp_full_match(msisdn62, '628[0-9]{7,11}')
            THEN 'bad_msisdn: not an Indonesian mobile number'
        WHEN submitted_ts IS NULL THEN 'bad_submitted_at: ' || coalesce(submitted_raw, 'empty')
        WHEN submitted_ts < TIMESTAMPTZ '2020-01-01' OR submitted_ts > TIMESTAMPTZ '2030-01-01'
            THEN 'bad_submitted_at: implausible date ' || submitted_raw
        WHEN done_raw IS NOT NULL AND trim(done_raw) <> '' AND done_ts IS NULL
            THEN 'bad_done_at: ' || done_raw
        WHEN done_ts < submitted_ts THEN 'done_before_submitted: done ' || done_raw
            || ' is before submitted ' || submitted_raw
        WHEN status_raw IS NULL OR status_raw = '' THEN 'unknown_status: status is empty'
        WHEN status IS NULL THEN 'unknown_status: ' || status_raw
        WHEN error_code_raw IS NOT NULL AND error_code IS NULL
            THEN 'bad_error_code: ' || error_code_raw
    END AS reject_reason,
    raw_line
FROM normalised AS n
LEFT JOIN operator_prefixes AS x ON x.prefix = n.msisdn62[1:5]
