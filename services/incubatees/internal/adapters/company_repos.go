package adapters

import (
	"context"

	"github.com/incuchain/incuchain/pkg/events"
	"github.com/incuchain/incuchain/pkg/list"
	"github.com/incuchain/incuchain/services/incubatees/internal/app"
	"github.com/incuchain/incuchain/services/incubatees/internal/domain"
)

// Companies is the company aggregate's repository: Add and Update own
// load → change → save → outbox → audit in one transaction (the
// context's, when it carries one); the reads the company commands need
// join it.
type Companies struct {
	repo
	aggregate[*domain.Company]
}

// NewCompanies returns the company repository on s.
func NewCompanies(s *Store) *Companies {
	return &Companies{repo: repo{Reads{s: s}}, aggregate: aggregate[*domain.Company]{s: s, what: "company",
		load: app.Tx.GetCompany, update: app.Tx.UpdateCompany,
		id: func(c *domain.Company) string { return c.ID }, scope: app.CompanyScope, audit: app.CompanyAudit}}
}

// Add stores a new company, created by actor, with its events and audit
// lines.
func (r *Companies) Add(ctx context.Context, actor app.Actor, c *domain.Company, evs ...events.Payload) error {
	return write(ctx, r.s, func(ctx context.Context, tx app.Tx) error {
		if err := tx.InsertCompany(ctx, c, actor.UserID); err != nil {
			return err
		}
		return r.record(ctx, tx, actor, c, evs)
	})
}

// Memberships is the membership repository: Save stores a membership with
// the role change it implies (app.MembershipEvents) and its audit line,
// in one transaction (the context's, when it carries one).
type Memberships struct{ repo }

// NewMemberships returns the membership repository on s.
func NewMemberships(s *Store) *Memberships { return &Memberships{repo{Reads{s: s}}} }

// Save stores m of company c (wasActive: whether it was active before),
// writes the role event it implies to the outbox and, when action is
// set, the audit line naming the member.
func (r *Memberships) Save(ctx context.Context, actor app.Actor, c *domain.Company, m domain.Membership, wasActive bool, action string, detail map[string]any) error {
	return write(ctx, r.s, func(ctx context.Context, tx app.Tx) error {
		if err := tx.PutMembership(ctx, m); err != nil {
			return err
		}
		return recordChange(ctx, tx, actor, m.UserID, m.UserID, c.ID,
			app.Change{Scope: app.CompanyScope(c), Events: app.MembershipEvents(c, m, wasActive), Action: action, Detail: detail})
	})
}

// recordChange writes ch's events to the outbox, published by actor on
// aggregateID, and its audit line (when ch names an action) on objectID
// of company companyID.
func recordChange(ctx context.Context, tx app.Tx, actor app.Actor, aggregateID, objectID, companyID string, ch app.Change) error {
	for _, ev := range ch.Events {
		if err := publish(ctx, tx, ch.Scope, actor, aggregateID, ev); err != nil {
			return err
		}
	}
	if ch.Action == "" {
		return nil
	}
	return tx.Audit(ctx, app.AuditEntry{Actor: actor.UserID, Action: ch.Action, ObjectID: objectID, RegionID: ch.Scope.RegionID,
		CarrierID: ch.Scope.CarrierID, CompanyID: companyID, Detail: ch.Detail})
}

// ListCompanies lists companies.
func (q Reads) ListCompanies(ctx context.Context, f app.CompanyFilter, p list.Params) ([]*domain.Company, int, error) {
	return viaPage(ctx, q.s, app.Tx.ListCompanies, f, p)
}

// ListMemberships lists a company's memberships.
func (q Reads) ListMemberships(ctx context.Context, companyID string) ([]domain.Membership, error) {
	return via(ctx, q.s, app.Tx.ListMemberships, companyID)
}

// MembershipsOfUser lists a user's memberships.
func (q Reads) MembershipsOfUser(ctx context.Context, userID string) ([]domain.Membership, error) {
	return via(ctx, q.s, app.Tx.MembershipsOfUser, userID)
}

// ActiveMemberships lists every active membership.
func (q Reads) ActiveMemberships(ctx context.Context) ([]domain.Membership, error) {
	return read(ctx, q.s, func(ctx context.Context, tx app.Tx) ([]domain.Membership, error) { return tx.ActiveMemberships(ctx) })
}

// UserByEmail reads the copy of a user by email.
func (q Reads) UserByEmail(ctx context.Context, email string) (app.User, error) {
	return via(ctx, q.s, app.Tx.UserByEmail, email)
}

// UsersByIDs reads the copies of users.
func (q Reads) UsersByIDs(ctx context.Context, ids []string) (map[string]app.User, error) {
	return via(ctx, q.s, app.Tx.UsersByIDs, ids)
}

// RegionByCode is the id of the region with code.
func (q Reads) RegionByCode(ctx context.Context, code string) (string, error) {
	return via(ctx, q.s, app.Tx.RegionByCode, code)
}
