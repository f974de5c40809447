package app

import (
	"context"
	"time"

	"github.com/incuchain/incuchain/pkg/apperr"
	"github.com/incuchain/incuchain/pkg/authz"
	"github.com/incuchain/incuchain/pkg/events"
	"github.com/incuchain/incuchain/services/incubatees/internal/domain"
)

// SeededRulePack is the region's latest pack for a write that needs one:
// a region without any (one that predates seeding on parks'
// region.created) gets the 2018 national shape as version 1, with its
// event and audit line, in tx. Reads never seed; they see no pack.
func SeededRulePack(ctx context.Context, tx Tx, regionID string, now time.Time) (domain.RulePack, error) {
	p, err := tx.RulePack(ctx, regionID, 0)
	if err == nil || !apperr.Is(err, apperr.NotFound) {
		return p, err
	}
	p = domain.NationalPack2018(regionID, now)
	inserted, err := InsertRulePack(ctx, tx, Actor{}, p)
	if err != nil {
		return domain.RulePack{}, err
	}
	if !inserted { // another transaction seeded it first
		return tx.RulePack(ctx, regionID, p.Version)
	}
	return p, nil
}

// InsertRulePack stores p with its event and audit entry; it does nothing
// and answers false when the version exists already.
func InsertRulePack(ctx context.Context, tx Tx, actor Actor, p domain.RulePack) (bool, error) {
	inserted, err := tx.InsertRulePack(ctx, p)
	if err != nil || !inserted {
		return false, err
	}
	ev := events.RulePackPublishedV1{RegionID: p.RegionID, Version: p.Version, Name: p.Name, EntryAgeMonths: p.EntryAgeMonths,
		TermMonths: p.TermMonths, IndustryTerms: p.IndustryTerms, HighTechCert: p.Graduation.HighTechCertificate,
		FinancingYuan: p.Graduation.FinancingOverYuan, RevenueYuan: p.Graduation.RevenueOverYuan, RevenueYears: p.Graduation.RevenueYears,
		Cadence: p.Cadence}
	env, err := events.New(events.Scope{RegionID: p.RegionID}, actor.UserID, p.RegionID, ev)
	if err != nil {
		return false, err
	}
	if err := tx.Publish(ctx, env); err != nil {
		return false, err
	}
	by := actor.UserID
	if by == "" {
		by = "system"
	}
	return true, tx.Audit(ctx, AuditEntry{Actor: by, Action: "rule_pack.publish", ObjectID: p.RegionID, RegionID: p.RegionID,
		Detail: map[string]any{"version": p.Version, "name": p.Name}})
}

// canReadRulePacks: district roles of the region, and staff of any of its
// carriers (their terms come from it).
func (a *App) canReadRulePacks(ctx context.Context, tx Tx, actor Actor, regionID string) bool {
	if a.authz.Can(actor.UserID, authz.Scope{RegionID: regionID}, "rule_pack", "read") {
		return true
	}
	for _, as := range a.authz.Assignments(actor.UserID) {
		kind, id, _ := authz.ParseDomain(as.Domain)
		if kind != authz.KindCarrier {
			continue
		}
		if c, err := tx.GetCarrier(ctx, id); err == nil && c.RegionID == regionID &&
			a.authz.Can(actor.UserID, authz.Scope{RegionID: regionID, CarrierID: id}, "rule_pack", "read") {
			return true
		}
	}
	return false
}

func (a *App) regionForRulePacks(ctx context.Context, tx Tx, actor Actor, regionID string) error {
	if actor.UserID == "" {
		return unauthenticated()
	}
	ok, err := tx.RegionExists(ctx, regionID)
	if err != nil {
		return err
	}
	if !ok || !a.canReadRulePacks(ctx, tx, actor, regionID) {
		return apperr.NotFoundErr("region-not-found")
	}
	return nil
}

// ListRulePacks lists a region's packs, newest first. It only reads: a
// region gets version 1 when parks announces it (or at its first move-in
// or publication, if it predates that).
func (a *App) ListRulePacks(ctx context.Context, actor Actor, regionID string) ([]domain.RulePack, error) {
	var out []domain.RulePack
	err := a.store.Read(ctx, func(ctx context.Context, tx Tx) error {
		if err := a.regionForRulePacks(ctx, tx, actor, regionID); err != nil {
			return err
		}
		var err error
		out, err = tx.ListRulePacks(ctx, regionID)
		return err
	})
	return out, err
}

// PublishRulePack publishes p as the region's next version (district admin).
// Residencies keep the version they were moved in under.
func (a *App) PublishRulePack(ctx context.Context, actor Actor, regionID string, p domain.RulePack) (domain.RulePack, error) {
	err := a.store.Write(ctx, func(ctx context.Context, tx Tx) error {
		if err := a.regionForRulePacks(ctx, tx, actor, regionID); err != nil {
			return err
		}
		if !a.authz.Can(actor.UserID, authz.Scope{RegionID: regionID}, "rule_pack", "publish") {
			return apperr.ForbiddenErr("not-allowed")
		}
		if err := p.Validate(); err != nil {
			return err
		}
		latest, err := SeededRulePack(ctx, tx, regionID, a.now())
		if err != nil {
			return err
		}
		p.RegionID, p.Version, p.PublishedAt, p.PublishedBy = regionID, latest.Version+1, a.now(), actor.UserID
		inserted, err := InsertRulePack(ctx, tx, actor, p)
		if err == nil && !inserted {
			// Two district officers published at once; the other won.
			return apperr.ConflictErr("rule-pack-version-taken")
		}
		return err
	})
	return p, err
}
