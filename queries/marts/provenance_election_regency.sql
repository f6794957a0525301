-- What the regency election results behind a view are (issue 18: the regency experiment's
-- baseline and outcome): their sources as the file names them, and the election years.
-- Params: none.
-- Grain: one row.
SELECT
    list(DISTINCT coalesce(nullif(trim(source), ''), 'KPU') ORDER BY
         coalesce(nullif(trim(source), ''), 'KPU')) AS sources,
    list(DISTINCT year ORDER BY year) AS years
FROM election_results_regency
