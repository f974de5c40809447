package command

import (
	"context"

	"github.com/incuchain/incuchain/pkg/apperr"
	"github.com/incuchain/incuchain/pkg/events"
	"github.com/incuchain/incuchain/services/incubatees/internal/app"
	"github.com/incuchain/incuchain/services/incubatees/internal/domain"
)

// LinkUSCC gives a team its registered code, keeping its id and history.
type LinkUSCC struct {
	Actor     app.Actor
	CompanyID string
	USCC      string
}

// LinkUSCCRepository is what LinkUSCCHandler needs.
type LinkUSCCRepository interface {
	companyUpdater
	CompanyByUSCC(ctx context.Context, regionID string, uscc domain.USCC) (*domain.Company, error)
}

// LinkUSCCHandler links teams to their USCC.
type LinkUSCCHandler struct {
	handler[LinkUSCCRepository]
}

// NewLinkUSCCHandler returns the handler over the company repository.
var NewLinkUSCCHandler = newHandler[LinkUSCCHandler, LinkUSCCRepository]

// Handle links the USCC, unless another company of the region has it.
func (h LinkUSCCHandler) Handle(ctx context.Context, cmd LinkUSCC) (*domain.Company, error) {
	return updateCompany(ctx, h.repo, h.authz, cmd.Actor, cmd.CompanyID, func(ctx context.Context, c *domain.Company) ([]events.Payload, error) {
		if err := c.LinkUSCC(cmd.USCC, h.now()); err != nil {
			return nil, err
		}
		if _, err := h.repo.CompanyByUSCC(ctx, c.RegionID, c.USCC); err == nil {
			return nil, app.USCCTaken()
		} else if !apperr.Is(err, apperr.NotFound) {
			return nil, err
		}
		return []events.Payload{events.CompanyUSCCLinkedV1{CompanyID: c.ID, USCC: string(c.USCC), ProvisionalID: c.ProvisionalID}}, nil
	})
}
