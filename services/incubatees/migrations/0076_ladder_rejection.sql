-- A ladder claim may be rejected with a reason the company reads (issue 11).
ALTER TABLE ladder_steps ADD COLUMN reject_reason TEXT NOT NULL DEFAULT '';
