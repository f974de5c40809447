-- A residents page checks its open residencies for concurrent ones by the
-- companies' USCCs in any region (OpenOf); the unique (region_id, uscc)
-- index does not serve a lookup by USCC alone.
CREATE INDEX companies_uscc ON companies (uscc);
