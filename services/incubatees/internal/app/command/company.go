package command

import (
	"context"

	"github.com/incuchain/incuchain/pkg/authz"
	"github.com/incuchain/incuchain/pkg/events"
	"github.com/incuchain/incuchain/services/incubatees/internal/app"
	"github.com/incuchain/incuchain/services/incubatees/internal/domain"
)

// CompanyUpdateFunc changes a loaded company and returns the events to
// publish.
type CompanyUpdateFunc = ChangeFunc[*domain.Company, []events.Payload]

// companyUpdater is the company repository's Update, with the carrier
// links a company is authorized through.
type companyUpdater interface {
	app.CompanyLinks
	updater[*domain.Company, []events.Payload]
}

// updateCompany is the load → decide → update step of a change to a
// company's record: for a signed-in actor who may update the company,
// change runs on it in the repository's transaction; the answer is the
// company as changed.
func updateCompany(ctx context.Context, repo companyUpdater, e *authz.Enforcer, actor app.Actor, id string, change CompanyUpdateFunc) (*domain.Company, error) {
	return updateLoaded(ctx, actor, repo.Update, id, func(ctx context.Context, c *domain.Company) error {
		return app.AuthorizeCompany(ctx, repo, e, actor, c, "company", "update")
	}, change)
}

// membershipSaver stores a membership with the role change it implies and
// its audit line (action), in the context's transaction.
type membershipSaver interface {
	Save(ctx context.Context, actor app.Actor, c *domain.Company, m domain.Membership, wasActive bool, action string, detail map[string]any) error
}

// memberAdmin lets an active admin of company c through who may read it;
// 404 to who may not read it, 403 (not-company-admin) to other readers.
func memberAdmin(ctx context.Context, repo interface {
	app.CompanyLinks
	membershipReader
}, e *authz.Enforcer, actor app.Actor, c *domain.Company) error {
	if err := app.AuthorizeCompany(ctx, repo, e, actor, c, "company", "read"); err != nil {
		return err
	}
	return companyAdmin(ctx, repo, actor, c.ID, true, "")
}

// companyForMember loads the company a membership command acts in, for a
// signed-in actor (401 to anyone else).
func companyForMember(ctx context.Context, repo interface {
	GetCompany(ctx context.Context, id string) (*domain.Company, error)
}, actor app.Actor, id string) (*domain.Company, error) {
	if err := authz.Authenticated(actor.UserID); err != nil {
		return nil, err
	}
	return repo.GetCompany(ctx, id)
}

// companyTransactor is a repository whose use cases act in a company.
type companyTransactor interface {
	transactor
	app.CompanyLoader
}

// inCompany runs step in the repository's transaction on the company
// companyID names, once the actor may act on obj in it; scope is the one
// the act is attributed to (app.CompanyAt).
func inCompany[T any](ctx context.Context, repo companyTransactor, e *authz.Enforcer, actor app.Actor, companyID, obj, act string,
	step func(ctx context.Context, c *domain.Company, scope authz.Scope) (T, error)) (T, error) {
	return app.Within(ctx, repo.Transaction, func(ctx context.Context) (T, error) {
		c, scope, err := app.CompanyAt(ctx, repo, e, actor, companyID, obj, act)
		if err != nil {
			var zero T
			return zero, err
		}
		return step(ctx, c, scope)
	})
}

// inReport is inCompany for act on the company's report of period, named
// once the actor may act.
func inReport[T any](ctx context.Context, repo companyTransactor, e *authz.Enforcer, actor app.Actor, companyID, period, act string,
	step func(ctx context.Context, c *domain.Company, scope authz.Scope, p domain.Period) (T, error)) (T, error) {
	return inCompany(ctx, repo, e, actor, companyID, "report", act, func(ctx context.Context, c *domain.Company, scope authz.Scope) (T, error) {
		p, ok := domain.ParsePeriod(period)
		if !ok {
			var zero T
			return zero, app.InvalidPeriod()
		}
		return step(ctx, c, scope, p)
	})
}
