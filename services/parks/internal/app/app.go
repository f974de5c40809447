// Package app holds the parks service's use cases: one exported method per
// command or query, each in its own file, each authorizing its caller with
// the Casbin enforcer before it reads or writes.
package app

import (
	"context"
	"log/slog"
	"strings"
	"time"

	"github.com/incuchain/incuchain/pkg/apperr"
	"github.com/incuchain/incuchain/pkg/authz"
	"github.com/incuchain/incuchain/pkg/bus"
	"github.com/incuchain/incuchain/pkg/events"
	"github.com/incuchain/incuchain/pkg/linkseal"
	"github.com/incuchain/incuchain/pkg/list"
)

// App is the parks service's use cases.
type App struct {
	store Store
	authz *authz.Enforcer
	log   *slog.Logger
	now   func() time.Time
	// AcceptURL builds the link sent with an invitation.
	acceptURL func(token string) string
	// linkKey seals that link for the notifications service (nil: the
	// invitation is not mailed, its link is only answered to the inviter).
	linkKey *linkseal.Key
}

// New returns the use cases over store, enforcing with e. publicURL is
// asked for the console's address each time a link is made: in the
// all-in-one it is known only once the gateway listens.
func New(store Store, e *authz.Enforcer, log *slog.Logger, publicURL func() string, linkKey *linkseal.Key) *App {
	return &App{store: store, authz: e, log: log, now: func() time.Time { return time.Now().UTC() }, linkKey: linkKey,
		acceptURL: func(token string) string { return strings.TrimRight(publicURL(), "/") + "/invitations/" + token }}
}

// Actor is who calls a use case; UserID is empty for anonymous callers.
type Actor struct {
	UserID string
}

// authorize decides act on obj in scope by authz.Decide's default
// visibility: who may read obj there sees it.
func (a *App) authorize(actor Actor, s authz.Scope, obj, act, notFoundSlug string) error {
	return a.authz.Decide(authz.Request{UserID: actor.UserID, Scopes: []authz.Scope{s}, Object: obj, Action: act, NotFound: notFoundSlug})
}

// regionScope authorizes reading region regionID: district roles of the
// region, or staff of one of its carriers. It returns the ids of the
// carriers visible to the actor (nil when all are).
func (a *App) visibleCarriers(ctx context.Context, tx Tx, actor Actor, regionID string) ([]string, error) {
	if err := authz.Authenticated(actor.UserID); err != nil {
		return nil, err
	}
	if a.authz.Can(actor.UserID, authz.Scope{RegionID: regionID}, "carrier", "read") {
		return nil, nil
	}
	var ids []string
	for _, as := range a.authz.Assignments(actor.UserID) {
		if id, ok := strings.CutPrefix(as.Domain, "carrier:"); ok {
			ids = append(ids, id)
		}
	}
	cs, err := tx.CarriersByIDs(ctx, ids)
	if err != nil {
		return nil, err
	}
	own := []string{}
	for _, c := range cs {
		if c.RegionID() == regionID && a.authz.Can(actor.UserID, authz.Scope{RegionID: regionID, CarrierID: c.ID()}, "carrier", "read") {
			own = append(own, c.ID())
		}
	}
	if len(own) == 0 {
		return nil, apperr.NotFoundErr("region-not-found")
	}
	return own, nil
}

// platformAct decides a platform-wide act (regions, accounts): everyone
// knows the platform exists, so a refusal is 403.
func (a *App) platformAct(actor Actor, obj, act string) error {
	return a.authz.DecideOnPlatform(actor.UserID, obj, act)
}

// regionVisible is the visibility rule of a region: its district roles,
// and the staff of one of its carriers, know it exists.
func (a *App) regionVisible(ctx context.Context, tx Tx, actor Actor, regionID string) func() (bool, error) {
	return func() (bool, error) {
		_, err := a.visibleCarriers(ctx, tx, actor, regionID)
		if apperr.Is(err, apperr.NotFound) {
			return false, nil
		}
		return err == nil, err
	}
}

// publish queues the event p of aggregateID, by actor, in tx's outbox.
func (a *App) publish(ctx context.Context, tx Tx, scope events.Scope, actor Actor, aggregateID string, p events.Payload) error {
	ev, err := events.New(scope, actor.UserID, aggregateID, p)
	if err != nil {
		return err
	}
	return tx.Publish(ctx, ev)
}

// unlessTaken passes on the error of a query whether a value is taken,
// or refuses the value with a conflict on field, named slug, when it is.
func unlessTaken(slug, field string) func(taken bool, err error) error {
	return func(taken bool, err error) error {
		if err != nil || !taken {
			return err
		}
		return duplicate(slug, field)
	}
}

// duplicate is the refusal of a value of field that another row has.
func duplicate(slug, field string) error {
	e := apperr.ConflictErr(slug)
	e.Fields = []apperr.FieldError{{Field: field, Code: "duplicate"}}
	return e
}

// readPage runs page, one list query, in a read transaction.
func readPage[T any](ctx context.Context, s Store, page func(ctx context.Context, tx Tx) ([]T, int, error)) ([]T, int, error) {
	return bus.FetchPage(ctx, s.Read, page)
}

func listAll(page int) list.Params {
	return list.Params{Page: page, PageSize: 200, Sort: "name"}
}
