-- Table macros that apply the dashboard's shared filters once, so every mart reads the same
-- rows. Filters: date_from/date_to (WIB send dates, NULL = open), waves, operators,
-- provinces (lists, NULL = all; a province filter leaves out receipts of unknown province).

-- the filter tests themselves, written once: a NULL bound or list means "no filter"
CREATE OR REPLACE MACRO in_period(day, date_from, date_to) AS
day BETWEEN coalesce(date_from, DATE '1900-01-01') AND coalesce(date_to, DATE '2999-12-31');

CREATE OR REPLACE MACRO in_list(chosen, value) AS
chosen IS NULL OR list_contains(chosen, value);

-- one row of a rollup keyed by (send_date, wave_id, operator, province_code) in the filters
CREATE OR REPLACE MACRO in_filters(send_date, wave_id, operator, province_code,
                                   date_from, date_to, waves, operators, provinces) AS
in_period(send_date, date_from, date_to) AND in_list(waves, wave_id)
AND in_list(operators, operator) AND in_list(provinces, province_code);

-- grain: one status_bar_impressions row in the filters (impression_date is the WIB day, as a
-- receipt's send date). The channel views (Kanal, Ringkasan, the weekly summary) pass waves
-- NULL: the sidebar's wave filter lists SMS waves, which no status-bar row has; Partisipasi
-- passes them (the exposure to the waves chosen). One definition of the status bar's filter.
CREATE OR REPLACE MACRO filtered_status_bar(date_from, date_to, waves, operators, provinces)
AS TABLE
SELECT *
FROM status_bar_impressions
WHERE in_filters(impression_date, wave_id, operator, province_code,
                 date_from, date_to, waves, operators, provinces);

-- grain: one rollup row (send day x wave x operator x province x status x error code)
CREATE OR REPLACE MACRO filtered_counts(date_from, date_to, waves, operators, provinces) AS TABLE
SELECT *
FROM receipt_counts
WHERE in_filters(send_date, wave_id, operator, province_code,
                 date_from, date_to, waves, operators, provinces);

-- grain: one latency-histogram row (send day x wave x operator x province x bucket)
CREATE OR REPLACE MACRO filtered_latency(date_from, date_to, waves, operators, provinces) AS TABLE
SELECT *
FROM latency_histogram
WHERE in_filters(send_date, wave_id, operator, province_code,
                 date_from, date_to, waves, operators, provinces);

-- Exact-reach slots: one per (wave, WIB send day) with delivered receipts (reach_slots). Slot s
-- is bit s % 127 of the HUGEINT word s // 127 of reach_recipients (127: the bits below the
-- sign bit; dashboard/ingest/reach_slots.py WORD_BITS must agree). A campaign of at most 127
-- pairs has word 0 only: one row per recipient, as before words existed (migration 0009).
CREATE OR REPLACE MACRO slot_word(slot) AS slot // 127;

CREATE OR REPLACE MACRO slot_bit(slot) AS 1::HUGEINT << (slot % 127);

-- grain: one reach_recipients row (recipient x operator x province x word) with a delivered
-- message inside the filter; slots keeps only the filter's bits, so a per-wave count can test
-- them. The filter's bits are joined per word (one mask row per word the filter has slots in).
-- alone: the recipient's only row in the rollup (migration 0013), so it is one recipient
-- whatever the filter: counts take these rows as they are and group only the others.
CREATE OR REPLACE MACRO filtered_reach(date_from, date_to, waves, operators, provinces) AS TABLE
WITH mask AS (
    SELECT slot_word(slot) AS word, bit_or(slot_bit(slot)) AS bits
    FROM reach_slots
    WHERE in_period(send_date, date_from, date_to) AND in_list(waves, wave_id)
    GROUP BY word
)
SELECT r.recipient_key, r.operator, r.province_code, r.word, r.alone,
       r.slots & mask.bits AS slots
FROM reach_recipients AS r
JOIN mask ON mask.word = r.word
WHERE (r.slots & mask.bits) <> 0
  AND in_list(operators, r.operator) AND in_list(provinces, r.province_code);

