// Package command holds the incubatees use cases that change state, one
// per file: a Handler with its own small repository interface and a
// Handle(ctx, cmd) method. The repository owns the transaction: its
// Update loads the aggregate, runs the handler's function, saves, and
// writes the returned events to the outbox with their audit lines.
// Every use case that changes state lives here: companies and membership,
// intake calls and applications, residencies, promotions, enrolment
// offers and rule packs, reports and the ladder.
package command

import (
	"context"
	"time"

	"github.com/incuchain/incuchain/pkg/apperr"
	"github.com/incuchain/incuchain/pkg/authz"
	"github.com/incuchain/incuchain/pkg/calendar"
	"github.com/incuchain/incuchain/pkg/events"
	"github.com/incuchain/incuchain/services/incubatees/internal/app"
	"github.com/incuchain/incuchain/services/incubatees/internal/domain"
)

// handler is what a command handler holds: its repository, the enforcer
// that authorizes its caller and the clock.
type handler[R any] struct {
	repo  R
	authz *authz.Enforcer
	now   func() time.Time
}

// newHandler is the constructor of every command handler H that holds
// nothing but handler[R]: NewXHandler(repo, enforcer, now).
func newHandler[H ~struct{ handler[R] }, R any](repo R, e *authz.Enforcer, now func() time.Time) H {
	return H{handler[R]{repo, e, now}}
}

// handlerWith is a handler whose use case also changes a second aggregate
// through that aggregate's own repository, aggregates (promotions,
// enrolment offers, rule packs): two Update methods cannot share one Go
// interface.
type handlerWith[R, A any] struct {
	handler[R]
	aggregates A
}

// newHandlerWith is the constructor of every command handler H that holds
// nothing but handlerWith[R, A]: NewXHandler(repo, aggregates, enforcer, now).
func newHandlerWith[H ~struct{ handlerWith[R, A] }, R, A any](repo R, aggregates A, e *authz.Enforcer, now func() time.Time) H {
	return H{handlerWith[R, A]{handler[R]{repo, e, now}, aggregates}}
}

// ChangeFunc changes a loaded aggregate and returns what its repository
// saves with it: the events to publish, or the change (app.Change).
type ChangeFunc[T, C any] = func(ctx context.Context, x T) (C, error)

// updater is an aggregate repository's Update: it loads aggregate id in
// its transaction, runs fn and saves what fn returns.
type updater[T, C any] interface {
	Update(ctx context.Context, actor app.Actor, id string, fn ChangeFunc[T, C]) error
}

// adder is an aggregate repository's Add of a new aggregate with the
// events it publishes.
type adder[T any] interface {
	Add(ctx context.Context, actor app.Actor, x T, evs ...events.Payload) error
}

// UpdateFunc changes a loaded residency and returns the events to publish.
type UpdateFunc = ChangeFunc[*domain.Residency, []events.Payload]

// residencyReads are the reads every residency command makes.
type residencyReads interface {
	GetCompany(ctx context.Context, id string) (*domain.Company, error)
	GetCarrier(ctx context.Context, id string) (app.Carrier, error)
}

// authorizeResidency lets act on r through; else 403 to who may read it
// and 404 to everyone else.
func authorizeResidency(e *authz.Enforcer, actor app.Actor, r *domain.Residency, act string) error {
	return app.AuthorizeResidency(e, actor, r, act)
}

// residencyUpdater is the residency repository's Update.
type residencyUpdater = updater[*domain.Residency, []events.Payload]

// updateResidency is the load → decide → update step of a use case that
// changes one residency: for a signed-in actor who may update it, change
// runs on it in the repository's transaction; the answer is the residency
// as changed.
func updateResidency(ctx context.Context, repo residencyUpdater, e *authz.Enforcer, actor app.Actor, id string, change UpdateFunc) (*domain.Residency, error) {
	return updateLoaded(ctx, actor, repo.Update, id, func(_ context.Context, r *domain.Residency) error {
		return authorizeResidency(e, actor, r, "update")
	}, change)
}

