-- Alerts mailed (issue 16): `deliver --alerts` mails an alert when it first fires, once; the
-- key says which rule, subject and week (dashboard/service/alerts.py).
CREATE TABLE IF NOT EXISTS alerts_sent (
    key VARCHAR PRIMARY KEY,
    sent_at TIMESTAMPTZ NOT NULL
);
