-- The outcome of every valid record of one file against itself and the stored receipts:
-- loaded, duplicate (the same state is already there) or superseded (an earlier state).
-- A final SMPP state beats an intermediate one; then a later done_at beats an earlier one.
-- Reads temp table validated (rows with reject_reason IS NULL) and table receipts.
-- Params: none. Grain: one row per valid record of the file.
WITH valid AS (
    SELECT
        *,
        hash(wave_id, recipient_key, province_code, submitted_at, done_at, status, error_code)
            AS content_hash
    FROM validated
    WHERE reject_reason IS NULL
),
ranked AS (
    SELECT
        *,
        row_number() OVER file_order AS rank_in_file,
        first_value(content_hash) OVER file_order AS best_hash
    FROM valid
    WINDOW file_order AS (PARTITION BY operator, message_id
                          ORDER BY is_final DESC, done_at DESC NULLS LAST, record_index DESC)
),
stored AS (
    SELECT
        r.operator,
        r.message_id,
        r.status IN ('DELIVRD', 'EXPIRED', 'DELETED', 'UNDELIV', 'ACCEPTD', 'UNKNOWN', 'REJECTD')
            AS is_final,
        r.done_at,
        hash(r.wave_id, r.recipient_key, r.province_code, r.submitted_at, r.done_at, r.status,
             r.error_code) AS content_hash
    FROM receipts AS r
    WHERE r.operator IN (SELECT DISTINCT operator FROM valid)
      AND r.message_id IN (SELECT message_id FROM valid)
)
SELECT
    k.*,
    CASE
        WHEN k.rank_in_file > 1 AND k.content_hash = k.best_hash THEN 'duplicate'
        WHEN k.rank_in_file > 1 THEN 'superseded'
        WHEN s.message_id IS NULL THEN 'loaded'
        WHEN k.content_hash = s.content_hash THEN 'duplicate'
        WHEN k.is_final::INT > s.is_final::INT
          OR (k.is_final = s.is_final
              AND coalesce(k.done_at, TIMESTAMPTZ '1970-01-01')
                  > coalesce(s.done_at, TIMESTAMPTZ '1970-01-01')) THEN 'loaded'
        WHEN k.is_final = s.is_final
          AND k.done_at IS NOT DISTINCT FROM s.done_at THEN 'duplicate'
        ELSE 'superseded'
    END AS outcome,
    k.rank_in_file = 1 AND s.message_id IS NOT NULL AS has_stored
FROM ranked AS k
LEFT JOIN stored AS s ON s.operator = k.operator AND s.message_id = k.message_id
