package adapters

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/incuchain/incuchain/pkg/apperr"
	"github.com/incuchain/incuchain/pkg/db"
	"github.com/incuchain/incuchain/services/rollups/internal/app"
)

func (t *txStore) AddSnapshot(ctx context.Context, s app.SnapshotRecord) error {
	q := t.NewRaw("INSERT INTO snapshots (id, region_id, period, figures, etag, frozen_by, frozen_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
		s.ID, s.RegionID, s.Period, string(s.Figures), s.ETag, s.FrozenBy, s.FrozenAt)
	return db.ExecUnique(ctx, q, "add snapshot", apperr.ConflictErr("snapshot-exists").With("period", s.Period))
}

type snapshotRow struct {
	app.SnapshotRecord
	Figures string `bun:"figures"`
}

func (t *txStore) Snapshot(ctx context.Context, regionID, period string) (app.SnapshotRecord, bool, error) {
	var r snapshotRow
	err := t.NewRaw("SELECT id, region_id, period, figures, etag, frozen_by, frozen_at FROM snapshots WHERE region_id = ? AND period = ?", regionID, period).Scan(ctx, &r)
	if errors.Is(err, sql.ErrNoRows) {
		return app.SnapshotRecord{}, false, nil
	}
	if err != nil {
		return app.SnapshotRecord{}, false, fmt.Errorf("snapshot: %w", err)
	}
	out := r.SnapshotRecord
	out.Figures = []byte(r.Figures)
	return out, true, nil
}

func (t *txStore) ListSnapshots(ctx context.Context, regionID string) ([]app.SnapshotRecord, error) {
	var rows []app.SnapshotRecord
	err := t.NewRaw("SELECT id, region_id, period, etag, frozen_by, frozen_at FROM snapshots WHERE region_id = ? ORDER BY period DESC", regionID).Scan(ctx, &rows)
	if err != nil {
		return nil, fmt.Errorf("list snapshots: %w", err)
	}
	return rows, nil
}
