package app

import (
	"context"
	"time"

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

// CompanyDocument is what this service knows of a document.
type CompanyDocument struct {
	ID, CompanyID, RegionID string
	Type, Filename          string // the kind of material and the original file name
	Status                  domain.MaterialStatus
	At                      time.Time
	VerifiedAt              *time.Time // when its latest version was verified; nil unless Status is verified
}

// IntakeTx stores intake calls, applications and reviews.
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
	// VerifiedDocuments is the company's documents whose latest version is
	// verified, oldest verification first.
	VerifiedDocuments(ctx context.Context, companyID string) ([]CompanyDocument, error)
	ListApplications(ctx context.Context, f ApplicationFilter, p list.Params) ([]ApplicationItem, int, error)
	// CountApplications counts a call's applications in status.
	CountApplications(ctx context.Context, callID string, status domain.AppStatus) (int, error)
	// LiveApplication reports whether the company has a non-final
	// application to the call.
	LiveApplication(ctx context.Context, callID, companyID string) (bool, error)

	PutReview(ctx context.Context, r domain.ApplicationReview) error
	ListReviews(ctx context.Context, applicationID string) ([]domain.ApplicationReview, error)
}

// IntakeCallPayload is c as its events carry it.
func IntakeCallPayload(c *domain.IntakeCall) events.IntakeCallV1 {
	return events.IntakeCallV1{CallID: c.ID, RegionID: c.RegionID, CarrierID: c.CarrierID, TitleZH: c.Fields.TitleZH, TitleEN: c.Fields.TitleEN,
		OpensOn: c.Fields.OpensOn.Format(time.DateOnly), ClosesOn: c.Fields.ClosesOn.Format(time.DateOnly),
		Materials: c.Fields.Materials, Capacity: c.Fields.Capacity, Status: string(c.Status)}
}

// IntakeCallChange is the change of call c announced by ev: seen from
// its carrier, audited as action with its title and status.
func IntakeCallChange(c *domain.IntakeCall, action string, ev events.Payload) Change {
	return Change{Scope: events.Scope{RegionID: c.RegionID, CarrierID: c.CarrierID}, Events: []events.Payload{ev}, Action: action,
		Detail: map[string]any{"title_zh": c.Fields.TitleZH, "status": string(c.Status)}}
}

// AuthorizeIntakeCall authorizes act on call c. Open and closed calls are
// public to every signed-in user (reading only); drafts only to those who
// may read the carrier's calls.
func AuthorizeIntakeCall(e *authz.Enforcer, actor Actor, c *domain.IntakeCall, act string) error {
	if err := authz.Authenticated(actor.UserID); err != nil {
		return err
	}
	public := c.Status != domain.CallDraft
	if act == "read" && public {
		return nil
	}
	s := []authz.Scope{{RegionID: c.RegionID, CarrierID: c.CarrierID}}
	see := e.MayRead(actor.UserID, "intake_call", s...)
	if public {
		see = authz.Always
	}
	return e.Decide(authz.Request{UserID: actor.UserID, Scopes: s, Object: "intake_call", Action: act, CanSee: see, NotFound: "intake-call-not-found"})
}

// IntakeCallReader reads one call.
type IntakeCallReader interface {
	GetIntakeCall(ctx context.Context, id string) (*domain.IntakeCall, error)
}

// LoadIntakeCall loads call id for an actor AuthorizeIntakeCall lets act
// on it.
func LoadIntakeCall(ctx context.Context, rd IntakeCallReader, e *authz.Enforcer, actor Actor, id, act string) (*domain.IntakeCall, error) {
	c, err := rd.GetIntakeCall(ctx, id)
	if err != nil {
		return nil, err
	}
	if err := AuthorizeIntakeCall(e, actor, c, act); err != nil {
		return nil, err
	}
	return c, nil
}

// CarrierReader reads the copy of a carrier.
type CarrierReader interface {
	GetCarrier(ctx context.Context, id string) (Carrier, error)
}

// AuthorizeCarrier loads carrier id and authorizes act on obj in it: 401
// anonymous, 404 when the caller cannot even see the carrier, 403 when
// they can see it but not act.
func AuthorizeCarrier(ctx context.Context, rd CarrierReader, e *authz.Enforcer, actor Actor, id, obj, act string) (Carrier, error) {
	if err := authz.Authenticated(actor.UserID); err != nil {
		return Carrier{}, err
	}
	c, err := rd.GetCarrier(ctx, id)
	if err != nil {
		return Carrier{}, err
	}
	if err := AuthorizeInCarrier(e, actor, c, obj, act); err != nil {
		return Carrier{}, err
	}
	return c, nil
}
