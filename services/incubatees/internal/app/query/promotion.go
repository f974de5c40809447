package query

import (
	"context"

	"github.com/incuchain/incuchain/pkg/apperr"
	"github.com/incuchain/incuchain/pkg/authz"
	"github.com/incuchain/incuchain/pkg/list"
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
	GetCompany(ctx context.Context, id string) (*domain.Company, error)
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
func (h GetPromotionHandler) Handle(ctx context.Context, q GetPromotion) (app.PromotionView, error) {
	return app.SignedInWithin(ctx, q.Actor, h.rm.Snapshot, func(ctx context.Context) (app.PromotionView, error) {
		r, err := h.rm.GetResidency(ctx, q.ResidencyID)
		if err != nil {
			return app.PromotionView{}, err
		}
		p, err := h.rm.LatestPromotion(ctx, r.ID())
		if err != nil && !apperr.Is(err, apperr.NotFound) {
			return app.PromotionView{}, err
		}
		if err := app.AuthorizePromotion(h.authz, q.Actor, r, p); err != nil {
			return app.PromotionView{}, err
		}
		if p == nil {
			return app.PromotionView{}, apperr.NotFoundErr("promotion-not-found")
		}
		co, err := h.rm.GetCompany(ctx, p.CompanyID())
		if err != nil {
			return app.PromotionView{}, err
		}
		from, err := h.rm.GetCarrier(ctx, p.From().ID)
		if err != nil {
			return app.PromotionView{}, err
		}
		to, err := h.rm.GetCarrier(ctx, p.To().ID)
		if err != nil {
			return app.PromotionView{}, err
		}
		return app.NamePromotion(p, co, from, to), nil
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

// IncomingPromotions pages the promotions that come to a carrier in one
// status (its inbox: consented, waiting for it to accept).
type IncomingPromotions struct {
	Actor  app.Actor
	Filter app.IncomingPromotionFilter
	Page   list.Params
}

// IncomingPromotionsReadModel is what the inbox queries read.
type IncomingPromotionsReadModel interface {
	app.CarrierReader
	IncomingPromotions(ctx context.Context, f app.IncomingPromotionFilter, p list.Params) ([]app.PromotionView, int, error)
	CountIncomingPromotions(ctx context.Context, f app.IncomingPromotionFilter) (int, error)
}

// IncomingPromotionsHandler reads a carrier's inbox of promotions.
type IncomingPromotionsHandler struct {
	reader[IncomingPromotionsReadModel]
}

// NewIncomingPromotionsHandler returns the handler over rm.
func NewIncomingPromotionsHandler(rm IncomingPromotionsReadModel, e *authz.Enforcer) IncomingPromotionsHandler {
	return IncomingPromotionsHandler{reader: reader[IncomingPromotionsReadModel]{rm, e}}
}

// Handle lists the inbox to the receiving carrier's staff and its
// district (who read its residencies); 404 to everyone else.
func (h IncomingPromotionsHandler) Handle(ctx context.Context, q IncomingPromotions) ([]app.PromotionView, int, error) {
	f, err := h.authorize(ctx, q.Actor, q.Filter)
	if err != nil {
		return nil, 0, err
	}
	return h.rm.IncomingPromotions(ctx, f, q.Page)
}

// Count counts the inbox (the menu's badge), to the same callers.
func (h IncomingPromotionsHandler) Count(ctx context.Context, actor app.Actor, f app.IncomingPromotionFilter) (int, error) {
	f, err := h.authorize(ctx, actor, f)
	if err != nil {
		return 0, err
	}
	return h.rm.CountIncomingPromotions(ctx, f)
}

func (h IncomingPromotionsHandler) authorize(ctx context.Context, actor app.Actor, f app.IncomingPromotionFilter) (app.IncomingPromotionFilter, error) {
	c, err := app.AuthorizeCarrier(ctx, h.rm, h.authz, actor, f.CarrierID, "residency", "read")
	if err != nil {
		return f, err
	}
	f.CarrierID = c.ID
	if f.Status == "" {
		f.Status = domain.PromotionConsented
	}
	return f, nil
}
