package query

import (
	"context"

	"github.com/incuchain/incuchain/pkg/apperr"
	"github.com/incuchain/incuchain/pkg/authz"
	"github.com/incuchain/incuchain/services/incubatees/internal/app"
	"github.com/incuchain/incuchain/services/incubatees/internal/domain"
)

// GetPromotion is a residency's latest promotion, read by Actor.
type GetPromotion struct {
	Actor       app.Actor
	ResidencyID string
}

// PromotionReadModel is what the promotion queries read.
type PromotionReadModel interface {
	snapshotter
	GetResidency(ctx context.Context, id string) (*domain.Residency, error)
	GetCarrier(ctx context.Context, id string) (app.Carrier, error)
	LatestPromotion(ctx context.Context, residencyID string) (*domain.Promotion, error)
	RegionCarriers(ctx context.Context, regionID string) ([]app.Carrier, error)
}

// GetPromotionHandler reads promotions.
type GetPromotionHandler struct {
	reader[PromotionReadModel]
}

// NewGetPromotionHandler returns the handler over rm.
func NewGetPromotionHandler(rm PromotionReadModel, e *authz.Enforcer) GetPromotionHandler {
	return GetPromotionHandler{reader: reader[PromotionReadModel]{rm, e}}
}

// Handle returns the promotion with its handoff packet to who may read
// the residency, and (once the company consented) to the target
// carrier's staff.
func (h GetPromotionHandler) Handle(ctx context.Context, q GetPromotion) (*domain.Promotion, error) {
	return app.SignedInWithin(ctx, q.Actor, h.rm.Snapshot, func(ctx context.Context) (*domain.Promotion, error) {
		r, err := h.rm.GetResidency(ctx, q.ResidencyID)
		if err != nil {
			return nil, err
		}
		p, err := h.rm.LatestPromotion(ctx, r.ID())
		if err != nil && !apperr.Is(err, apperr.NotFound) {
			return nil, err
		}
		if err := app.AuthorizePromotion(h.authz, q.Actor, r, p); err != nil {
			return nil, err
		}
		if p == nil {
			return nil, apperr.NotFoundErr("promotion-not-found")
		}
		return p, nil
	})
}

// PromotionTargets are the carriers a residency may be promoted to.
type PromotionTargets struct {
	Actor       app.Actor
	ResidencyID string
}

// PromotionTargetsHandler lists promotion targets.
type PromotionTargetsHandler struct {
	reader[PromotionReadModel]
}

// NewPromotionTargetsHandler returns the handler over rm.
func NewPromotionTargetsHandler(rm PromotionReadModel, e *authz.Enforcer) PromotionTargetsHandler {
	return PromotionTargetsHandler{reader: reader[PromotionReadModel]{rm, e}}
}

// Handle lists, for who may update the residency, the active carriers of
// its region higher up the chain. Park staff cannot list other carriers
// through the parks service, so the proposing carrier learns them here,
// from this service's copy of the carriers.
func (h PromotionTargetsHandler) Handle(ctx context.Context, q PromotionTargets) ([]app.Carrier, error) {
	return app.SignedInWithin(ctx, q.Actor, h.rm.Snapshot, func(ctx context.Context) ([]app.Carrier, error) {
		r, err := h.rm.GetResidency(ctx, q.ResidencyID)
		if err != nil {
			return nil, err
		}
		if err := app.AuthorizeResidency(h.authz, q.Actor, r, "update"); err != nil {
			return nil, err
		}
		from, err := h.rm.GetCarrier(ctx, r.CarrierID())
		if err != nil {
			return nil, err
		}
		all, err := h.rm.RegionCarriers(ctx, r.RegionID())
		if err != nil {
			return nil, err
		}
		out := []app.Carrier{}
		for _, c := range all {
			if c.ChainOrder > from.ChainOrder && c.Status == "active" {
				out = append(out, c)
			}
		}
		return out, nil
	})
}
