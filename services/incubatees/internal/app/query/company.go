package query

import (
	"context"

	"github.com/incuchain/incuchain/pkg/apperr"
	"github.com/incuchain/incuchain/pkg/authz"
	"github.com/incuchain/incuchain/pkg/list"
	"github.com/incuchain/incuchain/services/incubatees/internal/app"
	"github.com/incuchain/incuchain/services/incubatees/internal/domain"
)

// GetCompany is a company read by Actor.
type GetCompany struct {
	Actor     app.Actor
	CompanyID string
}

// CompanyReadModel is what GetCompanyHandler reads.
type CompanyReadModel interface {
	snapshotter
	app.CompanyLoader
}

// GetCompanyHandler reads one company.
type GetCompanyHandler struct {
	reader[CompanyReadModel]
}

// NewGetCompanyHandler returns the handler over rm.
var NewGetCompanyHandler = newReader[GetCompanyHandler, CompanyReadModel]

// Handle returns a company the actor may see.
func (h GetCompanyHandler) Handle(ctx context.Context, q GetCompany) (*domain.Company, error) {
	return ofCompany(ctx, h.reader, q.Actor, q.CompanyID, "company", "read", func(_ context.Context, c *domain.Company) (*domain.Company, error) {
		return c, nil
	})
}

// ofCompany runs read, in one snapshot, on the company companyID names
// once the actor may act on obj in it (app.CompanyAt).
func ofCompany[T any, R CompanyReadModel](ctx context.Context, h reader[R], actor app.Actor, companyID, obj, act string,
	read func(ctx context.Context, c *domain.Company) (T, error)) (T, error) {
	return app.Within(ctx, h.rm.Snapshot, func(ctx context.Context) (T, error) {
		c, _, err := app.CompanyAt(ctx, h.rm, h.authz, actor, companyID, obj, act)
		if err != nil {
			var zero T
			return zero, err
		}
		return read(ctx, c)
	})
}

// ListCompanies is a page of a region's companies (Filter.RegionID).
type ListCompanies struct {
	Actor  app.Actor
	Filter app.CompanyFilter
	Page   list.Params
}

// ListCompaniesReadModel is what ListCompaniesHandler reads.
type ListCompaniesReadModel interface {
	snapshotter
	RegionExists(ctx context.Context, id string) (bool, error)
	GetCarrier(ctx context.Context, id string) (app.Carrier, error)
	GetCompany(ctx context.Context, id string) (*domain.Company, error)
	ListCompanies(ctx context.Context, f app.CompanyFilter, p list.Params) ([]*domain.Company, int, error)
}

// ListCompaniesHandler lists companies.
type ListCompaniesHandler struct {
	reader[ListCompaniesReadModel]
}

// NewListCompaniesHandler returns the handler over rm.
var NewListCompaniesHandler = newReader[ListCompaniesHandler, ListCompaniesReadModel]

// Handle lists a region's companies the actor can see: all of them for
// district roles, those linked to their carriers for park staff, their
// own for startup members.
func (h ListCompaniesHandler) Handle(ctx context.Context, q ListCompanies) ([]*domain.Company, int, error) {
	return signedInSnapshot(ctx, q.Actor, h.rm.Snapshot, func(ctx context.Context) ([]*domain.Company, int, error) {
		f, err := h.visible(ctx, q.Actor, q.Filter)
		if err != nil {
			return nil, 0, err
		}
		return h.rm.ListCompanies(ctx, f, q.Page)
	})
}

// visible narrows f to what the actor can see of the region.
func (h ListCompaniesHandler) visible(ctx context.Context, actor app.Actor, f app.CompanyFilter) (app.CompanyFilter, error) {
	ok, err := h.rm.RegionExists(ctx, f.RegionID)
	if err != nil {
		return f, err
	}
	if !ok {
		return f, apperr.NotFoundErr("region-not-found")
	}
	if h.authz.Can(actor.UserID, authz.Scope{RegionID: f.RegionID}, "company", "read") {
		return f, nil
	}
	f.CarrierIDs, f.CompanyIDs = []string{}, []string{}
	for _, as := range h.authz.Assignments(actor.UserID) {
		kind, id, _ := authz.ParseDomain(as.Domain)
		switch kind {
		case authz.KindCarrier:
			c, err := h.rm.GetCarrier(ctx, id)
			if err == nil && c.RegionID == f.RegionID && h.authz.Can(actor.UserID, authz.Scope{RegionID: f.RegionID, CarrierID: id}, "company", "read") {
				f.CarrierIDs = append(f.CarrierIDs, id)
			}
		case authz.KindCompany:
			if co, err := h.rm.GetCompany(ctx, id); err == nil && co.RegionID == f.RegionID {
				f.CompanyIDs = append(f.CompanyIDs, id)
			}
		}
	}
	// Nothing of this region is the caller's: as if it did not exist.
	if len(f.CarrierIDs) == 0 && len(f.CompanyIDs) == 0 {
		return f, apperr.NotFoundErr("region-not-found")
	}
	return f, nil
}

