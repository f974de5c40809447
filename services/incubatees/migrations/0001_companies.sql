-- Read models of the parks service's regions, carriers and users, built
-- from its events (no service reads another's tables).
CREATE TABLE regions (
    id TEXT PRIMARY KEY,
    code TEXT NOT NULL,
    name_zh TEXT NOT NULL,
    name_en TEXT NOT NULL DEFAULT ''
);
-- split
CREATE TABLE carriers (
    id TEXT PRIMARY KEY,
    region_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    chain_order INTEGER NOT NULL,
    name_zh TEXT NOT NULL,
    name_en TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL
);
-- split
CREATE INDEX carriers_region ON carriers (region_id);
-- split
CREATE TABLE users (
    id TEXT PRIMARY KEY,
    email TEXT NOT NULL,
    display_name TEXT NOT NULL
);
-- split
CREATE INDEX users_email ON users (email);
-- split
CREATE TABLE companies (
    id TEXT PRIMARY KEY,
    region_id TEXT NOT NULL,
    uscc TEXT NULL,
    provisional_id TEXT NULL,
    name_zh TEXT NOT NULL,
    name_en TEXT NOT NULL DEFAULT '',
    industry_code TEXT NOT NULL,
    tech_field TEXT NOT NULL DEFAULT '',
    founded_on TEXT NULL,
    founder_type TEXT NOT NULL,
    founder_gender TEXT NOT NULL,
    contact_name TEXT NOT NULL DEFAULT '',
    contact_phone TEXT NOT NULL DEFAULT '',
    contact_email TEXT NOT NULL DEFAULT '',
    created_by TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    UNIQUE (region_id, uscc)
);
-- split
CREATE TABLE company_members (
    company_id TEXT NOT NULL REFERENCES companies(id),
    user_id TEXT NOT NULL,
    role TEXT NOT NULL,
    status TEXT NOT NULL,
    invited_by TEXT NOT NULL DEFAULT '',
    updated_at TIMESTAMP NOT NULL,
    PRIMARY KEY (company_id, user_id)
);
-- split
CREATE INDEX company_members_user ON company_members (user_id);
-- split
CREATE TABLE audit_log (
    id TEXT PRIMARY KEY,
    at TIMESTAMP NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    object_id TEXT NOT NULL,
    region_id TEXT NOT NULL DEFAULT '',
    carrier_id TEXT NOT NULL DEFAULT '',
    company_id TEXT NOT NULL DEFAULT '',
    detail TEXT NOT NULL DEFAULT '{}'
);
-- split
CREATE INDEX audit_log_company ON audit_log (company_id, at);
-- split
-- Which carriers a company deals with (applied to, resides in); park staff
-- of those carriers may see the company. Intake and residency code keep it.
CREATE TABLE company_carriers (
    company_id TEXT NOT NULL REFERENCES companies(id),
    carrier_id TEXT NOT NULL,
    since TIMESTAMP NOT NULL,
    PRIMARY KEY (company_id, carrier_id)
);
-- split
CREATE INDEX company_carriers_carrier ON company_carriers (carrier_id);
