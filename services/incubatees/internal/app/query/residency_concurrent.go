package query

import (
	"context"

	"github.com/incuchain/incuchain/services/incubatees/internal/app"
	"github.com/incuchain/incuchain/services/incubatees/internal/domain"
)

// concurrentReader lists a company's open residencies at other carriers.
type concurrentReader interface {
	OpenElsewhere(ctx context.Context, companyID, uscc, carrierID string) ([]app.ResidencyView, error)
}

// concurrent lists the other open residencies of r's company (or of a
// company with its USCC) while r is open: the company resides at several
// carriers at once, and the district counts it once. Only who reads r as
// such sees them — the staff of r's carrier, the district and the
// company's own members — never the staff of a carrier a promotion merely
// goes to.
func (h GetResidencyHandler) concurrent(ctx context.Context, actor app.Actor, r *domain.Residency, co *domain.Company) ([]app.ResidencyView, error) {
	if !r.Status().Open() {
		return nil, nil
	}
	if err := app.AuthorizeResidency(h.authz, actor, r, "read"); err != nil {
		return nil, nil //nolint:nilerr // a promotion's target reads the residency, not where else the company is
	}
	return h.rm.OpenElsewhere(ctx, co.ID, string(co.USCC), r.CarrierID())
}
