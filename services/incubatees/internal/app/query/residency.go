// Package query holds the incubatees use cases that only read, one per
// file, each with its own small read interface (no method of which
// writes).
package query

import (
	"context"
	"time"

	"github.com/incuchain/incuchain/pkg/apperr"
	"github.com/incuchain/incuchain/pkg/authz"
	"github.com/incuchain/incuchain/pkg/calendar"
	"github.com/incuchain/incuchain/pkg/list"
	"github.com/incuchain/incuchain/services/incubatees/internal/app"
	"github.com/incuchain/incuchain/services/incubatees/internal/domain"
)

// reader is what a query handler holds: its read model and the enforcer
// that authorizes its caller.
type reader[R any] struct {
	rm    R
	authz *authz.Enforcer
}

// newReader is the constructor of every query handler H that holds
// nothing but reader[R]: NewXHandler(rm, enforcer).
func newReader[H ~struct{ reader[R] }, R any](rm R, e *authz.Enforcer) H {
	return H{reader[R]{rm, e}}
}

// ResidencyDetail is a residency with its rule-pack evaluation today;
// Evaluation is nil while the region has no rule pack.
type ResidencyDetail struct {
	app.ResidencyView
	Evaluation *domain.Evaluation
	// Concurrent are the company's open residencies at other carriers,
	// for who may see them (see concurrent).
	Concurrent []app.ResidencyView
}

// snapshotter runs fn on one consistent snapshot of the read model.
type snapshotter interface {
	Snapshot(ctx context.Context, fn func(ctx context.Context) error) error
}

// inSnapshot reads a page of a list and the list's total in one snapshot.
func inSnapshot[T any](ctx context.Context, snapshot func(ctx context.Context, fn func(ctx context.Context) error) error,
	read func(ctx context.Context) ([]T, int, error)) ([]T, int, error) {
	var out []T
	var total int
	err := snapshot(ctx, func(ctx context.Context) error {
		var err error
		out, total, err = read(ctx)
		return err
	})
	return out, total, err
}

// signedInSnapshot is inSnapshot for a signed-in actor (401 to anyone
// else).
func signedInSnapshot[T any](ctx context.Context, actor app.Actor, snapshot func(ctx context.Context, fn func(ctx context.Context) error) error,
	read func(ctx context.Context) ([]T, int, error)) ([]T, int, error) {
	if err := authz.Authenticated(actor.UserID); err != nil {
		return nil, 0, err
	}
	return inSnapshot(ctx, snapshot, read)
}

// GetResidency is a residency read by Actor.
type GetResidency struct {
	Actor       app.Actor
	ResidencyID string
}

// GetResidencyReadModel is what GetResidencyHandler reads.
type GetResidencyReadModel interface {
	app.FactsReader
	snapshotter
	GetResidency(ctx context.Context, id string) (*domain.Residency, error)
	GetCompany(ctx context.Context, id string) (*domain.Company, error)
	GetCarrier(ctx context.Context, id string) (app.Carrier, error)
	LatestPromotion(ctx context.Context, residencyID string) (*domain.Promotion, error)
	RulePack(ctx context.Context, regionID string, version int) (domain.RulePack, error)
	concurrentReader
}

// GetResidencyHandler reads one residency.
type GetResidencyHandler struct {
	reader[GetResidencyReadModel]
	now func() time.Time
}

// NewGetResidencyHandler returns the handler over rm.
func NewGetResidencyHandler(rm GetResidencyReadModel, e *authz.Enforcer, now func() time.Time) GetResidencyHandler {
	return GetResidencyHandler{reader: reader[GetResidencyReadModel]{rm, e}, now: now}
}

