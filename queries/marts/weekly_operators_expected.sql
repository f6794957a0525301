-- Which operators owe receipts for a week, and which of them reported: an operator is
-- expected when it delivered receipts of one of the week's waves in earlier weeks, or when
-- the catalogue sends one of the week's waves by SMS (an SMS blast goes out through every
-- operator of the list). A week without waves and receipts expects no operator, so a quiet
-- week raises no alert.
-- A wave belongs to the week when the catalogue dates it in the week or it has receipts in it.
-- Params: $date_from, $date_to (WIB send days, inclusive), $provinces (list; NULL = all: a
-- user's province scope).
-- Grain: one row per operator of the reference list.
WITH week_receipts AS (
    SELECT operator, wave_id, sum(receipts)::BIGINT AS receipts
    FROM receipt_counts
    WHERE in_period(send_date, $date_from, $date_to) AND in_list($provinces, province_code)
    GROUP BY operator, wave_id
),
week_waves AS (
    SELECT wave_id FROM waves WHERE sent_date BETWEEN $date_from AND $date_to
    UNION
    SELECT wave_id FROM week_receipts WHERE wave_id IS NOT NULL
),
owed AS (
    -- delivered the wave in an earlier week
    SELECT DISTINCT c.operator, c.wave_id
    FROM receipt_counts AS c
    JOIN week_waves AS w USING (wave_id)
    WHERE c.send_date < $date_from AND c.status = 'DELIVRD'
      AND in_list($provinces, c.province_code)
    UNION
    -- an SMS wave of the catalogue sent this week: every operator carries it
    SELECT o.operator, w.wave_id
    FROM waves AS w
    CROSS JOIN operators AS o
    WHERE w.sent_date BETWEEN $date_from AND $date_to AND lower(trim(w.channel)) = 'sms'
),
expected AS (
    SELECT operator, list_sort(list(DISTINCT wave_id)) AS waves
    FROM owed
    GROUP BY operator
),
reported AS (
    SELECT operator, sum(receipts)::BIGINT AS receipts
    FROM week_receipts
    GROUP BY operator
)
SELECT
    o.operator,
    o.name AS operator_name,
    coalesce(r.receipts, 0)::BIGINT AS receipts,
    e.operator IS NOT NULL AS expected,
    coalesce(e.waves, []::VARCHAR[]) AS waves
FROM operators AS o
LEFT JOIN expected AS e USING (operator)
LEFT JOIN reported AS r USING (operator)
ORDER BY o.operator
