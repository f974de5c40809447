-- The documents service's documents, as far as this service needs them:
-- whose they are and whether they still exist, so a file answer can only
-- name one of the applying company's documents. Kept from documents events.
CREATE TABLE company_documents (
    document_id TEXT PRIMARY KEY,
    company_id TEXT NOT NULL,
    region_id TEXT NOT NULL,
    status TEXT NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
-- split
CREATE INDEX company_documents_company ON company_documents (company_id);
