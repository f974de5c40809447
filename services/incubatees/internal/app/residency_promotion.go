package app

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/incuchain/incuchain/pkg/apperr"
	"github.com/incuchain/incuchain/pkg/authz"
	"github.com/incuchain/incuchain/pkg/events"
	"github.com/incuchain/incuchain/services/incubatees/internal/domain"
)

// ChainCarrier is what a promotion needs of a carrier.
func ChainCarrier(c Carrier) domain.ChainCarrier {
	return domain.ChainCarrier{ID: c.ID, RegionID: c.RegionID, Kind: c.Kind, ChainOrder: c.ChainOrder}
}

// PromotionPayload is a promotion as its events carry it.
func PromotionPayload(p *domain.Promotion) events.PromotionV1 {
	return events.PromotionV1{PromotionID: p.ID, ResidencyID: p.ResidencyID, CompanyID: p.CompanyID, RegionID: p.RegionID,
		FromCarrierID: p.From.ID, FromKind: p.From.Kind, FromChainOrder: p.From.ChainOrder,
		ToCarrierID: p.To.ID, ToKind: p.To.Kind, ToChainOrder: p.To.ChainOrder, Status: string(p.Status), Shared: p.Shared,
		NewResidencyID: p.NewResidencyID}
}

// PromotionAudit is a promotion's audit line.
func PromotionAudit(actor Actor, action string, p *domain.Promotion) AuditEntry {
	return AuditEntry{Actor: actor.UserID, Action: action, ObjectID: p.ID, RegionID: p.RegionID, CarrierID: p.From.ID,
		CompanyID: p.CompanyID, Detail: map[string]any{"residency_id": p.ResidencyID, "to_carrier_id": p.To.ID, "status": string(p.Status)}}
}

// ProposePromotion: the current carrier proposes the company to a carrier
// higher in the chain of the same region.
func (a *App) ProposePromotion(ctx context.Context, actor Actor, residencyID, toCarrierID, note string, shared []string) (*domain.Promotion, error) {
	var p *domain.Promotion
	err := a.store.Write(ctx, func(ctx context.Context, tx Tx) error {
		r, err := loadResidency(ctx, tx, actor, residencyID)
		if err != nil {
			return err
		}
		if err := a.authorizeResidency(actor, r, "update"); err != nil {
			return err
		}
		from, err := tx.GetCarrier(ctx, r.CarrierID())
		if err != nil {
			return err
		}
		to, err := tx.GetCarrier(ctx, toCarrierID)
		if err != nil {
			if apperr.Is(err, apperr.NotFound) {
				return apperr.NewValidation("invalid-promotion").Add("to_carrier_id", "carrier_not_found").Err()
			}
			return err
		}
		if open, err := tx.LatestPromotion(ctx, r.ID()); err == nil && open.Open() {
			return apperr.ConflictErr("promotion-in-progress")
		} else if err != nil && !apperr.Is(err, apperr.NotFound) {
			return err
		}
		if p, err = domain.NewPromotion(events.NewID(), r, ChainCarrier(from), ChainCarrier(to), note, shared, actor.UserID, a.now()); err != nil {
			return err
		}
		if err := tx.InsertPromotion(ctx, p); err != nil {
			return err
		}
		if err := a.publish(ctx, tx, ResidencyScope(r), actor, p.ID, events.PromotionProposedV1{PromotionV1: PromotionPayload(p)}); err != nil {
			return err
		}
		return tx.Audit(ctx, PromotionAudit(actor, "promotion.propose", p))
	})
	return p, err
}

// promotionFor loads a residency's latest promotion for a caller who may
// see it: who can read the residency, or (once the company consented) the
// staff of the target carrier.
func (a *App) promotionFor(ctx context.Context, tx Tx, actor Actor, residencyID string) (*domain.Residency, *domain.Promotion, error) {
	r, err := loadResidency(ctx, tx, actor, residencyID)
	if err != nil {
		return nil, nil, err
	}
	p, perr := tx.LatestPromotion(ctx, r.ID())
	if perr != nil && !apperr.Is(perr, apperr.NotFound) {
		return nil, nil, perr
	}
	readable := a.authorizeResidency(actor, r, "read") == nil
	if !readable && p != nil && p.Status != domain.PromotionProposed {
		readable = a.authz.Can(actor.UserID, authz.Scope{RegionID: p.RegionID, CarrierID: p.To.ID, CompanyID: p.CompanyID}, "residency", "read")
	}
	if !readable {
		return nil, nil, apperr.NotFoundErr("residency-not-found")
	}
	if p == nil {
		return nil, nil, apperr.NotFoundErr("promotion-not-found")
	}
	return r, p, nil
}

