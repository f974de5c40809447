-- A region's figures of a period, frozen by a district admin as filed.
CREATE TABLE snapshots (
    id TEXT PRIMARY KEY,
    region_id TEXT NOT NULL,
    period TEXT NOT NULL,
    figures TEXT NOT NULL,
    etag TEXT NOT NULL,
    frozen_by TEXT NOT NULL,
    frozen_at TEXT NOT NULL,
    UNIQUE (region_id, period)
);
