-- Read models of parks' regions and carriers and of the documents
-- service's documents, kept from events.
CREATE TABLE regions (
    id TEXT PRIMARY KEY,
    code TEXT NOT NULL
);
-- split
CREATE TABLE carriers (
    id TEXT PRIMARY KEY,
    region_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    name_zh TEXT NOT NULL DEFAULT '',
    name_en TEXT NOT NULL DEFAULT ''
);
-- split
CREATE INDEX carriers_region ON carriers (region_id);
-- split
CREATE TABLE companies (
    id TEXT PRIMARY KEY,
    region_id TEXT NOT NULL,
    name_zh TEXT NOT NULL DEFAULT '',
    name_en TEXT NOT NULL DEFAULT ''
);
-- split
CREATE TABLE company_documents (
    id TEXT PRIMARY KEY,
    company_id TEXT NOT NULL,
    type TEXT NOT NULL,
    filename TEXT NOT NULL DEFAULT '',
    deleted BOOLEAN NOT NULL DEFAULT FALSE
);
-- split
CREATE INDEX company_documents_company ON company_documents (company_id);
-- split
-- A region's template per carrier kind (carrier_id ''), or one carrier's own.
CREATE TABLE templates (
    id TEXT PRIMARY KEY,
    region_id TEXT NOT NULL,
    carrier_id TEXT NOT NULL DEFAULT '',
    kind TEXT NOT NULL,
    items TEXT NOT NULL DEFAULT '[]',
    version INTEGER NOT NULL,
    updated_by TEXT NOT NULL DEFAULT '',
    updated_at TIMESTAMP NOT NULL,
    UNIQUE (region_id, carrier_id, kind)
);
-- split
-- One plan per residency; stage only moves forward (1 admitted, 2 moved
-- in, 3 ended).
CREATE TABLE plans (
    residency_id TEXT PRIMARY KEY,
    company_id TEXT NOT NULL,
    region_id TEXT NOT NULL,
    carrier_id TEXT NOT NULL,
    carrier_kind TEXT NOT NULL DEFAULT '',
    chain_order INTEGER NOT NULL DEFAULT 0,
    stage INTEGER NOT NULL,
    admitted_on TEXT NOT NULL DEFAULT '',
    moved_in_on TEXT NOT NULL DEFAULT '',
    ended_on TEXT NOT NULL DEFAULT '',
    outcome TEXT NOT NULL DEFAULT '',
    to_residency_id TEXT NOT NULL DEFAULT '',
    template_id TEXT NOT NULL DEFAULT '',
    template_version INTEGER NOT NULL DEFAULT 0,
    updated_at TIMESTAMP NOT NULL
);
-- split
CREATE INDEX plans_company ON plans (company_id);
-- split
CREATE INDEX plans_carrier ON plans (carrier_id, stage);
-- split
CREATE TABLE milestones (
    id TEXT PRIMARY KEY,
    residency_id TEXT NOT NULL REFERENCES plans(residency_id),
    company_id TEXT NOT NULL,
    region_id TEXT NOT NULL,
    carrier_id TEXT NOT NULL,
    position INTEGER NOT NULL,
    title_zh TEXT NOT NULL,
    title_en TEXT NOT NULL DEFAULT '',
    category TEXT NOT NULL,
    criteria TEXT NOT NULL DEFAULT '',
    target_value DOUBLE PRECISION NULL,
    target_unit TEXT NOT NULL DEFAULT '',
    evidence_types TEXT NOT NULL DEFAULT '[]',
    due_on TEXT NOT NULL,
    owner_id TEXT NOT NULL DEFAULT '',
    state TEXT NOT NULL,
    percent INTEGER NULL,
    figure_value DOUBLE PRECISION NULL,
    figure_unit TEXT NOT NULL DEFAULT '',
    evidence TEXT NOT NULL DEFAULT '[]',
    authors TEXT NOT NULL DEFAULT '[]',
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
-- split
CREATE INDEX milestones_residency ON milestones (residency_id, position);
-- split
CREATE INDEX milestones_carrier_due ON milestones (carrier_id, state, due_on);
-- split
CREATE INDEX milestones_due ON milestones (due_on, state);
-- split
CREATE INDEX milestones_company ON milestones (company_id, due_on);
-- split
CREATE TABLE milestone_updates (
    id TEXT PRIMARY KEY,
    milestone_id TEXT NOT NULL REFERENCES milestones(id),
    author_id TEXT NOT NULL,
    at TIMESTAMP NOT NULL,
    text TEXT NOT NULL DEFAULT '',
    percent INTEGER NULL,
    figure_value DOUBLE PRECISION NULL,
    figure_unit TEXT NOT NULL DEFAULT '',
    evidence TEXT NOT NULL DEFAULT '[]'
);
-- split
CREATE INDEX milestone_updates_milestone ON milestone_updates (milestone_id, at);
-- split
CREATE TABLE milestone_history (
    id TEXT PRIMARY KEY,
    milestone_id TEXT NOT NULL,
    at TIMESTAMP NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    from_state TEXT NOT NULL DEFAULT '',
    to_state TEXT NOT NULL DEFAULT '',
    reason TEXT NOT NULL DEFAULT '',
    detail TEXT NOT NULL DEFAULT '{}'
);
-- split
CREATE INDEX milestone_history_milestone ON milestone_history (milestone_id, at);
-- split
-- Each reminder is sent once per milestone, kind and due date: the row
-- and its event commit together, so a second scan (a restart, another
-- replica) finds the row and sends nothing.
CREATE TABLE milestone_reminders (
    milestone_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    due_on TEXT NOT NULL,
    sent_at TIMESTAMP NOT NULL,
    PRIMARY KEY (milestone_id, kind, due_on)
);
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
CREATE INDEX audit_log_object ON audit_log (object_id, at);
