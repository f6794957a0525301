-- Survey respondents as loaded (answers normalised to yes / no / dont_know; controls as the
-- vendor wrote them). weighted = false for respondents of a file without a weight column
-- (their weight is 1; survey_loads, no row: weighted).
-- Params: none. Grain: one row per respondent.
SELECT
    r.respondent_id,
    r.interview_date,
    r.province_code,
    r.age_group,
    r.gender,
    r.urban_rural,
    r.operator,
    r.received_sms,
    r.recalled_theme,
    r.voted,
    r.knows_valid_ballot,
    r.saw_hoax,
    r.believed_hoax,
    r.weight,
    coalesce(l.weighted, true) AS weighted
FROM survey_responses AS r
LEFT JOIN survey_loads AS l USING (ingest_id)
ORDER BY r.respondent_id
