-- New election-hoax issues and their take-downs in a period, for the weekly summary.
-- Issues are counted on their identified date (as on the Hoaks page: election-related or
-- unmarked); take-downs are the content items taken down for those issues.
-- Params: $date_from, $date_to (identified_date, inclusive; NULL = open).
-- Grain: one row.
SELECT
    count(*)::BIGINT AS new_issues,
    coalesce(sum(content_items), 0)::BIGINT AS content_items,
    coalesce(sum(taken_down), 0)::BIGINT AS taken_down,
    count(*) FILTER (WHERE taken_down IS NULL)::BIGINT AS takedown_unknown
FROM hoax_reports
WHERE identified_date BETWEEN coalesce($date_from, DATE '1900-01-01')
                          AND coalesce($date_to, DATE '2999-12-31')
  AND coalesce(election_related, TRUE)
