-- Intake calls (招募批次) of carriers, applications to them and their
-- reviews. Lists (materials, questions, criteria, answers, scores) are JSON
-- text; dates are YYYY-MM-DD text.
CREATE TABLE intake_calls (
    id TEXT PRIMARY KEY,
    region_id TEXT NOT NULL,
    carrier_id TEXT NOT NULL,
    title_zh TEXT NOT NULL,
    title_en TEXT NOT NULL DEFAULT '',
    opens_on TEXT NOT NULL,
    closes_on TEXT NOT NULL,
    eligibility TEXT NOT NULL DEFAULT '',
    materials TEXT NOT NULL DEFAULT '[]',
    questions TEXT NOT NULL DEFAULT '[]',
    criteria TEXT NOT NULL DEFAULT '[]',
    capacity INTEGER NOT NULL,
    status TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
-- split
CREATE INDEX intake_calls_carrier ON intake_calls (carrier_id, opens_on);
-- split
CREATE INDEX intake_calls_region_status ON intake_calls (region_id, status, closes_on);
-- split
CREATE TABLE applications (
    id TEXT PRIMARY KEY,
    call_id TEXT NOT NULL REFERENCES intake_calls(id),
    carrier_id TEXT NOT NULL,
    region_id TEXT NOT NULL,
    company_id TEXT NOT NULL REFERENCES companies(id),
    status TEXT NOT NULL,
    answers TEXT NOT NULL DEFAULT '{}',
    materials TEXT NOT NULL DEFAULT '[]',
    reason TEXT NOT NULL DEFAULT '',
    decided_by TEXT NOT NULL DEFAULT '',
    decided_at TIMESTAMP NULL,
    submitted_at TIMESTAMP NULL,
    created_by TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
-- split
-- A company has at most one live (not final) application per call.
CREATE UNIQUE INDEX applications_live ON applications (call_id, company_id) WHERE status IN ('draft', 'submitted', 'reviewing');
-- split
CREATE INDEX applications_carrier ON applications (carrier_id, status, submitted_at);
-- split
CREATE INDEX applications_company ON applications (company_id, created_at);
-- split
CREATE TABLE application_reviews (
    application_id TEXT NOT NULL REFERENCES applications(id),
    reviewer_id TEXT NOT NULL,
    scores TEXT NOT NULL,
    comment TEXT NOT NULL DEFAULT '',
    at TIMESTAMP NOT NULL,
    PRIMARY KEY (application_id, reviewer_id)
);
