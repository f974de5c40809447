-- E-mail of notifications, written in the transaction that adds the
-- notification (never sent from inside it). With SMTP configured a sender
-- sends each row once and stamps sent_at; without, the rows are the dev
-- mailbox a platform admin reads in the console.
CREATE TABLE outgoing_mail (
    id TEXT PRIMARY KEY,
    notification_id TEXT NOT NULL,
    user_id TEXT NOT NULL,
    to_addr TEXT NOT NULL,
    subject TEXT NOT NULL,
    body TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    sent_at TIMESTAMP NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    last_error TEXT NOT NULL DEFAULT ''
);
-- split
CREATE INDEX outgoing_mail_unsent ON outgoing_mail (created_at, id) WHERE sent_at IS NULL;