// Handle returns a residency the actor may see, evaluated today with the
// rule pack version it was moved in under (the region's latest before).
func (h GetResidencyHandler) Handle(ctx context.Context, q GetResidency) (ResidencyDetail, error) {
	return app.SignedInWithin(ctx, q.Actor, h.rm.Snapshot, func(ctx context.Context) (ResidencyDetail, error) {
		var out ResidencyDetail
		r, err := h.rm.GetResidency(ctx, q.ResidencyID)
		if err != nil {
			return ResidencyDetail{}, err
		}
		if err := h.authorize(ctx, q.Actor, r); err != nil {
			return ResidencyDetail{}, err
		}
		co, err := h.rm.GetCompany(ctx, r.CompanyID())
		if err != nil {
			return ResidencyDetail{}, err
		}
		c, err := h.rm.GetCarrier(ctx, r.CarrierID())
		if err != nil {
			return ResidencyDetail{}, err
		}
		out.ResidencyView = app.ResidencyView{Residency: *r, CompanyNameZH: co.Fields.NameZH, CompanyKey: co.Key(), USCC: string(co.USCC),
			IndustryCode: co.Fields.IndustryCode, CarrierNameZH: c.NameZH, CarrierNameEN: c.NameEN, CarrierKind: c.Kind, ChainOrder: c.ChainOrder}
		if out.Concurrent, err = h.concurrent(ctx, q.Actor, r, co); err != nil {
			return ResidencyDetail{}, err
		}
		pack, err := h.rm.RulePack(ctx, r.RegionID(), r.RulePackVersion())
		if apperr.Is(err, apperr.NotFound) {
			return out, nil // a region from before packs were seeded: nothing to evaluate with, and reads never seed
		} else if err != nil {
			return ResidencyDetail{}, err
		}
		today := calendar.Today(h.now())
		facts, err := app.CompanyFacts(ctx, h.rm, co, today)
		if err != nil {
			return ResidencyDetail{}, err
		}
		e := domain.Evaluate(pack, r, facts, today)
		out.Evaluation = &e
		return out, nil
	})
}

// authorize lets who may read the residency through, and the staff of
// the carrier a consented promotion goes to (as they may read the packet).
func (h GetResidencyHandler) authorize(ctx context.Context, actor app.Actor, r *domain.Residency) error {
	err := h.authz.Decide(authz.Request{UserID: actor.UserID, Object: "residency", Action: "read", NotFound: "residency-not-found",
		Scopes: []authz.Scope{{RegionID: r.RegionID(), CarrierID: r.CarrierID(), CompanyID: r.CompanyID()}}})
	if err == nil {
		return nil
	}
	p, perr := h.rm.LatestPromotion(ctx, r.ID())
	if perr != nil {
		if apperr.Is(perr, apperr.NotFound) {
			return err
		}
		return perr
	}
	return app.AuthorizePromotion(h.authz, actor, r, p)
}

// ListResidencies lists the residencies of a carrier (CarrierID) or of a
// whole region (RegionID, district roles).
type ListResidencies struct {
	Actor     app.Actor
	CarrierID string
	RegionID  string
	Filter    app.ResidencyFilter
	Page      list.Params
}

// ListResidenciesReadModel is what ListResidenciesHandler reads.
type ListResidenciesReadModel interface {
	GetCarrier(ctx context.Context, id string) (app.Carrier, error)
	RegionExists(ctx context.Context, id string) (bool, error)
	ListResidencies(ctx context.Context, f app.ResidencyFilter, p list.Params) ([]app.ResidencyView, int, error)
	OpenOf(ctx context.Context, companyIDs, usccs []string) ([]app.ResidencyView, error)
	Snapshot(ctx context.Context, fn func(ctx context.Context) error) error
}

// Resident is a row of a residents list: the residency and, while it is
// open, the company's open residencies at other carriers, which the
// district counts once. Whoever may list a carrier's or a region's
// residents reads each of them as such, so every row carries them, as a
// residency read alone does.
type Resident struct {
	app.ResidencyView
	Concurrent []app.ResidencyView
}

// ListResidenciesHandler lists residencies.
type ListResidenciesHandler struct {
	reader[ListResidenciesReadModel]
}

// NewListResidenciesHandler returns the handler over rm.
var NewListResidenciesHandler = newReader[ListResidenciesHandler, ListResidenciesReadModel]

