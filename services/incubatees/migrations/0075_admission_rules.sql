-- Admission rules (issue 11): a call sets how many reviews an application
-- needs before it may be admitted (1 unless it says otherwise), and an
-- admission that an admin forced past the rules keeps the admin's reason;
-- a submitted application whose material was deleted goes back to the
-- company as a draft, naming the material (returned_for); an admission
-- of a company open at another carrier keeps those residencies (JSON).
ALTER TABLE intake_calls ADD COLUMN min_reviews INTEGER NOT NULL DEFAULT 1;
-- split
ALTER TABLE applications ADD COLUMN override_reason TEXT NOT NULL DEFAULT '';
-- split
ALTER TABLE applications ADD COLUMN returned_for TEXT NOT NULL DEFAULT '';
-- split
ALTER TABLE applications ADD COLUMN conflicts TEXT NOT NULL DEFAULT 'null';
