package adapters

import (
	"context"
	"time"

	"github.com/incuchain/incuchain/pkg/apperr"
	"github.com/incuchain/incuchain/services/incubatees/internal/app"
	"github.com/incuchain/incuchain/services/incubatees/internal/domain"
)

// RulePacks is the rule pack repository. Versions are never changed, only
// added: Publish loads the region's latest (seeding the national pack as
// version 1 for a region without one), lets fn build the next, and stores
// it with its event and audit line, in one transaction.
type RulePacks struct {
	s   *Store
	now func() time.Time
}

// NewRulePacks returns the rule pack repository on s; now stamps a seeded pack.
func NewRulePacks(s *Store, now func() time.Time) *RulePacks { return &RulePacks{s: s, now: now} }

// Publish stores the pack fn builds from the region's latest. A version
// another writer took first is a conflict (two district officers
// published at once; the other won).
func (r *RulePacks) Publish(ctx context.Context, actor app.Actor, regionID string, fn func(ctx context.Context, latest domain.RulePack) (domain.RulePack, error)) (domain.RulePack, error) {
	var next domain.RulePack
	err := write(ctx, r.s, func(ctx context.Context, tx app.Tx) error {
		latest, err := app.SeededRulePack(ctx, tx, regionID, r.now())
		if err != nil {
			return err
		}
		if next, err = fn(ctx, latest); err != nil {
			return err
		}
		inserted, err := app.InsertRulePack(ctx, tx, actor, next)
		if err == nil && !inserted {
			return apperr.ConflictErr("rule-pack-version-taken")
		}
		return err
	})
	return next, err
}