-- grain: one row per (wave, word) with the wave's slot bits in that word (to count reach per
-- wave from reach_recipients rows). spans: the wave has slots in more than one word, so a
-- recipient can meet it in two rows and is counted by a distinct count, not by bit patterns
-- (dashboard/ingest/reach_slots.py keeps a wave's slots in one word where there is room).
-- Why waves may span rather than always keep to one word: a later file can bring a wave new
-- send days after its word has filled, and moving the wave to another word would rewrite the
-- row of every recipient it reached (and its sketch); a wave of more than 127 send days fits
-- no word at all. Spanning is kept rare instead, and counted right when it happens.
CREATE OR REPLACE MACRO wave_bits() AS TABLE
SELECT wave_id, slot_word(slot) AS word, bit_or(slot_bit(slot)) AS bits,
       count(*) OVER (PARTITION BY wave_id) > 1 AS spans
FROM reach_slots
GROUP BY wave_id, word;

-- quantile of a quarter-octave latency histogram: the geometric middle of the bucket where
-- the cumulative share first reaches q
CREATE OR REPLACE MACRO bucket_seconds(bucket) AS pow(2, (bucket + 0.5) / 4);
-- that middle as the outputs give it, to three significant digits (98.70149282610821 s ->
-- 98.7 s): a bucket is 19 % wide, so more digits would claim a precision the histogram does
-- not have; a third digit keeps a second rounding (98.7 s is 1,6 mnt) from moving the value
CREATE OR REPLACE MACRO bucket_seconds_shown(bucket) AS
round(bucket_seconds(bucket), (2 - floor(log10(bucket_seconds(bucket))))::INTEGER);

-- the WIB (UTC+7, no daylight saving) calendar day of an instant, by epoch arithmetic: a
-- TIMESTAMPTZ -> DATE cast goes through ICU and costs several times more on large tables
CREATE OR REPLACE MACRO wib_date(ts) AS
DATE '1970-01-01' + CAST(floor((epoch(ts) + 25200) / 86400) AS INTEGER);

-- the WIB send day before which `retention` deleted every receipt (NULL: it never ran;
-- store/backup.py): no receipt of an earlier day is stored or loaded since, so the rollup rows
-- of those days are all that is left of them, and a recount from receipts keeps them
CREATE OR REPLACE MACRO retention_deleted_before() AS
(SELECT max(deleted_before) FROM retention_runs);

-- parse_timestamp and its parts. A TIMESTAMP cast reads too much: it drops an offset
-- ('2024-02-10T23:00+00' -> 23:00, 'Z' too) and anything after a space ('20:00:00 UTC',
-- '10:30:00 PM', '20:00:00 foo' -> 20:00, 10:30, 20:00), so it is used only where neither can
-- be: a value with anything else after its time is NULL (unusable: the record is rejected,
-- bad_submitted_at or bad_done_at), never misread. text is trimmed. Each branch of a CASE
-- costs every chunk of rows it gets rows in, so the common forms are decided by a test or two
-- and the rare ones (a word after the time) pay for the rest.

-- A wall-clock time, no zone: the date, then optionally 'T' or ' ' and the time, nothing after
-- the time's last digit (no space after the date's separator, no offset or Z). On a 12-hour
-- clock ('... 10:30:00 PM', AM/PM in any case) the hour is 1-12: 12 AM is 00, 12 PM is 12
-- (strptime %I). Used for the rare values with a word after the time (worded_timestamp).
CREATE OR REPLACE MACRO wall_clock(text) AS
CASE
    WHEN upper(right(text, 3)) IN (' AM', ' PM')
        THEN try_strptime(text, ['%Y-%m-%d %I:%M:%S %p', '%Y-%m-%d %I:%M %p',
                                 '%Y-%m-%d %I:%M:%S.%f %p', '%Y-%m-%dT%I:%M:%S %p',
                                 '%Y-%m-%dT%I:%M %p', '%Y-%m-%dT%I:%M:%S.%f %p'])
    WHEN NOT (text LIKE '___________% %' OR contains(text, '+') OR ends_with(text, 'Z')
              OR text LIKE '%:%-%') THEN try_cast(text AS TIMESTAMP)
END;

-- a wall-clock time read in the zone offset_s seconds east of UTC. try(): a time at the edge
-- of the TIMESTAMP range shifted by the offset leaves it (a bad date for that row, not an
-- error that fails the whole file)
CREATE OR REPLACE MACRO local_timestamp(text, offset_s) AS
try(to_timestamp(epoch(wall_clock(text)) - offset_s));

