package command

import (
	"context"

	"github.com/incuchain/incuchain/pkg/authz"
	"github.com/incuchain/incuchain/services/incubatees/internal/app"
	"github.com/incuchain/incuchain/services/incubatees/internal/domain"
)

// IntakeCallRepository is the intake call repository the call commands
// need.
type IntakeCallRepository interface {
	transactor
	app.CarrierReader
	Add(ctx context.Context, actor app.Actor, c *domain.IntakeCall, ch app.Change) error
	updater[*domain.IntakeCall, app.Change]
}

// updateIntakeCall is the load → decide → update step of a change to a
// call: for a signed-in actor who may update it, change runs on it in the
// repository's transaction; the answer is the call as changed.
func updateIntakeCall(ctx context.Context, repo IntakeCallRepository, e *authz.Enforcer, actor app.Actor, id string,
	change ChangeFunc[*domain.IntakeCall, app.Change]) (*domain.IntakeCall, error) {
	return updateLoaded(ctx, actor, repo.Update, id, func(_ context.Context, c *domain.IntakeCall) error {
		return app.AuthorizeIntakeCall(e, actor, c, "update")
	}, change)
}