// Handle lists a carrier's residencies for its staff and the district,
// or a region's for the district.
func (h ListResidenciesHandler) Handle(ctx context.Context, q ListResidencies) ([]Resident, int, error) {
	if err := authz.Authenticated(q.Actor.UserID); err != nil {
		return nil, 0, err
	}
	f := q.Filter
	if q.CarrierID != "" {
		c, err := app.AuthorizeCarrier(ctx, h.rm, h.authz, q.Actor, q.CarrierID, "residency", "read")
		if err != nil {
			return nil, 0, err
		}
		f.RegionID, f.CarrierID = c.RegionID, c.ID
	} else {
		ok, err := h.rm.RegionExists(ctx, q.RegionID)
		if err != nil {
			return nil, 0, err
		}
		if !ok || !h.authz.Can(q.Actor.UserID, authz.Scope{RegionID: q.RegionID}, "residency", "read") {
			return nil, 0, apperr.NotFoundErr("region-not-found")
		}
		f.RegionID, f.CarrierID = q.RegionID, ""
	}
	var (
		out   []Resident
		total int
	)
	err := h.rm.Snapshot(ctx, func(ctx context.Context) error {
		vs, n, err := h.rm.ListResidencies(ctx, f, q.Page)
		if err != nil {
			return err
		}
		out, total = make([]Resident, len(vs)), n
		var companies, usccs []string
		for i, v := range vs {
			out[i].ResidencyView = v
			if v.Status().Open() {
				companies = append(companies, v.CompanyID())
				if v.USCC != "" {
					usccs = append(usccs, v.USCC)
				}
			}
		}
		open, err := h.rm.OpenOf(ctx, companies, usccs)
		if err != nil {
			return err
		}
		for i := range out {
			out[i].Concurrent = app.ConcurrentWith(out[i].ResidencyView, open)
		}
		return nil
	})
	if err != nil {
		return nil, 0, err
	}
	return out, total, nil
}

// CompanyChain is a company's chain history, every residency in order.
type CompanyChain struct {
	Actor     app.Actor
	CompanyID string
}

// CompanyChainReadModel is what CompanyChainHandler reads.
type CompanyChainReadModel interface {
	GetCompany(ctx context.Context, id string) (*domain.Company, error)
	CompanyCarriers(ctx context.Context, companyID string) ([]string, error)
	CompanyResidencies(ctx context.Context, companyID string) ([]app.ResidencyView, error)
}

// CompanyChainHandler reads chain histories.
type CompanyChainHandler struct {
	reader[CompanyChainReadModel]
}

// NewCompanyChainHandler returns the handler over rm.
var NewCompanyChainHandler = newReader[CompanyChainHandler, CompanyChainReadModel]

// Handle returns the chain to who may read the company: from its region
// and company domains, or any carrier it applied to or resides in.
func (h CompanyChainHandler) Handle(ctx context.Context, q CompanyChain) ([]app.ResidencyView, error) {
	co, err := h.rm.GetCompany(ctx, q.CompanyID)
	if err != nil {
		if err := authz.Authenticated(q.Actor.UserID); err != nil {
			return nil, err
		}
		return nil, err
	}
	carriers, err := h.rm.CompanyCarriers(ctx, co.ID)
	if err != nil {
		return nil, err
	}
	scopes := []authz.Scope{{RegionID: co.RegionID, CompanyID: co.ID}}
	for _, c := range carriers {
		scopes = append(scopes, authz.Scope{RegionID: co.RegionID, CarrierID: c, CompanyID: co.ID})
	}
	if err := h.authz.Decide(authz.Request{UserID: q.Actor.UserID, Scopes: scopes, Object: "company", Action: "read", NotFound: "company-not-found"}); err != nil {
		return nil, err
	}
	return h.rm.CompanyResidencies(ctx, co.ID)
}

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
var NewGetPromotionHandler = newReader[GetPromotionHandler, PromotionReadModel]

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
var NewPromotionTargetsHandler = newReader[PromotionTargetsHandler, PromotionReadModel]

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
var NewIncomingPromotionsHandler = newReader[IncomingPromotionsHandler, IncomingPromotionsReadModel]

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
