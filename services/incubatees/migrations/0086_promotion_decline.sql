-- The receiving carrier may decline a consented promotion with a reason
-- the sending carrier and the company read (issue 11).
ALTER TABLE promotions ADD COLUMN declined_by TEXT NOT NULL DEFAULT '';
-- split
ALTER TABLE promotions ADD COLUMN decline_reason TEXT NOT NULL DEFAULT '';
