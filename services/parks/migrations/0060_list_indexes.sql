-- Indexes for the sorts and filters of the list APIs (issue 13): each list
-- reads its page in index order, (tenant column, sort column, id), instead
-- of sorting the whole region for every page. The id ends each index
-- because it is the tiebreak of every list order.
CREATE INDEX carriers_region_name ON carriers (region_id, name_zh, id);
-- split
CREATE INDEX carriers_region_chain ON carriers (region_id, chain_order, id);
-- split
CREATE INDEX carriers_region_created ON carriers (region_id, created_at, id);
-- split
CREATE INDEX carriers_region_capacity ON carriers (region_id, capacity, id);
-- split
CREATE INDEX carriers_region_area ON carriers (region_id, area_m2, id);
-- split
CREATE INDEX invitations_domain_created ON invitations (domain, created_at, id);
-- split
CREATE INDEX audit_log_region_at_id ON audit_log (region_id, at, id);