// MyCompanies is the actor's memberships.
type MyCompanies struct{ Actor app.Actor }

// MyCompany is one of the actor's memberships with its company.
type MyCompany struct {
	domain.Membership
	Company *domain.Company
}

// MyCompaniesReadModel is what MyCompaniesHandler reads.
type MyCompaniesReadModel interface {
	snapshotter
	GetCompany(ctx context.Context, id string) (*domain.Company, error)
	MembershipsOfUser(ctx context.Context, userID string) ([]domain.Membership, error)
}

// MyCompaniesHandler lists callers' memberships.
type MyCompaniesHandler struct{ rm MyCompaniesReadModel }

// NewMyCompaniesHandler returns the handler over rm.
func NewMyCompaniesHandler(rm MyCompaniesReadModel) MyCompaniesHandler {
	return MyCompaniesHandler{rm: rm}
}

// Handle lists the actor's memberships with their companies.
func (h MyCompaniesHandler) Handle(ctx context.Context, q MyCompanies) ([]MyCompany, error) {
	return app.SignedInWithin(ctx, q.Actor, h.rm.Snapshot, func(ctx context.Context) ([]MyCompany, error) {
		ms, err := h.rm.MembershipsOfUser(ctx, q.Actor.UserID)
		if err != nil {
			return nil, err
		}
		out := make([]MyCompany, 0, len(ms))
		for _, m := range ms {
			c, err := h.rm.GetCompany(ctx, m.CompanyID)
			if err != nil {
				return nil, err
			}
			out = append(out, MyCompany{Membership: m, Company: c})
		}
		return out, nil
	})
}

// ListMembers is a company's members.
type ListMembers struct {
	Actor     app.Actor
	CompanyID string
}

// ListMembersReadModel is what ListMembersHandler reads.
type ListMembersReadModel interface {
	CompanyReadModel
	ListMemberships(ctx context.Context, companyID string) ([]domain.Membership, error)
	UsersByIDs(ctx context.Context, ids []string) (map[string]app.User, error)
}

// ListMembersHandler lists companies' members.
type ListMembersHandler struct {
	reader[ListMembersReadModel]
}

// NewListMembersHandler returns the handler over rm.
var NewListMembersHandler = newReader[ListMembersHandler, ListMembersReadModel]

// Handle lists the members of a company the actor may see, with their
// names.
func (h ListMembersHandler) Handle(ctx context.Context, q ListMembers) ([]app.MemberView, error) {
	return ofCompany(ctx, h.reader, q.Actor, q.CompanyID, "company", "read", func(ctx context.Context, c *domain.Company) ([]app.MemberView, error) {
		ms, err := h.rm.ListMemberships(ctx, c.ID)
		if err != nil {
			return nil, err
		}
		ids := make([]string, len(ms))
		for i, m := range ms {
			ids[i] = m.UserID
		}
		users, err := h.rm.UsersByIDs(ctx, ids)
		if err != nil {
			return nil, err
		}
		var out []app.MemberView
		for _, m := range ms {
			u := users[m.UserID]
			out = append(out, app.MemberView{Membership: m, Email: u.Email, DisplayName: u.DisplayName})
		}
		return out, nil
	})
}

// CompanyRolesReadModel is what CompanyRolesHandler reads.
type CompanyRolesReadModel interface {
	ActiveMemberships(ctx context.Context) ([]domain.Membership, error)
}

// CompanyRolesHandler reads every active company membership as a role
// assignment, for enforcers starting up.
type CompanyRolesHandler struct{ rm CompanyRolesReadModel }

// NewCompanyRolesHandler returns the handler over rm.
func NewCompanyRolesHandler(rm CompanyRolesReadModel) CompanyRolesHandler {
	return CompanyRolesHandler{rm: rm}
}

// Handle returns the assignments.
func (h CompanyRolesHandler) Handle(ctx context.Context) ([]authz.Assignment, error) {
	ms, err := h.rm.ActiveMemberships(ctx)
	var out []authz.Assignment
	for _, m := range ms {
		out = append(out, authz.Assignment{UserID: m.UserID, Role: authz.RoleStartupMember, Domain: authz.CompanyDomain(m.CompanyID)})
	}
	return out, err
}
