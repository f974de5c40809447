package app

import (
	"context"
	"time"

	"github.com/incuchain/incuchain/pkg/apperr"
	"github.com/incuchain/incuchain/pkg/authz"
	"github.com/incuchain/incuchain/pkg/events"
	"github.com/incuchain/incuchain/pkg/list"
	"github.com/incuchain/incuchain/services/incubatees/internal/domain"
)

// CallFilter narrows a list of intake calls.
type CallFilter struct {
	RegionID  string
	CarrierID string
	Status    domain.CallStatus // empty: any
	OpenOn    *time.Time        // when set, only calls whose dates include this day
}

// ApplicationFilter narrows a list of applications.
type ApplicationFilter struct {
	CarrierID    string
	CompanyID    string
	CallID       string
	Status       domain.AppStatus // empty: any
	ExcludeDraft bool
}

// ApplicationItem is an application in a list, with its company's name
// and its call's title.
type ApplicationItem struct {
	*domain.Application
	CompanyNameZH string
	CallTitleZH   string
}

// IntakeTx stores intake calls, applications and reviews.
// CompanyDocument is what this service knows of a document.
type CompanyDocument struct {
	ID, CompanyID, RegionID string
	Status                  domain.MaterialStatus
	At                      time.Time
}

type IntakeTx interface {
	InsertIntakeCall(ctx context.Context, c *domain.IntakeCall, createdBy string) error
	UpdateIntakeCall(ctx context.Context, c *domain.IntakeCall) error
	GetIntakeCall(ctx context.Context, id string) (*domain.IntakeCall, error)
	ListIntakeCalls(ctx context.Context, f CallFilter, p list.Params) ([]*domain.IntakeCall, int, error)

	InsertApplication(ctx context.Context, a *domain.Application) error
	UpdateApplication(ctx context.Context, a *domain.Application) error
	GetApplication(ctx context.Context, id string) (*domain.Application, error)
	// LockApplication is GetApplication holding the row until the
	// transaction ends, for changes that must see the latest materials.
	LockApplication(ctx context.Context, id string) (*domain.Application, error)
	// UpdateApplicationMaterials writes only the material slots (and
	// updated_at); UpdateApplication never writes them.
	UpdateApplicationMaterials(ctx context.Context, a *domain.Application) error
	// PutCompanyDocument records what a documents event says of one
	// document; a deletion is final, and an older change never replaces
	// a newer one.
	PutCompanyDocument(ctx context.Context, d CompanyDocument) error
	// CompanyDocument returns one (NotFound when this service never heard of it).
	CompanyDocument(ctx context.Context, id string) (CompanyDocument, error)
	ListApplications(ctx context.Context, f ApplicationFilter, p list.Params) ([]ApplicationItem, int, error)
	// CountApplications counts a call's applications in status.
	CountApplications(ctx context.Context, callID string, status domain.AppStatus) (int, error)
	// LiveApplication reports whether the company has a non-final
	// application to the call.
	LiveApplication(ctx context.Context, callID, companyID string) (bool, error)

	PutReview(ctx context.Context, r domain.ApplicationReview) error
	ListReviews(ctx context.Context, applicationID string) ([]domain.ApplicationReview, error)
}

func intakeCallPayload(c *domain.IntakeCall) events.IntakeCallV1 {
	return events.IntakeCallV1{CallID: c.ID, RegionID: c.RegionID, CarrierID: c.CarrierID, TitleZH: c.Fields.TitleZH, TitleEN: c.Fields.TitleEN,
		OpensOn: c.Fields.OpensOn.Format(time.DateOnly), ClosesOn: c.Fields.ClosesOn.Format(time.DateOnly),
		Materials: c.Fields.Materials, Capacity: c.Fields.Capacity, Status: string(c.Status)}
}

func intakeAppPayload(x *domain.Application) events.ApplicationV1 {
	return events.ApplicationV1{ApplicationID: x.ID, CallID: x.CallID, CompanyID: x.CompanyID, CarrierID: x.CarrierID, RegionID: x.RegionID, Status: string(x.Status)}
}

// loadIntakeCall loads a call and authorizes act on it. Open and closed
// calls are public to every signed-in user (reading only); drafts only to
// those who may read the carrier's calls.
func (a *App) loadIntakeCall(ctx context.Context, tx Tx, actor Actor, id, act string) (*domain.IntakeCall, error) {
	if err := authz.Authenticated(actor.UserID); err != nil {
		return nil, err
	}
	c, err := tx.GetIntakeCall(ctx, id)
	if err != nil {
		return nil, err
	}
	public := c.Status != domain.CallDraft
	if act == "read" && public {
		return c, nil
	}
	s := []authz.Scope{{RegionID: c.RegionID, CarrierID: c.CarrierID}}
	see := a.authz.MayRead(actor.UserID, "intake_call", s...)
	if public {
		see = authz.Always
	}
	if err := a.authz.Decide(authz.Request{UserID: actor.UserID, Scopes: s, Object: "intake_call", Action: act, CanSee: see, NotFound: "intake-call-not-found"}); err != nil {
		return nil, err
	}
	return c, nil
}

// CreateIntakeCall creates a draft call of a carrier.
func (a *App) CreateIntakeCall(ctx context.Context, actor Actor, carrierID string, f domain.CallFields) (*domain.IntakeCall, error) {
	var c *domain.IntakeCall
	err := a.store.Write(ctx, func(ctx context.Context, tx Tx) error {
		car, err := a.authorizeCarrier(ctx, tx, actor, carrierID, "intake_call", "create")
		if err != nil {
			return err
		}
		if c, err = domain.NewIntakeCall(events.NewID(), car.RegionID, car.ID, f, a.now()); err != nil {
			return err
		}
		if err := tx.InsertIntakeCall(ctx, c, actor.UserID); err != nil {
			return err
		}
		return a.intakeCallChanged(ctx, tx, actor, c, "intake_call.create", events.IntakeCallCreatedV1{IntakeCallV1: intakeCallPayload(c)})
	})
	return c, err
}

