-- The handoff packet lists the company's verified documents (issue 11):
-- what kind each is, its file name and when it was verified, kept from the
-- documents service's events like the rest of the row. Rows written
-- before this migration learn them from the document's next event.
ALTER TABLE company_documents ADD COLUMN type TEXT NOT NULL DEFAULT '';
-- split
ALTER TABLE company_documents ADD COLUMN filename TEXT NOT NULL DEFAULT '';
-- split
ALTER TABLE company_documents ADD COLUMN verified_at TIMESTAMP NULL;
