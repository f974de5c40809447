package command

import (
	"context"

	"github.com/incuchain/incuchain/pkg/events"
	"github.com/incuchain/incuchain/services/incubatees/internal/app"
	"github.com/incuchain/incuchain/services/incubatees/internal/domain"
)

// UpdateCompany replaces a company's details.
type UpdateCompany struct {
	Actor     app.Actor
	CompanyID string
	Fields    domain.CompanyFields
}

// UpdateCompanyHandler changes companies' details.
type UpdateCompanyHandler struct {
	handler[companyUpdater]
}

// NewUpdateCompanyHandler returns the handler over the company repository.
var NewUpdateCompanyHandler = newHandler[UpdateCompanyHandler, companyUpdater]

// Handle changes the company's details, for who may update it.
func (h UpdateCompanyHandler) Handle(ctx context.Context, cmd UpdateCompany) (*domain.Company, error) {
	return updateCompany(ctx, h.repo, h.authz, cmd.Actor, cmd.CompanyID, func(_ context.Context, c *domain.Company) ([]events.Payload, error) {
		if err := c.Update(cmd.Fields, h.now()); err != nil {
			return nil, err
		}
		return []events.Payload{events.CompanyUpdatedV1{CompanyV1: app.CompanyPayload(c)}}, nil
	})
}