func (a *App) intakeCallChanged(ctx context.Context, tx Tx, actor Actor, c *domain.IntakeCall, action string, p events.Payload) error {
	if err := a.publish(ctx, tx, events.Scope{RegionID: c.RegionID, CarrierID: c.CarrierID}, actor, c.ID, p); err != nil {
		return err
	}
	return tx.Audit(ctx, AuditEntry{Actor: actor.UserID, Action: action, ObjectID: c.ID, RegionID: c.RegionID, CarrierID: c.CarrierID,
		Detail: map[string]any{"title_zh": c.Fields.TitleZH, "status": string(c.Status)}})
}

// GetIntakeCall returns a call the actor may see.
func (a *App) GetIntakeCall(ctx context.Context, actor Actor, id string) (*domain.IntakeCall, error) {
	var c *domain.IntakeCall
	err := a.store.Read(ctx, func(ctx context.Context, tx Tx) error {
		var err error
		c, err = a.loadIntakeCall(ctx, tx, actor, id, "read")
		return err
	})
	return c, err
}

// UpdateIntakeCall replaces a call's details (the form only while draft).
func (a *App) UpdateIntakeCall(ctx context.Context, actor Actor, id string, edit func(f *domain.CallFields)) (*domain.IntakeCall, error) {
	var c *domain.IntakeCall
	err := a.store.Write(ctx, func(ctx context.Context, tx Tx) error {
		var err error
		if c, err = a.loadIntakeCall(ctx, tx, actor, id, "update"); err != nil {
			return err
		}
		f := c.Fields
		edit(&f)
		if err := c.Update(f, a.now()); err != nil {
			return err
		}
		if err := tx.UpdateIntakeCall(ctx, c); err != nil {
			return err
		}
		return a.intakeCallChanged(ctx, tx, actor, c, "intake_call.update", events.IntakeCallUpdatedV1{IntakeCallV1: intakeCallPayload(c)})
	})
	return c, err
}

// OpenIntakeCall starts taking applications.
func (a *App) OpenIntakeCall(ctx context.Context, actor Actor, id string) (*domain.IntakeCall, error) {
	return a.moveIntakeCall(ctx, actor, id, true)
}

// CloseIntakeCall stops taking applications.
func (a *App) CloseIntakeCall(ctx context.Context, actor Actor, id string) (*domain.IntakeCall, error) {
	return a.moveIntakeCall(ctx, actor, id, false)
}

func (a *App) moveIntakeCall(ctx context.Context, actor Actor, id string, open bool) (*domain.IntakeCall, error) {
	var c *domain.IntakeCall
	err := a.store.Write(ctx, func(ctx context.Context, tx Tx) error {
		var err error
		if c, err = a.loadIntakeCall(ctx, tx, actor, id, "update"); err != nil {
			return err
		}
		if open {
			if err := c.Open(a.now()); err != nil {
				return err
			}
		} else if err := c.Close(a.now()); err != nil {
			return err
		}
		if err := tx.UpdateIntakeCall(ctx, c); err != nil {
			return err
		}
		if open {
			return a.intakeCallChanged(ctx, tx, actor, c, "intake_call.open", events.IntakeCallOpenedV1{IntakeCallV1: intakeCallPayload(c)})
		}
		return a.intakeCallChanged(ctx, tx, actor, c, "intake_call.close", events.IntakeCallClosedV1{IntakeCallV1: intakeCallPayload(c)})
	})
	return c, err
}

// ListCarrierIntakeCalls lists a carrier's calls for its staff and the
// district.
func (a *App) ListCarrierIntakeCalls(ctx context.Context, actor Actor, carrierID string, status domain.CallStatus, p list.Params) ([]*domain.IntakeCall, int, error) {
	var out []*domain.IntakeCall
	var total int
	err := a.store.Read(ctx, func(ctx context.Context, tx Tx) error {
		if _, err := a.authorizeCarrier(ctx, tx, actor, carrierID, "intake_call", "read"); err != nil {
			return err
		}
		var err error
		out, total, err = tx.ListIntakeCalls(ctx, CallFilter{CarrierID: carrierID, Status: status}, p)
		return err
	})
	return out, total, err
}

// ListRegionIntakeCalls lists the calls of a region. With openOnly (the
// public listing) any signed-in user sees the calls open today; the full
// list is for those who read calls across the region.
func (a *App) ListRegionIntakeCalls(ctx context.Context, actor Actor, regionID string, openOnly bool, p list.Params) ([]*domain.IntakeCall, int, error) {
	if err := authz.Authenticated(actor.UserID); err != nil {
		return nil, 0, err
	}
	var out []*domain.IntakeCall
	var total int
	err := a.store.Read(ctx, func(ctx context.Context, tx Tx) error {
		ok, err := tx.RegionExists(ctx, regionID)
		if err != nil {
			return err
		}
		if !ok {
			return apperr.NotFoundErr("region-not-found")
		}
		f := CallFilter{RegionID: regionID}
		if openOnly {
			today := a.now()
			f.Status, f.OpenOn = domain.CallOpen, &today
		} else if err := a.authz.Decide(authz.Request{UserID: actor.UserID, Scopes: []authz.Scope{{RegionID: regionID}}, Object: "intake_call", Action: "read",
			CanSee: authz.Always}); err != nil {
			return err // the open calls are public: every signed-in user knows the region
		}
		out, total, err = tx.ListIntakeCalls(ctx, f, p)
		return err
	})
	return out, total, err
}
