package command

import (
	"context"
	"log/slog"
	"time"

	"github.com/incuchain/incuchain/pkg/apperr"
	"github.com/incuchain/incuchain/pkg/authz"
	"github.com/incuchain/incuchain/pkg/events"
	"github.com/incuchain/incuchain/services/incubatees/internal/app"
	"github.com/incuchain/incuchain/services/incubatees/internal/domain"
)

// RegisterCompany creates a company (or a team without a USCC yet, USCC
// empty) in a region.
type RegisterCompany struct {
	Actor    app.Actor
	RegionID string
	USCC     string
	Fields   domain.CompanyFields
}

// RegisterCompanyRepository is the company repository RegisterCompanyHandler needs.
type RegisterCompanyRepository interface {
	transactor
	RegionExists(ctx context.Context, id string) (bool, error)
	CompanyByUSCC(ctx context.Context, regionID string, uscc domain.USCC) (*domain.Company, error)
	adder[*domain.Company]
}

// RegisterCompanyHandler registers companies.
type RegisterCompanyHandler struct {
	handler[RegisterCompanyRepository]
	memberships membershipSaver
	log         *slog.Logger
}

// NewRegisterCompanyHandler returns the handler over the company and
// membership repositories.
func NewRegisterCompanyHandler(companies RegisterCompanyRepository, memberships membershipSaver, e *authz.Enforcer, log *slog.Logger, now func() time.Time) RegisterCompanyHandler {
	return RegisterCompanyHandler{handler: handler[RegisterCompanyRepository]{companies, e, now}, memberships: memberships, log: log}
}

// Handle registers the company; any signed-in person may, and becomes its
// company admin.
func (h RegisterCompanyHandler) Handle(ctx context.Context, cmd RegisterCompany) (*domain.Company, error) {
	if err := authz.Authenticated(cmd.Actor.UserID); err != nil {
		return nil, err
	}
	began := app.LocalChangeTime()
	c, err := app.Within(ctx, h.repo.Transaction, func(ctx context.Context) (*domain.Company, error) {
		ok, err := h.repo.RegionExists(ctx, cmd.RegionID)
		if err != nil {
			return nil, err
		}
		if !ok {
			return nil, apperr.NotFoundErr("region-not-found")
		}
		c, err := domain.NewCompany(events.NewID(), cmd.RegionID, cmd.USCC, cmd.Fields, h.now())
		if err != nil {
			return nil, err
		}
		if c.USCC != "" {
			if _, err := h.repo.CompanyByUSCC(ctx, cmd.RegionID, c.USCC); err == nil {
				return nil, app.USCCTaken()
			} else if !apperr.Is(err, apperr.NotFound) {
				return nil, err
			}
		}
		if err := h.repo.Add(ctx, cmd.Actor, c, events.CompanyRegisteredV1{CompanyV1: app.CompanyPayload(c)}); err != nil {
			return nil, err
		}
		m := domain.Membership{CompanyID: c.ID, UserID: cmd.Actor.UserID, Role: domain.CompanyAdmin, Status: domain.Active, UpdatedAt: h.now()}
		return c, h.memberships.Save(ctx, cmd.Actor, c, m, true, "", nil)
	})
	if err != nil {
		return nil, err
	}
	app.ApplyLocally(h.authz, h.log, authz.Assignment{UserID: cmd.Actor.UserID, Role: authz.RoleStartupMember, Domain: authz.CompanyDomain(c.ID)}, true, began)
	return c, nil
}
