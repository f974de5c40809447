package command

import (
	"context"

	"github.com/incuchain/incuchain/services/incubatees/internal/app"
)

// VerifiedMilestones: the in-memory world has no milestones service, so no
// company has a verified milestone (the service's tests cover the copy).
func (r *memResidencies) VerifiedMilestones(context.Context, string) ([]app.VerifiedMilestone, error) {
	return nil, nil
}

// VerifiedDocuments: the in-memory world has no documents service, so no
// verified document travels.
func (r *memResidencies) VerifiedDocuments(context.Context, string) ([]app.CompanyDocument, error) {
	return nil, nil
}
