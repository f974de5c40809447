-- Cultivation ladder steps: every record kept (renewals are new rows).
CREATE TABLE ladder_steps (
    id TEXT PRIMARY KEY,
    company_id TEXT NOT NULL REFERENCES companies(id),
    step TEXT NOT NULL,
    step_rank INTEGER NOT NULL,
    certificate_no TEXT NOT NULL DEFAULT '',
    step_date TEXT NOT NULL,
    expires_on TEXT NULL,
    evidence_document_id TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL,
    recorded_by TEXT NOT NULL,
    recorded_at TIMESTAMP NOT NULL,
    verified_by TEXT NOT NULL DEFAULT '',
    verified_at TIMESTAMP NULL
);
-- split
CREATE INDEX ladder_steps_company ON ladder_steps (company_id, step_rank, step_date);
-- split
-- One report per company and period; its figures are in the revisions.
CREATE TABLE metric_reports (
    id TEXT PRIMARY KEY,
    company_id TEXT NOT NULL REFERENCES companies(id),
    region_id TEXT NOT NULL,
    period TEXT NOT NULL,
    cadence TEXT NOT NULL,
    period_end TEXT NOT NULL,
    status TEXT NOT NULL,
    revision INTEGER NOT NULL,
    first_submitted_at TIMESTAMP NULL,
    submitted_at TIMESTAMP NULL,
    reviewed_by TEXT NOT NULL DEFAULT '',
    reviewed_at TIMESTAMP NULL,
    review_comment TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    UNIQUE (company_id, period)
);
-- split
CREATE INDEX metric_reports_period ON metric_reports (period, company_id);
-- split
-- Revisions are only ever inserted: the primary key refuses a second
-- writer of the same number.
CREATE TABLE metric_report_revisions (
    report_id TEXT NOT NULL REFERENCES metric_reports(id),
    revision INTEGER NOT NULL,
    metrics TEXT NOT NULL,
    explanations TEXT NOT NULL DEFAULT '{}',
    warnings TEXT NOT NULL DEFAULT '[]',
    submitted BOOLEAN NOT NULL,
    created_by TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    PRIMARY KEY (report_id, revision)
);
