package command

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"time"

	"github.com/incuchain/incuchain/pkg/apperr"
	"github.com/incuchain/incuchain/pkg/events"
	"github.com/incuchain/incuchain/services/rollups/internal/app"
	"github.com/incuchain/incuchain/services/rollups/internal/domain"
)

// FreezeSnapshot freezes a region's figures of a quarter or a year as
// filed.
type FreezeSnapshot struct {
	Actor    app.Actor
	RegionID string
	Period   string
}

// FreezeSnapshotHandler stores the figures and announces the snapshot
// (rollups.snapshot.frozen) in one transaction.
type FreezeSnapshotHandler struct {
	store app.Store
	// allowed refuses a caller who is no district admin of the region.
	allowed func(ctx context.Context, actor app.Actor, regionID string) error
	// figures computes every figure of the region for the period.
	figures func(ctx context.Context, regionID, period string) (json.RawMessage, error)
	now     func() time.Time
}

// NewFreezeSnapshotHandler returns the handler.
func NewFreezeSnapshotHandler(store app.Store, allowed func(ctx context.Context, actor app.Actor, regionID string) error,
	figures func(ctx context.Context, regionID, period string) (json.RawMessage, error), now func() time.Time) FreezeSnapshotHandler {
	return FreezeSnapshotHandler{store: store, allowed: allowed, figures: figures, now: now}
}

// Handle freezes cmd's period; a period frozen already is a conflict.
func (h FreezeSnapshotHandler) Handle(ctx context.Context, cmd FreezeSnapshot) (app.SnapshotRecord, error) {
	if err := h.allowed(ctx, cmd.Actor, cmd.RegionID); err != nil {
		return app.SnapshotRecord{}, err
	}
	if !domain.SnapshotPeriod(cmd.Period) {
		return app.SnapshotRecord{}, apperr.NewValidation("invalid-filter").Add("period", "not_a_period").Err()
	}
	figures, err := h.figures(ctx, cmd.RegionID, cmd.Period)
	if err != nil {
		return app.SnapshotRecord{}, err
	}
	sum := sha256.Sum256(figures)
	s := app.SnapshotRecord{ID: events.NewID(), RegionID: cmd.RegionID, Period: cmd.Period, Figures: figures, ETag: `"` + hex.EncodeToString(sum[:16]) + `"`,
		FrozenBy: cmd.Actor.UserID, FrozenAt: h.now().UTC().Format(time.RFC3339)}
	ev, err := events.New(events.Scope{RegionID: cmd.RegionID}, cmd.Actor.UserID, s.ID, events.SnapshotFrozenV1{SnapshotID: s.ID, RegionID: s.RegionID,
		Period: s.Period, FrozenBy: s.FrozenBy, ETag: s.ETag})
	if err != nil {
		return app.SnapshotRecord{}, err
	}
	err = h.store.Write(ctx, func(ctx context.Context, tx app.Tx) error {
		if err := tx.AddSnapshot(ctx, s); err != nil {
			return err
		}
		return tx.Publish(ctx, ev)
	})
	return s, err
}
