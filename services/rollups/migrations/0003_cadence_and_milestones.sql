-- Reporting health follows each residency's cadence: the rule pack version
-- a residency was moved in under, and each pack's cadence and grace days
-- (a period's report is due that many days after it ends).
ALTER TABLE residencies ADD COLUMN rule_pack_version INTEGER NOT NULL DEFAULT 0;
-- split
CREATE TABLE rule_packs (
    region_id TEXT NOT NULL,
    version INTEGER NOT NULL,
    cadence TEXT NOT NULL DEFAULT 'quarterly',
    grace_days INTEGER NOT NULL DEFAULT 15,
    stamp TEXT NOT NULL,
    PRIMARY KEY (region_id, version)
);
-- split
-- One row per milestone of a residency's plan, its latest state by stamp.
CREATE TABLE milestones (
    id TEXT PRIMARY KEY,
    region_id TEXT NOT NULL,
    carrier_id TEXT NOT NULL,
    company_id TEXT NOT NULL,
    residency_id TEXT NOT NULL DEFAULT '',
    title_zh TEXT NOT NULL DEFAULT '',
    category TEXT NOT NULL DEFAULT '',
    state TEXT NOT NULL,
    due_on TEXT NOT NULL DEFAULT '',
    stamp TEXT NOT NULL
);
-- split
CREATE INDEX milestones_region ON milestones (region_id, due_on);
