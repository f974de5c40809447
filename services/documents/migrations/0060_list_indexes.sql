-- Indexes for the sorts and filters of the document list (issue 13): the
-- page is read in index order, (tenant column, sort column, id), instead of
-- sorting every document of the tenant for each page.
CREATE INDEX documents_region_updated ON documents (region_id, updated_at, id);
-- split
CREATE INDEX documents_region_created ON documents (region_id, created_at, id);
-- split
CREATE INDEX documents_company_updated ON documents (company_id, updated_at, id);
-- split
CREATE INDEX documents_company_created ON documents (company_id, created_at, id);
-- split
CREATE INDEX documents_carrier_updated ON documents (carrier_id, updated_at, id);
-- split
CREATE INDEX documents_checklist_updated ON documents (checklist_id, updated_at, id);
