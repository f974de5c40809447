package command

import (
	"context"
	"time"

	"github.com/incuchain/incuchain/pkg/authz"
	"github.com/incuchain/incuchain/services/incubatees/internal/app"
	"github.com/incuchain/incuchain/services/incubatees/internal/domain"
)

// ApplicationFunc changes a loaded application and returns its change.
type ApplicationFunc = ChangeFunc[*domain.Application, app.Change]

// ApplicationRepository is the application repository the application
// commands need.
type ApplicationRepository interface {
	transactor
	membershipReader
	app.CompanyLoader
	app.CarrierReader
	app.DocumentReader
	GetIntakeCall(ctx context.Context, id string) (*domain.IntakeCall, error)
	LiveApplication(ctx context.Context, callID, companyID string) (bool, error)
	CountApplications(ctx context.Context, callID string, status domain.AppStatus) (int, error)
	ListReviews(ctx context.Context, applicationID string) ([]domain.ApplicationReview, error)
	OpenElsewhere(ctx context.Context, companyID, uscc, carrierID string) ([]app.ResidencyView, error)
	Add(ctx context.Context, actor app.Actor, x *domain.Application, ch app.Change) error
	updater[*domain.Application, app.Change]
	PutReview(ctx context.Context, r domain.ApplicationReview) error
	LinkCarrier(ctx context.Context, companyID, carrierID string, since time.Time) error
}

// updateApplication is the load → decide → update step of a change to
// an application: for a signed-in actor who may act on it, change runs on
// it in the repository's transaction; the answer is the application as
// changed.
func updateApplication(ctx context.Context, repo ApplicationRepository, e *authz.Enforcer, actor app.Actor, id, act string, change ApplicationFunc) (*domain.Application, error) {
	return updateLoaded(ctx, actor, repo.Update, id, func(_ context.Context, x *domain.Application) error {
		return app.AuthorizeApplication(e, actor, x, act)
	}, change)
}

// companyStep is updateApplication for one of the company's own steps
// (edit, submit, withdraw): only its admins take them; step gets the
// application's call.
func companyStep(ctx context.Context, repo ApplicationRepository, e *authz.Enforcer, actor app.Actor, id string,
	step func(ctx context.Context, x *domain.Application, call *domain.IntakeCall) (app.Change, error)) (*domain.Application, error) {
	return updateApplication(ctx, repo, e, actor, id, "update", func(ctx context.Context, x *domain.Application) (app.Change, error) {
		if err := companyAdmin(ctx, repo, actor, x.CompanyID, true, ""); err != nil {
			return app.Change{}, err
		}
		call, err := repo.GetIntakeCall(ctx, x.CallID)
		if err != nil {
			return app.Change{}, err
		}
		return step(ctx, x, call)
	})
}
