-- Survey respondents as loaded (answers normalised to yes / no / dont_know).
-- Params: none. Grain: one row per respondent.
SELECT
    respondent_id,
    interview_date,
    province_code,
    age_group,
    gender,
    urban_rural,
    operator,
    received_sms,
    recalled_theme,
    voted,
    knows_valid_ballot,
    saw_hoax,
    believed_hoax,
    weight
FROM survey_responses
ORDER BY respondent_id
