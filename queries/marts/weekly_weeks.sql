-- The ISO weeks with receipts, for the weekly summary's week picker (latest first).
-- Params: none.
-- Grain: one row per ISO week (Monday to Sunday, WIB send days) with at least one receipt.
SELECT
    strftime(send_date, '%G-W%V') AS iso_week,
    min(send_date) AS first_send_date,
    max(send_date) AS last_send_date,
    sum(receipts)::BIGINT AS sent
FROM receipt_counts
GROUP BY iso_week
ORDER BY iso_week DESC
