package app

import (
	"context"
	"strings"
	"time"

	"github.com/incuchain/incuchain/pkg/apperr"
	"github.com/incuchain/incuchain/pkg/authz"
	"github.com/incuchain/incuchain/pkg/events"
	"github.com/incuchain/incuchain/pkg/list"
	"github.com/incuchain/incuchain/services/incubatees/internal/domain"
)

func companyPayload(c *domain.Company) events.CompanyV1 {
	p := events.CompanyV1{CompanyID: c.ID, RegionID: c.RegionID, USCC: string(c.USCC), ProvisionalID: c.ProvisionalID,
		NameZH: c.Fields.NameZH, NameEN: c.Fields.NameEN, IndustryCode: c.Fields.IndustryCode, TechField: c.Fields.TechField}
	if c.Fields.FoundedOn != nil {
		p.FoundedOn = c.Fields.FoundedOn.Format(time.DateOnly)
	}
	return p
}

func usccTaken() error {
	e := apperr.ConflictErr("uscc-taken")
	e.Fields = []apperr.FieldError{{Field: "uscc", Code: "duplicate"}}
	return e
}

// RegisterCompany creates a company (or a team without a USCC yet) in a
// region; any signed-in person may, and becomes its company admin.
func (a *App) RegisterCompany(ctx context.Context, actor Actor, regionID, uscc string, f domain.CompanyFields) (*domain.Company, error) {
	if err := authz.Authenticated(actor.UserID); err != nil {
		return nil, err
	}
	var c *domain.Company
	err := a.store.Write(ctx, func(ctx context.Context, tx Tx) error {
		ok, err := tx.RegionExists(ctx, regionID)
		if err != nil {
			return err
		}
		if !ok {
			return apperr.NotFoundErr("region-not-found")
		}
		if c, err = domain.NewCompany(events.NewID(), regionID, uscc, f, a.now()); err != nil {
			return err
		}
		if c.USCC != "" {
			if _, err := tx.CompanyByUSCC(ctx, regionID, c.USCC); err == nil {
				return usccTaken()
			} else if !apperr.Is(err, apperr.NotFound) {
				return err
			}
		}
		if err := tx.InsertCompany(ctx, c, actor.UserID); err != nil {
			return err
		}
		scope := events.Scope{RegionID: regionID}
		if err := a.publish(ctx, tx, scope, actor, c.ID, events.CompanyRegisteredV1{CompanyV1: companyPayload(c)}); err != nil {
			return err
		}
		m := domain.Membership{CompanyID: c.ID, UserID: actor.UserID, Role: domain.CompanyAdmin, Status: domain.Active, UpdatedAt: a.now()}
		if err := a.putMembership(ctx, tx, actor, c, m, true); err != nil {
			return err
		}
		return tx.Audit(ctx, AuditEntry{Actor: actor.UserID, Action: "company.register", ObjectID: c.ID, RegionID: regionID, CompanyID: c.ID,
			Detail: map[string]any{"key": c.Key(), "name_zh": c.Fields.NameZH}})
	})
	if err != nil {
		return nil, err
	}
	a.applyLocally(authz.Assignment{UserID: actor.UserID, Role: authz.RoleStartupMember, Domain: authz.CompanyDomain(c.ID)}, true)
	return c, nil
}

// applyLocally updates this replica's enforcer at once (read-your-writes);
// the others follow the event.
func (a *App) applyLocally(as authz.Assignment, grant bool) {
	var err error
	if grant {
		err = a.authz.Grant(as)
	} else {
		err = a.authz.Revoke(as)
	}
	if err != nil {
		a.log.Error("apply company role locally", "err", err)
	}
}

// GetCompany returns a company the actor may see.
func (a *App) GetCompany(ctx context.Context, actor Actor, id string) (*domain.Company, error) {
	var c *domain.Company
	err := a.store.Read(ctx, func(ctx context.Context, tx Tx) error {
		var err error
		c, _, err = a.companyAt(ctx, tx, actor, id, "company", "read")
		return err
	})
	return c, err
}

// UpdateCompany changes a company's details.
func (a *App) UpdateCompany(ctx context.Context, actor Actor, id string, f domain.CompanyFields) (*domain.Company, error) {
	return a.changeCompany(ctx, actor, id, func(_ context.Context, _ Tx, c *domain.Company) (companyChange, error) {
		if err := c.Update(f, a.now()); err != nil {
			return companyChange{}, err
		}
		return companyChange{event: events.CompanyUpdatedV1{CompanyV1: companyPayload(c)}, action: "company.update"}, nil
	})
}

// LinkUSCC gives a team its registered code, keeping its id and history.
func (a *App) LinkUSCC(ctx context.Context, actor Actor, id, uscc string) (*domain.Company, error) {
	return a.changeCompany(ctx, actor, id, func(ctx context.Context, tx Tx, c *domain.Company) (companyChange, error) {
		if err := c.LinkUSCC(uscc, a.now()); err != nil {
			return companyChange{}, err
		}
		if _, err := tx.CompanyByUSCC(ctx, c.RegionID, c.USCC); err == nil {
			return companyChange{}, usccTaken()
		} else if !apperr.Is(err, apperr.NotFound) {
			return companyChange{}, err
		}
		return companyChange{event: events.CompanyUSCCLinkedV1{CompanyID: c.ID, USCC: string(c.USCC), ProvisionalID: c.ProvisionalID},
			action: "company.link_uscc", detail: map[string]any{"uscc": string(c.USCC), "provisional_id": c.ProvisionalID}}, nil
	})
}

