-- The role assignments this service follows from other services' streams
-- and the last stream sequence it has applied of each (issue 13): a
-- restart loads them and follows each stream from there instead of its
-- first event (pkg/authz/authzsync.Keep).
CREATE TABLE authz_followed_roles (
    source  TEXT NOT NULL,
    user_id TEXT NOT NULL,
    role    TEXT NOT NULL,
    domain  TEXT NOT NULL,
    PRIMARY KEY (source, user_id, role, domain)
);
-- split
CREATE TABLE authz_follow_positions (
    source TEXT PRIMARY KEY,
    seq    BIGINT NOT NULL
);
