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
		Cadence: p.Cadence, ReportGraceDays: domain.ReportGraceDays}
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

// RulePackRegionReader is what AuthorizeRulePacks reads.
type RulePackRegionReader interface {
	RegionExists(ctx context.Context, id string) (bool, error)
	GetCarrier(ctx context.Context, id string) (Carrier, error)
}

// AuthorizeRulePacks lets act on a region's packs through. Who may read
// them: district roles of the region, and staff of any of its carriers
// (their terms come from it); everyone else, and an unknown region, is
// 404. A reader refused act (publish) is 403.
func AuthorizeRulePacks(ctx context.Context, e *authz.Enforcer, rd RulePackRegionReader, actor Actor, regionID, act string) error {
	if err := authz.Authenticated(actor.UserID); err != nil {
		return err
	}
	ok, err := rd.RegionExists(ctx, regionID)
	if err != nil {
		return err
	}
	if !ok {
		return apperr.NotFoundErr("region-not-found")
	}
	scopes := []authz.Scope{{RegionID: regionID}}
	for _, as := range e.Assignments(actor.UserID) {
		if kind, id, _ := authz.ParseDomain(as.Domain); kind == authz.KindCarrier {
			if c, err := rd.GetCarrier(ctx, id); err == nil && c.RegionID == regionID {
				scopes = append(scopes, authz.Scope{RegionID: regionID, CarrierID: id})
			}
		}
	}
	if err := e.Decide(authz.Request{UserID: actor.UserID, Scopes: scopes, Object: "rule_pack", Action: "read", NotFound: "region-not-found"}); err != nil {
		return err
	}
	if act == "read" {
		return nil
	}
	return e.Decide(authz.Request{UserID: actor.UserID, Scopes: []authz.Scope{{RegionID: regionID}}, Object: "rule_pack", Action: act, CanSee: authz.Always})
}
