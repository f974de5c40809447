package app

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

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
	from, to := p.From(), p.To()
	return events.PromotionV1{PromotionID: p.ID(), ResidencyID: p.ResidencyID(), CompanyID: p.CompanyID(), RegionID: p.RegionID(),
		FromCarrierID: from.ID, FromKind: from.Kind, FromChainOrder: from.ChainOrder,
		ToCarrierID: to.ID, ToKind: to.Kind, ToChainOrder: to.ChainOrder, Status: string(p.Status()), Shared: p.Shared(),
		NewResidencyID: p.NewResidencyID()}
}

// PromotionScope is where a promotion's events are seen from: the carrier
// that acts next (the target once accepted).
func PromotionScope(p *domain.Promotion) events.Scope {
	carrier := p.From().ID
	if p.Status() == domain.PromotionAccepted {
		carrier = p.To().ID
	}
	return events.Scope{RegionID: p.RegionID(), CarrierID: carrier}
}

// PromotionAudit is the audit line of a promotion's event: one table, so
// the repository that writes the event writes its audit line too.
func PromotionAudit(actor Actor, p *domain.Promotion, ev events.Payload) (AuditEntry, bool) {
	detail := map[string]any{"residency_id": p.ResidencyID(), "to_carrier_id": p.To().ID, "status": string(p.Status())}
	if p.Status() == domain.PromotionDeclined {
		detail["reason"] = p.DeclineReason()
	}
	return auditLine(ev, AuditEntry{Actor: actor.UserID, ObjectID: p.ID(), RegionID: p.RegionID(), CarrierID: p.From().ID,
		CompanyID: p.CompanyID(), Detail: detail})
}

// HandoffReader reads what the handoff packet carries.
type HandoffReader interface {
	FactsReader
	MilestoneReader
	VerifiedDocuments(ctx context.Context, companyID string) ([]CompanyDocument, error)
	GetCompany(ctx context.Context, id string) (*domain.Company, error)
	CompanyResidencies(ctx context.Context, companyID string) ([]ResidencyView, error)
}

// HandoffPacket is what travels to the next carrier: the company's profile
// as of consent (now), and the items the proposal named. "milestones" is
// the company's verified milestones (from the milestones service's
// events) and, under "chain", its residencies so far; "documents" its verified
// documents (from the documents service's events).
func HandoffPacket(ctx context.Context, rd HandoffReader, p *domain.Promotion, now time.Time) ([]byte, error) {
	co, err := rd.GetCompany(ctx, p.CompanyID())
	if err != nil {
		return nil, err
	}
	packet := map[string]any{"snapshot_at": now.Format(time.RFC3339), "profile": CompanyPayload(co)}
	for _, item := range p.Shared() {
		switch item {
		case "milestones":
			chain, err := rd.CompanyResidencies(ctx, p.CompanyID())
			if err != nil {
				return nil, err
			}
			ms := make([]map[string]any, 0, len(chain))
			for _, v := range chain {
				ms = append(ms, map[string]any{"carrier_name": v.CarrierNameZH, "carrier_kind": v.CarrierKind, "chain_order": v.ChainOrder,
					"status": string(v.Status()), "admitted_on": v.AdmittedOn().Format(time.DateOnly), "moved_in_on": DayString(v.MovedInOn()), "ended_on": DayString(v.EndedOn())})
			}
			verified, err := rd.VerifiedMilestones(ctx, p.CompanyID())
			if err != nil {
				return nil, err
			}
			packet["milestones"], packet["chain"] = milestoneItems(verified), ms
		case "documents":
			docs, err := rd.VerifiedDocuments(ctx, p.CompanyID())
			if err != nil {
				return nil, err
			}
			packet["documents"] = documentItems(docs)
		case "latest_metrics":
			m, err := latestMetrics(ctx, rd, p.CompanyID())
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

// documentItems are the company's verified documents as the packet lists
// them: the kind of material (the console says it in words), the original
// file name and when it was verified. The files stay in the documents
// service.
func documentItems(docs []CompanyDocument) []map[string]any {
	out := make([]map[string]any, 0, len(docs))
	for _, d := range docs {
		item := map[string]any{"document_id": d.ID, "type": d.Type, "filename": d.Filename}
		if d.VerifiedAt != nil {
			item["verified_at"] = d.VerifiedAt.UTC().Format(time.RFC3339)
		}
		out = append(out, item)
	}
	return out
}

// PromotionTarget is the company's scope at the carrier p goes to.
func PromotionTarget(p *domain.Promotion) authz.Scope {
	return authz.Scope{RegionID: p.RegionID(), CarrierID: p.To().ID, CompanyID: p.CompanyID()}
}

// AuthorizePromotion lets read r's promotion p (nil: none yet) through to
// who may read the residency, and once the company consented to the
// target carrier's staff (they may read the packet); 404 to everyone else.
func AuthorizePromotion(e *authz.Enforcer, actor Actor, r *domain.Residency, p *domain.Promotion) error {
	scopes := []authz.Scope{{RegionID: r.RegionID(), CarrierID: r.CarrierID(), CompanyID: r.CompanyID()}}
	if p != nil && p.Status() != domain.PromotionProposed {
		scopes = append(scopes, PromotionTarget(p))
	}
	return e.Decide(authz.Request{UserID: actor.UserID, Scopes: scopes, Object: "residency", Action: "read", NotFound: "residency-not-found"})
}

// PromotionView is a promotion with the names people know it by: the
// company's and those of the carriers it goes from and to.
type PromotionView struct {
	*domain.Promotion
	CompanyNameZH          string
	FromNameZH, FromNameEN string
	ToNameZH, ToNameEN     string
}

// NamePromotion is p named from the company and carriers it links.
func NamePromotion(p *domain.Promotion, company *domain.Company, from, to Carrier) PromotionView {
	return PromotionView{Promotion: p, CompanyNameZH: company.Fields.NameZH, FromNameZH: from.NameZH, FromNameEN: from.NameEN,
		ToNameZH: to.NameZH, ToNameEN: to.NameEN}
}

// IncomingPromotionFilter narrows the promotions a carrier receives.
type IncomingPromotionFilter struct {
	CarrierID string
	Status    domain.PromotionStatus
}