// updateLoaded is the load → decide → update step every aggregate's
// change shares: for a signed-in actor (401 to anyone else), update loads
// aggregate id in its transaction, authorize lets the actor through, and
// change decides what to save (the events, or the change, to publish);
// the answer is the aggregate as changed.
func updateLoaded[T, C any](ctx context.Context, actor app.Actor,
	update func(ctx context.Context, actor app.Actor, id string, fn ChangeFunc[T, C]) error,
	id string, authorize func(ctx context.Context, x T) error, change ChangeFunc[T, C]) (T, error) {
	var out T
	if err := authz.Authenticated(actor.UserID); err != nil {
		return out, err
	}
	err := update(ctx, actor, id, func(ctx context.Context, x T) (C, error) {
		if err := authorize(ctx, x); err != nil {
			var zero C
			return zero, err
		}
		out = x
		return change(ctx, x)
	})
	return out, err
}

// authorized lets every signed-in actor through: for a change whose
// caller was authorized before the aggregate was loaded.
func authorized[T any](context.Context, T) error { return nil }

// transactor runs fn in one transaction (joining the context's, if any).
type transactor interface {
	Transaction(ctx context.Context, fn func(ctx context.Context) error) error
}

// residencyGetter reads one residency.
type residencyGetter interface {
	GetResidency(ctx context.Context, id string) (*domain.Residency, error)
}

// residencyFor is the residency id for a use case that may act on it
// (authorizeResidency).
func residencyFor(ctx context.Context, repo residencyGetter, e *authz.Enforcer, actor app.Actor, id, act string) (*domain.Residency, error) {
	r, err := repo.GetResidency(ctx, id)
	if err != nil {
		return nil, err
	}
	return r, authorizeResidency(e, actor, r, act)
}

// membershipReader reads a user's membership of a company.
type membershipReader interface {
	GetMembership(ctx context.Context, companyID, userID string) (domain.Membership, error)
}

// memberOf is userID's membership of company companyID; a missing one is
// not found as notFound.
func memberOf(ctx context.Context, repo membershipReader, companyID, userID, notFound string) (domain.Membership, error) {
	m, err := repo.GetMembership(ctx, companyID, userID)
	if apperr.Is(err, apperr.NotFound) {
		return domain.Membership{}, apperr.NotFoundErr(notFound)
	}
	return m, err
}

// companyAdmin lets an active admin of the company through; else 403
// (not-company-admin) to who may see what they answer (seen), 404 (notFound)
// to everyone else.
func companyAdmin(ctx context.Context, repo membershipReader, actor app.Actor, companyID string, seen bool, notFound string) error {
	m, err := repo.GetMembership(ctx, companyID, actor.UserID)
	if err != nil && !apperr.Is(err, apperr.NotFound) {
		return err
	}
	if err == nil && m.Status == domain.Active && m.Role == domain.CompanyAdmin {
		return nil
	}
	if seen {
		return apperr.ForbiddenErr("not-company-admin")
	}
	return apperr.NotFoundErr(notFound)
}

// enrolmentView is an offer with the carrier's names, and the company's
// when the caller may see it.
func enrolmentView(ctx context.Context, repo residencyReads, o *domain.EnrolmentOffer, withCompany bool) (app.EnrolmentView, error) {
	carrier, err := repo.GetCarrier(ctx, o.CarrierID())
	if err != nil {
		return app.EnrolmentView{}, err
	}
	v := app.EnrolmentView{EnrolmentOffer: *o, CarrierNameZH: carrier.NameZH, CarrierNameEN: carrier.NameEN}
	if withCompany {
		co, err := repo.GetCompany(ctx, o.CompanyID())
		if err != nil {
			return app.EnrolmentView{}, err
		}
		v.CompanyNameZH = co.Fields.NameZH
	}
	return v, nil
}