-- The zone a time's last word names, in seconds east of UTC: UTC and GMT (BigQuery's CSV
-- export writes '2024-02-10 20:00:00 UTC') or Indonesia's WIB, WITA, WIT (+7, +8, +9), in any
-- case; NULL for another word. Any other word after a time (EST: whose? Asia/Jakarta; CST:
-- China's or Chicago's?) is left to wall_clock, which refuses it: the value is unusable.
CREATE OR REPLACE MACRO zone_offset(word) AS
CASE upper(word) WHEN 'UTC' THEN 0 WHEN 'GMT' THEN 0 WHEN 'WIB' THEN 25200
                 WHEN 'WITA' THEN 28800 WHEN 'WIT' THEN 32400 END;

-- A time with a word after it (rare): a zone's name (zone_offset), optionally after AM/PM
-- ('10:30 PM WITA'), or AM/PM alone, in the zone offset_s; another word leaves it NULL.
CREATE OR REPLACE MACRO worded_timestamp(text, offset_s) AS
CASE
    WHEN zone_offset(split_part(text, ' ', -1)) IS NULL THEN local_timestamp(text, offset_s)
    ELSE local_timestamp(rtrim(left(text, -length(split_part(text, ' ', -1)))),
                         zone_offset(split_part(text, ' ', -1)))
END;

-- ISO 8601 text (trimmed) -> TIMESTAMPTZ (NULL: not a usable date and time):
-- - an offset: '+' anywhere, a '-' after the time's ':', or 'Z' last: Z, +hh, +hhmm,
--   +hh:mm after a time with or without seconds or their fraction ('2024-02-10T23:00+00'),
--   or a zone ICU names with one ('GMT+7'). The TIMESTAMPTZ cast reads it and refuses any
--   word after it. A lower-case 'z' (RFC 3339 allows it; the cast does not) is read as 'Z'.
-- - no space after the date's separator: a wall-clock time (a word joined to the time, as
--   '20:00:00UTC', makes the TIMESTAMP cast NULL), in the zone offset_s seconds east of UTC.
-- - else a word after the time (worded_timestamp).
CREATE OR REPLACE MACRO iso_timestamp(text, offset_s) AS
CASE
    WHEN contains(text, '+') OR ends_with(text, 'Z') OR text LIKE '%:%-%'
        THEN try_cast(text AS TIMESTAMPTZ)
    WHEN ends_with(text, 'z') THEN try_cast(left(text, -1) || 'Z' AS TIMESTAMPTZ)
    WHEN NOT text LIKE '___________% %'
        THEN try(to_timestamp(epoch(try_cast(text AS TIMESTAMP)) - offset_s))
    ELSE worded_timestamp(text, offset_s)
END;

