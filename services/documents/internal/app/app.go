// Package app holds the documents service's use cases: document types,
// uploads (streamed through the service or presigned), reviews,
// downloads, deletion, checklists and the maintenance jobs. Each
// authorizes its caller with the Casbin enforcer before it reads or writes.
package app

import (
	"context"
	"log/slog"
	"time"

	"github.com/incuchain/incuchain/pkg/apperr"
	"github.com/incuchain/incuchain/pkg/authz"
	"github.com/incuchain/incuchain/pkg/blob"
	"github.com/incuchain/incuchain/pkg/events"
	"github.com/incuchain/incuchain/services/documents/internal/domain"
)

// Settings are the limits and periods the use cases apply.
type Settings struct {
	SpoolDir      string        // where streamed uploads are spooled before they are checked and stored
	CarrierQuota  int64         // bytes per carrier, every stored version counted
	Retention     time.Duration // how long a deleted document's objects stay
	PresignTTL    time.Duration // lifetime of presigned URLs (at most 15 minutes)
	OrphanGrace   time.Duration // how old an unknown object must be before reconciliation calls it orphaned
	ArchiveLimits domain.ArchiveLimits
}

// App is the documents service's use cases.
type App struct {
	store Store
	blob  Blob
	authz *authz.Enforcer
	log   *slog.Logger
	s     Settings
	now   func() time.Time
}

// New returns the use cases over store and blob, enforcing with e.
func New(store Store, b Blob, e *authz.Enforcer, s Settings, log *slog.Logger) *App {
	if s.PresignTTL <= 0 || s.PresignTTL > blob.MaxPresignTTL {
		s.PresignTTL = blob.MaxPresignTTL
	}
	if s.ArchiveLimits.MaxEntries == 0 {
		s.ArchiveLimits = domain.DefaultArchiveLimits
	}
	return &App{store: store, blob: b, authz: e, s: s, log: log, now: func() time.Time { return time.Now().UTC() }}
}

// Store returns the store (fixtures in tests write through it).
func (a *App) Store() Store { return a.store }

// SetClock replaces the clock (tests of expiry and retention).
func (a *App) SetClock(now func() time.Time) { a.now = now }

// Actor is who calls a use case; UserID is empty for anonymous callers.
type Actor struct{ UserID string }

func (a *App) publish(ctx context.Context, tx Tx, actor Actor, d *domain.Document, p events.Payload) error {
	ev, err := events.New(events.Scope{RegionID: d.RegionID(), CarrierID: d.CarrierID()}, actor.UserID, d.ID(), p)
	if err != nil {
		return err
	}
	return tx.Publish(ctx, ev)
}

// owned is what a company owns in a region, maybe handed to a carrier:
// a document or a checklist.
type owned interface {
	RegionID() string
	CarrierID() string
	CompanyID() string
}

// scopeOf is the scope the authorization of an act on o asks about.
func scopeOf(o owned) authz.Scope {
	return authz.Scope{RegionID: o.RegionID(), CarrierID: o.CarrierID(), CompanyID: o.CompanyID()}
}

// authorizeDocument lets act through when the caller may do it to d: 401
// anonymous, 404 when they cannot even read it, 403 when they can read it.
func (a *App) authorizeDocument(actor Actor, d *domain.Document, act string) error {
	return a.authz.Decide(authz.Request{UserID: actor.UserID, Scopes: []authz.Scope{scopeOf(d)}, Object: "document", Action: act, NotFound: "document-not-found"})
}

// document loads document id for the caller to act on it (authorizeDocument).
func (a *App) document(ctx context.Context, tx Tx, actor Actor, id, act string) (*domain.Document, error) {
	d, err := tx.GetDocument(ctx, id)
	if err != nil {
		return nil, err
	}
	if err := a.authorizeDocument(actor, d, act); err != nil {
		return nil, err
	}
	return d, nil
}

// authorizeCarrier authorizes act on obj in a carrier.
func (a *App) authorizeCarrier(ctx context.Context, tx Tx, actor Actor, carrierID, obj, act string) (Carrier, error) {
	if err := authz.Authenticated(actor.UserID); err != nil {
		return Carrier{}, err
	}
	c, err := tx.GetCarrier(ctx, carrierID)
	if err != nil {
		return Carrier{}, err
	}
	if err := a.authz.DecideInCarrier(actor.UserID, c.RegionID, c.ID, obj, act, "carrier"); err != nil {
		return Carrier{}, err
	}
	return c, nil
}

// companyView says which of a company's documents the caller may read:
// all of them (its members, the district), those of some carriers (park
// staff of carriers the company is linked to), or none (404).
func (a *App) companyView(ctx context.Context, tx Tx, actor Actor, companyID string) (Company, []string, error) {
	if err := authz.Authenticated(actor.UserID); err != nil {
		return Company{}, nil, err
	}
	co, err := tx.GetCompany(ctx, companyID)
	if err != nil {
		return Company{}, nil, err
	}
	if a.authz.Can(actor.UserID, authz.Scope{RegionID: co.RegionID, CompanyID: co.ID}, "document", "read") {
		return co, nil, nil
	}
	carriers, err := tx.CompanyCarriers(ctx, co.ID)
	if err != nil {
		return Company{}, nil, err
	}
	visible := []string{}
	for _, c := range carriers {
		if a.authz.Can(actor.UserID, authz.Scope{RegionID: co.RegionID, CarrierID: c}, "document", "read") {
			visible = append(visible, c)
		}
	}
	if len(visible) == 0 {
		return Company{}, nil, apperr.NotFoundErr("company-not-found")
	}
	return co, visible, nil
}

// inRegion reports whether the caller holds any role in the region (a
// district role, a carrier role there, or membership of a company there).
func (a *App) inRegion(ctx context.Context, tx Tx, userID, regionID string) (bool, error) {
	if a.authz.Can(userID, authz.Scope{RegionID: regionID}, "document_type", "read") {
		return true, nil
	}
	for _, dom := range a.authz.VisibleDomains(userID) {
		kind, id, ok := authz.ParseDomain(dom)
		if !ok {
			continue
		}
		switch kind {
		case authz.KindCarrier:
			c, err := tx.GetCarrier(ctx, id)
			if err == nil && c.RegionID == regionID {
				return true, nil
			}
		case authz.KindCompany:
			c, err := tx.GetCompany(ctx, id)
			if err == nil && c.RegionID == regionID {
				return true, nil
			}
		}
	}
	return false, nil
}

// authorizeRegion authorizes act on obj across a region: 404 when the
// region is unknown or the caller works nowhere in it, 403 when they do.
func (a *App) authorizeRegion(ctx context.Context, tx Tx, actor Actor, regionID string, exists bool, obj, act string) error {
	var scopes []authz.Scope // an unknown region: nothing allows, nobody sees it
	if exists {
		scopes = []authz.Scope{{RegionID: regionID}}
	}
	return a.authz.Decide(authz.Request{UserID: actor.UserID, Scopes: scopes, Object: obj, Action: act, NotFound: "region-not-found",
		CanSee: func() (bool, error) {
			if !exists {
				return false, nil
			}
			return a.inRegion(ctx, tx, actor.UserID, regionID)
		}})
}