// GetPromotion returns a residency's latest promotion with its handoff packet.
func (a *App) GetPromotion(ctx context.Context, actor Actor, residencyID string) (*domain.Promotion, error) {
	var p *domain.Promotion
	err := a.store.Read(ctx, func(ctx context.Context, tx Tx) error {
		var err error
		_, p, err = a.promotionFor(ctx, tx, actor, residencyID)
		return err
	})
	return p, err
}

// ConsentPromotion: the company's admin consents; the handoff packet
// (profile snapshot and the shared items) is sealed and the target
// carrier's staff may now see the company.
func (a *App) ConsentPromotion(ctx context.Context, actor Actor, residencyID string) (*domain.Promotion, error) {
	var p *domain.Promotion
	err := a.store.Write(ctx, func(ctx context.Context, tx Tx) error {
		r, err := loadResidency(ctx, tx, actor, residencyID)
		if err != nil {
			return err
		}
		if err := a.authorizeResidency(actor, r, "read"); err != nil {
			return err
		}
		m, err := tx.GetMembership(ctx, r.CompanyID(), actor.UserID)
		if err != nil && !apperr.Is(err, apperr.NotFound) {
			return err
		}
		if err != nil || m.Role != domain.CompanyAdmin || m.Status != domain.Active {
			return apperr.ForbiddenErr("not-company-admin")
		}
		if p, err = tx.LatestPromotion(ctx, r.ID()); err != nil {
			return err
		}
		packet, err := a.handoffPacket(ctx, tx, p)
		if err != nil {
			return err
		}
		if err := p.Consent(actor.UserID, packet, a.now()); err != nil {
			return err
		}
		if err := tx.UpdatePromotion(ctx, p); err != nil {
			return err
		}
		if err := tx.LinkCarrier(ctx, p.CompanyID, p.To.ID, a.now()); err != nil {
			return err
		}
		if err := a.publish(ctx, tx, ResidencyScope(r), actor, p.ID, events.PromotionConsentedV1{PromotionV1: PromotionPayload(p)}); err != nil {
			return err
		}
		return tx.Audit(ctx, PromotionAudit(actor, "promotion.consent", p))
	})
	return p, err
}

// handoffPacket is what travels to the next carrier: the company's profile
// as of consent, and the items the proposal named.
func (a *App) handoffPacket(ctx context.Context, tx Tx, p *domain.Promotion) ([]byte, error) {
	co, err := tx.GetCompany(ctx, p.CompanyID)
	if err != nil {
		return nil, err
	}
	packet := map[string]any{"snapshot_at": a.now().Format(time.RFC3339), "profile": companyPayload(co)}
	for _, item := range p.Shared {
		switch item {
		case "milestones":
			chain, err := tx.CompanyResidencies(ctx, p.CompanyID)
			if err != nil {
				return nil, err
			}
			ms := make([]map[string]any, 0, len(chain))
			for _, v := range chain {
				ms = append(ms, map[string]any{"carrier_name": v.CarrierNameZH, "carrier_kind": v.CarrierKind, "chain_order": v.ChainOrder,
					"status": string(v.Status()), "admitted_on": v.AdmittedOn().Format(time.DateOnly), "moved_in_on": DayString(v.MovedInOn()), "ended_on": DayString(v.EndedOn())})
			}
			packet["milestones"] = ms
		case "latest_metrics":
			m, err := a.latestMetrics(ctx, tx, p.CompanyID)
			if err != nil {
				return nil, err
			}
			packet["latest_metrics"] = m // null when the company has reported nothing yet
		}
	}
	raw, err := json.Marshal(packet)
	if err != nil {
		return nil, fmt.Errorf("handoff packet: %w", err)
	}
	return raw, nil
}

// PromotionTargets lists the carriers a residency may be promoted to: the
// active carriers of its region higher up the chain. Park staff cannot list
// other carriers through the parks service, so the proposing carrier learns
// them here, from this service's copy of the carriers.
func (a *App) PromotionTargets(ctx context.Context, actor Actor, residencyID string) ([]Carrier, error) {
	var out []Carrier
	err := a.store.Read(ctx, func(ctx context.Context, tx Tx) error {
		r, err := loadResidency(ctx, tx, actor, residencyID)
		if err != nil {
			return err
		}
		if err := a.authorizeResidency(actor, r, "update"); err != nil {
			return err
		}
		from, err := tx.GetCarrier(ctx, r.CarrierID())
		if err != nil {
			return err
		}
		all, err := tx.RegionCarriers(ctx, r.RegionID())
		if err != nil {
			return err
		}
		out = []Carrier{}
		for _, c := range all {
			if c.ChainOrder > from.ChainOrder && c.Status == "active" {
				out = append(out, c)
			}
		}
		return nil
	})
	return out, err
}
