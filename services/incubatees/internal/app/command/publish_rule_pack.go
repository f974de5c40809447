package command

import (
	"context"

	"github.com/incuchain/incuchain/services/incubatees/internal/app"
	"github.com/incuchain/incuchain/services/incubatees/internal/domain"
)

// PublishRulePack is a district admin publishing Pack as the region's
// next version. Residencies keep the version they were moved in under.
type PublishRulePack struct {
	Actor    app.Actor
	RegionID string
	Pack     domain.RulePack
}

// RulePackRepository is the rule pack repository: Publish loads the
// region's latest (seeding version 1 for a region without any), lets fn
// build the next and stores it with its event and audit line.
type RulePackRepository interface {
	Publish(ctx context.Context, actor app.Actor, regionID string, fn func(ctx context.Context, latest domain.RulePack) (domain.RulePack, error)) (domain.RulePack, error)
}

// PublishRulePackRepository is what PublishRulePackHandler reads.
type PublishRulePackRepository interface {
	app.RulePackRegionReader
	transactor
}

// PublishRulePackHandler publishes rule packs.
type PublishRulePackHandler struct {
	handlerWith[PublishRulePackRepository, RulePackRepository]
}

// NewPublishRulePackHandler returns the handler over its repositories.
var NewPublishRulePackHandler = newHandlerWith[PublishRulePackHandler, PublishRulePackRepository, RulePackRepository]

// Handle publishes the pack: 404 to who may not read the region's packs,
// 403 to readers who may not publish, then the pack's own validation.
func (h PublishRulePackHandler) Handle(ctx context.Context, cmd PublishRulePack) (domain.RulePack, error) {
	return app.Within(ctx, h.repo.Transaction, func(ctx context.Context) (domain.RulePack, error) {
		if err := app.AuthorizeRulePacks(ctx, h.authz, h.repo, cmd.Actor, cmd.RegionID, "publish"); err != nil {
			return domain.RulePack{}, err
		}
		if err := cmd.Pack.Validate(); err != nil {
			return domain.RulePack{}, err
		}
		return h.aggregates.Publish(ctx, cmd.Actor, cmd.RegionID, func(_ context.Context, latest domain.RulePack) (domain.RulePack, error) {
			p, now := cmd.Pack, h.now()
			p.RegionID, p.Version, p.PublishedAt, p.PublishedBy = cmd.RegionID, latest.Version+1, now, cmd.Actor.UserID
			return p, nil
		})
	})
}
