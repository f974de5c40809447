-- The receiving carrier's inbox of promotions (issue 11): each page reads
-- the carrier's promotions of one status in index order, by when they
-- reached it (updated_at) or were proposed (created_at), id the tiebreak.
CREATE INDEX promotions_to_status_updated ON promotions (to_carrier_id, status, updated_at, id);
-- split
CREATE INDEX promotions_to_status_created ON promotions (to_carrier_id, status, created_at, id);
