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

// IntakeReadModel is what the intake queries read.
type IntakeReadModel interface {
	CompanyReadModel
	app.CarrierReader
	RegionExists(ctx context.Context, id string) (bool, error)
	GetIntakeCall(ctx context.Context, id string) (*domain.IntakeCall, error)
	ListIntakeCalls(ctx context.Context, f app.CallFilter, p list.Params) ([]*domain.IntakeCall, int, error)
	GetApplication(ctx context.Context, id string) (*domain.Application, error)
	ListApplications(ctx context.Context, f app.ApplicationFilter, p list.Params) ([]app.ApplicationItem, int, error)
	ListReviews(ctx context.Context, applicationID string) ([]domain.ApplicationReview, error)
}

// GetIntakeCall is a call read by Actor.
type GetIntakeCall struct {
	Actor  app.Actor
	CallID string
}

// GetIntakeCallHandler reads calls.
type GetIntakeCallHandler struct{ reader[IntakeReadModel] }

// NewGetIntakeCallHandler returns the handler over rm.
var NewGetIntakeCallHandler = newReader[GetIntakeCallHandler, IntakeReadModel]

// Handle returns a call the actor may see.
func (h GetIntakeCallHandler) Handle(ctx context.Context, q GetIntakeCall) (*domain.IntakeCall, error) {
	return app.SignedInWithin(ctx, q.Actor, h.rm.Snapshot, func(ctx context.Context) (*domain.IntakeCall, error) {
		return app.LoadIntakeCall(ctx, h.rm, h.authz, q.Actor, q.CallID, "read")
	})
}

// CarrierIntakeCalls is a page of a carrier's calls.
type CarrierIntakeCalls struct {
	Actor     app.Actor
	CarrierID string
	Status    domain.CallStatus // empty: any
	Page      list.Params
}

// CarrierIntakeCallsHandler lists carriers' calls.
type CarrierIntakeCallsHandler struct{ reader[IntakeReadModel] }

// NewCarrierIntakeCallsHandler returns the handler over rm.
var NewCarrierIntakeCallsHandler = newReader[CarrierIntakeCallsHandler, IntakeReadModel]

// Handle lists the carrier's calls for its staff and the district.
func (h CarrierIntakeCallsHandler) Handle(ctx context.Context, q CarrierIntakeCalls) ([]*domain.IntakeCall, int, error) {
	return inCarrier(ctx, h.reader, q.Actor, q.CarrierID, "intake_call", func(ctx context.Context) ([]*domain.IntakeCall, int, error) {
		return h.rm.ListIntakeCalls(ctx, app.CallFilter{CarrierID: q.CarrierID, Status: q.Status}, q.Page)
	})
}

// inCarrier is a page list reads, in one snapshot, for who may read obj
// in the carrier.
func inCarrier[T any](ctx context.Context, h reader[IntakeReadModel], actor app.Actor, carrierID, obj string,
	list func(ctx context.Context) ([]T, int, error)) ([]T, int, error) {
	return inSnapshot(ctx, h.rm.Snapshot, func(ctx context.Context) ([]T, int, error) {
		if _, err := app.AuthorizeCarrier(ctx, h.rm, h.authz, actor, carrierID, obj, "read"); err != nil {
			return nil, 0, err
		}
		return list(ctx)
	})
}

// RegionIntakeCalls is a page of a region's calls; OpenOnly is the public
// listing of the calls open today.
type RegionIntakeCalls struct {
	Actor    app.Actor
	RegionID string
	OpenOnly bool
	Page     list.Params
}

// RegionIntakeCallsHandler lists regions' calls.
type RegionIntakeCallsHandler struct {
	reader[IntakeReadModel]
	now func() time.Time
}

// NewRegionIntakeCallsHandler returns the handler over rm; now says which
// calls are open today.
func NewRegionIntakeCallsHandler(rm IntakeReadModel, e *authz.Enforcer, now func() time.Time) RegionIntakeCallsHandler {
	return RegionIntakeCallsHandler{reader: reader[IntakeReadModel]{rm, e}, now: now}
}

// Handle lists the region's calls: with OpenOnly any signed-in user sees
// the calls open today; the full list is for those who read calls across
// the region.
func (h RegionIntakeCallsHandler) Handle(ctx context.Context, q RegionIntakeCalls) ([]*domain.IntakeCall, int, error) {
	return signedInSnapshot(ctx, q.Actor, h.rm.Snapshot, func(ctx context.Context) ([]*domain.IntakeCall, int, error) {
		ok, err := h.rm.RegionExists(ctx, q.RegionID)
		if err != nil {
			return nil, 0, err
		}
		if !ok {
			return nil, 0, apperr.NotFoundErr("region-not-found")
		}
		f := app.CallFilter{RegionID: q.RegionID}
		if q.OpenOnly {
			today := calendar.Today(h.now())
			f.Status, f.OpenOn = domain.CallOpen, &today
		} else if err := h.authz.Decide(authz.Request{UserID: q.Actor.UserID, Scopes: []authz.Scope{{RegionID: q.RegionID}}, Object: "intake_call", Action: "read",
			CanSee: authz.Always}); err != nil {
			return nil, 0, err // the open calls are public: every signed-in user knows the region
		}
		return h.rm.ListIntakeCalls(ctx, f, q.Page)
	})
}

