package app

import (
	"context"
	"time"

	"github.com/incuchain/incuchain/pkg/apperr"
	"github.com/incuchain/incuchain/services/milestones/internal/domain"
)

// EffectiveTemplate is the template a carrier plans with: its own, else
// its region's for its kind, else the defaults of the kind (a region that
// predates seeding; reads never seed).
func EffectiveTemplate(ctx context.Context, tx Templates, regionID, carrierID, kind string, now time.Time) (*domain.Template, error) {
	for _, c := range []string{carrierID, ""} {
		t, err := tx.Template(ctx, regionID, c, kind)
		if err == nil {
			return t, nil
		}
		if !apperr.Is(err, apperr.NotFound) {
			return nil, err
		}
	}
	return domain.SeedTemplate("default:"+kind, regionID, kind, now), nil
}
