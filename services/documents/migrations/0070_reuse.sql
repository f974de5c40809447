-- Reuse of a verified material in a later application (issue 11): a
-- version copied from another document remembers that document and who
-- verified it when, for the receiving carrier's reviewer.
ALTER TABLE document_versions ADD COLUMN reused_from TEXT NOT NULL DEFAULT '';
-- split
ALTER TABLE document_versions ADD COLUMN reused_verified_at TIMESTAMP NULL;
-- split
ALTER TABLE document_versions ADD COLUMN reused_carrier_id TEXT NOT NULL DEFAULT '';
-- split
ALTER TABLE document_versions ADD COLUMN reused_carrier_name TEXT NOT NULL DEFAULT '';