// payload is r as its events carry it.
func payload(ctx context.Context, repo residencyReads, r *domain.Residency) (events.ResidencyV1, error) {
	co, err := repo.GetCompany(ctx, r.CompanyID())
	if err != nil {
		return events.ResidencyV1{}, err
	}
	c, err := repo.GetCarrier(ctx, r.CarrierID())
	if err != nil {
		return events.ResidencyV1{}, err
	}
	return app.ResidencyPayload(r, string(co.USCC), c), nil
}

// opener is what opening a residency needs.
type opener interface {
	residencyReads
	elsewhereReader
	OpenResidencyAt(ctx context.Context, companyID, carrierID string) (*domain.Residency, error)
	adder[*domain.Residency]
	LinkCarrier(ctx context.Context, companyID, carrierID string, since time.Time) error
}

// openResidency opens an admitted residency of a company at carrier; the
// carrier's staff may see the company from now on.
func openResidency(ctx context.Context, repo opener, actor app.Actor, companyID string, carrier app.Carrier, src domain.ResidencySource, admittedOn, now time.Time) (*domain.Residency, error) {
	if _, err := repo.OpenResidencyAt(ctx, companyID, carrier.ID); err == nil {
		return nil, apperr.ConflictErr("residency-exists").With("carrier_name", carrier.NameZH)
	} else if !apperr.Is(err, apperr.NotFound) {
		return nil, err
	}
	r, err := domain.NewResidency(events.NewID(), companyID, carrier.ID, carrier.RegionID, src, calendar.Today(admittedOn), now)
	if err != nil {
		return nil, err
	}
	co, err := repo.GetCompany(ctx, companyID)
	if err != nil {
		return nil, err
	}
	flag, err := dualFlag(ctx, repo, co, r, carrier, src)
	if err != nil {
		return nil, err
	}
	evs := append([]events.Payload{events.ResidencyAdmittedV1{ResidencyV1: app.ResidencyPayload(r, string(co.USCC), carrier)}}, flag...)
	if err := repo.Add(ctx, actor, r, evs...); err != nil {
		return nil, err
	}
	return r, repo.LinkCarrier(ctx, companyID, carrier.ID, now)
}

// mover is what a move-in needs.
type mover interface {
	residencyReads
	InResidenceElsewhere(ctx context.Context, companyID, uscc, exceptID string) ([]app.ResidencyView, error)
	// SeededRulePack is the region's latest pack; a region without one
	// gets the national pack as version 1 in this transaction.
	SeededRulePack(ctx context.Context, regionID string) (domain.RulePack, error)
}

// moveIn moves r in with the term end of the region's latest pack.
func moveIn(ctx context.Context, repo mover, r *domain.Residency, f domain.MoveInFacts, now time.Time) ([]events.Payload, error) {
	if err := r.CanMoveIn(f, now); err != nil {
		return nil, err
	}
	co, err := repo.GetCompany(ctx, r.CompanyID())
	if err != nil {
		return nil, err
	}
	// One company, one carrier at a time: never counted twice.
	others, err := repo.InResidenceElsewhere(ctx, r.CompanyID(), string(co.USCC), r.ID())
	if err != nil {
		return nil, err
	}
	if len(others) > 0 {
		o := others[0]
		return nil, apperr.ConflictErr("already-in-residence").With("carrier_id", o.CarrierID()).With("carrier_name", o.CarrierNameZH).
			With("residency_id", o.ID())
	}
	pack, err := repo.SeededRulePack(ctx, r.RegionID())
	if err != nil {
		return nil, err
	}
	if err := r.MoveIn(f, domain.TermEnd(f.On, pack.TermFor(co.Fields.IndustryCode)), pack.Version, now); err != nil {
		return nil, err
	}
	c, err := repo.GetCarrier(ctx, r.CarrierID())
	if err != nil {
		return nil, err
	}
	return []events.Payload{events.ResidencyMovedInV1{ResidencyV1: app.ResidencyPayload(r, string(co.USCC), c)}}, nil
}
