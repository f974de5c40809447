package app

import (
	"context"
	"log/slog"
	"strings"
	"time"

	"github.com/incuchain/incuchain/pkg/apperr"
	"github.com/incuchain/incuchain/pkg/authz"
	"github.com/incuchain/incuchain/pkg/events"
	"github.com/incuchain/incuchain/services/incubatees/internal/domain"
)

// CompanyPayload is c as its events carry it.
func CompanyPayload(c *domain.Company) events.CompanyV1 {
	return events.CompanyV1{CompanyID: c.ID, RegionID: c.RegionID, USCC: string(c.USCC), ProvisionalID: c.ProvisionalID,
		NameZH: c.Fields.NameZH, NameEN: c.Fields.NameEN, IndustryCode: c.Fields.IndustryCode, TechField: c.Fields.TechField,
		FoundedOn: DayString(c.Fields.FoundedOn)}
}

// USCCTaken is the conflict of a USCC another company of the region has.
func USCCTaken() error {
	e := apperr.ConflictErr("uscc-taken")
	e.Fields = []apperr.FieldError{{Field: "uscc", Code: "duplicate"}}
	return e
}

// CompanyScope is where a company's events are seen: its region.
func CompanyScope(c *domain.Company) events.Scope { return events.Scope{RegionID: c.RegionID} }

// CompanyAudit is the audit line of a company event; false for an event
// that is not the company's.
func CompanyAudit(actor Actor, c *domain.Company, p events.Payload) (AuditEntry, bool) {
	e := AuditEntry{Actor: actor.UserID, ObjectID: c.ID, RegionID: c.RegionID, CompanyID: c.ID}
	switch p.(type) {
	case events.CompanyRegisteredV1:
		e.Action, e.Detail = "company.register", map[string]any{"key": c.Key(), "name_zh": c.Fields.NameZH}
	case events.CompanyUpdatedV1:
		e.Action = "company.update"
	case events.CompanyUSCCLinkedV1:
		e.Action, e.Detail = "company.link_uscc", map[string]any{"uscc": string(c.USCC), "provisional_id": c.ProvisionalID}
	default:
		return e, false
	}
	return e, true
}

// MembershipEvents are the role changes storing m implies: becoming
// active grants startup_member in the company's domain, leaving revokes
// it. This service owns company membership, so it is the one that
// publishes these assignments.
func MembershipEvents(c *domain.Company, m domain.Membership, wasActive bool) []events.Payload {
	as := events.RoleAssignmentV1{UserID: m.UserID, Role: authz.RoleStartupMember, Domain: authz.CompanyDomain(c.ID)}
	switch {
	case m.Status == domain.Active && (!wasActive || m.Role == domain.CompanyAdmin):
		return []events.Payload{events.CompanyRoleGrantedV1{RoleAssignmentV1: as}}
	case m.Status == domain.Left && wasActive:
		return []events.Payload{events.CompanyRoleRevokedV1{RoleAssignmentV1: as}}
	}
	return nil
}

// MemberView is a membership with the person's name.
type MemberView struct {
	domain.Membership
	Email, DisplayName string
}

// NormEmail is an email as it is looked up.
func NormEmail(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

// ApplyLocally updates this replica's enforcer at once (read-your-writes);
// the others follow the event. began is when the use case started, taken
// before its transaction (LocalChangeTime): role events older than that
// are stale here and a late one — the grant of an accept delivered after
// the member already left — no longer undoes this change, while the
// change's own event, published later, still applies.
func ApplyLocally(e *authz.Enforcer, log *slog.Logger, as authz.Assignment, grant bool, began time.Time) {
	if _, err := e.ApplyAt(as, grant, began); err != nil {
		log.Error("apply company role locally", "err", err)
	}
}

// LocalChangeTime is the time a use case that changes a role takes before
// its transaction, for ApplyLocally. It is the wall clock, as the role
// events' occurred_at are, never the service's (settable) Clock.
func LocalChangeTime() time.Time { return time.Now().UTC() }

// CompanyLinks reads the carriers a company is linked to.
type CompanyLinks interface {
	CompanyCarriers(ctx context.Context, companyID string) ([]string, error)
}

// CompanyLoader reads a company and its carrier links.
type CompanyLoader interface {
	CompanyLinks
	GetCompany(ctx context.Context, id string) (*domain.Company, error)
}

// AuthorizeCompanyScopes lets act on obj through when any of the
// company's scopes (its region and company domains, and every carrier it
// has applied to or resides in) allows it, and answers those scopes.
// Visibility: who may read the company in one of them sees it (403);
// everyone else gets 404.
func AuthorizeCompanyScopes(ctx context.Context, rd CompanyLinks, e *authz.Enforcer, actor Actor, companyID, regionID, obj, act string) ([]authz.Scope, error) {
	if err := authz.Authenticated(actor.UserID); err != nil {
		return nil, err
	}
	carriers, err := rd.CompanyCarriers(ctx, companyID)
	if err != nil {
		return nil, err
	}
	scopes := authz.CompanyScopes(regionID, companyID, carriers)
	return scopes, e.Decide(authz.Request{UserID: actor.UserID, Scopes: scopes, Object: obj, Action: act,
		CanSee: e.MayRead(actor.UserID, "company", scopes...), NotFound: "company-not-found"})
}

// AuthorizeCompany is AuthorizeCompanyScopes without the scopes.
func AuthorizeCompany(ctx context.Context, rd CompanyLinks, e *authz.Enforcer, actor Actor, c *domain.Company, obj, act string) error {
	_, err := AuthorizeCompanyScopes(ctx, rd, e, actor, c.ID, c.RegionID, obj, act)
	return err
}

// AuthorizeCompanyAt is AuthorizeCompany that also says through which
// scope the actor was allowed (the reviewer's carrier, for events).
func AuthorizeCompanyAt(ctx context.Context, rd CompanyLinks, e *authz.Enforcer, actor Actor, c *domain.Company, obj, act string) (authz.Scope, error) {
	scopes, err := AuthorizeCompanyScopes(ctx, rd, e, actor, c.ID, c.RegionID, obj, act)
	if err != nil {
		return authz.Scope{}, err
	}
	// Attribute the act to a carrier only when the actor is its staff
	// (district and platform roles act for no carrier).
	held := map[string]bool{}
	for _, as := range e.Assignments(actor.UserID) {
		held[as.Domain] = true
	}
	for _, s := range scopes {
		if s.CarrierID != "" && held[authz.CarrierDomain(s.CarrierID)] && e.Can(actor.UserID, s, obj, act) {
			return s, nil
		}
	}
	return authz.Scope{RegionID: c.RegionID}, nil
}

// CompanyAt loads the company for a use case and authorizes act on obj in
// it (AuthorizeCompanyAt), answering anonymous callers with 401 rather
// than 404.
func CompanyAt(ctx context.Context, rd CompanyLoader, e *authz.Enforcer, actor Actor, id, obj, act string) (*domain.Company, authz.Scope, error) {
	c, err := rd.GetCompany(ctx, id)
	if err != nil && actor.UserID == "" {
		return nil, authz.Scope{}, authz.Authenticated(actor.UserID)
	}
	if err != nil {
		return nil, authz.Scope{}, err
	}
	scope, err := AuthorizeCompanyAt(ctx, rd, e, actor, c, obj, act)
	return c, scope, err
}
