-- Read models of parks' regions and carriers and of incubatees' companies
-- and their carrier links, kept from events.
CREATE TABLE regions (
    id TEXT PRIMARY KEY,
    code TEXT NOT NULL
);
-- split
CREATE TABLE carriers (
    id TEXT PRIMARY KEY,
    region_id TEXT NOT NULL,
    name_zh TEXT NOT NULL DEFAULT ''
);
-- split
CREATE TABLE companies (
    id TEXT PRIMARY KEY,
    region_id TEXT NOT NULL,
    name_zh TEXT NOT NULL DEFAULT ''
);
-- split
CREATE TABLE company_carriers (
    company_id TEXT NOT NULL,
    carrier_id TEXT NOT NULL,
    PRIMARY KEY (company_id, carrier_id)
);
-- split
-- A region's changes to the default document types.
CREATE TABLE document_types (
    region_id TEXT NOT NULL,
    code TEXT NOT NULL,
    name_zh TEXT NOT NULL,
    name_en TEXT NOT NULL DEFAULT '',
    content_types TEXT NOT NULL,
    max_bytes BIGINT NOT NULL,
    updated_by TEXT NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    PRIMARY KEY (region_id, code)
);
-- split
CREATE TABLE checklists (
    id TEXT PRIMARY KEY,
    owner_kind TEXT NOT NULL,
    owner_id TEXT NOT NULL,
    region_id TEXT NOT NULL,
    carrier_id TEXT NOT NULL DEFAULT '',
    company_id TEXT NOT NULL,
    required TEXT NOT NULL DEFAULT '[]',
    status TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
-- split
CREATE TABLE documents (
    id TEXT PRIMARY KEY,
    region_id TEXT NOT NULL,
    carrier_id TEXT NOT NULL DEFAULT '',
    company_id TEXT NOT NULL,
    type TEXT NOT NULL,
    checklist_id TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL,
    comment TEXT NOT NULL DEFAULT '',
    reviewed_by TEXT NOT NULL DEFAULT '',
    reviewed_at TIMESTAMP NULL,
    latest_version INTEGER NOT NULL,
    created_by TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    deleted_at TIMESTAMP NULL,
    deleted_by TEXT NOT NULL DEFAULT ''
);
-- split
-- One live document per checklist slot; re-uploads are its versions.
CREATE UNIQUE INDEX documents_slot ON documents (checklist_id, type) WHERE checklist_id <> '' AND deleted_at IS NULL;
-- split
CREATE INDEX documents_company ON documents (company_id, updated_at);
-- split
CREATE INDEX documents_carrier ON documents (carrier_id, status, updated_at);
-- split
CREATE INDEX documents_region ON documents (region_id, updated_at);
-- split
CREATE TABLE document_versions (
    id TEXT PRIMARY KEY,
    document_id TEXT NOT NULL REFERENCES documents(id),
    version INTEGER NOT NULL,
    object_key TEXT NOT NULL,
    filename TEXT NOT NULL,
    size BIGINT NOT NULL,
    sha256 TEXT NOT NULL,
    content_type TEXT NOT NULL,
    uploaded_by TEXT NOT NULL,
    uploaded_at TIMESTAMP NOT NULL,
    status TEXT NOT NULL,
    comment TEXT NOT NULL DEFAULT '',
    purged_at TIMESTAMP NULL,
    missing_at TIMESTAMP NULL,
    UNIQUE (document_id, version)
);
-- split
CREATE UNIQUE INDEX document_versions_key ON document_versions (object_key);
-- split
-- Presigned uploads between issue and completion.
CREATE TABLE uploads (
    id TEXT PRIMARY KEY,
    region_id TEXT NOT NULL,
    carrier_id TEXT NOT NULL DEFAULT '',
    company_id TEXT NOT NULL,
    type TEXT NOT NULL,
    checklist_id TEXT NOT NULL DEFAULT '',
    document_id TEXT NOT NULL DEFAULT '',
    filename TEXT NOT NULL,
    size BIGINT NOT NULL,
    sha256 TEXT NOT NULL DEFAULT '',
    object_key TEXT NOT NULL,
    state TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL
);
-- split
CREATE INDEX uploads_state ON uploads (state, expires_at);
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
