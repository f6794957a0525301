-- Table macros that apply the dashboard's shared filters once, so every mart reads the same
-- rows. Filters: date_from/date_to (WIB send dates, NULL = open), waves, operators,
-- provinces (lists, NULL = all; a province filter leaves out receipts of unknown province).

-- grain: one rollup row (send day x wave x operator x province x status x error code)
CREATE OR REPLACE MACRO filtered_counts(date_from, date_to, waves, operators, provinces) AS TABLE
SELECT *
FROM receipt_counts
WHERE send_date BETWEEN coalesce(date_from, DATE '1900-01-01')
                    AND coalesce(date_to, DATE '2999-12-31')
  AND (waves IS NULL OR list_contains(waves, wave_id))
  AND (operators IS NULL OR list_contains(operators, operator))
  AND (provinces IS NULL OR list_contains(provinces, province_code));

-- grain: one latency-histogram row (send day x wave x operator x province x bucket)
CREATE OR REPLACE MACRO filtered_latency(date_from, date_to, waves, operators, provinces) AS TABLE
SELECT *
FROM latency_histogram
WHERE send_date BETWEEN coalesce(date_from, DATE '1900-01-01')
                    AND coalesce(date_to, DATE '2999-12-31')
  AND (waves IS NULL OR list_contains(waves, wave_id))
  AND (operators IS NULL OR list_contains(operators, operator))
  AND (provinces IS NULL OR list_contains(provinces, province_code));

-- grain: one delivered receipt (for exact distinct reach)
CREATE OR REPLACE MACRO filtered_delivered(date_from, date_to, waves, operators, provinces)
AS TABLE
SELECT operator, province_code, wave_id, send_date, recipient_key
FROM receipts
WHERE status = 'DELIVRD'
  AND send_date BETWEEN coalesce(date_from, DATE '1900-01-01')
                    AND coalesce(date_to, DATE '2999-12-31')
  AND (waves IS NULL OR list_contains(waves, wave_id))
  AND (operators IS NULL OR list_contains(operators, operator))
  AND (provinces IS NULL OR list_contains(provinces, province_code));

-- quantile of a quarter-octave latency histogram: the geometric middle of the bucket where
-- the cumulative share first reaches q
CREATE OR REPLACE MACRO bucket_seconds(bucket) AS pow(2, (bucket + 0.5) / 4);

-- the WIB (UTC+7, no daylight saving) calendar day of an instant, by epoch arithmetic: a
-- TIMESTAMPTZ -> DATE cast goes through ICU and costs several times more on large tables
CREATE OR REPLACE MACRO wib_date(ts) AS
DATE '1970-01-01' + CAST(floor((epoch(ts) + 25200) / 86400) AS INTEGER);

-- text -> TIMESTAMPTZ. fmt NULL: ISO 8601; a string with an offset (Z, +07:00) is cast as it
-- is, a naive one is read in the zone offset_s seconds east of UTC. fmt given: strptime, naive.
CREATE OR REPLACE MACRO parse_timestamp(text, fmt, offset_s) AS
CASE
    WHEN fmt IS NOT NULL THEN to_timestamp(epoch(try_strptime(trim(text), fmt)) - offset_s)
    WHEN suffix(trim(text), 'Z') OR trim(text)[-6] IN ('+', '-') OR trim(text)[-5] IN ('+', '-')
        THEN try_cast(trim(text) AS TIMESTAMPTZ)
    ELSE to_timestamp(epoch(try_cast(trim(text) AS TIMESTAMP)) - offset_s)
END;
