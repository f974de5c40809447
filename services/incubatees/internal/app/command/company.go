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
type CompanyUpdateFunc = func(ctx context.Context, c *domain.Company) ([]events.Payload, error)

// companyUpdater is the company repository's Update, with the carrier
// links a company is authorized through.
type companyUpdater interface {
	app.CompanyLinks
	Update(ctx context.Context, actor app.Actor, id string, fn CompanyUpdateFunc) error
}

// updateCompany is the load → decide → update step of a change to a
// company's record: for a signed-in actor who may update the company,
// change runs on it in the repository's transaction; the answer is the
// company as changed.
func updateCompany(ctx context.Context, repo companyUpdater, e *authz.Enforcer, actor app.Actor, id string, change CompanyUpdateFunc) (*domain.Company, error) {
	if err := authz.Authenticated(actor.UserID); err != nil {
		return nil, err
	}
	var out *domain.Company
	err := repo.Update(ctx, actor, id, func(ctx context.Context, c *domain.Company) ([]events.Payload, error) {
		if err := app.AuthorizeCompany(ctx, repo, e, actor, c, "company", "update"); err != nil {
			return nil, err
		}
		out = c
		return change(ctx, c)
	})
	return out, err
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