// GetApplication is an application read by Actor.
type GetApplication struct {
	Actor         app.Actor
	ApplicationID string
}

// GetApplicationHandler reads applications.
type GetApplicationHandler struct{ reader[IntakeReadModel] }

// NewGetApplicationHandler returns the handler over rm.
var NewGetApplicationHandler = newReader[GetApplicationHandler, IntakeReadModel]

// Handle returns an application the actor may see, with its call and,
// for the carrier's staff and the district, its reviews.
func (h GetApplicationHandler) Handle(ctx context.Context, q GetApplication) (app.ApplicationDetail, error) {
	return app.SignedInWithin(ctx, q.Actor, h.rm.Snapshot, func(ctx context.Context) (app.ApplicationDetail, error) {
		x, err := h.rm.GetApplication(ctx, q.ApplicationID)
		if err != nil {
			return app.ApplicationDetail{}, err
		}
		if err := app.AuthorizeApplication(h.authz, q.Actor, x, "read"); err != nil {
			return app.ApplicationDetail{}, err
		}
		d := app.ApplicationDetail{Application: x}
		if d.Call, err = h.rm.GetIntakeCall(ctx, x.CallID); err != nil {
			return app.ApplicationDetail{}, err
		}
		// Reviews are internal to the carrier: the company's own scope
		// is left out so startup members never qualify.
		if h.authz.Can(q.Actor.UserID, authz.Scope{RegionID: x.RegionID, CarrierID: x.CarrierID}, "application", "read") {
			if d.Reviews, err = h.rm.ListReviews(ctx, x.ID); err != nil {
				return app.ApplicationDetail{}, err
			}
			if d.Reviews == nil {
				d.Reviews = []domain.ApplicationReview{}
			}
		}
		return d, nil
	})
}

// CarrierApplications is the operator inbox: a page of a carrier's
// submitted applications (never drafts).
type CarrierApplications struct {
	Actor     app.Actor
	CarrierID string
	Status    domain.AppStatus // empty: any
	Page      list.Params
}

// CarrierApplicationsHandler lists carriers' applications.
type CarrierApplicationsHandler struct{ reader[IntakeReadModel] }

// NewCarrierApplicationsHandler returns the handler over rm.
var NewCarrierApplicationsHandler = newReader[CarrierApplicationsHandler, IntakeReadModel]

// Handle lists the carrier's applications by status, searchable by
// company name.
func (h CarrierApplicationsHandler) Handle(ctx context.Context, q CarrierApplications) ([]app.ApplicationItem, int, error) {
	return inCarrier(ctx, h.reader, q.Actor, q.CarrierID, "application", func(ctx context.Context) ([]app.ApplicationItem, int, error) {
		return h.rm.ListApplications(ctx, app.ApplicationFilter{CarrierID: q.CarrierID, Status: q.Status, ExcludeDraft: true}, q.Page)
	})
}

// CompanyApplications is a company's applications.
type CompanyApplications struct {
	Actor     app.Actor
	CompanyID string
}

// CompanyApplicationsHandler lists companies' applications.
type CompanyApplicationsHandler struct{ reader[IntakeReadModel] }

// NewCompanyApplicationsHandler returns the handler over rm.
var NewCompanyApplicationsHandler = newReader[CompanyApplicationsHandler, IntakeReadModel]

// Handle lists the company's applications the actor may see: all of them
// for the company and the district, the ones to their own carrier for
// park staff.
func (h CompanyApplicationsHandler) Handle(ctx context.Context, q CompanyApplications) ([]app.ApplicationItem, error) {
	return ofCompany(ctx, h.reader, q.Actor, q.CompanyID, "company", "read", func(ctx context.Context, co *domain.Company) ([]app.ApplicationItem, error) {
		all, _, err := h.rm.ListApplications(ctx, app.ApplicationFilter{CompanyID: co.ID}, list.First(1000))
		if err != nil {
			return nil, err
		}
		out := []app.ApplicationItem{}
		for _, it := range all {
			if h.authz.Can(q.Actor.UserID, app.ApplicationScope(it.Application), "application", "read") {
				out = append(out, it)
			}
		}
		return out, nil
	})
}
