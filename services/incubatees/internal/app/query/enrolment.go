package query

import (
	"context"

	"github.com/incuchain/incuchain/pkg/authz"
	"github.com/incuchain/incuchain/pkg/list"
	"github.com/incuchain/incuchain/services/incubatees/internal/app"
	"github.com/incuchain/incuchain/services/incubatees/internal/domain"
)

// EnrolmentOffers lists the offers of a carrier (CarrierID) or made to a
// company (CompanyID), optionally of one Status.
type EnrolmentOffers struct {
	Actor     app.Actor
	CarrierID string
	CompanyID string
	Status    domain.EnrolmentStatus
	Page      list.Params
}

// EnrolmentOffersReadModel is what EnrolmentOffersHandler reads.
type EnrolmentOffersReadModel interface {
	snapshotter
	GetCarrier(ctx context.Context, id string) (app.Carrier, error)
	GetCompany(ctx context.Context, id string) (*domain.Company, error)
	CompanyCarriers(ctx context.Context, companyID string) ([]string, error)
	ListEnrolmentOffers(ctx context.Context, f app.EnrolmentFilter, p list.Params) ([]app.EnrolmentView, int, error)
}

// EnrolmentOffersHandler lists offers.
type EnrolmentOffersHandler struct {
	reader[EnrolmentOffersReadModel]
}

// NewEnrolmentOffersHandler returns the handler over rm.
var NewEnrolmentOffersHandler = newReader[EnrolmentOffersHandler, EnrolmentOffersReadModel]

// Handle lists a carrier's offers for its staff and the district (the
// companies that have not accepted stay unnamed), or a company's for its
// members and the district: carrier staff never see other carriers' offers.
func (h EnrolmentOffersHandler) Handle(ctx context.Context, q EnrolmentOffers) ([]app.EnrolmentView, int, error) {
	return signedInSnapshot(ctx, q.Actor, h.rm.Snapshot, func(ctx context.Context) ([]app.EnrolmentView, int, error) {
		if q.CarrierID != "" {
			return h.carrier(ctx, q)
		}
		return h.company(ctx, q)
	})
}

func (h EnrolmentOffersHandler) company(ctx context.Context, q EnrolmentOffers) ([]app.EnrolmentView, int, error) {
	co, err := h.rm.GetCompany(ctx, q.CompanyID)
	if err != nil {
		return nil, 0, err
	}
	// Only the company's own scope lists its offers; who sees the company
	// from one of its carriers is refused (403).
	sees := func() (bool, error) {
		carriers, err := h.rm.CompanyCarriers(ctx, co.ID)
		if err != nil {
			return false, err
		}
		return h.authz.MayRead(q.Actor.UserID, "company", authz.CompanyScopes(co.RegionID, co.ID, carriers)...)()
	}
	if err := h.authz.Decide(authz.Request{UserID: q.Actor.UserID, Scopes: []authz.Scope{{RegionID: co.RegionID, CompanyID: co.ID}},
		Object: "residency", Action: "read", CanSee: sees, NotFound: "company-not-found"}); err != nil {
		return nil, 0, err
	}
	return h.rm.ListEnrolmentOffers(ctx, app.EnrolmentFilter{CompanyID: co.ID, Status: q.Status}, q.Page)
}

func (h EnrolmentOffersHandler) carrier(ctx context.Context, q EnrolmentOffers) ([]app.EnrolmentView, int, error) {
	c, err := app.AuthorizeCarrier(ctx, h.rm, h.authz, q.Actor, q.CarrierID, "residency", "read")
	if err != nil {
		return nil, 0, err
	}
	out, total, err := h.rm.ListEnrolmentOffers(ctx, app.EnrolmentFilter{CarrierID: c.ID, Status: q.Status}, q.Page)
	if err != nil {
		return nil, 0, err
	}
	for i := range out {
		if out[i].Status() != domain.EnrolmentAccepted {
			out[i].CompanyNameZH = ""
		}
	}
	return out, total, nil
}
