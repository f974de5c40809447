-- Read models of the rollups service, kept only from events. Every row of
-- an aggregate carries the stamp ("<occurred_at>|<event id>") of the event
-- that last wrote it, so an older event arriving late never overwrites a
-- newer one. Dates are YYYY-MM-DD text (they compare as strings).
CREATE TABLE regions (
    id TEXT PRIMARY KEY,
    code TEXT NOT NULL DEFAULT '',
    name_zh TEXT NOT NULL DEFAULT '',
    stamp TEXT NOT NULL
);
-- split
CREATE TABLE carriers (
    id TEXT PRIMARY KEY,
    region_id TEXT NOT NULL,
    kind TEXT NOT NULL DEFAULT '',
    chain_order INTEGER NOT NULL DEFAULT 0,
    name_zh TEXT NOT NULL DEFAULT '',
    name_en TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL DEFAULT '',
    capacity INTEGER NOT NULL DEFAULT 0,
    area_m2 DOUBLE PRECISION NOT NULL DEFAULT 0,
    stamp TEXT NOT NULL
);
-- split
CREATE INDEX carriers_region ON carriers (region_id, kind);
-- split
CREATE TABLE companies (
    id TEXT PRIMARY KEY,
    region_id TEXT NOT NULL,
    uscc TEXT NOT NULL DEFAULT '',
    name_zh TEXT NOT NULL DEFAULT '',
    name_en TEXT NOT NULL DEFAULT '',
    industry_code TEXT NOT NULL DEFAULT '',
    industry TEXT NOT NULL DEFAULT '',
    stamp TEXT NOT NULL
);
-- split
CREATE INDEX companies_region ON companies (region_id, industry);
-- split
CREATE TABLE residencies (
    id TEXT PRIMARY KEY,
    company_id TEXT NOT NULL,
    region_id TEXT NOT NULL,
    carrier_id TEXT NOT NULL,
    carrier_kind TEXT NOT NULL DEFAULT '',
    chain_order INTEGER NOT NULL DEFAULT 0,
    status TEXT NOT NULL,
    admitted_on TEXT NOT NULL DEFAULT '',
    moved_in_on TEXT NOT NULL DEFAULT '',
    ended_on TEXT NOT NULL DEFAULT '',
    term_end_on TEXT NOT NULL DEFAULT '',
    area_m2 DOUBLE PRECISION NOT NULL DEFAULT 0,
    promoted_to_carrier_id TEXT NOT NULL DEFAULT '',
    stamp TEXT NOT NULL
);
-- split
CREATE INDEX residencies_region ON residencies (region_id, carrier_id);
-- split
CREATE INDEX residencies_company ON residencies (company_id);
-- split
CREATE TABLE ladder_steps (
    entry_id TEXT PRIMARY KEY,
    company_id TEXT NOT NULL,
    region_id TEXT NOT NULL,
    step TEXT NOT NULL,
    status TEXT NOT NULL,
    step_on TEXT NOT NULL DEFAULT '',
    expiry_on TEXT NOT NULL DEFAULT '',
    certificate_no TEXT NOT NULL DEFAULT '',
    stamp TEXT NOT NULL
);
-- split
CREATE INDEX ladder_steps_region ON ladder_steps (region_id, company_id);
-- split
-- One row per revision of a report. A review may arrive before the
-- revision it judges (has_figures = 0 until the revision itself does).
CREATE TABLE report_revisions (
    report_id TEXT NOT NULL,
    revision INTEGER NOT NULL,
    company_id TEXT NOT NULL,
    region_id TEXT NOT NULL,
    period TEXT NOT NULL,
    period_start TEXT NOT NULL,
    period_end TEXT NOT NULL,
    cadence TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL DEFAULT 'submitted',
    has_figures INTEGER NOT NULL DEFAULT 0,
    rd_expenditure BIGINT NOT NULL DEFAULT 0,
    revenue BIGINT NOT NULL DEFAULT 0,
    taxes_paid BIGINT NOT NULL DEFAULT 0,
    employees_total BIGINT NOT NULL DEFAULT 0,
    ip_filed BIGINT NOT NULL DEFAULT 0,
    ip_granted BIGINT NOT NULL DEFAULT 0,
    financing_amount BIGINT NOT NULL DEFAULT 0,
    figures_stamp TEXT NOT NULL DEFAULT '',
    review_stamp TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (report_id, revision)
);
-- split
CREATE INDEX report_revisions_region ON report_revisions (region_id, period_start);
-- split
-- The carriers a report credits (every carrier the company was linked to
-- when it reported).
CREATE TABLE report_carriers (
    report_id TEXT NOT NULL,
    carrier_id TEXT NOT NULL,
    PRIMARY KEY (report_id, carrier_id)
);
-- split
CREATE TABLE documents (
    id TEXT PRIMARY KEY,
    region_id TEXT NOT NULL,
    carrier_id TEXT NOT NULL DEFAULT '',
    company_id TEXT NOT NULL,
    type TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 0,
    stamp TEXT NOT NULL
);
-- split
CREATE INDEX documents_region ON documents (region_id, status);
-- split
-- Events applied to the read models, by id: the projection's own dedup,
-- so a replay (rebuild) and a redelivery change nothing.
CREATE TABLE applied_events (
    event_id TEXT PRIMARY KEY,
    event_type TEXT NOT NULL
);
