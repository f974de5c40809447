-- Indexes for the sorts and filters of the list APIs (issue 13): each list
-- reads its page in index order, (tenant or filter column, sort column,
-- id), instead of sorting the whole tenant for every page. The id ends
-- each index because it is the tiebreak of every list order.
CREATE INDEX companies_region_name ON companies (region_id, name_zh, id);
-- split
CREATE INDEX companies_region_created ON companies (region_id, created_at, id);
-- split
CREATE INDEX companies_region_industry ON companies (region_id, industry_code, id);
-- split
CREATE INDEX intake_calls_carrier_opens ON intake_calls (carrier_id, opens_on, id);
-- split
CREATE INDEX intake_calls_region_opens ON intake_calls (region_id, opens_on, id);
-- split
CREATE INDEX intake_calls_carrier_closes ON intake_calls (carrier_id, closes_on, id);
-- split
CREATE INDEX intake_calls_region_closes ON intake_calls (region_id, closes_on, id);
-- split
CREATE INDEX intake_calls_carrier_title ON intake_calls (carrier_id, title_zh, id);
-- split
CREATE INDEX intake_calls_region_title ON intake_calls (region_id, title_zh, id);
-- split
CREATE INDEX applications_carrier_created ON applications (carrier_id, created_at, id);
-- split
CREATE INDEX applications_carrier_submitted ON applications (carrier_id, submitted_at, id);
-- split
CREATE INDEX applications_carrier_status_id ON applications (carrier_id, status, id);
-- split
CREATE INDEX applications_call_created ON applications (call_id, created_at, id);
-- split
CREATE INDEX applications_company_created ON applications (company_id, created_at, id);
-- split
CREATE INDEX residencies_region_admitted ON residencies (region_id, admitted_on, id);
-- split
CREATE INDEX residencies_region_moved_in ON residencies (region_id, moved_in_on, id);
-- split
CREATE INDEX residencies_region_term_end ON residencies (region_id, term_end_on, id);
-- split
CREATE INDEX residencies_carrier_admitted ON residencies (carrier_id, admitted_on, id);
-- split
CREATE INDEX residencies_carrier_moved_in ON residencies (carrier_id, moved_in_on, id);
-- split
CREATE INDEX residencies_carrier_term_end ON residencies (carrier_id, term_end_on, id);
-- split
CREATE INDEX enrolment_offers_carrier_created ON enrolment_offers (carrier_id, created_at, id);
-- split
CREATE INDEX enrolment_offers_carrier_updated ON enrolment_offers (carrier_id, updated_at, id);
-- split
CREATE INDEX enrolment_offers_company_created ON enrolment_offers (company_id, created_at, id);
-- split
CREATE INDEX enrolment_offers_company_updated ON enrolment_offers (company_id, updated_at, id);
-- split
CREATE INDEX metric_reports_company_period_end ON metric_reports (company_id, period_end, period);
