-- Transactional outbox (see the PostgreSQL file). SQLite has one writer and
-- every transaction takes the write lock at BEGIN, so seq follows commit
-- order and needs no transaction-id horizon.
CREATE TABLE outbox (
    seq          INTEGER PRIMARY KEY AUTOINCREMENT,
    event_id     TEXT NOT NULL UNIQUE,
    subject      TEXT NOT NULL,
    aggregate_id TEXT NOT NULL,
    headers      TEXT NOT NULL,
    envelope     TEXT NOT NULL,
    created_at   TIMESTAMP NOT NULL,
    published_at TIMESTAMP
)
-- split
CREATE INDEX outbox_pending ON outbox (seq) WHERE published_at IS NULL
-- split
CREATE INDEX outbox_published_at ON outbox (published_at) WHERE published_at IS NOT NULL
-- split
CREATE TABLE processed_events (
    consumer     TEXT NOT NULL,
    event_id     TEXT NOT NULL,
    processed_at TIMESTAMP NOT NULL,
    PRIMARY KEY (consumer, event_id)
)
