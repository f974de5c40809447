// Package service builds the incubatees use cases in one place: the
// command and query handlers over their repositories (wild-workouts'
// service.NewApplication).
package service

import (
	"time"

	"github.com/incuchain/incuchain/pkg/authz"
	"github.com/incuchain/incuchain/services/incubatees/internal/adapters"
	"github.com/incuchain/incuchain/services/incubatees/internal/app"
	"github.com/incuchain/incuchain/services/incubatees/internal/app/command"
	"github.com/incuchain/incuchain/services/incubatees/internal/app/query"
)

// Application is every use case that has its own handler.
type Application struct {
	Commands Commands
	Queries  Queries
}

// Commands change state.
type Commands struct {
	AdmitResidency  command.AdmitResidencyHandler
	MoveIn          command.MoveInHandler
	EndResidency    command.EndResidencyHandler
	AcceptPromotion command.AcceptPromotionHandler
	AcceptEnrolment command.AcceptEnrolmentHandler
}

// Queries only read.
type Queries struct {
	GetResidency    query.GetResidencyHandler
	ListResidencies query.ListResidenciesHandler
	CompanyChain    query.CompanyChainHandler
}

// NewApplication builds the handlers over store, authorizing with e and
// reading the clock of a (tests set it); it also wires a's admission of
// applications to the AdmitResidency command.
func NewApplication(store *adapters.Store, e *authz.Enforcer, a *app.App) Application {
	now := func() time.Time { return a.Now() }
	res := adapters.NewResidencies(store, now)
	reads := adapters.NewResidencyReads(store)
	out := Application{
		Commands: Commands{
			AdmitResidency:  command.NewAdmitResidencyHandler(res, now),
			MoveIn:          command.NewMoveInHandler(res, e, now),
			EndResidency:    command.NewEndResidencyHandler(res, e, now),
			AcceptPromotion: command.NewAcceptPromotionHandler(res, e, now),
			AcceptEnrolment: command.NewAcceptEnrolmentHandler(res, e, now),
		},
		Queries: Queries{
			GetResidency:    query.NewGetResidencyHandler(reads, e, now),
			ListResidencies: query.NewListResidenciesHandler(reads, e),
			CompanyChain:    query.NewCompanyChainHandler(reads, e),
		},
	}
	a.SetAdmissions(out.Commands.AdmitResidency)
	return out
}