-- text -> TIMESTAMPTZ. fmt NULL: ISO 8601 (iso_timestamp): an offset or zone read as written,
-- a time without one in the zone offset_s seconds east of UTC. fmt given: strptime, naive, in
-- that zone. 'YYYY-MM-DD HH:MM:SS' (most rows) skips iso_timestamp's tests, which cost more
-- than the cast: 19 bytes with ':' at 14 and 17 and digits at 18 and 19 leave no room for an
-- offset or a word (19 bytes alone are no proof: '2024-02-10T23:00+00', '2024-02-10 10:30
-- PM' and '2024-02-10 20:00:5Z' are 19 too). Only a value with a space at either end is
-- trimmed (a trim costs as much as the cast).
CREATE OR REPLACE MACRO parse_timestamp(text, fmt, offset_s) AS
CASE
    WHEN fmt IS NOT NULL THEN to_timestamp(epoch(try_strptime(trim(text), fmt)) - offset_s)
    WHEN text GLOB '?????????????:??:[0-9][0-9]'
        THEN to_timestamp(epoch(try_cast(text AS TIMESTAMP)) - offset_s)
    WHEN starts_with(text, ' ') OR ends_with(text, ' ') THEN iso_timestamp(trim(text), offset_s)
    ELSE iso_timestamp(text, offset_s)
END;

-- Reach measures grouped by operator and/or province (by_operator, by_province: booleans; a
-- key not grouped by comes out NULL). One definition for the per-operator, per-province and
-- per-cell marts. Grain: one row per group.
CREATE OR REPLACE MACRO reach_counts(date_from, date_to, waves, operators, provinces,
                                     by_operator, by_province) AS TABLE
SELECT
    CASE WHEN by_operator THEN operator END AS operator,
    CASE WHEN by_province THEN province_code END AS province_code,
    sum(receipts)::BIGINT AS sent,
    coalesce(sum(receipts) FILTER (WHERE status = 'DELIVRD'), 0)::BIGINT AS delivered,
    sum(receipts) FILTER (WHERE status NOT IN ('ENROUTE', 'SCHEDLD'))::BIGINT AS final,
    coalesce(sum(receipts) FILTER (WHERE status IN ('ENROUTE', 'SCHEDLD')), 0)::BIGINT
        AS pending
FROM filtered_counts(date_from, date_to, waves, operators, provinces)
GROUP BY ALL;

-- Exact unique reach grouped as reach_counts. A recipient with one row counts once where
-- that row is; only recipients with several rows are counted distinctly (a distinct count
-- over every recipient was most of each reach table's time: BENCHMARKS.md).
CREATE OR REPLACE MACRO reach_unique(date_from, date_to, waves, operators, provinces,
                                     by_operator, by_province) AS TABLE
WITH reached AS (
    SELECT
        CASE WHEN by_operator THEN operator END AS operator,
        CASE WHEN by_province THEN province_code END AS province_code,
        recipient_key,
        alone
    FROM filtered_reach(date_from, date_to, waves, operators, provinces)
)
SELECT operator, province_code, sum(recipients)::BIGINT AS unique_reach
FROM (
    SELECT operator, province_code, count(*) AS recipients
    FROM reached WHERE alone GROUP BY operator, province_code
    UNION ALL
    SELECT operator, province_code, count(DISTINCT recipient_key)
    FROM reached WHERE NOT alone GROUP BY operator, province_code
)
GROUP BY operator, province_code;

-- Exact unique reach per wave: a recipient counts once in every wave it was reached in.
-- A wave inside one word: recipients are folded to their bit pattern in that word and the
-- wave tested on the patterns (few); a recipient with one row is its own pattern, so only
-- those with several rows are grouped first. A wave spanning words (rare: see wave_bits)
-- counts its recipients distinctly; with no such wave that branch's join has nothing to build
-- and stops after its first rows, so a campaign within one word pays nothing for it.
-- Grain: one row per wave with delivered messages.
CREATE OR REPLACE MACRO reach_wave_unique(date_from, date_to, waves, operators, provinces)
AS TABLE
WITH reached AS (
    SELECT * FROM filtered_reach(date_from, date_to, waves, operators, provinces)
),
folded AS (  -- a recipient with several rows: one row per word, every slot it was reached in
    SELECT word, bit_or(slots) AS slots
    FROM reached WHERE NOT alone
    GROUP BY recipient_key, word
),
patterns AS (  -- a campaign has few distinct patterns, so the wave test runs on those
    SELECT word, slots, count(*) AS recipients FROM reached WHERE alone GROUP BY word, slots
    UNION ALL
    SELECT word, slots, count(*) FROM folded GROUP BY word, slots
)
SELECT w.wave_id, sum(p.recipients)::BIGINT AS unique_reach
FROM patterns AS p
JOIN wave_bits() AS w ON w.word = p.word AND NOT w.spans AND (p.slots & w.bits) <> 0
GROUP BY w.wave_id
UNION ALL
SELECT w.wave_id, count(DISTINCT r.recipient_key) AS unique_reach
FROM filtered_reach(date_from, date_to, waves, operators, provinces) AS r
JOIN wave_bits() AS w ON w.word = r.word AND w.spans AND (r.slots & w.bits) <> 0
GROUP BY w.wave_id;

-- latency p50/p90/p99 of delivered messages from the quarter-octave histogram (about 19 %)
CREATE OR REPLACE MACRO reach_latency(date_from, date_to, waves, operators, provinces,
                                      by_operator, by_province) AS TABLE
WITH buckets AS (
    SELECT
        CASE WHEN by_operator THEN operator END AS operator,
        CASE WHEN by_province THEN province_code END AS province_code,
        bucket,
        sum(receipts) AS receipts
    FROM filtered_latency(date_from, date_to, waves, operators, provinces)
    GROUP BY ALL
),
cdf AS (
    SELECT *, sum(receipts) OVER (PARTITION BY operator, province_code ORDER BY bucket)
              / sum(receipts) OVER (PARTITION BY operator, province_code) AS share
    FROM buckets
)
SELECT
    operator,
    province_code,
    bucket_seconds_shown(min(bucket) FILTER (WHERE share >= 0.5)) AS latency_p50_s,
    bucket_seconds_shown(min(bucket) FILTER (WHERE share >= 0.9)) AS latency_p90_s,
    bucket_seconds_shown(min(bucket) FILTER (WHERE share >= 0.99)) AS latency_p99_s
FROM cdf
GROUP BY operator, province_code;

-- The recipient pseudonym: the lower 64 bits of MD5(secret:number) (why MD5: ingest/privacy.py).
-- Written as md5_number >> 64 because DuckDB's md5_number_lower gives the same value at four
-- times the cost (0.60 against 0.14 CPU-seconds per million rows, measured).
CREATE OR REPLACE MACRO recipient_key(secret, msisdn62) AS
(md5_number(secret || ':' || msisdn62) >> 64)::UBIGINT;

-- a stand-in for a key a file gives that holds a phone number (a message id of an operator
-- that keys receipts by MSISDN): ingest/privacy.text_pseudonym's construction (the tests
-- compare them), prefix then the 16 hexadecimal digits of key (recipient_key over the text
-- as written), each as a letter a-p (no digit: the stand-in is no number). pairs: the 256
-- two-letter spellings of a byte (privacy.PSEUDONYM_LETTER_PAIRS). key is a column: a macro
-- argument is computed at each of its uses. Per million keys, one thread: 80 ms, against
-- 625 ms for translate(format('{:016x}', key), ...) (measured 7 Dec 2026).
CREATE OR REPLACE MACRO key_stand_in(key, prefix, pairs) AS
concat(prefix, pairs[((key >> 56) & 255)::INTEGER + 1], pairs[((key >> 48) & 255)::INTEGER + 1],
       pairs[((key >> 40) & 255)::INTEGER + 1], pairs[((key >> 32) & 255)::INTEGER + 1],
       pairs[((key >> 24) & 255)::INTEGER + 1], pairs[((key >> 16) & 255)::INTEGER + 1],
       pairs[((key >> 8) & 255)::INTEGER + 1], pairs[(key & 255)::INTEGER + 1]);

-- an SMPP state no later receipt changes (ENROUTE and SCHEDLD are the intermediate ones)
CREATE OR REPLACE MACRO is_final_state(status) AS
status IN ('DELIVRD', 'EXPIRED', 'DELETED', 'UNDELIV', 'ACCEPTD', 'UNKNOWN', 'REJECTD');

-- a regency spelling folded for lookup in regency_aliases (issue 18; dashboard/reference
-- fold_regency is the same rule): every run of characters other than ASCII letters and digits
-- becomes one space, trimmed, upper case; the words KAB, KOTAMADYA, KODYA become KABUPATEN,
-- KOTA, KOTA. 'Kab. Bandung' -> 'KABUPATEN BANDUNG', '32.04' -> '32 04'.
CREATE OR REPLACE MACRO fold_regency(text) AS
array_to_string(list_transform(
    string_split(upper(trim(regexp_replace(text, '[^A-Za-z0-9]+', ' ', 'g'))), ' '),
    lambda word: CASE word WHEN 'KAB' THEN 'KABUPATEN' WHEN 'KOTAMADYA' THEN 'KOTA'
                      WHEN 'KODYA' THEN 'KOTA' ELSE word END), ' ');

-- a province spelling folded for lookup in province_aliases (dashboard/reference province_key
-- is the same rule, tests/test_province_fold.py keeps them equal): lower case, letters and
-- digits only, no "Prov."/"Provinsi" prefix (nor the old spelling's "Prop."/"Propinsi"); a
-- code a spreadsheet wrote as a float is the code (reference.whole_code: '32.0' -> '32', not
-- '320'), with white space around it (a tab, a no-break space) as Python's strip takes it.
-- 'PROVINSI JAWA BARAT' -> 'jawabarat'.
CREATE OR REPLACE MACRO fold_province(text) AS
regexp_replace(
    regexp_replace(
        regexp_replace(lower(text), '^[\s\p{Zs}]*([0-9]+)\.0{1,2}[\s\p{Zs}]*$', '\1'),
        '[^a-z0-9]', '', 'g'),
    '^(provinsi|propinsi|prov|prop)', '');

-- the word after key in an SMPP receipt text (up to the next space; NULL when the key is
-- missing or its value empty): stg_receipts_smpp.sql reads the receipt's fields with it.
-- receipt appears once: a macro argument used twice is computed twice.
CREATE OR REPLACE MACRO smpp_value(receipt, key) AS
nullif(split_part(split_part(receipt, key, 2), ' ', 1), '');

-- the quarter-octave latency bucket of a delivered message: bucket b covers latencies in
-- [2^(b/4), 2^((b+1)/4)) seconds (latency_histogram, ddl/schema.sql); under a second counts as 1 s.
-- The latency is an exact count of microseconds (not a difference of two epoch doubles), in
-- functions sqlglot translates to Spark: cluster/spark_rollups.py inlines this body there.
CREATE OR REPLACE MACRO latency_bucket(submitted_at, done_at) AS
CAST(floor(4 * log2(greatest(date_diff('microsecond', submitted_at, done_at) / 1e6, 1))) AS SMALLINT);

-- an SMPP receipt's submit or done date (digits as written) -> TIMESTAMPTZ, in WIB unless it
-- says otherwise: YYMMDDhhmm (10), YYMMDDhhmmss or else YYYYMMDDhhmm (12), YYYYMMDDhhmmss
-- (14), or an SMPP absolute time YYMMDDhhmmsstnnp (16: nn quarter hours ahead (+) or behind
-- (-) UTC). One definition for both dates of stg_receipts_smpp.sql.
CREATE OR REPLACE MACRO smpp_timestamp(digits) AS
CASE length(digits)
    WHEN 10 THEN parse_timestamp(digits, '%y%m%d%H%M', 25200)
    WHEN 12 THEN coalesce(parse_timestamp(digits, '%y%m%d%H%M%S', 25200),
                          parse_timestamp(digits, '%Y%m%d%H%M', 25200))
    WHEN 14 THEN parse_timestamp(digits, '%Y%m%d%H%M%S', 25200)
    WHEN 16 THEN CASE WHEN digits[16] IN ('+', '-') THEN parse_timestamp(
        digits[1:12], '%y%m%d%H%M%S',
        CASE digits[16] WHEN '+' THEN 900 ELSE -900 END * try_cast(digits[14:15] AS INTEGER))
    END
END;

-- The individual hold-out bucket of a number (issue 18; dashboard/experiment/holdout.py is the
-- same rule in Python): HMAC-SHA256 of the number in 62 form under the experiment's salt, the
-- first 8 bytes of the digest as an unsigned big-endian integer, modulo 10,000. DuckDB has no
-- HMAC, so it is written out (RFC 2104): ipad_hex / opad_hex are the salt zero-padded to 64
-- bytes XOR 0x36 / 0x5c, in hex (holdout.pads(salt)).
CREATE OR REPLACE MACRO holdout_bucket(ipad_hex, opad_hex, msisdn62) AS
CAST(CAST('0x' || left(sha256(unhex(opad_hex) || unhex(sha256(unhex(ipad_hex)
    || encode(msisdn62)))), 16) AS UBIGINT) % 10000 AS SMALLINT);

-- The arm of a number in an individual experiment (issue 18; holdout_arm): held out when its
-- bucket (holdout_bucket) is below the threshold of its operator x province stratum
-- (experiment_strata); 'unplaced' without a bucket or a stratum, never guessed into an arm.
-- One rule for receipts (experiment_compliance.sql) and respondents (experiment_respondents.sql).
CREATE OR REPLACE MACRO holdout_arm(bucket, threshold) AS
CASE WHEN bucket IS NULL OR threshold IS NULL THEN 'unplaced'
     WHEN bucket < threshold THEN 'holdout'
     ELSE 'blast' END;

-- The units a cluster experiment is drawn from and read on (issue 18): every regency of the
-- reference list (unit 'regency') or every province (unit 'province'), with its turnout and
-- invalid rate in a pair of elections: a year's latest load of a unit; no row, no rate (the
-- gap is shown, never filled); a province that did not exist in the baseline year (Papua's
-- parts of 2022, provinces.split_from_2019) takes its parent's baseline rates
-- (baseline_from_parent), never its DPT: the baseline is a covariate that only sharpens the
-- comparison of randomised arms, so a parent's rate costs precision, never bias. Rates:
-- turnout = ballots_cast / dpt, invalid_rate = invalid_votes / ballots_cast (NULL where a
-- count is missing or zero). One definition for marts/experiment_candidates.sql (design) and
-- marts/experiment_units_outcome.sql (results).
-- grain: one row per regency or province of the reference lists
CREATE OR REPLACE MACRO experiment_unit_rates(unit, baseline_year, outcome_year) AS TABLE
WITH candidates AS (
    SELECT regency_code AS unit_code, name AS unit_name, province_code,
           NULL::SMALLINT AS parent_code
    FROM regencies WHERE unit = 'regency'
    UNION ALL
    SELECT province_code, name, province_code, split_from_2019
    FROM provinces WHERE unit = 'province'
),
results AS (
    SELECT year, regency_code AS unit_code, dpt, ballots_cast, invalid_votes
    FROM election_results_regency
    WHERE unit = 'regency' AND year IN (baseline_year, outcome_year)
    QUALIFY row_number() OVER (PARTITION BY year, regency_code
                               ORDER BY ingest_id DESC NULLS LAST) = 1
    UNION ALL
    SELECT year, province_code, dpt, ballots_cast, invalid_votes
    FROM election_results
    WHERE unit = 'province' AND year IN (baseline_year, outcome_year)
    QUALIFY row_number() OVER (PARTITION BY year, province_code
                               ORDER BY ingest_id DESC NULLS LAST) = 1
),
rates AS (
    SELECT year, unit_code, dpt,
           ballots_cast / nullif(dpt, 0) AS turnout,
           invalid_votes / nullif(ballots_cast, 0) AS invalid_rate
    FROM results
)
SELECT
    c.unit_code,
    c.unit_name,
    c.province_code,
    coalesce(o.dpt, b.dpt) AS dpt,  -- the unit's own, never its parent's
    coalesce(b.turnout, parent.turnout) AS baseline_turnout,
    coalesce(b.invalid_rate, parent.invalid_rate) AS baseline_invalid_rate,
    o.turnout,
    o.invalid_rate,
    b.unit_code IS NULL AND parent.unit_code IS NOT NULL AS baseline_from_parent
FROM candidates AS c
LEFT JOIN rates AS b ON b.year = baseline_year AND b.unit_code = c.unit_code
LEFT JOIN rates AS o ON o.year = outcome_year AND o.unit_code = c.unit_code
LEFT JOIN rates AS parent
       ON b.unit_code IS NULL AND parent.year = baseline_year
      AND parent.unit_code = c.parent_code;

-- Large-campaign mode (issue 19): the database serves rollups a cluster computed (table
-- cluster_rollups, filled by `cluster attach`) and holds no raw receipts. The marts' one test
-- of it; store/large_campaign.is_large is the same test for Python.
CREATE OR REPLACE MACRO large_campaign() AS EXISTS (SELECT 1 FROM cluster_rollups);

-- The lake's form of a recipient key (issue 19): Spark and Trino have no unsigned 64-bit
-- integer, so the lake stores key - 2^63 as a signed one (a bijection: distinct keys stay
-- distinct, and only the top bit flips). One definition of each direction for every reader
-- and writer of the lake (lake_receipts.sql, the cluster's tasks, attach, the rollups' macros).
CREATE OR REPLACE MACRO signed_key(recipient_key) AS
(recipient_key::HUGEINT - 9223372036854775808)::BIGINT;
CREATE OR REPLACE MACRO unsigned_key(recipient_key_signed) AS
(recipient_key_signed::HUGEINT + 9223372036854775808)::UBIGINT;
