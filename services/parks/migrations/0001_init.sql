CREATE TABLE regions (
    id TEXT PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    name_zh TEXT NOT NULL,
    name_en TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMP NOT NULL
);
-- split
CREATE TABLE carriers (
    id TEXT PRIMARY KEY,
    region_id TEXT NOT NULL REFERENCES regions(id),
    kind TEXT NOT NULL,
    chain_order INTEGER NOT NULL,
    name_zh TEXT NOT NULL,
    name_en TEXT NOT NULL DEFAULT '',
    address TEXT NOT NULL DEFAULT '',
    area_m2 DOUBLE PRECISION NOT NULL DEFAULT 0,
    focus_industries TEXT NOT NULL DEFAULT '[]',
    capacity INTEGER NOT NULL DEFAULT 0,
    status TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    UNIQUE (region_id, name_zh)
);
-- split
CREATE INDEX carriers_region_kind ON carriers (region_id, kind);
-- split
CREATE TABLE users (
    id TEXT PRIMARY KEY,
    email TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
-- split
CREATE TABLE role_grants (
    user_id TEXT NOT NULL REFERENCES users(id),
    role TEXT NOT NULL,
    domain TEXT NOT NULL,
    region_id TEXT NOT NULL DEFAULT '',
    carrier_id TEXT NOT NULL DEFAULT '',
    granted_by TEXT NOT NULL DEFAULT '',
    granted_at TIMESTAMP NOT NULL,
    PRIMARY KEY (user_id, role, domain)
);
-- split
CREATE INDEX role_grants_domain ON role_grants (domain);
-- split
CREATE TABLE invitations (
    id TEXT PRIMARY KEY,
    token_hash TEXT NOT NULL UNIQUE,
    email TEXT NOT NULL,
    role TEXT NOT NULL,
    domain TEXT NOT NULL,
    region_id TEXT NOT NULL DEFAULT '',
    carrier_id TEXT NOT NULL DEFAULT '',
    invited_by TEXT NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    accepted_at TIMESTAMP NULL,
    created_at TIMESTAMP NOT NULL
);
-- split
CREATE INDEX invitations_domain ON invitations (domain);
-- split
CREATE TABLE audit_log (
    id TEXT PRIMARY KEY,
    at TIMESTAMP NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    object_id TEXT NOT NULL,
    region_id TEXT NOT NULL DEFAULT '',
    carrier_id TEXT NOT NULL DEFAULT '',
    detail TEXT NOT NULL DEFAULT '{}'
);
-- split
CREATE INDEX audit_log_region_at ON audit_log (region_id, at);
