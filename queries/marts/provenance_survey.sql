-- What the survey behind a view is: the files it was loaded from and its fieldwork days.
-- Params: none.
-- Grain: one row.
SELECT
    list(DISTINCT l.file_name ORDER BY l.file_name) AS files,
    min(s.interview_date) AS first_day,
    max(s.interview_date) AS last_day,
    count(*)::BIGINT AS respondents
FROM survey_responses AS s
LEFT JOIN ingest_log AS l USING (ingest_id)
