package command

import (
	"github.com/incuchain/incuchain/pkg/apperr"
	"github.com/incuchain/incuchain/services/milestones/internal/domain"
)

// domainRefusal answers an action the transition use case does not take.
func domainRefusal(act domain.Action) error {
	return apperr.New(apperr.IncorrectInput, "invalid-action").With("action", string(act))
}
