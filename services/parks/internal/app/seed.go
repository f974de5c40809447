package app

import (
	"context"
	"fmt"
	"strings"

	"github.com/incuchain/incuchain/pkg/apperr"
	"github.com/incuchain/incuchain/pkg/authz"
	"github.com/incuchain/incuchain/pkg/bus"
	"github.com/incuchain/incuchain/pkg/events"
	"github.com/incuchain/incuchain/services/parks/internal/domain"
)

// SeedRegion describes a region to create if missing.
type SeedRegion struct {
	Code, NameZH, NameEN string
	Carriers             []domain.CarrierFields
}

// SeedUser describes an account and its roles. A role's Domain is written
// with names, resolved here: "platform", "region:<code>",
// "carrier:<region code>/<name_zh>" or "company:<id>".
type SeedUser struct {
	Email, DisplayName, Password string
	Roles                        []SeedRole
}

// SeedRole is one role of a seeded user.
type SeedRole struct{ Role, Domain string }

// Seed creates what is missing of regions, carriers, users and roles, as
// the system; running it again changes nothing.
func (a *App) Seed(ctx context.Context, regions []SeedRegion, users []SeedUser) error {
	system := Actor{UserID: "system"}
	regionIDs := map[string]string{}
	carrierIDs := map[string]string{}
	err := a.store.Write(ctx, func(ctx context.Context, tx Tx) error {
		existing, err := tx.ListRegions(ctx, nil)
		if err != nil {
			return err
		}
		for _, r := range existing {
			regionIDs[r.Code] = r.ID
		}
		for _, sr := range regions {
			if _, ok := regionIDs[sr.Code]; !ok {
				r, err := domain.NewRegion(events.NewID(), sr.Code, sr.NameZH, sr.NameEN, a.now())
				if err != nil {
					return fmt.Errorf("seed region %s: %w", sr.Code, err)
				}
				if err := tx.InsertRegion(ctx, r); err != nil {
					return err
				}
				if err := a.publish(ctx, tx, events.Scope{RegionID: r.ID}, system, r.ID, events.RegionCreatedV1{RegionID: r.ID, Code: r.Code, NameZH: r.NameZH, NameEN: r.NameEN}); err != nil {
					return err
				}
				regionIDs[sr.Code] = r.ID
			}
			rid := regionIDs[sr.Code]
			for _, cf := range sr.Carriers {
				key := sr.Code + "/" + cf.NameZH
				taken, err := tx.CarrierNameTaken(ctx, rid, cf.NameZH, "")
				if err != nil {
					return err
				}
				if taken {
					continue
				}
				c, err := domain.NewCarrier(events.NewID(), rid, cf, a.now())
				if err != nil {
					return fmt.Errorf("seed carrier %s: %w", key, err)
				}
				if err := tx.InsertCarrier(ctx, c); err != nil {
					return err
				}
				if err := a.publish(ctx, tx, events.Scope{RegionID: rid, CarrierID: c.ID()}, system, c.ID(), events.CarrierCreatedV1{CarrierV1: carrierPayload(c)}); err != nil {
					return err
				}
			}
		}
		// Resolve every carrier of the seeded regions by name.
		for code, rid := range regionIDs {
			cs, err := a.allCarriers(ctx, tx, rid)
			if err != nil {
				return err
			}
			for _, c := range cs {
				carrierIDs[code+"/"+c.Fields().NameZH] = c.ID()
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	for _, su := range users {
		if err := a.seedUser(ctx, system, su, regionIDs, carrierIDs); err != nil {
			return err
		}
	}
	return nil
}

func (a *App) allCarriers(ctx context.Context, tx Tx, regionID string) ([]*domain.Carrier, error) {
	var out []*domain.Carrier
	for page := 1; ; page++ {
		cs, total, err := tx.ListCarriers(ctx, CarrierFilter{RegionID: regionID}, listAll(page))
		if err != nil {
			return nil, err
		}
		out = append(out, cs...)
		if len(out) >= total || len(cs) == 0 {
			return out, nil
		}
	}
}

func (a *App) seedUser(ctx context.Context, system Actor, su SeedUser, regionIDs, carrierIDs map[string]string) error {
	u, err := bus.Fetch(ctx, a.store.Read, func(ctx context.Context, tx Tx) (*domain.User, error) {
		return tx.GetUserByEmail(ctx, su.Email)
	})
	if apperr.Is(err, apperr.NotFound) {
		if u, err = a.createUser(ctx, system, su.Email, su.DisplayName, su.Password); err != nil {
			return fmt.Errorf("seed user %s: %w", su.Email, err)
		}
	} else if err != nil {
		return err
	}
	for _, sr := range su.Roles {
		kind, name, _ := strings.Cut(sr.Domain, ":")
		r := resolved{}
		switch kind {
		case "platform":
			r.domain = authz.PlatformDomain()
		case "region":
			id, ok := regionIDs[name]
			if !ok {
				return fmt.Errorf("seed role %s: unknown region %s", sr.Role, name)
			}
			r.domain, r.scope = authz.RegionDomain(id), authz.Scope{RegionID: id}
		case "carrier":
			id, ok := carrierIDs[name]
			if !ok {
				return fmt.Errorf("seed role %s: unknown carrier %s", sr.Role, name)
			}
			code, _, _ := strings.Cut(name, "/")
			r.domain, r.scope = authz.CarrierDomain(id), authz.Scope{RegionID: regionIDs[code], CarrierID: id}
		case "company":
			r.domain = authz.CompanyDomain(name)
		default:
			return fmt.Errorf("seed role %s: bad domain %s", sr.Role, sr.Domain)
		}
		as := authz.Assignment{UserID: u.ID, Role: sr.Role, Domain: r.domain}
		if err := a.store.Write(ctx, func(ctx context.Context, tx Tx) error { return a.grant(ctx, tx, system, r, as) }); err != nil {
			return fmt.Errorf("seed role %s for %s: %w", sr.Role, su.Email, err)
		}
		if err := a.authz.Grant(as); err != nil {
			return err
		}
	}
	return nil
}
