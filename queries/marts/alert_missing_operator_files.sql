-- SMS waves past their send day + 1 for which an expected operator has no receipts at all:
-- expected = it delivered receipts of an earlier SMS wave of the catalogue.
-- Params: $as_of (DATE: data time).
-- Grain: one row per (wave, operator) that is missing.
WITH due AS (
    SELECT wave_id, sent_date
    FROM waves
    WHERE channel = 'sms' AND sent_date + 1 < $as_of
),
delivered AS (
    SELECT DISTINCT c.operator, w.sent_date
    FROM receipt_counts AS c
    JOIN waves AS w USING (wave_id)
    WHERE c.status = 'DELIVRD' AND w.channel = 'sms'
),
expected AS (
    SELECT DISTINCT d.wave_id, d.sent_date, e.operator
    FROM due AS d
    JOIN delivered AS e ON e.sent_date < d.sent_date
)
SELECT x.wave_id, x.sent_date, x.operator
FROM expected AS x
WHERE NOT EXISTS (
    SELECT 1 FROM receipt_counts AS c WHERE c.wave_id = x.wave_id AND c.operator = x.operator
)
ORDER BY x.sent_date, x.operator
