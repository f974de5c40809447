package query

import (
	"context"

	"github.com/incuchain/incuchain/services/incubatees/internal/app"
	"github.com/incuchain/incuchain/services/incubatees/internal/domain"
)

// RulePacks lists a region's rule pack versions.
type RulePacks struct {
	Actor    app.Actor
	RegionID string
}

// RulePacksReadModel is what RulePacksHandler reads.
type RulePacksReadModel interface {
	app.RulePackRegionReader
	snapshotter
	ListRulePacks(ctx context.Context, regionID string) ([]domain.RulePack, error)
}

// RulePacksHandler lists rule packs.
type RulePacksHandler struct {
	reader[RulePacksReadModel]
}

// NewRulePacksHandler returns the handler over rm.
var NewRulePacksHandler = newReader[RulePacksHandler, RulePacksReadModel]

// Handle lists the packs newest first, to the region's district roles and
// the staff of its carriers. It only reads: a region gets version 1 when
// parks announces it (or at its first move-in or publication, if it
// predates that), so a region without one lists none.
func (h RulePacksHandler) Handle(ctx context.Context, q RulePacks) ([]domain.RulePack, error) {
	return app.Within(ctx, h.rm.Snapshot, func(ctx context.Context) ([]domain.RulePack, error) {
		if err := app.AuthorizeRulePacks(ctx, h.authz, h.rm, q.Actor, q.RegionID, "read"); err != nil {
			return nil, err
		}
		return h.rm.ListRulePacks(ctx, q.RegionID)
	})
}
