-- Residencies: one company's stay at one carrier. Dates are YYYY-MM-DD text
-- (both dialects compare them correctly as strings).
CREATE TABLE residencies (
    id TEXT PRIMARY KEY,
    company_id TEXT NOT NULL REFERENCES companies(id),
    carrier_id TEXT NOT NULL,
    region_id TEXT NOT NULL,
    application_id TEXT NOT NULL DEFAULT '',
    promoted_from_id TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL,
    admitted_on TEXT NOT NULL,
    moved_in_on TEXT NULL,
    unit TEXT NOT NULL DEFAULT '',
    area_m2 DOUBLE PRECISION NOT NULL DEFAULT 0,
    term_end_on TEXT NULL,
    rule_pack_version INTEGER NOT NULL DEFAULT 0,
    ended_on TEXT NULL,
    end_reason TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
-- split
CREATE INDEX residencies_carrier ON residencies (carrier_id, status);
-- split
CREATE INDEX residencies_region ON residencies (region_id, status);
-- split
CREATE INDEX residencies_company ON residencies (company_id, created_at);
-- split
-- A company is in residence at one carrier at a time: the last guard
-- against counting it twice, should two move-ins race.
CREATE UNIQUE INDEX residencies_one_in_residence ON residencies (company_id) WHERE status = 'in_residence';
-- split
-- At most one open residency of a company per carrier.
CREATE UNIQUE INDEX residencies_one_open_per_carrier ON residencies (company_id, carrier_id) WHERE status IN ('admitted', 'in_residence');
-- split
CREATE TABLE promotions (
    id TEXT PRIMARY KEY,
    residency_id TEXT NOT NULL REFERENCES residencies(id),
    company_id TEXT NOT NULL,
    region_id TEXT NOT NULL,
    from_carrier_id TEXT NOT NULL,
    from_kind TEXT NOT NULL,
    from_order INTEGER NOT NULL,
    to_carrier_id TEXT NOT NULL,
    to_kind TEXT NOT NULL,
    to_order INTEGER NOT NULL,
    status TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    shared TEXT NOT NULL DEFAULT '[]',
    packet TEXT NOT NULL DEFAULT '',
    proposed_by TEXT NOT NULL,
    consented_by TEXT NOT NULL DEFAULT '',
    accepted_by TEXT NOT NULL DEFAULT '',
    new_residency_id TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
-- split
CREATE INDEX promotions_residency ON promotions (residency_id, created_at);
-- split
-- One promotion in flight per residency.
CREATE UNIQUE INDEX promotions_one_open ON promotions (residency_id) WHERE status IN ('proposed', 'consented');
-- split
-- Rule packs: versioned, never updated; a new version is a new row.
CREATE TABLE rule_packs (
    region_id TEXT NOT NULL,
    version INTEGER NOT NULL,
    name TEXT NOT NULL,
    entry_age_months INTEGER NOT NULL,
    term_months INTEGER NOT NULL,
    industry_terms TEXT NOT NULL DEFAULT '{}',
    graduation TEXT NOT NULL DEFAULT '{}',
    cadence TEXT NOT NULL,
    published_at TIMESTAMP NOT NULL,
    published_by TEXT NOT NULL,
    PRIMARY KEY (region_id, version)
);
