-- What the hoax register behind a view covers: the sites its reports cite and the days they
-- were identified, within the period.
-- Params: $date_from, $date_to (NULL = open).
-- Grain: one row.
SELECT
    list(DISTINCT regexp_extract(source_url, '^[a-zA-Z]+://(?:www\.)?([^/:?#]+)', 1)
         ORDER BY regexp_extract(source_url, '^[a-zA-Z]+://(?:www\.)?([^/:?#]+)', 1))
        FILTER (WHERE regexp_matches(source_url, '^[a-zA-Z]+://')) AS sites,
    min(identified_date) AS first_day,
    max(identified_date) AS last_day,
    count(*)::BIGINT AS reports
FROM hoax_reports
WHERE in_period(identified_date, $date_from, $date_to)