// companyChange is what a change to a company's record publishes and
// audits.
type companyChange struct {
	event  events.Payload
	action string
	detail map[string]any
}

// changeCompany is the shape of a change to a company's record: for who
// may update the company, change changes it (or refuses), and the record
// is saved, the change's event published and its audit line written in
// one transaction.
func (a *App) changeCompany(ctx context.Context, actor Actor, id string, change func(ctx context.Context, tx Tx, c *domain.Company) (companyChange, error)) (*domain.Company, error) {
	var c *domain.Company
	err := a.store.Write(ctx, func(ctx context.Context, tx Tx) error {
		var err error
		if c, _, err = a.companyAt(ctx, tx, actor, id, "company", "update"); err != nil {
			return err
		}
		ch, err := change(ctx, tx, c)
		if err != nil {
			return err
		}
		if err := tx.UpdateCompany(ctx, c); err != nil {
			return err
		}
		if err := a.publish(ctx, tx, events.Scope{RegionID: c.RegionID}, actor, c.ID, ch.event); err != nil {
			return err
		}
		return tx.Audit(ctx, AuditEntry{Actor: actor.UserID, Action: ch.action, ObjectID: c.ID, RegionID: c.RegionID, CompanyID: c.ID, Detail: ch.detail})
	})
	return c, err
}

// ListCompanies lists a region's companies the actor can see: all of them
// for district roles, those linked to their carriers for park staff, their
// own for startup members.
func (a *App) ListCompanies(ctx context.Context, actor Actor, f CompanyFilter, p list.Params) ([]*domain.Company, int, error) {
	if err := authz.Authenticated(actor.UserID); err != nil {
		return nil, 0, err
	}
	var out []*domain.Company
	var total int
	err := a.store.Read(ctx, func(ctx context.Context, tx Tx) error {
		ok, err := tx.RegionExists(ctx, f.RegionID)
		if err != nil {
			return err
		}
		if !ok {
			return apperr.NotFoundErr("region-not-found")
		}
		if !a.authz.Can(actor.UserID, authz.Scope{RegionID: f.RegionID}, "company", "read") {
			f.CarrierIDs, f.CompanyIDs = []string{}, []string{}
			for _, as := range a.authz.Assignments(actor.UserID) {
				kind, id, _ := authz.ParseDomain(as.Domain)
				switch kind {
				case authz.KindCarrier:
					c, err := tx.GetCarrier(ctx, id)
					if err == nil && c.RegionID == f.RegionID && a.authz.Can(actor.UserID, authz.Scope{RegionID: f.RegionID, CarrierID: id}, "company", "read") {
						f.CarrierIDs = append(f.CarrierIDs, id)
					}
				case authz.KindCompany:
					if co, err := tx.GetCompany(ctx, id); err == nil && co.RegionID == f.RegionID {
						f.CompanyIDs = append(f.CompanyIDs, id)
					}
				}
			}
			// Nothing of this region is the caller's: as if it did not exist.
			if len(f.CarrierIDs) == 0 && len(f.CompanyIDs) == 0 {
				return apperr.NotFoundErr("region-not-found")
			}
		}
		out, total, err = tx.ListCompanies(ctx, f, p)
		return err
	})
	return out, total, err
}

// MyCompanies lists the caller's memberships with their companies.
func (a *App) MyCompanies(ctx context.Context, actor Actor) ([]domain.Membership, map[string]*domain.Company, error) {
	if err := authz.Authenticated(actor.UserID); err != nil {
		return nil, nil, err
	}
	var ms []domain.Membership
	cs := map[string]*domain.Company{}
	err := a.store.Read(ctx, func(ctx context.Context, tx Tx) error {
		var err error
		if ms, err = tx.MembershipsOfUser(ctx, actor.UserID); err != nil {
			return err
		}
		for _, m := range ms {
			c, err := tx.GetCompany(ctx, m.CompanyID)
			if err != nil {
				return err
			}
			cs[m.CompanyID] = c
		}
		return nil
	})
	return ms, cs, err
}

func normEmail(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

// companyFor loads a company for a use case, answering anonymous callers
// with 401 rather than 404.
func (a *App) companyFor(ctx context.Context, tx Tx, actor Actor, id string) (*domain.Company, error) {
	c, err := tx.GetCompany(ctx, id)
	if err != nil && actor.UserID == "" {
		return nil, authz.Authenticated(actor.UserID)
	}
	return c, err
}

// companyAt loads the company for a use case and authorizes act on obj
// in it; scope is the one the act is attributed to (authorizeCompanyAt).
func (a *App) companyAt(ctx context.Context, tx Tx, actor Actor, id, obj, act string) (*domain.Company, authz.Scope, error) {
	c, err := a.companyFor(ctx, tx, actor, id)
	if err != nil {
		return nil, authz.Scope{}, err
	}
	scope, err := a.authorizeCompanyAt(ctx, tx, actor, c, obj, act)
	return c, scope, err
}
