-- Transactional outbox: a service inserts its events here in the same
-- transaction as the change they describe; the relay publishes them.
-- txid lets the relay wait for transactions that took a seq number but have
-- not committed yet, so a late commit is never skipped or reordered.
CREATE TABLE outbox (
    event_id     TEXT PRIMARY KEY,
    seq          BIGINT GENERATED ALWAYS AS IDENTITY UNIQUE,
    subject      TEXT NOT NULL,
    aggregate_id TEXT NOT NULL,
    headers      TEXT NOT NULL,
    envelope     TEXT NOT NULL,
    txid         xid8 NOT NULL DEFAULT pg_current_xact_id(),
    created_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    published_at TIMESTAMPTZ
)
-- split
CREATE INDEX outbox_pending ON outbox (seq) WHERE published_at IS NULL
-- split
CREATE INDEX outbox_published_at ON outbox (published_at) WHERE published_at IS NOT NULL
-- split
-- Inbox of every durable consumer: a row commits together with the
-- handler's change, so a redelivered event is recognised and skipped.
CREATE TABLE processed_events (
    consumer     TEXT NOT NULL,
    event_id     TEXT NOT NULL,
    processed_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (consumer, event_id)
)
