-- The milestones service's verified milestones, as far as the promotion
-- handoff packet needs them: kept from milestones.milestone.verified events
-- alone (a verified milestone is final), one row per milestone, so a
-- redelivered event changes nothing.
CREATE TABLE verified_milestones (
    milestone_id TEXT PRIMARY KEY,
    company_id TEXT NOT NULL,
    residency_id TEXT NOT NULL,
    carrier_id TEXT NOT NULL,
    title_zh TEXT NOT NULL,
    title_en TEXT NOT NULL,
    category TEXT NOT NULL,
    verified_on TEXT NOT NULL
);
-- split
CREATE INDEX verified_milestones_company ON verified_milestones (company_id);
