-- What the WhatsApp Channel data behind a view cover: the updates posted in the period (WIB
-- day of posted_at) and the days of the channel's daily insights. National: no operator or
-- province filter applies.
-- Params: $date_from, $date_to (WIB days; NULL = open).
-- Grain: one row.
WITH posts AS (
    SELECT
        count(*)::BIGINT AS updates,
        min(wib_date(posted_at)) AS first_post,
        max(wib_date(posted_at)) AS last_post
    FROM wa_updates
    WHERE in_period(wib_date(posted_at), $date_from, $date_to)
),
insights AS (
    SELECT
        count(*)::BIGINT AS insight_days,
        min(insight_date) AS first_insight,
        max(insight_date) AS last_insight
    FROM wa_daily
    WHERE in_period(insight_date, $date_from, $date_to)
)
SELECT * FROM posts, insights
