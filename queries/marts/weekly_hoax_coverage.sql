-- How far the hoax register reaches: its first and last identified date (every issue, election
-- related or not), so a week outside it reads "no hoax data" instead of zero issues.
-- Params: none.
-- Grain: one row.
SELECT
    count(*)::BIGINT AS issues,
    min(identified_date)::DATE AS first_date,
    max(identified_date)::DATE AS last_date
FROM hoax_reports
