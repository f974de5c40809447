-- Read models kept from parks' and incubatees' events: the names a
-- notification shows, and who receives it (the members of a company, the
-- staff of a carrier: role assignments per domain).
CREATE TABLE carriers (
    id TEXT PRIMARY KEY,
    region_id TEXT NOT NULL,
    name_zh TEXT NOT NULL DEFAULT '',
    name_en TEXT NOT NULL DEFAULT ''
);
-- split
CREATE TABLE companies (
    id TEXT PRIMARY KEY,
    region_id TEXT NOT NULL,
    name_zh TEXT NOT NULL DEFAULT '',
    name_en TEXT NOT NULL DEFAULT ''
);
-- split
CREATE TABLE users (
    id TEXT PRIMARY KEY,
    email TEXT NOT NULL DEFAULT '',
    display_name TEXT NOT NULL DEFAULT ''
);
-- split
CREATE TABLE role_assignments (
    user_id TEXT NOT NULL,
    role TEXT NOT NULL,
    domain TEXT NOT NULL,
    PRIMARY KEY (domain, role, user_id)
);
-- split
-- Every user's inbox. One notification per (source event, user): a
-- redelivered event, even under a new consumer, adds nothing.
CREATE TABLE notifications (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    source_event_id TEXT NOT NULL,
    region_id TEXT NOT NULL DEFAULT '',
    carrier_id TEXT NOT NULL DEFAULT '',
    company_id TEXT NOT NULL DEFAULT '',
    link TEXT NOT NULL DEFAULT '',
    title_zh TEXT NOT NULL,
    title_en TEXT NOT NULL,
    body_zh TEXT NOT NULL,
    body_en TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    read_at TIMESTAMP NULL
);
-- split
CREATE UNIQUE INDEX notifications_event_user ON notifications (source_event_id, user_id);
-- split
CREATE INDEX notifications_inbox ON notifications (user_id, created_at, id);
-- split
CREATE INDEX notifications_unread ON notifications (user_id) WHERE read_at IS NULL;
